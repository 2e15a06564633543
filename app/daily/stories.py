"""Group one day's articles into stories: the same event told by several outlets.

TF-IDF on light-stemmed, Arabic-normalized words (the title counted several times, because a
headline names the event more reliably than paragraph nine does), cosine distance, and
agglomerative clustering cut at a distance threshold, so the number of stories is not fixed in
advance.

Same-kind news written to one template (two executions, two companies' quarterly results) can be
as alike in words as two outlets on one event, so each cluster is then split three times:
1. by headlines (complete linkage): the headline names the event (who, where), and two articles on one
   event each explain part of the other's headline, while template twins share only the template's words;
2. by meaning (single linkage, app/daily/meaning.py): the opening of an article on an event is close, in a
   sentence embedding, to another article's on it; this also parts related-but-different events;
3. by headline figures (complete linkage, app/daily/figures.py): two headlines with different figures are
   two reports, however alike their words and meaning.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer

from app import prompts
from app.articles import Article
from app.daily.cache import DailyCache
from app.daily.cues import CueWords
from app.daily.figures import article_figures, figure_conflicts, headline_figures
from app.daily.meaning import DEFAULT_MIN_SIMILARITY, Embedder, default_embedder, opening_vectors
from app.daily.meaning import OPENING_WORDS as OPENING_WORDS_EMBEDDED
from app.daily.merge import OPENING_WORDS, fragment_groups, opening_presence
from app.daily.opinion import is_opinion
from app.text.normalize import stems

# Tuned on SaudiNewsNet days (see docs/BENCHMARKS.md, "Daily briefing"): below about 0.70 the
# same event told by two outlets in different words splits; above about 0.80 unrelated stories
# that share a place name or a ministry start to merge.
DEFAULT_THRESHOLD = 0.75
DEFAULT_LINKAGE = "average"
TITLE_WEIGHT = 3  # the title's words are counted this many times
LEAD_WORDS = 250  # the opening of an article names the event; later paragraphs drift to background
MIN_TOKEN_CHARS = 2
# On a full day, a word in more than 5% of the articles (في، المملكة، سمو، أمير، يستقبل) names no
# particular event; it chained unrelated "the governor received ..." items into one story. The cut
# never goes below MIN_DF_CUT articles so that a small set keeps the words its own stories share.
MAX_DF_SHARE = 0.05
MIN_DF_CUT = 15
# Headline check (see docs/BENCHMARKS.md): every pair in a story must have each headline's words,
# weighted by rarity in the day, at least this much present in the other article. Three executions
# scored 0.05-0.20 against each other (the one true pair 0.87); true multi-outlet stories scored
# 0.22 and up on the days checked.
MIN_HEADLINE_COVERAGE = 0.2
# Two articles whose words are this alike (cosine of their TF-IDF rows) are joined without asking the
# embedding model. Of the labelled pairs, none at or above 0.8 is two events (0 of 186), 3 of 262 at 0.7, 7 of
# 359 at 0.5; with the meaning check deciding the rest, 0.5 keeps purity (17 mixed stories over 18 days, as at
# 0.8) and embeds 506 openings instead of 1,075 on the full 2015-08-06 (docs/BENCHMARKS.md, "Daily at a
# day's size").
SURE_WORD_SIMILARITY = 0.5
CHUNK_ROWS = 2000
PER_OUTLET_WEIGHT = 3  # rows per sparse product block: bounds the memory of one block of pairs


@dataclass
class Story:
    articles: list[Article]
    sources: list[str] = field(default_factory=list)  # distinct outlets, in order of first article
    keywords: list[str] = field(default_factory=list)  # the centroid's strongest stems
    protocol: bool = False  # a reception, condolence or congratulation item: ranks below events
    angle_of: dict[str, int] = field(default_factory=dict)  # article id -> the fragment it came in (merging)

    @property
    def outlet_count(self) -> int:
        return len(self.sources)

    @property
    def weight(self) -> int:
        """Coverage: each outlet counts once per angle of the event it reported (a fragment the grouping had
        split off: the attack, the visit to the wounded, the condemnations), up to PER_OUTLET_WEIGHT. One
        outlet refiling one item adds nothing; many outlets following an event from many sides add most."""
        angles: dict[str, set[int]] = {}
        for article in self.articles:
            angles.setdefault(article.source or article.id, set()).add(self.angle_of.get(article.id, 0))
        return sum(min(len(a), PER_OUTLET_WEIGHT) for a in angles.values())

    @property
    def first_published(self) -> datetime | None:
        dates = [a.published_at for a in self.articles if a.published_at is not None]
        return min(dates) if dates else None


@dataclass
class Grouping:
    stories: list[Story]  # two or more articles each, ranked
    singles: list[Article]  # the "other news"
    warnings: list[str] = field(default_factory=list)
    opinion: list[Article] = field(default_factory=list)  # columns and editorials: never stories
    embedded: int = 0  # openings the meaning check needed (cached or embedded)
    merged_fragments: int = 0  # stories and lone articles folded into a bigger fragment of the same event
    timings: dict[str, float] = field(default_factory=dict)


@lru_cache(maxsize=30_000)
def _stems_of(text: str) -> tuple[str, ...]:
    # Vectorizing, the headline check and fragment merging all read the same stems: stem each text once.
    return tuple(stems(text))


def _opening_stems(article: Article, words: int = OPENING_WORDS) -> list[str]:
    return [*_stems_of(article.title), *_stems_of(article.text)[:words]]


def article_tokens(article: Article, title_weight: int = TITLE_WEIGHT, lead_words: int = LEAD_WORDS) -> list[str]:
    title = [t for t in _stems_of(article.title) if len(t) >= MIN_TOKEN_CHARS]
    body = [t for t in _stems_of(article.text)[:lead_words] if len(t) >= MIN_TOKEN_CHARS]
    return title * title_weight + body


def _vectorize(
    articles: Sequence[Article], title_weight: int, lead_words: int, max_df_share: float
) -> tuple[csr_matrix, np.ndarray]:
    """TF-IDF rows of `articles`, every row L2-normalized on its own (so a subset of rows is a subset's matrix)."""
    vectorizer = TfidfVectorizer(
        analyzer=lambda a: article_tokens(a, title_weight, lead_words),
        sublinear_tf=True,
        max_df=max(round(max_df_share * len(articles)), MIN_DF_CUT),
        norm="l2",
    )
    try:
        matrix = vectorizer.fit_transform(list(articles))
    except ValueError:  # no word at all (no Arabic, no Latin, no digits): every article stands alone
        return csr_matrix((len(articles), 0)), np.array([], dtype=object)
    return matrix.tocsr(), vectorizer.get_feature_names_out()


def _sort_key(article: Article) -> tuple[datetime, str]:
    return (article.published_at or datetime.max.replace(tzinfo=UTC), article.id)


def rank_key(story: Story) -> tuple[int, bool, int, int, datetime]:
    """Biggest coverage first (see `Story.weight`); at equal weight, events before protocol items."""
    return (
        -story.weight,
        story.protocol,
        -story.outlet_count,
        -len(story.articles),
        story.first_published or datetime.max.replace(tzinfo=UTC),
    )


def is_protocol(articles: Sequence[Article]) -> bool:
    """Receptions, condolences, congratulation cables: most of the story's headlines carry a protocol cue."""
    cues = protocol_cues()
    return sum(cues.found(a.title) for a in articles) * 2 > len(articles)


@lru_cache(maxsize=1)
def protocol_cues() -> CueWords:
    return CueWords(prompts.lines("daily_protocol.txt"))


@lru_cache(maxsize=1)
def place_cues() -> CueWords:
    return CueWords(prompts.lines("daily_places.txt"))


def similar_pairs(matrix: csr_matrix, min_similarity: float, chunk: int = CHUNK_ROWS) -> csr_matrix:
    """The sparse graph of every two rows whose cosine is at least `min_similarity` (rows are L2-normalized).

    Sparse dot products, a block of rows at a time, so no dense day-by-day matrix is ever held: with the
    day-frequent words dropped, a row shares words with a few hundred others at most."""
    rows = matrix.shape[0]
    blocks = []
    for start in range(0, rows, chunk):
        block = (matrix[start : start + chunk] @ matrix.T).tocoo()
        keep = (block.data >= min_similarity) & (block.row + start != block.col)
        blocks.append((block.data[keep], block.row[keep] + start, block.col[keep]))
    data = np.concatenate([b[0] for b in blocks]) if blocks else np.zeros(0)
    row = np.concatenate([b[1] for b in blocks]) if blocks else np.zeros(0, dtype=int)
    col = np.concatenate([b[2] for b in blocks]) if blocks else np.zeros(0, dtype=int)
    return coo_matrix((data, (row, col)), shape=(rows, rows)).tocsr()


def cluster_labels(
    matrix: csr_matrix, threshold: float = DEFAULT_THRESHOLD, method: str = DEFAULT_LINKAGE
) -> np.ndarray:
    """One label per row; rows closer than `threshold` (cosine distance, under `method` linkage) share one.

    Average (and complete, single) linkage never joins two groups unless some pair across them is within
    `threshold`, so the connected components of the sparse "within threshold" graph bound every cluster:
    clustering each component on its own gives exactly the clusters of the whole day, at the cost of the
    components rather than of the day squared. An article with no usable word has no edge and stays alone."""
    rows = matrix.shape[0]
    if rows == 0:
        return np.zeros(0, dtype=int)
    graph = similar_pairs(matrix, 1.0 - threshold)
    _, component = connected_components(graph, directed=False)
    labels = np.zeros(rows, dtype=int)
    next_label = 1
    for members in np.split(np.argsort(component, kind="stable"), np.cumsum(np.bincount(component))[:-1]):
        if len(members) == 1:
            labels[members] = next_label
            next_label += 1
            continue
        sub = matrix[members]
        distance = np.clip(1.0 - (sub @ sub.T).toarray(), 0.0, 2.0)
        tree = linkage(distance[np.triu_indices(len(members), 1)], method=method)
        flat = fcluster(tree, t=threshold, criterion="distance")
        labels[members] = flat + next_label - 1
        next_label += int(flat.max())
    return labels


def _word_sets(article: Article) -> tuple[set[str], set[str]]:
    """The headline's stems and the whole article's (headline and full text)."""
    headline = {t for t in _stems_of(article.title) if len(t) >= MIN_TOKEN_CHARS}
    return headline, headline | {t for t in _stems_of(article.text) if len(t) >= MIN_TOKEN_CHARS}


class HeadlineCoverage:
    """How much of one article's headline another article explains, with word weights from the whole day.

    The weights are counted over every article of `day`, opinion included, so that setting columns aside does
    not change how rare a word is; the compared articles are `day[rows]` (default: all of them)."""

    def __init__(self, day: Sequence[Article], rows: Sequence[int] | None = None) -> None:
        day_sets = [_word_sets(a) for a in day]
        self.sets = day_sets if rows is None else [day_sets[i] for i in rows]
        frequency = Counter(t for _, words in day_sets for t in words)
        total = len(day_sets) + 1
        self.weight = {t: float(np.log(total / (n + 1))) + 1e-9 for t, n in frequency.items()}

    def among(self, rows: Sequence[int]) -> np.ndarray:
        """coverage[a, b] for rows[a], rows[b]: the share of the first's headline, weighted by inverse
        document frequency in the day, whose words occur in the second. A wordless headline counts as covered."""
        coverage = np.ones((len(rows), len(rows)))
        for a, i in enumerate(rows):
            headline = self.sets[i][0]
            whole = sum(self.weight[t] for t in headline)
            if not whole:
                continue
            for b, j in enumerate(rows):
                if a != b:
                    words = self.sets[j][1]
                    coverage[a, b] = sum(self.weight[t] for t in headline if t in words) / whole
        return coverage


def headline_coverage(articles: Sequence[Article]) -> np.ndarray:
    """Headline coverage between every two of `articles` (the grouping computes it only inside clusters)."""
    return HeadlineCoverage(articles).among(range(len(articles)))


def headline_fits(coverage: HeadlineCoverage, row: int, rows: Sequence[int], min_coverage: float) -> bool:
    """The headline check for one article joining a story: it and each article of the story explain at least
    `min_coverage` of the other's headline (both ways), as every two articles of a story do."""
    if min_coverage <= 0:
        return True
    both = coverage.among([row, *rows])
    return bool(np.minimum(both[0, 1:], both[1:, 0]).min(initial=1.0) >= min_coverage)


def split_by_headline(coverage: np.ndarray, min_coverage: float = MIN_HEADLINE_COVERAGE) -> np.ndarray:
    """Complete linkage on 1 - min(coverage both ways): each part's every pair explains the other's headline."""
    rows = coverage.shape[0]
    if rows < 2 or min_coverage <= 0:
        return np.ones(rows, dtype=int)
    mutual = np.minimum(coverage, coverage.T)
    distance = 1.0 - mutual[np.triu_indices(rows, 1)]
    tree = linkage(distance, method="complete")
    return fcluster(tree, t=1.0 - min_coverage, criterion="distance")


def split_by_meaning(similarity: np.ndarray, min_similarity: float = DEFAULT_MIN_SIMILARITY) -> np.ndarray:
    """Single linkage on 1 - opening similarity: each article of a story opens close to another of it."""
    rows = similarity.shape[0]
    if rows < 2:
        return np.ones(rows, dtype=int)
    distance = np.clip(1.0 - similarity, 0.0, 1.0)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(distance[np.triu_indices(rows, 1)], method="single")
    return fcluster(tree, t=1.0 - min_similarity, criterion="distance")


def split_by_figures(conflicts: np.ndarray) -> np.ndarray:
    """Complete linkage on figure conflicts: no two articles of a part headline different figures."""
    rows = conflicts.shape[0]
    if rows < 2 or not conflicts.any():
        return np.ones(rows, dtype=int)
    distance = conflicts.astype(float)
    tree = linkage(distance[np.triu_indices(rows, 1)], method="complete")
    return fcluster(tree, t=0.5, criterion="distance")


def meaning_units(word_similarity: np.ndarray, sure: float = SURE_WORD_SIMILARITY) -> tuple[int, np.ndarray]:
    """Articles of one part joined wherever their words alone settle it (cosine >= `sure`): one unit each."""
    return connected_components(csr_matrix(word_similarity >= sure), directed=False)


class MergeVeto:
    """Fragments are not merged across a figure conflict (the figure check parted those on purpose), nor when
    either is a protocol item: cables and receptions are written to one template per recipient, so their
    shared words are the template's, not an event's."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.articles = articles
        self.cues = protocol_cues()
        self.protocol: dict[int, bool] = {}
        self.place_cues = place_cues()
        self.places: dict[int, frozenset[str]] = {}
        self.heads: dict[int, set[str]] = {}
        self.bodies: dict[int, set[str]] = {}

    def _places(self, rows: Sequence[int]) -> set[str]:
        """The places named in the openings of at least half of `rows` (of the one article, for a single)."""
        counts: Counter[str] = Counter()
        for row in rows:
            if int(row) not in self.places:
                article = self.articles[int(row)]
                opening = f"{article.title} {' '.join(article.text.split()[:OPENING_WORDS])}"
                self.places[int(row)] = frozenset(self.place_cues.which(opening))
            counts.update(self.places[int(row)])
        return {place for place, n in counts.items() if n * 2 >= len(rows)}

    def _figures(self, row: int) -> tuple[set[str], set[str]]:
        if row not in self.heads:
            self.heads[row] = headline_figures(self.articles[row].title)
            self.bodies[row] = article_figures(self.articles[row]) if self.heads[row] else set()
        return self.heads[row], self.bodies[row]

    def _protocol(self, rows: Sequence[int]) -> bool:
        flags = []
        for row in rows:
            if int(row) not in self.protocol:
                self.protocol[int(row)] = self.cues.found(self.articles[int(row)].title)
            flags.append(self.protocol[int(row)])
        return sum(flags) * 2 > len(flags)

    def __call__(self, rows_a: Sequence[int], rows_b: Sequence[int]) -> bool:
        if self._protocol(rows_a) or self._protocol(rows_b):
            return True
        places_a, places_b = self._places(rows_a), self._places(rows_b)
        if places_a and places_b and not places_a & places_b:
            return True  # the same kind of news in two places: two events
        for a in rows_a:
            head_a, body_a = self._figures(int(a))
            if not head_a:
                continue
            for b in rows_b:
                head_b, body_b = self._figures(int(b))
                if head_b and not head_a & body_b and not head_b & body_a:
                    return True
        return False


def _split_parts(
    articles: Sequence[Article],
    matrix: csr_matrix,
    parts: list[np.ndarray],
    embedder: Embedder | None,
    min_similarity: float,
    cache: DailyCache | None,
    sure: float,
    opening_words: int = OPENING_WORDS_EMBEDDED,
) -> tuple[list[np.ndarray], int]:
    """Meaning then figure splits. Only the openings a decision needs are embedded: a part whose articles
    are all joined by near-identical words stays whole unasked, and of each such unit one opening speaks
    first. Where the units' speakers part, the rest of those units are embedded too and the part is decided
    on every article (single linkage, with the word-sure pairs joined), as if every opening had been asked."""
    plans: list[tuple[np.ndarray, np.ndarray | None, list[int], np.ndarray | None]] = []
    needed: list[int] = []
    for part in parts:
        if len(part) == 1 or embedder is None:
            plans.append((part, None, [], None))
            continue
        words = (matrix[part] @ matrix[part].T).toarray()
        count, unit = meaning_units(words, sure)
        if count == 1:
            plans.append((part, None, [], None))
            continue
        representatives = [int(part[np.flatnonzero(unit == u)[0]]) for u in range(count)]
        needed.extend(representatives)
        plans.append((part, unit, representatives, words))

    def embed(rows: list[int]) -> np.ndarray:
        assert embedder is not None
        return opening_vectors([articles[i] for i in rows], embedder, cache, words=opening_words)

    vectors = embed(needed) if needed else None
    where = {row: k for k, row in enumerate(needed)}
    decided: list[np.ndarray] = []
    second: list[int] = []  # plans whose speakers parted while some unit has more than one article
    for k, (part, unit, representatives, _) in enumerate(plans):
        if unit is None or vectors is None:
            decided.append(np.ones(len(part), dtype=int))
            continue
        rows = vectors[[where[r] for r in representatives]]
        by_units = split_by_meaning(rows @ rows.T, min_similarity)
        decided.append(by_units[unit])
        if len(np.unique(by_units)) > 1 and len(representatives) < len(part):
            second.append(k)
    more = sorted({int(r) for k in second for r in plans[k][0]} - set(where))
    if more:
        extra = embed(more)
        where.update({row: len(needed) + i for i, row in enumerate(more)})
        vectors = np.vstack([vectors, extra]) if vectors is not None else extra
        for k in second:
            part, _, _, words = plans[k]
            rows = vectors[[where[int(r)] for r in part]]
            similarity = rows @ rows.T
            similarity[words >= sure] = 1.0  # the words settle these pairs
            decided[k] = split_by_meaning(similarity, min_similarity)
    result: list[np.ndarray] = []
    for (part, *_), by_meaning in zip(plans, decided, strict=True):
        for label in np.unique(by_meaning):
            kept = part[by_meaning == label]
            if len(kept) == 1:
                result.append(kept)
                continue
            by_figures = split_by_figures(figure_conflicts([articles[i] for i in kept]))
            result.extend(kept[by_figures == f] for f in np.unique(by_figures))
    return result, len(needed) + len(more)


def group_stories(
    articles: Sequence[Article],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    method: str = DEFAULT_LINKAGE,
    title_weight: int = TITLE_WEIGHT,
    lead_words: int = LEAD_WORDS,
    max_df_share: float = MAX_DF_SHARE,
    keywords: int = 8,
    min_headline_coverage: float = MIN_HEADLINE_COVERAGE,
    meaning: bool | Embedder = True,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
    cache: DailyCache | None = None,
    sure_word_similarity: float = SURE_WORD_SIMILARITY,
    opening_words: int = OPENING_WORDS_EMBEDDED,
    merge_fragments: bool = True,
    set_aside_opinion: bool = True,
) -> Grouping:
    """Stories of two or more articles, ranked (see `rank_key`); the rest as singles, opinion apart.

    `meaning`: True for the bundled embedding model, False to skip the meaning check, or an embedder."""
    timings: dict[str, float] = {}
    mark = time.perf_counter()
    day = list(articles)
    # Opinion is set aside after the day's word statistics are counted over every article, columns included:
    # how rare a word is on the day does not depend on which pieces are columns, so setting them aside moves
    # no news article from one story to another.
    news = [not (set_aside_opinion and is_opinion(a)) for a in day]
    news_rows = [i for i, is_news in enumerate(news) if is_news]
    opinion = sorted((a for a, is_news in zip(day, news, strict=True) if not is_news), key=_sort_key)
    articles = [day[i] for i in news_rows]
    if not articles:
        return Grouping(stories=[], singles=[], opinion=opinion)
    warnings: list[str] = []
    day_matrix, vocabulary = _vectorize(day, title_weight, lead_words, max_df_share)
    matrix = day_matrix[news_rows]
    timings["words"] = time.perf_counter() - mark
    mark = time.perf_counter()
    labels = cluster_labels(matrix, threshold, method)
    timings["cluster"] = time.perf_counter() - mark
    mark = time.perf_counter()
    coverage = HeadlineCoverage(day, news_rows)
    parts: list[np.ndarray] = []
    for label in np.unique(labels):
        rows = np.flatnonzero(labels == label)
        if len(rows) == 1 or min_headline_coverage <= 0:
            parts.append(rows)
            continue
        sub = split_by_headline(coverage.among(rows.tolist()), min_headline_coverage)
        parts.extend(rows[sub == part] for part in np.unique(sub))
    timings["headline_check"] = time.perf_counter() - mark
    mark = time.perf_counter()
    embedder: Embedder | None = None
    if meaning is True:
        embedder = default_embedder()  # loading it (torch, 3-5 s) counts in the meaning check's time
        if embedder is None:
            warnings.append("meaning check unavailable (e5-small could not be loaded): stories grouped by words only")
    elif meaning is not False:
        embedder = meaning
    parts, embedded = _split_parts(
        articles, matrix, parts, embedder, min_similarity, cache, sure_word_similarity, opening_words
    )
    timings["meaning_and_figure_checks"] = time.perf_counter() - mark
    mark = time.perf_counter()
    multi = [rows for rows in parts if len(rows) > 1]
    lone = [int(rows[0]) for rows in parts if len(rows) == 1]
    angle = {int(row): k for k, rows in enumerate(parts) for row in rows}  # the part each article came in
    fragments = 0
    if merge_fragments and multi:
        vocabulary_index = {str(word): k for k, word in enumerate(vocabulary)}
        day_presence = opening_presence([_opening_stems(a) for a in day], vocabulary_index)
        event, home = fragment_groups(
            day_presence[news_rows],
            multi,
            lone,
            MergeVeto(articles),
            day_presence=day_presence,
            single_fits=lambda single, rows: headline_fits(coverage, single, rows, min_headline_coverage),
        )
        joined = [[*multi[k].tolist()] for k in range(len(multi))]
        for row, story in zip(lone, home, strict=True):
            if story >= 0:
                joined[story].append(row)
        lone = [row for row, story in zip(lone, home, strict=True) if story < 0]
        fragments = len(multi) - len(np.unique(event)) + int((home >= 0).sum())
        multi = [
            np.sort(np.array([row for k in np.flatnonzero(event == e) for row in joined[k]])) for e in np.unique(event)
        ]
    stories: list[Story] = []
    singles: list[Article] = [articles[row] for row in lone]
    for rows in multi:
        members = sorted((articles[i] for i in rows), key=_sort_key)
        centroid = np.asarray(matrix[rows].mean(axis=0)).ravel()
        top = [str(vocabulary[i]) for i in np.argsort(-centroid)[:keywords] if centroid[i] > 0]
        sources = list(dict.fromkeys(a.source for a in members if a.source))
        stories.append(
            Story(
                articles=members,
                sources=sources,
                keywords=top,
                protocol=is_protocol(members),
                angle_of={articles[int(i)].id: angle[int(i)] for i in rows},
            )
        )
    stories.sort(key=rank_key)
    singles.sort(key=_sort_key)
    timings["merge_and_rank"] = time.perf_counter() - mark
    return Grouping(
        stories=stories,
        singles=singles,
        opinion=opinion,
        warnings=warnings,
        embedded=embedded,
        merged_fragments=fragments,
        timings=timings,
    )
