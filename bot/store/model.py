"""The store's vocabulary: statuses and transitions, the records it hands out, its errors and the
pure helpers that turn rows into records. No SQL here; every other file of the package imports it.

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
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Literal

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


def store_text(key: str, /, **values: object) -> str:
    """A sentence of the store's (knowledge/messages/admin.yaml): the store opens before any
    knowledge and serves every copy of it, so it speaks from the bundled catalogue."""
    from bot.validators import bundled_messages

    return bundled_messages().text(key, **values)


def __getattr__(name: str) -> str:
    """``BUSY_MESSAGE``: what a resident reads when the database is busy (admin.store_busy)."""
    if name == "BUSY_MESSAGE":
        return store_text("admin.store_busy")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


# --------------------------------------------------------------------------- errors


class StoreError(Exception):
    """Base class; ``message`` is Chinese and safe to show (it holds no personal data)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StoreUnavailable(StoreError):
    """The database is locked, read-only, full or failing; the caller should ask to retry."""

    def __init__(self, reason: str, detail: str) -> None:
        busy = store_text("admin.store_busy")
        super().__init__(busy)
        self.user_message = busy
        self.reason = reason
        self.detail = detail

    def __str__(self) -> str:
        return f"store unavailable ({self.reason}): {self.detail}"

    def __repr__(self) -> str:
        return f"StoreUnavailable(reason={self.reason!r}, detail={self.detail!r})"


class NewerSchema(StoreError):
    """The file was written by a newer version of the program (its schema is newer than ours)."""


class StatusError(StoreError):
    """A status change the request's current state does not allow."""


class UnknownRequest(StoreError, LookupError):
    """No request has this reference."""

    def __init__(self, reference: str) -> None:
        super().__init__(store_text("admin.store_unknown_request", reference=reference))
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
        raise StatusError(store_text("admin.store_unknown_status", status=new))
    if new not in TRANSITIONS[current]:
        if current in FINAL_STATUSES:
            raise StatusError(store_text("admin.store_final", reference=reference, current=current, new=new))
        raise StatusError(
            store_text("admin.store_not_allowed", reference=reference, current=current, new=new)
        )
    if new == EXTENDED:
        if extended:
            raise StatusError(store_text("admin.store_extend_once", reference=reference))
        if due is None:
            raise StatusError(store_text("admin.store_extend_needs_due", reference=reference))
    if current == NEEDS_CORRECTION and new == IN_PROGRESS and received is None:
        raise StatusError(store_text("admin.store_correction_received", reference=reference))


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
