"""Reading article sets from .txt, .json, .jsonl and .html files and folders, on Arabic text written here."""

import json
import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.article_files import load_articles
from app.articles import content_id
from app.errors import InputError
from tests.helpers import write

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"

TITLE = "افتتاح جسر جديد يربط ضفتي النهر في المدينة"
BODY = (
    "افتتح محافظ المدينة صباح اليوم جسراً جديداً يربط ضفتي النهر بطول 800 متر، بعد أعمال استمرت ثلاث سنوات.\n"
    "وقال المحافظ إن الجسر سيخفف الازدحام عن الجسرين القديمين بنسبة تصل إلى 40 في المئة."
)
RIVER = {
    "id": "river-1",
    "title": "مياه النهر ترتفع بعد أمطار الأسبوع",
    "text": "ارتفع منسوب مياه النهر مترين خلال أسبوع واحد بسبب الأمطار الغزيرة التي شهدتها المنطقة الجبلية.",
    "source": "صحيفة الضفة",
    "url": "https://dhiffa.example/river",
    "published_at": "2025-04-20T10:00:00+03:00",
}
PAGE = """<!DOCTYPE html>
<html lang="ar"><head><meta charset="utf-8">
<title>المدينة تطلق خطة للنقل العام | موقع الحاضرة</title>
<meta property="og:site_name" content="موقع الحاضرة">
<meta property="article:published_time" content="2025-04-21T08:00:00+03:00">
</head><body>
<nav><a href="/">الرئيسية</a> <a href="/sport">رياضة</a> <a href="/contact">اتصل بنا</a></nav>
<article><h1>المدينة تطلق خطة للنقل العام</h1>
<p>أطلقت بلدية المدينة خطة جديدة للنقل العام تتضمن تشغيل 120 حافلة كهربائية على خمسة خطوط رئيسية قبل نهاية العام.</p>
<p>وقال رئيس البلدية إن الخطة ستكلف نحو 90 مليون دولار، وإنها تهدف إلى خفض زمن التنقل اليومي للموظفين والطلاب.</p>
<p>وأضاف أن المرحلة الأولى ستبدأ في الأحياء الشرقية الأكثر ازدحاماً، على أن تتبعها الأحياء الغربية في العام المقبل.</p>
</article>
<footer><p>جميع الحقوق محفوظة لموقع الحاضرة</p><p>تابعونا على فيسبوك وتويتر</p></footer>
</body></html>"""


def test_txt_first_nonempty_line_is_the_title_and_id_comes_from_content(tmp_path):
    path = write(tmp_path / "صحيفة-النهر" / "bridge.txt", f"\n\n  {TITLE}  \n\n{BODY}\n")
    [article] = load_articles([path])
    assert article.title == TITLE
    assert article.text == BODY
    assert article.id == content_id(TITLE, BODY)
    assert article.source is None  # neither the folder name nor the file name is an outlet
    assert article.published_at is None


def test_txt_site_junk_above_the_title_is_skipped(tmp_path):
    page = f"Logo\nصحيفة يومية تصدر عن دار النهر للنشر\n\n{TITLE}\n\nA A\n\n{BODY}\n"
    [article] = load_articles([write(tmp_path / "scraped.txt", page)])
    assert article.title == TITLE
    assert "Logo" not in article.text and "صحيفة يومية" not in article.text


def test_real_scraped_set_has_real_titles():
    folder = SHARED / "kadhimi-visit"
    if not folder.is_dir():
        pytest.skip(f"shared data not found at {folder}")
    articles = load_articles([folder])
    assert len(articles) == 5
    assert all(len(a.title.split()) >= 3 for a in articles)  # no "Logo" or masthead line as a title


def test_same_txt_gives_the_same_id_in_another_place(tmp_path):
    first = load_articles([write(tmp_path / "a.txt", f"{TITLE}\n{BODY}")])
    second = load_articles([write(tmp_path / "elsewhere" / "b.txt", f"{TITLE}\n\n{BODY}\n")])
    assert first[0].id == second[0].id


def test_json_object_and_list(tmp_path):
    one = write(tmp_path / "one.json", json.dumps(RIVER, ensure_ascii=False))
    other = {"title": TITLE, "text": BODY}
    many = write(tmp_path / "many.json", json.dumps([other, {**RIVER, "id": "river-2"}], ensure_ascii=False))
    articles = load_articles([one, many])
    assert [a.id for a in articles] == ["river-1", content_id(TITLE, BODY), "river-2"]
    river = articles[0]
    assert river.source == "صحيفة الضفة"
    assert river.url == "https://dhiffa.example/river"
    assert river.published_at == datetime(2025, 4, 20, 7, tzinfo=UTC)


def test_json_with_html_body(tmp_path):
    path = write(tmp_path / "page.json", json.dumps({"title": "النقل العام", "html": PAGE}, ensure_ascii=False))
    [article] = load_articles([path])
    assert "120 حافلة كهربائية" in article.text
    assert "اتصل بنا" not in article.text


def test_jsonl_one_article_per_line_blank_lines_skipped(tmp_path):
    lines = [json.dumps(RIVER, ensure_ascii=False), "", json.dumps({"title": TITLE, "text": BODY}, ensure_ascii=False)]
    [river, bridge] = load_articles([write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")])
    assert river.id == "river-1"
    assert bridge.title == TITLE


def test_html_main_text_title_source_and_date(tmp_path):
    [article] = load_articles([write(tmp_path / "transport.html", PAGE)])
    assert article.title == "المدينة تطلق خطة للنقل العام"
    assert article.text.startswith("أطلقت بلدية المدينة خطة جديدة")  # the <h1> is the title, not text
    assert "90 مليون دولار" in article.text
    for junk in ("الرئيسية", "اتصل بنا", "جميع الحقوق محفوظة", "تابعونا"):
        assert junk not in article.text
    assert article.source == "موقع الحاضرة"
    assert article.published_at == datetime(2025, 4, 21, 8, tzinfo=timezone(timedelta(hours=3)))


def test_html_title_falls_back_to_title_tag_and_no_date_is_guessed_from_the_footer(tmp_path):
    page = (
        "<html><head><title>أمطار غزيرة على الساحل</title></head><body><article>"
        "<p>هطلت أمطار غزيرة على المدن الساحلية طوال الليل وأغلقت السلطات عدداً من الطرق الفرعية احتياطاً.</p>"
        "<p>وتوقعت الأرصاد أن تستمر الأمطار حتى مساء الغد مع انخفاض ملحوظ في درجات الحرارة.</p>"
        "</article><footer>© 2024 جميع الحقوق محفوظة</footer></body></html>"
    )
    [article] = load_articles([write(tmp_path / "rain.htm", page)])
    assert article.title == "أمطار غزيرة على الساحل"
    assert article.published_at is None


def test_folder_is_read_recursively_in_order_skipping_hidden_and_unknown_files(tmp_path):
    write(tmp_path / "b" / "2.txt", f"العنوان الثاني\n{BODY}")
    write(tmp_path / "a.txt", f"العنوان الأول\n{BODY}")
    write(tmp_path / "b" / "1.json", json.dumps(RIVER, ensure_ascii=False))
    write(tmp_path / "notes.md", "ملاحظات المحرر")
    write(tmp_path / "photo.jpg", b"\xff\xd8\xff")
    write(tmp_path / ".hidden.txt", f"مخفي\n{BODY}")
    write(tmp_path / ".cache" / "old.txt", f"قديم\n{BODY}")
    titles = [a.title for a in load_articles([tmp_path])]
    assert titles == ["العنوان الأول", RIVER["title"], "العنوان الثاني"]


def test_a_single_path_string_is_one_path(tmp_path):
    path = write(tmp_path / "bridge.txt", f"{TITLE}\n{BODY}")
    assert len(load_articles(str(path))) == 1  # type: ignore[arg-type]


def test_duplicate_ids_get_a_suffix(tmp_path):
    write(tmp_path / "1.txt", f"{TITLE}\n{BODY}")
    write(tmp_path / "2.txt", f"{TITLE}\n{BODY}")  # the same article saved twice
    write(tmp_path / "3.jsonl", "\n".join(json.dumps(RIVER, ensure_ascii=False) for _ in range(3)))
    ids = [a.id for a in load_articles([tmp_path])]
    base = content_id(TITLE, BODY)
    assert ids == [base, f"{base}-2", "river-1", "river-1-2", "river-1-3"]


def test_the_example_set_loads_in_every_format():
    articles = load_articles([EXAMPLES / "summit"])
    assert len(articles) == 5
    assert len({a.id for a in articles}) == 5
    assert {Path(a.extra["file"]).suffix for a in articles} == {".txt", ".json", ".html"}
    assert all(a.title and len(a.text.split()) >= 200 for a in articles)
    feed = load_articles([EXAMPLES / "feed.jsonl"])
    assert len(feed) == 10
    assert {a.published_at.date().isoformat() for a in feed} == {"2025-03-16", "2025-03-17"}


# Errors: every one is an InputError naming the file (or file:line).


def error_of(paths) -> InputError:
    with pytest.raises(InputError) as caught:
        load_articles(paths)
    return caught.value


def test_missing_file(tmp_path):
    error = error_of([tmp_path / "absent.txt"])
    assert error.field == str(tmp_path / "absent.txt")
    assert "no such file" in error.detail


def test_explicit_file_of_unknown_type(tmp_path):
    path = write(tmp_path / "article.docx", "نص")
    error = error_of([path])
    assert error.field == str(path)
    assert "'.docx'" in error.detail


def test_bad_json(tmp_path):
    path = write(tmp_path / "broken.json", '{"title": "عنوان", "text": ')
    error = error_of([path])
    assert error.field == str(path)
    assert "not valid JSON" in error.detail


def test_bad_jsonl_line_names_file_and_line(tmp_path):
    good = json.dumps(RIVER, ensure_ascii=False)
    path = write(tmp_path / "feed.jsonl", f"{good}\n\n{{not json}}\n{good}\n")
    error = error_of([path])
    assert error.field == f"{path}:3"
    assert "not valid JSON" in error.detail


def test_jsonl_line_without_text_names_file_and_line(tmp_path):
    path = write(tmp_path / "feed.jsonl", json.dumps({"title": "عنوان بلا نص"}, ensure_ascii=False) + "\n")
    assert error_of([path]).field == f"{path}:1"


def test_json_of_the_wrong_shape(tmp_path):
    path = write(tmp_path / "number.json", "42")
    assert "object" in error_of([path]).detail


def test_bad_utf8(tmp_path):
    path = write(tmp_path / "cp1256.txt", f"{TITLE}\n{BODY}".encode("cp1256"))
    error = error_of([path])
    assert error.field == str(path)
    assert "UTF-8" in error.detail


def test_utf8_byte_order_mark_is_accepted(tmp_path):
    path = write(tmp_path / "bom.txt", f"{TITLE}\n{BODY}".encode("utf-8-sig"))
    assert load_articles([path])[0].title == TITLE


def test_unreadable_file(tmp_path):
    path = write(tmp_path / "secret.txt", f"{TITLE}\n{BODY}")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("file permissions are not enforced for this user (root)")
        error = error_of([path])
        assert error.field == str(path)
        assert "cannot read" in error.detail
    finally:
        path.chmod(0o644)


def test_read_error_is_an_input_error(tmp_path, monkeypatch):
    path = write(tmp_path / "disk.txt", f"{TITLE}\n{BODY}")

    def failing_read(self):
        raise OSError(5, "Input/output error", str(self))

    monkeypatch.setattr(Path, "read_bytes", failing_read)
    error = error_of([path])
    assert error.field == str(path)
    assert error.detail == "cannot read file: Input/output error"


def test_empty_folder_and_folder_without_articles(tmp_path):
    assert "no article files" in error_of([tmp_path]).detail
    write(tmp_path / "readme.md", "اقرأني")
    assert error_of([tmp_path]).field == str(tmp_path)


def test_empty_set(tmp_path):
    assert error_of([]).detail == "no articles found"
    assert error_of([write(tmp_path / "empty.json", "[]")]).detail == "no articles found"


def test_title_without_text_and_empty_txt(tmp_path):
    assert "no text" in error_of([write(tmp_path / "title-only.txt", f"{TITLE}\n\n")]).detail
    assert "empty" in error_of([write(tmp_path / "blank.txt", "\n  \n")]).detail
