"""Each article's short summary: a complete sentence that adds to the key points.

For every article, its best-scored sentence of 8–25 words that repeats neither a key point nor a summary
already given to another article. When no sentence of the article fits, a longer one is compressed: cut at
a clause boundary («، مشيرا…»، «حيث…»، «وذلك…») so that what remains is its complete main clause. A summary
is never cut mid-clause and never ends in «…».
"""

from __future__ import annotations

import re

import numpy as np

from app.documents import Document
from app.extractive.selector import SentenceScores
from app.text.normalize import normalize

MAX_WORDS = 25
MIN_WORDS = 8
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
_TRAILING = re.compile(r"[\s،,:؛\-–—(]+$")


def _words(text: str) -> int:
    return len(text.split())


def compress(sentence: str, max_words: int = MAX_WORDS, min_words: int = MIN_WORDS) -> str | None:
    """The sentence's main clause within max_words, ending at a clause boundary; None when there is none."""
    tokens = sentence.split()
    if len(tokens) <= max_words:
        return sentence
    best = conjunction = None
    for end in range(min_words, min(max_words, len(tokens) - 1) + 1):
        token, following = tokens[end - 1], normalize(tokens[end].strip("«\"'("))
        if token.endswith(("،", ",", "؛")) or following in _CLAUSE_OPENERS:
            best = end
        elif following.startswith("و") and len(following) > 3:
            conjunction = end  # «…وأكدت…»: a following coordinated clause, the weaker boundary
    best = best or conjunction
    if best is None:
        return None
    clause = _TRAILING.sub("", " ".join(tokens[:best]))
    if clause.count("(") > clause.count(")") or clause.count("«") > clause.count("»"):
        return None  # cutting inside brackets or a quotation leaves them open
    return clause + "."


def _fits(text: str) -> bool:
    return MIN_WORDS <= _words(text) <= MAX_WORDS


def article_summaries(
    documents: list[Document], scored: SentenceScores, key_rows: list[int], starts: np.ndarray, repeat: float
) -> list[str]:
    """One summary per document, in order (see the module docstring)."""
    given_rows: list[int] = []
    given_texts: set[str] = set()
    summaries = []
    for index, document in enumerate(documents):
        start = int(starts[index])
        rows = [start + int(i) for i in np.argsort(-scored.scores[start : start + len(document.sentences)])]

        def repeats(row: int) -> float:
            earlier = key_rows + given_rows
            if row in earlier:  # the similarity matrix may leave its diagonal at zero
                return 1.0
            return float(scored.similarity[row, earlier].max()) if earlier else 0.0

        choice = None
        for attempt in (lambda t: t if _fits(t) else None, compress):
            for row in rows:
                text = attempt(scored.sentences[row].text)
                if text and normalize(text) not in given_texts and repeats(row) < repeat:
                    choice = (row, text)
                    break
            if choice:
                break
        if choice is None:  # everything repeats: the least repeating complete sentence or main clause
            options = [(repeats(r), r, compress(scored.sentences[r].text)) for r in rows]
            options = [o for o in options if o[2] and normalize(o[2]) not in given_texts] or options
            _, row, text = min(options, key=lambda o: o[0])
            choice = (row, text or compress(_shortest(document)) or _shortest(document))
        given_rows.append(choice[0])
        given_texts.add(normalize(choice[1]))
        summaries.append(choice[1])
    return summaries


def _shortest(document: Document) -> str:
    return min((s.text for s in document.sentences), key=_words)


def capped(summary: str, fallback: str) -> str:
    """A model's summary within the 25-word cap: as it is, compressed to its main clause, else the fallback."""
    if _words(summary) <= MAX_WORDS:
        return summary
    return compress(summary) or fallback
