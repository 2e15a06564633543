"""Which section of the paper an article belongs to: the feed's category or the URL when they say, else its words.

"Other news" is most of a day; grouped by section (local, Gulf and Arab, international, economy, sport, other)
a reader finds the part they read. The sections, their URL patterns and cue words live in
prompts/daily_sections.toml so editors can change them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app import prompts
from app.articles import Article
from app.daily.cues import CueWords, tokens
from app.daily.opinion import CATEGORY_KEYS, url_path

OPINION_KEY = "opinion"
OPINION_TITLE = "مقالات الرأي"
FALLBACK_KEY = "other"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    categories: frozenset[str]
    url_patterns: tuple[re.Pattern[str], ...]
    cues: CueWords


@dataclass(frozen=True)
class SectionRules:
    sections: tuple[Section, ...]
    headline_weight: int
    lead_words: int
    min_score: int

    def title(self, key: str) -> str:
        if key == OPINION_KEY:
            return OPINION_TITLE
        return next((s.title for s in self.sections if s.key == key), key)

    @property
    def order(self) -> list[str]:
        keys = [s.key for s in self.sections]
        if FALLBACK_KEY not in keys:
            keys.append(FALLBACK_KEY)
        return [*keys, OPINION_KEY]


@lru_cache(maxsize=1)
def section_rules() -> SectionRules:
    data = prompts.toml("daily_sections.toml")
    sections = tuple(
        Section(
            key=str(item["key"]),
            title=str(item.get("title", item["key"])),
            categories=frozenset(str(c).strip().lower() for c in item.get("categories", [])),
            url_patterns=tuple(re.compile(p, re.IGNORECASE) for p in item.get("url_patterns", [])),
            cues=CueWords(item.get("words", [])),
        )
        for item in data.get("section", [])
    )
    return SectionRules(
        sections=sections,
        headline_weight=int(data.get("headline_weight", 3)),
        lead_words=int(data.get("lead_words", 60)),
        min_score=int(data.get("min_score", 3)),
    )


def section_of(article: Article, rules: SectionRules | None = None) -> str:
    """The key of the article's section; FALLBACK_KEY when neither its URL nor its words settle it."""
    rules = rules or section_rules()
    for key in CATEGORY_KEYS:
        value = article.extra.get(key)
        if isinstance(value, str) and value.strip():
            category = value.strip().lower()
            for section in rules.sections:
                if category in section.categories:
                    return section.key
    path = url_path(article)
    if path:
        for section in rules.sections:
            if any(p.search(path) for p in section.url_patterns):
                return section.key
    headline = tokens(article.title)
    lead = tokens(" ".join(article.text.split()[: rules.lead_words]))
    scores = [
        (rules.headline_weight * s.cues.count(headline) + s.cues.count(lead), -k, s.key)
        for k, s in enumerate(rules.sections)
    ]
    best = max(scores, default=(0, 0, FALLBACK_KEY))
    tied = sum(1 for score in scores if score[0] == best[0])
    return best[2] if best[0] >= rules.min_score and tied == 1 else FALLBACK_KEY
