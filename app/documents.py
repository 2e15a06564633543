"""An article made ready for selection: clean paragraphs, sentences, and their matching tokens."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from app.articles import Article
from app.text.clean import clean_text
from app.text.normalize import has_arabic, stem, words
from app.text.sentences import split_sentences


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    import arabicstopwords.arabicstopwords as stp

    from app.text.normalize import normalize

    return frozenset(normalize(w) for w in stp.stopwords_list())


def content_terms(text: str) -> list[str]:
    """Stems of the words that carry meaning: stop words dropped, numbers kept whole."""
    stop = _stopwords()
    return [w if w[0].isdigit() else stem(w) for w in words(text) if w not in stop and len(w) > 1]


@dataclass
class Sentence:
    text: str
    article_index: int
    position: int  # 0-based position of the sentence in its article
    terms: list[str]


@dataclass
class Document:
    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    published_at: datetime | None = None  # the article's own date, else a date line found in its text

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


def prepare(article: Article, index: int) -> Document:
    clean = clean_text(article.text, article.title)
    sentences = [
        Sentence(text=text, article_index=index, position=position, terms=content_terms(text))
        for position, text in enumerate(split_sentences(clean.text))
    ]
    published = article.published_at
    if published is None and clean.dateline_date is not None:
        published = clean.dateline_date.replace(tzinfo=clean.dateline_date.tzinfo or UTC)
    return Document(article=article, sentences=[s for s in sentences if s.terms], published_at=published)


def is_usable(document: Document) -> bool:
    return bool(document.sentences) and has_arabic(document.text)
