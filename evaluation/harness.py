"""Run Mojaz and the baselines over EASC articles and score them with the same ROUGE and budget."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from evaluation.baselines import RANKERS, Splitter, article_sentences, compose, truncate_to_budget
from evaluation.easc import EascArticle, word_count
from evaluation.rouge import RougeScores, mean_scores, score_summary

Summarize = Callable[[EascArticle], str]


class SystemUnavailable(RuntimeError):
    """A system that cannot run at all (e.g. the engine's entry point is missing)."""


@dataclass
class SystemResult:
    name: str
    summaries: dict[str, str] = field(default_factory=dict)
    scores: RougeScores | None = None
    seconds: float = 0.0
    over_budget: int = 0  # articles whose raw output was longer than the budget (then cut)
    error: str | None = None


def mojaz_summarizer() -> Summarize:
    """Mojaz's single-document path, or SystemUnavailable when the engine does not provide it yet."""
    try:
        from app.engine import summarize_document
    except ImportError as exc:
        raise SystemUnavailable(f"app.engine.summarize_document is not available ({exc})") from exc

    def summarize(article: EascArticle) -> str:
        return summarize_document(article.text, article.title, article.word_budget)

    return summarize


def baseline_summarizer(name: str, split: Splitter | None = None) -> Summarize:
    ranker = RANKERS[name]

    def summarize(article: EascArticle) -> str:
        sentences = article_sentences(article.text, article.title, split)
        return compose(sentences, ranker(sentences), article.word_budget)

    return summarize


def run_system(name: str, summarize: Summarize, articles: Sequence[EascArticle]) -> SystemResult:
    """Summaries cut to each article's budget (the same cut for every system), scored against references."""
    result = SystemResult(name)
    started = time.perf_counter()
    scores: list[RougeScores] = []
    for article in articles:
        raw = summarize(article)
        budget = article.word_budget
        if word_count(raw) > budget:
            result.over_budget += 1
        summary = truncate_to_budget(raw, budget)
        result.summaries[article.id] = summary
        scores.append(score_summary(summary, article.references))
    result.seconds = time.perf_counter() - started
    result.scores = mean_scores(scores)
    return result


def evaluate(
    articles: Sequence[EascArticle], systems: dict[str, Callable[[], Summarize]]
) -> list[SystemResult]:
    """Each system is built lazily so one that cannot start is reported without stopping the others."""
    results = []
    for name, build in systems.items():
        try:
            results.append(run_system(name, build(), articles))
        except SystemUnavailable as exc:
            results.append(SystemResult(name, error=str(exc)))
        except Exception as exc:  # one broken system must not hide the others' scores
            results.append(SystemResult(name, error=f"{type(exc).__name__}: {exc}".rstrip(": ")))
    return results


def default_systems(split: Splitter | None = None) -> dict[str, Callable[[], Summarize]]:
    systems: dict[str, Callable[[], Summarize]] = {"mojaz": mojaz_summarizer}
    for name in RANKERS:
        systems[name] = lambda name=name: baseline_summarizer(name, split)
    return systems


def format_table(results: Sequence[SystemResult]) -> str:
    """A Markdown table, ready for docs/BENCHMARKS.md."""
    lines = [
        "| system | ROUGE-1 F1 | ROUGE-2 F1 | ROUGE-L F1 | seconds |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        if r.scores is None:
            lines.append(f"| {r.name} | – | – | – | unavailable: {r.error} |")
        else:
            r1, r2, rl = r.scores.as_row()
            lines.append(f"| {r.name} | {r1:.3f} | {r2:.3f} | {rl:.3f} | {r.seconds:.1f} |")
    return "\n".join(lines)
