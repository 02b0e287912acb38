"""我的申请: the resident's requests and one request's history by its reference.

Payload: ``status``. Typed words (我的申请, a reference) reach it through the idle questions
and the form walk, which call ``show_status`` / ``show_reference``.
"""

from __future__ import annotations

from bot.dialog.turn import Capability
from bot.dialog.words import FORM_MODES, HANDOVER_KIND, cn_date
from bot.store import FINAL_STATUSES, Request
from bot.workdays import Deadline

#: Requests listed in full; older ones are counted.
SHOWN = 10


class Status(Capability):
    name = "status"

    def on_button(self, payload: str) -> bool:
        if payload != "status":
            return False
        self.show_status()
        return True

    def show_status(self) -> None:
        t = self.t
        requests = t.store.requests_for(t.resident)
        if not requests:
            if t.mode in FORM_MODES:
                t.say(t.msg("dialog.status_none"))
            else:
                t.say(t.msg("dialog.status_none_offer"), t.menu()[:3])
            return
        lines = [t.msg("dialog.status_head", count=len(requests))]
        for req in requests[:SHOWN]:
            lines.append(
                t.msg("dialog.status_item", reference=req.reference, kind=req.kind, status=req.status)
            )
            lines.append("  " + self._dates_line(req))
        if len(requests) > SHOWN:
            lines.append(t.msg("dialog.status_more", count=len(requests) - SHOWN))
        lines.append(t.msg("dialog.status_tail"))
        t.say("\n".join(lines))

    def show_reference(self, reference: str) -> None:
        t = self.t
        req = t.store.get_request(reference)
        if req is None or req.resident != t.resident:
            # The same answer whether the reference exists or not: never reveal others' requests.
            t.say(t.msg("dialog.reference_not_found", reference=reference))
            return
        lines = [
            f"{req.reference} {req.kind}",
            t.msg("dialog.reference_status", status=req.status),
            self._dates_line(req),
        ]
        if req.office:
            lines.append(t.msg("dialog.reference_office", office=req.office))
        history = t.store.history(reference)
        if history:
            lines.append(t.msg("dialog.reference_history"))
            lines += [f"· {h.at:%Y-%m-%d} {h.status}" for h in history]
        t.say("\n".join(lines))

    def _dates_line(self, req: Request) -> str:
        t = self.t
        text = t.msg("dialog.dates_received", date=cn_date(req.received_date))
        if req.due_date:
            due = Deadline(req.due_date, req.due_provisional).describe()
            if req.reference.startswith("GK-"):
                text += t.msg("dialog.dates_reply_due", due=due)
            else:
                text += t.msg("dialog.dates_due", due=due)
        elif req.status not in FINAL_STATUSES and req.kind != HANDOVER_KIND:
            text += t.msg("dialog.dates_due_unknown")
        return text
