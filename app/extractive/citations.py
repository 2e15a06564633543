"""True citations: a key point names an article only when that article reports the fact.

Figures decide first: every figure of the key point (years aside) must occur in the cited article. Then
the content: the article's supporting sentence must be close to the key point (TF-IDF cosine
CITATION_SIMILARITY) and hold most of its content words (CITATION_CONTAINMENT), or, when that sentence itself
carries every figure of the point, be as close as the selector's agreement threshold asks. It must also hold
the point's *fact-specific* words (FACT_SHARE; less, FACT_SHARE_WITH_QUANTITIES, when it carries the point's
quantities — figures other than dates and times, «500 ميغاواط»، «2.5 مليار» — which outlets keep when they
reword the rest): each content word weighs its IDF over the
story's own sentences, cubed, so the words every article of the event repeats («استهدف مسجد قوات الطوارئ»)
count little and the words of this one fact («زار … المصابين … مستشفى») decide. Read on 2015-08-06, the
wrong citations told a neighbouring fact of the same event in the same words: a visit to the site credited
for a visit to the wounded, another convict's execution on the same date. A sentence framed as a prediction
(prompts/prediction_cues.txt) does not support a point that reports a done fact.

An article whose closest sentence tells the same fact with another figure for the same counted thing (20
dead in one outlet, 27 in another) is not cited for the point; it is recorded as a figure conflict, so the
briefing can say who reported which. Two figures are not in conflict when the sentences name different
bodies (the API's and the EIA's stock figures), different times or sessions, or a rise against a fall
(prompts/figure_context.toml), or when the other sentence does not tell the same fact (FACT_SHARE).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from app import prompts
from app.documents import Document, Sentence, content_terms
from app.extractive.event import Cues, cue_list, is_prediction
from app.extractive.evidence import SupportingSentence, supporting_sentence
from app.extractive.figures import Figure, figure_values, figures
from app.text.normalize import normalize, words

CONFLICT_SIMILARITY = 0.3  # the other article's sentence must tell (nearly) the same fact
CITATION_SIMILARITY = 0.35
CITATION_CONTAINMENT = 0.45
# Share of the point's fact weight (IDF over the story's sentences, cubed) the supporting sentence must hold.
# Read on 2015-08-06 (100 cross-article citations): every wrong one was below 0.45, 8 of 88 right ones too.
FACT_SHARE = 0.45
# When the supporting sentence carries every quantity of the point: 2015-08-06's citations between 0.13 and
# 0.18 credited one official's words to another's; from 0.19 on they were right.
FACT_SHARE_WITH_QUANTITIES = 0.2
FACT_POWER = 3
_CLITICS = "وفبل"


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


def fact_weights(sentences: list[Sentence]) -> dict[str, float]:
    """Per content term, its weight as a fact-specific word of this story: (smoothed IDF over the story's
    sentences) ** FACT_POWER — the IDF of the TF-IDF space, sharpened so rare words decide."""
    df = Counter(t for s in sentences for t in set(s.terms))
    n = len(sentences)
    return {t: (math.log((n + 1) / (c + 1)) + 1.0) ** FACT_POWER for t, c in df.items()}


def fact_share(
    point_terms: list[str], other_terms: list[str], weights: dict[str, float], numbers: bool = True
) -> float:
    """The weighted share of the point's content terms that the other sentence holds (figures left out
    with numbers=False: two reports of one fact with different figures)."""
    terms = {t for t in point_terms if numbers or not t[0].isdigit()}
    total = sum(weights.get(t, 1.0) for t in terms)
    if not total:
        return 1.0
    return sum(weights.get(t, 1.0) for t in terms & set(other_terms)) / total


def article_figures(document: Document) -> set[str]:
    return figure_values(document.article.title) | {v for s in document.sentences for v in figure_values(s.text)}


def _clash(point: list[Figure], other: list[Figure]) -> list[tuple[Figure, Figure]]:
    """Pairs (point figure, other figure) that count the same thing with different values: the k-th figure
    of a counted word in the point against the k-th of that word in the other sentence («143 شركة» rose, «14
    شركة» fell: each against its own place in the other's list)."""
    values = {f.value for f in point}
    theirs_by_unit: dict[str, list[Figure]] = {}
    for f in (f for f in other if not (f.clock or f.date)):
        theirs_by_unit.setdefault(f.unit, []).append(f)
    seen: Counter[str] = Counter()
    pairs = []
    for mine in (f for f in point if not (f.clock or f.date)):
        place = seen[mine.unit]
        seen[mine.unit] += 1
        theirs = theirs_by_unit.get(mine.unit, [])
        if place < len(theirs) and theirs[place].value != mine.value and theirs[place].value not in values:
            pairs.append((mine, theirs[place]))
    return pairs


def _marked(text: str, vocabulary: frozenset[str]) -> set[str]:
    """The words of the text (a leading و/ف/ب/ل allowed) that are in the vocabulary."""
    found = set()
    for word in words(text):
        if word in vocabulary:
            found.add(word)
        elif word[:1] in _CLITICS and word[1:] in vocabulary:
            found.add(word[1:])
    return found


@dataclass(frozen=True)
class _FigureContext:
    attribution: frozenset[str]
    times: frozenset[str]
    rise: frozenset[str]
    fall: frozenset[str]
    attribution_words: int


@lru_cache(maxsize=8)
def _figure_context(folder: Path) -> _FigureContext:
    """prompts/figure_context.toml, normalized once per prompts folder (not once per compared sentence)."""
    raw = prompts.toml("figure_context.toml")

    def vocabulary(key: str) -> frozenset[str]:
        return frozenset(normalize(w) for w in raw[key])

    return _FigureContext(vocabulary("attribution"), vocabulary("times"), vocabulary("rise"), vocabulary("fall"),
                          int(raw["attribution_words"]))


def _bodies(text: str, context: _FigureContext) -> set[str]:
    """Content stems of the words right after an attribution cue: who gives the figure."""
    tokens = words(text)
    named: set[str] = set()
    for i, word in enumerate(tokens):
        if word in context.attribution or (word[:1] in _CLITICS and word[1:] in context.attribution):
            after = [w for w in tokens[i + 1 : i + 1 + context.attribution_words] if w not in context.times]
            named.update(t for t in content_terms(" ".join(after)) if not t[0].isdigit())
    return named


def _other_context(mine: str, theirs: str) -> bool:
    """Whether two sentences give their figures for different bodies, times or movements (not a conflict)."""
    context = _figure_context(prompts.prompts_dir())
    bodies = _bodies(mine, context), _bodies(theirs, context)
    times = context.times
    when = _marked(mine, times), _marked(theirs, times)
    rise, fall = context.rise, context.fall
    moves = [("rise" if _marked(t, rise) else "") + ("fall" if _marked(t, fall) else "") for t in (mine, theirs)]
    return (
        (all(bodies) and not bodies[0] & bodies[1])
        or (all(when) and not when[0] & when[1])
        or (sorted(moves) == ["fall", "rise"])
    )


def cite(
    key_row: int,
    candidates: list[int],
    documents: list[Document],
    sentences: list[Sentence],
    similarity: np.ndarray,
    starts: np.ndarray,
    threshold: float,
    figures_of: list[set[str]] | None = None,
    weights: dict[str, float] | None = None,
) -> Citation:
    """Which candidate articles the key point at key_row may cite, with evidence; and its figure conflicts.

    `candidates` are article indexes (the kept article first); every other article is searched for a
    conflicting figure. `figures_of[i]` caches article_figures(documents[i]), `weights` fact_weights(sentences).
    """
    kept = sentences[key_row]
    figures_of = figures_of or [article_figures(d) for d in documents]
    weights = weights if weights is not None else fact_weights(sentences)
    frames = cue_list("prediction_cues.txt")
    point_figures = figures(kept.text)
    required = frozenset(f.value for f in point_figures)
    support: list[SupportingSentence] = []
    dropped: list[int] = []
    for article in dict.fromkeys([kept.article_index, *candidates]):
        if article != kept.article_index and not required <= figures_of[article]:
            dropped.append(article)
            continue
        found = supporting_sentence(key_row, article, sentences, similarity, starts, required)
        if found is not None and article != kept.article_index:

            def reports(candidate: SupportingSentence) -> bool:
                return _reports(candidate, kept, required, threshold, weights, frames)

            found = found if reports(found) else _other_report(key_row, article, sentences, similarity, starts, reports)
        if found is None:
            dropped.append(article)
            continue
        support.append(found)
    cited = {s.article_index for s in support}
    conflicts = _conflicts(key_row, point_figures, cited, documents, sentences, similarity, starts, weights)
    return Citation(support, conflicts, dropped)


def _other_report(
    key_row: int,
    article: int,
    sentences: list[Sentence],
    similarity: np.ndarray,
    starts: np.ndarray,
    reports: Callable[[SupportingSentence], bool],
) -> SupportingSentence | None:
    """When the article's closest sentence tells a neighbouring fact, its closest sentence that does tell the
    point («صدر بيان مشترك» further down an article that opens with the talks), if any."""
    lo, hi = int(starts[article]), int(starts[article + 1])
    for row in sorted(range(lo, hi), key=lambda r: -similarity[key_row, r]):
        candidate = SupportingSentence(article, sentences[row], float(similarity[key_row, row]))
        if reports(candidate):
            return candidate
    return None


def _reports(
    found: SupportingSentence,
    kept: Sentence,
    required: frozenset[str],
    threshold: float,
    weights: dict[str, float],
    frames: Cues,
) -> bool:
    """Whether the supporting sentence tells the kept sentence's fact (see the module docstring)."""
    if is_prediction(found.sentence, frames) and not is_prediction(kept, frames):
        return False  # "is expected to sign" does not report the signing
    carries_figures = bool(required) and required <= figure_values(found.sentence.text)
    share = fact_share(kept.terms, found.sentence.terms, weights)
    if carries_figures and any(not (f.clock or f.date) for f in figures(kept.text)):
        # The point's own quantities are fact-specific words that outlets keep when they reword the rest.
        return share >= FACT_SHARE_WITH_QUANTITIES and found.similarity >= threshold
    if share < FACT_SHARE:
        return False
    if carries_figures:
        return found.similarity >= threshold
    terms = set(kept.terms)
    shared = len(terms & set(found.sentence.terms)) / len(terms) if terms else 0.0
    return found.similarity >= max(threshold, CITATION_SIMILARITY) and shared >= CITATION_CONTAINMENT


def _conflicts(
    key_row: int,
    point_figures: list[Figure],
    cited: set[int],
    documents: list[Document],
    sentences: list[Sentence],
    similarity: np.ndarray,
    starts: np.ndarray,
    weights: dict[str, float],
) -> list[FigureClash]:
    if not point_figures:
        return []
    kept = sentences[key_row]
    by_unit: dict[str, dict[str, ConflictReport]] = {}
    for article in range(len(starts) - 1):
        if article in cited:
            continue
        lo, hi = int(starts[article]), int(starts[article + 1])
        if hi <= lo:
            continue
        row = lo + int(np.argmax(similarity[key_row, lo:hi]))
        other = sentences[row]
        if similarity[key_row, row] < CONFLICT_SIMILARITY:
            continue
        pairs = _clash(point_figures, figures(other.text))
        if not pairs:
            continue
        if fact_share(kept.terms, other.terms, weights, numbers=False) < FACT_SHARE or _other_context(
            kept.text, other.text
        ):
            continue
        for mine, theirs in pairs:
            reports = by_unit.setdefault(f"{mine.unit}\t{mine.value}", {})
            report = reports.setdefault(theirs.value, ConflictReport(theirs.value, [], []))
            if article not in report.articles:
                report.articles.append(article)
                report.sentences.append(SupportingSentence(article, other, float(similarity[key_row, row])))
    clashes = []
    for key, reports in by_unit.items():
        unit, value = key.split("\t")
        own = ConflictReport(value, sorted(cited), [])
        clashes.append(FigureClash(unit, [own, *reports.values()]))
    return clashes
