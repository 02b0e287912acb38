"""The web chat: an aiohttp application serving the page, its assets and a small JSON API around
the same ``bot.dialog.Engine`` and store as the Telegram channel.

Routes::

    GET  /                 the chat page (sets the resident cookie if there is none)
    GET  /static/{file}    page CSS/JS (shipped in the package; no CDN)
    GET  /widget.js        the portal's one-line embed (opens the page as an overlay iframe)
    GET  /api/history      the resident's history (?after=ID): JSON
    POST /api/message      {"text": ...} | {"payload": ..., "label": ...} | {"start": true}
    GET  /api/events       Server-Sent Events: new history rows (staff replies, notifications)
    GET  /healthz          "ok"

A turn: the engine's replies (text + buttons) become history rows ("bot"), the resident's own
message a row ("resident", scrubbed); the POST answers with the new rows and the live stream
carries them too (the page shows each id once). What the turn owes staff (cards, relayed
messages) is written to the outbox in the turn's transaction (``bot.outbox``). Every POST must
carry our Origin and a cookie we issued; bodies, texts and rates are limited; every response
carries the security headers (``security.Policy``).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.dialog import Engine, Outcome
from bot.knowledge import Knowledge
from bot.messages import Catalogue, catalogue_of
from bot.sanitize import clean_text, has_visible
from bot.store import LOCAL_TZ, Store, StoreError, StoreUnavailable
from handlers.flood import FloodGuard, Verdict
from handlers.web.history import (
    WEB_PREFIX,
    DeliveredByTelegram,
    NewMessage,
    WebDeliverer,
    WebLog,
    WebMessage,
    web_key,
)
from handlers.web.live import Hub
from handlers.web.page import render_page, render_widget
from handlers.web.security import COOKIE, Identity, Policy, load_secret, set_cookie

log = logging.getLogger("handlers.web")

#: Characters per resident message (a form's longest field is 1,000; Telegram allows 4,096).
MAX_TEXT = 2000
MAX_PAYLOAD = 200
MAX_LABEL = 100
#: Request body limit (JSON with the longest message fits with room to spare).
MAX_BODY = 16 * 1024


@dataclass
class WebConfig:
    """What ``citizen-bot web`` takes from the command line (tests set the limits)."""

    policy: Policy = field(default_factory=Policy)
    #: Per session: messages (burst, per second); button presses get twice as much.
    session_burst: int = 10
    session_rate: float = 1.0
    #: Per client address (many residents may share one NAT address).
    ip_burst: int = 120
    ip_rate: float = 20.0
    #: Live-stream poll interval (seconds) and keep-alive comment interval.
    poll_interval: float = 0.25
    keepalive: float = 15.0
    streams_per_session: int = 4
    max_streams: int = 2000
    #: Web history older than this is deleted (hourly).
    history_days: int = 180


STATIC = resources.files("handlers.web") / "static"
_CONTENT_TYPES = {".css": "text/css", ".js": "text/javascript", ".html": "text/html", ".svg": "image/svg+xml"}


def _asset(name: str) -> bytes:
    return (STATIC / name).read_bytes()


_dumps = functools.partial(json.dumps, ensure_ascii=False)


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=_dumps)


def _error(status: int, text: str, **extra: Any) -> web.Response:
    return _json({"error": text, **extra}, status=status)


class WebChat:
    """The state of one running web channel (kept in ``app[CHAT]``)."""

    def __init__(
        self,
        engine: Engine,
        store: Store,
        config: WebConfig,
        *,
        clock: Callable[[], datetime] | None = None,
        weblog: WebLog | None = None,
    ) -> None:
        self.engine = engine
        self.store = store
        self.config = config
        self.clock = clock or (lambda: datetime.now(LOCAL_TZ))
        self.weblog = weblog or WebLog.on_store(store)
        self.identity = Identity(load_secret(store))
        self.hub = Hub(self.weblog, config.poll_interval)
        # The outbox (bot.outbox): what a web turn owes staff is written in the turn's transaction
        # and delivered by the Telegram process; what anyone owes a web resident lands in the
        # history through WebDeliverer (in whichever process owes it). Inside `citizen-bot run
        # --web-port` this process delivers to staff itself, right after the turn.
        self.delivers_staff = engine.outbox.serves("staff")
        self._drains: set[asyncio.Task[int]] = set()
        if not engine.outbox.serves("staff"):
            engine.outbox.register("staff", DeliveredByTelegram())
        if not engine.outbox.serves(WEB_PREFIX):
            engine.outbox.register(WEB_PREFIX, WebDeliverer(self.weblog))
        self.session_guard = FloodGuard(config.session_burst, config.session_rate)
        self.button_guard = FloodGuard(config.session_burst * 2, config.session_rate * 2)
        self.ip_guard = FloodGuard(config.ip_burst, config.ip_rate)
        self._assets = {name: _asset(name) for name in ("index.html", "chat.css", "chat.js", "widget.js")}
        self._page: tuple[Catalogue, bytes] | None = None
        self._widget: tuple[Catalogue, bytes] | None = None

    def deliver_soon(self, addresses: list[str]) -> None:
        """Drain what a turn owed others (the staff card) without keeping the resident waiting;
        what fails stays in the outbox for the channel's retry job."""
        task = asyncio.get_running_loop().create_task(
            self.engine.outbox.drain(addresses=addresses), name="web-owed"
        )
        self._drains.add(task)
        task.add_done_callback(self._drains.discard)

    async def settle(self) -> None:
        """Wait for the background drains (shutdown: nothing is cut off half-way)."""
        if self._drains:
            await asyncio.gather(*self._drains, return_exceptions=True)

    def page_html(self) -> bytes:
        """The chat page in the running catalogue's words (rendered again after a /reload)."""
        msgs = self.msg
        if self._page is None or self._page[0] is not msgs:
            self._page = (msgs, render_page(self._assets["index.html"].decode("utf-8"), msgs))
        return self._page[1]

    def widget_js(self) -> bytes:
        """The portal's embed script, its button labelled in the running catalogue's words."""
        msgs = self.msg
        if self._widget is None or self._widget[0] is not msgs:
            self._widget = (msgs, render_widget(self._assets["widget.js"].decode("utf-8"), msgs))
        return self._widget[1]

    @property
    def msg(self) -> Catalogue:
        """The running catalogue (a /reload in this process swaps it with the knowledge)."""
        return catalogue_of(self.engine.knowledge)

    # ------------------------------------------------------------------ identity

    def resident(self, request: web.Request) -> str | None:
        key = self.identity.verify(request.cookies.get(COOKIE))
        return web_key(key) if key else None

    # ------------------------------------------------------------------ one turn (worker thread)

    def turn(
        self, resident: str, text: str | None, payload: str | None, label: str | None
    ) -> tuple[list[WebMessage], Outcome]:
        """Engine turn + history rows, in a worker thread: the rows added and the outcome (for
        its staff events)."""
        if text is None and payload is None:
            outcome = self.engine.start(resident)
            shown = None
        else:
            outcome = self.engine.handle(resident, text, payload)
            shown = text if text is not None else label
        rows: list[NewMessage] = []
        if shown:  # as others may see it: a form answer masked for its field (an address too)
            kept = outcome.kept_input if text is not None and outcome.kept_input is not None else shown
            rows.append(NewMessage("resident", kept))
        # The history outlives the conversation (a shared computer, a reload next week): it keeps
        # what anyone may see (Reply.kept: the summary masked); this response, which only the
        # resident's own browser receives, shows their data in full so they can check it.
        shown_replies = [r for r in outcome.replies if not r.owed]  # owed: WebDeliverer appends them
        rows += [
            NewMessage("bot", r.kept, tuple((b.label, b.payload) for b in r.buttons), r.entry_id)
            for r in shown_replies
        ]
        if outcome.forgotten:  # 删除我的数据 ran: the web history goes too
            self.weblog.forget(resident)
            rows = [r for r in rows if r.role == "bot"]
        stored = self.weblog.append(resident, rows, self.clock())
        full = iter(r.text for r in shown_replies)
        shown_back = [
            dataclasses.replace(m, text=next(full))
            if m.role == "bot"
            else dataclasses.replace(m, text=shown or m.text)
            for m in stored
        ]
        return shown_back, outcome

    def rate(self, resident: str, payload: str) -> bool:
        """A 有用/没用 vote (``rate:up:<entry>``), one per resident and answer."""
        parts = payload.split(":", 2)
        if len(parts) != 3 or parts[1] not in ("up", "down") or self.engine.knowledge.get(parts[2]) is None:
            return False
        return self.store.add_rating(parts[2], resident, parts[1], self.clock())


CHAT: web.AppKey[WebChat] = web.AppKey("chat", WebChat)
PRUNER: web.AppKey[asyncio.Task[None]] = web.AppKey("pruner", asyncio.Task)


# --------------------------------------------------------------------------- middleware


@web.middleware
async def headers_middleware(request: web.Request, handler: Callable[..., Any]) -> web.StreamResponse:
    chat: WebChat = request.app[CHAT]
    try:
        response = await handler(request)
    except web.HTTPRequestEntityTooLarge:
        response = _error(413, chat.msg.text("web.err_too_big"))
    except web.HTTPNotFound:
        response = _error(404, chat.msg.text("web.err_not_found"))
    except web.HTTPMethodNotAllowed as exc:
        response = _error(405, chat.msg.text("web.err_method"))
        response.headers["Allow"] = ",".join(sorted(exc.allowed_methods))
    except web.HTTPException:
        raise
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        from handlers.telegram.common import safe_traceback

        log.error("web request failed (%s %s): %s", request.method, request.path, safe_traceback(exc))
        response = _error(500, chat.msg.text("system.apology"))
    if not response.prepared:
        for name, value in chat.config.policy.headers().items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Cache-Control", "no-store")
    return response


# --------------------------------------------------------------------------- routes


def _with_cookie(chat: WebChat, request: web.Request, response: web.StreamResponse) -> str:
    """The resident of this request, issuing a new cookie when it has none we signed."""
    resident = chat.resident(request)
    if resident is None:
        key, value = chat.identity.issue()
        set_cookie(response, value, secure=chat.config.policy.secure(request))
        resident = web_key(key)
    return resident


async def page(request: web.Request) -> web.Response:
    chat: WebChat = request.app[CHAT]
    response = web.Response(body=chat.page_html(), content_type="text/html", charset="utf-8")
    _with_cookie(chat, request, response)
    return response


async def asset(request: web.Request) -> web.Response:
    chat: WebChat = request.app[CHAT]
    name = request.match_info["name"]
    if name not in ("chat.css", "chat.js"):
        raise web.HTTPNotFound()
    response = web.Response(body=chat._assets[name], content_type=_CONTENT_TYPES[Path(name).suffix])
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


async def widget(request: web.Request) -> web.Response:
    chat: WebChat = request.app[CHAT]
    response = web.Response(body=chat.widget_js(), content_type="text/javascript")
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"  # loaded by the portal's pages
    return response


async def healthz(request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def history(request: web.Request) -> web.Response:
    chat: WebChat = request.app[CHAT]
    try:
        after = max(0, int(request.query.get("after", "0")))
    except ValueError:
        return _error(400, chat.msg.text("web.err_body"))
    resident = chat.resident(request)
    if resident is None:  # a new browser (or a forged cookie): a fresh, empty history
        response = _json({"messages": [], "new": True})
        _with_cookie(chat, request, response)
        return response
    try:
        rows = await asyncio.to_thread(chat.weblog.history, resident, after)
    except StoreUnavailable as exc:
        return _error(503, exc.user_message)
    return _json({"messages": [r.to_json() for r in rows], "new": False})


async def _read_json(request: web.Request) -> dict[str, Any] | None:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=request.content_length)
    raw = await request.read()  # client_max_size also stops chunked bodies
    try:
        data = json.loads(raw.decode("utf-8", errors="surrogateescape") if raw else "")
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


async def message(request: web.Request) -> web.Response:
    chat: WebChat = request.app[CHAT]
    policy = chat.config.policy
    if not policy.origin_ok(request):
        log.info("web POST refused: foreign or missing Origin")
        return _error(403, chat.msg.text("web.err_origin"))
    resident = chat.resident(request)
    if resident is None:
        return _error(401, chat.msg.text("web.err_cookie"))
    if chat.ip_guard.check(policy.client(request)) is not Verdict.ALLOW:
        return _error(429, chat.msg.text("telegram.flood"))
    data = await _read_json(request)
    if data is None:
        return _error(400, chat.msg.text("web.err_body"))
    text = data.get("text")
    payload = data.get("payload")
    label = data.get("label")
    start = data.get("start") is True
    if sum(x is not None for x in (text, payload)) + start != 1:
        return _error(400, chat.msg.text("web.err_body"))
    if text is not None:
        if not isinstance(text, str):
            return _error(400, chat.msg.text("web.err_body"))
        text = clean_text(text).strip()
        if len(text) > MAX_TEXT:
            return _error(413, chat.msg.text("web.err_long", max=MAX_TEXT))
        if not text or not has_visible(text):
            return _error(400, chat.msg.text("web.err_empty"))
        guard = chat.session_guard
    else:
        bad = payload is not None and (not isinstance(payload, str) or not 0 < len(payload) <= MAX_PAYLOAD)
        if bad:
            return _error(400, chat.msg.text("web.err_body"))
        if label is not None and not isinstance(label, str):
            return _error(400, chat.msg.text("web.err_body"))
        label = clean_text(label or "")[:MAX_LABEL] or None
        guard = chat.button_guard
    if guard.check(resident) is not Verdict.ALLOW:
        return _error(429, chat.msg.text("telegram.flood"))
    if payload is not None and payload.startswith("rate:"):
        try:
            await asyncio.to_thread(chat.rate, resident, payload)
        except StoreError as exc:
            log.warning("web rating not stored: %s", exc)
        return _json({"messages": [], "notice": chat.msg.text("dialog.thanks_for_rating")})
    try:
        before = await asyncio.to_thread(chat.weblog.last_id)
        rows, outcome = await asyncio.to_thread(chat.turn, resident, text, payload, label)
    except StoreUnavailable as exc:
        return _error(503, exc.user_message)
    mine = [a for a in outcome.owed if a == resident]
    if mine:  # the receipt: delivered from the outbox into the history, then read back in order
        await chat.engine.outbox.drain(addresses=mine)
        rows = await asyncio.to_thread(chat.weblog.history, resident, before)
    others = [a for a in outcome.owed if a != resident]
    if others and chat.delivers_staff:  # one process with Telegram: the card goes out now
        chat.deliver_soon(others)
    # no hub.wake(): this page has the rows in the response; the resident's other open pages
    # get them at the next poll (a wake per message would cost a query per message)
    return _json({"messages": [r.to_json() for r in rows]})


async def events(request: web.Request) -> web.StreamResponse:
    """Server-Sent Events: rows after ``Last-Event-ID`` (or ?after), then live rows."""
    chat: WebChat = request.app[CHAT]
    resident = chat.resident(request)
    if resident is None:
        return _error(401, chat.msg.text("web.err_cookie"))
    hub, config = chat.hub, chat.config
    if hub.streams(resident) >= config.streams_per_session or hub.total >= config.max_streams:
        return _error(429, chat.msg.text("web.err_streams"))
    try:
        after = max(0, int(request.headers.get("Last-Event-ID") or request.query.get("after", "0")))
    except ValueError:
        after = 0
    queue = chat.hub.subscribe(resident)
    try:
        backlog = await asyncio.to_thread(chat.weblog.history, resident, after)
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "X-Accel-Buffering": "no"}  # nginx: no buffering
        )
        for name, value in chat.config.policy.headers().items():
            response.headers.setdefault(name, value)
        response.headers["Cache-Control"] = "no-store"
        await response.prepare(request)
        await response.write(b"retry: 2000\n\n")
        last = after
        for row in backlog:
            await _send_event(response, row)
            last = row.id
        while True:
            try:
                row = await asyncio.wait_for(queue.get(), chat.config.keepalive)
            except TimeoutError:
                await response.write(b": keep-alive\n\n")
                continue
            if row is None:  # the server is shutting down
                break
            if row.id <= last:
                continue
            await _send_event(response, row)
            last = row.id
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    except StoreUnavailable as exc:
        return _error(503, exc.user_message)
    finally:
        chat.hub.unsubscribe(resident, queue)
    return response


async def _send_event(response: web.StreamResponse, row: WebMessage) -> None:
    data = json.dumps(row.to_json(), ensure_ascii=False)
    await response.write(f"id: {row.id}\nevent: message\ndata: {data}\n\n".encode())


# --------------------------------------------------------------------------- application


async def _prune_history(chat: WebChat) -> None:
    while True:
        try:
            cutoff = chat.clock() - timedelta(days=chat.config.history_days)
            await asyncio.to_thread(chat.weblog.prune, cutoff)
        except StoreError as exc:
            log.warning("web history not pruned: %s", exc)
        await asyncio.sleep(3600)


def build_app(
    knowledge: Knowledge | None = None,
    store: Store | None = None,
    config: WebConfig | None = None,
    *,
    engine: Engine | None = None,
    clock: Callable[[], datetime] | None = None,
) -> web.Application:
    """The web channel as an aiohttp Application (not started). Give ``engine`` to share the
    Telegram process's engine, or ``knowledge`` and ``store`` to make one."""
    if engine is None:
        if knowledge is None or store is None:
            raise ValueError("build_app needs an engine, or knowledge and a store")
        engine = Engine(knowledge, store, clock=clock)
    store = store or engine.store
    config = config or WebConfig()
    chat = WebChat(engine, store, config, clock=clock)
    app = web.Application(middlewares=[headers_middleware], client_max_size=MAX_BODY)
    app[CHAT] = chat
    app.router.add_get("/", page)
    app.router.add_get("/static/{name}", asset)
    app.router.add_get("/widget.js", widget)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/api/history", history)
    app.router.add_post("/api/message", message)
    app.router.add_get("/api/events", events)

    async def on_startup(app: web.Application) -> None:
        await chat.hub.start()
        app[PRUNER] = asyncio.create_task(_prune_history(chat), name="web-prune")

    async def on_cleanup(app: web.Application) -> None:
        await chat.settle()
        await chat.hub.stop()
        task = app.get(PRUNER)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app.on_startup.append(on_startup)

    async def on_shutdown(app: web.Application) -> None:
        chat.hub.close()

    app.on_shutdown.append(on_shutdown)
    app.on_cleanup.append(on_cleanup)
    return app
