"""The transactional outbox (``bot.outbox`` renders and sends it) and the log of handled updates.

An item is enqueued in the same transaction as the state change that owes it; senders lease
items (``next_at`` pushed forward) so two processes never send the same one, items to one
address go in order, and an item that can never be delivered is kept as a dead letter
(``failed_at``) rather than passed off as sent. Handled update ids let a channel process an
update once even across restarts; ``prune`` drops old ids and old sent items."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.store.connection import Connection
from bot.store.model import OPEN_STATUSES, OutboxItem, _now, _outbox_from_row, _ts, to_local


class Outbox(Connection):
    """Enqueue, lease, mark and count what is owed to an address."""

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


class UpdateLog(Connection):
    """Updates a channel has fully handled, and the pruning of old bookkeeping."""

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
