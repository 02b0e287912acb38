"""The record of handled Telegram updates (handlers/telegram/handled.py), on a real SQLite file.

What it promises: an update handled before (in this run or an earlier one) is recognised; a new
one is recognised as new without asking the database; ``mark`` returns only once the update is
in the database, and updates finishing together share one transaction.
"""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.store import Store, StoreUnavailable
from handlers.telegram import handled as handled_module
from handlers.telegram.handled import HandledUpdates

BOT = "777:"


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "bot.db") as s:
        yield s


async def test_new_updates_need_no_database_lookup(store):
    handled = HandledUpdates(store, BOT)
    assert [await handled.done(i) for i in (100, 101, 102)] == [False, False, False]
    assert handled.lookups == 0
    await handled.mark(100)
    assert await handled.done(100) is True
    assert handled.lookups == 0
    assert store.update_done(f"{BOT}100")  # recorded by the time mark returned


async def test_after_a_restart_redelivered_updates_are_looked_up(store):
    before = HandledUpdates(store, BOT)
    for update_id in (10, 11, 13):  # 12 was interrupted by a crash: never recorded
        await before.mark(update_id)
    after = HandledUpdates(store, BOT)  # the next process, on the same file
    assert await after.done(11) is True
    assert await after.done(12) is False  # handled again, not lost
    assert await after.done(13) is True
    assert after.lookups == 3
    assert await after.done(14) is False  # above everything recorded before: new
    assert after.lookups == 3


async def test_another_bot_on_the_same_file_has_its_own_ids(store):
    await HandledUpdates(store, "111:").mark(500)
    other = HandledUpdates(store, "222:")
    assert await other.done(500) is False
    assert other.lookups == 0  # nothing recorded for this bot: every id is new


async def test_updates_finishing_together_share_one_transaction(store):
    handled = HandledUpdates(store, BOT)
    await asyncio.gather(*(handled.mark(i) for i in range(1, 41)))
    assert handled.commits < 40
    assert all(store.update_done(f"{BOT}{i}") for i in range(1, 41))


async def test_forgotten_keys_are_looked_up_again(store, monkeypatch):
    monkeypatch.setattr(handled_module, "RECENT", 3)
    handled = HandledUpdates(store, BOT)
    for update_id in range(1, 7):
        await handled.mark(update_id)
    assert await handled.done(2) is True  # forgotten in memory, found in the database
    assert handled.lookups == 1
    assert await handled.done(6) is True
    assert handled.lookups == 1


class Unwritable:
    """The store's connection on a full disk: every write fails with SQLite's own error."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, *args):
        if sql.lstrip().upper().startswith("INSERT"):
            raise sqlite3.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)

    def executemany(self, sql: str, rows):
        raise sqlite3.OperationalError("database or disk is full")

    def __getattr__(self, name):
        return getattr(self._conn, name)


async def test_a_failed_write_reaches_every_waiter_and_the_next_batch_works(store):
    handled = HandledUpdates(store, BOT)
    real = store._conn
    store._conn = store.db.conn = Unwritable(real)
    results = await asyncio.gather(*(handled.mark(i) for i in (1, 2, 3)), return_exceptions=True)
    assert all(isinstance(r, StoreUnavailable) and r.reason == "full" for r in results)
    assert await handled.done(2) is True  # handled in this run all the same: not handled twice
    store._conn = store.db.conn = real
    await handled.mark(4)
    assert store.update_done(f"{BOT}4") and not store.update_done(f"{BOT}2")
