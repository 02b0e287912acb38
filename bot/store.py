"""The request log and conversation state: one SQLite file shared by every bot process.

Why it looks like this:
- Every ``Store`` owns one connection (WAL, ``synchronous=NORMAL``, a busy timeout, foreign
  keys) guarded by a lock, so threads may share an instance and processes may share the file.
- Anything that reads and then writes (reference numbers, status transitions, idempotency
  keys, outbox leases) runs inside ``BEGIN IMMEDIATE``: under WAL an ordinary transaction that
  upgrades from read to write fails or loses updates when two processes race.
- A locked, read-only or failing database becomes ``StoreUnavailable`` carrying a Chinese
  message for the resident; the caller keeps the resident's progress and asks them to retry.
- Nothing here writes to Python logs: rows hold personal data (names, ID numbers, phones).
- Ratings of answers (有用/没用) are one row per resident and entry (``ratings``); staff
  notes on a request have their own table (``notes``), apart from the thread residents take
  part in; an outbox item that can never be delivered is kept as a dead letter (``failed_at``)
  rather than passed off as sent.
- The schema carries a version in ``meta``; ``_MIGRATIONS`` upgrade an older file in the
  start-up transaction (version 2 moved ratings out of meta and notes out of the thread).

Times are county local time (UTC+8). Aware datetimes are converted to it and stored naive;
naive datetimes are taken to be local time already. Dates are stored as ISO text.

Status transitions (``TRANSITIONS``)::

    已提交 -> 处理中 | 需补正 | 已延期
    处理中 -> 需补正 | 已延期 | 已答复 | 已办结
    需补正 -> 处理中 (corrected application arrived: new received date and due date)
           |  已办结 (not corrected in time: treated as withdrawn, 条例 Art. 30)
    已延期 -> 已答复 | 已办结
    已答复, 已办结: final

已延期 needs a new due date and is allowed once per request (``extended``). It is not
allowed from 需补正: the reply clock is stopped until the corrected application arrives, and
the restarted clock gives a fresh 20 working days (条例 Art. 30, 33).
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal

import sqlite_utils

SCHEMA_VERSION = 5

#: Why a question is kept for review.
REVIEW_KINDS = ("declined", "suggested", "unhelpful")

#: County local time; stored timestamps are naive in this zone.
LOCAL_TZ = timezone(timedelta(hours=8), "CST")

PREFIXES = ("GK", "CD", "RF", "ZX")

SUBMITTED = "已提交"
IN_PROGRESS = "处理中"
NEEDS_CORRECTION = "需补正"
EXTENDED = "已延期"
ANSWERED = "已答复"
COMPLETED = "已办结"

STATUSES = (SUBMITTED, IN_PROGRESS, NEEDS_CORRECTION, EXTENDED, ANSWERED, COMPLETED)
FINAL_STATUSES = frozenset({ANSWERED, COMPLETED})
OPEN_STATUSES = tuple(s for s in STATUSES if s not in FINAL_STATUSES)

TRANSITIONS: dict[str, frozenset[str]] = {
    SUBMITTED: frozenset({IN_PROGRESS, NEEDS_CORRECTION, EXTENDED}),
    IN_PROGRESS: frozenset({NEEDS_CORRECTION, EXTENDED, ANSWERED, COMPLETED}),
    NEEDS_CORRECTION: frozenset({IN_PROGRESS, COMPLETED}),
    EXTENDED: frozenset({ANSWERED, COMPLETED}),
    ANSWERED: frozenset(),
    COMPLETED: frozenset(),
}

SENDERS = ("resident", "staff", "bot")
Sender = Literal["resident", "staff", "bot"]

RATING_VALUES = ("up", "down")

BUSY_MESSAGE = "系统繁忙，请稍后重试。您已填写的内容已保存，不会丢失。"

# Primary SQLite result codes that mean "the database cannot be used right now".
_UNAVAILABLE_CODES = {
    5: "busy",  # SQLITE_BUSY
    6: "busy",  # SQLITE_LOCKED
    8: "readonly",  # SQLITE_READONLY
    10: "io",  # SQLITE_IOERR
    13: "full",  # SQLITE_FULL
    14: "cantopen",  # SQLITE_CANTOPEN
    15: "busy",  # SQLITE_PROTOCOL
}
_UNAVAILABLE_TEXT = {
    "database is locked": "busy",
    "database table is locked": "busy",
    "disk i/o error": "io",
    "readonly database": "readonly",
    "unable to open database": "cantopen",
    "database or disk is full": "full",
}


# --------------------------------------------------------------------------- errors


class StoreError(Exception):
    """Base class; ``message`` is Chinese and safe to show (it holds no personal data)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StoreUnavailable(StoreError):
    """The database is locked, read-only, full or failing; the caller should ask to retry."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(BUSY_MESSAGE)
        self.user_message = BUSY_MESSAGE
        self.reason = reason
        self.detail = detail

    def __str__(self) -> str:
        return f"store unavailable ({self.reason}): {self.detail}"

    def __repr__(self) -> str:
        return f"StoreUnavailable(reason={self.reason!r}, detail={self.detail!r})"


class StatusError(StoreError):
    """A status change the request's current state does not allow."""


class UnknownRequest(StoreError, LookupError):
    """No request has this reference."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"未找到编号为 {reference} 的申请。")
        self.reference = reference


def unavailable_reason(exc: sqlite3.Error) -> str | None:
    """Why ``exc`` means the database is unusable for now, or None for a programming error."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _UNAVAILABLE_CODES:
        return _UNAVAILABLE_CODES[code & 0xFF]
    text = str(exc).lower()
    for needle, reason in _UNAVAILABLE_TEXT.items():
        if needle in text:
            return reason
    return None


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Request:
    """One submitted request (政府信息公开 / 查档 / 人防 / 咨询)."""

    reference: str
    kind: str
    status: str
    resident: str
    office: str
    data: dict[str, Any]
    created_at: datetime
    received_date: date
    due_date: date | None
    due_provisional: bool
    assignee: str | None
    extended: bool
    closed_kind: str | None
    forgotten: bool
    #: The annual report's column (自然人, 商业企业, ...); None on rows from before schema 3.
    applicant_type: str | None = None
    #: The first date of receipt: ``received_date`` moves when a 补正 restarts the clock, this
    #: does not (the annual report counts a request in the year it first arrived).
    first_received_date: date | None = None

    @property
    def is_open(self) -> bool:
        return self.status not in FINAL_STATUSES


@dataclass(frozen=True)
class StatusChange:
    status: str
    by: str
    note: str
    at: datetime


@dataclass(frozen=True)
class Message:
    id: int
    reference: str
    sender: str
    author: str
    text: str
    at: datetime


@dataclass(frozen=True)
class Note:
    """A staff member's internal note on a request; residents never see notes."""

    id: int
    reference: str
    author: str
    text: str
    at: datetime


@dataclass(frozen=True)
class OutboxItem:
    id: int
    chat_key: str
    payload: dict[str, Any]
    attempts: int
    created_at: datetime
    next_at: datetime
    last_error: str | None
    #: What the item is (``bot.outbox`` kinds: reply, card, relay, notice; ``raw`` for a message a
    #: channel already rendered); the channel's deliverer renders it when it is sent.
    kind: str = "raw"
    reference: str | None = None
    dedup_key: str | None = None

    @property
    def address(self) -> str:
        """Where it goes: ``tg:<chat>``, ``staff``, ``web:<key>`` … (the ``chat_key`` column)."""
        return self.chat_key


@dataclass(frozen=True)
class ForgetResult:
    """What ``forget_resident`` did; ``kept_requests`` stay, flagged and masked."""

    session_deleted: bool
    subscriptions_deleted: int
    kept_requests: tuple[str, ...]
    ratings_deleted: int = 0


# --------------------------------------------------------------------------- pure helpers


def to_local(dt: datetime) -> datetime:
    """Naive county-local time, so stored timestamps compare correctly as text."""
    if dt.tzinfo is not None:
        return dt.astimezone(LOCAL_TZ).replace(tzinfo=None)
    return dt


def _ts(dt: datetime) -> str:
    return to_local(dt).isoformat(timespec="microseconds")


def _dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _neg(text: str) -> tuple[int, ...]:
    """A sort key that orders texts (timestamps) newest first."""
    return tuple(-ord(c) for c in text)


def _now() -> datetime:
    return datetime.now(LOCAL_TZ)


def format_reference(prefix: str, day: date, seq: int) -> str:
    """``PREFIX-YYYYMMDD-NNNN``; past 9999 in one day the number simply grows a digit."""
    return f"{prefix}-{day:%Y%m%d}-{seq:04d}"


def normalise_question(text: str) -> str:
    """Key under which declined questions are counted: width, case, spaces, end punctuation."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    compact = "".join(folded.split())
    return compact.strip("?？!！.。,，;；:：~～…、")


def allowed_transitions(status: str, extended: bool = False) -> tuple[str, ...]:
    """Statuses a request may move to next, in display order (for staff buttons)."""
    targets = TRANSITIONS.get(status, frozenset())
    return tuple(s for s in STATUSES if s in targets and not (s == EXTENDED and extended))


def check_transition(
    reference: str,
    current: str,
    new: str,
    *,
    extended: bool,
    due: date | None,
    received: date | None,
) -> None:
    """Raise ``StatusError`` (Chinese message) unless current -> new is allowed."""
    if new not in STATUSES:
        raise StatusError(f"未知的状态「{new}」。")
    if new not in TRANSITIONS[current]:
        if current in FINAL_STATUSES:
            raise StatusError(f"申请 {reference} 已经「{current}」，不能再改为「{new}」。")
        raise StatusError(f"申请 {reference} 当前状态为「{current}」，不能改为「{new}」。")
    if new == EXTENDED:
        if extended:
            raise StatusError(f"申请 {reference} 已经延期过一次，按规定只能延期一次。")
        if due is None:
            raise StatusError(f"延期申请 {reference} 时必须给出新的答复期限。")
    if current == NEEDS_CORRECTION and new == IN_PROGRESS and received is None:
        raise StatusError(f"申请 {reference} 补正后须重新登记收到日期并重新计算答复期限。")


def _request_from_row(row: dict[str, Any]) -> Request:
    return Request(
        reference=row["reference"],
        kind=row["kind"],
        status=row["status"],
        resident=row["resident"],
        office=row["office"],
        data=json.loads(row["data"]),
        created_at=_dt(row["created_at"]),
        received_date=date.fromisoformat(row["received_date"]),
        due_date=_d(row["due_date"]),
        due_provisional=bool(row["due_provisional"]),
        assignee=row["assignee"],
        extended=bool(row["extended"]),
        closed_kind=row["closed_kind"],
        forgotten=bool(row["forgotten"]),
        applicant_type=row.get("applicant_type"),
        first_received_date=_d(row.get("first_received_date")) or date.fromisoformat(row["received_date"]),
    )


def _outbox_from_row(row: dict[str, Any]) -> OutboxItem:
    return OutboxItem(
        id=row["id"],
        chat_key=row["chat_key"],
        payload=json.loads(row["payload"]),
        attempts=row["attempts"],
        created_at=_dt(row["created_at"]),
        next_at=_dt(row["next_at"]),
        last_error=row["last_error"],
        kind=row.get("kind") or "raw",
        reference=row.get("reference"),
        dedup_key=row.get("dedup_key"),
    )


def _resident_view(req: Request) -> dict[str, Any]:
    """A request as the resident's own data export shows it (JSON-ready, no staff ids)."""
    return {
        "reference": req.reference,
        "kind": req.kind,
        "status": req.status,
        "office": req.office,
        "data": req.data,
        "created_at": req.created_at.isoformat(),
        "received_date": req.received_date.isoformat(),
        "due_date": req.due_date.isoformat() if req.due_date else None,
        "due_provisional": req.due_provisional,
        "extended": req.extended,
        "closed_kind": req.closed_kind,
        "forgotten": req.forgotten,
        "applicant_type": req.applicant_type,
    }


# --------------------------------------------------------------------------- schema


def _create_schema(db: sqlite_utils.Database) -> None:
    """Idempotent: every process may run it on start-up (inside BEGIN IMMEDIATE)."""
    db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db["sessions"].create(
        {"resident": str, "state": str, "created_at": str, "updated_at": str},
        pk="resident",
        not_null={"state", "created_at", "updated_at"},
        if_not_exists=True,
    )
    db["sessions"].create_index(["updated_at"], if_not_exists=True)
    db["ref_counters"].create(
        {"prefix": str, "day": str, "last": int}, pk=("prefix", "day"), if_not_exists=True
    )
    db["requests"].create(
        {
            "reference": str,
            "prefix": str,
            "kind": str,
            "status": str,
            "resident": str,
            "office": str,
            "data": str,
            "created_at": str,
            "updated_at": str,
            "received_date": str,
            "due_date": str,
            "due_provisional": int,
            "assignee": str,
            "extended": int,
            "closed_kind": str,
            "forgotten": int,
            "idempotency_key": str,
            "applicant_type": str,
            "first_received_date": str,
        },
        pk="reference",  # the primary key is the unique index on reference
        not_null={
            "prefix",
            "kind",
            "status",
            "resident",
            "office",
            "data",
            "created_at",
            "updated_at",
            "received_date",
            "due_provisional",
            "extended",
            "forgotten",
        },
        defaults={"due_provisional": 0, "extended": 0, "forgotten": 0},
        if_not_exists=True,
    )
    requests = db["requests"]
    requests.create_index(["idempotency_key"], "requests_idempotency_key", unique=True, if_not_exists=True)
    requests.create_index(["resident", "created_at"], if_not_exists=True)
    requests.create_index(["status", "due_date"], if_not_exists=True)
    db["request_history"].create(
        {"id": int, "reference": str, "status": str, "actor": str, "note": str, "at": str},
        pk="id",
        foreign_keys=[("reference", "requests", "reference")],
        not_null={"reference", "status", "actor", "note", "at"},
        if_not_exists=True,
    )
    db["request_history"].create_index(["reference", "id"], if_not_exists=True)
    db["messages"].create(
        {"id": int, "reference": str, "sender": str, "author": str, "text": str, "at": str},
        pk="id",
        foreign_keys=[("reference", "requests", "reference")],
        not_null={"reference", "sender", "author", "text", "at"},
        if_not_exists=True,
    )
    db["messages"].create_index(["reference", "sender", "at"], if_not_exists=True)
    db["subscriptions"].create(
        {"resident": str, "topic": str, "created_at": str},
        pk=("resident", "topic"),
        not_null={"created_at"},
        if_not_exists=True,
    )
    db["subscriptions"].create_index(["topic"], if_not_exists=True)
    db["declined"].create(
        {"norm": str, "text": str, "count": int, "first_at": str, "last_at": str},
        pk="norm",
        not_null={"text", "count", "first_at", "last_at"},
        if_not_exists=True,
    )
    db["declined"].create_index(["count"], if_not_exists=True)
    _create_review(db)
    db["outbox"].create(
        {
            "id": int,
            "chat_key": str,
            "payload": str,
            "created_at": str,
            "next_at": str,
            "attempts": int,
            "last_error": str,
            "sent_at": str,
            "failed_at": str,
            "kind": str,
            "dedup_key": str,
            "reference": str,
        },
        pk="id",
        not_null={"chat_key", "payload", "created_at", "next_at", "attempts"},
        defaults={"attempts": 0},
        if_not_exists=True,
    )
    db["outbox"].create_index(["sent_at", "next_at"], if_not_exists=True)
    if "kind" in db["outbox"].columns_dict:  # an older file gets these in _migrate_2_to_3
        _outbox_indexes(db)
    db["processed_updates"].create({"key": str, "at": str}, pk="key", not_null={"at"}, if_not_exists=True)
    db["processed_updates"].create_index(["at"], if_not_exists=True)
    db["cards"].create(
        {"chat_id": int, "message_id": int, "reference": str},
        pk=("chat_id", "message_id"),
        foreign_keys=[("reference", "requests", "reference")],
        not_null={"reference"},
        if_not_exists=True,
    )
    db["ratings"].create(
        {"entry_id": str, "resident": str, "value": str, "at": str},
        pk=("entry_id", "resident"),
        not_null={"value", "at"},
        if_not_exists=True,
    )
    db["ratings"].create_index(["resident"], if_not_exists=True)
    db["notes"].create(
        {"id": int, "reference": str, "author": str, "text": str, "at": str},
        pk="id",
        foreign_keys=[("reference", "requests", "reference")],
        not_null={"reference", "author", "text", "at"},
        if_not_exists=True,
    )
    db["notes"].create_index(["reference", "id"], if_not_exists=True)


_RATING_KEY_PREFIX = "rating:"
_RATING_TOTALS_KEY = "ratings"
_NOTE_AUTHOR_PREFIX = "note:"


def _migrate_1_to_2(db: sqlite_utils.Database) -> None:
    """Ratings, notes and dead letters get real storage (``_create_schema`` has already made the
    ``ratings`` and ``notes`` tables).

    - meta ``rating:<entry>:<resident>`` = up/down -> ``ratings`` rows. Entry ids never hold a
      colon (``bot.knowledge.ID_PATTERN``), resident keys may (``tg:123``), so the key splits at
      its first colon after the prefix. The old time of a vote was not kept: rows get the
      migration time. The meta ``ratings`` totals are dropped: totals are now counted from the
      rows (the old totals could lose a count when two processes rated at once).
    - thread rows written by the old /note (sender 'bot', author ``note:<staff>``) -> ``notes``
      rows with author ``<staff>`` and their original time, and leave the thread.
    - ``outbox.failed_at`` is added (a dead letter: never due, not pending).
    """
    if "failed_at" not in db["outbox"].columns_dict:
        db["outbox"].add_column("failed_at", str)
    at = _ts(_now())
    prefix = _RATING_KEY_PREFIX
    rows = db.execute(
        "SELECT key, value FROM meta WHERE substr(key, 1, ?) = ? ORDER BY key", [len(prefix), prefix]
    ).fetchall()
    for key, value in rows:
        entry_id, _, resident = key[len(prefix) :].partition(":")
        if entry_id and resident and value in RATING_VALUES:
            db.execute(
                "INSERT OR REPLACE INTO ratings (entry_id, resident, value, at) VALUES (?, ?, ?, ?)",
                [entry_id, resident, value, at],
            )
    db.execute("DELETE FROM meta WHERE substr(key, 1, ?) = ?", [len(prefix), prefix])
    db.execute("DELETE FROM meta WHERE key = ?", [_RATING_TOTALS_KEY])
    mark = _NOTE_AUTHOR_PREFIX
    db.execute(
        "INSERT INTO notes (reference, author, text, at)"
        " SELECT reference, substr(author, ?), text, at FROM messages"
        " WHERE sender = 'bot' AND substr(author, 1, ?) = ? ORDER BY at, id",
        [len(mark) + 1, len(mark), mark],
    )
    db.execute("DELETE FROM messages WHERE sender = 'bot' AND substr(author, 1, ?) = ?", [len(mark), mark])


def _migrate_2_to_3(db: sqlite_utils.Database) -> None:
    """The annual report's facts get columns: ``applicant_type`` (left empty on old rows:
    readers derive it from the form, ``bot.outcomes.Catalogue.applicant_type``) and
    ``first_received_date`` (copied from ``received_date``; where a 补正 already moved that,
    the day the request was created is the best record left). Old ``closed_kind`` values
    (条例 Art. 36 reply kinds) stay as they were: ``Catalogue.resolve`` reads them."""
    columns = db["requests"].columns_dict
    if "applicant_type" not in columns:
        db["requests"].add_column("applicant_type", str)
    if "first_received_date" not in columns:
        db["requests"].add_column("first_received_date", str)
    db.execute(
        "UPDATE requests SET first_received_date = CASE WHEN EXISTS (SELECT 1 FROM request_history h"
        " WHERE h.reference = requests.reference AND h.status = ?) THEN substr(created_at, 1, 10)"
        " ELSE received_date END WHERE first_received_date IS NULL",
        [NEEDS_CORRECTION],
    )


def _create_review(db: sqlite_utils.Database) -> None:
    """Questions staff should review (issue 9): declined, suggested, or rated 没用; scrubbed.
    ``resident`` is kept only so that 删除我的数据 removes them too (free text may hold an address
    the scrubber cannot recognise); nobody is shown it."""
    db["review"].create(
        {"id": int, "text": str, "norm": str, "kind": str, "reply": str, "at": str, "resident": str},
        pk="id",
        not_null={"text", "kind", "reply", "at"},
        if_not_exists=True,
    )
    db["review"].create_index(["at"], if_not_exists=True)
    db["review"].create_index(["resident"], if_not_exists=True)
    db["review"].create_index(["kind", "norm"], if_not_exists=True)


def _migrate_3_to_4(db: sqlite_utils.Database) -> None:
    """The review table for declined, suggested and 没用-rated questions."""
    _create_review(db)


def _outbox_indexes(db: sqlite_utils.Database) -> None:
    db["outbox"].create_index(["dedup_key"], "outbox_dedup_key", unique=True, if_not_exists=True)
    db["outbox"].create_index(["chat_key", "id"], if_not_exists=True)
    db["outbox"].create_index(["reference"], if_not_exists=True)


def _migrate_4_to_5(db: sqlite_utils.Database) -> None:
    """The outbox becomes the transactional outbox (``bot.outbox``): every item has an address
    (``chat_key``), a ``kind``, an optional ``dedup_key`` (unique) and the ``reference`` it is
    about (so /forget can erase it). Items kept by the old Telegram sender were addressed by the
    bare chat id: they become ``tg:<chat>`` items of kind ``raw``."""
    columns = db["outbox"].columns_dict
    for name in ("kind", "dedup_key", "reference"):
        if name not in columns:
            db["outbox"].add_column(name, str)
    db.execute("UPDATE outbox SET kind = 'raw' WHERE kind IS NULL")
    db.execute(
        "UPDATE outbox SET chat_key = 'tg:' || chat_key"
        " WHERE chat_key GLOB '[0-9-]*' AND chat_key NOT GLOB '*[^0-9-]*'"
    )
    _outbox_indexes(db)


#: Upgrades from version N to N+1, run inside the start-up transaction.
_MIGRATIONS: dict[int, Any] = {
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
    3: _migrate_3_to_4,
    4: _migrate_4_to_5,
}


# --------------------------------------------------------------------------- the store


class Store:
    """The bot's only window on its SQLite file. One instance per process (threads may share it)."""

    def __init__(self, path: str | Path, *, busy_timeout_ms: int = 5000) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        #: Open write transactions of the thread holding ``_lock`` (nested ones are savepoints).
        self._depth = 0
        #: Set by an erasure: after the outermost commit the WAL is checkpointed and truncated.
        self._erased = False
        try:
            conn = sqlite3.connect(
                self.path,
                timeout=busy_timeout_ms / 1000,
                isolation_level=None,  # we issue BEGIN IMMEDIATE ourselves
                check_same_thread=False,  # guarded by self._lock
            )
        except sqlite3.Error as exc:
            raise self._translate(exc) from exc
        self._conn = conn
        try:
            try:
                conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("PRAGMA foreign_keys = ON")
                # Deleted rows are overwritten with zeros, not just unlinked: /forget must not
                # leave names and ID numbers in free pages of the file.
                conn.execute("PRAGMA secure_delete = ON")
                self.db = sqlite_utils.Database(conn, execute_plugins=False)
            except sqlite3.Error as exc:
                raise self._translate(exc) from exc
            with self._write() as db:
                _create_schema(db)
                self._migrate(db)
        except BaseException:
            conn.close()
            raise

    # -- plumbing ------------------------------------------------------------------

    @staticmethod
    def _translate(exc: sqlite3.Error) -> BaseException:
        reason = unavailable_reason(exc)
        return StoreUnavailable(reason, str(exc)) if reason else exc

    @contextmanager
    def _read(self) -> Iterator[sqlite_utils.Database]:
        with self._lock:
            try:
                yield self.db
            except sqlite3.Error as exc:
                raise self._translate(exc) from exc

    @contextmanager
    def _write(self) -> Iterator[sqlite_utils.Database]:
        """One atomic write: BEGIN IMMEDIATE takes the write lock before anything is read.

        Re-entrant: inside ``transaction()`` (or another ``_write``) it is a savepoint, so a
        failed inner step is undone alone and everything commits together at the end."""
        with self._lock:
            conn = self._conn
            if self._depth:
                yield from self._savepoint(conn)
                return
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._translate(exc) from exc
            self._depth = 1
            try:
                yield self.db
                conn.execute("COMMIT")
            except BaseException as exc:
                self._erased = False
                if conn.in_transaction:
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # the original error below is what matters
                if isinstance(exc, sqlite3.Error):
                    raise self._translate(exc) from exc
                raise
            finally:
                self._depth = 0
            if self._erased:
                self._erased = False
                self._truncate_wal()

    def _savepoint(self, conn: sqlite3.Connection) -> Iterator[sqlite_utils.Database]:
        name = f"sp{self._depth}"
        conn.execute(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield self.db
            conn.execute(f"RELEASE {name}")
        except BaseException as exc:
            try:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
            except sqlite3.Error:
                pass
            if isinstance(exc, sqlite3.Error):
                raise self._translate(exc) from exc
            raise
        finally:
            self._depth -= 1

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Several store calls as one atomic write (the engine's turn: session, request and
        everything owed to anyone in the outbox). Calls inside are savepoints; nothing is
        visible to other connections until the end, and an exception undoes all of it."""
        with self._write():
            yield self

    def _truncate_wal(self) -> None:
        """After an erasure: copy the WAL into the file and truncate it, so the erased rows'
        old page images do not linger in ``-wal`` while the bot keeps running. Best effort: a
        reader in another process may keep the checkpoint from finishing (its busy timeout)."""
        try:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.Error:
            pass

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Several reads that must see one consistent state (a deferred read transaction)."""
        with self._lock:
            conn = self._conn
            if self._depth:  # inside a write transaction: already one consistent state
                yield
                return
            try:
                conn.execute("BEGIN")
                yield
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                if isinstance(exc, sqlite3.Error):
                    raise self._translate(exc) from exc
                raise

    def _migrate(self, db: sqlite_utils.Database) -> None:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else SCHEMA_VERSION
        if version > SCHEMA_VERSION:
            raise StoreError(f"数据库结构版本 {version} 比本程序支持的 {SCHEMA_VERSION} 新，请升级程序。")
        while version < SCHEMA_VERSION:
            _MIGRATIONS[version](db)
            version += 1
        db["meta"].upsert({"key": "schema_version", "value": str(version)}, pk="key")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def _fetch_request(db: sqlite_utils.Database, reference: str) -> Request:
        rows = list(db.query("SELECT * FROM requests WHERE reference = ?", [reference]))
        if not rows:
            raise UnknownRequest(reference)
        return _request_from_row(rows[0])

    # -- meta --------------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        with self._read() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as db:
            db["meta"].upsert({"key": key, "value": value}, pk="key")

    def set_card(self, reference: str, chat_id: int, message_id: int) -> None:
        """Remember which staff-group message shows a request, so replies to it find the request."""
        with self._write() as db:
            self._fetch_request(db, reference)
            db["cards"].upsert(
                {"chat_id": chat_id, "message_id": message_id, "reference": reference},
                pk=("chat_id", "message_id"),
            )

    def reference_for_card(self, chat_id: int, message_id: int) -> str | None:
        with self._read() as db:
            row = db.execute(
                "SELECT reference FROM cards WHERE chat_id = ? AND message_id = ?",
                [chat_id, message_id],
            ).fetchone()
        return row[0] if row else None

    def integrity_check(self) -> str:
        """'ok', or SQLite's list of problems joined by newlines."""
        with self._read() as db:
            rows = db.execute("PRAGMA integrity_check").fetchall()
        return "\n".join(str(r[0]) for r in rows)

    # -- sessions ----------------------------------------------------------------

    def load_session(self, resident: str) -> dict[str, Any] | None:
        with self._read() as db:
            row = db.execute("SELECT state FROM sessions WHERE resident = ?", [resident]).fetchone()
        return json.loads(row[0]) if row else None

    def save_session(self, resident: str, state: dict[str, Any], now: datetime | None = None) -> None:
        """Persist the whole conversation state (JSON) so a restart resumes mid-form."""
        text = json.dumps(state, ensure_ascii=False)  # TypeError before touching the DB
        at = _ts(now or _now())
        with self._write() as db:
            db.execute(
                "INSERT INTO sessions (resident, state, created_at, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(resident) DO UPDATE SET state = excluded.state,"
                " updated_at = excluded.updated_at",
                [resident, text, at, at],
            )

    def delete_session(self, resident: str) -> bool:
        with self._write() as db:
            return db.execute("DELETE FROM sessions WHERE resident = ?", [resident]).rowcount > 0

    def idle_sessions(self, older_than: datetime) -> list[str]:
        """Residents whose session was last saved before ``older_than`` (oldest first)."""
        with self._read() as db:
            rows = db.execute(
                "SELECT resident FROM sessions WHERE updated_at < ? ORDER BY updated_at",
                [_ts(older_than)],
            ).fetchall()
        return [r[0] for r in rows]

    # -- requests ----------------------------------------------------------------

    def create_request(
        self,
        kind: str,
        prefix: str,
        resident: str,
        data: dict[str, Any],
        office: str,
        received: date,
        due: date | None,
        due_provisional: bool,
        now: datetime,
        idempotency_key: str | None = None,
        applicant_type: str | None = None,
    ) -> Request:
        """Allocate ``PREFIX-YYYYMMDD-NNNN`` and store the request with its first history row.

        With an ``idempotency_key`` already used by this resident the existing request is
        returned, so a retried confirmation never files a second request.
        """
        if prefix not in PREFIXES:
            raise ValueError(f"unknown reference prefix {prefix!r}; expected one of {PREFIXES}")
        payload = json.dumps(data, ensure_ascii=False)
        local_now = to_local(now)
        at = _ts(local_now)
        day = local_now.date()
        with self._write() as db:
            if idempotency_key is not None:
                rows = list(db.query("SELECT * FROM requests WHERE idempotency_key = ?", [idempotency_key]))
                if rows:
                    existing = _request_from_row(rows[0])
                    if existing.resident != resident:
                        raise ValueError("idempotency key already used by another resident")
                    return existing
            seq = db.execute(
                "INSERT INTO ref_counters (prefix, day, last) VALUES (?, ?, 1)"
                " ON CONFLICT(prefix, day) DO UPDATE SET last = last + 1 RETURNING last",
                [prefix, day.isoformat()],
            ).fetchone()[0]
            reference = format_reference(prefix, day, seq)
            db["requests"].insert(
                {
                    "reference": reference,
                    "prefix": prefix,
                    "kind": kind,
                    "status": SUBMITTED,
                    "resident": resident,
                    "office": office,
                    "data": payload,
                    "created_at": at,
                    "updated_at": at,
                    "received_date": received.isoformat(),
                    "due_date": due.isoformat() if due else None,
                    "due_provisional": int(due_provisional),
                    "assignee": None,
                    "extended": 0,
                    "closed_kind": None,
                    "forgotten": 0,
                    "idempotency_key": idempotency_key,
                    "applicant_type": applicant_type,
                    "first_received_date": received.isoformat(),
                }
            )
            db["request_history"].insert(
                {"reference": reference, "status": SUBMITTED, "actor": resident, "note": "", "at": at}
            )
            return self._fetch_request(db, reference)

    def get_request(self, reference: str) -> Request | None:
        with self._read() as db:
            rows = list(db.query("SELECT * FROM requests WHERE reference = ?", [reference]))
        return _request_from_row(rows[0]) if rows else None

    def requests_for(self, resident: str) -> list[Request]:
        """This resident's requests only, newest first."""
        with self._read() as db:
            rows = list(
                db.query(
                    "SELECT * FROM requests WHERE resident = ? ORDER BY created_at DESC, reference DESC",
                    [resident],
                )
            )
        return [_request_from_row(r) for r in rows]

    def open_requests(self, order_by_due: bool = True) -> list[Request]:
        """Requests not yet 已答复/已办结 (including 需补正, which waits on the resident)."""
        order = (
            "due_date IS NULL, due_date, created_at, reference" if order_by_due else "created_at, reference"
        )
        marks = ", ".join("?" for _ in OPEN_STATUSES)
        with self._read() as db:
            rows = list(
                db.query(
                    f"SELECT * FROM requests WHERE status IN ({marks}) ORDER BY {order}",
                    list(OPEN_STATUSES),
                )
            )
        return [_request_from_row(r) for r in rows]

    def set_status(
        self,
        reference: str,
        status: str,
        *,
        by: str,
        note: str = "",
        now: datetime,
        due: date | None = None,
        due_provisional: bool | None = None,
        received: date | None = None,
        closed_kind: str | None = None,
    ) -> Request:
        """Move a request along ``TRANSITIONS``; raises ``StatusError`` for anything else.

        ``received`` is required when a 需补正 request returns to 处理中 (the clock restarts;
        ``due`` then replaces the old deadline, None clears it). ``due`` is required for
        已延期. ``closed_kind`` (e.g. the 条例 Art. 36 reply kind) only with a final status.
        """
        if closed_kind is not None and status not in FINAL_STATUSES:
            raise ValueError("closed_kind is only recorded when a request is closed")
        at = _ts(now)
        with self._write() as db:
            req = self._fetch_request(db, reference)
            check_transition(reference, req.status, status, extended=req.extended, due=due, received=received)
            updates: dict[str, Any] = {"status": status, "updated_at": at}
            restart = req.status == NEEDS_CORRECTION and status == IN_PROGRESS
            if due is not None or restart:
                updates["due_date"] = due.isoformat() if due else None
                updates["due_provisional"] = int(bool(due_provisional))
            elif due_provisional is not None:
                updates["due_provisional"] = int(due_provisional)
            if received is not None:
                updates["received_date"] = received.isoformat()
            if status == EXTENDED:
                updates["extended"] = 1
            if status in FINAL_STATUSES:
                updates["closed_kind"] = closed_kind
            db["requests"].update(reference, updates)
            db["request_history"].insert(
                {"reference": reference, "status": status, "actor": by, "note": note, "at": at}
            )
            return self._fetch_request(db, reference)

    def assign(self, reference: str, staff_id: str, now: datetime) -> Request:
        """Record who handles a request (status unchanged; a history row notes it)."""
        at = _ts(now)
        with self._write() as db:
            req = self._fetch_request(db, reference)
            if not req.is_open:
                raise StatusError(f"申请 {reference} 已经「{req.status}」，不能再指派。")
            db["requests"].update(reference, {"assignee": staff_id, "updated_at": at})
            db["request_history"].insert(
                {
                    "reference": reference,
                    "status": req.status,
                    "actor": staff_id,
                    "note": f"指派给 {staff_id}",
                    "at": at,
                }
            )
            return self._fetch_request(db, reference)

    def history(self, reference: str) -> list[StatusChange]:
        with self._read() as db:
            rows = db.execute(
                "SELECT status, actor, note, at FROM request_history WHERE reference = ? ORDER BY id",
                [reference],
            ).fetchall()
        return [StatusChange(status=s, by=a, note=n, at=_dt(t)) for s, a, n, t in rows]

    # -- what the annual report counts -------------------------------------------

    def set_applicant_type(self, reference: str, applicant_type: str, *, by: str, now: datetime) -> Request:
        """Record (or correct) the applicant's type; a history row says who and what."""
        at = _ts(now)
        with self._write() as db:
            req = self._fetch_request(db, reference)
            db["requests"].update(reference, {"applicant_type": applicant_type, "updated_at": at})
            db["request_history"].insert(
                {
                    "reference": reference,
                    "status": req.status,
                    "actor": by,
                    "note": f"申请人类型：{applicant_type}",
                    "at": at,
                }
            )
            return self._fetch_request(db, reference)

    def reclassify(self, reference: str, closed_kind: str, *, by: str, now: datetime) -> Request:
        """Correct the recorded outcome of a closed request (the status and its date stay)."""
        at = _ts(now)
        with self._write() as db:
            req = self._fetch_request(db, reference)
            if req.is_open:
                raise StatusError(f"申请 {reference} 尚未办结。")
            db["requests"].update(reference, {"closed_kind": closed_kind, "updated_at": at})
            db["request_history"].insert(
                {
                    "reference": reference,
                    "status": req.status,
                    "actor": by,
                    "note": f"办理结果更正为：{closed_kind}（原：{req.closed_kind or '未记录'}）",
                    "at": at,
                }
            )
            return self._fetch_request(db, reference)

    def request_log(self, prefix: str) -> list[tuple[Request, datetime | None]]:
        """Every request with this reference prefix and when it was closed (the time of its
        first final status; None while open), oldest first: what the annual report counts."""
        finals = list(FINAL_STATUSES)
        marks = ", ".join("?" for _ in finals)
        with self._read() as db:
            rows = list(
                db.query(
                    f"SELECT r.*, (SELECT MIN(h.at) FROM request_history h WHERE h.reference = r.reference"
                    f" AND h.status IN ({marks})) AS closed_at FROM requests r WHERE r.prefix = ?"
                    " ORDER BY r.created_at, r.reference",
                    [*finals, prefix],
                )
            )
        return [
            (
                _request_from_row(r),
                _dt(r["closed_at"]) if r["closed_at"] and r["status"] in FINAL_STATUSES else None,
            )
            for r in rows
        ]

    # -- messages ----------------------------------------------------------------

    def add_message(self, reference: str, sender: Sender, author: str, text: str, now: datetime) -> int:
        if sender not in SENDERS:
            raise ValueError(f"sender must be one of {SENDERS}")
        with self._write() as db:
            self._fetch_request(db, reference)
            table = db["messages"].insert(
                {"reference": reference, "sender": sender, "author": author, "text": text, "at": _ts(now)}
            )
            return int(table.last_pk)

    def thread(self, reference: str) -> list[Message]:
        with self._read() as db:
            rows = list(db.query("SELECT * FROM messages WHERE reference = ? ORDER BY at, id", [reference]))
        return [
            Message(
                id=r["id"],
                reference=r["reference"],
                sender=r["sender"],
                author=r["author"],
                text=r["text"],
                at=_dt(r["at"]),
            )
            for r in rows
        ]

    def first_staff_reply_at(self, reference: str) -> datetime | None:
        with self._read() as db:
            row = db.execute(
                "SELECT MIN(at) FROM messages WHERE reference = ? AND sender = 'staff'", [reference]
            ).fetchone()
        return _dt(row[0]) if row and row[0] else None

    # -- staff notes -------------------------------------------------------------

    def add_note(self, reference: str, author: str, text: str, now: datetime | None = None) -> int:
        """Keep a staff member's internal note on a request (``UnknownRequest`` if there is no
        such request). Notes are not part of the thread: residents never see them and they do
        not count as replies."""
        if not text.strip():
            raise ValueError("a note needs some text")
        with self._write() as db:
            self._fetch_request(db, reference)
            table = db["notes"].insert(
                {"reference": reference, "author": author, "text": text, "at": _ts(now or _now())}
            )
            return int(table.last_pk)

    def notes(self, reference: str) -> list[Note]:
        """A request's notes, oldest first (empty for an unknown reference, like ``thread``)."""
        with self._read() as db:
            rows = list(db.query("SELECT * FROM notes WHERE reference = ? ORDER BY at, id", [reference]))
        return [
            Note(id=r["id"], reference=r["reference"], author=r["author"], text=r["text"], at=_dt(r["at"]))
            for r in rows
        ]

    # -- ratings -----------------------------------------------------------------

    def add_rating(self, entry_id: str, resident: str, value: str, now: datetime | None = None) -> bool:
        """One 有用 (``up``) / 没用 (``down``) per resident and answer; a changed mind moves the
        vote. True if anything changed (a repeat of the same vote changes nothing). One
        statement in one write transaction, so processes rating at once never lose a count."""
        if value not in RATING_VALUES:
            raise ValueError(f"rating must be one of {RATING_VALUES}")
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO ratings (entry_id, resident, value, at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(entry_id, resident) DO UPDATE SET value = excluded.value,"
                " at = excluded.at WHERE ratings.value <> excluded.value",
                [entry_id, resident, value, _ts(now or _now())],
            )
            return cur.rowcount > 0

    def rating_totals(self) -> dict[str, tuple[int, int]]:
        """``{entry_id: (up, down)}`` for every entry anyone has rated."""
        with self._read() as db:
            rows = db.execute(
                "SELECT entry_id, SUM(value = 'up'), SUM(value = 'down') FROM ratings"
                " GROUP BY entry_id ORDER BY entry_id"
            ).fetchall()
        return {entry: (int(up), int(down)) for entry, up, down in rows}

    def ratings_of(self, resident: str) -> list[dict[str, str]]:
        """One resident's ratings, JSON-ready (for their data export)."""
        with self._read() as db:
            rows = db.execute(
                "SELECT entry_id, value, at FROM ratings WHERE resident = ? ORDER BY at, entry_id",
                [resident],
            ).fetchall()
        return [{"entry_id": e, "value": v, "at": _dt(t).isoformat()} for e, v, t in rows]

    # -- subscriptions -----------------------------------------------------------

    def subscribe(self, resident: str, topic: str, now: datetime) -> bool:
        """True if newly subscribed, False if it already was."""
        with self._write() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO subscriptions (resident, topic, created_at) VALUES (?, ?, ?)",
                [resident, topic, _ts(now)],
            )
            return cur.rowcount > 0

    def unsubscribe(self, resident: str, topic: str) -> bool:
        with self._write() as db:
            cur = db.execute("DELETE FROM subscriptions WHERE resident = ? AND topic = ?", [resident, topic])
            return cur.rowcount > 0

    def subscribers(self, topic: str) -> list[str]:
        with self._read() as db:
            rows = db.execute(
                "SELECT resident FROM subscriptions WHERE topic = ? ORDER BY created_at, resident",
                [topic],
            ).fetchall()
        return [r[0] for r in rows]

    def subscriptions_of(self, resident: str) -> list[str]:
        with self._read() as db:
            rows = db.execute(
                "SELECT topic FROM subscriptions WHERE resident = ? ORDER BY topic", [resident]
            ).fetchall()
        return [r[0] for r in rows]

    # -- declined questions ------------------------------------------------------

    def log_review(
        self, text: str, kind: str, reply: str, now: datetime, resident: str | None = None
    ) -> None:
        """Keep a question staff should look at (kind: declined / suggested / unhelpful) with what
        the bot answered. The caller has already scrubbed both; ``resident`` lets /forget find it."""
        if kind not in REVIEW_KINDS:
            raise ValueError(f"kind must be one of {REVIEW_KINDS}")
        norm = normalise_question(text)
        if not norm:  # punctuation or blanks only: nothing to learn from
            return
        with self._write() as db:
            db.execute(
                "INSERT INTO review (text, norm, kind, reply, at, resident) VALUES (?, ?, ?, ?, ?, ?)",
                [text.strip()[:500], norm[:500], kind, reply[:500], _ts(now), resident],
            )

    def review_items(self, limit: int = 200) -> list[dict[str, Any]]:
        """Kept questions, newest first: id, text, kind, reply, at."""
        with self._read() as db:
            rows = db.execute(
                "SELECT id, text, kind, reply, at FROM review ORDER BY at DESC, id DESC LIMIT ?", [limit]
            ).fetchall()
        return [dict(zip(("id", "text", "kind", "reply", "at"), r, strict=True)) for r in rows]

    def top_declined(self, limit: int = 10) -> list[tuple[str, int]]:
        """The most frequent declined questions (as first asked): the review log, plus the counts
        an older version kept in ``declined`` (text only, no resident)."""
        with self._read() as db:
            rows = db.execute(
                "SELECT g.norm, r.text, g.n, g.last_at FROM (SELECT norm, MIN(id) AS first, COUNT(*) AS n,"
                " MAX(at) AS last_at FROM review WHERE kind = 'declined' GROUP BY norm) g"
                " JOIN review r ON r.id = g.first"
            ).fetchall()
            rows += db.execute("SELECT norm, text, count, last_at FROM declined").fetchall()
        merged: dict[str, list[Any]] = {}
        for norm, text, n, last_at in rows:
            if norm in merged:
                merged[norm][1] += n
                merged[norm][2] = max(merged[norm][2], last_at)
            else:
                merged[norm] = [text, n, last_at]
        ranked = sorted(merged.values(), key=lambda r: (-r[1], _neg(r[2])))
        return [(text, int(n)) for text, n, _ in ranked[:limit]]

    # -- outbox ------------------------------------------------------------------

    def enqueue_outbox(
        self,
        chat_key: str,
        payload: dict[str, Any],
        now: datetime,
        *,
        kind: str = "raw",
        reference: str | None = None,
        dedup_key: str | None = None,
    ) -> int | None:
        """Keep something owed to ``chat_key`` (an address: ``tg:<chat>``, ``staff``, …) until
        ``mark_sent`` (or given up with ``mark_failed``). Called inside a ``transaction()`` it
        commits (or not) with the state change that caused it. With a ``dedup_key`` already
        used nothing is added and None is returned."""
        text = json.dumps(payload, ensure_ascii=False)
        at = _ts(now)
        with self._write() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO outbox (chat_key, payload, created_at, next_at, attempts,"
                " kind, reference, dedup_key) VALUES (?, ?, ?, ?, 0, ?, ?, ?)",
                [chat_key, text, at, at, kind, reference, dedup_key],
            )
            return int(cur.lastrowid) if cur.rowcount else None

    def outbox_heads(
        self,
        now: datetime,
        routes: Sequence[str],
        *,
        addresses: Sequence[str] | None = None,
        limit: int = 50,
        per_address: int = 1,
        lease: timedelta = timedelta(seconds=60),
    ) -> list[OutboxItem]:
        """Undelivered items of each address whose oldest undelivered item is due by ``now``:
        that head and up to ``per_address - 1`` items after it, in order, all leased for
        ``lease`` (as ``due_outbox``). While an address's head is leased or waiting for a retry
        nothing of that address is handed out, so items to one address go in order even with
        several sender processes; a dead letter is no longer a head. ``routes``: addresses
        served (a key ending in ":" is a prefix); ``addresses``: only these."""
        if not routes or addresses == []:
            return []
        conds, params = [], []
        for route in routes:
            if route.endswith(":"):
                conds.append("substr(chat_key, 1, ?) = ?")
                params += [len(route), route]
            else:
                conds.append("chat_key = ?")
                params.append(route)
        where = f"({' OR '.join(conds)})"
        if addresses is not None:
            where += f" AND chat_key IN ({', '.join('?' for _ in addresses)})"
            params += list(addresses)
        with self._write() as db:
            rows = list(
                db.query(
                    "WITH heads AS (SELECT chat_key, MIN(id) AS head FROM outbox"
                    f" WHERE sent_at IS NULL AND failed_at IS NULL AND {where} GROUP BY chat_key)"
                    " SELECT o.* FROM heads h JOIN outbox hd ON hd.id = h.head"
                    " JOIN outbox o ON o.chat_key = h.chat_key"
                    " WHERE hd.next_at <= ? AND o.sent_at IS NULL AND o.failed_at IS NULL"
                    " ORDER BY o.id LIMIT ?",
                    [*params, _ts(now), limit * max(per_address, 1)],
                )
            )
            taken: dict[str, int] = {}
            picked = []
            for row in rows:
                n = taken.get(row["chat_key"], 0)
                if n < per_address:
                    taken[row["chat_key"]] = n + 1
                    picked.append(row)
            rows = picked[:limit]
            if rows:
                marks = ", ".join("?" for _ in rows)
                db.execute(
                    f"UPDATE outbox SET next_at = ? WHERE id IN ({marks})",
                    [_ts(to_local(now) + lease), *(r["id"] for r in rows)],
                )
        return [_outbox_from_row(r) for r in rows]

    def release_outbox(self, item_ids: Sequence[int], now: datetime) -> None:
        """Give back leased items not attempted (an earlier item of their address failed)."""
        if not item_ids:
            return
        marks = ", ".join("?" for _ in item_ids)
        with self._write() as db:
            db.execute(
                f"UPDATE outbox SET next_at = ? WHERE id IN ({marks}) AND sent_at IS NULL",
                [_ts(now), *item_ids],
            )

    def requests_without_card(self) -> list[str]:
        """Open requests with no staff card posted (meta ``card:<ref>``) and none owed (outbox
        ``card:<ref>``), oldest first."""
        marks = ", ".join("?" for _ in OPEN_STATUSES)
        with self._read() as db:
            rows = db.execute(
                f"SELECT r.reference FROM requests r WHERE r.status IN ({marks})"
                " AND NOT EXISTS (SELECT 1 FROM meta m WHERE m.key = 'card:' || r.reference)"
                " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedup_key = 'card:' || r.reference)"
                " ORDER BY r.created_at, r.reference",
                list(OPEN_STATUSES),
            ).fetchall()
        return [r[0] for r in rows]

    def outbox_sent(self, dedup_key: str) -> bool:
        """Was the item with this key delivered already?"""
        with self._read() as db:
            row = db.execute(
                "SELECT 1 FROM outbox WHERE dedup_key = ? AND sent_at IS NOT NULL", [dedup_key]
            ).fetchone()
        return row is not None

    def due_outbox(
        self, now: datetime, limit: int = 50, lease: timedelta = timedelta(seconds=60)
    ) -> list[OutboxItem]:
        """Unsent items due by ``now``, oldest first, leased for ``lease`` (dead letters never).

        The lease pushes ``next_at`` forward so a second sender process does not pick the same
        items; if the sender dies before ``mark_sent``/``mark_retry`` they come due again.
        """
        with self._write() as db:
            rows = list(
                db.query(
                    "SELECT * FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"
                    " AND next_at <= ? ORDER BY next_at, id LIMIT ?",
                    [_ts(now), limit],
                )
            )
            if rows:
                marks = ", ".join("?" for _ in rows)
                db.execute(
                    f"UPDATE outbox SET next_at = ? WHERE id IN ({marks})",
                    [_ts(to_local(now) + lease), *(r["id"] for r in rows)],
                )
        return [_outbox_from_row(r) for r in rows]

    def mark_sent(self, item_id: int, now: datetime | None = None) -> None:
        with self._write() as db:
            cur = db.execute(
                "UPDATE outbox SET sent_at = ?, last_error = NULL WHERE id = ?",
                [_ts(now or _now()), item_id],
            )
            if cur.rowcount == 0:
                raise LookupError(f"no outbox item {item_id}")

    def mark_retry(self, item_id: int, next_at: datetime, error: str) -> None:
        """Record a failed attempt; the item comes due again at ``next_at``."""
        with self._write() as db:
            cur = db.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ?"
                " WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL",
                [_ts(next_at), error[:500], item_id],
            )
            if cur.rowcount == 0:
                raise LookupError(f"no unsent outbox item {item_id}")

    def mark_failed(self, item_id: int, reason: str, now: datetime | None = None) -> None:
        """Give up on an item that can never be delivered: a dead letter, kept with its
        ``reason`` (never due again, not pending, counted by ``outbox_failed``)."""
        with self._write() as db:
            cur = db.execute(
                "UPDATE outbox SET attempts = attempts + 1, failed_at = ?, last_error = ?"
                " WHERE id = ? AND sent_at IS NULL",
                [_ts(now or _now()), reason[:500], item_id],
            )
            if cur.rowcount == 0:
                raise LookupError(f"no unsent outbox item {item_id}")

    def outbox_pending(self) -> int:
        """Items still to be delivered (not sent, not given up)."""
        with self._read() as db:
            return int(
                db.execute(
                    "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"
                ).fetchone()[0]
            )

    def outbox_failed(self) -> int:
        """Dead letters: items given up with ``mark_failed`` (until ``prune`` drops them)."""
        with self._read() as db:
            return int(db.execute("SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL").fetchone()[0])

    def failed_outbox(self, limit: int = 50) -> list[OutboxItem]:
        """The most recent dead letters first, each with the reason it was given up."""
        with self._read() as db:
            rows = list(
                db.query(
                    "SELECT * FROM outbox WHERE failed_at IS NOT NULL"
                    " ORDER BY failed_at DESC, id DESC LIMIT ?",
                    [limit],
                )
            )
        return [_outbox_from_row(r) for r in rows]

    # -- processed updates ---------------------------------------------------------

    def update_done(self, key: str) -> bool:
        """Was the update ``key`` fully handled? (Checked before handling, recorded after it, so
        a crash mid-update means the update is handled again, never lost.)"""
        with self._read() as db:
            return bool(db.execute("SELECT 1 FROM processed_updates WHERE key = ?", [key]).fetchone())

    def seen_update(self, key: str, now: datetime | None = None) -> bool:
        """Record ``key``; True if it had already been recorded (process the update once)."""
        with self._write() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO processed_updates (key, at) VALUES (?, ?)",
                [key, _ts(now or _now())],
            )
            return cur.rowcount == 0

    def mark_updates(self, keys: Sequence[str], now: datetime | None = None) -> None:
        """Record several handled updates in one transaction (the Telegram channel batches them)."""
        if not keys:
            return
        at = _ts(now or _now())
        with self._write() as db:
            db.conn.executemany(
                "INSERT OR IGNORE INTO processed_updates (key, at) VALUES (?, ?)", [(k, at) for k in keys]
            )

    def last_update_id(self, prefix: str) -> int | None:
        """The highest numeric id recorded under ``prefix`` (keys are ``prefix`` + id), or None."""
        with self._read() as db:
            row = db.execute(
                "SELECT MAX(CAST(substr(key, ?) AS INTEGER)) FROM processed_updates"
                " WHERE substr(key, 1, ?) = ?",
                [len(prefix) + 1, len(prefix), prefix],
            ).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def prune(self, older_than: datetime) -> dict[str, int]:
        """Drop processed-update ids, sent outbox items and dead letters older than ``older_than``."""
        cutoff = _ts(older_than)
        with self._write() as db:
            updates = db.execute("DELETE FROM processed_updates WHERE at < ?", [cutoff]).rowcount
            sent = db.execute(
                "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?", [cutoff]
            ).rowcount
            failed = db.execute(
                "DELETE FROM outbox WHERE failed_at IS NOT NULL AND failed_at < ?", [cutoff]
            ).rowcount
        return {"processed_updates": updates, "outbox_sent": sent, "outbox_failed": failed}

    # -- resident data rights -----------------------------------------------------

    def resident_data(self, resident: str) -> dict[str, Any]:
        """Everything held about a resident, JSON-ready (what /mydata shows).

        Declined questions are scrubbed and not linked to anyone, so they are not listed.
        """
        with self._snapshot():
            return {
                "session": self.load_session(resident),
                "requests": [_resident_view(r) for r in self.requests_for(resident)],
                "subscriptions": self.subscriptions_of(resident),
                "ratings": self.ratings_of(resident),
            }

    def forget_resident(self, resident: str, now: datetime) -> ForgetResult:
        """Delete drafts, subscriptions and ratings; erase the personal content of submitted
        requests, flagged ``forgotten``; then truncate the WAL (see ``_truncate_wal``).

        Submitted requests are an office's records and must still be answered, so the record
        keeps what the law needs: reference, service (kind, form, office), dates, status,
        history and outcome. Gone: the form's fields (name, ID number, phone, address, the
        request text), the handover conversation, the resident's messages in the thread, the
        text of staff replies and notes about it, and everything sent to or about the resident
        that the outbox still holds (a card still owed is drawn from the erased record).
        The resident key stays on the request so the result can still reach them.
        """
        at = _ts(now)
        erased = "（居民要求删除个人信息，内容已删除）"
        with self._write() as db:
            session = db.execute("DELETE FROM sessions WHERE resident = ?", [resident]).rowcount
            subs = db.execute("DELETE FROM subscriptions WHERE resident = ?", [resident]).rowcount
            votes = db.execute("DELETE FROM ratings WHERE resident = ?", [resident]).rowcount
            db.execute("DELETE FROM review WHERE resident = ?", [resident])
            rows = db.execute(
                "SELECT reference, status, data FROM requests WHERE resident = ? ORDER BY created_at",
                [resident],
            ).fetchall()
            refs = []
            for ref, status, data in rows:
                old = json.loads(data)
                kept = {k: old[k] for k in ("form", "archive_id", "reason") if k in old}
                kept["erased"] = True
                db["requests"].update(
                    ref, {"forgotten": 1, "data": json.dumps(kept, ensure_ascii=False), "updated_at": at}
                )
                db.execute("DELETE FROM messages WHERE reference = ? AND sender = 'resident'", [ref])
                db.execute("UPDATE messages SET text = ? WHERE reference = ?", [erased, ref])
                db.execute("UPDATE notes SET text = ? WHERE reference = ?", [erased, ref])
                db.execute(
                    "DELETE FROM outbox WHERE reference = ?"
                    " AND NOT (kind = 'card' AND sent_at IS NULL AND failed_at IS NULL)",
                    [ref],
                )
                if old.get("erased"):
                    continue  # forgotten before: no second history row
                refs.append(ref)
                db["request_history"].insert(
                    {
                        "reference": ref,
                        "status": status,
                        "actor": "resident",
                        "note": "居民要求删除个人信息：申请记录保留，个人信息已删除",
                        "at": at,
                    }
                )
            db.execute("DELETE FROM outbox WHERE chat_key = ?", [resident])
            self._erased = True
        return ForgetResult(
            session_deleted=session > 0,
            subscriptions_deleted=subs,
            kept_requests=tuple(refs),
            ratings_deleted=votes,
        )

    # -- stats -------------------------------------------------------------------

    def stats(self, now: datetime) -> dict[str, Any]:
        """Figures for administrators; 需补正 requests are not overdue (their clock is stopped)."""
        today = to_local(now).date().isoformat()
        overdue_statuses = [s for s in OPEN_STATUSES if s != NEEDS_CORRECTION]
        marks = ", ".join("?" for _ in overdue_statuses)
        with self._read() as db:
            counts = db.execute(
                "SELECT kind, status, COUNT(*) FROM requests GROUP BY kind, status"
            ).fetchall()
            firsts = db.execute(
                "SELECT r.created_at, MIN(m.at) FROM requests r JOIN messages m"
                " ON m.reference = r.reference AND m.sender = 'staff' GROUP BY r.reference"
            ).fetchall()
            overdue = db.execute(
                f"SELECT COUNT(*) FROM requests WHERE status IN ({marks})"
                " AND due_date IS NOT NULL AND due_date < ?",
                [*overdue_statuses, today],
            ).fetchone()[0]
        by_kind: dict[str, int] = {}
        by_status: dict[str, int] = {}
        by_kind_status: dict[str, dict[str, int]] = {}
        for kind, status, n in counts:
            by_kind[kind] = by_kind.get(kind, 0) + n
            by_status[status] = by_status.get(status, 0) + n
            by_kind_status.setdefault(kind, {})[status] = n
        waits = [(_dt(first) - _dt(created)).total_seconds() for created, first in firsts]
        return {
            "total": sum(by_kind.values()),
            "by_kind": by_kind,
            "by_status": by_status,
            "by_kind_status": by_kind_status,
            "median_first_reply_seconds": statistics.median(waits) if waits else None,
            "overdue": int(overdue),
            "top_declined": self.top_declined(),
        }
