"""Discord's markdown both ways (pure functions): article text made inert, a user's message read
back as a plain question, the chat core's notices in Discord's bold, text cut to a limit."""

from __future__ import annotations

import re
from collections.abc import Mapping

TRIMMED = " … (trimmed to fit in Discord)"
# Characters Discord's markdown acts on: emphasis, code, spoilers, quotes, headings, lists,
# masked links and the `<@id>` / `<#id>` / `<t:...>` forms. A backslash shows any of them as-is.
SPECIAL = re.compile(r"([\\*_~`|>#\-\[\]<])")
PINGS = re.compile(r"@(everyone|here)")
MARKUP = re.compile(r"<(@!?|@&|#|a?:\w+:)(\d+)>")
# `*bold*` in the chat core's notices (Slack's bold) is `**bold**` in Discord; escaped stars
# from article text (`\*`) are left alone.
SLACK_BOLD = re.compile(r"(?<![\\*])\*(?=\S)((?:\\.|[^*\\\n])+?)\*(?!\*)")


def escape(text: str) -> str:
    """Text Discord shows literally: no markdown, no mentions, no masked links, no pings."""
    return PINGS.sub("@\u200b\\1", SPECIAL.sub(r"\\\1", text))


def question_text(
    content: str,
    bot_id: str,
    names: Mapping[str, str] | None = None,
    bot_roles: tuple[str, ...] = (),
) -> str:
    """What a user typed: the bot's mention dropped, other mentions as @name or #channel."""
    names = names or {}

    def plain(m: re.Match[str]) -> str:
        kind, ident = m.group(1), m.group(2)
        if (kind in ("@", "@!") and ident == bot_id) or (kind == "@&" and ident in bot_roles):
            return ""
        if kind.startswith("@"):
            return "@" + names.get(ident, "someone")
        if kind == "#":
            return "#" + names.get(ident, "channel")
        return kind.strip("a")  # a custom emoji: its :name:

    return " ".join(MARKUP.sub(plain, content).split())


def notice_markdown(text: str) -> str:
    """A chat-core notice (Slack-style `*bold*`) in Discord's markdown."""
    return SLACK_BOLD.sub(r"**\1**", text)


def clip(text: str, limit: int, suffix: str = TRIMMED) -> str:
    """The text if it fits in `limit` characters, else cut after a sentence or a word, with the
    suffix, never between a backslash and the character it escapes."""
    if len(text) <= limit:
        return text
    room = max(0, limit - len(suffix))
    cut = text.rfind(". ", 0, room) + 1
    if cut < room // 2:
        cut = text.rfind(" ", 0, room)
    if cut < room // 2:
        cut = room
    head = text[:cut]
    if (len(head) - len(head.rstrip("\\"))) % 2:  # an escape cut in two
        head = head[:-1]
    return head.rstrip() + suffix
