"""What every handler needs: the engine, the store, the settings, the sender, the clock.

One ``Services`` object per Application, kept in ``application.bot_data["svc"]``. Store and
engine calls are synchronous SQLite work: handlers run them through ``Services.call`` (a worker
thread), so the event loop never waits on the database.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from telegram import Update
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.dialog import LOCAL_TZ, Engine
from bot.knowledge import BUNDLED_KNOWLEDGE
from bot.masking import scrub
from bot.store import Store
from bot.workdays import WorkCalendar

if TYPE_CHECKING:
    from handlers.send import Sender

log = logging.getLogger("handlers")

T = TypeVar("T")

RESIDENT_PREFIX = "tg:"
APOLOGY = "抱歉，系统出了点问题，请稍后再试。"


def resident_key(user_id: int) -> str:
    """The engine's resident key for a Telegram user (their private chat has the same id)."""
    return f"{RESIDENT_PREFIX}{user_id}"


def resident_chat(resident: str) -> int | None:
    """The private chat of a resident key, or None for residents of another channel."""
    if resident.startswith(RESIDENT_PREFIX) and resident[len(RESIDENT_PREFIX) :].isdigit():
        return int(resident[len(RESIDENT_PREFIX) :])
    return None


@dataclass
class Services:
    settings: Settings
    engine: Engine
    store: Store
    clock: Callable[[], datetime]
    knowledge_dir: Path = BUNDLED_KNOWLEDGE
    sender: Sender = field(init=False)

    def now(self) -> datetime:
        now = self.clock()
        return now.astimezone(LOCAL_TZ) if now.tzinfo else now.replace(tzinfo=LOCAL_TZ)

    def today(self) -> date:
        return self.now().date()

    def calendar(self) -> WorkCalendar:
        return self.engine.knowledge.extras.get("holidays") or WorkCalendar.empty()

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a synchronous store/engine call in a worker thread."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    def is_staff(self, user_id: int | None) -> bool:
        return self.settings.is_staff(user_id)

    def is_admin(self, user_id: int | None) -> bool:
        return self.settings.is_admin(user_id)


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.application.bot_data["svc"]


def describe(update: object) -> str:
    """Ids only, for logs: never names or message texts."""
    if isinstance(update, Update):
        chat = update.effective_chat.id if update.effective_chat else None
        user = update.effective_user.id if update.effective_user else None
        return f"update={update.update_id} chat={chat} user={user}"
    return type(update).__name__


def safe_traceback(exc: BaseException) -> str:
    return scrub("".join(traceback.format_exception(exc)))


Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


def guarded(apologise: bool = True) -> Callable[[Handler], Handler]:
    """A handler that never lets an exception out: logged (scrubbed), and in a private chat the
    person gets a short apology instead of silence."""

    def wrap(fn: Handler) -> Handler:
        @functools.wraps(fn)
        async def inner(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            try:
                await fn(update, context)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.error("handler %s failed (%s): %s", fn.__name__, describe(update), safe_traceback(exc))
                chat = update.effective_chat
                if apologise and chat is not None and chat.type == "private":
                    try:
                        await services(context).sender.send_text(chat.id, APOLOGY)
                    except Exception:  # the apology is best effort
                        log.warning("apology not sent (%s)", describe(update))

        return inner

    return wrap
