"""Conversations: the resident's dialogue state, one JSON row per resident, so a restart
resumes mid-form and idle drafts can be reminded and expired."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.store.connection import Connection
from bot.store.model import _now, _ts


class Conversations(Connection):
    """Sessions: load, save, delete, find the idle ones."""

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
