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

from bot.messages import catalogue_of
from bot.store import BUSY_MESSAGE, Store
from handlers.telegram.common import resident_key
from tests.fake_telegram import FakeTelegram
from tests.load_support import Driver, check_log, make_residents
from tests.telegram_support import ID, RESIDENT, STAFF_CHAT, Harness, knowledge, running, start_bot

ROOT = Path(__file__).resolve().parent.parent
# the staff group's database alarm, as the office words it (knowledge/messages/telegram.yaml)
ALERT_HEAD = catalogue_of(knowledge()).text("telegram.store_alert", reason="", minutes=1).split("（")[0]
STORE_RECOVERED = catalogue_of(knowledge()).text("telegram.store_recovered")
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


# --------------------------------------------------------------------------- SIGKILL before the send


class ProcessResident:
    """A resident talking to a bot in another process, one message at a time (sync)."""

    def __init__(self, fake: FakeTelegram, user: int = RESIDENT) -> None:
        self.fake, self.user = fake, user
        self.finder = Harness(app=None, fake=fake, store=None)  # type: ignore[arg-type]

    def say(self, text: str, contains: str) -> None:
        mark = self.fake.mark()
        self.fake.push_message(self.user, self.user, text)
        self.fake.wait_for_message(chat_id=self.user, contains=contains, since=mark, timeout=30)

    def press(self, label: str, contains: str | None) -> dict:
        message_id, data = self.finder.find_button(self.user, label)
        mark = self.fake.mark()
        update = self.fake.push_callback(self.user, self.user, data, message_id)
        if contains is not None:
            self.fake.wait_for_message(chat_id=self.user, contains=contains, since=mark, timeout=30)
        return update


def test_sigkill_after_the_update_is_confirmed_and_before_the_send_returns(fake, tmp_path):
    """Issue 11.1: the receipt and the staff card are written with the request (the outbox) and
    sent after a restart, although Telegram will never deliver the confirming update again."""
    db = tmp_path / "bot.db"
    proc = start_bot(fake, db)
    try:
        fake.wait_for(method="deleteWebhook", timeout=30)
        r = ProcessResident(fake)
        r.say("/start", WELCOME)
        r.press("信息公开申请", "申请人类型")
        r.press("公民", "姓名")
        r.say("张三", "身份证号码")
        r.say(ID, "手机号码")
        r.say("13812345678", "通信地址")
        r.say("柏乡县某某镇某某村1号", "请描述")
        r.say("2025年本县道路改造工程的立项批复文件", "什么形式")
        r.press("电子", "什么方式")
        r.press("邮寄", "用途")
        r.press("跳过", "请核对")

        mark = fake.mark()
        fake.hold("sendMessage")
        update = r.press("确认提交", None)
        # the bot confirmed the update (its next poll) and is stuck in sendMessage: kill it
        wait_until(lambda: fake.holding() >= 1, 30)
        wait_until(lambda: (fake.confirmed_offset or 0) > update["update_id"], 30)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        fake.release(drop=True)
        assert fake.pending_update_count == 0  # Telegram will not send the update again
        assert not [t for t in fake.texts(RESIDENT, since=mark) if "申请编号" in t]
        assert not [t for t in fake.texts(STAFF_CHAT, since=mark) if "【新申请】" in t]
        with Store(db) as store:
            [req] = store.requests_for(resident_key(RESIDENT))
            assert store.outbox_pending() == 2  # the receipt and the card, owed

        proc = start_bot(fake, db)
        receipt = fake.wait_for_message(chat_id=RESIDENT, contains="申请编号", since=mark, timeout=30)
        card = fake.wait_for_message(chat_id=STAFF_CHAT, contains="【新申请】", since=mark, timeout=30)
        assert req.reference in receipt.text and req.reference in card.text
        assert ID not in card.text  # the card drawn at delivery is masked as ever
        wait_until(lambda: Store(db).outbox_pending() == 0, 10)
        # once each (the card is not posted twice), and the card answers replies
        assert len([t for t in fake.texts(STAFF_CHAT, since=mark) if "【新申请】" in t]) == 1
        assert len([t for t in fake.texts(RESIDENT, since=mark) if "申请编号" in t]) == 1
        wait_until(lambda: Store(db).reference_for_card(STAFF_CHAT, card.message_id) == req.reference, 10)
    finally:
        fake.release(drop=True)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


# --------------------------------------------------------------------------- start-up (issue 11 item 6)

#: As root, permission bits do not stop writes: the child runs without the capabilities that
#: override them (util-linux setpriv), so a read-only file or folder is read-only for it too.
UNPRIVILEGED = ["setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]


def _unprivileged_prefix() -> list[str]:
    import os
    import shutil

    if os.geteuid() != 0:
        return []
    assert shutil.which("setpriv"), "running as root: util-linux setpriv is needed to drop DAC override"
    return UNPRIVILEGED


def _good_db(path: Path) -> Path:
    Store(path).close()
    return path


def _future_db(path: Path) -> Path:
    from bot.store import SCHEMA_VERSION

    _good_db(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    conn.commit()
    conn.close()
    return path


def _startup_case(case: str, tmp: Path) -> tuple[Path, str]:
    """(the --db argument, a fragment the one-sentence message must contain) for each case."""
    if case == "not_sqlite":
        (tmp / "notes.db").write_text("这不是数据库\n" * 50, encoding="utf-8")
        return tmp / "notes.db", "不是可用的 SQLite 数据库"
    if case == "truncated":
        good = _good_db(tmp / "good.db")
        (tmp / "cut.db").write_bytes(good.read_bytes()[:3000])
        return tmp / "cut.db", "不是可用的 SQLite 数据库"
    if case == "future_schema":
        return _future_db(tmp / "new.db"), "请升级本程序"
    if case == "parent_is_file":
        (tmp / "afile").write_text("x", encoding="utf-8")
        return tmp / "afile" / "sub" / "bot.db", "是一个文件而不是文件夹"
    if case == "is_folder":
        (tmp / "folder.db").mkdir()
        return tmp / "folder.db", "是一个文件夹"
    if case == "readonly_folder":
        (tmp / "ro").mkdir()
        (tmp / "ro").chmod(0o555)
        return tmp / "ro" / "bot.db", "不可写"
    if case == "readonly_folder_existing_db":
        (tmp / "ro2").mkdir()
        _good_db(tmp / "ro2" / "bot.db")
        (tmp / "ro2").chmod(0o555)
        return tmp / "ro2" / "bot.db", "不可写"
    if case == "readonly_file":
        db = _good_db(tmp / "ro.db")
        db.chmod(0o444)
        return db, "只读"
    raise AssertionError(case)


STARTUP_CASES = [
    "not_sqlite",
    "truncated",
    "future_schema",
    "parent_is_file",
    "is_folder",
    "readonly_folder",
    "readonly_folder_existing_db",
    "readonly_file",
]


@pytest.mark.parametrize("command", ["chat", "run"])
@pytest.mark.parametrize("case", STARTUP_CASES)
def test_a_database_that_cannot_be_used_stops_start_up_with_one_clear_sentence(tmp_path, case, command):
    import os
    import sys

    db, expected = _startup_case(case, tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITIZEN_BOT_")}
    env.update(
        TELEGRAM_BOT_TOKEN="123456:TEST-token-not-real-aaaaaaaaaaaaaaaaaaaa",
        CITIZEN_BOT_STAFF_CHAT_ID="-1001",
        CITIZEN_BOT_STAFF_IDS="42",
        CITIZEN_BOT_DIGEST_TIME="off",
        CITIZEN_BOT_REMINDER_TIME="off",
        PYTHONIOENCODING="utf-8",
    )
    # nothing listens on port 9 of 127.0.0.1: a bot that got past the store would fail there
    extra = ["--base-url", "http://127.0.0.1:9/bot"] if command == "run" else []
    try:
        result = subprocess.run(
            [*_unprivileged_prefix(), sys.executable, "-m", "cli", command, "--db", str(db), *extra],
            cwd=ROOT,
            env=env,
            input="你好\n",
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
        )
    finally:
        for folder in (tmp_path / "ro", tmp_path / "ro2"):
            if folder.exists():
                folder.chmod(0o755)  # let pytest clean up
    lines = [line for line in result.stderr.splitlines() if line.strip() and " INFO " not in line]
    assert result.returncode == 2, (result.returncode, result.stderr[-3000:])
    assert "Traceback" not in result.stderr
    assert len(lines) == 1, lines  # one sentence
    assert str(db) in lines[0] and expected in lines[0], lines[0]
    assert "系统繁忙" not in result.stderr and "已保存" not in result.stderr
    assert "--db" in lines[0] or "升级" in lines[0] or "chmod" in lines[0]  # says what to do
