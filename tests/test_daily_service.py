"""Service mode against the real Mojaz app served on 127.0.0.1, a flaky proxy, and a dead service."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from werkzeug.serving import make_server

from app import create_app
from app.daily.cli import main
from app.daily.pipeline import run_daily
from app.daily.runner import ServiceRunner, ServiceUnavailable

FEED = Path(__file__).parent / "fixtures" / "daily" / "feed.jsonl"
DAY = date(2024, 3, 10)
RIYADH = ZoneInfo("Asia/Riyadh")
KEY = "daily-test-key"


@pytest.fixture(scope="module")
def service() -> Iterator[str]:
    server = make_server("127.0.0.1", 0, create_app({"model": "none", "api_keys": KEY}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    deadline = time.monotonic() + 30
    while requests.get(f"{url}/readyz", timeout=5).status_code != 200:  # model stage "loads" in a thread
        assert time.monotonic() < deadline, "service never became ready"
        time.sleep(0.05)
    yield url
    server.shutdown()
    thread.join(5)


class _Flaky(ThreadingHTTPServer):
    """Answers 503 to the first `failures` POSTs, then relays to the real service."""

    def __init__(self, target: str, failures: int) -> None:
        self.target, self.failures, self.posts = target, failures, 0
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _FlakyHandler)


class _FlakyHandler(BaseHTTPRequestHandler):
    server: _Flaky

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with self.server.lock:
            self.server.posts += 1
            fail = self.server.posts <= self.server.failures
        if fail:
            payload = json.dumps({"status": 503, "title": "Service Unavailable", "detail": "warming up"}).encode()
            self.send_response(503)
            self.send_header("Content-Type", "application/problem+json")
        else:
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "authorization")}
            answer = requests.post(self.server.target + self.path, data=body, headers=headers, timeout=30)
            payload = answer.content
            self.send_response(answer.status_code)
            self.send_header("Content-Type", answer.headers["Content-Type"])
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def flaky(service: str, request: pytest.FixtureRequest) -> Iterator[_Flaky]:
    server = _Flaky(service, failures=getattr(request, "param", 1))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_cli_in_service_mode_with_api_key(
    service: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MOJAZ_API_KEY", KEY)
    code = main([str(FEED), "--date", "2024-03-10", "--tz", "Asia/Riyadh", "--out", str(tmp_path),
                 "--service-url", service, "--workers", "2"])
    err = capsys.readouterr().err

    assert code == 0, err
    report = json.loads((tmp_path / "2024-03-10.json").read_text(encoding="utf-8"))
    assert report["mode"] == f"service {service}"
    first, second = report["stories"]
    assert [a["id"] for a in first["briefing"]["articles"]] == ["a1", "a2", "a3"]
    assert first["briefing"]["key_points"] and second["briefing"]["headline"]["text"]
    assert err.startswith("daily 2024-03-10: 9 articles read, 7 on the day, 2 stories")


def test_same_briefings_as_in_process(service: str, tmp_path: Path) -> None:
    from app.daily.runner import InProcessRunner

    remote = run_daily(FEED, DAY, RIYADH, tmp_path, ServiceRunner(service, api_key=KEY), write=False)
    local = run_daily(FEED, DAY, RIYADH, tmp_path, InProcessRunner(), write=False)

    def points(result):
        return [[p.text for p in s.briefing.key_points] for s in result.report.stories]

    assert points(remote) == points(local)


def test_wrong_key_stops_with_a_clear_error(service: str) -> None:
    runner = ServiceRunner(service, api_key="wrong")
    with pytest.raises(ServiceUnavailable, match=r"refused the request \(401\); set MOJAZ_API_KEY"):
        run_daily(FEED, DAY, RIYADH, Path("unused"), runner, write=False)


def test_a_503_is_retried(flaky: _Flaky, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{flaky.server_port}"
    result = run_daily(FEED, DAY, RIYADH, tmp_path, ServiceRunner(url, api_key=KEY, workers=1, backoff=0.01))

    assert all(s.briefing is not None for s in result.report.stories)
    assert flaky.posts == 3  # one refused, then both stories


@pytest.mark.parametrize("flaky", [100], indirect=True)
def test_a_service_that_keeps_failing_stops_the_run(flaky: _Flaky, tmp_path: Path) -> None:
    (tmp_path / "2024-03-10.md").write_text("previous", encoding="utf-8")
    url = f"http://127.0.0.1:{flaky.server_port}"
    runner = ServiceRunner(url, api_key=KEY, workers=1, retries=2, backoff=0.01)

    with pytest.raises(ServiceUnavailable, match="answered 503 after retries: warming up"):
        run_daily(FEED, DAY, RIYADH, tmp_path, runner)
    assert flaky.posts == 3  # the first story, tried three times; the second never sent
    assert (tmp_path / "2024-03-10.md").read_text(encoding="utf-8") == "previous"


def test_a_story_the_service_rejects_is_reported_and_the_run_goes_on(service: str, tmp_path: Path) -> None:
    from app.articles import Article

    runner = ServiceRunner(service, api_key=KEY)
    english = [Article(id="e1", title="Weather", text="Sunny and warm all day in the city centre.")]
    arabic = [Article(id="a1", title="خبر", text="أعلنت الوزارة اليوم افتتاح مشروع جديد لخدمة السكان في المدينة.")]
    bad, good = runner.run([english, arabic], lambda: None)

    assert bad.briefing is None and bad.error and bad.error.startswith("service answered 422")
    assert good.briefing is not None
