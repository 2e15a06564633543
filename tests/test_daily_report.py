"""The daily report rendered as Markdown, HTML and JSON from the fixture day, in extractive mode."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.daily.pipeline import DailyResult, run_daily
from app.daily.report import render
from app.daily.runner import InProcessRunner

FIXTURES = Path(__file__).parent / "fixtures" / "daily"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> DailyResult:
    # One article carries markup and a javascript: link, as a hostile or broken feed would.
    rows = (FIXTURES / "feed.jsonl").read_text(encoding="utf-8").splitlines()
    hostile = json.loads(rows[-1])
    hostile.update(
        id="x1", date="2024-03-10T18:00:00+03:00", url="javascript:alert(1)",
        title='<script>alert("x")</script> جمعية **خيرية** [توزع](http://evil.example) سلالا',
    )
    feed = tmp_path_factory.mktemp("in") / "feed.jsonl"
    feed.write_text("\n".join([*rows, json.dumps(hostile, ensure_ascii=False)]) + "\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    return run_daily(feed, date(2024, 3, 10), ZoneInfo("Asia/Riyadh"), out, InProcessRunner())


def test_report_object(result: DailyResult) -> None:
    report = result.report
    assert report.counts.model_dump() == {
        "articles_read": 10, "articles_undated": 1, "articles_on_day": 8, "stories": 2,
        "other_news": 3, "briefed_stories": 2, "opinion": 0, "merged_fragments": 0, "failed_stories": 0,
        "input_problems": 0,
    }
    first = report.stories[0]
    assert first.outlets == ["الرياض", "عكاظ", "الوطن"]
    assert first.briefing is not None and first.briefing.mode == "extractive"
    assert {a.id for a in first.briefing.articles} == {"a1", "a2", "a3"}
    assert any("300" in point.text for point in first.briefing.key_points)
    assert sorted(a.id for s in report.sections for a in s.articles) == ["c1", "c2", "x1"]
    assert set(report.timings) >= {"read", "group", "briefings", "total"}
    assert "1 articles have no date and belong to no day" in report.warnings


def test_files_written(result: DailyResult) -> None:
    assert [p.name for p in result.files] == ["2024-03-10.md", "2024-03-10.html", "2024-03-10.json"]
    saved = json.loads(result.files[2].read_text(encoding="utf-8"))
    assert saved["date"] == "2024-03-10"
    assert saved["stories"][1]["articles"][0]["id"] == "b1"
    assert "2024-03-10.{md,html,json}" in result.summary_line()


def test_html_is_rtl_printable_with_contents_and_escaped(result: DailyResult) -> None:
    page = render(result.report, "html")

    assert '<html lang="ar" dir="rtl">' in page
    assert "@media print" in page
    assert '<a href="#story-1">' in page and 'id="story-1"' in page and 'id="other-news"' in page
    assert "<script>" not in page
    assert "&lt;<bdi dir=\"ltr\">script</bdi>&gt;" in page  # escaped, its Latin run isolated
    assert "javascript:" not in page
    assert 'href="https://example.org/okaz/yanbu-water"' in page
    # every key point names its outlets
    points = re.findall(r'<span class="sources">\((.*?)\)</span>', page)
    assert points and all(p.strip() for p in points)


def test_markdown_has_contents_sources_and_no_raw_markup(result: DailyResult) -> None:
    text = render(result.report, "md")

    assert text.startswith("# الموجز اليومي — الأحد 10 مارس 2024")
    assert "1. [" in text and "](#story-1)" in text
    assert "**المصادر:** الرياض، عكاظ، الوطن" in text
    assert "[ثلاثية شبابية في مرمى الفيصلي](https://example.org/okaz/shabab-faisaly)" in text
    assert "<script>" not in text and "\\<script\\>" in text
    assert "\\*\\*خيرية\\*\\*" in text and "\\[توزع\\]" in text
    assert "javascript:" not in text
    assert "## أخبار أخرى" in text


def test_json_round_trips(result: DailyResult) -> None:
    data = json.loads(render(result.report, "json"))
    assert data["counts"]["stories"] == 2
    assert data["stories"][0]["briefing"]["headline"]["sources"]
    urls = [a["url"] for s in data["sections"] for a in s["articles"]]
    assert "javascript:alert(1)" in urls  # kept as data, never turned into a link
