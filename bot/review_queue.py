"""What is left to review: the kept questions (``review`` table) nobody has dealt with yet.

The console's unanswered-questions page marks a question done when an administrator attaches
it to an entry, adds a referral keyword from it, or dismisses it. The marks live in their own
table (``review_done``) beside the store's ``review`` table, so the kept questions themselves
stay as the matcher's review loop wrote them (``citizen-bot knowledge review`` still lists them
all). Channel-free.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.store import LOCAL_TZ, Store, to_local

#: What an administrator did with a question: attached it as an example question, added a
#: referral keyword from it, or dismissed it.
ACTIONS = ("attached", "referral", "dismissed")


def ensure_schema(store: Store) -> None:
    with store._write() as db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS review_done ("
            " review_id INTEGER PRIMARY KEY, action TEXT NOT NULL, target TEXT NOT NULL DEFAULT '',"
            " actor TEXT NOT NULL, at TEXT NOT NULL)"
        )


def open_items(store: Store, limit: int = 500) -> list[dict[str, Any]]:
    """Kept questions not yet dealt with, newest first (id, text, kind, reply, at)."""
    with store._read() as db:
        rows = db.execute(
            "SELECT r.id, r.text, r.kind, r.reply, r.at FROM review r"
            " LEFT JOIN review_done d ON d.review_id = r.id WHERE d.review_id IS NULL"
            " ORDER BY r.at DESC, r.id DESC LIMIT ?",
            [limit],
        ).fetchall()
    return [dict(zip(("id", "text", "kind", "reply", "at"), r, strict=True)) for r in rows]


def item(store: Store, review_id: int) -> dict[str, Any] | None:
    with store._read() as db:
        row = db.execute("SELECT id, text, kind, reply, at FROM review WHERE id = ?", [review_id]).fetchone()
    return dict(zip(("id", "text", "kind", "reply", "at"), row, strict=True)) if row else None


def same_text(store: Store, text: str) -> list[int]:
    """Open items asking exactly this (one attach settles them all)."""
    with store._read() as db:
        rows = db.execute(
            "SELECT r.id FROM review r LEFT JOIN review_done d ON d.review_id = r.id"
            " WHERE d.review_id IS NULL AND r.text = ?",
            [text],
        ).fetchall()
    return [r[0] for r in rows]


def mark(
    store: Store, ids: list[int], action: str, *, actor: str, target: str = "", now: datetime | None = None
) -> int:
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {sorted(ACTIONS)}")
    at = to_local(now or datetime.now(LOCAL_TZ)).isoformat(timespec="seconds")
    with store._write() as db:
        done = 0
        for review_id in ids:
            cur = db.execute(
                "INSERT OR IGNORE INTO review_done (review_id, action, target, actor, at)"
                " VALUES (?, ?, ?, ?, ?)",
                [review_id, action, target, actor, at],
            )
            done += cur.rowcount
    return done
