"""An Arabic sentence's main clause: where a long sentence may be cut so that what remains still stands.

Cut at a clause boundary («، مشيرا…»، «حيث…»، «وذلك…»)، else before a trailing prepositional phrase («…في…»);
never inside brackets or a quotation, never so that reported speech («قال إن…») loses its predicate, and not
at all when the sentence opens with a dependent phrase («وبناءً على…») whose comma comes too late. Used for
article summaries (app/extractive/article_summary.py) and outcome headlines (app/extractive/headline.py).
"""

from __future__ import annotations

import re

from app.text.normalize import normalize
from app.text.standalone import NEEDS_MORE, bare_word

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


def main_clause(sentence: str, max_words: int, min_words: int) -> str | None:
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
