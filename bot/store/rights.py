"""Resident data rights: what /mydata shows and what /forget erases."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.store.conversations import Conversations
from bot.store.feedback import Feedback
from bot.store.model import ForgetResult, _resident_view, _ts, store_text
from bot.store.requests import Requests
from bot.store.subscriptions import Subscriptions


class ResidentRights(Conversations, Requests, Subscriptions, Feedback):
    """Export and erase one resident's data across every aggregate."""

    def resident_data(self, resident: str) -> dict[str, Any]:
        """Everything held about a resident, JSON-ready (what /mydata shows).

        Declined questions are scrubbed and not linked to anyone, so they are not listed.
        """
        with self._snapshot():
            return {
                "session": self.load_session(resident),
                "requests": [_resident_view(r) for r in self.requests_for(resident)],
                "subscriptions": self.subscriptions_of(resident),
                "ratings": self.ratings_of(resident),
            }

    def forget_resident(self, resident: str, now: datetime) -> ForgetResult:
        """Delete drafts, subscriptions and ratings; erase the personal content of submitted
        requests, flagged ``forgotten``; then truncate the WAL (see ``_truncate_wal``).

        Submitted requests are an office's records and must still be answered, so the record
        keeps what the law needs: reference, service (kind, form, office), dates, status,
        history and outcome. Gone: the form's fields (name, ID number, phone, address, the
        request text), the handover conversation, the resident's messages in the thread, the
        text of staff replies and notes about it, and everything sent to or about the resident
        that the outbox still holds (a card still owed is drawn from the erased record).
        The resident key stays on the request so the result can still reach them.
        """
        at = _ts(now)
        erased = store_text("admin.note_erased_text")
        with self._write() as db:
            session = db.execute("DELETE FROM sessions WHERE resident = ?", [resident]).rowcount
            subs = db.execute("DELETE FROM subscriptions WHERE resident = ?", [resident]).rowcount
            votes = db.execute("DELETE FROM ratings WHERE resident = ?", [resident]).rowcount
            db.execute("DELETE FROM review WHERE resident = ?", [resident])
            rows = db.execute(
                "SELECT reference, status, data FROM requests WHERE resident = ? ORDER BY created_at",
                [resident],
            ).fetchall()
            refs = []
            for ref, status, data in rows:
                old = json.loads(data)
                kept = {k: old[k] for k in ("form", "archive_id", "reason") if k in old}
                kept["erased"] = True
                db["requests"].update(
                    ref, {"forgotten": 1, "data": json.dumps(kept, ensure_ascii=False), "updated_at": at}
                )
                db.execute("DELETE FROM messages WHERE reference = ? AND sender = 'resident'", [ref])
                db.execute("UPDATE messages SET text = ? WHERE reference = ?", [erased, ref])
                db.execute("UPDATE notes SET text = ? WHERE reference = ?", [erased, ref])
                db.execute(
                    "DELETE FROM outbox WHERE reference = ?"
                    " AND NOT (kind = 'card' AND sent_at IS NULL AND failed_at IS NULL)",
                    [ref],
                )
                if old.get("erased"):
                    continue  # forgotten before: no second history row
                refs.append(ref)
                db["request_history"].insert(
                    {
                        "reference": ref,
                        "status": status,
                        "actor": "resident",
                        "note": store_text("admin.note_forgotten"),
                        "at": at,
                    }
                )
            db.execute("DELETE FROM outbox WHERE chat_key = ?", [resident])
            self._erased = True
        return ForgetResult(
            session_deleted=session > 0,
            subscriptions_deleted=subs,
            kept_requests=tuple(refs),
            ratings_deleted=votes,
        )
