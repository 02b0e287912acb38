"""What residents tell the office about answers: 有用/没用 ratings (one row per resident and
entry) and the review log of declined, suggested and unhelpful questions (issue 9)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.store.connection import Connection
from bot.store.model import RATING_VALUES, REVIEW_KINDS, _dt, _neg, _now, _ts, normalise_question


class Feedback(Connection):
    """Ratings and the review log."""

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
