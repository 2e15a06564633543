"""Key sentences across all articles: centrality, position, agreement between outlets, focus, cues.

The weights live in prompts/selection.toml so they can be tuned without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app import prompts
from app.documents import Document, Sentence
from app.extractive import mmr
from app.extractive.agreement import article_similarity, supporting_articles
from app.extractive.focus import cue_scores, focus_scores
from app.extractive.lexrank import lexrank
from app.extractive.vectors import SentenceSpace


@dataclass
class KeySentence:
    sentence: Sentence
    score: float
    sources: list[int]  # article indexes that report it, the kept wording's article first


@dataclass
class SentenceScores:
    sentences: list[Sentence]
    similarity: np.ndarray
    scores: np.ndarray
    support: list[set[int]]


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


def score_sentences(documents: list[Document], focus: str, weights: dict[str, float]) -> SentenceScores:
    sentences = [s for d in documents for s in d.sentences]
    space = SentenceSpace([s.terms for s in sentences])
    similarity = space.similarity()
    article_of = np.array([s.article_index for s in sentences])
    lengths = np.array([len(s.text.split()) for s in sentences], dtype=float)

    centrality = scaled_to_max(lexrank(similarity, threshold=weights["lexrank_threshold"]))
    best_per_article = article_similarity(similarity, article_of, len(documents))
    support = supporting_articles(best_per_article, weights["agreement_threshold"])
    others = max(len(documents) - 1, 1)
    agreement = np.array([len(s) for s in support]) / others
    relevance = scaled_to_max(focus_scores(space, sentences, focus)) if focus else np.zeros(len(sentences))
    cues = cue_scores(sentences)
    if focus == prompts.default_focus():
        relevance = np.maximum(relevance, cues)  # the cue list spells out what the default question asks for

    scores = (
        weights["centrality"] * centrality
        + weights["agreement"] * agreement
        + weights["position"] * _position_scores(sentences, weights["position_decay"])
        + weights["cues"] * cues
    )
    # The focus question gates the rest: a sentence that answers nothing of it keeps only part of its score.
    scores = scores * (1 - weights["focus"] + weights["focus"] * relevance)
    scores = scores * _length_scores(lengths, int(weights["min_words"]), int(weights["max_words"]))
    return SentenceScores(sentences, similarity, scores, support)


def select_key_sentences(
    documents: list[Document], focus: str, max_words: int, max_points: int
) -> tuple[list[KeySentence], SentenceScores]:
    weights = prompts.toml("selection.toml")["multi_document"]
    scored = score_sentences(documents, focus, weights)
    lengths = np.array([len(s.text.split()) for s in scored.sentences])
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
    )
    key_sentences = []
    for pick in picks:
        sentence = scored.sentences[pick.index]
        sources = {sentence.article_index} | scored.support[pick.index]
        sources |= {scored.sentences[r].article_index for r in pick.repeats}
        ordered = [sentence.article_index, *sorted(sources - {sentence.article_index})]
        key_sentences.append(KeySentence(sentence, float(scored.scores[pick.index]), ordered))
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
