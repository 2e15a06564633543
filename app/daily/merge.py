"""Fragments of one event, merged before ranking: stories that share the event's rare names and place.

The grouping splits a big event by angle: the bombing itself, the governor at the hospital, the mufti's
condemnation, the neighbours' cables. Each part is pure, but ranked apart they bury the day's biggest
event under smaller ones. Every story has a core: the words in the headline and opening of at least half of
its articles. Where that core is rare in the day (names of people and places, not "ministry" or "today"),
two stories whose cores mostly coincide tell one event.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

# A core word is in at most this share of the day's articles (and at most RARE_MIN_DOCS when the day is small).
RARE_DF_SHARE = 0.05
RARE_MIN_DOCS = 15
OPENING_WORDS = 40  # names, place and what happened are in the headline and the first sentences
CORE_SHARE = 0.5  # a core word is in at least half of the story's articles
# Two stories merge when the rare core words they share weigh at least this much of the smaller core,
# and they share at least MIN_SHARED_WORDS of them (one shared name is a coincidence; a name, a place
# and what happened is an event).
MIN_CORE_OVERLAP = 0.5
MIN_SHARED_WORDS = 3


def story_cores(presence: csr_matrix, parts: Sequence[np.ndarray], rare: np.ndarray) -> csr_matrix:
    """One row per story: 1 for each rare word in at least CORE_SHARE of its articles."""
    rows, cols = [], []
    for k, part in enumerate(parts):
        counts = np.asarray(presence[part].sum(axis=0)).ravel()
        core = np.flatnonzero((counts >= max(2, int(np.ceil(CORE_SHARE * len(part))))) & rare)
        rows.extend([k] * len(core))
        cols.extend(core.tolist())
    return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(parts), presence.shape[1]))


def opening_presence(openings: Sequence[Sequence[str]], vocabulary: dict[str, int]) -> csr_matrix:
    """Article x word: 1 where the word (of the day's vocabulary) is in the article's headline or opening."""
    rows, cols = [], []
    for i, words in enumerate(openings):
        found = {vocabulary[w] for w in words if w in vocabulary}
        rows.extend([i] * len(found))
        cols.extend(found)
    return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(openings), len(vocabulary)))


def fragment_groups(
    presence: csr_matrix,
    parts: Sequence[np.ndarray],
    singles: Sequence[int] = (),
    conflict: Callable[[Sequence[int], Sequence[int]], bool] | None = None,
    *,
    rare_df_share: float = RARE_DF_SHARE,
    min_overlap: float = MIN_CORE_OVERLAP,
    min_shared: int = MIN_SHARED_WORDS,
    day_presence: csr_matrix | None = None,
    single_fits: Callable[[int, Sequence[int]], bool] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """A label per story (stories with one label are fragments of one event), and for each single article
    the story it belongs to (-1: none). A single joins at most one story, the one whose core it covers most,
    so that it never bridges two stories. `conflict(rows_a, rows_b)` vetoes a join (e.g. the headline
    figures of two template twins that the figure check parted). How rare a word is, is counted over
    `day_presence` (every article of the day, opinion included; default: `presence`).

    A single holds a story's core when its opening names the event, and an opening names an event it only
    dates itself by as readily ("hours before the canal's opening, Egypt and Sudan released detainees"), so
    `single_fits(single, rows)` must also accept the join: the grouping asks that the single's headline and
    every article of the story explain each other, the check every article of the story passed."""
    event = np.arange(len(parts))
    home = np.full(len(singles), -1)
    if not parts or presence.shape[1] == 0:
        return event, home
    day_presence = presence if day_presence is None else day_presence
    days_articles = day_presence.shape[0]
    document_frequency = np.asarray(day_presence.sum(axis=0)).ravel()
    rare = document_frequency <= max(RARE_MIN_DOCS, rare_df_share * days_articles)
    idf = np.log((1 + days_articles) / (1 + document_frequency)) + 1.0
    cores = story_cores(presence, parts, rare)
    weighted = cores.multiply(idf[np.newaxis, :]).tocsr()
    own = np.asarray(weighted.sum(axis=1)).ravel()

    def linked(shared_weight: float, shared_words: float, i_weight: float, j_weight: float) -> bool:
        return shared_words >= min_shared and shared_weight >= min_overlap * min(i_weight, j_weight)

    shared_weight = (cores @ weighted.T).tocoo()
    shared_count = (cores @ cores.T).tocsr()
    keep = [
        (i, j)
        for i, j, weight in zip(shared_weight.row, shared_weight.col, shared_weight.data, strict=True)
        if i < j
        and linked(weight, shared_count[i, j], own[i], own[j])
        and not (conflict is not None and conflict(parts[i], parts[j]))
    ]
    if keep:
        a, b = zip(*keep, strict=True)
        graph = csr_matrix((np.ones(len(keep)), (a, b)), shape=(len(parts), len(parts)))
        event = connected_components(graph, directed=False)[1]
    if len(singles):
        single_words = presence[list(singles)].multiply(rare[np.newaxis, :]).tocsr()
        covered = (single_words @ weighted.T).toarray()  # single x story: weight of the story's core it holds
        counts = (single_words @ cores.T).toarray()
        for k in range(len(singles)):
            # A lone article joins a story when it holds most of the story's core (not the reverse: a
            # story's core is small and an article's opening is long).
            fits = (counts[k] >= min_shared) & (covered[k] >= min_overlap * own) & (own > 0)
            for story in np.flatnonzero(fits):
                fits[story] = not (conflict is not None and conflict([singles[k]], parts[story])) and (
                    single_fits is None or single_fits(singles[k], parts[story])
                )
            if fits.any():
                home[k] = int(np.argmax(np.where(fits, covered[k] / np.maximum(own, 1e-9), -1.0)))
    return event, home
