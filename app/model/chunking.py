"""Split an article that is longer than the model's input limit into sentence chunks, and merge back.

Nothing is truncated: every sentence lands in exactly one chunk, in order; a single sentence longer than
the limit is cut between words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

TokenCounter = Callable[[list[str]], list[int]]  # texts -> token counts (without special tokens)


def _pack(units: list[str], sizes: list[int], budget: int) -> list[list[str]]:
    groups: list[list[str]] = []
    current: list[str] = []
    total = 0
    for unit, size in zip(units, sizes, strict=True):
        if current and total + size > budget:
            groups.append(current)
            current, total = [], 0
        current.append(unit)
        total += size
    if current:
        groups.append(current)
    return groups


def _fit(groups: list[list[str]], count: TokenCounter, budget: int) -> list[str]:
    """Joined text of each group; a group whose joined count exceeds the budget is halved until it fits.

    Counts of separately tokenized pieces are nearly but not exactly additive, hence the re-count.
    """
    out: list[str] = []
    texts = [" ".join(group) for group in groups]
    for group, text, size in zip(groups, texts, count(texts), strict=True):
        if size > budget and len(group) > 1:
            half = len(group) // 2
            out.extend(_fit([group[:half], group[half:]], count, budget))
        else:
            out.append(text)
    return out


def chunk_sentences(sentences: Sequence[str], count: TokenCounter, budget: int) -> list[str]:
    """Consecutive sentences packed greedily into chunks of at most `budget` tokens each."""
    if budget < 1:
        raise ValueError("budget must be positive")
    clean = [s.strip() for s in sentences if s and s.strip()]
    units: list[str] = []
    for sentence, size in zip(clean, count(clean), strict=True):
        if size <= budget:
            units.append(sentence)
            continue
        words = sentence.split()
        units.extend(_fit(_pack(words, count(words), budget), count, budget))
    return _fit(_pack(units, count(units), budget), count, budget)


def merge_summaries(parts: Sequence[str]) -> str:
    """Chunk summaries in article order, without repeating a text the model wrote twice."""
    seen: set[str] = set()
    kept: list[str] = []
    for part in parts:
        part = " ".join(part.split())
        if part and part not in seen:
            seen.add(part)
            kept.append(part)
    return " ".join(kept)
