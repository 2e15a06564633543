"""Maximal Marginal Relevance (Carbonell & Goldstein 1998) under a word budget, folding repeats.

A candidate too similar to a kept sentence is a repeat: it is not shown, but its article becomes a
source of the kept one, so a fact reported by several outlets is said once and credited to all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Pick:
    index: int
    repeats: list[int] = field(default_factory=list)


def select(
    scores: np.ndarray,
    similarity: np.ndarray,
    lengths: np.ndarray,
    *,
    budget_words: int,
    max_items: int,
    trade_off: float = 0.7,
    repeat_threshold: float = 0.45,
    fill: bool = False,
    article_of: np.ndarray | None = None,
    same_article_threshold: float | None = None,
    fill_gaps: bool = False,
    eligible: np.ndarray | None = None,
    one_fact: np.ndarray | None = None,
) -> list[Pick]:
    """Pick sentences best-first; with fill, the last pick may overrun the budget (the caller cuts it);
    with fill_gaps, a sentence that does not fit gives way to the next one that does. Only `eligible`
    sentences (default: all) are picked. Sentences marked in `one_fact` all tell the same fact (leads that
    state the set's main outcome): once one is kept, the others repeat it whatever their wording."""
    picks: list[Pick] = []
    used = 0
    remaining = set(range(len(scores))) if eligible is None else set(np.flatnonzero(eligible).tolist())
    while remaining and len(picks) < max_items:
        candidates = np.fromiter(remaining, dtype=int)
        if picks:
            kept = np.array([p.index for p in picks])
            pairs = similarity[np.ix_(candidates, kept)]
            redundancy = pairs.max(axis=1)
            repeats = (pairs >= repeat_threshold).any(axis=1)
            if article_of is not None and same_article_threshold is not None:
                # An article restating itself (standfirst, pull-quote, summary line) shares fewer words.
                same = article_of[candidates][:, None] == article_of[kept][None, :]
                repeats |= (same & (pairs >= same_article_threshold)).any(axis=1)
            if one_fact is not None and one_fact[kept].any():
                repeats |= one_fact[candidates]
        else:
            redundancy = np.zeros(len(candidates))
            repeats = np.zeros(len(candidates), dtype=bool)
        for candidate in candidates[repeats]:
            owners = [p for p in picks if one_fact is not None and one_fact[candidate] and one_fact[p.index]]
            owner = max(owners or picks, key=lambda p: similarity[candidate, p.index])
            owner.repeats.append(int(candidate))
            remaining.discard(int(candidate))
        fresh = ~repeats
        if not fresh.any():
            break
        marginal = trade_off * scores[candidates[fresh]] - (1 - trade_off) * redundancy[fresh]
        best = int(candidates[fresh][int(np.argmax(marginal))])
        remaining.discard(best)
        if used + lengths[best] > budget_words and not fill:
            if used >= 0.8 * budget_words and not fill_gaps:
                break
            continue
        picks.append(Pick(best))
        used += int(lengths[best])
        if used >= budget_words:
            break
    _attach_repeats(picks, remaining, similarity, repeat_threshold)
    return picks


def _attach_repeats(picks: list[Pick], remaining: set[int], similarity: np.ndarray, threshold: float) -> None:
    """Sentences never reached by the loop still credit their article when they repeat a kept one."""
    if not picks or not remaining:
        return
    kept = np.array([p.index for p in picks])
    for candidate in remaining:
        row = similarity[candidate, kept]
        if row.max() >= threshold:
            picks[int(np.argmax(row))].repeats.append(candidate)
