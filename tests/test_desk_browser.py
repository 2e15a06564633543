"""The analysts' desk in a real headless Chromium, against the app under real gunicorn on 127.0.0.1.

The browser is Debian's chromium driven by Playwright through its executable path (nothing is downloaded).
Every request the page makes is recorded: none may leave the server's address. The console must stay free of
errors (a CSP violation shows there). Screenshots land in MOJAZ_DESK_SCREENSHOTS (default: pytest's tmp).

Skipped only outside CI when the browser is missing; with CI set, a missing browser fails.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from app.article_files import load_articles

ROOT = Path(__file__).resolve().parents[1]
SUMMIT = ROOT / "examples" / "summit"
CHROMIUM = os.environ.get("MOJAZ_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
KEY = "desk-test-key-7f3a"
REPORT_DAY = "2025-03-16"
BODY_LIMIT = 200_000  # the example set is about 30 kB
NO_ARABIC = "City council meets\nThe council met on Monday to discuss the budget for next year.\n---\n" \
    "Rain expected\nForecasters expect heavy rain over the weekend in the north of the country."


def _browser_missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no browser at {CHROMIUM} (bash scripts/install_browser.sh)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (requirements-dev.txt)"
    return None


_MISSING = _browser_missing()
if _MISSING:
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests: {_MISSING}", pytrace=False)
    pytest.skip(_MISSING, allow_module_level=True)

from playwright.sync_api import Browser, Page, Request, Route, sync_playwright  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """The Dockerfile's command (so the test runs what the image runs), bound to 127.0.0.1 on a free port."""

    def __init__(self, tmp: Path, extra_env: dict[str, str]) -> None:
        command = next(json.loads(line[4:]) for line in (ROOT / "Dockerfile").read_text().splitlines()
                       if line.startswith("CMD "))
        command[0] = str(Path(sys.executable).parent / command[0])  # the venv's gunicorn
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MOJAZ_", "PROMETHEUS_"))}
        env.update(MOJAZ_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1", MOJAZ_MODEL="none",
                   MOJAZ_CACHE_PATH=str(tmp / "cache.sqlite3"), **extra_env)
        self.log_path = tmp / "gunicorn.log"
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited {self.process.returncode}: {self.log_path.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn not ready in {seconds} s: {self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def pasted_example_set() -> str:
    """examples/summit as a user pastes it: title line, text, and a line with only --- between articles."""
    return "\n---\n".join(f"{a.title}\n{a.text}" for a in load_articles([SUMMIT]))


def squeeze(text: str) -> str:
    return re.sub(r"[\s\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]+", "", text)


@pytest.fixture(scope="module")
def reports_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real daily report, written by the daily command over the example feed."""
    out = tmp_path_factory.mktemp("reports")
    command = [sys.executable, "-m", "app", "daily", str(ROOT / "examples" / "feed.jsonl"), "--date", REPORT_DAY,
               "--tz", "UTC", "--out", str(out), "--model", "none", "--no-meaning-check"]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=300)
    assert (out / f"{REPORT_DAY}.html").is_file()
    return out


def _start(tmp: Path, extra_env: dict[str, str]) -> Server:
    server = Server(tmp, extra_env)
    try:
        server.wait_ready()
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, reports_dir: Path) -> Iterator[Server]:
    env = {"MOJAZ_REPORTS_DIR": str(reports_dir), "MOJAZ_MAX_BODY_BYTES": str(BODY_LIMIT)}
    running = _start(tmp_path_factory.mktemp("desk"), env)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = _start(tmp_path_factory.mktemp("desk-keys"), {"MOJAZ_API_KEYS": KEY})
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("MOJAZ_DESK_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Watched:
    """A page whose every request and console error is recorded."""

    page: Page
    origin: str
    requests: list[Request] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def check(self, allowed_errors: str | None = None) -> None:
        assert self.requests, "the page made no requests"
        assert not self.foreign, f"requests left 127.0.0.1: {self.foreign}"
        hosts = {urlsplit(r.url).netloc for r in self.requests if urlsplit(r.url).scheme in ("http", "https")}
        assert hosts == {urlsplit(self.origin).netloc}
        unexpected = [e for e in self.errors if not (allowed_errors and re.search(allowed_errors, e))]
        assert not unexpected, f"console errors: {unexpected}"


def open_page(browser: Browser, origin: str, width: int = 1280, height: int = 900, **context: Any) -> Watched:
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="ar", **context)
    page = ctx.new_page()
    watched = Watched(page, origin)

    def route(route: Route) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in ("http", "https") and f"{url.scheme}://{url.netloc}" != origin:
            watched.foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    ctx.route("**/*", route)
    page.on("request", lambda r: watched.requests.append(r))
    page.on("console", lambda m: watched.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: watched.errors.append(f"uncaught: {exc}"))
    page.goto(origin + "/")
    return watched


def brief(page: Page, text: str) -> dict[str, Any]:
    """Paste, press Brief, and return the briefing JSON the page received."""
    page.get_by_test_id("articles-input").fill(text)
    with page.expect_response(lambda r: r.url.endswith("/v1/briefings")) as answer:
        page.get_by_test_id("submit").click()
    response = answer.value
    assert response.status == 200, response.text()
    page.get_by_test_id("key-point").first.wait_for()
    return response.json()


def check_citation(page: Page, citation: Any, briefing: dict[str, Any], articles: dict[str, str]) -> None:
    """Click a citation: the cited article opens beside the briefing, its supporting sentence highlighted."""
    article_id = citation.get_attribute("data-article-id")
    point = briefing["key_points"][int(citation.get_attribute("data-point"))]
    [evidence] = [e for e in point["evidence"] if e["article_id"] == article_id]
    citation.click()
    mark = page.get_by_test_id("evidence")
    mark.wait_for()
    assert page.locator("#article-note").inner_text() == "", "the sentence was not found in the article's text"
    # The highlighted words are the engine's supporting sentence, and they sit in that article's own text.
    assert " ".join(mark.inner_text().split()) == " ".join(evidence["sentence"].split())
    shown = page.get_by_test_id("article-text").inner_text()
    assert squeeze(shown) == squeeze(articles[article_id])
    assert squeeze(evidence["sentence"]) in squeeze(shown)
    title = next(a["title"] for a in briefing["articles"] if a["id"] == article_id)
    assert page.locator("#article-title").inner_text() == title
    # Highlighted, scrolled into view, and focused (a screen reader reads it out).
    background = mark.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert mark.evaluate("m => document.activeElement === m")
    box = mark.bounding_box()
    viewport = page.viewport_size
    assert box and viewport and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= viewport["height"]


def test_the_page_is_arabic_rtl_under_a_strict_csp(server: Server) -> None:
    response = requests.get(server.url + "/", timeout=10)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    html = response.text
    assert '<html lang="ar" dir="rtl">' in html
    for testid in ("articles-input", "focus-input", "submit", "briefing", "error"):
        assert f'data-testid="{testid}"' in html
    assert "<style" not in html and " style=" not in html  # no inline style, no inline event handlers
    assert not re.search(r"<[^>]+\son[a-z]+=", html)
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/desk.js" defer>']


def test_paste_five_articles_brief_and_check_every_citation(
    server: Server, browser: Browser, screenshots: Path
) -> None:
    watched = open_page(browser, server.url)
    page = watched.page
    text = pasted_example_set()
    briefing = brief(page, text)
    points = page.get_by_test_id("key-point")
    assert points.count() == len(briefing["key_points"]) >= 3
    assert page.locator("#headline").inner_text() == briefing["headline"]["text"]
    assert page.get_by_test_id("source").count() == 5
    pasted = {f"pasted-{i}": a.text for i, a in enumerate(load_articles([SUMMIT]), start=1)}

    citations = page.get_by_test_id("citation")
    assert citations.count() >= len(briefing["key_points"])
    for i in range(citations.count()):
        check_citation(page, citations.nth(i), briefing, pasted)
    citations.first.click()
    page.screenshot(path=str(screenshots / "desk-desktop-1280.png"), full_page=False)
    page.screenshot(path=str(screenshots / "desk-desktop-1280-full.png"), full_page=True)
    watched.check()


def test_upload_the_example_files_in_every_format(server: Server, browser: Browser) -> None:
    watched = open_page(browser, server.url)
    page = watched.page
    files = sorted(SUMMIT.iterdir())
    with page.expect_response(lambda r: r.url.endswith("/v1/articles/parse")) as parsed:
        page.get_by_test_id("files-input").set_input_files([str(p) for p in files])
    assert parsed.value.status == 200
    read = parsed.value.json()["articles"]
    expected = load_articles([SUMMIT])  # the CLI's reading of the same files
    assert [(a["title"], a["text"]) for a in read] == [(a.title, a.text) for a in expected]
    listed = page.get_by_test_id("file-article")
    listed.nth(len(files) - 1).wait_for()
    assert listed.count() == 5

    page.get_by_test_id("focus-input").fill("كم ميغاواط سيحصل عليها العراق؟")
    with page.expect_response(lambda r: r.url.endswith("/v1/briefings")) as answer:
        page.get_by_test_id("submit").click()
    briefing = answer.value.json()
    page.get_by_test_id("key-point").first.wait_for()
    assert page.get_by_test_id("key-point").count() >= 3
    assert briefing["focus"] == "كم ميغاواط سيحصل عليها العراق؟"
    titles = page.get_by_test_id("source").all_inner_texts()
    html_title = next(a.title for a in expected if a.extra["file"].endswith(".html"))
    assert any(html_title in t for t in titles)
    texts = {a["id"]: a["text"] for a in read}
    json_cited = page.locator('[data-testid="citation"][data-article-id="mashreq-2025-03-16-aqaba"]')
    check_citation(page, json_cited.first, briefing, texts)
    watched.check()


DROP = """([name, text]) => {
  const data = new DataTransfer();
  data.items.add(new File([text], name));
  const zone = document.getElementById("drop-zone");
  for (const type of ["dragover", "drop"]) {
    zone.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
  }
}"""


def test_dropped_files_are_read_listed_and_removable(server: Server, browser: Browser) -> None:
    watched = open_page(browser, server.url)
    page = watched.page
    with page.expect_response(lambda r: r.url.endswith("/v1/articles/parse")) as refused:
        page.evaluate(DROP, ["notes.pdf", "%PDF-1.7"])
    assert refused.value.status == 422
    page.get_by_test_id("error").get_by_text("نوع الملف «notes.pdf» غير مدعوم").wait_for()

    path = SUMMIT / "01-almasdar.txt"
    with page.expect_response(lambda r: r.url.endswith("/v1/articles/parse")) as parsed:
        page.evaluate(DROP, [path.name, path.read_text(encoding="utf-8")])
    assert parsed.value.status == 200
    listed = page.get_by_test_id("file-article")
    listed.first.wait_for()
    [article] = load_articles([path])
    assert article.title in listed.first.inner_text() and path.name in listed.first.inner_text()
    assert page.get_by_test_id("error").inner_text() == ""  # the earlier error is gone
    listed.first.get_by_role("button", name=re.compile("احذف")).click()
    assert listed.count() == 0
    watched.check(allowed_errors=r"Failed to load resource.*422")


def test_a_set_without_arabic_shows_an_arabic_error(server: Server, browser: Browser, screenshots: Path) -> None:
    watched = open_page(browser, server.url)
    page = watched.page
    page.get_by_test_id("articles-input").fill(NO_ARABIC)
    with page.expect_response(lambda r: r.url.endswith("/v1/briefings")) as answer:
        page.get_by_test_id("submit").click()
    assert answer.value.status == 422
    error = page.get_by_test_id("error")
    error.get_by_text("لا يوجد نص عربي").wait_for()
    assert error.get_attribute("role") == "alert"
    page.screenshot(path=str(screenshots / "desk-error-1280.png"))
    assert page.locator("#results").is_hidden()
    # Empty input is caught before any request.
    page.get_by_test_id("articles-input").fill("")
    page.get_by_test_id("submit").click()
    assert "الصق مقالًا واحدًا على الأقل" in error.inner_text()
    page.get_by_test_id("articles-input").fill("عنوان المقال الأول\nنص المقال الأول عن القمة.\n---\nعنوان بلا نص\n")
    page.get_by_test_id("submit").click()
    assert "المقال الملصق رقم 2 فيه سطر عنوان بلا نص" in error.inner_text()
    watched.check(allowed_errors=r"Failed to load resource.*422")


def test_too_large_and_busy_are_shown_in_arabic(server: Server, browser: Browser) -> None:
    watched = open_page(browser, server.url)
    page = watched.page
    error = page.get_by_test_id("error")
    long_article = "مقال طويل جدا\n" + "وقال الوزير إن الاتفاق يفتح مرحلة جديدة من التعاون. " * (BODY_LIMIT // 50)
    assert len(long_article.encode()) > BODY_LIMIT
    page.get_by_test_id("articles-input").fill(long_article)
    with page.expect_response(lambda r: r.url.endswith("/v1/briefings")) as answer:
        page.get_by_test_id("submit").click()
    assert answer.value.status == 413  # the real service's answer
    error.get_by_text("أكبر من الحد الذي تقبله الخدمة").wait_for()

    # Busy: the problem+json the service sends while the model loads, with its Retry-After.
    busy = {"type": "about:blank", "title": "Service Unavailable", "status": 503,
            "detail": "the model is still loading; retry shortly", "request_id": "r-1"}
    page.route("**/v1/briefings", lambda route: route.fulfill(
        status=503, content_type="application/problem+json", headers={"Retry-After": "5"}, body=json.dumps(busy)))
    page.get_by_test_id("articles-input").fill(pasted_example_set())
    page.get_by_test_id("submit").click()
    error.get_by_text("الخدمة مشغولة الآن").wait_for()
    assert "بعد 5 ثوانٍ" in error.inner_text() and "r-1" in error.inner_text()
    assert page.get_by_test_id("submit").is_enabled()
    watched.check(allowed_errors=r"Failed to load resource.*(413|503)")


def test_phone_width(server: Server, browser: Browser, screenshots: Path) -> None:
    watched = open_page(browser, server.url, width=390, height=844, is_mobile=True, has_touch=True)
    page = watched.page
    page.screenshot(path=str(screenshots / "desk-phone-390-empty.png"))
    text = pasted_example_set()
    briefing = brief(page, text)
    pasted = {f"pasted-{i}": a.text for i, a in enumerate(load_articles([SUMMIT]), start=1)}
    check_citation(page, page.get_by_test_id("citation").nth(1), briefing, pasted)
    page.screenshot(path=str(screenshots / "desk-phone-390.png"))
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at 390px"
    watched.check()


def test_keyboard_only(server: Server, browser: Browser) -> None:
    watched = open_page(browser, server.url)
    page = watched.page
    order = []
    for _ in range(12):
        page.keyboard.press("Tab")
        order.append(page.evaluate("() => document.activeElement.id || document.activeElement.textContent.trim()"))
    start = order.index("articles-input")
    assert order[start:start + 5] == ["articles-input", "files-input", "focus-input", "length-input", "submit"]
    page.locator("#articles-input").focus()
    page.keyboard.insert_text(pasted_example_set())
    page.locator("#submit").focus()
    page.keyboard.press("Enter")
    page.get_by_test_id("key-point").first.wait_for()
    assert page.evaluate("() => document.activeElement.id") == "headline"  # focus moves to the result
    assert "اكتمل الموجز" in page.get_by_test_id("status").inner_text()
    citation = page.get_by_test_id("citation").first
    citation.focus()
    page.keyboard.press("Enter")
    page.get_by_test_id("evidence").wait_for()
    assert page.evaluate("() => document.activeElement.dataset.testid") == "evidence"
    page.keyboard.press("Escape")
    assert page.locator("#article-panel").is_hidden()
    assert page.evaluate("() => document.activeElement.dataset.testid") == "citation"
    watched.check()


def test_copy_markdown_and_download_html_and_json(server: Server, browser: Browser) -> None:
    watched = open_page(browser, server.url, permissions=["clipboard-read", "clipboard-write"])
    page = watched.page
    briefing = brief(page, pasted_example_set())
    with page.expect_download() as json_download:
        page.get_by_test_id("download-json").click()
    assert json.loads(Path(json_download.value.path()).read_text(encoding="utf-8")) == briefing
    with page.expect_download() as html_download:
        page.get_by_test_id("download-html").click()
    html = Path(html_download.value.path()).read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'dir="rtl"' in html
    assert briefing["key_points"][0]["text"].split()[0] in html
    page.get_by_test_id("copy-markdown").click()
    page.get_by_text("نُسخ الموجز بصيغة Markdown").wait_for()
    markdown = page.evaluate("() => navigator.clipboard.readText()")
    assert markdown.startswith("#") and briefing["headline"]["text"].split()[0] in markdown
    watched.check()


def test_api_key_is_asked_once_per_tab_and_sent_as_bearer(keyed_server: Server, browser: Browser) -> None:
    watched = open_page(browser, keyed_server.url)
    page = watched.page
    key_input = page.get_by_test_id("api-key-input")
    assert key_input.is_visible()
    page.get_by_test_id("articles-input").fill(pasted_example_set())
    page.get_by_test_id("submit").click()
    assert "أدخل مفتاح الواجهة" in page.get_by_test_id("error").inner_text()

    key_input.fill("wrong-key")
    with page.expect_response(lambda r: r.url.endswith("/v1/briefings")) as answer:
        page.get_by_test_id("submit").click()
    assert answer.value.status == 401
    page.get_by_test_id("error").get_by_text("مفتاح الواجهة مفقود أو غير صحيح").wait_for()
    assert key_input.is_visible()

    key_input.fill(KEY)
    with page.expect_response(lambda r: r.url.endswith("/v1/briefings")) as answer:
        page.get_by_test_id("submit").click()
    assert answer.value.status == 200
    assert answer.value.request.headers["authorization"] == f"Bearer {KEY}"
    assert key_input.is_hidden()

    page.reload()  # the same tab keeps the key
    assert page.get_by_test_id("api-key-input").is_hidden()
    briefing = brief(page, pasted_example_set())
    assert briefing["key_points"]
    assert page.evaluate("() => localStorage.length") == 0  # never kept beyond the tab
    watched.check(allowed_errors=r"Failed to load resource.*401")

    other_tab = open_page(browser, keyed_server.url)  # a new tab (context) asks again
    assert other_tab.page.get_by_test_id("api-key-input").is_visible()
    other_tab.check()


def test_daily_reports_are_listed_and_served_under_their_own_csp(server: Server, browser: Browser) -> None:
    watched = open_page(browser, server.url)
    page = watched.page
    page.get_by_role("link", name="التقارير اليومية").click()
    page.get_by_test_id("daily-list").wait_for()
    assert page.url == server.url + "/daily/"
    with page.expect_response(lambda r: r.url.endswith(f"/daily/{REPORT_DAY}.html")) as answer:
        page.get_by_role("link", name=re.compile("16 مارس 2025")).click()
    policy = answer.value.headers["content-security-policy"]
    assert "script-src" not in policy and "'sha256-" in policy and "unsafe-inline" not in policy
    page.get_by_role("heading", level=1).wait_for()
    assert "16 مارس 2025" in page.get_by_role("heading", level=1).inner_text()  # the report's Arabic date
    # The report's own <style> applies (allowed by its hash), so the CSP did not strip its layout.
    assert page.evaluate("() => getComputedStyle(document.body).maxWidth") != "none"
    watched.check()
