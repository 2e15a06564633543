"""Story grouping on one real day of SaudiNewsNet (../shared/data; skipped when absent)."""

from __future__ import annotations

from datetime import UTC, date
from pathlib import Path

import numpy as np
import pytest

from app.daily.feed import read_feed, select_day
from app.daily.stories import article_tokens, group_stories

FEED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "saudinewsnet-5k.jsonl"
pytestmark = pytest.mark.skipif(not FEED.exists(), reason=f"real data not found at {FEED}")


@pytest.fixture(scope="module")
def grouping():
    day = select_day(read_feed(FEED).articles, date(2015, 8, 6), UTC)
    assert len(day.articles) == 503  # the feed's busiest day, read in ISO order (6 August, not 8 June)
    return group_stories(day.articles)


def test_several_stories_are_told_by_several_outlets(grouping) -> None:
    multi = [s for s in grouping.stories if s.outlet_count >= 2]
    assert len(multi) >= 30
    assert max(s.outlet_count for s in grouping.stories) >= 3
    # A day of news is mostly single items: the grouping must not swallow it.
    assert len(grouping.singles) > sum(len(s.articles) for s in grouping.stories)
    assert max(len(s.articles) for s in grouping.stories) <= 10


def test_known_story_groups_outlets_together(grouping) -> None:
    # Saudi Arabia and Fiji established diplomatic relations that day; three outlets reported it.
    fiji = [s for s in grouping.stories if any("فيجي" in a.title for a in s.articles)]
    assert len(fiji) == 1
    assert fiji[0].outlet_count >= 3
    assert all("فيجي" in a.title for a in fiji[0].articles)


def test_every_article_shares_salient_words_with_its_story(grouping) -> None:
    for story in grouping.stories:
        salient = set(story.keywords[:8])
        for article in story.articles:
            words = set(article_tokens(article))
            assert len(words & salient) >= 2, (story.keywords, article.title)


def test_stories_are_tighter_than_the_day(grouping) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    articles = [a for s in grouping.stories for a in s.articles] + grouping.singles
    labels = [i for i, s in enumerate(grouping.stories) for _ in s.articles] + [-1] * len(grouping.singles)
    vectors = TfidfVectorizer(analyzer=article_tokens, sublinear_tf=True).fit_transform(articles)
    similarity = (vectors @ vectors.T).toarray()
    labels_array = np.array(labels)
    within = []
    for k in range(len(grouping.stories)):
        members = np.flatnonzero(labels_array == k)
        block = similarity[np.ix_(members, members)]
        within.append(block[np.triu_indices(len(members), 1)].min())
    # Even the loosest pair inside a story is more alike than two random articles of the day.
    random_pairs = similarity[np.triu_indices(len(articles), 1)]
    assert np.median(within) > np.percentile(random_pairs, 99)


LABELS = Path(__file__).resolve().parents[1] / "docs" / "eval" / "saudinewsnet-story-labels.jsonl"

# Same-kind items that word overlap alone put in one story on 2015-08-06 (titles as the feed has them).
UNRELATED_TWINS = [
    ("طيران العربية", "دو للاتصالات"),  # two companies' Q2 results
    ("بجامعة جدة", "بجامعة الملك عبدالعزيز"),  # two universities' job adverts
    ("ناشفيل", "مركز عسكري"),  # two shootings in two US states
    ("هجر يواصل", "الشباب يستأنف"),  # two clubs' training camps
    ("تسجل ارتفاعاً", "تختتم تداولات الأسبوع"),  # the Saudi index on two different sessions
]


def test_template_twins_of_the_day_are_separate_stories(grouping) -> None:
    for first, second in UNRELATED_TWINS:
        assert any(first in a.title for s in grouping.stories for a in s.articles) or any(
            first in a.title for a in grouping.singles
        ), first
        for story in grouping.stories:
            titles = " || ".join(a.title for a in story.articles)
            assert not (first in titles and second in titles), titles


def test_hand_labelled_purity_of_the_day(grouping) -> None:
    from evaluation.stories import load_labels, score_day

    score = score_day(date(2015, 8, 6), grouping, load_labels(LABELS))

    # Left mixed (both related, not unrelated): the Gulf markets on two sessions; two Syrian opposition
    # figures' statements. Before the figure and meaning checks 10 of 57 stories were mixed on this day.
    assert score.mixed <= 2, score.mixed_titles
    assert score.same_kept >= 0.7 * score.same_total  # 77 of 103; the labels also hold pairs a looser cut joined
    # Unlabelled pairs are those that fragment merging joins across labelled stories (the labels were written
    # story by story); they were read by hand (docs/BENCHMARKS.md, "Daily at a day's size").
    assert score.unlabelled_pairs <= 15
