"""A request's conversation with the office: the thread residents take part in, staff's
internal notes (residents never see them) and the staff-group cards that show a request."""

from __future__ import annotations

from datetime import datetime

from bot.store.connection import Connection
from bot.store.model import SENDERS, Message, Note, Sender, _dt, _now, _ts


class Threads(Connection):
    """Messages, notes and cards of a request."""

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

    # -- staff-group cards -------------------------------------------------------

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
