"""What staff read about requests, as plain text: the request's content (masked for the group,
full for the person handling it), 详情 with the thread and history, the queue's lines.

Plain text, channel-free: the Telegram adapter escapes it into its cards, the digest job and
/queue send it as is.
"""

from __future__ import annotations

from datetime import date, datetime

from bot import formflow as ff
from bot.desk.base import Desk, is_disclosure, is_staff_key
from bot.dialog import cn_date
from bot.masking import scrub
from bot.request_view import HANDOVER_KIND
from bot.store import NEEDS_CORRECTION, Request

#: Lines of the recent conversation a handover's card shows.
CONVERSATION_LINES = 8


def applicant_type_text(desk: Desk, req: Request) -> str:
    """The recorded type, or the one derived from the form marked as a guess staff may correct."""
    if req.applicant_type:
        return req.applicant_type
    return desk.outcomes().applicant_type(req.data) + desk.msg.text("desk.type_guessed")


def masked_lines(desk: Desk, req: Request) -> list[str]:
    """The request's content with personal fields masked (what the group may see)."""
    msg, data = desk.msg, req.data
    lines: list[str] = []
    if req.kind == HANDOVER_KIND:
        reason = str(data.get("reason") or "")
        if reason in ("requested", "misunderstood"):
            reason = _reason(desk, reason)
        if reason:
            lines.append(msg.text("desk.line_reason", reason=reason))
        if data.get("form"):
            lines.append(msg.text("desk.line_filling", form=data["form"], field=data.get("field") or "-"))
        convo = data.get("conversation") or []
        if convo:
            lines.append(msg.text("desk.line_conversation"))
            for item in convo[-CONVERSATION_LINES:]:
                text = scrub(str(item.get("text", ""))).replace("\n", " ")[:120]
                if item.get("from") == "resident":
                    lines.append("  " + msg.text("desk.line_said_resident", text=text))
                else:
                    lines.append("  " + msg.text("desk.line_said_bot", text=text))
        return lines
    form = desk.forms().get(data.get("form"))
    values = data.get("fields") or {}
    if form is None:
        return [_field(desk, key, scrub(str(value))) for key, value in values.items() if value]
    for f in form.fields:
        value = values.get(f.key)
        if value:
            lines.append(_field(desk, ff.bare_label(f), ff.masked(f, str(value))))
    return lines


def _reason(desk: Desk, reason: str) -> str:
    if reason == "requested":
        return desk.msg.text("desk.reason_requested")
    return desk.msg.text("desk.reason_misunderstood")


def _field(desk: Desk, label: str, value: str) -> str:
    return desk.msg.text("desk.line_field", label=label, value=value)


def full_lines(desk: Desk, req: Request) -> list[str]:
    """The request's content unmasked (staff only, privately)."""
    data = req.data
    if req.kind == HANDOVER_KIND:
        return masked_lines(desk, req)  # the conversation is stored scrubbed anyway
    form = desk.forms().get(data.get("form"))
    values = data.get("fields") or {}
    if form is None:
        return [_field(desk, key, str(value)) for key, value in values.items() if value]
    return [_field(desk, ff.bare_label(f), str(values[f.key])) for f in form.fields if values.get(f.key)]


def status_text(desk: Desk, req: Request) -> str:
    if req.closed_kind:
        return desk.msg.text("desk.status_closed_kind", status=req.status, outcome=req.closed_kind)
    return req.status


def detail_text(desk: Desk, reference: str, viewer: str | None = None) -> str:
    """Everything about a request, unmasked: only ever shown privately to a staff member.
    A request whose resident asked to be forgotten stays masked for anyone but its assignee."""
    msg = desk.msg
    req = desk.get(reference)
    hidden = req.forgotten and (req.assignee is None or req.assignee != viewer)
    lines = [
        msg.text("desk.detail_head", ref=req.reference),
        msg.text("desk.detail_kind", kind=req.kind, status=status_text(desk, req)),
        msg.text("desk.line_office", office=req.office or "—"),
        msg.text("desk.line_received", day=cn_date(req.received_date)),
    ]
    if req.due_date:
        lines.append(msg.text("desk.line_due", due=desk.due_text(req)))
    if is_disclosure(req.reference):
        lines.append(msg.text("desk.line_applicant", type=applicant_type_text(desk, req)))
    if req.assignee:
        lines.append(msg.text("desk.line_assignee", name=desk.staff_name(req.assignee)))
    if req.forgotten:
        lines.append(msg.text("desk.detail_forgotten"))
    lines.append("——")
    lines += masked_lines(desk, req) if hidden else full_lines(desk, req)
    lines += _exchanges(desk, reference, hidden)
    history = desk.store.history(reference)
    if history:
        lines += ["——", msg.text("desk.detail_history")]
        for h in history:
            extra = f" {desk.with_names(h.note)}" if h.note else ""
            by = msg.text("desk.detail_by", name=desk.staff_name(h.by)) if is_staff_key(h.by) else ""
            lines.append(f"· {h.at:%Y-%m-%d %H:%M} {h.status}{extra}{by}")
    lines.append(msg.text("desk.detail_reply_hint"))
    return "\n".join(lines)


def _exchanges(desk: Desk, reference: str, hidden: bool) -> list[str]:
    """The thread and the internal notes, in time order (a note after a message of the same time)."""
    msg = desk.msg
    entries: list[tuple[datetime, int, str, str]] = []
    for m in desk.store.thread(reference):
        if m.sender == "resident":
            who = msg.text("desk.who_resident")
        elif m.sender == "staff":
            who = msg.text("desk.who_staff", name=desk.staff_name(m.author))
        else:
            who = msg.text("desk.who_bot")
        text = msg.text("desk.resident_hidden") if hidden and m.sender == "resident" else m.text
        entries.append((m.at, 0, who, text))
    for n in desk.store.notes(reference):
        entries.append((n.at, 1, msg.text("desk.who_note", name=desk.staff_name(n.author)), n.text))
    if not entries:
        return []
    lines = ["——", msg.text("desk.detail_thread")]
    for at, _, who, text in sorted(entries, key=lambda e: (e[0], e[1])):
        lines.append(f"· {at:%m-%d %H:%M} {who}：{text}")
    return lines


def request_line(desk: Desk, req: Request, today: date) -> str:
    """One line of /queue and the daily digest."""
    msg = desk.msg
    due = desk.due_text(req) if req.due_date else msg.text("desk.no_due")
    overdue = req.due_date is not None and req.due_date < today and req.status != NEEDS_CORRECTION
    line = msg.text("desk.queue_line", ref=req.reference, kind=req.kind, status=req.status, due=due)
    if overdue:
        line += msg.text("desk.queue_overdue")
    if req.assignee:
        return line + msg.text("desk.queue_assignee", name=desk.staff_name(req.assignee))
    return line + msg.text("desk.queue_unclaimed")


def queue_text(desk: Desk, today: date, limit: int = 40) -> str:
    msg = desk.msg
    requests = desk.store.open_requests(order_by_due=True)
    if not requests:
        return msg.text("desk.queue_empty")
    lines = [msg.text("desk.queue_head", count=len(requests))]
    lines += [request_line(desk, r, today) for r in requests[:limit]]
    if len(requests) > limit:
        lines.append(msg.text("desk.queue_more", count=len(requests) - limit))
    return "\n".join(lines)
