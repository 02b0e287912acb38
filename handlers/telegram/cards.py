"""The staff desk's Telegram rendering: request cards and their buttons in the staff group,
relayed resident messages, and running a ``bot.desk`` action (redraw the card, send what it owed).

Every new request (a submitted form, or a 咨询 handover) posts a card to the staff group with
personal data masked and the buttons 认领 / 回复 / 办结 / 详情 (信息公开 applications also
补正 / 申请人类型). The words come from knowledge/messages/desk.yaml.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from telegram import User

from bot.desk import Actor, Channels, Desk, Result, is_disclosure
from bot.desk import views as desk_views
from bot.dialog import HANDOVER_KIND, cn_date
from bot.masking import scrub
from bot.messages import Catalogue, catalogue_of
from bot.outcomes import APPLICANT_TYPES, Category
from bot.store import NEEDS_CORRECTION, Request
from handlers.telegram.common import Services
from handlers.telegram.send import Outgoing, esc

log = logging.getLogger("handlers.telegram.cards")

#: Characters of a resident's text per relay message (Telegram's 4,096 counts the parsed text).
RELAY_CHARS = 1500


def desk_of(svc: Services) -> Desk:
    """The channel-free desk on this process's store, knowledge and outbox."""
    return Desk(svc.store, svc.engine.knowledge, Channels(svc.engine.outbox))


def msg_of(svc: Services) -> Catalogue:
    return catalogue_of(svc.engine.knowledge)


def actor_of(user: User) -> Actor:
    return Actor(f"tg:{user.id}", user.full_name or str(user.id))


def mention(user_id: int, name: str) -> str:
    """HTML that notifies a staff member in the group."""
    return f'<a href="tg://user?id={user_id}">{esc(name)}</a>'


def staff_mention(svc: Services, key: str) -> str:
    """A staff key (``tg:<id>``) as a mention, anything else escaped."""
    uid = key.removeprefix("tg:")
    name = desk_of(svc).staff_name(key)
    return mention(int(uid), name) if uid.isdigit() else esc(name)


async def perform(svc: Services, action: Callable[..., Result], *args: Any, **kwargs: Any) -> Result:
    """Run a desk action in a worker thread, then redraw the cards it changed and send what it
    wrote to the outbox (the rest waits for the next drain)."""
    result = await svc.call(action, desk_of(svc), *args, **kwargs)
    for reference in result.refresh:
        await refresh_card(svc, reference)
    if result.owed:
        await svc.sender.flush(addresses=list(result.owed))
    return result


# --------------------------------------------------------------------------- cards


def card_text(svc: Services, req: Request) -> str:
    """HTML of a request card (everything escaped; personal data masked). Synchronous."""
    desk = desk_of(svc)
    msg = desk.msg
    head = msg.text("desk.tg_card_handover") if req.kind == HANDOVER_KIND else msg.text("desk.tg_card_new")
    lines = [
        f"<b>{esc(head)}{esc(req.reference)}</b>",
        esc(msg.text("desk.line_kind", kind=req.kind)),
        esc(msg.text("desk.line_office", office=req.office or "—")),
        *(esc(line) for line in desk_views.channel_line(desk, req)),
        esc(msg.text("desk.line_received", day=cn_date(req.received_date))),
    ]
    if req.kind != HANDOVER_KIND:
        lines.append(esc(msg.text("desk.line_due", due=desk.due_text(req))))
    if is_disclosure(req.reference):
        lines.append(esc(msg.text("desk.line_applicant", type=desk_views.applicant_type_text(desk, req))))
    lines.append(esc(msg.text("desk.line_status", status=desk_views.status_text(desk, req))))
    if req.assignee:
        lines.append(esc(msg.text("desk.line_assignee", name=desk.staff_name(req.assignee))))
    body = desk_views.masked_lines(desk, req)
    if body:
        lines.append("——")
        lines += [esc(line) for line in body]
    if req.is_open:
        lines.append(esc(msg.text("desk.tg_card_reply_hint")))
    return "\n".join(lines)


def card_buttons(svc: Services, req: Request) -> list[tuple[str, str]]:
    msg, ref = msg_of(svc), req.reference
    detail = (msg.text("desk.tg_button_detail"), f"s:detail:{ref}")
    if not req.is_open:
        return [detail]
    claim = (msg.text("desk.tg_button_claim"), f"s:claim:{ref}")
    reply = (msg.text("desk.tg_button_reply"), f"s:reply:{ref}")
    close = (msg.text("desk.tg_button_close"), f"s:close:{ref}")
    if not is_disclosure(ref):
        return [claim, reply, close, detail]
    if req.status == NEEDS_CORRECTION:
        step = (msg.text("desk.tg_button_corrected"), f"s:fixed:{ref}")
    else:
        step = (msg.text("desk.tg_button_correct"), f"s:fix:{ref}")
    return [claim, reply, step, close, detail, (msg.text("desk.tg_button_type"), f"s:atype:{ref}")]


def _back(svc: Services, ref: str) -> tuple[str, str]:
    return (msg_of(svc).text("desk.tg_button_back"), f"s:card:{ref}")


def category_buttons(svc: Services, ref: str, back: bool = True) -> list[tuple[str, str]]:
    buttons = [(c.short, f"s:outc:{ref}:{c.code}") for c in desk_of(svc).outcomes().categories]
    return buttons + ([_back(svc, ref)] if back else [])


def reason_buttons(svc: Services, ref: str, category: Category, back: bool = True) -> list[tuple[str, str]]:
    buttons = [(o.short, f"s:outk:{ref}:{o.code}") for o in category.reasons]
    previous = (msg_of(svc).text("desk.tg_button_previous"), f"s:close:{ref}")
    return buttons + ([previous, _back(svc, ref)] if back else [])


def type_buttons(svc: Services, ref: str, back: bool = True) -> list[tuple[str, str]]:
    buttons = [(t, f"s:atypek:{ref}:{i}") for i, t in enumerate(APPLICANT_TYPES, 1)]
    return buttons + ([_back(svc, ref)] if back else [])


async def refresh_card(
    svc: Services, reference: str, buttons: Sequence[tuple[str, str]] | None = None
) -> None:
    """Re-draw the request's main card (status, assignee) where it was posted."""
    where = await svc.call(svc.store.get_meta, f"card:{reference}")
    req = await svc.call(svc.store.get_request, reference)
    if not where or req is None:
        return
    chat, _, message = where.partition(":")
    text = await svc.call(card_text, svc, req)
    shown = card_buttons(svc, req) if buttons is None else buttons
    await svc.sender.edit(int(chat), int(message), text, shown)


def relay_outgoings(svc: Services, chat_id: int, reference: str, text: str) -> list[Outgoing]:
    """A resident's message while with a person, for the staff group (scrubbed), replyable."""
    msg, shown = msg_of(svc), scrub(text)
    # Header + escaped text must fit one Telegram message: long messages go in numbered parts.
    chunks = [shown[i : i + RELAY_CHARS] for i in range(0, len(shown), RELAY_CHARS)] or [""]
    outs = []
    for n, chunk in enumerate(chunks, 1):
        part = msg.text("desk.tg_relay_part", n=n, total=len(chunks)) if len(chunks) > 1 else ""
        head = esc(msg.text("desk.tg_relay_head", ref=reference))
        body = f"<b>{head}</b>{esc(part)}\n{esc(chunk)}\n{esc(msg.text('desk.tg_relay_hint'))}"
        outs.append(Outgoing(chat_id, body, card=reference))
    return outs


async def relay_resident_message(svc: Services, reference: str, text: str) -> None:
    """Send a relay at once (the engine's relays go through the outbox instead)."""
    for out in relay_outgoings(svc, svc.settings.staff_chat_id, reference, text):
        await svc.sender.send(out)


def request_line(svc: Services, req: Request, today: date) -> str:
    """One line of /queue and the daily digest (synchronous)."""
    return desk_views.request_line(desk_of(svc), req, today)


def masked_lines(svc: Services, req: Request) -> list[str]:
    return desk_views.masked_lines(desk_of(svc), req)
