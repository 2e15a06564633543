"""Article sets from files and folders (.txt, .json, .jsonl and .html pages), or from uploaded files' bytes.

Every reader takes a file's name (for messages and the article's "file") and its bytes, so the CLI and the
service's upload endpoint read a file the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path, PurePath

from app.articles import Article, article_from_mapping, content_id, parse_published_at
from app.errors import InputError
from app.jsonl import read_rows

SUFFIXES = (".txt", ".json", ".jsonl", ".html", ".htm")


def load_articles(paths: Sequence[str | Path]) -> list[Article]:
    """Every article in the named files and folders, in order, each with a unique id.

    Folders are read recursively in sorted order; hidden entries and files of other types are skipped
    there, but a file named explicitly must be of a known type. Raises InputError (field: the path)
    for a missing or unreadable file, bad UTF-8 or JSON, or when nothing at all is found.
    """
    articles: list[Article] = []
    for path in _article_files(paths):
        articles.extend(_READERS[path.suffix.lower()](str(path), _read_bytes(path)))
    if not articles:
        raise InputError("no articles found", "paths")
    return _unique_ids(articles)


def read_uploaded(files: Sequence[tuple[str, bytes]]) -> list[Article]:
    """Every article in uploaded files given as (file name, content), in order, each with a unique id.

    The name's suffix picks the reader, as for a file named on the command line. Raises InputError
    (field: the file name) for an unknown type or bad content, and (field: "files") when nothing is found.
    """
    articles: list[Article] = []
    for name, data in files:
        suffix = PurePath(name).suffix.lower()
        if suffix not in SUFFIXES:
            kind = suffix or "(none)"
            raise InputError(f"unsupported file type {kind!r}; expected one of {', '.join(SUFFIXES)}", name)
        articles.extend(_READERS[suffix](name, data))
    if not articles:
        raise InputError("no articles found", "files")
    return _unique_ids(articles)


def _article_files(paths: Sequence[str | Path]) -> Iterable[Path]:
    if isinstance(paths, str | Path):  # a lone path would otherwise be iterated character by character
        paths = [paths]
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES and not _hidden(p.relative_to(path))
            )
            if not found:
                raise InputError(f"no article files ({', '.join(SUFFIXES)}) in this folder", str(path))
            yield from found
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES:
                kind = path.suffix or "(none)"
                expected = ", ".join(SUFFIXES)
                raise InputError(f"unsupported file type {kind!r}; expected one of {expected}", str(path))
            yield path
        elif path.exists():
            raise InputError("not a regular file or folder", str(path))
        else:
            raise InputError("no such file or folder", str(path))


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", str(path)) from exc


def _decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 text (bad byte at offset {exc.start})", name) from exc


def _read_txt(name: str, data: bytes) -> list[Article]:
    """The first non-empty line is the title; site junk above it (a "Logo" line, the masthead) is skipped."""
    from app.text.clean import is_boilerplate

    lines = _decode(name, data).splitlines()
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        raise InputError("empty file", name)
    start = next((i for i in filled if not is_boilerplate(lines[i])), filled[0])
    title = lines[start].strip()
    text = "\n".join(lines[start + 1:]).strip()
    if not text:
        raise InputError("a title line but no text after it", name)
    return [Article(id=content_id(title, text), title=title, text=text, extra={"file": name})]


def _json_error(exc: json.JSONDecodeError) -> str:
    return f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"


def _read_json(name: str, data: bytes) -> list[Article]:
    try:
        value = json.loads(_decode(name, data))
    except json.JSONDecodeError as exc:
        raise InputError(_json_error(exc), name) from exc
    if isinstance(value, dict):
        return [_with_file(article_from_mapping(value, name), name)]
    if isinstance(value, list):
        return [_with_file(article_from_mapping(item, f"{name}[{i}]"), name) for i, item in enumerate(value)]
    raise InputError("expected a JSON object or a list of objects", name)


def _read_jsonl(name: str, data: bytes) -> list[Article]:
    return [_with_file(article_from_mapping(row.value, row.where), name) for row in read_rows(name, data=data)]


def _read_html(name: str, data: bytes) -> list[Article]:
    import trafilatura  # slow import; only pay for it when there is HTML
    from trafilatura.metadata import set_date_params

    from app.text.html import html_to_text

    page = _decode(name, data)
    text = html_to_text(page).strip()
    if not text:
        raise InputError("no article text found in the page", name)
    # Dates only from the page's own markup (meta tags, JSON-LD, <time>): htmldate's extensive search
    # guesses from free text and takes a footer's "© 2025" for the publication date.
    date_config = {**set_date_params(False), "outputformat": "%Y-%m-%dT%H:%M:%S%z"}
    meta = trafilatura.extract_metadata(page, date_config=date_config, extensive=False)
    title = meta.title or _page_title(page)
    first_line, _, rest = text.partition("\n")
    if title and first_line.strip() == title.strip() and rest.strip():
        text = rest.strip()  # trafilatura keeps the <h1> as the first line of the text
    published = None
    if meta.date:
        try:
            published = parse_published_at(datetime.fromisoformat(meta.date), name)
        except ValueError:
            published = None
    return [
        Article(
            id=content_id(title, text),
            title=title,
            text=text,
            source=meta.sitename or None,
            url=meta.url or None,
            published_at=published,
            extra={"file": name},
        )
    ]


def _page_title(page: str) -> str:
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(page)
    except Exception:  # lxml raises several types on junk input
        return ""
    for found in (tree.findtext(".//title"), tree.xpath("string(//h1[1])")):
        if found and found.strip():
            return " ".join(found.split())
    return ""


def _with_file(article: Article, name: str) -> Article:
    return replace(article, extra={**article.extra, "file": name})


def _unique_ids(articles: list[Article]) -> list[Article]:
    """The same id twice (a given id reused, or one text in two files) gets -2, -3, … appended."""
    seen: set[str] = set()
    unique = []
    for article in articles:
        new_id, n = article.id, 1
        while new_id in seen:
            n += 1
            new_id = f"{article.id}-{n}"
        seen.add(new_id)
        unique.append(article if new_id == article.id else replace(article, id=new_id))
    return unique


_READERS: dict[str, Callable[[str, bytes], list[Article]]] = {
    ".txt": _read_txt,
    ".json": _read_json,
    ".jsonl": _read_jsonl,
    ".html": _read_html,
    ".htm": _read_html,
}
