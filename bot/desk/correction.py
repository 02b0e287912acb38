"""补正 and the applicant type: the two steps only a 政府信息公开 application has.

补正 is its own step: one notice listing everything to correct (条例 Art. 30), the clock stops;
the resident replies to the notice (relayed into the thread), and staff confirm 补正已收到,
which restarts the 20 working days from the day the corrected application arrived. Staff
confirm rather than the resident's reply doing it, because only a person can judge whether
the supplement is complete (if not, the outcome is 无法提供：补正后申请内容仍不明确), and for
an online application the day of receipt is when both sides confirm it (Art. 31).
"""

from __future__ import annotations

from datetime import date, datetime

from bot.desk.base import (
    CORRECTION_NOTICE_WORKING_DAYS,
    REPLY_WORKING_DAYS,
    Actor,
    Desk,
    Result,
    is_disclosure,
    parse_day,
)
from bot.dialog import cn_date
from bot.outcomes import APPLICANT_TYPES
from bot.store import IN_PROGRESS, NEEDS_CORRECTION, Request, StatusError
from bot.text import ascii_int


def request_correction(desk: Desk, actor: Actor, reference: str, items: str, now: datetime) -> Result:
    """补正告知 (条例 Art. 30): one notice listing everything; the request waits (需补正) and
    its reply clock stops. Sent once; past 7 working days from receipt it still goes, with a
    warning to the staff member."""
    msg = desk.msg
    if not is_disclosure(reference):
        return Result(msg.text("desk.correction_only_disclosure"), ok=False)
    items = items.strip()
    if not items:
        return Result(msg.text("desk.correction_usage"), ok=False)
    notice = msg.text("desk.resident_correction", ref=reference, items=items)
    with desk.store.transaction():  # the status and the notice to the resident, together
        desk.remember(actor)
        req = desk.get(reference)
        if any(h.status == NEEDS_CORRECTION for h in desk.store.history(reference)):
            raise StatusError(msg.text("desk.correction_once", ref=reference))
        limit = desk.calendar().add_working_days(req.received_date, CORRECTION_NOTICE_WORKING_DAYS).date
        note = msg.text("desk.note_correction", items=items)
        req = desk.store.set_status(reference, NEEDS_CORRECTION, by=actor.key, note=note, now=now)
        desk.store.add_message(reference, "staff", actor.key, notice, now)
        # a card of the request: the resident's reply to it lands in the thread
        owed = desk.tell_resident(req, notice, card=True, staff=True)
    if not owed:
        return Result(
            msg.text("desk.correction_not_delivered", ref=reference), ok=False, refresh=(reference,)
        )
    text = msg.text("desk.correction_sent", ref=reference)
    if now.date() > limit:
        text += "\n" + msg.text("desk.correction_late", deadline=cn_date(limit))
    return Result(text, refresh=(reference,), owed=(req.resident,))


def correction_received(
    desk: Desk, actor: Actor, reference: str, now: datetime, day_text: str = ""
) -> Result:
    """补正已收到: the clock restarts from the day the corrected application arrived (the given
    day, else the resident's last message since the notice, else today), moved to the next
    working day like any receipt, plus the form's working days (条例 Art. 30, 31, 33)."""
    msg = desk.msg
    day = parse_day(day_text) if day_text.strip() else None
    if day_text.strip() and day is None:
        return Result(msg.text("desk.corrected_bad_date", text=day_text.strip()), ok=False)
    with desk.store.transaction():  # the restarted clock and the resident's notice, together
        desk.remember(actor)
        req = _restart_clock(desk, actor, reference, now, day, day_text)
        received, due = cn_date(req.received_date), desk.due_text(req)
        told = desk.tell_resident(
            req, msg.text("desk.resident_corrected", ref=reference, received=received, due=due)
        )
    text = msg.text("desk.corrected_done", ref=reference, received=received, due=due)
    return Result(text, refresh=(reference,), owed=(req.resident,) if told else ())


def _restart_clock(
    desk: Desk, actor: Actor, reference: str, now: datetime, day: date | None, day_text: str
) -> Request:
    msg, store, today = desk.msg, desk.store, now.date()
    req = desk.get(reference)
    if req.status != NEEDS_CORRECTION:
        raise StatusError(msg.text("desk.corrected_not_waiting", ref=reference, status=req.status))
    asked = max(h.at for h in store.history(reference) if h.status == NEEDS_CORRECTION)
    arrived = day
    if arrived is None:
        replies = [m.at for m in store.thread(reference) if m.sender == "resident" and m.at >= asked]
        arrived = max(replies).date() if replies else today
    if arrived > today or arrived < asked.date():
        raise StatusError(msg.text("desk.corrected_bad_date", text=day_text.strip() or arrived.isoformat()))
    calendar = desk.calendar()
    receipt = calendar.receipt_date(arrived)
    form = desk.forms().get(req.data.get("form"))
    days = getattr(form, "deadline_working_days", None) or REPLY_WORKING_DAYS
    due = calendar.add_working_days(receipt.date, days)
    return store.set_status(
        reference,
        IN_PROGRESS,
        by=actor.key,
        note=msg.text("desk.note_corrected", received=cn_date(receipt.date)),
        now=now,
        received=receipt.date,
        due=due.date,
        due_provisional=due.provisional or receipt.provisional,
    )


def parse_applicant_type(text: str) -> str | None:
    """'1'..'6' or the label itself -> the report's applicant type (None if neither)."""
    text = text.strip()
    if (i := ascii_int(text)) is not None and 1 <= i <= len(APPLICANT_TYPES):  # "²" is not 2
        return APPLICANT_TYPES[i - 1]
    return text if text in APPLICANT_TYPES else None


def set_applicant_type(desk: Desk, actor: Actor, reference: str, label: str, now: datetime) -> Result:
    """Record the applicant type the annual report counts (staff correct the derived one)."""
    msg = desk.msg
    if not is_disclosure(reference):
        return Result(msg.text("desk.type_only_disclosure"), ok=False)
    if label not in APPLICANT_TYPES:
        types = "、".join(f"{i} {t}" for i, t in enumerate(APPLICANT_TYPES, 1))
        return Result(msg.text("desk.type_usage", types=types), ok=False)
    with desk.store.transaction():
        desk.remember(actor)
        desk.get(reference)
        desk.store.set_applicant_type(reference, label, by=actor.key, now=now)
    return Result(msg.text("desk.type_set", ref=reference, type=label), refresh=(reference,))
