"""A neutral chat reply as a Slack message: notification text and Block Kit."""

from __future__ import annotations

from bot.alerts.alert import Alert
from bot.chat.port import Reply
from bot.chat.replies import WRITING
from bot.reports.deal_list import DealList
from bot.reports.digest import Digest
from bot.reports.summary import Summary
from bot.slack.alert_blocks import alert_blocks, alert_fallback
from bot.slack.blocks import Blocks, answer_blocks, fallback_text, shared, writing_blocks
from bot.slack.deal_blocks import deal_blocks, deal_fallback
from bot.slack.digest_blocks import digest_blocks, digest_fallback, summary_blocks, summary_fallback


def render(reply: Reply) -> tuple[str, Blocks | None]:
    """(text, blocks) of a reply; a plain notice has no blocks."""
    content = reply.content
    if isinstance(content, str):
        return content, None
    if isinstance(content, Summary):
        return summary_fallback(content), summary_blocks(content)
    if isinstance(content, Digest):
        return digest_fallback(content), digest_blocks(content)
    if isinstance(content, DealList):
        return deal_fallback(content), deal_blocks(content)
    if isinstance(content, Alert):
        return alert_fallback(content), alert_blocks(content)
    if reply.writing:
        return fallback_text(content), writing_blocks(content, WRITING)
    shown = answer_blocks(content, reply.answer_id or "", shareable=reply.shareable)
    if reply.shared_by:
        shown = shared(shown, reply.shared_by)
    return fallback_text(content), shown
