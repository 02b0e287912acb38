"""What every handler needs: the engine, the store, the settings, the sender, the clock.

One ``Services`` object per Application, kept in ``application.bot_data["svc"]``. Store and
engine calls are synchronous SQLite work: handlers run them through ``Services.call`` (a worker
thread), so the event loop never waits on the database.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
import time
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
from bot.messages import Catalogue, catalogue_of
from bot.store import Store, StoreUnavailable
from bot.workdays import WorkCalendar

if TYPE_CHECKING:
    from handlers.telegram.send import Sender

log = logging.getLogger("handlers")

T = TypeVar("T")

RESIDENT_PREFIX = "tg:"


def resident_key(user_id: int) -> str:
    """The engine's resident key for a Telegram user (their private chat has the same id)."""
    return f"{RESIDENT_PREFIX}{user_id}"


def resident_chat(resident: str) -> int | None:
    """The private chat of a resident key, or None for residents of another channel."""
    if resident.startswith(RESIDENT_PREFIX) and resident[len(RESIDENT_PREFIX) :].isdigit():
        return int(resident[len(RESIDENT_PREFIX) :])
    return None


def store_reason(msg: Catalogue, reason: str) -> str:
    """``StoreUnavailable.reason`` in the staff alert's words (an unknown reason as it is)."""
    if reason == "full":
        return msg.text("telegram.store_reason_full")
    if reason == "readonly":
        return msg.text("telegram.store_reason_readonly")
    if reason == "io":
        return msg.text("telegram.store_reason_io")
    if reason == "cantopen":
        return msg.text("telegram.store_reason_cantopen")
    return reason


class StoreAlarm:
    """Tells staff once when the database stops taking writes, not once per update: at most one
    alert per ``interval`` seconds while the problem lasts, and one note when it is over.
    A busy database (another writer holding the lock) is not an outage: no alert."""

    def __init__(self, interval: float = 900.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self.clock = clock
        self._lock = threading.Lock()
        self._failing = False
        self._last_alert: float | None = None
        self.alerts = 0

    def failed(self, reason: str) -> bool:
        """Record a failure; True if staff should be alerted now."""
        if reason == "busy":
            return False
        with self._lock:
            self._failing = True
            now = self.clock()
            if self._last_alert is not None and now - self._last_alert < self.interval:
                return False
            self._last_alert = now
            self.alerts += 1
            return True

    def succeeded(self) -> bool:
        """Record a successful write; True if this ends an outage staff were told about."""
        if not self._failing:  # the common case, no lock
            return False
        with self._lock:
            was, self._failing = self._failing, False
            if was:
                self._last_alert = None
            return was


@dataclass
class Services:
    settings: Settings
    engine: Engine
    store: Store
    clock: Callable[[], datetime]
    knowledge_dir: Path = BUNDLED_KNOWLEDGE
    sender: Sender = field(init=False)
    alarm: StoreAlarm = field(default_factory=StoreAlarm)

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

    async def store_failed(self, exc: StoreUnavailable) -> None:
        """A write failed: alert the staff group (rate-limited, best effort, never queued in
        the outbox, which lives in the same database)."""
        if not self.alarm.failed(exc.reason):
            return
        log.error("database unwritable (%s): staff alerted", exc.reason)
        # to the staff group when the database cannot be written (disk full, read-only, I/O error)
        msg = catalogue_of(self.engine.knowledge)
        text = msg.text(
            "telegram.store_alert",
            reason=store_reason(msg, exc.reason),
            minutes=max(1, round(self.alarm.interval / 60)),
        )
        try:
            await self.sender.send_text(self.settings.staff_chat_id, text, outbox=False)
        except Exception as err:  # the alert is best effort
            log.warning("store alert not sent: %s", type(err).__name__)

    async def store_ok(self) -> None:
        if self.alarm.succeeded():
            log.warning("database writable again")
            try:
                recovered = catalogue_of(self.engine.knowledge).text("telegram.store_recovered")
                await self.sender.send_text(self.settings.staff_chat_id, recovered, outbox=False)
            except Exception as err:
                log.warning("store recovery note not sent: %s", type(err).__name__)

    def owe(
        self,
        address: str,
        kind: str,
        body: dict[str, Any],
        *,
        reference: str | None = None,
        dedup_key: str | None = None,
    ) -> bool:
        """Synchronous, meant for inside a store transaction (a staff action): write an outbox
        item (``bot.outbox``) if some channel delivers to ``address``; True if written."""
        outbox = self.engine.outbox
        if not outbox.serves(address):
            return False
        item = self.store.enqueue_outbox(
            address, body, outbox.clock(), kind=kind, reference=reference, dedup_key=dedup_key
        )
        return item is not None

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
                        svc = services(context)
                        apology = catalogue_of(svc.engine.knowledge).text("system.apology")
                        await svc.sender.send_text(chat.id, apology)
                    except Exception:  # the apology is best effort
                        log.warning("apology not sent (%s)", describe(update))

        return inner

    return wrap
