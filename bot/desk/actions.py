"""The desk's everyday actions: claim, reply, note, extend, close (with the statutory outcome).

Each takes the desk (store, knowledge, channels), the acting staff member and ``now``; it does
its work in one store transaction together with the outbox items it owes (the resident's
notice, the previous assignee's), and returns a ``Result``. Synchronous: channels run it in a
worker thread. A refused action raises ``StatusError`` / ``UnknownRequest`` (Chinese messages).

A disclosure application is closed with one of the annual report's outcome rows
(``knowledge/outcomes.yaml``: category, then reason), so the yearly table counts itself; from
需补正 only 逾期不补正 closes it (as 已办结: treated as withdrawn, 条例 Art. 30).
"""

from __future__ import annotations

from datetime import datetime

from bot.desk.base import (
    EXTENSION_WORKING_DAYS,
    STAFF_ADDRESS,
    Actor,
    Desk,
    Result,
    is_disclosure,
)
from bot.dialog import HANDOVER_KIND
from bot.outcomes import Outcome
from bot.store import ANSWERED, COMPLETED, EXTENDED, NEEDS_CORRECTION, SUBMITTED, Request, StatusError


def claim(desk: Desk, actor: Actor, reference: str, now: datetime, *, confirmed: bool = False) -> Result:
    """Take a request. One claimed by someone else is taken only when ``confirmed`` (the
    result asks first: ``confirm``), and the previous assignee is told at the desk."""
    msg, by = desk.msg, actor.key
    with desk.store.transaction():
        desk.remember(actor)
        req = desk.get(reference)
        previous = req.assignee if req.assignee and req.assignee != by else None
        if previous and not confirmed:
            name = desk.staff_name(previous)
            return Result(msg.text("desk.claim_confirm", ref=reference, name=name), ok=False, confirm=True)
        if req.assignee == by and req.status != SUBMITTED:
            return Result(msg.text("desk.claimed", ref=reference, name=actor.name), refresh=(reference,))
        req = desk.store.assign(reference, by, now)
        started = req.status == SUBMITTED
        req = desk.start_work(req, by, msg.text("desk.note_claimed"), now)
        owed: list[str] = []
        if started and desk.tell_resident(
            req, msg.text("desk.resident_started", name=desk.request_name(req), ref=reference)
        ):
            owed.append(req.resident)
        if previous:
            # rendered by the channel (Telegram mentions the previous assignee in the group)
            body = {"reference": reference, "previous": previous, "by": actor.name}
            if desk.owe(STAFF_ADDRESS, "reassigned", body, reference=reference):
                owed.append(STAFF_ADDRESS)
    if previous:
        text = msg.text("desk.claimed_over", ref=reference, name=actor.name)
    else:
        text = msg.text("desk.claimed", ref=reference, name=actor.name)
    return Result(text, refresh=(reference,), owed=tuple(owed))


def reply(desk: Desk, actor: Actor, reference: str, text: str, now: datetime) -> Result:
    """A reply to the resident: into the request's thread and to the resident's channel."""
    msg, text = desk.msg, text.strip()
    if not text:
        return Result(msg.text("desk.reply_empty"), ok=False)
    with desk.store.transaction():
        desk.remember(actor)
        req = desk.get(reference)
        desk.store.add_message(reference, "staff", actor.key, text, now)
        before = req.status
        if req.is_open:
            req = desk.start_work(req, actor.key, msg.text("desk.note_replied"), now)
        delivered = desk.tell_resident(
            req, msg.text("desk.resident_reply", ref=reference, text=text), staff=True
        )
    refresh = (reference,) if req.status != before else ()
    if not delivered:
        return Result(msg.text("desk.reply_not_delivered", ref=reference), ok=False, refresh=refresh)
    return Result(msg.text("desk.reply_sent", ref=reference), refresh=refresh, owed=(req.resident,))


def note(desk: Desk, actor: Actor, reference: str, text: str, now: datetime) -> Result:
    """An internal note (``Store.add_note``): kept apart from the thread, so residents never
    see it and it does not count as a reply in the statistics."""
    msg, text = desk.msg, text.strip()
    if not text:
        return Result(msg.text("desk.note_empty"), ok=False)
    with desk.store.transaction():
        desk.remember(actor)
        desk.get(reference)
        desk.store.add_note(reference, actor.key, text, now)
    return Result(msg.text("desk.noted", ref=reference))


def extend(desk: Desk, actor: Actor, reference: str, now: datetime) -> Result:
    """20 more working days from the current due date (条例 Art. 33), once; the resident is told."""
    msg = desk.msg
    with desk.store.transaction():  # the new due date and the resident's notice, together
        desk.remember(actor)
        req = desk.get(reference)
        if req.extended:
            raise StatusError(msg.text("desk.extend_once", ref=reference))
        if req.due_date is None:
            raise StatusError(msg.text("desk.extend_no_due", ref=reference))
        new = desk.calendar().add_working_days(req.due_date, EXTENSION_WORKING_DAYS)
        req = desk.store.set_status(
            reference,
            EXTENDED,
            by=actor.key,
            note=msg.text("desk.note_extended", days=EXTENSION_WORKING_DAYS),
            now=now,
            due=new.date,
            due_provisional=new.provisional or req.due_provisional,
        )
        due, name = desk.due_text(req), desk.request_name(req)
        if is_disclosure(reference):
            notice = msg.text("desk.resident_extended_disclosure", name=name, ref=reference, due=due)
        else:
            notice = msg.text("desk.resident_extended", name=name, ref=reference, due=due)
        told = desk.tell_resident(req, notice)
    owed = (req.resident,) if told else ()
    return Result(msg.text("desk.extended", ref=reference, due=due), refresh=(reference,), owed=owed)


def close(desk: Desk, actor: Actor, reference: str, now: datetime, outcome: Outcome | None = None) -> Result:
    """办结. A disclosure application needs its outcome row (``ok=False`` without one: the
    channel offers the categories). A closed application whose stored outcome the report
    cannot place (an old 不予公开 without its reason) may be given one (reclassified)."""
    msg, by = desk.msg, actor.key
    disclosure = is_disclosure(reference)
    if disclosure and outcome is None:
        return Result(msg.text("desk.choose_category"), ok=False)
    cat = desk.outcomes() if disclosure else None
    with desk.store.transaction():  # the status and the resident's notice, together
        desk.remember(actor)
        req = desk.get(reference)
        if not req.is_open:
            if cat is not None and outcome is not None and cat.resolve(req.closed_kind).outcome is None:
                desk.store.reclassify(reference, outcome.label, by=by, now=now)
                text = msg.text("desk.reclassified", ref=reference, outcome=outcome.label)
                return Result(text, refresh=(reference,))
            raise StatusError(msg.text("desk.already_closed", ref=reference, status=req.status))
        if outcome is not None and disclosure:
            waiting = req.status == NEEDS_CORRECTION
            if outcome.only_when_correcting and not waiting:
                raise StatusError(msg.text("desk.only_when_correcting", outcome=outcome.label))
            if waiting and not outcome.only_when_correcting:
                raise StatusError(msg.text("desk.waiting_correction", ref=reference))
            note_text = msg.text("desk.note_outcome", outcome=outcome.label)
            if not waiting:
                req = desk.start_work(req, by, msg.text("desk.note_closed"), now)
            status = COMPLETED if waiting else ANSWERED
            req = desk.store.set_status(
                reference, status, by=by, note=note_text, now=now, closed_kind=outcome.label
            )
            if outcome.only_when_correcting:
                notice = msg.text("desk.resident_dropped", ref=reference)
            else:
                notice = msg.text("desk.resident_answered", ref=reference, outcome=outcome.label)
            text = msg.text("desk.answered", ref=reference, outcome=outcome.label)
        else:
            req = desk.start_work(req, by, msg.text("desk.note_closed"), now)
            req = desk.store.set_status(
                reference, COMPLETED, by=by, note=msg.text("desk.note_closed"), now=now
            )
            notice = _closed_notice(desk, req)
            text = msg.text("desk.closed", ref=reference)
        told = desk.tell_resident(req, notice)
    return Result(text, refresh=(reference,), owed=(req.resident,) if told else ())


def _closed_notice(desk: Desk, req: Request) -> str:
    if req.kind == HANDOVER_KIND:
        return desk.msg.text("desk.resident_handover_closed", ref=req.reference)
    return desk.msg.text("desk.resident_closed", name=desk.request_name(req), ref=req.reference)
