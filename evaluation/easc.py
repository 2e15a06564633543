"""EASC records (easc-dev.jsonl: id, title, text, references) and each article's word budget."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.errors import InputError
from app.jsonl import read_rows
from evaluation.rouge import TOKENIZER


@dataclass(frozen=True)
class EascArticle:
    id: str
    title: str
    text: str
    references: tuple[str, ...]

    @property
    def word_budget(self) -> int:
        return word_budget(self.references)


def word_count(text: str) -> int:
    """Words as ROUGE counts them, so budget and score agree on what a word is."""
    return len(TOKENIZER.tokenize(text))


def word_budget(references: Sequence[str]) -> int:
    """Mean word count of the references, rounded; at least one word."""
    if not references:
        raise ValueError("no references")
    return max(1, round(sum(word_count(r) for r in references) / len(references)))


def _record(obj: object, where: str) -> EascArticle:
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object", "--data")
    text, refs = obj.get("text"), obj.get("references")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: 'text' must be a non-empty string", "--data")
    if not isinstance(refs, list) or not refs or not all(isinstance(r, str) and r.strip() for r in refs):
        raise InputError(f"{where}: 'references' must be a non-empty list of strings", "--data")
    title = obj.get("title") or ""
    return EascArticle(str(obj.get("id") or where), str(title), text, tuple(refs))


def load_easc(path: str | Path, limit: int | None = None) -> list[EascArticle]:
    """Read EASC JSONL records. Raises InputError naming the file and line for anything unusable."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"no such file: {path}", "--data")
    articles: list[EascArticle] = []
    try:
        for row in read_rows(path, label=path.name):
            articles.append(_record(row.value, row.where))
            if limit is not None and len(articles) >= limit:
                break
    except InputError as exc:
        if exc.field == "--data":
            raise
        raise InputError(str(exc), "--data") from exc  # the CLI flag is what the user can fix
    if not articles:
        raise InputError(f"{path}: no EASC records", "--data")
    return articles
