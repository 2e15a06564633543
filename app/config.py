"""Configuration from the environment (MOJAZ_*), shared by the CLI, the service and the scripts."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MOJAZ_", extra="ignore")

    # Engine
    prompts_dir: Path = ROOT / "prompts"
    max_words: int = 140  # headline + key points: a 5-article Markdown briefing stays under 450 words
    max_key_points: int = 12

    # Model stage: a folder (models/<name>) or a hub id; "" or "none" disables it.
    model: str = "models/arabart-summ"
    # 0: the usable cores divided between WEB_CONCURRENCY worker processes (app/model/threads.py).
    model_threads: int = 0
    # auto: bf16-int8 on CPUs with native bf16 (AMX / AVX512-BF16), else int8 (app/model/numerics.py).
    numerics: Literal["auto", "bf16-int8", "bf16", "int8", "fp32"] = "auto"
    quantize: bool = True  # false: fp32 whatever `numerics` says (the switch from before `numerics`)
    cache_path: Path = ROOT / "var" / "summary-cache.sqlite3"

    # Service
    api_keys: str = ""
    max_body_bytes: int = 4 * 1024 * 1024
    max_articles: int = 100
    max_article_chars: int = 100_000
    max_focus_chars: int = 1_000
    # All articles of one request together; bounds the time selection takes (it grows faster than linearly).
    max_total_words: int = 100_000
    # Seconds a briefing may take; past it the caller gets 503 and the worker thread moves on.
    request_timeout: float = 30.0
    # Seconds a client may take to send its request body (read on the event loop, app/service/asgi.py).
    body_timeout: float = 60.0
    # Threads per gunicorn worker that run the Flask app once a request's body has arrived.
    threads: int = 4
    # "background": /readyz says 503 until the model is loaded; "sync": load inside create_app
    # (gunicorn sets it so the model loads once in the master before fork).
    model_load: Literal["background", "sync"] = "background"
    log_level: str = "INFO"
    # Daily: the meaning check's e5-small in torch; auto = bf16 on CPUs with AMX, else fp32 (app/daily/e5_torch.py).
    meaning_numerics: Literal["auto", "bf16", "fp32"] = "auto"
    # The daily reports folder (`python -m app daily ... --out DIR`) served under /daily/; "" serves none.
    reports_dir: str = ""

    def api_key_list(self) -> list[str]:
        return [key.strip() for key in self.api_keys.split(",") if key.strip()]


def get_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]
