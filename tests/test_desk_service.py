"""The desk's server side through Flask's test client: the page, the upload endpoint (the CLI's readers),
rendering a briefing the page already has, and the daily reports folder with safe paths."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from io import BytesIO
from pathlib import Path

import pytest

from app.article_files import load_articles, read_uploaded
from app.briefing import Briefing
from app.errors import InputError
from app.render import render
from tests.helpers import make_app, write

ROOT = Path(__file__).resolve().parents[1]
SUMMIT = ROOT / "examples" / "summit"
REPORT = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>الموجز اليومي — 2025-03-16</title>
<style>
  body { max-width: 46rem; }
</style></head>
<body><h1>الموجز اليومي — 2025-03-16</h1><p>افتتح وزير المياه محطة جديدة لتحلية مياه البحر.</p></body></html>
"""


def upload(client, files: list[tuple[str, bytes]], **headers: str):  # type: ignore[no-untyped-def]
    data = {"files": [(BytesIO(content), name) for name, content in files]}
    return client.post("/v1/articles/parse", data=data, content_type="multipart/form-data", headers=headers)


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    return make_app().test_client()


def test_uploaded_bytes_read_exactly_as_the_cli_reads_the_files() -> None:
    for path in sorted(SUMMIT.iterdir()):
        [from_path] = load_articles([path])
        [from_bytes] = read_uploaded([(path.name, path.read_bytes())])
        assert (from_bytes.id, from_bytes.title, from_bytes.text, from_bytes.source, from_bytes.published_at) == (
            from_path.id,
            from_path.title,
            from_path.text,
            from_path.source,
            from_path.published_at,
        )
        assert from_bytes.extra["file"] == path.name


def test_uploaded_jsonl_and_the_same_text_twice_get_unique_ids() -> None:
    rows = [{"title": "عنوان", "text": "افتتح وزير المياه محطة جديدة لتحلية مياه البحر في مدينة الساحل."}] * 2
    jsonl = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()
    articles = read_uploaded([("feed.jsonl", jsonl)])
    assert len({a.id for a in articles}) == 2
    with pytest.raises(InputError) as bad_line:
        read_uploaded([("feed.jsonl", b'{"title": "x"\n')])
    assert bad_line.value.field == "feed.jsonl:1"


def test_parse_endpoint_answers_the_articles_in_file_order(client) -> None:  # type: ignore[no-untyped-def]
    files = [(p.name, p.read_bytes()) for p in sorted(SUMMIT.iterdir())]
    response = upload(client, files)
    assert response.status_code == 200
    articles = response.get_json()["articles"]
    assert [a["file"] for a in articles] == [name for name, _ in files]
    expected = load_articles([SUMMIT])
    assert [(a["id"], a["title"], a["text"]) for a in articles] == [(a.id, a.title, a.text) for a in expected]
    html = articles[-1]
    assert html["source"] == "الساحل أونلاين" and html["published_at"].startswith("2025-03-17T08:30:00")


@pytest.mark.parametrize(
    ("files", "field", "detail"),
    [
        ([("notes.pdf", b"%PDF-1.7")], "notes.pdf", "unsupported file type '.pdf'"),
        ([("bad.txt", "عنوان\nنص".encode("cp1256"))], "bad.txt", "not valid UTF-8"),
        ([("bad.json", b"{")], "bad.json", "not valid JSON"),
        ([("only-title.txt", "عنوان وحده".encode())], "only-title.txt", "a title line but no text"),
        ([("../../etc/passwd.txt", "عنوان\nنص المقال".encode())], None, None),
    ],
)
def test_parse_endpoint_names_the_bad_file(client, files, field, detail) -> None:  # type: ignore[no-untyped-def]
    response = upload(client, files)
    if field is None:  # a path in the name is cut to its base name: it only labels the article
        assert response.status_code == 200
        assert response.get_json()["articles"][0]["file"] == "passwd.txt"
        return
    assert response.status_code == 422
    problem = response.get_json()
    assert response.mimetype == "application/problem+json"
    assert problem["field"] == field and detail in problem["detail"]


def test_parse_endpoint_refuses_no_files_json_and_oversized_bodies() -> None:
    client = make_app(max_body_bytes=2000, max_articles=2).test_client()
    assert client.post("/v1/articles/parse", data={}, content_type="multipart/form-data").status_code == 422
    assert client.post("/v1/articles/parse", json={"files": []}).status_code == 415
    big = ("big.txt", ("عنوان\n" + "كلمة " * 1000).encode())
    response = upload(client, [big])
    assert response.status_code == 413 and response.get_json()["field"] == "body"
    three = [(f"{i}.txt", f"عنوان {i}\nنص المقال رقم {i} عن محطة تحلية المياه.".encode()) for i in range(3)]
    response = upload(client, three)
    assert response.status_code == 422 and response.get_json()["field"] == "files"


def test_parse_and_render_need_the_key_when_keys_are_set_but_the_page_does_not() -> None:
    client = make_app(api_keys="k-1").test_client()
    page = client.get("/")
    assert page.status_code == 200 and 'data-auth="required"' in page.get_data(as_text=True)
    files = [("a.txt", "عنوان\nافتتح وزير المياه محطة جديدة لتحلية مياه البحر.".encode())]
    assert upload(client, files).status_code == 401
    assert upload(client, files, Authorization="Bearer k-1").status_code == 200
    assert client.post("/v1/briefings/render", json={}).status_code == 401


def test_page_markup_is_arabic_rtl_without_inline_code(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self'")
    assert '<html lang="ar" dir="rtl">' in html
    assert 'data-auth="none"' in html and "التقارير اليومية" not in html  # no reports folder configured
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/desk.js" defer>']
    assert "<style" not in html and " style=" not in html and not re.search(r"<[^>]+\son[a-z]+=", html)
    for testid in ("articles-input", "focus-input", "submit", "briefing", "error"):
        assert f'data-testid="{testid}"' in html
    # Every form control has a label.
    for control in re.findall(r'<(?:textarea|input|select)[^>]*\bid="([^"]+)"', html):
        assert f'<label for="{control}"' in html, control
    for name in ("desk.js", "desk.css"):
        static = client.get(f"/static/{name}")
        assert static.status_code == 200 and static.data
    js = client.get("/static/desk.js").get_data(as_text=True)
    for testid in ("key-point", "citation", "evidence"):  # made by the script
        assert f'"data-testid": "{testid}"' in js


def test_render_gives_the_api_renderers_output(client) -> None:  # type: ignore[no-untyped-def]
    articles = json.loads((ROOT / "tests" / "fixtures" / "service_articles.json").read_text(encoding="utf-8"))
    answer = client.post("/v1/briefings", json={"articles": articles["articles"], "format": "json"})
    assert answer.status_code == 200
    briefing = Briefing.model_validate(answer.get_json())
    for fmt in ("markdown", "html"):
        response = client.post(f"/v1/briefings/render?format={fmt}", json=answer.get_json())
        assert response.status_code == 200
        assert response.get_data(as_text=True) == render(briefing, fmt)
    assert client.post("/v1/briefings/render?format=pdf", json=answer.get_json()).status_code == 422
    assert client.post("/v1/briefings/render", json={"headline": "x"}).status_code == 422
    assert client.post("/v1/briefings/render", data="{", content_type="application/json").status_code == 400


def test_daily_is_off_until_a_reports_folder_is_set(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/daily/")
    assert response.status_code == 404 and response.get_json()["field"] == "MOJAZ_REPORTS_DIR"


def test_daily_lists_reports_newest_first_and_serves_them_with_their_style_hash(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    write(reports / "2025-03-16.html", REPORT)
    write(reports / "2025-03-17.html", REPORT.replace("16", "17"))
    write(reports / "2025-03-16.md", "# تقرير")
    write(reports / "notes.html", "<p>x</p>")
    write(reports / "2025-02-30.html", REPORT)  # not a date
    client = make_app(reports_dir=str(reports)).test_client()
    listing = client.get("/daily/").get_data(as_text=True)
    links = re.findall(r'href="/daily/([^"]+)"', listing)
    assert links == ["2025-03-17.html", "2025-03-16.html"]
    assert "16 مارس 2025" in listing

    response = client.get("/daily/2025-03-16.html")
    assert response.status_code == 200 and response.data == REPORT.encode()
    style = re.search(r"<style>(.*?)</style>", REPORT, re.DOTALL)[1]  # type: ignore[index]
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    policy = response.headers["Content-Security-Policy"]
    assert f"style-src 'sha256-{digest}'" in policy
    assert "script-src" not in policy and "default-src 'none'" in policy and "unsafe-inline" not in policy


@pytest.mark.parametrize(
    "path",
    [
        "/daily/notes.html",
        "/daily/2025-03-16.md",
        "/daily/2025-02-30.html",
        "/daily/2099-01-01.html",
        "/daily/..%2fsecret.html",
        "/daily/../secret.html",
        "/daily/%2e%2e/secret.html",
        "/daily/2025-03-16.html%00.txt",
        "/daily/escape.html",
        "/daily/2025-03-18.html",  # a symlink that leads out of the folder
    ],
)
def test_daily_serves_nothing_but_report_files_inside_the_folder(tmp_path: Path, path: str) -> None:
    reports = tmp_path / "reports"
    write(reports / "2025-03-16.html", REPORT)
    write(reports / "notes.html", "<p>x</p>")
    write(tmp_path / "secret.html", "<p>سر</p>")
    os.symlink(tmp_path / "secret.html", reports / "2025-03-18.html")
    client = make_app(reports_dir=str(reports)).test_client()
    response = client.get(path)
    assert response.status_code == 404
    assert "سر".encode() not in response.data
