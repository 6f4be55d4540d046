"""The tables of finnews's shared state, on one MetaData that the migrations describe."""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, MetaData, String, Table, Text

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
