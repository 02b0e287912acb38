"""Faults (issue 5): the bot killed mid-load, the database locked, full or read-only, broken
knowledge on /reload. Nothing a resident was told is lost, and the bot keeps serving.

Broken knowledge on /reload (the old knowledge stays and still answers) is covered by
tests/test_telegram_staff.py::test_reload_validates_and_swaps_and_stats.
"""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from bot.store import BUSY_MESSAGE, Store
from handlers.common import STORE_ALERT, STORE_RECOVERED, resident_key
from tests.fake_telegram import FakeTelegram
from tests.load_support import Driver, check_log, make_residents
from tests.telegram_support import ID, RESIDENT, STAFF_CHAT, Harness, running, start_bot

ROOT = Path(__file__).resolve().parent.parent
ALERT_HEAD = STORE_ALERT.split("（")[0]
WELCOME = "政务服务助手"  # the welcome (receipts name the office too)


async def say(
    h: Harness, text: str, user: int = RESIDENT, *, contains: str | None = None, timeout: float = 10
):
    mark = h.fake.mark()
    h.fake.push_message(user, user, text)
    return await h.fake.wait_for_message_async(chat_id=user, contains=contains, since=mark, timeout=timeout)


def staff_alerts(fake: FakeTelegram, since: int = 0) -> list[str]:
    return [t for t in fake.texts(STAFF_CHAT, since=since) if t.startswith(ALERT_HEAD)]


# --------------------------------------------------------------------------- locked database


def hold_exclusive(db: Path, seconds: float) -> threading.Event:
    """Another writer: a second connection holds BEGIN EXCLUSIVE for ``seconds``; returns an
    event set when it lets go."""
    locked, released = threading.Event(), threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(db, isolation_level=None, timeout=5)
        try:
            conn.execute("BEGIN EXCLUSIVE")
            locked.set()
            time.sleep(seconds)
            conn.execute("COMMIT")
        finally:
            conn.close()
            released.set()

    threading.Thread(target=hold, daemon=True).start()
    assert locked.wait(5)
    return released


async def test_a_short_lock_is_waited_out_a_long_one_asks_to_retry_and_nothing_is_lost(fake, tmp_path):
    db = tmp_path / "bot.db"
    async with running(fake, db, busy_ms=1000) as h:
        await h.say("/start", contains=WELCOME)
        await h.press("信息公开申请", contains="申请人类型")
        await h.press("公民", contains="姓名")

        # a lock shorter than the busy timeout: the resident just waits a little
        hold_exclusive(db, 0.5)
        started = time.monotonic()
        reply = await say(h, "张三", contains="身份证号码")
        assert reply is not None and time.monotonic() - started >= 0.3

        # longer than the busy timeout: told (in Chinese) to retry; the form keeps its place
        # (each store call waits its 1 s in turn: the outbox job may wait before the resident)
        released = hold_exclusive(db, 6.0)
        busy = await say(h, ID)
        assert busy.text == BUSY_MESSAGE and not released.is_set()
        assert await asyncio.to_thread(released.wait, 10)  # the other writer lets go
        await say(h, ID, contains="手机号码")  # the same answer now succeeds
        state = h.store.load_session(resident_key(RESIDENT))
        assert state["form"]["values"]["name"] == "张三"
        assert h.store.integrity_check() == "ok"
        assert staff_alerts(fake) == []  # a busy database is not an outage
    assert h.errors == []


# --------------------------------------------------------------------------- unwritable database


class FullDisk:
    """The store's sqlite3 connection as it behaves on a full disk: every statement that writes
    fails with SQLite's own error (SQLITE_FULL, "database or disk is full") while ``full``."""

    WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.full = False

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if self.full and sql.lstrip().upper().startswith(self.WRITES):
            raise sqlite3.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)

    def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
        if self.full and sql.lstrip().upper().startswith(self.WRITES):
            raise sqlite3.OperationalError("database or disk is full")
        return self._conn.executemany(sql, rows)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


async def storm(h: Harness, users: list[int], text: str) -> list[str]:
    """Each user sends ``text``; returns the first reply of each."""
    out = []
    for user in users:
        out.append((await say(h, text, user)).text)
    return out


@pytest.mark.parametrize("fault", ["disk full", "read-only"])
async def test_an_unwritable_database_is_told_to_residents_and_once_to_staff(fake, tmp_path, fault):
    async with running(fake, tmp_path / "bot.db") as h:
        users = [RESIDENT + i for i in range(8)]
        for user in users:
            await h.say("/start", user, contains=WELCOME)
            await h.press("信息公开申请", user, contains="申请人类型")
            await h.press("公民", user, contains="姓名")
        mark = fake.mark()
        disk = FullDisk(h.store._conn)
        if fault == "disk full":
            disk.full = True
            h.store._conn = disk  # the store's own logic is untouched: only SQLite's answers change
            h.store.db.conn = disk
        else:  # a real SQLite condition: SQLITE_READONLY on every write
            with h.store._lock:
                h.store._conn.execute("PRAGMA query_only = ON")

        replies = await storm(h, users, "张三")
        replies += await storm(h, users, "李四")
        assert set(replies) == {BUSY_MESSAGE}  # each message answered, clearly, in Chinese
        await asyncio.sleep(0.3)
        alerts = staff_alerts(fake, since=mark)
        assert len(alerts) == 1, alerts  # 16 failed updates, one alert
        assert ("磁盘已满" if fault == "disk full" else "只读") in alerts[0]
        assert h.app.updater.running  # no crash loop: still polling

        if fault == "disk full":  # space freed / permissions fixed
            disk.full = False
        else:
            with h.store._lock:
                h.store._conn.execute("PRAGMA query_only = OFF")
        for user in users:  # the same answer now goes through: the form kept its place
            await say(h, "张三", user, contains="身份证号码")
        await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains=STORE_RECOVERED, since=mark)
        assert len(staff_alerts(fake, since=mark)) == 1
        assert h.store.integrity_check() == "ok"
    assert h.errors == []


# --------------------------------------------------------------------------- SIGKILL under load


def wait_until(predicate: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        time.sleep(0.05)


def test_sigkill_mid_load_loses_no_submitted_request_and_forms_resume(fake, tmp_path):
    db = tmp_path / "bot.db"
    residents = make_residents(8, 60, 16, seed=11)  # two forms each, questions and menus between
    proc = start_bot(fake, db)
    driver = None
    try:
        fake.wait_for(method="deleteWebhook", timeout=30)
        # residents answer after about 0.6 s, as people do (and within the flood guard)
        driver = Driver(fake, residents, deadline=150, think=0.6, stall_after=8, give_up_after=45).start()
        wait_until(lambda: sum(len(r.receipts) for r in residents) >= 5, 90)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        killed_at = fake.mark()
        told = {r.user: list(r.receipts) for r in residents}

        with Store(db) as store:
            # every request a resident was told about is in the database
            assert check_log(store, told, resident_key, exact=False) == []
            # half-filled forms are still there, where the residents left them
            mid_form = []
            for r in residents:
                state = store.load_session(resident_key(r.user)) or {}
                if state.get("form"):
                    mid_form.append(r.user)
                    assert state["mode"] in ("form", "confirm"), state["mode"]
        assert mid_form, "the kill should catch some residents mid-form"

        proc = start_bot(fake, db)
        driver.join(160)
        assert not driver._thread.is_alive()
        assert driver.failures() == [] and driver.errors == []
        assert all(len(r.receipts) == 2 for r in residents), {r.user: r.receipts for r in residents}
        # after the restart, a resident who was mid-form got the form back, not the main menu
        for user in mid_form:
            after = fake.texts(user, since=killed_at)
            assert after and WELCOME not in after[0], (user, after[:2])
        with Store(db) as store:
            assert check_log(store, driver.receipts(), resident_key, exact=False) == []
            rows = list(
                store.db.query("SELECT resident, COUNT(*) AS n FROM requests WHERE prefix='GK' GROUP BY 1")
            )
            assert all(row["n"] == 2 for row in rows), rows  # a form filed once, even when re-confirmed
    finally:
        if driver is not None:
            driver.stop()
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
