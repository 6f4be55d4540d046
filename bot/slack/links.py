"""Links people share in Slack's auto-ingest channels, read into the index."""

from __future__ import annotations

import html
import logging
import re
from typing import TYPE_CHECKING, Any

from bot.chat.guard import Seen
from index.web.live import Live

if TYPE_CHECKING:
    from bot.slack.outbox import SlackOutbox

log = logging.getLogger("finnews.slack")
LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>")  # how Slack marks up a link in text
BARE = re.compile(r"^<?(https?://[^|>\s]+)(?:\|[^>]*)?>?$")
MAX_LINKS = 5  # per message: a pasted list of links is not a reading list to fetch at once
TAKEN = "newspaper"  # the reaction that tells the channel a shared link was ingested


def command_url(text: str) -> str | None:
    """The URL of `/finnews add` text (plain, or marked up as <url> or <url|label>)."""
    match = BARE.match(text.strip())
    return html.unescape(match.group(1)) if match else None


class Links:
    """Reads articles that Slack users point at into the index, through `Live`."""

    def __init__(self, live: Live, outbox: SlackOutbox, channels: list[str], seen: Seen) -> None:
        self.live = live
        self.outbox = outbox
        self.channels = set(channels)
        self.seen = seen  # the shared record of events taken: one replica reads a link

    def on_message(self, event_id: str, event: dict[str, Any]) -> None:
        """Links a person shares in an auto-ingest channel are ingested; a reaction says so."""
        channel = event.get("channel", "")
        if channel not in self.channels or event.get("type") != "message":
            return
        if event.get("bot_id") or event.get("subtype") or not event.get("user"):
            return
        urls = [html.unescape(u) for u in LINK.findall(event.get("text", ""))][:MAX_LINKS]
        if not urls or (event_id and not self.seen.claim(f"links:{event_id}")):
            return
        taken = False
        for url in urls:
            try:
                added = self.live.add(url)
            except Exception:
                log.exception("ingesting a link shared in %s failed", channel)
                continue
            log.info("link shared in %s: %s: %s", channel, url, added.status)
            taken |= added.status != "skipped"
        if taken:
            self.outbox.react(channel, event["ts"], on=True, name=TAKEN)
