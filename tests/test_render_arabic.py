"""Arabic reader text: number–noun agreement, dates with weekday and zone, outlet names, title prefixes."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.render.counts import count_phrase
from app.render.dates import date_time_text, day_text, time_text
from app.render.outlets import clean_title, outlet_name
from app.render.reader import article_labels, bidi, model_reason, reader_warnings, story_error


@pytest.mark.parametrize(
    ("number", "noun", "expected"),
    [
        (0, "مصدر", "لا مصادر"),
        (1, "مصدر", "مصدر واحد"),
        (2, "مصدر", "مصدران"),
        (2, "مقال", "مقالان"),
        (3, "مقال", "3 مقالات"),
        (10, "قصة", "10 قصص"),
        (7, "قصة", "7 قصص"),
        (7, "مقال", "7 مقالات"),
        (11, "مقال", "11 مقالًا"),
        (99, "مصدر", "99 مصدرًا"),
        (100, "مقال", "100 مقال"),
        (103, "مقال", "103 مقالات"),
        (268, "مقال مقروء", "268 مقالًا مقروءًا"),
        (2, "قصة", "قصتان"),
        (1, "قصة", "قصة واحدة"),
        (2, "خبر آخر", "خبران آخران"),
        (5, "خبر آخر", "5 أخبار أخرى"),
        (25, "خبر آخر", "25 خبرًا آخر"),
        (1, "خبر آخر", "خبر آخر"),
    ],
)
def test_count_agrees_with_its_noun(number, noun, expected):
    assert count_phrase(number, noun) == expected


def test_dates_have_their_weekday_and_times_their_zone():
    assert day_text(date(2015, 8, 10)) == "الاثنين 10 أغسطس 2015"
    assert day_text(date(2015, 8, 6)) == "الخميس 6 أغسطس 2015"
    riyadh = timezone(timedelta(hours=3))
    assert time_text(datetime(2015, 8, 6, 21, 5, tzinfo=riyadh), "Asia/Riyadh") == "21:05 بتوقيت الرياض"
    assert time_text(datetime(2015, 8, 6, 21, 5, tzinfo=riyadh)) == "21:05 بتوقيت غرينتش+3"
    assert time_text(datetime(2015, 8, 6, 21, 5, tzinfo=timezone(timedelta(hours=5, minutes=30)))).endswith(
        "غرينتش+5:30"
    )
    assert date_time_text(datetime(2015, 8, 7, tzinfo=UTC)) == "الجمعة 7 أغسطس 2015"


def test_outlet_names_come_from_the_prompts_file_and_unknown_slugs_stay():
    assert outlet_name("alriyadh") == "الرياض"
    assert outlet_name("3alyoum") == "عين اليوم"
    assert outlet_name("ALEQTISADIYA") == "الاقتصادية"
    assert outlet_name("was") == "واس"
    assert outlet_name("newsite") == "newsite"


def test_category_prefix_is_stripped_from_titles():
    assert clean_title("عام / وزير الصحة يفتتح مستشفى جديدا") == "وزير الصحة يفتتح مستشفى جديدا"
    assert clean_title("اقتصادي/ الأسهم تتراجع") == "الأسهم تتراجع"
    assert clean_title("24/7 خدمة جديدة") == "24/7 خدمة جديدة"


class _Ref:
    def __init__(self, id_, source):
        self.id, self.source = id_, source


def test_two_articles_of_one_outlet_are_told_apart():
    labels = article_labels([_Ref("a", "alriyadh"), _Ref("b", "okaz"), _Ref("c", "alriyadh")])
    assert labels == {"a": "الرياض (1)", "b": "عكاظ", "c": "الرياض (2)"}


def test_reasons_and_warnings_reach_readers_in_arabic():
    assert model_reason("model folder 'models/x' not found; run python scripts/download_model.py") == (
        "نموذج التلخيص غير موجود على هذا الخادم"
    )
    assert model_reason("could not load model 'x' (OSError: bad file); extractive only") == "تعذّر تحميل نموذج التلخيص"
    shown = reader_warnings(["article a7: no Arabic sentences found; left out", "article b: guard dropped 3 words"])
    assert shown == ["أُهمل المقال «a7»: لا جمل عربية فيه", "تنبيه تقني واحد في ملف البيانات المرافق للموجز"]


def test_bidi_isolates_runs_escapes_and_drops_controls():
    html = str(bidi("alriyadh: 21 حالة\u202e <b>x</b> 2015-08-10\u0000"))
    assert '<bdi dir="ltr">alriyadh</bdi>: <bdi dir="ltr">21</bdi> حالة' in html
    assert '<bdi dir="ltr">2015-08-10</bdi>' in html
    assert "<b>" not in html and "&lt;" in html
    assert "\u202e" not in html and "\u0000" not in html


def test_story_errors_reach_readers_in_arabic():
    assert story_error("articles: no Arabic text in any article") == "لا نص عربي في مقالاتها"
    assert "ملف البيانات" in story_error("service answered 503")
