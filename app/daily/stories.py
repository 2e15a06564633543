"""Group one day's articles into stories: the same event told by several outlets.

TF-IDF on light-stemmed, Arabic-normalized words (the title counted several times, because a
headline names the event more reliably than paragraph nine does), cosine distance, and
agglomerative clustering cut at a distance threshold, so the number of stories is not fixed in
advance.

Same-kind news written to one template (two executions, two companies' quarterly results) can be
as alike in words as two outlets on one event, so each cluster is then split by its headlines: the
headline names the event (who, where), and two articles on one event each explain most of the
other's headline, while template twins share only the template's words.
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
) -> Grouping:
    """Stories of two or more articles, ranked by distinct outlets then article count; the rest as singles."""
    articles = list(articles)
    if not articles:
        return Grouping(stories=[], singles=[])
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
    return Grouping(stories=stories, singles=singles)
