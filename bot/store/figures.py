"""Figures for administrators (``citizen-bot stats``, the console's front page)."""

from __future__ import annotations

import statistics
from datetime import datetime
from typing import Any

from bot.store.feedback import Feedback
from bot.store.model import NEEDS_CORRECTION, OPEN_STATUSES, _dt, to_local


class Figures(Feedback):
    """Counts by kind and status, overdue requests, first-reply times."""

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
