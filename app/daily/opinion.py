"""Opinion columns and editorials are not news stories: find them by URL section, category or byline.

A column tells no event; grouped with the news it comments on, it adds an outlet to a story that outlet did not
report, and two columns on one topic become a "story". Outlets say which pieces are opinion in ways that need no
reading of the text: the section in the URL or the category, and the byline: a columnist signs with a bare
name (or «بقلم» a name), a reporter with a dateline, an agency, a city or the outlet. Most outlets of the crawl
put columns and news under one URL scheme with no category, so the byline is the only sign there; a bare name
alone is not enough, though, where the piece shows itself a report: a wire or a city in the byline however it
is punctuated («اسطنبول "رويترز"», «فلان_الدمام»), or a report's label on the headline («تقرير:»،
«بالفيديو»). The lists are in prompts/daily_opinion.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from app import prompts
from app.articles import Article
from app.text.normalize import words

BYLINE_KEYS = ("author", "byline", "writer")
CATEGORY_KEYS = ("category", "section")
_TITLES = {"د", "م", "ا"}  # د. / م. / أ. before a name


@dataclass(frozen=True)
class OpinionRules:
    url_patterns: tuple[re.Pattern[str], ...]
    categories: frozenset[str]
    min_name_words: int
    max_name_words: int
    marks: tuple[str, ...]
    news_words: tuple[tuple[str, ...], ...]  # normalized word sequences
    places: frozenset[str]
    columnist_words: frozenset[str]
    report_labels: frozenset[str]


def _sequences(items: list[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(seq for seq in (tuple(words(item)) for item in items) if seq)


@lru_cache(maxsize=1)
def opinion_rules() -> OpinionRules:
    data = prompts.toml("daily_opinion.toml")
    return OpinionRules(
        url_patterns=tuple(re.compile(p, re.IGNORECASE) for p in data.get("url_patterns", [])),
        categories=frozenset(" ".join(words(c)) for c in data.get("categories", [])),
        min_name_words=int(data.get("min_name_words", 2)),
        max_name_words=int(data.get("max_name_words", 4)),
        marks=tuple(data.get("news_byline_marks", [])),
        news_words=_sequences(data.get("news_byline_words", [])),
        places=frozenset(" ".join(words(p)) for p in prompts.lines("daily_places.txt")),
        columnist_words=frozenset(w for item in data.get("columnist_words", []) for w in words(item)),
        report_labels=frozenset(w for item in data.get("report_labels", []) for w in words(item)),
    )


def byline(article: Article) -> str:
    for key in BYLINE_KEYS:
        value = article.extra.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return ""


def url_path(article: Article) -> str:
    if not article.url:
        return ""
    parts = urlsplit(article.url)
    return unquote(parts.path + ("?" + parts.query if parts.query else ""))


def _holds(tokens: list[str], sequence: tuple[str, ...]) -> bool:
    n = len(sequence)
    return any(tuple(tokens[i : i + n]) == sequence for i in range(len(tokens) - n + 1))


def _names_news_source(tokens: list[str], rules: OpinionRules) -> bool:
    """An agency, the outlet or a newsroom word anywhere; or a city after the name, where a reporter puts it."""
    if any(_holds(tokens, seq) for seq in rules.news_words):
        return True
    return any(" ".join(tokens[-k:]) in rules.places for k in (1, 2) if len(tokens) > k)


def is_columnist_byline(text: str, rules: OpinionRules | None = None) -> bool:
    """«بقلم» a name, or a bare personal name: no dateline mark, no agency, no outlet, no city after it."""
    rules = rules or opinion_rules()
    text = text.strip().rstrip(":").strip()
    tokens = words(text)
    if not tokens or any(ch.isdigit() for ch in text):
        return False
    if tokens[0] in rules.columnist_words:
        return True
    if any(mark in text for mark in rules.marks) or _names_news_source(tokens, rules):
        return False
    name = [t for t in tokens if t not in _TITLES]
    return rules.min_name_words <= len(name) <= rules.max_name_words


def labelled_report(article: Article, rules: OpinionRules | None = None) -> bool:
    """A headline that opens with a report's label («تقرير:», «بالفيديو..»): news, whoever signs it."""
    rules = rules or opinion_rules()
    first = words(article.title)[:1]
    return bool(first) and first[0] in rules.report_labels


def is_opinion(article: Article, rules: OpinionRules | None = None) -> bool:
    rules = rules or opinion_rules()
    for key in CATEGORY_KEYS:
        value = article.extra.get(key)
        if isinstance(value, str) and " ".join(words(value)) in rules.categories:
            return True
    path = url_path(article)
    if path and any(p.search(path) for p in rules.url_patterns):
        return True
    return is_columnist_byline(byline(article), rules) and not labelled_report(article, rules)
