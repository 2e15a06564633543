"""Extractive baselines for EASC: lead-k and sumy's LexRank, TextRank, LSA and Luhn.

Every system here ranks the article's sentences; the summary is then built the same way for all of
them (`compose`): take sentences best-first until the word budget is reached, put them back in
article order, cut at the budget. Sentences come from our own splitter, because sumy's Arabic
tokenizer relies on NLTK punkt data that is neither shipped nor downloadable here.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from functools import cache

from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from app.text.normalize import stem, words
from evaluation.easc import word_count

Splitter = Callable[[str], list[str]]

Ranker = Callable[[Sequence[str]], list[int]]
"""Sentence indices, best first."""


def article_sentences(text: str, title: str = "", split: Splitter | None = None) -> list[str]:
    """The article's sentences as every system sees them: cleaned (hard-wrapped lines joined), then split."""
    from app.text.clean import clean_text

    if split is None:
        from app.text.sentences import split_sentences as split
    cleaned = clean_text(text, title)
    return split(getattr(cleaned, "text", cleaned))


def truncate_to_budget(text: str, budget: int) -> str:
    """Keep whole whitespace tokens while the ROUGE word count stays within the budget."""
    kept: list[str] = []
    used = 0
    for token in text.split():
        n = word_count(token)
        if used + n > budget:
            break
        kept.append(token)
        used += n
    return " ".join(kept)


def compose(sentences: Sequence[str], ranking: Sequence[int], budget: int) -> str:
    """Best-ranked sentences until the budget is met, in article order, cut at the budget."""
    chosen: list[int] = []
    used = 0
    for index in ranking:
        if used >= budget:
            break
        chosen.append(index)
        used += word_count(sentences[index])
    return truncate_to_budget(" ".join(sentences[i] for i in sorted(chosen)), budget)


def lead_ranking(sentences: Sequence[str]) -> list[int]:
    return list(range(len(sentences)))


class _SumyTokenizer:
    """sumy's tokenizer interface backed by our sentence splitter and normalized words."""

    def __init__(self, split: Splitter) -> None:
        self._split = split

    def to_sentences(self, text: str) -> list[str]:
        return self._split(text)

    @staticmethod
    def to_words(sentence: str) -> list[str]:
        return words(sentence)


@cache
def _stop_words() -> frozenset[str]:
    # sumy ships an Arabic stop list; fold it the same way our tokenizer folds the text.
    return frozenset(w for entry in get_stop_words("arabic") for w in words(entry))


def _sumy_ranker(summarizer_class: type) -> Ranker:
    def rank(sentences: Sequence[str]) -> list[int]:
        if not sentences:
            return []
        tokenizer = _SumyTokenizer(lambda text: [text])
        document = ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in sentences])])
        summarizer = summarizer_class(stem)
        summarizer.stop_words = _stop_words()
        ranked: list = []

        def keep_all(infos: list) -> list:  # sumy passes every sentence, best rated first
            ranked.extend(infos)
            return infos

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # LSA warns when an article has few sentences
            summarizer(document, keep_all)
        return [info.order for info in ranked]

    return rank


RANKERS: dict[str, Ranker] = {
    "lead": lead_ranking,
    "lexrank": _sumy_ranker(LexRankSummarizer),
    "textrank": _sumy_ranker(TextRankSummarizer),
    "lsa": _sumy_ranker(LsaSummarizer),
    "luhn": _sumy_ranker(LuhnSummarizer),
}


def summarize_with(name: str, sentences: Sequence[str], budget: int) -> str:
    return compose(sentences, RANKERS[name](sentences), budget)
