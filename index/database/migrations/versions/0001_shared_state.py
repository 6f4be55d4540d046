"""Shared state: feed registry, conversation ledger, dedupe, rate limits, digest claims, leases.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("store", sa.String(200), primary_key=True),
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("added", sa.Float, nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_poll", sa.Float),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("backoff_until", sa.Float, nullable=False, server_default="0"),
        sa.Column("polls", sa.Integer, nullable=False, server_default="0"),
        sa.Column("items", sa.Integer, nullable=False, server_default="0"),
        sa.Column("errors", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
    )
    op.create_table(
        "feed_items",
        sa.Column("store", sa.String(200), primary_key=True),
        sa.Column("feed", sa.Text, primary_key=True),
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("digest", sa.Text, nullable=False),
        sa.Column("seen", sa.Float, nullable=False),
    )
    op.create_table(
        "aliases",
        sa.Column("store", sa.String(200), primary_key=True),
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("at", sa.Float, nullable=False),
    )
    op.create_table(
        "answers",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("prose", sa.Text, nullable=False),
        sa.Column("reply", sa.Text, nullable=False),
        sa.Column("user", sa.Text, nullable=False),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("thread", sa.Text),
        sa.Column("message", sa.Text),
        sa.Column("at", sa.String(40), nullable=False),
    )
    op.create_index("answers_thread", "answers", ["channel", "thread"])
    op.create_index("answers_message", "answers", ["channel", "message"])
    op.create_table(
        "votes",
        sa.Column("answer_id", sa.String(64), primary_key=True),
        sa.Column("user", sa.Text, primary_key=True),
        sa.Column("helpful", sa.Integer, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
    )
    op.create_table(
        "seen_keys",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("at", sa.Float, nullable=False),
    )
    op.create_index("ix_seen_keys_at", "seen_keys", ["at"])
    op.create_table(
        "rate_hits",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("scope", sa.String(100), nullable=False),
        sa.Column("user", sa.Text, nullable=False),
        sa.Column("at", sa.Float, nullable=False),
    )
    op.create_index("rate_hits_user", "rate_hits", ["scope", "user", "at"])
    op.create_table(
        "digest_posts",
        sa.Column("store", sa.String(200), primary_key=True),
        sa.Column("channel", sa.Text, primary_key=True),
        sa.Column("period", sa.String(100), primary_key=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("ts", sa.Text),
        sa.Column("error", sa.Text),
    )
    op.create_table(
        "leases",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("until", sa.Float, nullable=False),
    )
    op.create_table(
        "imports",
        sa.Column("source", sa.Text, primary_key=True),
        sa.Column("at", sa.Float, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "imports",
        "leases",
        "digest_posts",
        "rate_hits",
        "seen_keys",
        "votes",
        "answers",
        "aliases",
        "feed_items",
        "feeds",
    ):
        op.drop_table(table)
