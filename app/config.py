"""Configuration from the environment (MOJAZ_*), shared by the CLI, the service and the scripts."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MOJAZ_", extra="ignore")

    # Engine
    prompts_dir: Path = ROOT / "prompts"
    max_words: int = 350
    max_key_points: int = 12

    # Model stage: a folder (models/<name>) or a hub id; "" or "none" disables it.
    model: str = "models/arabart-summ"
    model_threads: int = 2
    quantize: bool = True
    cache_path: Path = ROOT / "var" / "summary-cache.sqlite3"

    # Service
    api_keys: str = ""
    max_body_bytes: int = 4 * 1024 * 1024
    max_articles: int = 100
    max_article_chars: int = 100_000

    def api_key_list(self) -> list[str]:
        return [key.strip() for key in self.api_keys.split(",") if key.strip()]


def get_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]
