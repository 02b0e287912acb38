"""``/console`` in a private chat: a staff member gets a one-time login link to the web console.

Why it looks like this:
- The link is made by ``bot.console_auth.create_login_link`` (valid 5 minutes, single use,
  only its hash stored, the issue audited) for the role the staff/admin id lists give now.
- Only in a private chat: a link posted in a group could be opened by anyone in it.
- Sent with link previews off (a preview fetch must not touch the link; the login page also
  needs a button press) and never through the outbox: a link delivered late has expired.
- The site's address comes from CITIZEN_BOT_CONSOLE_URL (the same variable as
  ``citizen-bot console link``); without it the staff member is told whom to ask.
"""

from __future__ import annotations

import logging
import os

from telegram import Update
from telegram.ext import ContextTypes

from bot.console_auth import LINK_TTL, create_login_link, role_for
from bot.messages import catalogue_of
from handlers.telegram.common import describe, guarded, services
from handlers.telegram.send import Outgoing, esc

log = logging.getLogger("handlers.console")

CONSOLE_URL_ENV = "CITIZEN_BOT_CONSOLE_URL"


@guarded()
async def cmd_console(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    msg = update.effective_message
    user = update.effective_user
    chat = update.effective_chat
    if msg is None or user is None or chat is None:
        return
    words = catalogue_of(svc.engine.knowledge)
    if chat.type != "private":
        await svc.sender.send_text(
            chat.id, words.text("telegram.console_private_only"), reply_to=msg.message_id
        )
        return
    key = f"tg:{user.id}"
    role = role_for(svc.settings, key)
    if role is None:
        log.info("console link refused (%s)", describe(update))
        await svc.sender.send_text(chat.id, words.text("telegram.console_not_staff"))
        return
    base_url = os.environ.get(CONSOLE_URL_ENV, "").strip()
    if not base_url:
        await svc.sender.send_text(chat.id, words.text("telegram.console_no_url"))
        return
    link = await svc.call(create_login_link, svc.store, key, role, base_url, now=svc.now())
    text = words.text("telegram.console_link", minutes=int(LINK_TTL.total_seconds() // 60), link=link)
    sent = await svc.sender.send(Outgoing(chat.id, esc(text), no_preview=True), outbox=False)
    if sent is None:
        await svc.sender.send_text(chat.id, words.text("telegram.console_not_sent"), outbox=False)
