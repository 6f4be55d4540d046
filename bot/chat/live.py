"""An answer shown while a model writes it: posted once, then updated in place."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from bot.chat.port import Place, Port, Reply, Undelivered
from index.records import Answer

log = logging.getLogger("finnews.chat")


class LiveAnswer:
    """A model's answer shown as it is written: posted once, then updated in place."""

    def __init__(
        self, port: Port, place: Place, interval: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.port, self.place = port, place
        self.interval, self._clock = interval, clock
        self.message: str | None = None
        self._last = 0.0
        self._broken = False

    def show(self, partial: Answer) -> None:
        """The checked sentences so far: posted, then updated at most once per interval."""
        now = self._clock()
        if self._broken or (self.message is not None and now - self._last < self.interval):
            return  # a skipped update is covered by the next one or the final answer
        reply = Reply(partial, writing=True)
        try:
            if self.message is None:
                self.message = self.port.post(self.place, reply)
            else:
                self.port.update(self.place, self.message, reply)
        except Undelivered as exc:  # the final answer is still posted, as a new message
            log.warning("could not show a partial answer in %s: %s", self.place.channel, exc)
            self._broken = True
        self._last = now

    def finish(self, reply: Reply) -> str | None:
        """The final reply in place of the partial one (or posted, if none was); its id."""
        if self.message is None:
            return self.port.post(self.place, reply)
        self.port.update(self.place, self.message, reply)
        return self.message
