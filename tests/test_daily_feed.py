"""Reading the day's input and keeping one calendar day."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.articles import Article
from app.daily.feed import parse_day, read_feed, select_day, yesterday
from app.errors import InputError

FEED = Path(__file__).parent / "fixtures" / "daily" / "feed.jsonl"
TEXT = "أعلنت الوزارة اليوم افتتاح مشروع جديد في المدينة لخدمة السكان وتحسين الطرق."


def article(ident: str, published: datetime | None) -> Article:
    return Article(id=ident, title="خبر", text=TEXT, source="الرياض", published_at=published)


def test_day_boundaries_follow_the_time_zone() -> None:
    late_utc = article("late", datetime(2015, 8, 6, 22, 30, tzinfo=UTC))  # 01:30 on the 7th in Riyadh
    early = article("early", datetime(2015, 8, 6, 0, 30, tzinfo=timezone(timedelta(hours=3))))  # 21:30 UTC on 5th
    undated = article("undated", None)

    in_utc = select_day([late_utc, early, undated], date(2015, 8, 6), UTC)
    in_riyadh = select_day([late_utc, early, undated], date(2015, 8, 6), ZoneInfo("Asia/Riyadh"))

    assert [a.id for a in in_utc.articles] == ["late"]
    assert [a.id for a in in_riyadh.articles] == ["early"]
    assert in_riyadh.undated == 1
    assert in_riyadh.read == 3


def test_iso_dates_in_a_feed_are_not_read_day_first(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"id": "1", "title": "خبر", "text": TEXT, "date": "2015-08-06 10:00:00"}, ensure_ascii=False),
        encoding="utf-8",
    )
    (only,) = read_feed(feed).articles
    assert only.published_at == datetime(2015, 8, 6, 10, 0, tzinfo=UTC)  # not 8 June


def test_fixture_feed_keeps_one_day_and_counts_undated() -> None:
    feed = read_feed(FEED)
    day = select_day(feed.articles, date(2024, 3, 10), ZoneInfo("Asia/Riyadh"))

    assert len(feed.articles) == 9
    assert {a.id for a in day.articles} == {"a1", "a2", "a3", "b1", "b2", "c1", "c2"}
    assert day.undated == 1


def test_bad_rows_are_skipped_and_reported_duplicates_read_once(tmp_path: Path) -> None:
    good = {"id": "1", "title": "خبر &quot;عاجل&quot;", "text": TEXT, "date": "2015-08-06"}
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "\n".join([
            json.dumps(good, ensure_ascii=False),
            "{not json",
            json.dumps({"id": "2", "title": "بلا نص"}, ensure_ascii=False),
            json.dumps(good, ensure_ascii=False),
            "",
        ]),
        encoding="utf-8",
    )
    result = read_feed(feed)

    assert [a.id for a in result.articles] == ["1"]
    assert result.articles[0].title == 'خبر "عاجل"'
    assert result.skipped == 2
    assert result.problems[0].startswith("feed.jsonl:2: not valid JSON")
    assert "needs 'text' or 'html'" in result.problems[1]


def _tree(root: Path, published_at: str) -> None:
    (root / "okaz" / "2015").mkdir(parents=True)
    (root / "okaz" / "2015" / "a.json").write_text(
        json.dumps({"id": "a", "title": "خبر", "text": TEXT, "source": "عكاظ", "published_at": published_at},
                   ensure_ascii=False),
        encoding="utf-8",
    )
    (root / "b.txt").write_text("عنوان الخبر\n" + TEXT, encoding="utf-8")  # a .txt file has no date


def test_folder_tree_of_article_files(tmp_path: Path) -> None:
    _tree(tmp_path, "2015-08-16T09:00:00+03:00")

    feed = read_feed(tmp_path)
    day = select_day(feed.articles, date(2015, 8, 16), ZoneInfo("Asia/Riyadh"))

    assert len(feed.articles) == 2
    assert [a.id for a in day.articles] == ["a"]
    assert day.undated == 1


def test_folder_tree_iso_dates_with_a_small_day(tmp_path: Path) -> None:
    _tree(tmp_path, "2015-08-06T09:00:00+03:00")

    day = select_day(read_feed(tmp_path).articles, date(2015, 8, 6), ZoneInfo("Asia/Riyadh"))

    assert [a.id for a in day.articles] == ["a"]


def test_missing_and_empty_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder") as missing:
        read_feed(tmp_path / "nowhere.jsonl")
    assert missing.value.field == "input"

    empty = tmp_path / "empty.jsonl"
    empty.write_text("{broken\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no readable article .*first problem: empty.jsonl:1: not valid JSON"):
        read_feed(empty)


@pytest.mark.parametrize("value", ["2015-13-01", "06/08/2015", "20150806", "yesterday", "2015-8-6", ""])
def test_bad_day(value: str) -> None:
    with pytest.raises(InputError) as error:
        parse_day(value)
    assert error.value.field == "--date"


def test_day_and_yesterday() -> None:
    assert parse_day(" 2015-08-06 ") == date(2015, 8, 6)
    riyadh = ZoneInfo("Asia/Riyadh")
    assert yesterday(riyadh) == (datetime.now(riyadh) - timedelta(days=1)).date()
