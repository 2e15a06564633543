"""The HTML pages in a real headless Chromium (Debian's chromium, driven by Playwright): what the reader sees,
asserted from the DOM and the layout boxes, not from the markup."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime

import pytest

from app.briefing import ArticleBrief, Briefing, Headline, KeyPoint
from app.daily.report import ArticleRef, Counts, DailyReport, Display, SectionNews, StoryReport
from app.daily.report import render as render_daily
from app.render import render

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="chromium is not installed (.ci/run installs it)")

# x of the first box of `needle` inside the first element matching `selector` (layout, not source order).
_BOX_X = """([selector, needle]) => {
  const root = document.querySelector(selector);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(needle);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + needle.length);
      return range.getBoundingClientRect().x;
    }
  }
  return null;
}"""


@pytest.fixture(scope="module")
def page():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser.new_page(viewport={"width": 900, "height": 1200})
        browser.close()


def _briefing() -> Briefing:
    return Briefing(
        headline=Headline(text="عام / ارتفاع حصيلة ضحايا الحريق في المستودع", sources=["g1"]),
        focus="ما حصيلة الحريق؟",
        mode="extractive",
        ordering="importance",
        key_points=[
            KeyPoint(
                text="gulfnews: 21 حالة وفاة في الحريق الذي اندلع فجر 2015-08-10 في مستودع للأخشاب.",
                sources=["g1", "r1"],
                article_id="g1",
            ),
        ],
        articles=[
            ArticleBrief(id="g1", title="حريق\u202e المستودع\u0000", source="gulfnews", summary="اندلع الحريق فجرا."),
            ArticleBrief(
                id="r1",
                title="21 وفاة في حريق مستودع",
                source="alriyadh",
                published_at=datetime(2015, 8, 10, 18, 30, tzinfo=UTC),
                summary="وباشرت فرق الدفاع المدني إخماد النيران حتى الصباح.",
            ),
        ],
        warnings=["extractive only: model stage turned off"],
    )


def _x(page, selector: str, needle: str) -> float:
    x = page.evaluate(_BOX_X, [selector, needle])
    assert x is not None, needle
    return x


def test_latin_and_number_runs_keep_their_place_in_arabic_text(page):
    page.set_content(render(_briefing(), "html"))
    point = ".points li"
    # Right to left: the outlet slug, then its figure, then the Arabic words after it.
    assert _x(page, point, "gulfnews") > _x(page, point, "21") > _x(page, point, "حالة")
    # The ISO date inside the sentence reads left to right: year on the left, day on the right.
    assert _x(page, point, "2015") < _x(page, point, "-10")


def test_bidi_controls_and_nul_never_reach_the_page(page):
    page.set_content(render(_briefing(), "html"))
    text = page.inner_text("body")
    assert "\u202e" not in text and "\u0000" not in text
    assert "حريق المستودع" in text


def test_reader_text_is_arabic(page):
    page.set_content(render(_briefing(), "html"))
    text = page.inner_text("header")
    assert "ارتفاع حصيلة ضحايا الحريق" in text and "عام /" not in text  # category prefix gone
    assert "لم يُفعَّل نموذج التلخيص" in text and "turned off" not in text
    sources = page.inner_text(".sources")
    assert "الرياض" in sources and "alriyadh" not in sources  # display name from prompts/outlets.txt
    assert "gulfnews" in sources  # unknown slug shown as it is
    assert "الاثنين 10 أغسطس 2015، 18:30 بتوقيت غرينتش" in sources


def _daily() -> DailyReport:
    refs = [
        ArticleRef(id="g1", title="حريق المستودع", source="alriyadh"),
        ArticleRef(id="r1", title="حصيلة الحريق", source="alriyadh"),
    ]
    story = StoryReport(rank=1, anchor="story-1", outlets=["alriyadh"], articles=refs, briefing=_briefing())
    return DailyReport(
        date=date(2015, 8, 10),
        timezone="Asia/Riyadh",
        generated_at=datetime(2015, 8, 10, 23, 0, tzinfo=UTC),
        source="feed.jsonl",
        mode="extractive",
        stories=[story] * 12,
        sections=[SectionNews(key="local", title="محليات", anchor="section-local",
                              articles=[ArticleRef(id="o1", title="خبر آخر", source="okaz")])],
        display=Display(top=20, story_lines=40, per_section=10, articles_per_story=8),
        counts=Counts(articles_read=2, articles_undated=0, articles_on_day=2, stories=12, other_news=1),
    )


def test_daily_date_reads_right_to_left_and_counts_agree(page):
    page.set_content(render_daily(_daily(), "html"))
    h1 = "h1"
    assert _x(page, h1, "الاثنين") > _x(page, h1, "10") > _x(page, h1, "أغسطس") > _x(page, h1, "2015")
    meta = page.inner_text(".meta")
    assert "مقالان في هذا اليوم" in meta and "12 قصة" in meta and "خبر آخر" in meta
    contents = page.inner_text("nav")
    assert "مصدر واحد، مقالان" in contents


def test_daily_stories_may_break_across_printed_pages(page):
    page.set_content(render_daily(_daily(), "html"))
    page.emulate_media(media="print")
    inside = page.evaluate("getComputedStyle(document.querySelector('section.story')).breakInside")
    points = page.evaluate("getComputedStyle(document.querySelector('.points li')).breakInside")
    page.emulate_media(media="screen")
    assert inside == "auto" and points == "avoid"
