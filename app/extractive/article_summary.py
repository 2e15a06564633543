"""Each article's short summary: a complete sentence that adds to the key points.

For every article, a whole sentence of 8–25 words that the key points and the summaries already given to
other articles do not say. Candidates are the article's sentences that fit, then longer ones compressed: cut at
a clause boundary («، مشيرا…»، «حيث…»، «وذلك…»)، else before a trailing prepositional phrase («…في…»), so that
what remains is its main clause; a sentence opening with a dependent phrase («وبناءً على…») is not cut, nor one
whose reported speech («قال إن…») would lose its predicate. A candidate must read as a whole sentence: not a
piece of a longer one (ending in «،» or «:», or following a sentence that does), no verse braces, no glued
full stop, balanced quotes and brackets, nothing app.text.standalone rejects.

Two passes. First the best-scored candidate that repeats nothing (TF-IDF cosine below REPEAT_SIMILARITY with
every earlier text, and at most REPEAT_CONTAINMENT of its stems in any one). When none is left, the candidate
with the most word stems no earlier text has (a name, a place, a figure, a consequence), provided it has at
least MIN_NEW_STEMS of them and is not mostly (ADDED_CONTAINMENT) inside one earlier text. Only when neither
pass finds one (an exact or syndicated copy) does the summary say so (NOTHING_NEW). A summary is never cut
mid-clause and never ends in «…».
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

from app.documents import Document
from app.extractive.selector import SentenceScores
from app.text.normalize import normalize, stems
from app.text.standalone import NEEDS_MORE, bare_word, reads_whole

MAX_WORDS = 25
MIN_WORDS = 8
# A candidate repeats an earlier text when their TF-IDF cosine reaches REPEAT_SIMILARITY or when most of its
# word stems (REPEAT_CONTAINMENT) are in it: a sentence on the same event that adds a new fact shares its
# topic words with the key points, so the key-point repeat threshold (0.22) would leave too little.
REPEAT_SIMILARITY = 0.45
REPEAT_CONTAINMENT = 0.6
# The second pass: a sentence on the same fact that still names something new (who condemned, where, how
# many) adds to the briefing; it may share up to ADDED_CONTAINMENT of its stems with one earlier text.
MIN_NEW_STEMS = 3
ADDED_CONTAINMENT = 0.75
NOTHING_NEW = "لا يضيف جديدًا إلى ما سبق."
# Words that open a subordinate or following clause: the main clause before them stands on its own.
_CLAUSE_OPENERS = frozenset(
    normalize(w)
    for w in (
        "حيث", "وذلك", "فيما", "بينما", "إذ", "كما", "والتي", "والذي", "الذي", "التي", "الذين", "بعدما",
        "وسط", "بهدف", "مشيرا", "مشيرة", "مؤكدا", "مؤكدة", "موضحا", "موضحة", "لافتا", "لافتة", "مضيفا",
        "مضيفة", "معتبرا", "معتبرة", "مبينا", "مبينة", "وأضاف", "وأشار", "وأكد", "وقال", "لكن", "ولكن",
        "وأوضح", "وبين", "ومن", "وفي", "وقد", "وكان", "وكانت", "ليصل", "لتصل", "مما",
    )
)  # fmt: skip
_DEPENDENT_OPENERS = frozenset(
    normalize(w) for w in ("وبناء", "بناء", "وبناءً", "بناءً", "ونظرا", "نظرا", "وفي", "في", "وعلى", "على", "ومن", "من",
                           "وبعد", "بعد", "وخلال", "خلال", "وفيما", "فيما", "وإذ", "إذ", "ولما", "لما", "وعقب", "عقب",
                           "أثناء", "وأثناء", "عند", "وعند")
)  # fmt: skip
# Prepositions of time and place open a trailing circumstance; «من، على، إلى، عن» often complete the word before
# them («كمية من…»، «حرص على…») and are no boundary.
_PREPOSITIONS = frozenset(normalize(w) for w in ("في", "بعد", "عقب", "خلال", "قبل", "منذ"))
# «قال إن العاهل السعودي، الملك…»: what follows «إن/أن» must keep its predicate; a clause needs a few words after it.
_COMPLEMENTIZERS = frozenset(normalize(w) for w in ("إن", "أن", "بأن", "وأن", "أنه", "أنها", "إنه", "إنها", "بأنه"))
MIN_WORDS_AFTER_COMPLEMENTIZER = 4
_REPORTING = frozenset(
    normalize(w)
    for w in ("قال", "قالت", "أكد", "أكدت", "أوضح", "أوضحت", "أشار", "أشارت", "اعتبر", "اعتبرت", "أضاف", "أضافت",
              "ذكر", "ذكرت", "بين", "بينت", "لفت", "لفتت", "شدد", "شددت", "رأى", "صرح", "صرحت", "أفاد", "أفادت")
)  # fmt: skip
_RELATIVES = frozenset(normalize(w) for w in ("الذي", "التي", "الذين", "اللذين", "اللتين", "اللاتي", "اللواتي"))
_TRAILING = re.compile(r"[\s،,:؛.\-–—(]+$")


def _words(text: str) -> int:
    return len(text.split())


def _keeps_predicate(tokens: list[str]) -> bool:
    """Whether a clause cut after these tokens still says something: a reporting verb keeps what is reported
    («اعتبر الشيخ، تعليقًا منه…» without it does not), reported speech keeps its predicate («…إن العاهل
    السعودي» and «أن المشروع الذي سيتم…» do not), and the clause does not end on a word that needs one after
    it («…مع»)."""
    bare = [bare_word(t) for t in tokens]
    if bare[-1] in NEEDS_MORE:
        return False
    commas = [i for i, t in enumerate(tokens[:-1]) if t.endswith(("،", ","))]
    if commas and bare[commas[-1] + 1] in _RELATIVES:
        return False  # «أصبحت عدن، التي حررتها القوات…،»: the cut closes a parenthesis; the predicate follows
    last = max((i for i, t in enumerate(bare) if t in _COMPLEMENTIZERS), default=None)
    if last is None:
        opening = bare[0][1:] if bare[0].startswith("و") and bare[0][1:] in _REPORTING else bare[0]
        return opening not in _REPORTING or any(t.endswith(":") for t in tokens)
    tail = tokens[last + 1 :]
    if tail and bare_word(tail[0]) in _DEPENDENT_OPENERS:  # «أنه أثناء قيام…، حدث تفجير»: the predicate comes late
        comma = next((i for i, t in enumerate(tail) if t.endswith(("،", ","))), None)
        tail = tail[comma + 1 :] if comma is not None else []
    if any(bare_word(t) in _RELATIVES for t in tail[:3]):
        return False
    return len(tail) >= MIN_WORDS_AFTER_COMPLEMENTIZER


def compress(sentence: str, max_words: int = MAX_WORDS, min_words: int = MIN_WORDS) -> str | None:
    """The sentence's main clause within max_words, ending at a clause boundary; None when there is none."""
    tokens = sentence.split()
    if len(tokens) <= max_words:
        return sentence
    # «وبناءً على ما رفعته الوزارة، وافق المجلس…»: the main clause comes after the opening phrase's comma;
    # a cut must keep a few of its words, or it would keep only the opener.
    main_from = 0
    if normalize(tokens[0]) in _DEPENDENT_OPENERS:
        comma = next((i for i, t in enumerate(tokens[:max_words]) if t.endswith(("،", ","))), None)
        if comma is None:
            return None
        main_from = comma + 1 + MIN_WORDS_AFTER_COMPLEMENTIZER
    best = phrase = None
    for end in range(max(min_words, main_from), min(max_words, len(tokens) - 1) + 1):
        token, following = tokens[end - 1], normalize(tokens[end].strip("«\"'("))
        if not _keeps_predicate(tokens[:end]):
            continue
        if token.endswith(("،", ",", "؛")) or following in _CLAUSE_OPENERS:
            best = end
        elif following in _PREPOSITIONS and end >= 12 and not normalize(token).startswith("ي"):
            phrase = end  # «… في منطقة جازان»: a trailing circumstance, the weaker boundary («يشارك في» is not)
    best = best or phrase
    if best is None:
        return None
    clause = _TRAILING.sub("", " ".join(tokens[:best]))
    pairs = (("(", ")"), ("«", "»"), ("“", "”"))
    if any(clause.count(a) > clause.count(b) for a, b in pairs) or clause.count('"') % 2:
        return None  # cutting inside brackets or a quotation leaves them open
    return clause + "."


def _fits(text: str) -> bool:
    return MIN_WORDS <= _words(text) <= MAX_WORDS


def _candidates(document: Document, order: list[int]) -> Iterator[tuple[int, str]]:
    """(sentence index, text): the article's sentences that fit as they are, best first, then compressed."""
    for attempt in (lambda t: t if _fits(t) else None, compress):
        for j in order:
            text = attempt(document.sentences[j].text)
            previous = document.sentences[j - 1].text if j > 0 else None
            if text and _fits(text) and reads_whole(text, previous):
                yield j, text


def _containment(own: set[str], earlier: list[set[str]]) -> float:
    return max((len(own & other) / len(own) for other in earlier), default=0.0) if own else 1.0


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
        order = [int(i) for i in np.argsort(-scored.scores[start : start + len(document.sentences)], kind="stable")]
        told = set().union(*earlier_stems)
        earlier_rows = key_rows + given_rows
        choice = added = None
        best_new = MIN_NEW_STEMS - 1
        for j, text in _candidates(document, order):
            row = start + j
            if row in earlier_rows or normalize(text) in given_texts:
                continue
            own = set(stems(text))
            similarity = float(scored.similarity[row, earlier_rows].max()) if earlier_rows else 0.0
            contained = _containment(own, earlier_stems)
            if contained < REPEAT_CONTAINMENT and similarity < REPEAT_SIMILARITY:
                choice = (row, text)
                break
            new = len(own - told)
            if new > best_new and contained < ADDED_CONTAINMENT:
                best_new, added = new, (row, text)
        choice = choice or added
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
