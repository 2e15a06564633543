"""Story grouping on a day of articles written for these tests (tests/fixtures/daily/feed.jsonl)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from app.articles import Article
from app.daily.feed import read_feed, select_day
from app.daily.stories import group_stories

FEED = Path(__file__).parent / "fixtures" / "daily" / "feed.jsonl"
RIYADH = ZoneInfo("Asia/Riyadh")


def day_articles() -> list[Article]:
    return select_day(read_feed(FEED).articles, date(2024, 3, 10), RIYADH).articles


def test_same_event_from_different_outlets_groups_and_ranks_by_outlets() -> None:
    grouping = group_stories(day_articles())

    assert [[a.id for a in s.articles] for s in grouping.stories] == [["a1", "a2", "a3"], ["b1", "b2"]]
    desalination, football = grouping.stories
    assert desalination.sources == ["الرياض", "عكاظ", "الوطن"]
    assert football.outlet_count == 2
    assert {"ينبع", "تحل"} <= set(desalination.keywords)


def test_unrelated_articles_become_other_news_not_dropped() -> None:
    grouping = group_stories(day_articles())

    assert [a.id for a in grouping.singles] == ["c1", "c2"]  # in time order
    grouped = sum(len(s.articles) for s in grouping.stories)
    assert grouped + len(grouping.singles) == len(day_articles())


def test_input_order_does_not_change_the_stories() -> None:
    forward = group_stories(day_articles())
    backward = group_stories(list(reversed(day_articles())))

    def ids(g):
        return [[a.id for a in s.articles] for s in g.stories]

    assert ids(forward) == ids(backward)


def test_more_outlets_outrank_more_articles() -> None:
    articles = day_articles()
    # The same outlet files two more football pieces: three articles but still two outlets.
    extra = [
        Article(id=f"b{i}", title="الشباب يهزم الفيصلي بثلاثية في دوري روشن",
                text=articles[3].text, source="الرياض", published_at=articles[3].published_at)
        for i in (3, 4)
    ]
    grouping = group_stories(articles + extra)

    assert [s.outlet_count for s in grouping.stories] == [3, 2]
    assert len(grouping.stories[1].articles) == 4


def test_a_strict_threshold_keeps_everything_apart() -> None:
    grouping = group_stories(day_articles(), threshold=0.05)

    assert grouping.stories == []
    assert len(grouping.singles) == 7


def test_empty_and_wordless_input() -> None:
    assert group_stories([]).stories == []
    lone = Article(id="x", title="", text="...", source="a")
    blank = Article(id="y", title="", text="!!!", source="b")
    grouping = group_stories([lone, blank])
    assert grouping.stories == []
    assert [a.id for a in grouping.singles] == ["x", "y"]
