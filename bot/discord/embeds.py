"""Answers as Discord messages (embeds and buttons) within Discord's limits (pure functions).

discord.py checks only the number of embeds; every other limit is kept here.
"""

from __future__ import annotations

import re
from typing import Any

from bot.answer.render import cited_text, source_line
from bot.discord.markdown import clip, escape, notice_markdown
from index.records import Answer, Citation

CONTENT_LIMIT = 2000  # characters of a message's content
DESCRIPTION_LIMIT = 4096  # characters of an embed's description
TITLE_LIMIT = 256  # an embed's title, a field's name
FIELD_LIMIT = 1024  # a field's value
FIELDS = 25  # fields of one embed
EMBED_TOTAL = 6000  # characters over all the embeds of one message
SOURCE_TITLE = 200  # a source's title is cut here, so no single source crowds out the others
SOURCES_FLOOR = 1200  # characters the sources keep beside a long answer
COLOR = 0x2B6CB0
NO_PINGS = {"parse": []}  # nothing in a message the bot posts notifies anyone
EPHEMERAL, SUPPRESS_EMBEDS = 1 << 6, 1 << 2  # message flags
VOTE_UP, VOTE_DOWN, SHARE = "finnews:up", "finnews:down", "finnews:share"
SNOWFLAKE = re.compile(r"\d{15,21}")
Message = dict[str, Any]  # a message payload, as the REST API and interaction responses take it


def notice(text: str) -> Message:
    """A short text message (a chat-core notice, already escaped where it quotes anything)."""
    return {"content": clip(notice_markdown(text), CONTENT_LIMIT), "allowed_mentions": NO_PINGS}


def answer_markdown(answer: Answer) -> str:
    """The answer's prose with [n] markers, everything from articles escaped."""
    if answer.refused:
        return escape(answer.note)
    return cited_text(answer.sentences, escape)


def safe_url(url: str | None) -> str | None:
    """An http(s) URL usable in a masked link (brackets and spaces encoded), else None."""
    if not url or not re.match(r"https?://[^\s]+$", url):
        return None
    return url.replace("(", "%28").replace(")", "%29").replace(">", "%3E").replace("<", "%3C")


def source_markdown(c: Citation) -> str:
    """'[n] [Title](url) — Outlet, 2026-10-05', the title linked, all of it escaped."""
    title = c.title if len(c.title) <= SOURCE_TITLE else c.title[: SOURCE_TITLE - 1] + "…"
    label = escape(title)
    url = safe_url(c.url)
    linked = f"[{label}]({url})" if url else label
    where = source_line(Citation(c.n, c.article_id, "", c.source, None, c.published_at))
    return f"\\[{c.n}\\] {linked}{escape(where)}"


def fit_lines(lines: list[str], limit: int) -> str:
    """As many whole lines as fit in `limit` characters, and a count of the rest."""
    kept: list[str] = []
    for n, line in enumerate(lines):
        more = f"… and {len(lines) - n} more"
        size = sum(len(x) + 1 for x in kept) + len(line)
        if size + (len(more) + 1 if n + 1 < len(lines) else 0) > limit:
            return "\n".join([*kept, more])
        kept.append(line)
    return "\n".join(kept)


def size(embeds: list[dict[str, Any]]) -> int:
    """The characters Discord counts toward EMBED_TOTAL."""
    total = 0
    for e in embeds:
        total += len(e.get("title", "")) + len(e.get("description", ""))
        total += len(e.get("footer", {}).get("text", "")) + len(e.get("author", {}).get("name", ""))
        total += sum(len(f["name"]) + len(f["value"]) for f in e.get("fields", []))
    return total


def button(label: str, custom_id: str, style: int = 2, emoji: str | None = None) -> dict[str, Any]:
    """A button (style 1 blurple, 2 grey) that sends an interaction with its custom_id."""
    b: dict[str, Any] = {"type": 2, "style": style, "label": label, "custom_id": custom_id}
    return b | ({"emoji": {"name": emoji}} if emoji else {})


def buttons(answer_id: str, shareable: bool) -> dict[str, Any]:
    """The feedback buttons, and the share button of a private answer, in one row."""
    row = [
        button("Helpful", f"{VOTE_UP}:{answer_id}", emoji="👍"),
        button("Not helpful", f"{VOTE_DOWN}:{answer_id}", emoji="👎"),
    ]
    if shareable:
        row.append(button("Share in channel", f"{SHARE}:{answer_id}", style=1))
    return {"type": 1, "components": row}


def answer_message(
    answer: Answer, answer_id: str, *, shareable: bool = False, shared_by: str | None = None
) -> Message:
    """The whole message: the cited answer, its sources, the buttons; within Discord's limits."""
    heading = "Closest articles" if answer.refused else "Sources"
    note = f"\n\n_{escape(answer.note)}_" if answer.note and not answer.refused else ""
    prose = answer_markdown(answer)
    lines = [source_markdown(c) for c in answer.citations]
    sources = ""
    if lines:
        room = EMBED_TOTAL - len(heading) - min(len(prose) + len(note), DESCRIPTION_LIMIT)
        sources = fit_lines(lines, min(DESCRIPTION_LIMIT, max(SOURCES_FLOOR, room)))
    room = min(DESCRIPTION_LIMIT, EMBED_TOTAL - len(heading) * bool(lines) - len(sources))
    embeds = [{"description": clip(prose, room - len(note)) + note, "color": COLOR}]
    if lines:
        embeds.append({"title": heading, "description": sources, "color": COLOR})
    message: Message = {
        "embeds": embeds,
        "components": [buttons(answer_id, shareable)],
        "allowed_mentions": NO_PINGS,
    }
    if shared_by and SNOWFLAKE.fullmatch(shared_by):
        message["content"] = f"Shared by <@{shared_by}>"  # shown as a name, pings no one
    return message


def writing_message(partial: Answer, note: str) -> Message:
    """A streaming answer's checked sentences so far, marked as unfinished, without buttons."""
    text = clip(answer_markdown(partial), DESCRIPTION_LIMIT - len(note) - 2)
    return {
        "embeds": [{"description": f"{text}\n\n{note}", "color": COLOR}],
        "components": [],
        "allowed_mentions": NO_PINGS,
    }
