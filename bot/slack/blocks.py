"""Answers as Slack Block Kit messages, and Slack's text format both ways (pure functions)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from bot.answer.render import answer_prose, cited_text, source_line
from index.records import Answer, Citation

SECTION_LIMIT = 3000  # characters of text in one section block
BLOCK_LIMIT = 50  # blocks in one message
FALLBACK_LIMIT = 3000  # the notification text; Slack truncates long ones anyway
TITLE_LIMIT = 300  # a source line must never need a section of its own
TRIMMED = " … (trimmed to fit in Slack)"
VOTE_UP, VOTE_DOWN, SHARE = "finnews_vote_up", "finnews_vote_down", "finnews_share"
USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")
WRITING_LIMIT = 40  # sections of an answer still being written
Blocks = list[dict[str, Any]]
SLACK_MARKUP = re.compile(r"<([^<>]*)>")


def escape(text: str) -> str:
    """Text that Slack shows literally: no mentions, no links, no channel pings."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str | None, label: str) -> str:
    """A mrkdwn link to an http(s) URL, or the escaped label alone when the URL is unusable."""
    if not url or not re.match(r"https?://[^\s]+$", url):
        return escape(label)
    safe = url.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")
    return f"<{safe}|{escape(label)}>"


def question_text(text: str, bot_user_id: str | None = None) -> str:
    """What a user typed, from Slack's markup: the bot's mention dropped, links and names plain."""

    def plain(m: re.Match[str]) -> str:
        inner = m.group(1)
        if bot_user_id and inner.split("|")[0] == f"@{bot_user_id}":
            return ""
        target, _, label = inner.partition("|")
        return label or target.lstrip("@#!")

    words = SLACK_MARKUP.sub(plain, text)
    words = words.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(words.split())


def split_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Pieces of at most `limit` characters, cut after a sentence or a space when possible."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind(". ", 0, limit), text.rfind("\n", 0, limit))
        cut = cut + 1 if cut > limit // 2 else text.rfind(" ", 0, limit)
        cut = cut if cut > limit // 2 else limit
        amp = text.rfind("&", cut - 5, cut)  # never cut an escape such as &amp; in two
        cut = amp if amp > 0 and ";" not in text[amp:cut] else cut
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return pieces + [text] if text else pieces


def answer_mrkdwn(answer: Answer) -> str:
    """The answer's prose with [n] markers, everything from articles escaped."""
    if answer.refused:
        return escape(answer.note)
    return cited_text(answer.sentences, escape)


def source_mrkdwn(c: Citation) -> str:
    """'[n] <url|Title> — Outlet, 2026-10-05' with the title linked and all of it escaped."""
    title = c.title if len(c.title) <= TITLE_LIMIT else c.title[: TITLE_LIMIT - 1] + "…"
    line = source_line(
        replace(c, title=link(c.url, title), source=escape(c.source) if c.source else None)
    )
    return f"[{c.n}] {line}"


def section(text: str) -> dict[str, Any]:
    """A mrkdwn section block."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def context(text: str) -> dict[str, Any]:
    """A small grey line."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def buttons(answer_id: str, shareable: bool) -> dict[str, Any]:
    """The feedback buttons, and the share button for a private answer."""

    def button(label: str, action: str, style: str | None = None) -> dict[str, Any]:
        b = {
            "type": "button",
            "text": {"type": "plain_text", "text": label, "emoji": True},
            "action_id": action,
            "value": answer_id,
        }
        return b | {"style": style} if style else b

    elements = [
        button(":thumbsup: Helpful", VOTE_UP),
        button(":thumbsdown: Not helpful", VOTE_DOWN),
    ]
    if shareable:
        elements.append(button("Share in channel", SHARE, "primary"))
    return {"type": "actions", "block_id": "finnews_answer", "elements": elements}


def answer_blocks(
    answer: Answer, answer_id: str, *, shareable: bool = False
) -> list[dict[str, Any]]:
    """The whole message: answer sections, sources, buttons; within Slack's limits."""
    tail: list[dict[str, Any]] = []
    if answer.citations:
        heading = "*Closest articles*" if answer.refused else "*Sources*"
        lines = "\n".join(source_mrkdwn(c) for c in answer.citations)
        tail = [section(piece) for piece in split_text(f"{heading}\n{lines}")]
    if answer.note and not answer.refused:  # e.g. why a model's answer was replaced
        tail.insert(0, context(escape(answer.note)))
    tail.append(buttons(answer_id, shareable))
    room = BLOCK_LIMIT - 1 - len(tail)  # one block stays free for `shared`
    if room < 1:  # sources alone would overflow: keep the first ones
        tail, room = tail[: BLOCK_LIMIT - 3] + tail[-1:], 1
    pieces = split_text(answer_mrkdwn(answer), SECTION_LIMIT - len(TRIMMED))
    if len(pieces) > room:
        pieces = pieces[:room]
        pieces[-1] += TRIMMED
    return [section(p) for p in pieces] + tail


def shared(stored: list[dict[str, Any]], user: str) -> list[dict[str, Any]]:
    """An answer's blocks as posted in the channel by a user who shares it."""
    if not USER_ID.fullmatch(user):
        return stored
    return [context(f"Shared by <@{user}>")] + stored[: BLOCK_LIMIT - 1]


def writing_blocks(partial: Answer, note: str) -> Blocks:
    """A streaming answer's checked sentences so far, marked as unfinished."""
    pieces = split_text(answer_mrkdwn(partial), SECTION_LIMIT)[:WRITING_LIMIT]
    return [section(p) for p in pieces] + [context(note)]


def notification(prose: str) -> str:
    """Plain notification text (shown where blocks cannot be), escaped and kept short."""
    return escape(prose if len(prose) <= FALLBACK_LIMIT else prose[: FALLBACK_LIMIT - 1] + "…")


def fallback_text(answer: Answer) -> str:
    """The notification text of an answer."""
    return notification(answer_prose(answer))
