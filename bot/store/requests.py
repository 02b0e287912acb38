"""Requests and their status history: reference numbers, the transitions of ``TRANSITIONS``,
assignment and the facts the annual report counts (applicant type, outcome)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from bot.store.connection import Connection
from bot.store.model import (
    EXTENDED,
    FINAL_STATUSES,
    IN_PROGRESS,
    NEEDS_CORRECTION,
    OPEN_STATUSES,
    PREFIXES,
    SUBMITTED,
    Request,
    StatusChange,
    StatusError,
    _dt,
    _request_from_row,
    _ts,
    check_transition,
    format_reference,
    store_text,
    to_local,
)


class Requests(Connection):
    """Create, read and move requests; every change leaves a history row."""

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
                raise StatusError(
                    store_text("admin.store_cannot_assign", reference=reference, status=req.status)
                )
            db["requests"].update(reference, {"assignee": staff_id, "updated_at": at})
            db["request_history"].insert(
                {
                    "reference": reference,
                    "status": req.status,
                    "actor": staff_id,
                    "note": store_text("admin.note_assigned", staff=staff_id),
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
                    "note": store_text("admin.note_applicant_type", type=applicant_type),
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
                raise StatusError(store_text("admin.store_not_closed", reference=reference))
            db["requests"].update(reference, {"closed_kind": closed_kind, "updated_at": at})
            db["request_history"].insert(
                {
                    "reference": reference,
                    "status": req.status,
                    "actor": by,
                    "note": store_text(
                        "admin.note_reclassified",
                        outcome=closed_kind,
                        previous=req.closed_kind or store_text("admin.note_not_recorded"),
                    ),
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
