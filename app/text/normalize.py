"""Arabic normalization for matching only; the text shown to readers keeps its spelling."""

from __future__ import annotations

import re
from functools import lru_cache

import pyarabic.araby as araby

_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3]")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_WORD = re.compile(r"[\u0621-\u064A\u0671-\u06D3]+|[0-9]+(?:[.,][0-9]+)*|[A-Za-z]+")
# Light10 (Larkey, Ballesteros & Connell 2007), on normalized text, plus the tanween alef of news prose.
_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


def normalize(text: str) -> str:
    """Fold spelling variants: diacritics, tatweel, alef/hamza forms, ى→ي, ة→ه, Arabic-Indic digits."""
    text = araby.strip_diacritics(text)
    text = araby.strip_tatweel(text)
    text = araby.normalize_ligature(text)
    text = re.sub("[أإآٱ]", "ا", text)
    text = text.replace("ى", "ي").replace("ة", "ه").replace("ؤ", "و").replace("ئ", "ي")
    text = text.replace("اميرك", "امريك")  # أميركي and أمريكي are one word in two spellings
    return text.translate(_DIGITS)


def words(text: str) -> list[str]:
    """Normalized word tokens (Arabic words, numbers with their separators, Latin words lower-cased)."""
    return [w.lower() for w in _WORD.findall(normalize(text))]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light stem of a normalized word, so الاتفاق, والاتفاقات, اتفاقيه and اتفاقا share اتفاق."""
    if len(word) >= 4 and word[0] == "و":
        word = word[1:]
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
    if len(word) >= 5 and word.endswith("ا"):
        word = word[:-1]
    return word


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def arabic_letter_count(text: str) -> int:
    return len(_ARABIC_LETTER.findall(text))


def has_arabic(text: str, minimum: int = 10) -> bool:
    return arabic_letter_count(text) >= minimum
