"""True citations: a key point names an article only when that article reports the fact.

Figures decide first: every figure of the key point (years aside) must occur in the cited article. Then
the content: the article's supporting sentence must be close to the key point (TF-IDF cosine
CITATION_SIMILARITY) and hold most of its content words (CITATION_CONTAINMENT) — read on 2015-08-06, pairs
below either mostly tell a neighbouring fact (a visit to the wounded for a visit to the site) — or, when that
sentence itself carries every figure of the point, be as close as the selector's agreement threshold asks.
An article whose closest sentence tells the same fact with another figure for the same counted thing (20
dead in one outlet, 27 in another) is not cited for the point; it is recorded as a figure conflict, so the
briefing can say who reported which.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from app.documents import Document, Sentence
from app.extractive.evidence import SupportingSentence, supporting_sentence
from app.extractive.figures import Figure, figure_values, figures

CONFLICT_SIMILARITY = 0.3  # the other article's sentence must tell (nearly) the same fact
CITATION_SIMILARITY = 0.35
CITATION_CONTAINMENT = 0.45


@dataclass
class ConflictReport:
    value: str
    articles: list[int]
    sentences: list[SupportingSentence]


@dataclass
class FigureClash:
    unit: str  # stem of the counted word («قتيل»), "" when the figure stands alone
    reports: list[ConflictReport]  # the key point's own figure first


@dataclass
class Citation:
    support: list[SupportingSentence]  # the kept article first
    conflicts: list[FigureClash] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)  # candidates that lack a figure or the content


def article_figures(document: Document) -> set[str]:
    return figure_values(document.article.title) | {v for s in document.sentences for v in figure_values(s.text)}


def _clash(point: list[Figure], other: list[Figure]) -> list[tuple[Figure, Figure]]:
    """Pairs (point figure, other figure) that count the same thing with different values."""
    values = {f.value for f in point}
    pairs = []
    for mine in (f for f in point if not f.clock):
        for theirs in (f for f in other if not f.clock):
            if theirs.unit == mine.unit and theirs.value != mine.value and theirs.value not in values:
                pairs.append((mine, theirs))
                break
    return pairs


def cite(
    key_row: int,
    candidates: list[int],
    documents: list[Document],
    sentences: list[Sentence],
    similarity: np.ndarray,
    starts: np.ndarray,
    threshold: float,
    figures_of: list[set[str]] | None = None,
) -> Citation:
    """Which candidate articles the key point at key_row may cite, with evidence; and its figure conflicts.

    `candidates` are article indexes (the kept article first); every other article is searched for a
    conflicting figure. `figures_of[i]` caches article_figures(documents[i]).
    """
    kept = sentences[key_row]
    figures_of = figures_of or [article_figures(d) for d in documents]
    point_figures = figures(kept.text)
    required = frozenset(f.value for f in point_figures)
    support: list[SupportingSentence] = []
    dropped: list[int] = []
    for article in dict.fromkeys([kept.article_index, *candidates]):
        if article != kept.article_index and not required <= figures_of[article]:
            dropped.append(article)
            continue
        found = supporting_sentence(key_row, article, sentences, similarity, starts, required)
        if found is None or (article != kept.article_index and not _reports(found, kept, required, threshold)):
            dropped.append(article)
            continue
        support.append(found)
    conflicts = _conflicts(key_row, point_figures, {s.article_index for s in support}, sentences, similarity, starts)
    return Citation(support, conflicts, dropped)


def _reports(found: SupportingSentence, kept: Sentence, required: frozenset[str], threshold: float) -> bool:
    """Whether the supporting sentence tells the kept sentence's fact (see the module docstring)."""
    if required and required <= figure_values(found.sentence.text):
        return found.similarity >= threshold
    terms = set(kept.terms)
    shared = len(terms & set(found.sentence.terms)) / len(terms) if terms else 0.0
    return found.similarity >= max(threshold, CITATION_SIMILARITY) and shared >= CITATION_CONTAINMENT


def _conflicts(
    key_row: int,
    point_figures: list[Figure],
    cited: set[int],
    sentences: list[Sentence],
    similarity: np.ndarray,
    starts: np.ndarray,
) -> list[FigureClash]:
    if not point_figures:
        return []
    by_unit: dict[str, dict[str, ConflictReport]] = {}
    for article in range(len(starts) - 1):
        if article in cited:
            continue
        lo, hi = int(starts[article]), int(starts[article + 1])
        if hi <= lo:
            continue
        row = lo + int(np.argmax(similarity[key_row, lo:hi]))
        if similarity[key_row, row] < CONFLICT_SIMILARITY:
            continue
        for mine, theirs in _clash(point_figures, figures(sentences[row].text)):
            reports = by_unit.setdefault(f"{mine.unit}\t{mine.value}", {})
            report = reports.setdefault(theirs.value, ConflictReport(theirs.value, [], []))
            if article not in report.articles:
                report.articles.append(article)
                report.sentences.append(SupportingSentence(article, sentences[row], float(similarity[key_row, row])))
    clashes = []
    for key, reports in by_unit.items():
        unit, value = key.split("\t")
        own = ConflictReport(value, sorted(cited), [])
        clashes.append(FigureClash(unit, [own, *reports.values()]))
    return clashes
