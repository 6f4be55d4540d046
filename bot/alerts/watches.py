"""What a watch is: a company (matched the way deals and summaries match names), a kind of deal
("convertibles", as summaries read it) or a topic (matched by meaning); and where it posts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.reports.summary import kind_named
from index.deals.store import company_key
from index.errors import UsageError

PLATFORMS = ("slack", "discord")
CHANNEL_ID = {"slack": re.compile(r"[CDG][A-Z0-9]{6,20}"), "discord": re.compile(r"\d{15,22}")}
MAX_NAME = 200


@dataclass(frozen=True)
class Wanted:
    """What a user asked to watch, read: its name, kind and the key that makes it unique."""

    name: str
    kind: str  # company, kind or topic
    key: str


def read(text: str) -> Wanted:
    """A watch from its text: `topic: ...` or `company: ...` say which; otherwise a kind of
    deal when it names one, a company when its first word is capitalised or a number (names
    are: 'Halvorsen Wind', 'IBM', '3M'), else a topic ('green bonds in Asia')."""
    text = " ".join(text.split())
    said = re.match(r"(?i)(topic|company)\s*:\s*", text)
    if said:
        text = text[said.end() :]
    if not text:
        raise UsageError("Say what to watch: a company, a kind of deal or a topic.")
    if len(text) > MAX_NAME:
        raise UsageError(f"A watch is at most {MAX_NAME} characters.")
    how = said.group(1).lower() if said else None
    kind = kind_named(text) if how is None else None
    if kind:
        return Wanted(text, "kind", f"kind:{kind}")
    if how == "company" or (how is None and re.match(r"[A-Z0-9]", text)):
        key = company_key(text)
        if not key:
            raise UsageError(f"{text!r} has no letters or digits to match a company by.")
        return Wanted(text, "company", f"company:{key}")
    return Wanted(text, "topic", "topic:" + " ".join(re.findall(r"\w+", text.lower())))


def target(text: str) -> str:
    """A channel as the CLI names it (`slack:C0123ABCD`, `discord:<channel id>`), checked."""
    platform, _, channel = text.strip().partition(":")
    platform = platform.lower()
    if platform not in PLATFORMS or not CHANNEL_ID[platform].fullmatch(channel):
        raise UsageError(
            f"Not a channel: {text!r} (use slack:C0123ABCD or discord:<channel id>, the "
            "channel's ID, not its name)."
        )
    return f"{platform}:{channel}"


def split_target(channel: str) -> tuple[str, str]:
    """('slack', 'C0123ABCD') of 'slack:C0123ABCD'."""
    platform, _, rest = channel.partition(":")
    return platform, rest


def deal_kind(key: str) -> str | None:
    """The kind of deal a kind watch's key stands for."""
    return key.removeprefix("kind:") if key.startswith("kind:") else None
