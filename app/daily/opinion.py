"""Opinion columns and editorials are not news stories: find them by URL section or by a columnist's byline.

A column tells no event; grouped with the news it comments on, it adds an outlet to a story that outlet did not
report, and two columns on one topic become a "story". Outlets say which pieces are opinion in two ways that
need no reading of the text: the section in the URL, and the byline (a columnist signs with a bare name, a
reporter with a dateline, an agency or the outlet). Both lists are in prompts/daily_opinion.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from app import prompts
from app.articles import Article
from app.text.normalize import normalize

BYLINE_KEYS = ("author", "byline", "writer")
CATEGORY_KEYS = ("category", "section")
_OPINION_CATEGORIES = {"opinion", "opinions", "columns", "editorial", "رأي", "مقالات", "كتاب"}


@dataclass(frozen=True)
class OpinionRules:
    url_patterns: tuple[re.Pattern[str], ...]
    min_name_words: int
    max_name_words: int
    marks: tuple[str, ...]
    news_words: frozenset[str]


@lru_cache(maxsize=1)
def opinion_rules() -> OpinionRules:
    data = prompts.toml("daily_opinion.toml")
    return OpinionRules(
        url_patterns=tuple(re.compile(p, re.IGNORECASE) for p in data.get("url_patterns", [])),
        min_name_words=int(data.get("min_name_words", 2)),
        max_name_words=int(data.get("max_name_words", 4)),
        marks=tuple(data.get("news_byline_marks", [])),
        news_words=frozenset(normalize(w) for w in data.get("news_byline_words", [])),
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


def is_columnist_byline(text: str, rules: OpinionRules | None = None) -> bool:
    """A bare personal name: no dateline mark, no agency, no place, no outlet."""
    rules = rules or opinion_rules()
    text = text.strip().rstrip(":").strip()
    if not text or any(mark in text for mark in rules.marks):
        return False
    name = normalize(text)
    tokens = [t for t in name.replace(".", " ").split() if t not in ("د", "م", "أ")]  # د. / م. titles
    if not rules.min_name_words <= len(tokens) <= rules.max_name_words:
        return False
    joined = " ".join(name.split())
    return not any(
        (" " in word and word in joined) or word in name.split() for word in rules.news_words
    ) and not any(ch.isdigit() for ch in name)


def is_opinion(article: Article, rules: OpinionRules | None = None) -> bool:
    rules = rules or opinion_rules()
    for key in CATEGORY_KEYS:
        value = article.extra.get(key)
        if isinstance(value, str) and value.strip().lower() in _OPINION_CATEGORIES:
            return True
    path = url_path(article)
    if path and any(p.search(path) for p in rules.url_patterns):
        return True
    return is_columnist_byline(byline(article), rules)
