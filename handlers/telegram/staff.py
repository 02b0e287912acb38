"""The staff desk in Telegram: commands, replies to cards, buttons (a thin adapter over
``bot.desk``, which holds the rules; ``cards`` draws the cards).

A Telegram reply to a card (or to a relayed resident message, or to the 回复 prompt) goes to
the resident and into the request's thread; so does ``/reply REF text``. Commands: /queue
/claim /close /extend /note /reply /warn /detail, and for 政府信息公开 applications /correct
(补正告知) /corrected (补正已收到) /applicant (申请人类型). Only the user ids in
CITIZEN_BOT_STAFF_IDS (and administrators) may use any of it. 详情 sends the full record to the
staff member privately (never to the group).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from telegram import Update, User
from telegram.ext import ContextTypes

from bot import desk
from bot.desk import Result
from bot.desk import views as desk_views
from bot.dialog import find_reference
from bot.outcomes import APPLICANT_TYPES, Category, Outcome
from bot.store import NEEDS_CORRECTION, StoreError, StoreUnavailable
from handlers.telegram.cards import (
    actor_of,
    category_buttons,
    desk_of,
    msg_of,
    perform,
    reason_buttons,
    refresh_card,
    relay_resident_message,
    type_buttons,
)
from handlers.telegram.common import Services, describe, guarded, services
from handlers.telegram.jobs import notify_subscribers

log = logging.getLogger("handlers.telegram.staff")

STAFF_COMMANDS = (
    "queue",
    "claim",
    "close",
    "extend",
    "note",
    "reply",
    "warn",
    "detail",
    "correct",
    "corrected",
    "applicant",
)
_WITH_TEXT = ("reply", "note", "correct")


async def send_staff_help(svc: Services, chat_id: int) -> None:
    await svc.sender.send_text(chat_id, msg_of(svc).text("desk.tg_help", types="、".join(APPLICANT_TYPES)))


def _error_text(exc: Exception) -> str:
    if isinstance(exc, StoreUnavailable):
        return exc.user_message
    if isinstance(exc, StoreError):
        return exc.message
    raise exc


async def _remember(svc: Services, user: User) -> None:
    try:
        await svc.call(desk_of(svc).remember, actor_of(user))
    except StoreError:
        pass


# --------------------------------------------------------------------------- actions


async def claim(svc: Services, reference: str, user: User, *, confirmed: bool = False) -> Result:
    return await perform(svc, desk.claim, actor_of(user), reference, svc.now(), confirmed=confirmed)


async def reply(svc: Services, reference: str, user: User, text: str) -> Result:
    return await perform(svc, desk.reply, actor_of(user), reference, text, svc.now())


async def send_detail(svc: Services, reference: str, user: User) -> Result:
    msg = msg_of(svc)
    admin = svc.is_admin(user.id)
    text = await svc.call(desk_views.detail_text, desk_of(svc), reference, actor_of(user).key, admin=admin)
    sent = await svc.sender.send_text(user.id, text, card=reference, outbox=False)
    if sent is None:
        return Result(msg.text("desk.tg_detail_failed"), ok=False)
    return Result(msg.text("desk.tg_detail_sent"))


async def supplement_from_resident(
    svc: Services, resident: str, chat_id: int, replied_to: int, text: str
) -> bool:
    """A resident's reply to their 补正 notice: into the thread and to the staff group, with an
    acknowledgement. False if the replied-to message is not one of this resident's notices."""
    reference = await svc.call(svc.store.reference_for_card, chat_id, replied_to)
    if reference is None:
        return False
    req = await svc.call(svc.store.get_request, reference)
    if req is None or req.resident != resident:
        return False
    await svc.call(svc.store.add_message, reference, "resident", resident, text, svc.now())
    await relay_resident_message(svc, reference, text)
    msg = msg_of(svc)
    if req.status == NEEDS_CORRECTION:
        ack = msg.text("desk.resident_correction_ack", ref=reference)
    else:
        ack = msg.text("desk.resident_correction_closed", ref=reference)
    await svc.sender.send_text(chat_id, ack)
    return True


async def broadcast_warning(svc: Services, text: str, user: User, report_chat: int) -> None:
    """预警信息 to every 'warnings' subscriber, Telegram or web, through the outbox (so nobody
    is lost to a restart) and within the sender's rate limit (≤ 25 msg/s)."""
    msg = msg_of(svc)
    body = msg.text("desk.tg_warning", text=text)
    buttons = [(msg.text("desk.tg_warning_unsub"), "unsub:warnings")]
    sent, kept = await notify_subscribers(svc, "warnings", body, buttons) or (0, 0)
    log.info("warning broadcast by %s: %d sent, %d kept for retry", user.id, sent, kept)
    summary = msg.text("desk.tg_warning_sent", count=sent)
    if kept:
        summary += msg.text("desk.tg_warning_kept", count=kept)
    await svc.sender.send_text(report_chat, summary)


# --------------------------------------------------------------------------- commands


def _allowed_place(svc: Services, update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and (chat.type == "private" or chat.id == svc.settings.staff_chat_id)


@guarded(apologise=False)
async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    msg = update.effective_message
    user = update.effective_user
    chat_id = msg.chat_id
    words = msg_of(svc)
    if user is None or not svc.is_staff(user.id):
        log.info("staff command refused (%s)", describe(update))
        await svc.sender.send_text(chat_id, words.text("desk.tg_not_staff"), reply_to=msg.message_id)
        return
    if not _allowed_place(svc, update):
        await svc.sender.send_text(chat_id, words.text("desk.tg_wrong_place"), reply_to=msg.message_id)
        return
    command = msg.text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower()
    parts = msg.text.split(maxsplit=2)
    arg = parts[1] if len(parts) > 1 else ""
    rest = parts[2] if len(parts) > 2 else ""

    async def answer(result: Result | str, buttons: Sequence[tuple[str, str]] = ()) -> None:
        text = result.text if isinstance(result, Result) else result
        await svc.sender.send_text(chat_id, text, buttons=buttons, reply_to=msg.message_id)

    if command == "queue":
        await answer(await svc.call(desk_views.queue_text, desk_of(svc), svc.today()))
        return
    if command == "warn":
        await _warn_command(svc, update, context, answer)
        return
    reference = find_reference(arg) if arg else None
    if reference is None:
        usage = words.text("desk.tg_usage_text") if command in _WITH_TEXT else ""
        await answer(words.text("desk.tg_usage", command=command, text=usage))
        return
    try:
        await _reference_command(svc, command, reference, user, rest, answer)
    except StoreError as exc:
        await answer(_error_text(exc))


async def _warn_command(svc: Services, update: Update, context: Any, answer: Any) -> None:
    msg, words = update.effective_message, msg_of(svc)
    text = msg.text.split(maxsplit=1)[1].strip() if len(msg.text.split(maxsplit=1)) > 1 else ""
    if not text:
        await answer(words.text("desk.tg_warn_usage"))
        return
    residents = await svc.call(svc.store.subscribers, "warnings")
    count = sum(1 for r in residents if svc.engine.outbox.serves(r))  # Telegram and web alike
    await answer(words.text("desk.tg_warn_sending", count=count))
    context.application.create_task(
        broadcast_warning(svc, text, update.effective_user, msg.chat_id),
        update=update,
        name="warning-broadcast",
    )


async def _reference_command(
    svc: Services, command: str, reference: str, user: User, rest: str, answer: Any
) -> None:
    actor, now = actor_of(user), svc.now()
    if command == "claim":
        confirmed = rest.strip().lower() in ("confirm", "确认", "确定")
        result = await claim(svc, reference, user, confirmed=confirmed)
        await answer(result, _confirm_buttons(svc, reference) if result.confirm else ())
    elif command == "reply":
        await answer(await reply(svc, reference, user, rest))
    elif command == "note":
        await answer(await perform(svc, desk.note, actor, reference, rest, now))
    elif command == "extend":
        await answer(await perform(svc, desk.extend, actor, reference, now))
    elif command == "detail":
        await answer(await send_detail(svc, reference, user))
    elif command == "close":
        await _close_command(svc, reference, user, rest, answer)
    elif command == "correct":
        await answer(await perform(svc, desk.request_correction, actor, reference, rest, now))
    elif command == "corrected":
        await answer(await perform(svc, desk.correction_received, actor, reference, now, rest))
    elif command == "applicant":
        words = msg_of(svc)
        label = desk.parse_applicant_type(rest) if rest else None
        if not desk.is_disclosure(reference):
            await answer(words.text("desk.type_only_disclosure"))
        elif label is None:
            types = "、".join(f"{i} {t}" for i, t in enumerate(APPLICANT_TYPES, 1))
            await answer(words.text("desk.type_usage", types=types), type_buttons(svc, reference, back=False))
        else:
            await answer(await perform(svc, desk.set_applicant_type, actor, reference, label, now))


def _confirm_buttons(svc: Services, reference: str) -> tuple[tuple[str, str], ...]:
    return ((msg_of(svc).text("desk.claim_button"), f"s:claimc:{reference}"),)


async def _close_command(svc: Services, reference: str, user: User, rest: str, answer: Any) -> None:
    """``/close REF [outcome]``: a disclosure application without a complete outcome gets the
    category (or reason) buttons; anything else closes."""
    actor, now, words = actor_of(user), svc.now(), msg_of(svc)
    if not desk.is_disclosure(reference):
        await answer(await perform(svc, desk.close, actor, reference, now))
        return
    cat = desk_of(svc).outcomes()
    parsed = cat.parse(rest) if rest.strip() else None
    if isinstance(parsed, Outcome):
        await answer(await perform(svc, desk.close, actor, reference, now, parsed))
    elif isinstance(parsed, Category):
        text = words.text("desk.outcome_needs_reason", outcome=parsed.label, choices=cat.choices(parsed))
        await answer(text, reason_buttons(svc, reference, parsed, back=False))
    elif rest.strip():
        text = words.text("desk.outcome_help", choices=cat.choices())
        await answer(text, category_buttons(svc, reference, back=False))
    else:
        await answer(words.text("desk.choose_category"), category_buttons(svc, reference, back=False))


# --------------------------------------------------------------------------- replies in the group


async def reply_from_staff(
    svc: Services, reference: str, user: User, text: str, chat_id: int, message_id: int
) -> None:
    """A staff member's Telegram reply to a card, relay or prompt: relay it to the resident."""
    try:
        out = (await reply(svc, reference, user, text)).text
    except StoreError as exc:
        out = _error_text(exc)
    await svc.sender.send_text(chat_id, out, reply_to=message_id)


@guarded(apologise=False)
async def on_group_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A text reply in the staff group: to a card (or relayed message / reply prompt) -> resident."""
    svc = services(context)
    msg = update.effective_message
    target = msg.reply_to_message
    if target is None:
        return
    prompt = await svc.call(svc.store.get_meta, prompt_key(msg.chat_id, target.message_id))
    if prompt:
        await _answer_prompt(svc, update, prompt)
        return
    reference = await svc.call(svc.store.reference_for_card, msg.chat_id, target.message_id)
    if reference is None:
        return  # staff talking among themselves
    user = update.effective_user
    if user is None or not svc.is_staff(user.id):
        text = msg_of(svc).text("desk.tg_only_staff_reply")
        await svc.sender.send_text(msg.chat_id, text, reply_to=msg.message_id)
        return
    await reply_from_staff(svc, reference, user, msg.text, msg.chat_id, msg.message_id)


def prompt_key(chat_id: int, message_id: int) -> str:
    return f"prompt:{chat_id}:{message_id}"


async def _answer_prompt(svc: Services, update: Update, prompt: str) -> None:
    """A staff member's reply to the 补正 prompt: the text is the notice's list of items."""
    msg = update.effective_message
    user = update.effective_user
    if user is None or not svc.is_staff(user.id):
        await svc.sender.send_text(
            msg.chat_id, msg_of(svc).text("desk.tg_not_staff"), reply_to=msg.message_id
        )
        return
    _action, _, reference = prompt.partition(":")
    try:
        result = await perform(
            svc, desk.request_correction, actor_of(user), reference, msg.text or "", svc.now()
        )
        out = result.text
        if result.ok:
            await svc.call(svc.store.set_meta, prompt_key(msg.chat_id, msg.reply_to_message.message_id), "")
    except StoreError as exc:
        out = _error_text(exc)
    await svc.sender.send_text(msg.chat_id, out, reply_to=msg.message_id)


# --------------------------------------------------------------------------- buttons

_CALLBACK = re.compile(
    r"^s:(claim|claimc|reply|close|closek|outc|outk|fix|fixed|atype|atypek|detail|card)"
    r":([A-Z]{2}-\d{8}-\d{4,})(?::(\d(?:\.\d)?))?$"
)


async def on_staff_button(update: Update, context: ContextTypes.DEFAULT_TYPE, data: str) -> None:
    from handlers.telegram import staff_buttons

    svc = services(context)
    query = update.callback_query
    user = update.effective_user
    if user is None or not svc.is_staff(user.id):
        await svc.sender.answer(query, msg_of(svc).text("desk.tg_not_staff_button"), alert=True)
        return
    m = _CALLBACK.match(data)
    if m is None:
        await svc.sender.answer(query, msg_of(svc).text("desk.tg_button_stale"))
        return
    action, reference, index = m.group(1), m.group(2), m.group(3)
    try:
        await staff_buttons.press(svc, query, user, action, reference, index)
    except StoreError as exc:
        await svc.sender.answer(query, _error_text(exc)[:190], alert=True)
        if action in ("close", "closek", "outc", "outk", "fixed", "atypek"):
            await refresh_card(svc, reference)
