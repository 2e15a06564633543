"""One briefing per story: in this process (engine + model stage), or on a running Mojaz service."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

import requests
from pydantic import ValidationError
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from app.articles import Article
from app.briefing import Briefing
from app.config import Settings, get_settings
from app.errors import InputError
from app.summarizer import ArticleSummarizer, ModelStatus

API_KEY_ENV = "MOJAZ_API_KEY"
RETRY_STATUSES = (429, 500, 502, 503, 504)


class ServiceUnavailable(RuntimeError):
    """The service could not be reached, or kept failing after every retry: the run stops."""


@dataclass
class StoryOutcome:
    briefing: Briefing | None
    error: str | None = None  # the story's own problem (e.g. no Arabic text); the run goes on


class BriefingRunner(Protocol):
    mode: str

    def run(self, stories: Sequence[Sequence[Article]], on_done: Callable[[], None]) -> list[StoryOutcome]: ...


def load_model_stage(settings: Settings) -> tuple[ArticleSummarizer | None, ModelStatus]:
    """The configured model stage (with its per-article cache), or extractive mode and the reason."""
    if settings.model.strip().lower() in ("", "none"):
        return None, ModelStatus(mode="extractive", model=None, reason="model stage turned off")
    try:
        from app.model import load_summarizer
    except ImportError as exc:
        return None, ModelStatus(mode="extractive", model=None, reason=f"model stage not available ({exc})")
    return load_summarizer(settings=settings)


class InProcessRunner:
    """The engine in this process; stories run one after another (the model already uses every core)."""

    def __init__(
        self,
        *,
        focus: str | None = None,
        max_words: int | None = None,
        summarizer: ArticleSummarizer | None = None,
        model_status: ModelStatus | None = None,
    ) -> None:
        self.focus = focus
        self.max_words = max_words
        self.summarizer = summarizer
        self.model_status = model_status
        self.mode = "abstractive+extractive" if summarizer is not None else "extractive"
        model = getattr(model_status, "model", None) if summarizer is not None else None
        # A briefing is reused from the cache only when it was made with the same settings and model.
        self.cache_tag = f"in-process|{self.mode}|{model}|{focus}|{max_words}"

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **options: Any) -> InProcessRunner:
        summarizer, status = load_model_stage(settings or get_settings())
        return cls(summarizer=summarizer, model_status=status, **options)

    def run(self, stories: Sequence[Sequence[Article]], on_done: Callable[[], None]) -> list[StoryOutcome]:
        from app.engine import build_briefing

        outcomes = []
        for articles in stories:
            try:
                briefing = build_briefing(
                    articles,
                    focus=self.focus,
                    max_words=self.max_words,
                    summarizer=self.summarizer,
                    model_status=self.model_status,
                )
                outcomes.append(StoryOutcome(briefing))
            except InputError as exc:
                outcomes.append(StoryOutcome(None, str(exc)))
            on_done()
        return outcomes


def article_payload(article: Article) -> dict[str, Any]:
    payload: dict[str, Any] = {"id": article.id, "title": article.title, "text": article.text}
    if article.source:
        payload["source"] = article.source
    if article.url:
        payload["url"] = article.url
    if article.published_at:
        payload["published_at"] = article.published_at.isoformat()
    return payload


def _problem_detail(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text.strip().splitlines()[0][:200] if response.text.strip() else response.reason
    if isinstance(body, dict):
        detail = str(body.get("detail") or body.get("title") or response.reason)
        field = body.get("field")
        return f"{field}: {detail}" if field else detail
    return response.reason


class ServiceRunner:
    """POST each story to a Mojaz service's /v1/briefings, a few at a time.

    Connection errors, 429 and 5xx are retried with exponential backoff (urllib3's Retry, which also
    honours Retry-After); when retries run out the whole run stops with one clear error, because
    every later story would fail the same way. A 4xx answer is the story's own problem: it is
    recorded in the report and the run goes on.
    """

    def __init__(
        self,
        url: str,
        *,
        workers: int = 4,
        timeout: float = 120.0,
        connect_timeout: float = 5.0,
        retries: int = 3,
        backoff: float = 0.5,
        focus: str | None = None,
        max_words: int | None = None,
        api_key: str | None = None,
    ) -> None:
        self.endpoint = url.rstrip("/") + "/v1/briefings"
        self.mode = f"service {url.rstrip('/')}"
        self.workers = max(1, workers)
        self.timeout = (connect_timeout, timeout)
        self.retry = Retry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            other=0,
            backoff_factor=backoff,
            backoff_max=30,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"POST"}),  # a briefing is computed, not stored: safe to repeat
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        self.focus = focus
        self.max_words = max_words
        self.cache_tag = f"service|{self.endpoint}|{focus}|{max_words}"
        key = api_key if api_key is not None else os.environ.get(API_KEY_ENV, "")
        self.headers = {"Accept": "application/json", "User-Agent": "mojaz-daily"}
        if key.strip():
            self.headers["Authorization"] = f"Bearer {key.strip()}"
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            adapter = HTTPAdapter(max_retries=self.retry, pool_maxsize=1)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.headers.update(self.headers)
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def briefing(self, articles: Sequence[Article]) -> StoryOutcome:
        body: dict[str, Any] = {"articles": [article_payload(a) for a in articles], "format": "json"}
        if self.focus:
            body["focus"] = self.focus
        if self.max_words:
            body["max_words"] = self.max_words
        try:
            response = self._session().post(self.endpoint, json=body, timeout=self.timeout)
        except requests.exceptions.RetryError as exc:
            raise ServiceUnavailable(f"{self.endpoint} kept failing after retries ({exc.__class__.__name__})") from exc
        except requests.exceptions.Timeout as exc:
            raise ServiceUnavailable(f"{self.endpoint} did not answer within {self.timeout[1]:g} s") from exc
        except requests.exceptions.ConnectionError as exc:
            raise ServiceUnavailable(f"cannot reach {self.endpoint}: {_connection_reason(exc)}") from exc
        except requests.exceptions.RequestException as exc:
            raise ServiceUnavailable(f"{self.endpoint}: {exc}") from exc
        if response.status_code in RETRY_STATUSES:
            raise ServiceUnavailable(
                f"{self.endpoint} answered {response.status_code} after retries: {_problem_detail(response)}"
            )
        if response.status_code in (401, 403):
            raise ServiceUnavailable(
                f"{self.endpoint} refused the request ({response.status_code}); set {API_KEY_ENV}"
            )
        if response.status_code != 200:
            return StoryOutcome(None, f"service answered {response.status_code}: {_problem_detail(response)}")
        try:
            return StoryOutcome(Briefing.model_validate(response.json()))
        except (ValueError, ValidationError) as exc:
            problem = exc.__class__.__name__
            raise ServiceUnavailable(f"{self.endpoint} did not answer with a briefing ({problem})") from exc

    def run(self, stories: Sequence[Sequence[Article]], on_done: Callable[[], None]) -> list[StoryOutcome]:
        stop = threading.Event()  # set by the first fatal failure: queued stories are not sent

        def one(articles: Sequence[Article]) -> StoryOutcome | None:
            if stop.is_set():
                return None
            try:
                outcome = self.briefing(articles)
            except ServiceUnavailable:
                stop.set()
                raise
            on_done()
            return outcome

        try:
            with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="mojaz-daily") as pool:
                futures = [pool.submit(one, articles) for articles in stories]
                try:
                    outcomes = [future.result() for future in futures]
                except ServiceUnavailable:
                    for future in futures:
                        future.cancel()  # every later story would fail the same way
                    raise
                return [outcome for outcome in outcomes if outcome is not None]
        finally:
            with self._lock:
                for session in self._sessions:
                    session.close()
                self._sessions.clear()


def _connection_reason(exc: requests.exceptions.ConnectionError) -> str:
    # requests wraps urllib3's MaxRetryError whose reason is the useful part ("Connection refused").
    reason = exc.args[0] if exc.args else exc
    inner = getattr(reason, "reason", None)
    text = str(inner or reason)
    return text.split(": ", 1)[-1] if "Errno" in text or "Failed" in text else text
