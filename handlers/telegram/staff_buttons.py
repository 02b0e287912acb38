"""The buttons under a request card (``s:<action>:<reference>[:<choice>]``): each press runs a
``bot.desk`` action or shows the next choices (outcome category, reason, applicant type)."""

from __future__ import annotations

from typing import Any

from telegram import User

from bot import desk
from bot.desk import Result
from handlers.telegram.cards import (
    actor_of,
    category_buttons,
    desk_of,
    mention,
    msg_of,
    perform,
    reason_buttons,
    refresh_card,
    type_buttons,
)
from handlers.telegram.common import Services
from handlers.telegram.send import esc
from handlers.telegram.staff import claim, prompt_key, send_detail

#: Telegram shows at most 200 characters in a callback answer.
ANSWER_CHARS = 190


async def press(
    svc: Services, query: Any, user: User, action: str, reference: str, index: str | None
) -> None:
    """One button press by a staff member (refusals raise ``StoreError``; the caller answers)."""
    msg, actor, now = msg_of(svc), actor_of(user), svc.now()
    message = query.message
    answer = svc.sender.answer
    if action in ("claim", "claimc"):
        result = await claim(svc, reference, user, confirmed=action == "claimc")
        await answer(query, result.text[:ANSWER_CHARS], alert=result.confirm)
        if result.confirm:  # claimed by someone else: ask first, under the card
            await svc.sender.send_text(
                message.chat.id if message else user.id,
                result.text,
                buttons=((msg.text("desk.claim_button"), f"s:claimc:{reference}"),),
                reply_to=message.message_id if message else None,
            )
    elif action == "detail":
        result = await send_detail(svc, reference, user)
        await answer(query, result.text, alert=not result.ok)
    elif action == "reply":
        await answer(query)
        await svc.call(desk_of(svc).remember, actor)
        who = mention(user.id, user.full_name or msg.text("desk.tg_someone"))
        await svc.sender.send_text(
            message.chat.id if message else user.id,
            msg.text("desk.tg_reply_prompt", mention=who, ref=esc(reference)),
            escape=False,
            force_reply=True,
            reply_to=message.message_id if message else None,
            card=reference,
        )
    elif action in ("close", "closek"):  # closek: a button of the old outcome list
        if desk.is_disclosure(reference):
            await answer(query, msg.text("desk.choose_category"))
            await show_choices(svc, reference, message, category_buttons(svc, reference))
        else:
            result = await perform(svc, desk.close, actor, reference, now)
            await answer(query, result.text)
    elif action == "outc":
        category = desk_of(svc).outcomes().category(index or "")
        if category is None:
            await answer(query, msg.text("desk.tg_button_stale"))
        elif category.outcome is not None:
            await _closed(svc, query, await perform(svc, desk.close, actor, reference, now, category.outcome))
        else:
            await answer(query, msg.text("desk.choose_reason", outcome=category.label))
            await show_choices(svc, reference, message, reason_buttons(svc, reference, category))
    elif action == "outk":
        outcome = desk_of(svc).outcomes().by_code(index or "")
        if outcome is None:
            await answer(query, msg.text("desk.tg_button_stale"))
        else:
            await _closed(svc, query, await perform(svc, desk.close, actor, reference, now, outcome))
    elif action == "fix":
        await _correction_prompt(svc, query, user, reference)
    elif action == "fixed":
        result = await perform(svc, desk.correction_received, actor, reference, now)
        await answer(query, result.text[:ANSWER_CHARS], alert=not result.ok)
    elif action == "atype":
        await answer(query, msg.text("desk.type_prompt", ref=reference))
        await show_choices(svc, reference, message, type_buttons(svc, reference))
    elif action == "atypek":
        label = desk.parse_applicant_type(index or "")
        if label is None:
            await answer(query, msg.text("desk.tg_button_stale"))
        else:
            result = await perform(svc, desk.set_applicant_type, actor, reference, label, now)
            await answer(query, result.text)
    elif action == "card":
        await answer(query)
        await refresh_card(svc, reference)


async def _closed(svc: Services, query: Any, result: Result) -> None:
    await svc.sender.answer(query, result.text, alert=not result.ok)


async def _correction_prompt(svc: Services, query: Any, user: User, reference: str) -> None:
    """补正: a prompt the staff member answers (Telegram reply) with the list of items."""
    msg, message = msg_of(svc), query.message
    await svc.sender.answer(query)
    await svc.call(desk_of(svc).remember, actor_of(user))
    who = mention(user.id, user.full_name or msg.text("desk.tg_someone"))
    text = msg.text("desk.correction_prompt", mention=who, ref=esc(reference))
    sent = await svc.sender.send_text(
        message.chat.id if message else user.id,
        text,
        escape=False,
        force_reply=True,
        reply_to=message.message_id if message else None,
        outbox=False,
    )
    if sent is not None:
        await svc.call(svc.store.set_meta, prompt_key(sent.chat_id, sent.message_id), f"correct:{reference}")


async def _on_main_card(svc: Services, reference: str, message: Any) -> bool:
    where = await svc.call(svc.store.get_meta, f"card:{reference}")
    return message is not None and where == f"{message.chat.id}:{message.message_id}"


async def show_choices(svc: Services, reference: str, message: Any, buttons: list[tuple[str, str]]) -> None:
    """Choice buttons on the request's main card; pressed elsewhere (a /close answer), a new
    message carries them (without 返回, which redraws the card)."""
    if await _on_main_card(svc, reference, message):
        await refresh_card(svc, reference, buttons)
        return
    plain = [b for b in buttons if not b[1].startswith(("s:card:", "s:close:"))]
    chat = message.chat.id if message else None
    if chat is not None:
        await svc.sender.send_text(chat, f"{reference}", buttons=plain)
