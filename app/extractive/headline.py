"""The briefing's headline: an article title that states the set's main outcome, with its sources.

A title that asks («عن ماذا أثمرت الزيارة؟») states nothing and never heads the briefing: when no declarative
title of an event report is left, the top outcome key sentence does, cut to its main clause when too long.
"""

from __future__ import annotations

import numpy as np

from app import prompts
from app.briefing import Headline
from app.documents import Document, Sentence, content_terms
from app.extractive.focus import cue_scores
from app.extractive.selector import KeySentence, SentenceScores, scaled_to_max
from app.extractive.vectors import SentenceSpace
from app.text.clauses import main_clause
from app.text.clean import is_boilerplate
from app.text.normalize import has_arabic

HEADLINE_MAX_WORDS = 25
HEADLINE_MIN_WORDS = 8


def _words(text: str) -> int:
    return len(text.split())


def _asks(title: str) -> bool:
    return title.rstrip(" .»\"'").endswith(("?", "؟"))


def choose_headline(documents: list[Document], key_sentences: list[KeySentence], scored: SentenceScores) -> Headline:
    """The title of an article reporting the event that states the set's main outcome: it matches the key
    points, is reported by many articles, and names an outcome; the top outcome point when no title fits."""
    roles = scored.event.roles
    titles = [
        (i, d.article.title.strip())
        for i, d in enumerate(documents)
        if 3 <= _words(d.article.title) <= 25
        and has_arabic(d.article.title, 5)
        and not is_boilerplate(d.article.title)
        and roles[i].is_event  # a preview's or another event's title never heads the briefing
        and not _asks(d.article.title)
    ]
    if not key_sentences:
        first = next((d for d, r in zip(documents, roles, strict=True) if r.is_event), documents[0])
        return Headline(text=first.article.title, sources=[first.article.id])
    if not titles:
        outcomes = sorted([k for k in key_sentences if not k.context] or key_sentences, key=lambda k: -k.score)
        for k in outcomes:
            if text := main_clause(k.sentence.text, HEADLINE_MAX_WORDS, HEADLINE_MIN_WORDS):
                return Headline(text=text, sources=[documents[i].article.id for i in k.sources])
        top = outcomes[0]
        return Headline(text=top.sentence.text, sources=[documents[i].article.id for i in top.sources])
    weights = prompts.toml("selection.toml")["multi_document"]
    title_terms = [content_terms(t) for _, t in titles]
    space = SentenceSpace([s.terms for s in scored.sentences] + title_terms)
    sentences, candidates = space.matrix[: len(scored.sentences)], space.matrix[len(scored.sentences) :]
    to_sentences = np.asarray((candidates @ sentences.T).toarray())
    article_of = np.array([s.article_index for s in scored.sentences])
    reported_by = [
        {int(a) for a in article_of[row >= weights["agreement_threshold"]]} | {index}
        for row, (index, _) in zip(to_sentences, titles, strict=True)
    ]
    row_of = {id(sentence): row for row, sentence in enumerate(scored.sentences)}
    key_rows = [row_of[id(k.sentence)] for k in key_sentences]
    key_weights = np.array([0.0 if k.context else k.score for k in key_sentences])
    match = scaled_to_max(to_sentences[:, key_rows] @ key_weights)
    support = np.array([len(r) for r in reported_by]) / len(documents)
    outcome = cue_scores([Sentence(t, i, 0, terms) for (i, t), terms in zip(titles, title_terms, strict=True)])
    score = match + support + outcome
    best = int(np.argmax(score))
    return Headline(text=titles[best][1], sources=[documents[i].article.id for i in sorted(reported_by[best])])
