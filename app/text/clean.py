"""Clean scraped article text: keep the article's own sentences, drop site junk.

Junk patterns and datelines live in prompts/ (boilerplate.txt, datelines.txt) so editors can extend
them. Besides those, a line is dropped when it has (almost) no Arabic, is only a date, repeats the title,
is a short heading or related-story link, or is a pull-quote repeating a body paragraph. A heading glued to
its paragraph on the same line is cut off (app/text/headings.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from app import prompts
from app.text.headings import strip_glued_heading
from app.text.normalize import arabic_letter_count, normalize, stems

# Zero-width characters, bidi controls (embeddings, overrides, isolates, the Arabic letter mark), NUL and
# other C0 controls: they only steer display and would reorder or hide text in our own pages.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_TERMINAL = re.compile(r"[.!?؟؛…:\"'»”)\]]\s*$")
_DATE_LINE = re.compile(r"^[\w\s/.,\-–]{0,40}\b(1[89]|20)\d\d\b[\w\s/.,:\-–]{0,20}$")
_BULLET = re.compile(r"^\s*[*•\-–ـ]\s")

MIN_BODY_WORDS = 6
PULL_QUOTE_OVERLAP = 0.8


@dataclass(frozen=True)
class CleanText:
    paragraphs: list[str]
    dateline_date: datetime | None  # a date found on its own line near the top, when the caller gave none

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@lru_cache(maxsize=4)
def _patterns(name: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(normalize(line), re.IGNORECASE) for line in prompts.lines(name))


def is_boilerplate(line: str) -> bool:
    folded = normalize(line)
    return any(p.search(folded) for p in _patterns("boilerplate.txt"))


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped text (as in EASC) has many long lines that stop mid-sentence."""
    long_lines = sorted(len(ln) for ln in lines if len(ln) >= 40)
    if len(long_lines) < 4 or long_lines[int(0.9 * (len(long_lines) - 1))] > 100:
        return False  # wrapped text never runs past its wrap width
    open_ended = sum(1 for ln in lines if len(ln) >= 40 and not _TERMINAL.search(ln))
    return open_ended / len(long_lines) > 0.4


def _paragraphs(text: str) -> list[str]:
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    raw = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    raw = ["" if line and is_boilerplate(line) else line for line in raw]
    if not _is_hard_wrapped([ln for ln in raw if ln]):
        return [ln for ln in raw if ln]
    joined: list[str] = []
    current = ""
    for line in raw:
        if not line or _BULLET.match(line):
            if current:
                joined.append(current)
            current = line
            continue
        if not current and len(line) < 40 and not _TERMINAL.search(line):
            joined.append(line)  # a short line opening a paragraph is a sub-heading: never glue it to the text
            continue
        current = f"{current} {line}" if current else line
        if _TERMINAL.search(line) and len(line) < 40:
            joined.append(current)
            current = ""
    if current:
        joined.append(current)
    return [p for p in joined if p]


def _parse_date_line(line: str) -> datetime | None:
    if not _DATE_LINE.match(line) or len(line.split()) > 6:
        return None
    import dateparser  # slow to import; only needed for articles that carry a date line

    return dateparser.parse(line, languages=["ar", "en"], settings={"DATE_ORDER": "DMY"})


def _strip_dateline(paragraph: str, name: str = "datelines.txt") -> str:
    folded = normalize(paragraph)
    for pattern in _patterns(name):
        match = pattern.match(folded)
        if match:
            n_tokens = len(match.group(0).split())
            parts = paragraph.split(maxsplit=n_tokens)
            if len(parts) > n_tokens:
                return parts[n_tokens]
    return paragraph


def _is_heading(paragraph: str, words: int) -> bool:
    """Short lines without closing punctuation are sub-headings or links to other stories."""
    if words < MIN_BODY_WORDS:
        return True
    if words < 10 and paragraph.rstrip().endswith(("?", "؟")) and not _BULLET.match(paragraph):
        return True
    return words < 14 and not _TERMINAL.search(paragraph)


def _overlap(small: set[str], big: set[str]) -> float:
    return len(small & big) / len(small) if small else 0.0


def clean_text(text: str, title: str = "") -> CleanText:
    """The article's own paragraphs, in order, with junk lines removed."""
    title_key = normalize(title).strip(" ?؟.!")
    kept: list[str] = []
    kept_stems: list[set[str]] = []
    found_date: datetime | None = None
    for index, paragraph in enumerate(_paragraphs(text)):
        if arabic_letter_count(paragraph) < 8 or is_boilerplate(paragraph):
            if found_date is None and index < 8:
                found_date = _parse_date_line(paragraph)
            continue
        if title_key and normalize(paragraph).strip(" ?؟.!") == title_key:
            continue
        if found_date is None and index < 8 and (date := _parse_date_line(paragraph)):
            found_date = date
            continue
        words = len(paragraph.split())
        if _is_heading(paragraph, words):
            continue
        paragraph = strip_glued_heading(paragraph)
        paragraph = _strip_dateline(paragraph, "agency_datelines.txt")
        if len(kept) < 2:
            paragraph = _strip_dateline(paragraph)
        paragraph_stems = set(stems(paragraph))
        if any(_overlap(paragraph_stems, earlier) >= PULL_QUOTE_OVERLAP for earlier in kept_stems):
            continue
        kept.append(paragraph)
        kept_stems.append(paragraph_stems)
    return CleanText(paragraphs=kept, dateline_date=found_date)
