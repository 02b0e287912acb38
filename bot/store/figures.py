"""Figures for administrators (/stats): read from counters and recent rows, never the whole log.

Counts come from ``request_counts`` (kept by triggers, see schema); the median time to the first
staff reply is over the requests of the last ``RECENT_DAYS`` days (an index on creation time);
overdue requests are found through the (status, due_date) index. So /stats costs the same with
a thousand requests or a million, and does not hold up residents' turns.
"""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta
from typing import Any

from bot.store.feedback import Feedback
from bot.store.model import NEEDS_CORRECTION, OPEN_STATUSES, _dt, _ts, to_local

#: The window of the first-reply median: what the office's current pace is.
RECENT_DAYS = 90


class Figures(Feedback):
    """Counts by kind and status, overdue requests, first-reply times."""

    def stats(self, now: datetime) -> dict[str, Any]:
        """Figures for administrators; 需补正 requests are not overdue (their clock is stopped)."""
        today = to_local(now).date().isoformat()
        overdue_statuses = [s for s in OPEN_STATUSES if s != NEEDS_CORRECTION]
        marks = ", ".join("?" for _ in overdue_statuses)
        with self._read() as db:
            counts = db.execute("SELECT kind, status, n FROM request_counts WHERE n > 0").fetchall()
            since = _ts(to_local(now) - timedelta(days=RECENT_DAYS))
            firsts = db.execute(
                "SELECT r.created_at, (SELECT MIN(m.at) FROM messages m WHERE m.reference = r.reference"
                " AND m.sender = 'staff') AS first FROM requests r WHERE r.created_at >= ?",
                [since],
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
        waits = [(_dt(first) - _dt(created)).total_seconds() for created, first in firsts if first]
        return {
            "total": sum(by_kind.values()),
            "by_kind": by_kind,
            "by_status": by_status,
            "by_kind_status": by_kind_status,
            "median_first_reply_seconds": statistics.median(waits) if waits else None,
            "median_window_days": RECENT_DAYS,
            "overdue": int(overdue),
            "top_declined": self.top_declined(),
        }
