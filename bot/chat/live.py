"""A Slack message that shows a model's answer while it is written, updated in place."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from bot.chat import replies
from bot.chat.port import Blocks, Outbox, Undelivered
from bot.slack import blocks
from index.records import Answer

log = logging.getLogger("finnews.slack")


class LiveAnswer:
    """An answer shown while a model writes it: posted once, then updated in place."""

    def __init__(self, outbox: Outbox, channel: str, thread: str | None, interval: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.outbox, self.channel, self.thread = outbox, channel, thread
        self.interval, self._clock = interval, clock
        self.ts: str | None = None
        self._last = 0.0
        self._broken = False

    def show(self, partial: Answer) -> None:
        """The checked sentences so far: posted, then updated at most once per interval."""
        now = self._clock()
        if self._broken or (self.ts is not None and now - self._last < self.interval):
            return  # a skipped update is covered by the next one or the final answer
        text, shown = blocks.fallback_text(partial), replies.writing_blocks(partial)
        try:
            if self.ts is None:
                self.ts = self.outbox.post(self.channel, self.thread, text, shown)
            else:
                self.outbox.update(self.channel, self.ts, text, shown)
        except Undelivered as exc:  # the final answer is still posted, as a new message
            log.warning("could not show a partial answer in %s: %s", self.channel, exc)
            self._broken = True
        self._last = now

    def finish(self, text: str, shown: Blocks) -> str | None:
        """The final answer in place of the partial one (or posted, if none was); its ts."""
        if self.ts is None:
            return self.outbox.post(self.channel, self.thread, text, shown)
        self.outbox.update(self.channel, self.ts, text, shown)
        return self.ts
