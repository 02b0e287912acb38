"""Warning subscriptions: which resident wants which topic's alerts (one row per pair)."""

from __future__ import annotations

from datetime import datetime

from bot.store.connection import Connection
from bot.store.model import _ts


class Subscriptions(Connection):
    """Subscribe, unsubscribe, list."""

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
