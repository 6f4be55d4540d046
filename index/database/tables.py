"""The tables of finnews's shared state, on one MetaData that the migrations describe."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# --- feed registry (per vector-store collection: `store` is its key) ---
feeds = Table(
    "feeds",
    metadata,
    Column("store", String(200), primary_key=True),
    Column("url", Text, primary_key=True),
    Column("added", Float, nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_poll", Float),
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("backoff_until", Float, nullable=False, server_default="0"),
    Column("polls", Integer, nullable=False, server_default="0"),
    Column("items", Integer, nullable=False, server_default="0"),
    Column("errors", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
)
feed_items = Table(
    "feed_items",
    metadata,
    Column("store", String(200), primary_key=True),
    Column("feed", Text, primary_key=True),
    Column("key", Text, primary_key=True),
    Column("digest", Text, nullable=False),
    Column("seen", Float, nullable=False),
)
aliases = Table(
    "aliases",
    metadata,
    Column("store", String(200), primary_key=True),
    Column("url", Text, primary_key=True),
    Column("article_id", Text, nullable=False),
    Column("at", Float, nullable=False),
)

# --- the conversation ledger ---
answers = Table(
    "answers",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("question", Text, nullable=False),
    Column("prose", Text, nullable=False),
    Column("reply", Text, nullable=False),  # the answer as JSON (answer_data)
    Column("user", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("thread", Text),
    Column("message", Text),
    Column("at", String(40), nullable=False),  # ISO 8601 UTC, microseconds: sorts as text
    Index("answers_thread", "channel", "thread"),
    Index("answers_message", "channel", "message"),
)
votes = Table(
    "votes",
    metadata,
    Column("answer_id", String(64), primary_key=True),
    Column("user", Text, primary_key=True),
    Column("helpful", Integer, nullable=False),
    Column("at", String(40), nullable=False),
)

# --- what replicas agree on: events taken, requests counted, posts claimed, leases ---
seen_keys = Table(
    "seen_keys",
    metadata,
    Column("key", Text, primary_key=True),
    Column("at", Float, nullable=False, index=True),
)
rate_hits = Table(
    "rate_hits",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("scope", String(100), nullable=False),
    Column("user", Text, nullable=False),
    Column("at", Float, nullable=False),
    Index("rate_hits_user", "scope", "user", "at"),
)
digest_posts = Table(
    "digest_posts",
    metadata,
    Column("store", String(200), primary_key=True),
    Column("channel", Text, primary_key=True),
    Column("period", String(100), primary_key=True),
    Column("state", String(20), nullable=False),
    Column("owner", Text, nullable=False),
    Column("at", String(40), nullable=False),
    Column("ts", Text),
    Column("error", Text),
)
leases = Table(
    "leases",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("owner", Text, nullable=False),
    Column("until", Float, nullable=False),
)
imports = Table(  # legacy files already read into this database, so none is read twice
    "imports",
    metadata,
    Column("source", Text, primary_key=True),
    Column("at", Float, nullable=False),
)

# --- watchlists and the alerts they fired (bot/alerts/store.py) ---
watches = Table(
    "watches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("channel", String(200), nullable=False),  # "slack:C0123ABCD", "discord:1234..."
    Column("name", String(300), nullable=False),  # as the user typed it
    Column("key", String(300), nullable=False),  # what makes two watches the same
    Column("kind", String(20), nullable=False),  # company, kind or topic
    Column("added_by", String(200), nullable=False),
    Column("added_at", Float, nullable=False),
    UniqueConstraint("channel", "key", name="watches_channel_key"),
)
alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("watch_id", Integer, ForeignKey("watches.id", ondelete="CASCADE"), nullable=False),
    Column("channel", String(200), nullable=False),
    Column("story", String(200), nullable=False),  # the id of the story's first article
    Column("state", String(20), nullable=False),  # posting, posted, failed, gave up, held
    Column("message", String(200)),  # the posted message's id
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("error", Text),
    Column("content", Text, nullable=False),  # the alert as JSON, to post again or update
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    UniqueConstraint("watch_id", "channel", "story", name="alerts_once"),  # fire once
    Index("alerts_state", "state"),
    Index("alerts_channel", "channel", "created_at"),  # a channel's daily cap
)
alert_sources = Table(
    "alert_sources",
    metadata,
    Column("alert_id", Integer, ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", String(100), primary_key=True),
    Index("alert_sources_article", "article_id"),
)
