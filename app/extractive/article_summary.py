"""Each article's short summary: a complete sentence that adds to the key points.

For every article, its best-scored sentence of 8–25 words that repeats neither a key point nor a summary
already given to another article. When no sentence of the article fits, a longer one is compressed: cut at
a clause boundary («، مشيرا…»، «حيث…»، «وذلك…»)، else before a trailing prepositional phrase («…في…»), so that
what remains is its main clause; a sentence opening with a dependent phrase («وبناءً على…») is not cut. A
summary is never cut mid-clause and never ends in «…». When every sentence of the article repeats the key
points or an earlier summary (syndicated agency copy), the summary says so (NOTHING_NEW) instead.
"""

from __future__ import annotations

import re

import numpy as np

from app.documents import Document
from app.extractive.selector import SentenceScores
from app.text.normalize import normalize, stems

MAX_WORDS = 25
MIN_WORDS = 8
# A candidate repeats an earlier text when their TF-IDF cosine reaches REPEAT_SIMILARITY or when most of its
# word stems (REPEAT_CONTAINMENT) are in it: a sentence on the same event that adds a new fact shares its
# topic words with the key points, so the key-point repeat threshold (0.22) would leave too little.
REPEAT_SIMILARITY = 0.45
REPEAT_CONTAINMENT = 0.6
NOTHING_NEW = "لا يضيف جديدًا إلى ما سبق."
# Words that open a subordinate or following clause: the main clause before them stands on its own.
_CLAUSE_OPENERS = frozenset(
    normalize(w)
    for w in (
        "حيث", "وذلك", "فيما", "بينما", "إذ", "كما", "والتي", "والذي", "الذي", "التي", "الذين", "بعدما",
        "وسط", "بهدف", "مشيرا", "مشيرة", "مؤكدا", "مؤكدة", "موضحا", "موضحة", "لافتا", "لافتة", "مضيفا",
        "مضيفة", "معتبرا", "معتبرة", "مبينا", "مبينة", "وأضاف", "وأشار", "وأكد", "وقال", "لكن", "ولكن",
        "وأوضح", "وبين", "ومن", "وفي", "وقد", "وكان", "وكانت", "ليصل", "لتصل", "ما", "مما",
    )
)  # fmt: skip
_DEPENDENT_OPENERS = frozenset(
    normalize(w) for w in ("وبناء", "بناء", "وبناءً", "بناءً", "ونظرا", "نظرا", "وفي", "في", "وعلى", "على", "ومن", "من",
                           "وبعد", "بعد", "وخلال", "خلال", "وفيما", "فيما", "وإذ", "إذ", "ولما", "لما", "وعقب", "عقب")
)
_PREPOSITIONS = frozenset(normalize(w) for w in ("في", "على", "من", "إلى", "عن", "بعد", "عقب", "خلال", "قبل", "منذ"))
_TRAILING = re.compile(r"[\s،,:؛\-–—(]+$")


def _words(text: str) -> int:
    return len(text.split())


def compress(sentence: str, max_words: int = MAX_WORDS, min_words: int = MIN_WORDS) -> str | None:
    """The sentence's main clause within max_words, ending at a clause boundary; None when there is none."""
    tokens = sentence.split()
    if len(tokens) <= max_words:
        return sentence
    if normalize(tokens[0]) in _DEPENDENT_OPENERS:
        return None  # «وبناءً على…»: the main clause comes late; any cut would keep only the opener
    best = phrase = None
    for end in range(min_words, min(max_words, len(tokens) - 1) + 1):
        token, following = tokens[end - 1], normalize(tokens[end].strip("«\"'("))
        if token.endswith(("،", ",", "؛")) or following in _CLAUSE_OPENERS:
            best = end
        elif following in _PREPOSITIONS and end >= 12:
            phrase = end  # «… في منطقة جازان»: a trailing circumstance, the weaker boundary
    best = best or phrase
    if best is None:
        return None
    clause = _TRAILING.sub("", " ".join(tokens[:best]))
    if clause.count("(") > clause.count(")") or clause.count("«") > clause.count("»"):
        return None  # cutting inside brackets or a quotation leaves them open
    return clause + "."


def _fits(text: str) -> bool:
    return MIN_WORDS <= _words(text) <= MAX_WORDS


def _contained(text: str, earlier: list[set[str]]) -> bool:
    own = set(stems(text))
    return bool(own) and any(len(own & other) / len(own) >= REPEAT_CONTAINMENT for other in earlier)


def article_summaries(
    documents: list[Document], scored: SentenceScores, key_rows: list[int], starts: np.ndarray
) -> list[tuple[str, bool]]:
    """(summary, adds) per document, in order; adds is False when the summary is NOTHING_NEW."""
    given_rows: list[int] = []
    given_texts: set[str] = set()
    earlier_stems = [set(stems(scored.sentences[row].text)) for row in key_rows]
    summaries = []
    for index, document in enumerate(documents):
        start = int(starts[index])
        rows = [start + int(i) for i in np.argsort(-scored.scores[start : start + len(document.sentences)])]

        def repeats(row: int, text: str) -> bool:
            earlier = key_rows + given_rows
            if row in earlier or _contained(text, earlier_stems):
                return True
            return bool(earlier) and float(scored.similarity[row, earlier].max()) >= REPEAT_SIMILARITY

        choice = None
        for attempt in (lambda t: t if _fits(t) else None, compress):
            for row in rows:
                text = attempt(scored.sentences[row].text)
                if text and normalize(text) not in given_texts and not repeats(row, text):
                    choice = (row, text)
                    break
            if choice:
                break
        if choice is None:
            summaries.append((NOTHING_NEW, False))
            continue
        given_rows.append(choice[0])
        given_texts.add(normalize(choice[1]))
        earlier_stems.append(set(stems(choice[1])))
        summaries.append((choice[1], True))
    return summaries


def capped(summary: str, fallback: str) -> str:
    """A model's summary within the 25-word cap: as it is, compressed to its main clause, else the fallback."""
    if _words(summary) <= MAX_WORDS:
        return summary
    return compress(summary) or fallback
