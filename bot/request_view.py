"""A request's content as a person may see it: masked or in full (channel-free).

The same rules as the Telegram desk (``handlers.telegram.staff.masked_lines`` / ``full_lines`` /
``detail_text``), as data the console's templates render:
- form fields: personal ones (``personal:`` in the form file) masked with ``bot.masking``;
- a 咨询 handover: the reason, the form being filled, the recent conversation scrubbed;
- a request whose resident asked to be forgotten: full only to its assignee.
Who sees what is ``may_see_full``: the assignee and administrators; any other staff member
sees masked values and scrubbed messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot import formflow as ff
from bot.masking import scrub
from bot.store import Request

#: The kind of a 咨询 handover request (``bot.dialog.HANDOVER_KIND``; not imported, to keep
#: this module light).
HANDOVER_KIND = "咨询"

_REASONS = {"requested": "居民要求人工服务", "misunderstood": "连续多次未能理解居民的问题"}


@dataclass(frozen=True)
class Field:
    label: str
    value: str


def may_see_full(req: Request, viewer: str, *, admin: bool) -> bool:
    """Full personal data only for the assignee and administrators; a forgotten resident's
    request only for its assignee (as 详情 in Telegram)."""
    if req.assignee is not None and req.assignee == viewer:
        return True
    return admin and not req.forgotten


def _forms(knowledge: Any) -> dict[str, Any]:
    extras = getattr(knowledge, "extras", None) or {}
    return extras.get("forms", {}) or {}


def handover_fields(req: Request) -> list[Field]:
    data = req.data
    out: list[Field] = []
    reason = _REASONS.get(str(data.get("reason")), str(data.get("reason") or ""))
    if reason:
        out.append(Field("原因", reason))
    if data.get("form"):
        out.append(Field("正在填写", f"{data['form']}（{data.get('field') or '-'}）"))
    for item in (data.get("conversation") or [])[-8:]:
        who = "居民" if item.get("from") == "resident" else "助手"
        out.append(Field(who, scrub(str(item.get("text", ""))).replace("\n", " ")[:120]))
    return out


def request_fields(req: Request, knowledge: Any, *, full: bool) -> list[Field]:
    """The request's form values, masked unless ``full``."""
    if req.kind == HANDOVER_KIND:
        return handover_fields(req)  # the conversation is stored scrubbed anyway
    data = req.data
    values = data.get("fields") or {}
    form = _forms(knowledge).get(data.get("form"))
    if form is None:
        return [
            Field(str(key), str(value) if full else scrub(str(value)))
            for key, value in values.items()
            if value
        ]
    out = []
    for f in form.fields:
        value = values.get(f.key)
        if value:
            out.append(Field(ff.bare_label(f), str(value) if full else ff.masked(f, str(value))))
    return out


def applicant_type(req: Request) -> str | None:
    """The applicant type: the column where the store has one, else the form's answer."""
    value = getattr(req, "applicant_type", None)
    if value:
        return str(value)
    fields = req.data.get("fields") if isinstance(req.data, dict) else None
    if isinstance(fields, dict) and fields.get("applicant_type"):
        return str(fields["applicant_type"])
    return None
