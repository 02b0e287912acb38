"""Live updates for open pages: one poller per process reads new history rows and hands each to
the open streams (Server-Sent Events) of its resident.

Why poll the table rather than pass messages in memory: staff replies and status notifications
are written by whichever process handles the staff desk (the Telegram process, or a future
outbox worker); every row lands in ``web_messages`` first, so one indexed query
(``WebLog.since``) every ``interval`` seconds finds them all, in order, whoever wrote them. A
write in this process wakes the poller at once (``wake``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict

from bot.store import StoreError
from handlers.web.history import WebLog, WebMessage

log = logging.getLogger("handlers.web.live")


class Hub:
    """Subscribers per resident; ``run`` is the poller task."""

    def __init__(self, weblog: WebLog, interval: float = 0.25) -> None:
        self.weblog = weblog
        self.interval = interval
        self._subs: dict[str, set[asyncio.Queue[WebMessage | None]]] = defaultdict(set)
        self._wake = asyncio.Event()
        self._last = 0
        self._task: asyncio.Task[None] | None = None

    def streams(self, resident: str) -> int:
        return len(self._subs.get(resident, ()))

    @property
    def total(self) -> int:
        return sum(len(s) for s in self._subs.values())

    def subscribe(self, resident: str) -> asyncio.Queue[WebMessage | None]:
        queue: asyncio.Queue[WebMessage | None] = asyncio.Queue(maxsize=500)
        self._subs[resident].add(queue)
        return queue

    def unsubscribe(self, resident: str, queue: asyncio.Queue[WebMessage | None]) -> None:
        subs = self._subs.get(resident)
        if subs is not None:
            subs.discard(queue)
            if not subs:
                del self._subs[resident]

    def close(self) -> None:
        """Tell every open stream to end (server shutdown)."""
        for subs in self._subs.values():
            for queue in subs:
                with contextlib.suppress(asyncio.QueueFull):
                    queue.put_nowait(None)  # type: ignore[arg-type]

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._last = await asyncio.to_thread(self.weblog.last_id)
        self._task = asyncio.create_task(self.run(), name="web-live")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def run(self) -> None:
        while True:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
            self._wake.clear()
            await self.poll()

    async def poll(self) -> None:
        if not self._subs:  # nobody watching: only remember where we are
            try:
                self._last = max(self._last, await asyncio.to_thread(self.weblog.last_id))
            except StoreError as exc:
                log.warning("live updates: history unavailable (%s)", exc)
            return
        try:
            rows = await asyncio.to_thread(self.weblog.since, self._last)
        except StoreError as exc:
            log.warning("live updates: history unavailable (%s)", exc)
            return
        for row in rows:
            self._last = max(self._last, row.id)
            for queue in list(self._subs.get(row.resident, ())):
                if queue.full():  # a stuck page: it reloads its history when it reconnects
                    continue
                queue.put_nowait(row)
