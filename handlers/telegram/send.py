"""The one place that talks to Telegram for outgoing messages.

* ``Sender.compose`` (handlers/telegram/compose.py): replies and texts as the messages to send.
* ``Sender.send``: rate limited (token bucket, ``send_rate`` per second plus ``send_burst``),
  retried with backoff on 429 (``RetryAfter``: PTB does not retry it itself), ``TimedOut`` and
  ``NetworkError``; what still fails goes to the store's outbox (a ``raw`` item addressed
  ``tg:<chat>``, or ``staff`` for the staff group) and ``Sender.flush`` (at start, after each
  turn that owes something, and as a JobQueue job) sends it later through ``bot.outbox.Outbox``,
  with everything the engine and the desk owe (handlers/telegram/deliver.py renders those). Per-chat
  order: while a chat has items in the outbox, newer messages for it queue behind them instead
  of overtaking. An item Telegram refuses for good (or still refuses after a day of hourly
  retries, e.g. a blocked bot) is given up as a dead letter (``Store.mark_failed``, with the
  reason): no longer pending, counted in admin /stats.
* A ``TimedOut`` send may in fact have been delivered (Telegram answered late): retrying then
  duplicates a message. Delivery is at least once, never at most once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from telegram import Bot, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from bot.config import Settings
from bot.dialog import Button, Reply
from bot.messages import Catalogue
from bot.outbox import START_HORIZON, Outbox, Refused, Retry
from bot.store import Store, StoreError
from handlers.telegram.compose import Composer
from handlers.telegram.http import BotApi
from handlers.telegram.outgoing import (
    Outgoing,
    RateLimiter,
    Sent,
    _Permanent,
    _Transient,
    esc,
    layout,
    plain,
    retry_after_seconds,
    split_text,
    utf16_len,
)

log = logging.getLogger("handlers.telegram.send")

__all__ = [
    "START_HORIZON",
    "Outgoing",
    "RateLimiter",
    "Sender",
    "Sent",
    "esc",
    "retry_after_seconds",
    "split_text",
    "utf16_len",
]


class Sender:
    """Sends, edits and answers on Telegram, keeping what cannot go now in the outbox."""

    def __init__(
        self,
        bot: Bot,
        store: Store,
        settings: Settings,
        clock: Callable[[], datetime],
        api: BotApi | None = None,
        *,
        messages: Callable[[], Catalogue],
    ) -> None:
        self.bot = bot
        self.api = api or BotApi(bot.request, bot.base_url)
        self.store = store
        self.settings = settings
        self.clock = clock
        self.limiter = RateLimiter(settings.send_rate, settings.send_burst)
        #: The outbox this channel drains (app.py shares the engine's, with the deliverers).
        self.outbox = Outbox(store, clock, retry_interval=settings.outbox_interval)
        #: replies and texts as the messages to send (escaped, split, with their keyboards)
        self.compose = Composer(store, messages)
        #: background flushes (`flush_soon`) by address, and the addresses owed more meanwhile
        self._flushing: dict[str, asyncio.Task[None]] = {}
        self._again: set[str] = set()

    async def send_reply(self, chat_id: int, reply: Reply, *, rating: bool = True) -> Sent | None:
        last = None
        for out in await self.compose.render(chat_id, reply, rating=rating):
            last = await self.send(out)
        return last

    def address(self, chat_id: int) -> str:
        """The outbox address of a chat: ``staff`` for the staff group, else ``tg:<chat>``."""
        return "staff" if chat_id == self.settings.staff_chat_id else f"tg:{chat_id}"

    async def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        escape: bool = True,
        buttons: Sequence[Button] | Sequence[tuple[str, str]] = (),
        reply_to: int | None = None,
        card: str | None = None,
        main_card: bool = False,
        force_reply: bool = False,
        outbox: bool = True,
    ) -> Sent | None:
        """Send text (escaped unless ``escape=False``: then it is our own HTML). With
        ``outbox=False`` a message that cannot be delivered now is not kept (returns None)."""
        outs = await self.compose.outgoing(
            chat_id,
            text,
            escape=escape,
            buttons=buttons,
            reply_to=reply_to,
            card=card,
            main_card=main_card,
            force_reply=force_reply,
        )
        last = None
        for out in outs:
            last = await self.send(out, outbox=outbox)
            if last is None and not outbox:
                return None
        return last

    # ------------------------------------------------------------------ sending

    def held(self, chat_id: int) -> bool:
        """Does the chat have items waiting in the outbox (then newer messages queue behind)?"""
        return self.address(chat_id) in self.outbox.stalled

    async def deliver(self, out: Outgoing) -> Sent:
        """One message for ``bot.outbox``: sent now, or ``Retry``/``Refused`` (no inline retry:
        the outbox schedules the next attempt and keeps the chat's order)."""
        try:
            msg = await self._attempt(out)
        except _Transient as exc:
            raise Retry(exc.reason, exc.retry_after) from None
        except _Permanent as exc:
            raise Refused(exc.reason, exc.retry_later) from None
        await self._after_sent(out, msg)
        return msg

    async def send(self, out: Outgoing, *, outbox: bool = True) -> Sent | None:
        """Deliver with retries; on failure keep it in the outbox. None unless sent now."""
        if outbox and self.held(out.chat_id):
            await self._enqueue(out, "an earlier message for this chat is still waiting")
            return None
        attempts = max(self.settings.send_attempts, 1)
        pause = self.settings.send_backoff
        for attempt in range(1, attempts + 1):
            try:
                msg = await self._attempt(out)
            except _Transient as exc:
                wait = exc.retry_after if exc.retry_after is not None else pause
                if attempt == attempts or wait > self.settings.max_inline_wait:
                    if outbox:
                        await self._enqueue(out, exc.reason, delay=exc.retry_after)
                    return None
                log.info(
                    "send to chat %s failed (%s); retry %d in %.1fs", out.chat_id, exc.reason, attempt, wait
                )
                await asyncio.sleep(wait)
                if exc.retry_after is None:
                    pause *= 2
                continue
            except _Permanent as exc:
                if exc.retry_later:
                    log.warning("send to chat %s refused: %s", out.chat_id, exc.reason)
                    if outbox:
                        await self._enqueue(out, exc.reason, delay=3600)
                else:
                    log.error("send to chat %s refused, message dropped: %s", out.chat_id, exc.reason)
                return None
            await self._after_sent(out, msg)
            return msg
        return None  # pragma: no cover - the loop always returns

    async def _attempt(self, out: Outgoing) -> Sent:
        """One delivery (two if Telegram refuses our markup or the replied-to message is gone)."""
        await self.limiter.acquire()
        try:
            return await self._call(out)
        except BadRequest as exc:
            text = str(exc).lower()
            if "parse entities" in text and out.parse_mode:
                log.error("HTML refused by Telegram for chat %s: %s; sending as plain text", out.chat_id, exc)
                out.text, out.parse_mode = plain(out.text), None
            elif "replied not found" in text and out.reply_to is not None:
                out.reply_to = None
            else:
                raise self._classify(exc) from None
            try:
                return await self._call(out)
            except TelegramError as again:
                raise self._classify(again) from None
        except TelegramError as exc:
            raise self._classify(exc) from None

    def _classify(self, exc: TelegramError) -> Exception:
        if isinstance(exc, RetryAfter):
            return _Transient("429 Too Many Requests", retry_after=retry_after_seconds(exc) + 0.1)
        if isinstance(exc, Forbidden):
            return _Permanent(f"Forbidden: {exc}", retry_later=True)
        if isinstance(exc, BadRequest):
            return _Permanent(f"BadRequest: {exc}", retry_later="chat not found" in str(exc).lower())
        if isinstance(exc, ChatMigrated):
            return _Permanent(f"chat migrated to {exc.new_chat_id}: update the configuration")
        # TimedOut, NetworkError (5xx, connection errors) and anything else from Telegram
        return _Transient(f"{type(exc).__name__}: {exc}")

    async def _call(self, out: Outgoing) -> Sent:
        result = await self.api.call(
            "sendMessage",
            out.params(),
            read_timeout=self.settings.read_timeout,
            connect_timeout=self.settings.connect_timeout,
        )
        return Sent(result["chat"]["id"], result["message_id"])

    async def _after_sent(self, out: Outgoing, msg: Sent) -> None:
        if not out.card:
            return
        try:
            await asyncio.to_thread(self.store.set_card, out.card, msg.chat_id, msg.message_id)
            if out.main_card:
                await asyncio.to_thread(
                    self.store.set_meta, f"card:{out.card}", f"{msg.chat_id}:{msg.message_id}"
                )
        except (StoreError, LookupError) as exc:
            log.error("card for %s not recorded: %s", out.card, exc)

    async def _enqueue(self, out: Outgoing, reason: str, delay: float | None = None) -> None:
        now = self.clock()
        payload = dataclasses.asdict(out)
        address = self.address(out.chat_id)
        try:
            item = await asyncio.to_thread(
                self.store.enqueue_outbox, address, payload, now, kind="raw", reference=out.card
            )
            if delay and item is not None:
                await asyncio.to_thread(self.store.mark_retry, item, now + timedelta(seconds=delay), reason)
        except StoreError as exc:
            log.error("message for chat %s LOST: outbox unavailable (%s)", out.chat_id, exc)
            return
        self.outbox.stalled.add(address)
        log.warning("message for chat %s kept in outbox #%s (%s)", out.chat_id, item, reason)

    # ------------------------------------------------------------------ outbox

    async def flush(self, *, everything: bool = False, addresses: Sequence[str] | None = None) -> int:
        """Send what the outbox holds that is due (for ``addresses`` only, if given;
        ``everything``, at start: also what is leased or due soon). Returns how many items
        were delivered."""
        return await self.outbox.drain(addresses, start=everything)

    def flush_soon(self, addresses: Sequence[str]) -> None:
        """Send what the outbox holds for ``addresses`` without the caller waiting: a turn that
        owes the staff group a card must not hold up the resident's chat while the group's
        backlog goes out (under load, seconds: the chat's next message waits for its handler).
        One flush per address at a time (many turns owe the staff group at once): a running
        one goes round again for what was added meanwhile. What is not sent (a stop, a
        failure) stays in the outbox for the retry job."""
        for address in addresses:
            if address in self._flushing:
                self._again.add(address)
                continue
            task = asyncio.get_running_loop().create_task(self._flush_address(address), name="owed")
            self._flushing[address] = task

    async def _flush_address(self, address: str) -> None:
        try:
            while True:
                self._again.discard(address)
                await self.flush(addresses=[address])
                if address not in self._again:
                    return
        finally:
            self._flushing.pop(address, None)

    async def settle(self, timeout: float = 5.0) -> None:
        """Wait (a while) for the background flushes: at shutdown, nothing is cut off half-way."""
        if self._flushing:
            await asyncio.wait(set(self._flushing.values()), timeout=timeout)

    # ------------------------------------------------------------------ edits and callbacks

    async def edit(
        self, chat_id: int, message_id: int, text: str, buttons: Sequence[tuple[str, str]] = ()
    ) -> bool:
        """Best-effort edit of one of our messages (a card); ``text`` is our own HTML."""
        rows = layout([(label, await self.compose.callback_data(data)) for label, data in buttons])
        markup = (
            InlineKeyboardMarkup(
                [[InlineKeyboardButton(lbl, callback_data=d) for lbl, d in row] for row in rows]
            )
            if rows
            else None
        )
        for _ in range(2):
            await self.limiter.acquire()
            try:
                await self.bot.edit_message_text(
                    text,
                    chat_id=chat_id,
                    message_id=message_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                )
                return True
            except RetryAfter as exc:
                wait = retry_after_seconds(exc)
                if wait > self.settings.max_inline_wait:
                    break
                await asyncio.sleep(wait + 0.1)
            except BadRequest as exc:
                if "not modified" in str(exc).lower():
                    return True
                log.warning("edit of %s/%s refused: %s", chat_id, message_id, exc)
                return False
            except TelegramError as exc:
                log.warning("edit of %s/%s failed: %s", chat_id, message_id, exc)
                await asyncio.sleep(self.settings.send_backoff)
        return False

    async def answer(self, query: CallbackQuery, text: str | None = None, *, alert: bool = False) -> None:
        """Answer a callback query; an old or already answered query is not an error."""
        params: dict[str, Any] = {"callback_query_id": query.id}
        if text:
            params["text"] = text
        if alert:
            params["show_alert"] = True
        try:
            await self.api.call("answerCallbackQuery", params)
        except TelegramError as exc:
            log.info("callback answer failed: %s", exc)
