"""Key sentences across all articles: openings, concepts shared across articles, focus, event roles.

The weights live in prompts/selection.toml so they can be tuned without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app import prompts
from app.documents import Document, Sentence
from app.extractive import mmr
from app.extractive.agreement import article_similarity, supporting_articles
from app.extractive.coverage import coverage_scores, shared_concepts
from app.extractive.event import EventFocus, cue_list, find_event, is_prediction
from app.extractive.focus import cue_scores, focus_scores
from app.extractive.lexrank import lexrank
from app.extractive.vectors import SentenceSpace
from app.text.normalize import words
from app.text.standalone import reads_whole


@dataclass
class KeySentence:
    sentence: Sentence
    score: float
    sources: list[int]  # article indexes that report it, the kept wording's article first
    context: bool = False  # from a preview or another event's report, or a prediction: never an outcome


@dataclass
class SentenceScores:
    sentences: list[Sentence]
    similarity: np.ndarray
    scores: np.ndarray
    support: list[set[int]]
    context: np.ndarray  # per sentence: context only (see KeySentence.context)
    event: EventFocus
    importance: np.ndarray  # per sentence: what orders the key points (main outcome first)


def scaled_to_max(values: np.ndarray) -> np.ndarray:
    top = values.max() if len(values) else 0.0
    return values / top if top > 0 else np.zeros_like(values)


def _position_scores(sentences: list[Sentence], decay: float) -> np.ndarray:
    return np.array([1.0 / (1.0 + s.position / decay) for s in sentences])


def _length_scores(lengths: np.ndarray, low: int, high: int) -> np.ndarray:
    """1 inside [low, high] words, falling off outside: fragments and run-ons make poor key points."""
    short = np.clip(lengths / low, 0.0, 1.0)
    long = np.clip(high / np.maximum(lengths, 1), 0.0, 1.0) ** 2
    return short * long


def opening_ranks(sentences: list[Sentence], min_words: int) -> np.ndarray:
    """Each sentence's rank among its article's sentences of at least min_words words: 0 is the opening."""
    ranks = np.zeros(len(sentences))
    seen: dict[int, int] = {}
    for i, sentence in enumerate(sentences):
        rank = seen.get(sentence.article_index, 0)
        ranks[i] = rank
        if len(sentence.text.split()) >= min_words:
            seen[sentence.article_index] = rank + 1
    return ranks


def score_sentences(
    documents: list[Document], focus: str, weights: dict[str, float], event: EventFocus | None = None
) -> SentenceScores:
    """Openings first (news writers put the event there), then what several articles report, steered by
    the focus question; previews, predictions and other events' reports count as context only."""
    sentences = [s for d in documents for s in d.sentences]
    space = SentenceSpace([s.terms for s in sentences])
    similarity = space.similarity()
    article_of = np.array([s.article_index for s in sentences])
    lengths = np.array([len(s.text.split()) for s in sentences], dtype=float)
    event = event or find_event(documents)

    best_per_article = article_similarity(similarity, article_of, len(documents))
    support = supporting_articles(best_per_article, weights["agreement_threshold"])
    shared = scaled_to_max(coverage_scores(sentences, shared_concepts(documents)))
    relevance = scaled_to_max(focus_scores(space, sentences, focus)) if focus else np.zeros(len(sentences))
    frames = cue_list("prediction_cues.txt")
    prediction = np.array([is_prediction(s, frames) for s in sentences], dtype=bool)
    cues = np.where(prediction, 0.0, cue_scores(sentences))  # a prediction is not an outcome
    if focus == prompts.default_focus():
        relevance = np.maximum(relevance, cues)  # the cue list spells out what the default question asks for
    context = prediction | np.array([not event.roles[i].is_event for i in article_of], dtype=bool)

    ranks = opening_ranks(sentences, int(weights["min_words"]))
    prior = 1.0 / (1.0 + ranks / weights["position_decay"])
    content = 1.0 - weights["coverage"] + weights["coverage"] * shared
    default = focus == prompts.default_focus()
    strength = weights["default_focus"] if default else weights["focus"]
    gate = 1.0 - strength + strength * relevance
    length = _length_scores(lengths, int(weights["min_words"]), int(weights["max_words"]))
    role = np.where(context, weights["context_weight"], 1.0)
    # Importance orders the points (main outcome first): what several articles report and the focus question
    # asks, early in its article; position counts for less here than in selection.
    asked = 1.0 - weights["focus"] + weights["focus"] * relevance
    early = 1.0 - weights["order_position"] + weights["order_position"] * prior
    importance = early * content * asked * role * length
    # Selection: the openings are the backbone (news writers lead with the event); shared concepts and
    # the default question choose what is added beyond them. A caller's own question steers everything.
    backbone = (ranks == 0) & ~context & (default or weights["focus"] == 0)
    scores = prior * np.where(backbone, 1.0, content * gate) * length
    scores = np.where(context, scores - 1.0, scores)  # context only once the event's own sentences are used
    return SentenceScores(sentences, similarity, scores, support, context, event, importance)


def _term_key(term: str) -> str:
    """A term as leads are compared: «لربط» and «ربط», «كهرباء» and «كهربائي» are one."""
    if term.startswith("ل") and len(term) >= 4:
        term = term[1:]
    return term.rstrip("ءي")


def main_outcome_leads(sentences: list[Sentence], leads: np.ndarray, share: float, coverage: float) -> np.ndarray:
    """The leads that state the set's main outcome. The outcome is what most leads say: the terms found in at
    least `share` of the leads (who, where, what was agreed). A lead holding `coverage` of those terms states
    it; two such leads are one point however differently they word it (cosine misses «وقعت… اتفاقاً إطارياً
    لربط الشبكات» against «اختتمت… بتوقيع اتفاق إطار للربط»), while a lead on another angle («لم تكن
    القمة مجرد لقاء…») shares only the setting and stays its own point."""
    rows = np.flatnonzero(leads)
    marked = np.zeros(len(sentences), dtype=bool)
    if len(rows) < 3:
        return marked
    keys = {int(r): {_term_key(t) for t in sentences[r].terms} for r in rows}
    counts: dict[str, int] = {}
    for found in keys.values():
        for key in found:
            counts[key] = counts.get(key, 0) + 1
    outcome = {k for k, n in counts.items() if n >= share * len(rows)}
    if len(outcome) < 4:
        return marked
    for row, found in keys.items():
        marked[row] = len(found & outcome) >= coverage * len(outcome)
    return marked


def _whole_sentences(sentences: list[Sentence], min_words: int) -> np.ndarray | None:
    """The sentences that may become key points: min_words words or more (punctuation is not a word) that
    read as a whole sentence (not a piece of a quotation split in two, a paragraph cut at a comma, a line of a
    list, «حيث…»); None (all) when none is whole."""
    whole = np.array(
        [
            len(words(s.text)) >= min_words
            and reads_whole(s.text, previous.text if previous and previous.article_index == s.article_index else None)
            for previous, s in zip([None, *sentences[:-1]], sentences, strict=True)
        ],
        dtype=bool,
    )
    return whole if whole.any() else None


def select_key_sentences(
    documents: list[Document],
    focus: str,
    max_words: int,
    max_points: int,
    event: EventFocus | None = None,
    scored: SentenceScores | None = None,
) -> tuple[list[KeySentence], SentenceScores]:
    """Best-first under the word budget, a sentence that does not fit giving way to a shorter one; a
    sentence repeating a kept one is folded into it (its article becomes a source). Pass `scored` to
    select again under another budget without scoring again."""
    weights = prompts.toml("selection.toml")["multi_document"]
    scored = scored or score_sentences(documents, focus, weights, event)
    lengths = np.array([len(s.text.split()) for s in scored.sentences])
    one_fact = None
    if focus == prompts.default_focus():  # a caller's own question may be answered by one outlet's lead only
        leads = (opening_ranks(scored.sentences, int(weights["min_words"])) == 0) & ~scored.context
        one_fact = main_outcome_leads(scored.sentences, leads, weights["outcome_share"], weights["outcome_coverage"])
    picks = mmr.select(
        scored.scores,
        scored.similarity,
        lengths,
        budget_words=max_words,
        max_items=max_points,
        trade_off=weights["mmr_trade_off"],
        repeat_threshold=weights["repeat_threshold"],
        article_of=np.array([s.article_index for s in scored.sentences]),
        same_article_threshold=weights["same_article_repeat_threshold"],
        fill_gaps=True,
        eligible=_whole_sentences(scored.sentences, int(weights["min_words"])),
        one_fact=one_fact,
    )
    key_sentences = []
    for pick in picks:
        sentence = scored.sentences[pick.index]
        sources = {sentence.article_index} | scored.support[pick.index]
        sources |= {scored.sentences[r].article_index for r in pick.repeats}
        ordered = [sentence.article_index, *sorted(sources - {sentence.article_index})]
        key_sentences.append(
            KeySentence(sentence, float(scored.importance[pick.index]), ordered, bool(scored.context[pick.index]))
        )
    return key_sentences, scored


def summarize_single(document: Document, title: str, max_words: int) -> list[Sentence]:
    """The single-document case (EASC): best sentences within the word budget, in article order."""
    weights = prompts.toml("selection.toml")["single_document"]
    sentences = document.sentences
    if not sentences:
        return []
    space = SentenceSpace([s.terms for s in sentences])
    similarity = space.similarity()
    lengths = np.array([len(s.text.split()) for s in sentences])
    positions = np.array([sentence.position for sentence in sentences])
    scores = (
        weights["centrality"] * scaled_to_max(lexrank(similarity, threshold=weights["lexrank_threshold"]))
        + weights["lead"] * (positions == 0)
        + weights["position"] * (1.0 - positions / len(sentences))
        + weights["title"] * (scaled_to_max(focus_scores(space, sentences, title)) if title else 0.0)
    ) * _length_scores(lengths.astype(float), 1, int(weights["max_words"]))
    picks = mmr.select(
        scores,
        similarity,
        lengths,
        budget_words=max_words,
        max_items=len(sentences),
        trade_off=weights["mmr_trade_off"],
        repeat_threshold=weights["repeat_threshold"],
        fill=True,
    )
    return sorted((sentences[p.index] for p in picks), key=lambda s: s.position)
