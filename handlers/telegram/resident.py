"""Residents in private chats: commands, free text and buttons -> ``bot.dialog.Engine``.

The engine owns the conversation; this module only maps Telegram onto it: /start -> start,
/help -> "帮助", /cancel -> "取消" (or "结束人工" while with a person), /status, /events, free
text, button payloads. Answers can be rated 有用 / 没用 (one vote per resident and answer in the
store's ratings table, see ``record_rating``).
/mydata and /forget are the data-rights commands (the engine's 我的数据 / 删除我的数据); they work
whether or not app.py registers CommandHandlers for them (``on_unknown_command`` dispatches them).
Residents' messages pass a per-user flood guard (``handlers.flood``) before the engine; button
presses never do.
Edited messages, media and unknown commands get a short, polite reply; group chats other than
the staff group are answered only when a command is addressed to the bot.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot.dialog import Reply
from bot.messages import Catalogue, catalogue_of
from bot.store import Store, StoreError
from handlers.flood import FloodGuard, Verdict
from handlers.telegram import staff
from handlers.telegram.common import Services, describe, guarded, resident_key, services

log = logging.getLogger("handlers.telegram.resident")

FLOOD_KEY = "flood"


def _msg(svc: Services) -> Catalogue:
    """The running catalogue (``/reload`` swaps it with the knowledge)."""
    return catalogue_of(svc.engine.knowledge)


# --------------------------------------------------------------------------- flood control


def flood_guard(context: ContextTypes.DEFAULT_TYPE) -> FloodGuard:
    """The Application's guard (``bot_data["flood"]``; a test or app.py may put its own there)."""
    data = context.application.bot_data
    guard = data.get(FLOOD_KEY)
    if guard is None:
        guard = data[FLOOD_KEY] = FloodGuard()
    return guard


async def flooded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True when this private message is over the sender's rate: it is then dropped, and the
    first drop per cooldown gets one polite notice. Only ids are logged."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None or chat.type != "private":
        return False
    verdict = flood_guard(context).check(user.id)
    if verdict is Verdict.ALLOW:
        return False
    if verdict is Verdict.NOTICE:
        log.info("flood: messages dropped (%s)", describe(update))
        svc = services(context)
        await svc.sender.send_text(chat.id, _msg(svc).text("telegram.flood"))
    return True


# --------------------------------------------------------------------------- engine turns

#: The update being handled (set by the duplicate check in app.py): the engine's turn key.
CURRENT_UPDATE: ContextVar[str] = ContextVar("citizen_bot_update", default=None)  # type: ignore[arg-type]


def merge_replies(replies: Sequence[Reply], limit: int = 3500) -> list[Reply]:
    """One Telegram message where the engine said several things in a row (a notice, then the
    next question): fewer Bot API calls, and the resident reads it as one answer. A reply with
    buttons or a rating ends a message, since its buttons belong under its own text."""
    merged: list[Reply] = []
    for reply in replies:
        last = merged[-1] if merged else None
        if (
            last is not None
            and not last.buttons
            and last.entry_id is None
            and not last.owed
            and not reply.owed  # an owed reply is sent by the outbox, as it was written there
            and (len(last.text) + len(reply.text) + 2 <= limit)
        ):
            merged[-1] = Reply(f"{last.text}\n\n{reply.text}", reply.buttons, reply.entry_id)
        else:
            merged.append(reply)
    return merged


async def converse(
    svc: Services,
    chat_id: int,
    resident: str,
    *,
    text: str | None = None,
    payload: str | None = None,
    start: bool = False,
) -> None:
    """One engine turn: replies to the resident, then what the turn owes anyone (receipt, staff
    card, relayed message), which the engine wrote to the outbox in the turn's transaction and
    the outbox sends now: the resident's own before the turn ends, the rest in the background
    (or, after a crash, at the next start)."""
    if start:
        outcome = await svc.call(svc.engine.start, resident)
    else:
        outcome = await svc.call(
            svc.engine.handle, resident, text, payload, turn_key=CURRENT_UPDATE.get(None)
        )
    for reply in merge_replies(outcome.replies):
        if reply.owed:  # in its place among the replies: the outbox sends this chat's items
            await svc.sender.flush(addresses=[resident])
        else:
            await svc.sender.send_reply(chat_id, reply)
    if resident in outcome.owed:  # the resident's own (a receipt): before this turn ends
        await svc.sender.flush(addresses=[resident])
    others = [address for address in outcome.owed if address != resident]
    if others:  # the staff group's card, other residents: without holding up this chat
        svc.sender.flush_soon(others)


def _private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == "private"


async def _not_private(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True (and a polite pointer for commands in other groups) when the chat is not private."""
    if _private(update):
        return False
    svc = services(context)
    chat = update.effective_chat
    if chat is not None and chat.id != svc.settings.staff_chat_id and chat.type in ("group", "supergroup"):
        pointer = _msg(svc).text("telegram.private_only")
        await svc.sender.send_text(chat.id, pointer, reply_to=update.effective_message.message_id)
    return True


# --------------------------------------------------------------------------- commands


async def _menu_command(update: Update, context: ContextTypes.DEFAULT_TYPE, **turn: Any) -> None:
    """/start and /help: staff in their group get the staff help; residents, the engine."""
    svc = services(context)
    chat = update.effective_chat
    if chat is not None and chat.id == svc.settings.staff_chat_id:
        await staff.send_staff_help(svc, chat.id)
        return
    if await _not_private(update, context) or await flooded(update, context):
        return
    await converse(svc, chat.id, resident_key(update.effective_user.id), **turn)


@guarded()
async def cmd_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _menu_command(update, context, start=True)


@guarded()
async def cmd_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _menu_command(update, context, text="帮助")


@guarded()
async def cmd_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if await _not_private(update, context) or await flooded(update, context):
        return
    svc = services(context)
    resident = resident_key(update.effective_user.id)
    state = await svc.call(svc.store.load_session, resident)
    # with a person, /cancel ends the handover rather than being relayed to staff as "取消"
    word = "结束人工" if state and state.get("mode") == "human" else "取消"
    await converse(svc, update.effective_chat.id, resident, text=word)


def payload_command(payload: str, doc: str) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]:
    """A resident command that is the same as pressing one of the engine's buttons."""

    @guarded()
    async def command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await _not_private(update, context) or await flooded(update, context):
            return
        chat_id, resident = update.effective_chat.id, resident_key(update.effective_user.id)
        await converse(services(context), chat_id, resident, payload=payload)

    command.__doc__ = doc
    return command


cmd_status = payload_command("status", "/status: the resident's own requests, never anyone else's.")
cmd_events = payload_command("menu:events", "/events: upcoming civil-defence events and yearly days.")
cmd_mydata = payload_command("mydata", "/mydata: what is kept about the resident, masked (payload mydata).")
cmd_forget = payload_command("forget", "/forget: asks for confirmation, then deletes (payload forget).")


#: Resident commands app.py may not register yet: reached through ``on_unknown_command``.
EXTRA_COMMANDS = {"mydata": cmd_mydata, "forget": cmd_forget}


def command_name(text: str | None) -> str:
    """'/MyData@citizen_bot extra' -> 'mydata'."""
    words = (text or "").split(maxsplit=1)
    return words[0].lstrip("/").split("@", 1)[0].lower() if words else ""


# --------------------------------------------------------------------------- messages


@guarded()
async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text in a private chat. A staff member replying (in private) to a request card or
    a details message answers that request; everything else goes to the engine."""
    svc = services(context)
    msg = update.effective_message
    user = update.effective_user
    if msg.reply_to_message is not None and svc.is_staff(user.id):
        ref = await svc.call(svc.store.reference_for_card, msg.chat_id, msg.reply_to_message.message_id)
        if ref is not None:
            await staff.reply_from_staff(svc, ref, user, msg.text, msg.chat_id, msg.message_id)
            return
    if await flooded(update, context):
        return
    if msg.reply_to_message is not None and not svc.is_staff(user.id):
        # a reply to a 补正 notice: the supplement goes into the request's thread
        replied = msg.reply_to_message.message_id
        if await staff.supplement_from_resident(svc, resident_key(user.id), msg.chat_id, replied, msg.text):
            return
    await converse(svc, msg.chat_id, resident_key(user.id), text=msg.text)


@guarded()
async def on_edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if await flooded(update, context):
        return
    svc = services(context)
    msg = update.effective_message
    await svc.sender.send_text(msg.chat_id, _msg(svc).text("telegram.edited"), reply_to=msg.message_id)


@guarded()
async def on_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photos, stickers, voice, files, contacts, locations...: not understood, said politely."""
    if await flooded(update, context):
        return
    svc = services(context)
    msg = update.effective_message
    log.info("non-text message (%s)", describe(update))
    await svc.sender.send_text(msg.chat_id, _msg(svc).text("telegram.media"))


@guarded()
async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    msg = update.effective_message
    extra = EXTRA_COMMANDS.get(command_name(msg.text if msg else None))
    if extra is not None:
        await extra(update, context)
        return
    if await flooded(update, context):
        return
    svc = services(context)
    await svc.sender.send_text(update.effective_chat.id, _msg(svc).text("telegram.unknown_command"))


# --------------------------------------------------------------------------- buttons


async def on_resident_button(update: Update, context: ContextTypes.DEFAULT_TYPE, payload: str) -> None:
    """A resident's inline button (private chat): ratings are kept here, the rest is the engine's."""
    svc = services(context)
    query = update.callback_query
    user = update.effective_user
    resident = resident_key(user.id)
    if payload.startswith("rate:"):
        parts = payload.split(":", 2)
        if len(parts) == 3 and parts[1] in ("up", "down") and svc.engine.knowledge.get(parts[2]) is not None:
            try:
                await svc.call(record_rating, svc.store, parts[2], resident, parts[1], svc.now())
            except StoreError as exc:
                log.warning("rating not stored: %s", exc)
        await svc.sender.answer(query, _msg(svc).text("dialog.thanks_for_rating"))
        return
    await svc.sender.answer(query)
    chat_id = update.effective_chat.id if update.effective_chat else user.id
    await converse(svc, chat_id, resident, payload=payload)


# --------------------------------------------------------------------------- ratings


def record_rating(
    store: Store, entry_id: str, resident: str, value: str, now: datetime | None = None
) -> bool:
    """Count one 有用/没用 per resident and answer (a changed mind moves the vote); True if it
    changed anything. ``Store.add_rating`` does it in one write transaction, so processes
    rating at the same moment never lose a count."""
    return store.add_rating(entry_id, resident, value, now)


def ratings(store: Store) -> dict[str, tuple[int, int]]:
    """``{entry_id: (有用, 没用)}`` over every resident's votes (for /stats)."""
    return store.rating_totals()
