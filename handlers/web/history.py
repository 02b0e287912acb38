"""Per-resident web chat history: what the page shows, kept so a reload (or a later visit in the
same browser) finds the conversation, staff replies and status notifications waiting.

Why a table of its own: the engine keeps only a short scrubbed conversation buffer; the page
needs every message with its buttons, in order, with an id the live stream can resume from
(``Last-Event-ID``). The table ``web_messages`` lives in the store's SQLite file (one file to
back up; ``web`` and ``run`` processes share it) but is opened through its own connection, so
nothing in ``bot.store`` changes. Ids are increasing across all residents: the live stream of
every process finds new rows with one indexed query (``since``), whichever process wrote them.

Personal data: what a resident typed is stored scrubbed (ID numbers, phones, e-mails masked,
``bot.masking.scrub``); the resident sees their full values only in the moment they type them.
Each resident keeps at most ``KEEP_PER_RESIDENT`` rows; ``forget`` deletes them all (the web
adapter calls it when the engine's 删除我的数据 ran); ``prune`` drops rows older than a cutoff.
Nothing here logs message text.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.masking import scrub
from bot.store import LOCAL_TZ, Store, StoreUnavailable, unavailable_reason

WEB_PREFIX = "web:"
#: Rows kept per resident (older ones are dropped as new ones arrive).
KEEP_PER_RESIDENT = 300
ROLES = ("resident", "bot", "staff")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS web_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    resident TEXT NOT NULL,
    role TEXT NOT NULL,
    text TEXT NOT NULL,
    buttons TEXT NOT NULL DEFAULT '[]',
    entry_id TEXT,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS web_messages_resident ON web_messages (resident, id);
"""


@dataclass(frozen=True)
class WebMessage:
    """One line of a resident's page: who said it, the text, and the buttons under it."""

    id: int
    resident: str
    role: str
    text: str
    buttons: tuple[tuple[str, str], ...] = ()
    entry_id: str | None = None
    at: str = ""

    def to_json(self) -> dict[str, Any]:
        """What the page receives (no resident key: the page knows whose it is)."""
        return {
            "id": self.id,
            "role": self.role,
            "text": self.text,
            "buttons": [[label, payload] for label, payload in self.buttons],
            "entry": self.entry_id,
            "at": self.at,
        }


@dataclass(frozen=True)
class NewMessage:
    """A row to append (``WebLog.append``)."""

    role: str
    text: str
    buttons: Sequence[tuple[str, str]] = field(default_factory=tuple)
    entry_id: str | None = None


def web_key(key: str) -> str:
    """The store's resident key for a web resident: 'web:<key>' (given with or without prefix)."""
    return key if key.startswith(WEB_PREFIX) else WEB_PREFIX + key


def _now_text(now: datetime | None) -> str:
    now = now or datetime.now(LOCAL_TZ)
    if now.tzinfo is not None:
        now = now.astimezone(LOCAL_TZ)
    return now.replace(tzinfo=None, microsecond=0).isoformat(sep=" ")


class WebLog:
    """The ``web_messages`` table over one connection (thread-safe; calls are short)."""

    def __init__(
        self,
        path: str | Path,
        *,
        busy_timeout_ms: int = 5000,
        conn: sqlite3.Connection | None = None,
        lock: Any = None,
    ) -> None:
        """Its own connection to ``path``, or (``conn`` and ``lock``) the store's: then web rows
        and engine turns of this process never wait on each other inside SQLite, whose busy
        handler sleeps in steps of up to 100 ms (the p99 of bench/web.py)."""
        self.path = Path(path)
        self._lock = lock or threading.Lock()
        try:
            if conn is None:
                conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
                conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                self._owned = True
            else:
                self._owned = False
            self._db = conn
            with self._lock:
                conn.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise self._translate(exc) from None

    @classmethod
    def on_store(cls, store: Store) -> WebLog:
        """A log sharing the store's connection and lock (same process, same file)."""
        return cls(store.path, conn=store._conn, lock=store._lock)

    @staticmethod
    def _translate(exc: sqlite3.Error) -> BaseException:
        reason = unavailable_reason(exc)
        return StoreUnavailable(reason, str(exc)) if reason else exc

    def close(self) -> None:
        if self._owned:
            with self._lock:
                self._db.close()

    def _rows(self, sql: str, args: Iterable[Any]) -> list[WebMessage]:
        with self._lock:
            try:
                rows = self._db.execute(sql, tuple(args)).fetchall()
            except sqlite3.Error as exc:
                raise self._translate(exc) from None
        return [
            WebMessage(r[0], r[1], r[2], r[3], tuple((b[0], b[1]) for b in json.loads(r[4])), r[5], r[6])
            for r in rows
        ]

    def append(
        self, resident: str, messages: Sequence[NewMessage], now: datetime | None = None
    ) -> list[WebMessage]:
        """Append rows for one resident in one transaction; returns them as stored. Resident
        text is stored scrubbed. Rows beyond ``KEEP_PER_RESIDENT`` are dropped, oldest first."""
        resident = web_key(resident)
        at = _now_text(now)
        added: list[WebMessage] = []
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    for m in messages:
                        if m.role not in ROLES:
                            raise ValueError(f"unknown role {m.role!r}")
                        text = scrub(m.text) if m.role == "resident" else m.text
                        buttons = json.dumps([[label, payload] for label, payload in m.buttons])
                        cur = self._db.execute(
                            "INSERT INTO web_messages (resident, role, text, buttons, entry_id, at) "
                            "VALUES (?, ?, ?, ?, ?, ?)",
                            (resident, m.role, text, buttons, m.entry_id, at),
                        )
                        added.append(
                            WebMessage(
                                int(cur.lastrowid),
                                resident,
                                m.role,
                                text,
                                tuple((label, payload) for label, payload in m.buttons),
                                m.entry_id,
                                at,
                            )
                        )
                    self._db.execute(
                        "DELETE FROM web_messages WHERE resident = ? AND id <= ("
                        "SELECT id FROM web_messages WHERE resident = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
                        (resident, resident, KEEP_PER_RESIDENT),
                    )
                    self._db.execute("COMMIT")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise self._translate(exc) from None
        return added

    def history(self, resident: str, after: int = 0, limit: int = KEEP_PER_RESIDENT) -> list[WebMessage]:
        """A resident's rows after id ``after``, oldest first (the newest ``limit``)."""
        rows = self._rows(
            "SELECT id, resident, role, text, buttons, entry_id, at FROM web_messages "
            "WHERE resident = ? AND id > ? ORDER BY id DESC LIMIT ?",
            (web_key(resident), int(after), int(limit)),
        )
        return rows[::-1]

    def since(self, after: int, limit: int = 1000) -> list[WebMessage]:
        """Every resident's rows after id ``after`` (for the live stream), oldest first."""
        return self._rows(
            "SELECT id, resident, role, text, buttons, entry_id, at FROM web_messages "
            "WHERE id > ? ORDER BY id LIMIT ?",
            (int(after), int(limit)),
        )

    def last_id(self) -> int:
        with self._lock:
            try:
                row = self._db.execute("SELECT MAX(id) FROM web_messages").fetchone()
            except sqlite3.Error as exc:
                raise self._translate(exc) from None
        return int(row[0] or 0)

    def forget(self, resident: str) -> int:
        """Delete a resident's whole history (删除我的数据); returns the rows deleted."""
        with self._lock:
            try:
                cur = self._db.execute("DELETE FROM web_messages WHERE resident = ?", (web_key(resident),))
            except sqlite3.Error as exc:
                raise self._translate(exc) from None
        return cur.rowcount

    def prune(self, older_than: datetime) -> int:
        """Drop rows written before ``older_than`` (every resident)."""
        with self._lock:
            try:
                cur = self._db.execute("DELETE FROM web_messages WHERE at < ?", (_now_text(older_than),))
            except sqlite3.Error as exc:
                raise self._translate(exc) from None
        return cur.rowcount


# --------------------------------------------------------------------------- delivery


def log_for(target: WebLog | Store | str | Path) -> WebLog:
    """A ``WebLog`` for ``target``: itself, one on the store's connection, or one of its own on
    the database file (the caller keeps it: WebChat and WebDeliverer hold theirs)."""
    if isinstance(target, WebLog):
        return target
    if isinstance(target, Store):
        return WebLog.on_store(target)
    return WebLog(target)


def deliver_web(
    target: WebLog | Store | str | Path,
    resident_key: str,
    text: str,
    buttons: Sequence[tuple[str, str]] = (),
    *,
    role: str = "staff",
    now: datetime | None = None,
) -> int:
    """Deliver a message to a web resident: it is appended to their history, and every open page
    of theirs (in any process using this database) shows it within the stream's poll interval.

    ``target`` is a ``WebLog`` (what a long-lived caller keeps), the process's ``Store`` (its
    connection is shared) or the database path (a connection for this one call). The outbox's
    deliverer for ``web:`` addresses is ``WebDeliverer``; a retried call appends again.
    Returns the row id.
    """
    log = log_for(target)
    try:
        return log.append(web_key(resident_key), [NewMessage(role, text, tuple(buttons))], now)[0].id
    finally:
        if log is not target:
            log.close()  # closes only a connection of its own, never the store's


def is_web_resident(resident: str) -> bool:
    return resident.startswith(WEB_PREFIX)


class WebDeliverer:
    """The outbox's deliverer for ``web:<key>`` addresses (``bot.outbox``): an item becomes a row
    of the resident's web history, which their open pages show live. Registered by every
    process that may owe a web resident something: the Telegram process (staff replies and
    status notices) and the web process itself."""

    def __init__(self, target: WebLog | Store | str | Path) -> None:
        self.target = target
        self._weblog: WebLog | None = target if isinstance(target, WebLog) else None
        self._lock = threading.Lock()

    @property
    def weblog(self) -> WebLog:
        """This deliverer's log, opened at the first delivery (and kept)."""
        with self._lock:
            if self._weblog is None:
                self._weblog = log_for(self.target)
            return self._weblog

    async def deliver(self, item: Any) -> None:
        import asyncio

        from bot.outbox import Refused

        body = item.payload if isinstance(item.payload, dict) else {}
        if item.kind not in ("reply", "notice"):
            raise Refused(f"a web chat cannot show outbox kind {item.kind!r}")
        text = str(body.get("text", ""))
        buttons = tuple((str(label), str(payload)) for label, payload in body.get("buttons") or ())
        # a staff member's words show as staff; the engine's replies and the desk's automatic
        # status notices (started, extended, closed…) as the assistant's
        role = "staff" if item.kind == "notice" and body.get("from_staff") else "bot"
        message = NewMessage(role, text, buttons)
        await asyncio.to_thread(lambda: self.weblog.append(web_key(item.address), [message]))


class DeliveredByTelegram:
    """Registered for ``staff`` in a web process without Telegram: the engine writes the staff
    cards and relayed messages of web residents to the outbox in the turn's transaction, and
    the Telegram process (``citizen-bot run`` on the same database) delivers them. This process
    never drains ``staff``; if asked to, it leaves the item for later."""

    async def deliver(self, item: Any) -> None:
        from bot.outbox import Retry

        raise Retry("the staff desk is delivered by the Telegram process")
