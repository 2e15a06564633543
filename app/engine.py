"""The briefing engine: articles -> clean text -> sentences -> (summaries, key sentences) -> briefing."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import get_args

import numpy as np

from app import deadline, prompts
from app.articles import Article
from app.briefing import (
    ArticleBrief,
    Briefing,
    Evidence,
    FigureConflict,
    FigureReport,
    Headline,
    KeyPoint,
    Ordering,
)
from app.config import get_settings
from app.documents import Document, is_usable, prepare
from app.errors import InputError
from app.extractive.article_summary import article_summaries, capped
from app.extractive.citations import Citation, article_figures, cite, fact_weights
from app.extractive.event import find_event
from app.extractive.evidence import SupportingSentence
from app.extractive.figures import figure_values
from app.extractive.headline import HEADLINE_MAX_WORDS, choose_headline
from app.extractive.selector import KeySentence, SentenceScores, select_key_sentences, summarize_single
from app.summarizer import NO_MODEL, ArticleSummarizer, ModelStatus, SummaryRequest
from app.text.normalize import words

HEADLINE_BUDGET = 20  # words kept for the headline while the key points are first chosen
ORDERS: tuple[str, ...] = get_args(Ordering)


def _words(text: str) -> int:
    return len(text.split())


def _prepare_all(articles: Sequence[Article]) -> tuple[list[Document], list[str]]:
    if not articles:
        raise InputError("no articles given", "articles")
    documents, warnings = [], []
    for article in articles:
        deadline.check("prepare")
        document = prepare(article, len(documents))
        if is_usable(document):
            documents.append(document)
        else:
            warnings.append(f"article {article.id}: no Arabic sentences found; left out")
    if not documents:
        raise InputError("no Arabic text in any article", "articles")
    return documents, warnings


def _order(
    key_sentences: list[KeySentence],
    documents: list[Document],
    order: Ordering = "importance",
    reports: Sequence[bool] | None = None,
) -> list[KeySentence]:
    """By importance: the main outcome first, then the other outcomes, context (previews, predictions, other
    events) last. Chronological on request: by the date of the earliest article that reports the point (a
    preview or another event's article that merely mentions it does not date it), undated points last.
    `reports[i]`: article i reports the event (default: every article)."""
    if order == "chronological":
        undated = datetime.max.replace(tzinfo=UTC)

        def first_report(k: KeySentence) -> tuple[datetime, int, int]:
            reporting = [i for i in k.sources if reports is None or reports[i]] or k.sources
            dates = [d for i in reporting if (d := documents[i].published_at) is not None]
            return (min(dates, default=undated), k.sentence.article_index, k.sentence.position)

        return sorted(key_sentences, key=first_report)
    return sorted(key_sentences, key=lambda k: (k.context, -k.score))


def _select(
    documents: list[Document], focus: str, max_words: int, max_points: int
) -> tuple[list[KeySentence], SentenceScores, Headline]:
    """Key sentences and headline within max_words together: the headline is chosen from a first selection
    that leaves it HEADLINE_BUDGET words, then the words it leaves over go to the key points."""
    event = find_event(documents)
    key_sentences, scored = select_key_sentences(documents, focus, max_words - HEADLINE_BUDGET, max_points, event)
    headline = choose_headline(documents, key_sentences, scored)
    spare = HEADLINE_BUDGET - _words(headline.text)
    if spare > 0 and key_sentences:
        wider, _ = select_key_sentences(
            documents, focus, max_words - _words(headline.text), max_points, event, scored=scored
        )
        if sum(_words(k.sentence.text) for k in wider) > sum(_words(k.sentence.text) for k in key_sentences):
            key_sentences = wider
    return key_sentences, scored, headline


def _within_budget(
    key_sentences: list[KeySentence], headline: Headline, max_words: int, warnings: list[str]
) -> tuple[list[KeySentence], Headline]:
    """The word budget is a promise: the lowest-scored key points go first, and an over-long headline is
    cut. An empty briefing always says why."""
    longest = min(HEADLINE_MAX_WORDS, max_words // 2)
    if _words(headline.text) > longest:
        headline = headline.model_copy(update={"text": " ".join(headline.text.split()[:longest]) + "…"})
    kept = list(key_sentences)
    budget = max_words - _words(headline.text)
    while kept and sum(_words(k.sentence.text) for k in kept) > budget:
        kept.remove(min(kept, key=lambda k: k.score))
    if not kept:
        warnings.append(f"no key sentence fits the budget of {max_words} words; only the headline is given")
    return kept, headline


def _evidence(ids: list[str], support: list[SupportingSentence]) -> list[Evidence]:
    return [
        Evidence(article_id=ids[s.article_index], sentence=s.sentence.text, position=s.sentence.position)
        for s in support
    ]


def _key_point(k: KeySentence, citation: Citation, ids: list[str]) -> KeyPoint:
    conflicts = [
        FigureConflict(
            unit=clash.unit,
            reports=[
                FigureReport(
                    figure=report.value,
                    sources=[ids[a] for a in report.articles],
                    evidence=_evidence(ids, citation.support if own else report.sentences),
                )
                for own, report in zip([True, *[False] * (len(clash.reports) - 1)], clash.reports, strict=True)
            ],
        )
        for clash in citation.conflicts
    ]
    return KeyPoint(
        text=k.sentence.text,
        sources=[ids[s.article_index] for s in citation.support],
        article_id=ids[k.sentence.article_index],
        score=round(k.score, 4),
        evidence=_evidence(ids, citation.support),
        figure_conflicts=conflicts,
    )


def _key_points(
    key_sentences: list[KeySentence],
    key_rows: list[int],
    documents: list[Document],
    scored: SentenceScores,
    starts: np.ndarray,
    threshold: float,
) -> list[KeyPoint]:
    """Key points whose citations are true (app.extractive.citations). A later point telling a fact an
    earlier point already gives with another figure is dropped: the earlier point shows the conflict."""
    ids = [d.article.id for d in documents]
    figures_of = [article_figures(d) for d in documents]
    weights = fact_weights(scored.sentences)
    row_of = {id(sentence): row for row, sentence in enumerate(scored.sentences)}
    points: list[KeyPoint] = []
    told: set[int] = set()  # rows of sentences already shown as the other side of a figure conflict
    for k, row in zip(key_sentences, key_rows, strict=True):
        if row in told:
            continue
        citation = cite(
            row, k.sources, documents, scored.sentences, scored.similarity, starts, threshold, figures_of, weights
        )
        told.update(row_of[id(s.sentence)] for clash in citation.conflicts for r in clash.reports for s in r.sentences)
        points.append(_key_point(k, citation, ids))
    return points


def _cited_headline(headline: Headline, documents: list[Document]) -> Headline:
    """The headline cites only articles that hold its figures (years aside)."""
    needed = figure_values(headline.text)
    if not needed:
        return headline
    by_id = {d.article.id: d for d in documents}
    kept = [i for i in headline.sources if i not in by_id or needed <= article_figures(by_id[i])]
    return headline.model_copy(update={"sources": kept or headline.sources[:1]})


def build_briefing(
    articles: Sequence[Article],
    *,
    focus: str | None = None,
    max_words: int | None = None,
    summarizer: ArticleSummarizer | None = None,
    model_status: ModelStatus | None = None,
    order: Ordering = "importance",
) -> Briefing:
    """One sourced briefing of an article set. Raises app.errors.InputError for unusable input."""
    settings = get_settings()
    focus = (focus or "").strip() or prompts.default_focus()
    max_words = settings.max_words if max_words is None else max_words
    if max_words < 20:
        raise InputError("must be at least 20", "max_words")
    if order not in ORDERS:
        raise InputError(f"must be one of {', '.join(ORDERS)}", "order")
    timings: dict[str, float] = {}
    started = time.perf_counter()

    documents, warnings = _prepare_all(articles)
    timings["prepare"] = time.perf_counter() - started

    mark = time.perf_counter()
    key_sentences, scored, headline = _select(documents, focus, max_words, settings.max_key_points)
    key_sentences = _order(key_sentences, documents, order, [r.is_event for r in scored.event.roles])
    key_sentences, headline = _within_budget(key_sentences, headline, max_words, warnings)
    warnings.extend(scored.event.warnings(documents))
    timings["select"] = time.perf_counter() - mark
    deadline.check("select")

    row_of = {id(sentence): row for row, sentence in enumerate(scored.sentences)}
    key_rows = [row_of[id(k.sentence)] for k in key_sentences]
    starts = np.cumsum([0] + [len(d.sentences) for d in documents])
    weights = prompts.toml("selection.toml")["multi_document"]
    chosen = article_summaries(documents, scored, key_rows, starts)
    summaries = [text for text, _ in chosen]
    adds = [new for _, new in chosen]
    kinds = ["extractive"] * len(documents)
    status = model_status or NO_MODEL
    if summarizer is not None:
        mark = time.perf_counter()
        requests = [
            SummaryRequest(
                d.article.id, "\n".join(s.text for s in d.sentences), [s.text for s in d.sentences], summaries[i]
            )
            for i, d in enumerate(documents)
        ]
        for i, result in enumerate(summarizer.summarize(requests)):
            summaries[i] = capped(result.summary, summaries[i])
            adds[i] = adds[i] or result.kind == "abstractive"
            kinds[i] = result.kind
            warnings.extend(f"article {result.article_id}: {note}" for note in result.notes)
        timings["abstractive"] = time.perf_counter() - mark
        mode, model_name = "abstractive+extractive", summarizer.model_name
    else:
        mode, model_name = "extractive", None
        warnings.insert(0, f"extractive only: {status.reason}")

    key_points = _key_points(key_sentences, key_rows, documents, scored, starts, weights["agreement_threshold"])
    headline = _cited_headline(headline, documents)
    briefs = [
        ArticleBrief(
            id=d.article.id,
            title=d.article.title,
            source=d.article.source,
            url=d.article.url,
            published_at=d.published_at,
            summary=summaries[i],
            summary_kind=kinds[i],  # type: ignore[arg-type]
            summary_adds=adds[i],
        )
        for i, d in enumerate(documents)
    ]
    timings["total"] = time.perf_counter() - started
    return Briefing(
        headline=headline,
        focus=focus,
        mode=mode,  # type: ignore[arg-type]
        model=model_name,
        ordering=order,
        key_points=key_points,
        articles=briefs,
        warnings=warnings,
        timings={k: round(v, 4) for k, v in timings.items()},
        word_count=_words(headline.text) + sum(_words(p.text) for p in key_points),
    )


def summarize_document(text: str, title: str, max_words: int) -> str:
    """Single-document extractive summary within max_words (used by the EASC evaluation)."""
    document = prepare(Article(id="doc", title=title, text=text), 0)
    chosen = summarize_single(document, title, max_words)
    kept: list[str] = []
    used = 0
    for token in " ".join(s.text for s in chosen).split():
        used += len(words(token))  # count words as ROUGE and the budget do: punctuation is not a word
        if used > max_words:
            break
        kept.append(token)
    return " ".join(kept)
