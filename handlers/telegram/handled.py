"""Which Telegram updates were fully handled: the duplicate check and its record, kept cheap.

Every update is checked before its handlers run and recorded after they ran (``app.dedup`` and
``app.mark_handled``), so one redelivered after a restart is not answered twice and one
interrupted by a crash is handled again. Doing that with a database read and a write per update
cost two worker-thread hops and a transaction each time; here:

* **The check** needs the database only for updates that may have been handled by an earlier
  run. Telegram's update ids grow, so an id above the highest one recorded when this process
  started (the floor), and not handled by this process, is new. Redeliveries after a restart
  are at or below the floor and are looked up as before.
* **The record** is a group commit: updates finishing at the same moment share one transaction,
  and each handler still waits until its own key is written, so "recorded after handled" holds
  exactly as before.
"""

from __future__ import annotations

import asyncio
from collections import deque

from bot.store import Store

#: Keys remembered in memory; older ones raise the floor and are looked up in the database.
RECENT = 50_000


class HandledUpdates:
    def __init__(self, store: Store, prefix: str) -> None:
        self.store = store
        self.prefix = prefix  # "<bot id>:"
        self._recent: set[str] = set()
        self._order: deque[tuple[str, int]] = deque()
        self._floor: int | None = None
        self._floor_ready: asyncio.Future[int] | None = None
        self._pending: list[str] = []
        self._batch: asyncio.Future[None] | None = None
        self._writer: asyncio.Task[None] | None = None
        #: database round trips, for tests and the benchmark
        self.lookups = 0
        self.commits = 0

    def key(self, update_id: int) -> str:
        return f"{self.prefix}{update_id}"

    async def _load_floor(self) -> int:
        if self._floor is not None:
            return self._floor
        if self._floor_ready is None:
            self._floor_ready = asyncio.get_running_loop().create_future()
            try:
                last = await asyncio.to_thread(self.store.last_update_id, self.prefix)
            except BaseException as exc:
                self._floor_ready.set_exception(exc)
                self._floor_ready.exception()  # retrieved: the callers below re-raise it
                self._floor_ready = None
                raise
            self._floor = -1 if last is None else last
            self._floor_ready.set_result(self._floor)
            return self._floor
        return await asyncio.shield(self._floor_ready)

    async def done(self, update_id: int) -> bool:
        """Was this update handled already? (May raise ``StoreError`` when the database is out.)"""
        key = self.key(update_id)
        if key in self._recent:
            return True
        if update_id > await self._load_floor():
            return False
        self.lookups += 1
        return await asyncio.to_thread(self.store.update_done, key)

    async def mark(self, update_id: int) -> None:
        """Record the update as handled; returns once it is in the database (raises
        ``StoreError`` if the write failed; the update then counts as handled in this process)."""
        key = self.key(update_id)
        self._remember(key, update_id)
        if self._batch is None:
            self._batch = asyncio.get_running_loop().create_future()
        batch = self._batch
        self._pending.append(key)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="handled-updates")
        await asyncio.shield(batch)

    async def _write(self) -> None:
        while self._pending:
            keys, self._pending = self._pending, []
            batch, self._batch = self._batch, None
            assert batch is not None
            try:
                await asyncio.to_thread(self.store.mark_updates, keys)
            except Exception as exc:
                batch.set_exception(exc)
                batch.exception()  # the waiters re-raise it; none left (cancelled) is no warning
            else:
                batch.set_result(None)
            self.commits += 1

    def _remember(self, key: str, update_id: int) -> None:
        if key in self._recent:
            return
        self._recent.add(key)
        self._order.append((key, update_id))
        while len(self._order) > RECENT:
            old_key, old_id = self._order.popleft()
            self._recent.discard(old_key)
            # anything at or below a forgotten id must be looked up again
            self._floor = max(self._floor if self._floor is not None else -1, old_id)
