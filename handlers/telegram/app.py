"""The python-telegram-bot Application: handlers, per-chat ordering, jobs, polling / webhook.

``build_application(settings, knowledge, store)`` wires everything; ``run(settings)`` is
``citizen-bot run``. Updates are processed concurrently across chats but strictly one after
another within a chat (``ChatSequentialProcessor``): PTB's ``concurrent_updates=True`` would let
two messages of one resident race through the dialog. Every update is processed once
(``handlers.telegram.handled``), even when Telegram delivers it again after a restart.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import secrets
import sys
import threading
from collections.abc import Awaitable, Callable, Hashable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import Settings
from bot.dialog import LOCAL_TZ, Engine
from bot.knowledge import BUNDLED_KNOWLEDGE, Knowledge
from bot.messages import Catalogue, catalogue_of
from bot.store import Store, StoreError, StoreUnavailable
from handlers.telegram import admin, console_command, jobs, resident, staff
from handlers.telegram.common import Services, describe, safe_traceback, services
from handlers.telegram.deliver import TelegramDeliverer
from handlers.telegram.handled import HandledUpdates
from handlers.telegram.http import AiohttpRequest, BotApi
from handlers.telegram.send import Sender

log = logging.getLogger("handlers.telegram.app")

#: What we ask Telegram for (channel posts and member updates are not ours to answer).
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]


def resident_commands(msg: Catalogue) -> list[BotCommand]:
    """The "/" menu of private chats."""
    return [
        BotCommand("start", msg.text("telegram.cmd_start")),
        BotCommand("help", msg.text("telegram.cmd_help")),
        BotCommand("cancel", msg.text("telegram.cmd_cancel")),
        BotCommand("status", msg.text("telegram.cmd_status")),
        BotCommand("events", msg.text("telegram.cmd_events")),
        BotCommand("mydata", msg.text("telegram.cmd_mydata")),
        BotCommand("forget", msg.text("telegram.cmd_forget")),
    ]


def staff_group_commands(msg: Catalogue) -> list[BotCommand]:
    """The "/" menu of the staff group: every staff and admin command, /help last."""
    return [
        BotCommand("queue", msg.text("telegram.staff_cmd_queue")),
        BotCommand("claim", msg.text("telegram.staff_cmd_claim")),
        BotCommand("reply", msg.text("telegram.staff_cmd_reply")),
        BotCommand("close", msg.text("telegram.staff_cmd_close")),
        BotCommand("correct", msg.text("telegram.staff_cmd_correct")),
        BotCommand("corrected", msg.text("telegram.staff_cmd_corrected")),
        BotCommand("applicant", msg.text("telegram.staff_cmd_applicant")),
        BotCommand("extend", msg.text("telegram.staff_cmd_extend")),
        BotCommand("note", msg.text("telegram.staff_cmd_note")),
        BotCommand("detail", msg.text("telegram.staff_cmd_detail")),
        BotCommand("warn", msg.text("telegram.staff_cmd_warn")),
        BotCommand("stats", msg.text("telegram.staff_cmd_stats")),
        BotCommand("reload", msg.text("telegram.staff_cmd_reload")),
        BotCommand("help", msg.text("telegram.staff_cmd_help")),
    ]


# --------------------------------------------------------------------------- per-chat order


class ChatSequentialProcessor(BaseUpdateProcessor):
    """Concurrent across chats, one at a time within a chat, at most ``limit`` at once.

    PTB's own semaphore is left wide open so updates reach ``do_process_update`` in the order
    they arrived (the Application starts one task per update, in order); each update then waits
    for the previous update of its chat before taking one of ``limit`` work slots. A chat's
    waiting updates hold no slot, so one busy chat cannot starve the others.
    """

    PTB_GATE = 4096

    def __init__(self, limit: int = 24) -> None:
        super().__init__(max_concurrent_updates=self.PTB_GATE)
        self.limit = max(1, limit)
        self._tails: dict[Hashable, asyncio.Future[None]] = {}
        self._work: asyncio.Semaphore | None = None

    async def initialize(self) -> None:
        self._work = asyncio.Semaphore(self.limit)

    async def shutdown(self) -> None:
        self._tails.clear()

    @staticmethod
    def key(update: object) -> Hashable | None:
        if isinstance(update, Update):
            if update.effective_chat is not None:
                return ("chat", update.effective_chat.id)
            if update.effective_user is not None:
                return ("user", update.effective_user.id)
        return None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if self._work is None:
            self._work = asyncio.Semaphore(self.limit)
        key = self.key(update)
        if key is None:
            async with self._work:
                await coroutine
            return
        previous = self._tails.get(key)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[key] = done
        started = False

        def release(_: object = None) -> None:
            if not done.done():
                done.set_result(None)
            if self._tails.get(key) is done:
                del self._tails[key]

        try:
            if previous is not None and not previous.done():
                await asyncio.shield(previous)
            async with self._work:
                started = True
                await coroutine
        finally:
            if not started and hasattr(coroutine, "close"):
                coroutine.close()  # cancelled while waiting (shutdown): never ran
            if previous is not None and not previous.done():
                previous.add_done_callback(release)  # keep the chain: never overtake a predecessor
            else:
                release()


# --------------------------------------------------------------------------- handlers


def update_key(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The engine's turn key for an update (the same key ``HandledUpdates`` records)."""
    return f"{context.bot.id}:{update.update_id}"


def handled_updates(context: ContextTypes.DEFAULT_TYPE) -> HandledUpdates:
    """The Application's record of handled updates (made on first use: it needs the bot's id)."""
    data = context.application.bot_data
    handled = data.get("handled")
    if handled is None:
        handled = data["handled"] = HandledUpdates(services(context).store, f"{context.bot.id}:")
    return handled


async def dedup(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Group -1: an update already handled (redelivered after a restart) stops here. An update
    is recorded as handled only after its handlers ran (`mark_handled`); one interrupted by a
    crash comes back and the engine replays that turn's recorded outcome (its turn key)."""
    svc = services(context)
    resident.CURRENT_UPDATE.set(update_key(update, context))
    try:
        seen = await handled_updates(context).done(update.update_id)
    except StoreError as exc:
        # the update is still handled: the engine keeps the resident's progress and asks them
        # to retry; staff hear about a database that takes no writes (once, not per update)
        log.warning("duplicate check unavailable (%s): %s", describe(update), exc)
        if isinstance(exc, StoreUnavailable):
            await svc.store_failed(exc)
        return
    if seen:
        log.info("duplicate update skipped (%s)", describe(update))
        raise ApplicationHandlerStop


async def mark_handled(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Last group: the update was handled (replies sent or queued in the outbox)."""
    svc = services(context)
    try:
        await handled_updates(context).mark(update.update_id)
    except StoreError as exc:
        # residents were already told to retry by the engine; staff hear about a database that
        # takes no writes (once, not per update)
        log.warning("could not record a handled update (%s): %s", describe(update), exc)
        if isinstance(exc, StoreUnavailable):
            await svc.store_failed(exc)
        return
    await svc.store_ok()


async def on_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    query = update.callback_query
    try:
        data = await svc.sender.compose.resolve_payload(query.data or "")
        if not data:
            await svc.sender.answer(query, catalogue_of(svc.engine.knowledge).text("telegram.button_expired"))
            return
        if data.startswith("s:"):
            await staff.on_staff_button(update, context, data)
            return
        chat = update.effective_chat
        if chat is not None and chat.type != "private":
            await svc.sender.answer(
                query, catalogue_of(svc.engine.knowledge).text("telegram.buttons_private")
            )
            return
        await resident.on_resident_button(update, context, data)
    except Exception as exc:
        log.error("button failed (%s): %s", describe(update), safe_traceback(exc))
        await svc.sender.answer(query, catalogue_of(svc.engine.knowledge).text("system.apology"))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Last resort (handlers catch their own errors): log ids and a scrubbed traceback only."""
    error = context.error
    if error is None:
        return
    log.error("unhandled error (%s): %s", describe(update), safe_traceback(error))


def add_handlers(app: Application, settings: Settings) -> None:
    message = filters.UpdateType.MESSAGE
    private = filters.ChatType.PRIVATE
    staff_chat = filters.Chat(chat_id=settings.staff_chat_id)

    app.add_handler(TypeHandler(Update, dedup), group=-1)
    app.add_handler(TypeHandler(Update, mark_handled), group=99)
    app.add_handler(CommandHandler(list(staff.STAFF_COMMANDS), staff.on_command, filters=message))
    app.add_handler(CommandHandler(list(admin.ADMIN_COMMANDS), admin.on_command, filters=message))
    app.add_handler(CommandHandler("console", console_command.cmd_console, filters=message))
    app.add_handler(CommandHandler(["start", "menu"], resident.cmd_start, filters=message))
    app.add_handler(CommandHandler("help", resident.cmd_help, filters=message))
    app.add_handler(CommandHandler("cancel", resident.cmd_cancel, filters=message))
    app.add_handler(CommandHandler("status", resident.cmd_status, filters=message))
    app.add_handler(CommandHandler("events", resident.cmd_events, filters=message))
    app.add_handler(CommandHandler("mydata", resident.cmd_mydata, filters=message))
    app.add_handler(CommandHandler("forget", resident.cmd_forget, filters=message))
    app.add_handler(CallbackQueryHandler(on_callback))
    app.add_handler(
        MessageHandler(
            message & staff_chat & filters.REPLY & filters.TEXT & ~filters.COMMAND, staff.on_group_reply
        )
    )
    app.add_handler(MessageHandler(message & private & filters.TEXT & ~filters.COMMAND, resident.on_text))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & private, resident.on_edited))
    app.add_handler(MessageHandler(message & private & filters.COMMAND, resident.on_unknown_command))
    app.add_handler(MessageHandler(message & private & ~filters.TEXT, resident.on_media))
    # Anything else (channel posts, other groups' chatter, service messages) is ignored.
    app.add_error_handler(on_error)


# --------------------------------------------------------------------------- building


def _wall_clock() -> datetime:
    return datetime.now(LOCAL_TZ)


async def _post_init(app: Application) -> None:
    svc: Services = app.bot_data["svc"]
    try:
        msg = catalogue_of(svc.engine.knowledge)
        await app.bot.set_my_commands(resident_commands(msg), scope=BotCommandScopeDefault())
        await app.bot.set_my_commands(
            staff_group_commands(msg), scope=BotCommandScopeChat(svc.settings.staff_chat_id)
        )
    except TelegramError as exc:
        log.warning("command menus not set: %s", exc)
    try:
        await app.bot.get_chat(svc.settings.staff_chat_id)
    except TelegramError as exc:
        log.error(
            "the staff group %s is not reachable (%s): add the bot to the group and check "
            "CITIZEN_BOT_STAFF_CHAT_ID",
            svc.settings.staff_chat_id,
            exc,
        )
    await svc.call(owe_missing_cards, svc)
    # before new updates: what was owed when the last process stopped (or died) goes first
    await svc.sender.flush(everything=True)
    jobs.register_jobs(app, svc)
    beside = app.bot_data.get("web")
    if beside is not None:  # the web chat and console on PTB's running loop (issue 13)
        await beside.start()


async def _post_stop(app: Application) -> None:
    """The web chat stops with the bot, while the store and the Bot API client are still open;
    background flushes finish first (what they do not send stays in the outbox)."""
    svc = app.bot_data.get("svc")
    if svc is not None:
        await svc.sender.settle()
    beside = app.bot_data.get("web")
    if beside is not None:
        await beside.stop()


def owe_missing_cards(svc: Services) -> int:
    """Open requests the staff desk has no card for and none owed (filed before the outbox
    existed, or by a channel without a desk): owe one now. Returns how many."""
    with svc.store.transaction():
        rows = svc.store.requests_without_card()
        for ref in rows:
            svc.owe("staff", "card", {"reference": ref}, reference=ref, dedup_key=f"card:{ref}")
    return len(rows)


def build_application(
    settings: Settings,
    knowledge: Knowledge,
    store: Store,
    *,
    clock: Callable[[], datetime] | None = None,
    engine: Engine | None = None,
    knowledge_dir: Any = None,
) -> Application:
    """The whole Telegram channel as one PTB Application (not started).

    ``clock`` is the engine's and the desk's idea of "now" (tests pin it); the outbox always
    runs on wall-clock time.
    """
    clock = clock or _wall_clock
    engine = engine or Engine(knowledge, store, clock=clock)
    request = AiohttpRequest(
        connection_pool_size=max(8, settings.max_concurrent * 2),
        read_timeout=settings.read_timeout,
        connect_timeout=settings.connect_timeout,
    )
    builder: ApplicationBuilder = (
        Application.builder()
        .token(settings.token)
        .concurrent_updates(ChatSequentialProcessor(settings.max_concurrent))
        .request(request)
        .get_updates_request(
            AiohttpRequest(
                connection_pool_size=1,
                read_timeout=settings.read_timeout,
                connect_timeout=settings.connect_timeout,
            )
        )
        .post_init(_post_init)
        .post_stop(_post_stop)
    )
    if settings.base_url:
        builder = builder.base_url(settings.base_url).base_file_url(
            settings.base_file_url or settings.base_url
        )
    app = builder.build()
    svc = Services(
        settings=settings,
        engine=engine,
        store=store,
        clock=clock,
        knowledge_dir=knowledge_dir or settings.knowledge or knowledge.root or BUNDLED_KNOWLEDGE,
    )
    svc.sender = Sender(
        app.bot,
        store,
        settings,
        _wall_clock,
        api=BotApi(request, app.bot.base_url),
        messages=lambda: catalogue_of(engine.knowledge),
    )
    # One outbox for the engine (which writes items for served addresses) and this channel
    # (which delivers them): Telegram serves private chats (tg:<chat>) and the staff desk.
    outbox = engine.outbox
    outbox.retry_interval = settings.outbox_interval
    svc.sender.outbox = outbox
    deliverer = TelegramDeliverer(svc)
    outbox.register("tg:", deliverer)
    outbox.register("staff", deliverer)
    # staff replies and status notices to residents of the web chat (issue 13) land in their
    # web history on this same database; their open pages show them live
    from handlers.web.history import WEB_PREFIX, WebDeliverer

    outbox.register(WEB_PREFIX, WebDeliverer(store))
    if settings.web_port is not None:
        # `run --web-port`: the web chat and the console in this process, on this engine, store
        # and outbox: a web turn's staff card goes out at once, its receipt lands in the history
        from handlers.web.server import WebBeside

        app.bot_data["web"] = WebBeside.build(
            engine, store, settings, knowledge_dir=svc.knowledge_dir, clock=clock
        )
    app.bot_data["svc"] = svc
    add_handlers(app, settings)
    return app


# --------------------------------------------------------------------------- running


def warm_up(app: Application) -> None:
    """Before the first update: load the matcher and its dictionaries, then take everything
    loaded so far out of the garbage collector's full scans (``gc.freeze``).

    Why: the knowledge, jieba's dictionary and the matcher's index are a few million objects
    that live as long as the process. Every full collection walked them all, a pause of about
    80 ms in the middle of answering residents (bench/e2e.py: the slowest replies all fell in
    one such pause). Frozen, they are still freed normally when no longer referenced; only the
    cycle collector skips them. Objects of a later /reload are not frozen (one pause per reload).
    """
    app.bot_data["svc"].engine.warm_up()
    gc.collect()
    gc.freeze()


def run(settings: Settings) -> int:
    """``citizen-bot run``: long polling, or a webhook when ``settings.webhook_url`` is set."""
    from bot import logfilter
    from bot.knowledge import KnowledgeError, load_knowledge
    from bot.startup import STORE_EXIT, open_store, say

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logfilter.install()  # personal data and the bot token never reach a log, whatever the level
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)

    if settings.webhook:
        try:
            import tornado  # noqa: F401
        except ImportError:
            print(
                "Webhook mode needs python-telegram-bot[webhooks] (tornado), which is not installed; "
                "run without --webhook-url for long polling.",
                file=sys.stderr,
            )
            return 2
    knowledge_dir = settings.knowledge or BUNDLED_KNOWLEDGE
    try:
        knowledge = load_knowledge(knowledge_dir)
    except KnowledgeError as exc:
        print(say("admin.knowledge_errors"), file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    store = open_store(settings.db)
    if store is None:
        return STORE_EXIT
    try:
        app = build_application(settings, knowledge, store, knowledge_dir=knowledge_dir)
        # Warm up while PTB connects (getMe, deleteWebhook, the first getUpdates): a restart
        # answers as soon as both are done, and a turn that needs the matcher before it is
        # built simply waits for it (bench/startup.py).
        threading.Thread(target=warm_up, args=(app,), name="warm-up", daemon=True).start()
        log.info("starting (%s, db=%s)", "webhook" if settings.webhook else "long polling", store.path)
        if settings.web_port is not None:
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)  # URLs only, but noisy
        if settings.webhook:
            url = str(settings.webhook_url)
            app.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=urlsplit(url).path.lstrip("/"),
                webhook_url=url,
                secret_token=settings.webhook_secret or secrets.token_urlsafe(32),
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            app.run_polling(allowed_updates=ALLOWED_UPDATES, poll_interval=settings.poll_interval)
    finally:
        store.close()
    return 0
