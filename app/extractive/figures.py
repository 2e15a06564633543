"""The figures a sentence reports, and the word each one counts.

A figure is a number written in digits (Arabic-Indic digits folded to ASCII), with its decimal part:
«50.35»، «2,500» (a thousands separator) and «2٫5» are read as 50.35, 2500 and 2.5. Years 1900–2099 are not
figures here: they date a fact, they do not state it. A Hijri year (1300–1499 written with «هـ») is kept as
a `date` figure, like the day of a date (below). Clock
times («10:30»، «0515 بتوقيت جرينتش»، «الساعة 15ر05») are figures marked `clock`: a citation still needs them
(strict), but two outlets giving different times is not a conflict about the fact. Days of a date («24
يوليو»، «20 / 10 / 1436هـ») are figures marked `date`, in the same way: a citation needs them, but they date
the fact rather than state it. «ر» between digits is the decimal mark some agencies type («50ر35»).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.text.normalize import normalize, stem

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NUMBER = re.compile(r"(?<![\w.,٫])\d+(?:(?:[.,٫ر])\d+)*(?![\w])")
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_HIJRI_AFTER = re.compile(r"^\s*(?:هـ|ه\b|هجري)")
_HIJRI_GLUED = re.compile(r"(?<=\d)(?=هـ|ه\b)")
_WORD = re.compile(r"[\u0621-\u064A]+")
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
_TIME_AFTER = ("بتوقيت", "توقيت", "جرينتش", "غرينتش", "صباحا", "مساء", "ظهرا", "عصرا", "فجرا", "ليلا")
_TIME_BEFORE = ("الساعه", "ساعه")
_MONTHS = frozenset(
    normalize(m)
    for m in (
        *("يناير", "فبراير", "مارس", "أبريل", "ابريل", "مايو", "يونيو", "يونيه", "يوليو", "يوليه", "أغسطس"),
        *("سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر", "كانون", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز"),
        *("آب", "أيلول", "تشرين", "محرم", "صفر", "ربيع", "جمادى", "رجب", "شعبان", "رمضان", "شوال", "ذو"),
    )
)
_DATE_PARTS = re.compile(r"\d{1,2}\s*[/-]\s*\d{1,2}\s*[/-]\s*\d{2,4}|\d{4}\s*/\s*\d{1,2}\s*/\s*\d{1,2}")


@dataclass(frozen=True)
class Figure:
    value: str  # canonical: «2500»، «50.35»
    unit: str  # stem of the word right after the figure (what it counts), "" when none
    clock: bool = False  # a time of day
    date: bool = False  # the day or month of a date


def _canonical(raw: str) -> str:
    if _THOUSANDS.match(raw):
        return raw.replace(",", "")
    text = raw.replace("٫", ".").replace(",", ".").replace("ر", ".")
    if text.count(".") > 1:  # 1.250.000: dots as thousands separators
        return text.replace(".", "")
    if "." in text:
        whole, fraction = text.split(".")
        fraction = fraction.rstrip("0")
        return f"{int(whole)}.{fraction}" if fraction else str(int(whole))
    return str(int(text))


def _is_year(value: str, after: str) -> bool:
    if not value.isdigit() or len(value) != 4:
        return False
    number = int(value)
    return 1900 <= number <= 2099 or (1300 <= number <= 1499 and bool(_HIJRI_AFTER.match(after)))


def figures(text: str) -> list[Figure]:
    """Figures of a text in order, years left out."""
    folded = _HIJRI_GLUED.sub(" ", text.translate(_DIGITS))  # «1436هـ» written without a space
    clocks = [m.span() for m in _CLOCK.finditer(folded)]
    dates = [m.span() for m in _DATE_PARTS.finditer(folded)]
    found = []
    for match in _NUMBER.finditer(folded):
        value = _canonical(match.group())
        after = folded[match.end() : match.end() + 40]
        if _is_year(value, after):
            if not value.startswith(("19", "20")):  # a Hijri year dates the fact like a day does: needed, no quantity
                found.append(Figure(value, "", date=True))
            continue
        following = _WORD.search(normalize(after))
        next_word = following.group() if following and following.start() <= 3 else ""
        previous = normalize(folded[max(0, match.start() - 12) : match.start()]).split()
        clock = (
            any(lo <= match.start() < hi for lo, hi in clocks)
            or next_word in _TIME_AFTER
            or bool(previous and previous[-1] in _TIME_BEFORE)
        )
        date = any(lo <= match.start() < hi for lo, hi in dates) or (
            value.isdigit() and 1 <= int(value) <= 31 and next_word in _MONTHS
        )
        found.append(Figure(value, stem(next_word) if next_word else "", clock and not date, date))
    return found


def figure_values(text: str) -> set[str]:
    return {f.value for f in figures(text)}
