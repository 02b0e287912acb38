"""人工服务: handing the conversation to a person (a 咨询 request, ZX-…) and relaying to it.

Owns mode ``human`` and the payloads ``menu:human`` and ``human:end``. While a handover is
open every message goes to its thread for staff (``Store.add_message``, the outbox's
``relay``); the first message of a burst is acknowledged, the rest relayed silently.
State: ``human`` (the reference) and ``human_last`` (when the resident last wrote).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import formflow as ff
from bot.dialog import buttons
from bot.dialog.turn import Capability
from bot.dialog.types import HandoverOpened, ResidentMessage
from bot.dialog.words import END_HUMAN_WORDS, HANDOVER_BURST_GAP, HANDOVER_KIND, HANDOVER_PREFIX
from bot.referrals import office_hours


class Handover(Capability):
    name = "handover"
    modes = ("human",)

    def on_button(self, payload: str) -> bool:
        if payload != "menu:human":
            return False
        self.open("requested")
        return True

    def open(self, reason: str) -> None:
        """Open a handover (or go back to the one still open); `reason` is kept for staff."""
        t = self.t
        current = t.state.get("human")
        if current:
            req = t.store.get_request(current)
            if req is not None and req.is_open and req.resident == t.resident:
                t.mode = "human"
                self.remind()
                return
        data: dict[str, Any] = {"reason": reason, "conversation": list(t.state["recent"])}
        draft = t.draft
        if draft:
            data["form"] = draft["id"]
            data["field"] = draft.get("field")
        received = t.calendar.next_working_day(t.today)
        req = t.store.create_request(
            kind=HANDOVER_KIND,
            prefix=HANDOVER_PREFIX,
            resident=t.resident,
            data=data,
            office=t.k.chat.office_name,
            received=received,
            due=None,
            due_provisional=False,
            now=t.now,
            # Same key when a failed turn is retried (the state was not saved), new key otherwise.
            idempotency_key=f"{t.resident}:{HANDOVER_PREFIX}:{t.state['sid']}:{t.state['seq']}",
        )
        t.state["human"] = req.reference
        t.state["human_last"] = None
        t.mode = "human"
        t.events.append(HandoverOpened(req.reference))
        t.owe_card(req.reference)
        form = t.form()
        kept = t.msg("handover.draft_kept", title=form.title) + "\n" if form else ""
        t.say_owed(
            t.msg("handover.opened", reference=req.reference, draft_kept=kept),
            [buttons.end_human(t.msg)],
            reference=req.reference,
        )

    def on_mode(self, text: str, payload: str | None) -> None:
        t = self.t
        reference = t.state.get("human")
        req = t.store.get_request(reference) if reference else None
        if req is None or not req.is_open or req.resident != t.resident:
            t.state["human"] = None
            t.mode = "idle"
            t.say(t.msg("handover.closed"))
            if t.draft:
                t.part("drafts").offer()
                return
            t.dispatch(text, payload)
            return
        if payload == "human:end" or (not payload and ff.norm(text) in END_HUMAN_WORDS):
            self.end()
            return
        if payload:
            self.remind()
            return
        if not text:
            return
        t.store.add_message(req.reference, "resident", t.resident, text, t.now)
        t.events.append(ResidentMessage(req.reference, text))
        t.owe("staff", "relay", {"reference": req.reference, "text": text}, reference=req.reference)
        self._acknowledge_burst(req.reference)

    def _acknowledge_burst(self, reference: str) -> None:
        """The first message of a burst is answered with what happens next (working hours, where
        the reply arrives); the rest of the burst goes to staff without an echo each time."""
        t = self.t
        now = t.now.replace(tzinfo=None)  # county-local, as the store keeps message times
        last_text = t.state.get("human_last")
        t.state["human_last"] = now.isoformat()
        if last_text:
            last = datetime.fromisoformat(last_text)
            replied = any(m.sender != "resident" and m.at > last for m in t.store.thread(reference))
            if now - last <= HANDOVER_BURST_GAP and not replied:
                return
        hours = office_hours(t.k.extras.get("contacts") or []) or t.msg("answers.hours_unpublished")
        t.say(t.msg("answers.handover_ack", reference=reference, hours=hours), [buttons.end_human(t.msg)])

    def remind(self) -> None:
        """You are talking to a person (reference), and how to stop."""
        t = self.t
        t.say(t.msg("handover.in_progress", reference=t.state["human"]), [buttons.end_human(t.msg)])

    def end(self) -> None:
        t = self.t
        t.state["human"] = None
        t.state["human_last"] = None
        t.mode = "idle"
        t.say(t.msg("handover.ended"), t.menu())
        if t.draft:
            t.part("drafts").offer()
