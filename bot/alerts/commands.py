"""`watch add|list|remove` (chat, per channel; a DM is a personal list) and the same for the
CLI's `finnews alerts`: one set of verbs over the alert store."""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.alerts.store import AlertStore, Tally, WatchRow
from bot.alerts.watches import read
from index.errors import UsageError

USAGE = (
    "Use `watch add <company or topic>`, `watch list` or `watch remove <company or topic>`. "
    "Start with `topic:` or `company:` to say which it is."
)
KIND_LABEL = {"company": "a company", "kind": "a kind of deal", "topic": "a topic"}


class Watchlist:
    """Adds, lists and removes a channel's watches."""

    def __init__(self, store: AlertStore, clock: Callable[[], float] = time.time) -> None:
        self.store, self.clock = store, clock

    def add(self, channel: str, text: str, user: str) -> tuple[WatchRow | None, str]:
        """Watch this in the channel: (the new watch or None when it was there, its name)."""
        wanted = read(text)
        row = self.store.add_watch(
            channel, wanted.name, wanted.key, wanted.kind, user, self.clock()
        )
        return row, wanted.name

    def remove(self, channel: str, text: str) -> WatchRow | None:
        """Stop watching this in the channel (read as typed, else as a company or a topic:
        'remove halvorsen wind' finds the company); the watch removed, or None."""
        keys = dict.fromkeys(read(f"{how}{text}").key for how in ("", "company: ", "topic: "))
        return next((w for k in keys if (w := self.store.remove_watch(channel, k))), None)

    def listing(self, channel: str | None = None) -> list[tuple[WatchRow, Tally]]:
        """The channel's (or every) watches with what their alerts did."""
        tallies = self.store.tallies()
        return [(w, tallies.get(w.id, Tally())) for w in self.store.watches(channel)]

    def command(self, channel: str, arg: str, user: str, escape: Callable[[str], str]) -> str:
        """Carry out `watch <verb> <text>` in a chat channel; the reply to show."""
        verb, _, text = arg.strip().partition(" ")
        verb = verb.lower()
        try:
            if verb == "add" and text.strip():
                row, name = self.add(channel, text, user)
                if row is None:
                    return f"This channel already watches {escape(name)}."
                return (
                    f"Watching {escape(row.name)} ({KIND_LABEL[row.kind]}) here: new deals and "
                    "stories about it will be posted in this channel."
                )
            if verb == "remove" and text.strip():
                gone = self.remove(channel, text)
                if gone is None:
                    return f"This channel does not watch {escape(text.strip())}."
                return f"Stopped watching {escape(gone.name)} here."
            if verb == "list" and not text.strip():
                return listing_text(self.listing(channel), escape)
        except UsageError as exc:
            return escape(str(exc))
        return USAGE


def tally_text(t: Tally) -> str:
    """'3 posted, 1 held back, 1 failing (last error: ...)'."""
    parts = [f"{t.posted} posted"]
    if t.held:
        parts.append(f"{t.held} held back")
    if t.failing:
        parts.append(f"{t.failing} failing")
    if t.gave_up:
        parts.append(f"{t.gave_up} not posted")
    text = ", ".join(parts)
    return text + (f" (last error: {t.last_error})" if t.last_error else "")


def listing_text(rows: list[tuple[WatchRow, Tally]], escape: Callable[[str], str]) -> str:
    """A channel's watchlist as lines."""
    if not rows:
        return "This channel watches nothing yet. " + USAGE
    lines = ["This channel watches:"]
    lines += [
        f"• {escape(w.name)} ({KIND_LABEL[w.kind]}): {escape(tally_text(t))}" for w, t in rows
    ]
    return "\n".join(lines)
