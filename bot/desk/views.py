"""What staff read about requests: the request's content (masked for the group, full for
whom ``may_see_full`` allows), 详情 with the thread and history, the queue's lines.

Channel-free and the one place personal data is masked for staff: the Telegram adapter
escapes these texts into its cards and 详情, the digest job and /queue send them as is, and the
web console renders ``content`` (label and value) on a request's page, by the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot import formflow as ff
from bot.desk.base import Desk, is_disclosure, is_staff_key
from bot.dialog import HANDOVER_KIND, cn_date
from bot.masking import scrub
from bot.store import NEEDS_CORRECTION, Request

#: Lines of the recent conversation a handover's card shows.
CONVERSATION_LINES = 8


def applicant_type_text(desk: Desk, req: Request) -> str:
    """The recorded type, or the one derived from the form marked as a guess staff may correct."""
    if req.applicant_type:
        return req.applicant_type
    return desk.outcomes().applicant_type(req.data) + desk.msg.text("desk.type_guessed")


def channel_text(desk: Desk, req: Request) -> str | None:
    """Where the resident wrote from (网页 / Telegram), so staff know how a reply reaches them;
    None for another channel (the terminal chat). By the store key's prefix: bot/ knows no
    channel adapter, only the prefixes they give their residents."""
    if req.resident.startswith("web:"):
        return desk.msg.text("desk.channel_web")
    if req.resident.startswith("tg:"):
        return desk.msg.text("desk.channel_telegram")
    return None


def channel_line(desk: Desk, req: Request) -> list[str]:
    """The card's and 详情's 渠道 line (none for a channel without a name)."""
    channel = channel_text(desk, req)
    return [desk.msg.text("desk.line_channel", channel=channel)] if channel else []


@dataclass(frozen=True)
class Field:
    """One part of a request's content: a label and its value (masked or in full)."""

    label: str
    value: str


def may_see_full(req: Request, viewer: str | None, *, admin: bool) -> bool:
    """The one rule for personal data, in every channel (Telegram 详情, the web console):
    in full to the request's assignee and to administrators, masked for every other staff
    member (issue 14); after the resident asked to be forgotten (/forget) to nobody, the
    assignee included: the fields are erased and the record stays masked (issue 11.4)."""
    if req.forgotten:
        return False
    return admin or (req.assignee is not None and req.assignee == viewer)


def _conversation(req: Request) -> list[tuple[bool, str]]:
    """A handover's recent conversation: (said by the resident, text) — scrubbed again in
    case an older row was stored before masking learned a format."""
    out = []
    for item in (req.data.get("conversation") or [])[-CONVERSATION_LINES:]:
        text = scrub(str(item.get("text", ""))).replace("\n", " ")[:120]
        out.append((item.get("from") == "resident", text))
    return out


def _handover_reason(desk: Desk, req: Request) -> str:
    reason = str(req.data.get("reason") or "")
    if reason == "requested":
        return desk.msg.text("desk.reason_requested")
    if reason == "misunderstood":
        return desk.msg.text("desk.reason_misunderstood")
    return reason


def form_fields(desk: Desk, req: Request, *, full: bool) -> list[Field]:
    """A form request's answers, personal fields (``personal:`` in the form file) masked with
    ``bot.masking`` unless ``full`` (an unknown form: every value scrubbed)."""
    data = req.data
    form = desk.forms().get(data.get("form"))
    values = data.get("fields") or {}
    if form is None:
        return [Field(str(k), str(v) if full else scrub(str(v))) for k, v in values.items() if v]
    return [
        Field(ff.bare_label(f), str(values[f.key]) if full else ff.masked(f, str(values[f.key])))
        for f in form.fields
        if values.get(f.key)
    ]


def content(desk: Desk, req: Request, *, full: bool) -> list[Field]:
    """The request's content as label and value, what the console's page lists: the form's
    answers, or a handover's reason, the form being filled and the recent conversation (stored
    scrubbed, the same for everyone)."""
    if req.kind != HANDOVER_KIND:
        return form_fields(desk, req, full=full)
    msg, data = desk.msg, req.data
    out: list[Field] = []
    reason = _handover_reason(desk, req)
    if reason:
        out.append(Field(msg.text("console.field_reason"), reason))
    if data.get("form"):
        filling = msg.text("console.field_filling_value", form=data["form"], field=data.get("field") or "-")
        out.append(Field(msg.text("console.field_filling"), filling))
    for by_resident, text in _conversation(req):
        who = msg.text("desk.who_resident") if by_resident else msg.text("desk.who_bot")
        out.append(Field(who, text))
    return out


def masked_lines(desk: Desk, req: Request) -> list[str]:
    """The request's content with personal fields masked (what the group may see)."""
    return _lines(desk, req, full=False)


def full_lines(desk: Desk, req: Request) -> list[str]:
    """The request's content unmasked (only for whom ``may_see_full`` allows, privately)."""
    return _lines(desk, req, full=True)


def _lines(desk: Desk, req: Request, *, full: bool) -> list[str]:
    msg, data = desk.msg, req.data
    if req.kind != HANDOVER_KIND:
        return [_field(desk, f.label, f.value) for f in form_fields(desk, req, full=full)]
    lines: list[str] = []
    reason = _handover_reason(desk, req)
    if reason:
        lines.append(msg.text("desk.line_reason", reason=reason))
    if data.get("form"):
        lines.append(msg.text("desk.line_filling", form=data["form"], field=data.get("field") or "-"))
    convo = _conversation(req)
    if convo:
        lines.append(msg.text("desk.line_conversation"))
        for by_resident, text in convo:
            if by_resident:
                lines.append("  " + msg.text("desk.line_said_resident", text=text))
            else:
                lines.append("  " + msg.text("desk.line_said_bot", text=text))
    return lines


def _field(desk: Desk, label: str, value: str) -> str:
    return desk.msg.text("desk.line_field", label=label, value=value)


def status_text(desk: Desk, req: Request) -> str:
    if req.closed_kind:
        return desk.msg.text("desk.status_closed_kind", status=req.status, outcome=req.closed_kind)
    return req.status


def detail_text(desk: Desk, reference: str, viewer: str | None = None, *, admin: bool = False) -> str:
    """Everything about a request, shown privately to a staff member: personal data in full
    or masked as ``may_see_full`` decides for ``viewer`` (an administrator when ``admin``)."""
    msg = desk.msg
    req = desk.get(reference)
    full = may_see_full(req, viewer, admin=admin)
    lines = [
        msg.text("desk.detail_head", ref=req.reference),
        msg.text("desk.detail_kind", kind=req.kind, status=status_text(desk, req)),
        msg.text("desk.line_office", office=req.office or "—"),
        *channel_line(desk, req),
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
    elif not full:
        lines.append(msg.text("console.masked_note"))
    lines.append("——")
    lines += full_lines(desk, req) if full else masked_lines(desk, req)
    lines += _exchanges(desk, req, full)
    history = desk.store.history(reference)
    if history:
        lines += ["——", msg.text("desk.detail_history")]
        for h in history:
            extra = f" {desk.with_names(h.note)}" if h.note else ""
            by = msg.text("desk.detail_by", name=desk.staff_name(h.by)) if is_staff_key(h.by) else ""
            lines.append(f"· {h.at:%Y-%m-%d %H:%M} {h.status}{extra}{by}")
    lines.append(msg.text("desk.detail_reply_hint"))
    return "\n".join(lines)


def _exchanges(desk: Desk, req: Request, full: bool) -> list[str]:
    """The thread and the internal notes, in time order (a note after a message of the same
    time); scrubbed unless ``full``, the resident's messages hidden once they asked to be forgotten."""
    msg, reference = desk.msg, req.reference
    entries: list[tuple[datetime, int, str, str]] = []

    def shown(text: str) -> str:
        return text if full else scrub(text)

    for m in desk.store.thread(reference):
        if m.sender == "resident":
            who = msg.text("desk.who_resident")
        elif m.sender == "staff":
            who = msg.text("desk.who_staff", name=desk.staff_name(m.author))
        else:
            who = msg.text("desk.who_bot")
        hidden = req.forgotten and m.sender == "resident"
        text = msg.text("desk.resident_hidden") if hidden else shown(m.text)
        entries.append((m.at, 0, who, text))
    for n in desk.store.notes(reference):
        entries.append((n.at, 1, msg.text("desk.who_note", name=desk.staff_name(n.author)), shown(n.text)))
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
