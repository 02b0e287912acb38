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
from bot.messages import catalogue_of
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


#: To the staff group when the database cannot be written (disk full, read-only, I/O error).
STORE_ALERT = (
    "【系统告警】数据库无法写入（{reason}）：居民的留言和申请暂时无法保存，居民已被告知稍后重试。"
    "请尽快检查服务器磁盘空间和数据库文件权限。问题持续时每{minutes}分钟最多提醒一次。"
)
STORE_RECOVERED = "【系统恢复】数据库已恢复写入，居民可以继续办理。"
STORE_REASONS = {"full": "磁盘已满", "readonly": "只读", "io": "读写错误", "cantopen": "无法打开"}


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
        text = STORE_ALERT.format(
            reason=STORE_REASONS.get(exc.reason, exc.reason), minutes=max(1, round(self.alarm.interval / 60))
        )
        try:
            await self.sender.send_text(self.settings.staff_chat_id, text, outbox=False)
        except Exception as err:  # the alert is best effort
            log.warning("store alert not sent: %s", type(err).__name__)

    async def store_ok(self) -> None:
        if self.alarm.succeeded():
            log.warning("database writable again")
            try:
                await self.sender.send_text(self.settings.staff_chat_id, STORE_RECOVERED, outbox=False)
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
