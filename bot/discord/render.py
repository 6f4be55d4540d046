"""A neutral chat reply as a Discord message: content, embeds and buttons."""

from __future__ import annotations

from bot.alerts.alert import Alert
from bot.chat.port import Reply
from bot.chat.replies import WRITING
from bot.discord.deal_embeds import alert_message, deal_message
from bot.discord.embeds import Message, answer_message, notice, writing_message
from bot.discord.report_embeds import digest_message, summary_message
from bot.reports.deal_list import DealList
from bot.reports.digest import Digest
from bot.reports.summary import Summary


def render(reply: Reply) -> Message:
    """The message payload of a reply (what the REST API and interaction responses take)."""
    content = reply.content
    if isinstance(content, str):
        return notice(content)
    if isinstance(content, Summary):
        return summary_message(content)
    if isinstance(content, Digest):
        return digest_message(content)
    if isinstance(content, DealList):
        return deal_message(content)
    if isinstance(content, Alert):
        return alert_message(content)
    if reply.writing:
        return writing_message(content, WRITING)
    return answer_message(
        content, reply.answer_id or "", shareable=reply.shareable, shared_by=reply.shared_by
    )
