"""Renderers on a briefing built by hand: JSON, Markdown (sourced, readable, inert) and HTML (RTL, escaped)."""

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser

import pytest

from app.briefing import ArticleBrief, Briefing, Headline, KeyPoint
from app.errors import InputError
from app.render import CONTENT_TYPES, FORMATS, render
from app.render.templating import arabic_date, markdown_text, safe_url

RIYADH = timezone(timedelta(hours=3))
SCRIPT = "<script>alert('x')</script>"


def make_briefing(**changes) -> Briefing:
    fields = dict(
        headline=Headline(text="البلدان يوقعان اتفاقاً لتقاسم مياه النهر", sources=["wakala", "shorouk"]),
        focus="ماذا نص عليه الاتفاق؟",
        mode="extractive",
        ordering="chronological",
        key_points=[
            KeyPoint(
                text="ينص الاتفاق على تقاسم مياه النهر مناصفة في مواسم الجفاف.",
                sources=["shorouk", "wakala"],
                article_id="wakala",
                score=0.91,
            ),
            KeyPoint(
                text="تعهد البنك الإقليمي بتمويل قدره 300 مليون دولار لبناء سدين.",
                sources=["wakala"],
                article_id="wakala",
                score=0.72,
            ),
            KeyPoint(
                text=f"وكتب أحد القراء {SCRIPT} في تعليقه على الخبر.",
                sources=["blog"],
                article_id="blog",
                score=0.1,
            ),
        ],
        articles=[
            ArticleBrief(
                id="wakala",
                title="اتفاق تاريخي على مياه النهر",
                source="وكالة الأنباء الإقليمية",
                url="https://wakala.example/news/river?id=7&lang=ar",
                published_at=datetime(2025, 3, 16, 21, 15, tzinfo=RIYADH),
                summary="وقع وزيرا الموارد المائية الاتفاق بعد مفاوضات استمرت ثلاث سنوات.",
            ),
            ArticleBrief(
                id="shorouk",
                title="تقاسم المياه مناصفة",
                source="صحيفة الشروق",
                url="https://shorouk.example/a/1",
                published_at=datetime(2025, 3, 17, tzinfo=UTC),
                summary="الاتفاق يمنح كل بلد نصف مياه النهر في الجفاف.",
            ),
            ArticleBrief(
                id="blog",
                title=f"مدونة {SCRIPT} الموارد",
                source=None,
                url="javascript:alert(1)",
                summary=f"ملخص فيه {SCRIPT} و<b>وسم</b>.",
            ),
        ],
        warnings=["extractive only: model folder 'models/arabart-summ' not found", "article x: left out"],
        word_count=61,
    )
    fields.update(changes)
    return Briefing(**fields)


def test_formats_and_content_types():
    assert FORMATS == ("json", "markdown", "html")
    assert CONTENT_TYPES["json"].startswith("application/json")
    assert CONTENT_TYPES["markdown"].startswith("text/markdown")
    assert CONTENT_TYPES["html"].startswith("text/html")


def test_unknown_format_is_an_input_error_on_format():
    with pytest.raises(InputError) as caught:
        render(make_briefing(), "pdf")
    assert caught.value.field == "format"


def test_json_is_the_model_dump_with_arabic_kept():
    briefing = make_briefing()
    text = render(briefing, "json")
    assert json.loads(text) == briefing.model_dump(mode="json")
    assert "البلدان يوقعان" in text  # ensure_ascii=False
    assert '\n  "headline"' in text  # indent 2


# Markdown


def test_markdown_has_headline_focus_mode_ordering_and_sourced_points():
    text = render(make_briefing(), "markdown")
    lines = text.splitlines()
    assert lines[0] == "# البلدان يوقعان اتفاقاً لتقاسم مياه النهر (وكالة الأنباء الإقليمية [1]، صحيفة الشروق [2])"
    assert "ماذا نص عليه الاتفاق؟" in text
    # The mode and why no model ran, in Arabic; the technical reason stays in the JSON warnings.
    assert "- **الوضع:** استخراجي: جمل منقولة من المقالات كما وردت (نموذج التلخيص غير موجود على هذا الخادم)" in lines
    assert "models/arabart-summ" not in text
    assert "زمني" in text
    # Each key point is followed by its sources: the outlet and its number in the sources list.
    assert "- ينص الاتفاق على تقاسم مياه النهر مناصفة في مواسم الجفاف. (وكالة الأنباء الإقليمية [1]، صحيفة الشروق [2])" in lines
    assert "- تعهد البنك الإقليمي بتمويل قدره 300 مليون دولار لبناء سدين. (وكالة الأنباء الإقليمية [1])" in lines
    # Other technical warnings are counted for the reader, their text is in the JSON.
    assert "- تنبيه تقني واحد في ملف البيانات المرافق للموجز" in lines
    assert "left out" not in text


def test_markdown_sources_list_resolves_every_number():
    text = render(make_briefing(), "markdown")
    sources = text.split("## المصادر", 1)[1]
    assert (
        "- [1] اتفاق تاريخي على مياه النهر — وكالة الأنباء الإقليمية — الأحد 16 مارس 2025، 21:15 بتوقيت غرينتش+3 — "
        "<https://wakala.example/news/river?id=7&lang=ar>"
    ) in sources
    assert "- [2] تقاسم المياه مناصفة — صحيفة الشروق — الاثنين 17 مارس 2025" in sources
    assert "javascript" not in text  # not a link, not printed
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", text.split("## المصادر")[0])}
    listed = {int(n) for n in re.findall(r"^- \[(\d+)\]", sources, re.MULTILINE)}
    assert cited <= listed == {1, 2, 3}


def test_markdown_per_article_summaries():
    text = render(make_briefing(), "markdown")
    section = text.split("## المصادر", 1)[1].split("##", 1)[0]
    entry = section.split("- [1] ", 1)[1].split("- [2] ", 1)[0]
    assert entry.startswith("اتفاق تاريخي على مياه النهر — وكالة الأنباء الإقليمية")
    assert "\n  وقع وزيرا الموارد المائية الاتفاق بعد مفاوضات استمرت ثلاث سنوات.\n" in entry


def test_markdown_escapes_markup_from_articles():
    text = render(make_briefing(), "markdown")
    assert "<script>" not in text and "<b>" not in text
    assert r"\<script\>alert('x')\</script\>" in text


def test_markdown_is_plain_readable_text():
    text = render(make_briefing(), "markdown")
    assert not re.search(r"(?<!\\)<(?!https://)", text)  # no HTML tags for a terminal to show
    assert "\n\n\n" not in text
    assert text.endswith("\n")


def test_markdown_abstractive_mode_and_importance_order():
    briefing = make_briefing(mode="abstractive+extractive", model="arabart-tiny", ordering="importance", warnings=[])
    briefing.articles[0].summary_kind = "abstractive"
    text = render(briefing, "markdown")
    assert "توليدي واستخراجي" in text and "arabart-tiny" not in text  # the model's name is in the JSON
    assert "حسب الأهمية" in text
    assert "(ملخص مولَّد)" in text
    assert "## تنبيهات" not in text


def test_markdown_text_filter():
    assert markdown_text("نص\nعلى سطرين") == "نص على سطرين"
    assert markdown_text("[رابط](https://x.example) *مهم*") == r"\[رابط\](https://x.example) \*مهم\*"
    assert markdown_text("# ليس عنواناً") == r"\# ليس عنواناً"
    assert markdown_text("1. ليس بنداً") == r"1\. ليس بنداً"
    assert markdown_text("2.5 مليار دولار") == "2.5 مليار دولار"
    assert markdown_text("MOJAZ_MODEL _مائل_") == r"MOJAZ_MODEL \_مائل\_"


# HTML


class _Page(HTMLParser):
    """What a browser would see: elements, attributes, scripts and text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_html_is_a_full_rtl_arabic_document():
    html = render(make_briefing(), "html")
    assert html.lstrip().startswith("<!DOCTYPE html>")
    page = parse(html)
    root = next(attrs for tag, attrs in page.tags if tag == "html")
    assert root == {"lang": "ar", "dir": "rtl"}
    assert ("meta", {"charset": "utf-8"}) in page.tags
    assert "@media print" in html


def test_html_has_no_external_assets():
    page = parse(render(make_briefing(), "html"))
    for tag, attrs in page.tags:
        assert tag not in ("link", "img", "iframe")
        assert not (tag == "script" or attrs.get("src"))


def test_html_escapes_script_in_article_title_text_and_summary():
    html = render(make_briefing(), "html")
    assert "<script" not in html.lower()
    assert "<b>" not in html
    assert "&lt;<bdi dir=\"ltr\">script</bdi>&gt;" in html  # escaped, its Latin run isolated
    assert not [tag for tag, _ in parse(html).tags if tag in ("script", "b")]
    visible = "".join(parse(html).text)
    assert f"مدونة {SCRIPT} الموارد" in visible  # shown as text, exactly as written


def test_html_links_only_http_urls():
    page = parse(render(make_briefing(), "html"))
    hrefs = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    external = [h for h in hrefs if not h.startswith("#")]
    assert external == ["https://wakala.example/news/river?id=7&lang=ar", "https://shorouk.example/a/1"]


def test_html_references_point_at_the_sources_list():
    page = parse(render(make_briefing(), "html"))
    targets = {attrs["href"][1:] for tag, attrs in page.tags if tag == "a" and attrs["href"].startswith("#")}
    ids = {attrs["id"] for _, attrs in page.tags if attrs.get("id")}
    assert targets == {"source-1", "source-2", "source-3"}
    assert targets <= ids


def test_html_content():
    html = render(make_briefing(), "html")
    visible = " ".join("".join(parse(html).text).split())
    for expected in (
        "البلدان يوقعان اتفاقاً لتقاسم مياه النهر",
        "ماذا نص عليه الاتفاق؟",
        "ينص الاتفاق على تقاسم مياه النهر مناصفة في مواسم الجفاف.",
        "وقع وزيرا الموارد المائية الاتفاق بعد مفاوضات استمرت ثلاث سنوات.",
        "الأحد 16 مارس 2025، 21:15 بتوقيت غرينتش+3",
        "تنبيه تقني واحد",
        "نموذج التلخيص غير موجود على هذا الخادم",
        "زمني",
    ):
        assert expected in visible


def test_filters():
    assert safe_url("https://a.example/x") == "https://a.example/x"
    assert safe_url("HTTP://a.example") == "HTTP://a.example"
    for bad in ("javascript:alert(1)", "data:text/html,x", "https://a.example/x y", "//a.example", "", None,
                'https://a.example/"onmouseover=x'):
        assert safe_url(bad) is None
    assert arabic_date(datetime(2025, 1, 5, tzinfo=UTC)) == "الأحد 5 يناير 2025"
    assert arabic_date(datetime(2025, 12, 31, 7, 5, tzinfo=UTC)) == "الأربعاء 31 ديسمبر 2025، 07:05 بتوقيت غرينتش"
    assert arabic_date(datetime(2015, 8, 10, 21, 15, tzinfo=RIYADH), "Asia/Riyadh") == (
        "الاثنين 10 أغسطس 2015، 21:15 بتوقيت الرياض"
    )
    assert arabic_date(None) == ""
