"""The office's web console, mounted under ``/console/`` on an aiohttp application.

Why it looks like this:
- A sub-application (``setup_console`` adds it to the web chat's app, ``build_app`` makes a
  standalone one), so its middleware (security headers, error pages) and routes touch nothing
  else on the site.
- Server-rendered Jinja2 pages, no script at all: the CSP allows only our own stylesheet, no
  frames, and forms only to ourselves.
- Every page goes through ``guarded``: a live session (``bot.console_auth``), the role the page
  needs, the CSRF token on every POST (and a same-origin check), and a row in the audit log
  (``bot.audit``). Personal data is shown in full only when ``bot.desk.views.may_see_full``.
- Store calls are synchronous SQLite work and run in a worker thread.
- Round 2 adds desk actions (``desk_panel``), the annual report, knowledge editing and the review loop through
  ``Console.add_page`` (a guarded route plus a navigation entry) and ``Console.detail_panels``
  (extra sections on a request's page); see the README of this package in the report.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import jinja2
from aiohttp import web
from markupsafe import Markup

from bot import audit
from bot import console_auth as auth
from bot.console_auth import Role, RoleLists, Session
from bot.dialog import HANDOVER_KIND
from bot.messages import Catalogue, catalogue_of
from bot.store import LOCAL_TZ, Request, Store, StoreUnavailable
from bot.workdays import WorkCalendar
from handlers.console import queries

T = TypeVar("T")

HERE = Path(__file__).resolve().parent
COOKIE = "citizen_console"
COOKIE_PATH = "/console/"
PREFIX = "/console"

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # same-origin, not no-referrer: under no-referrer Chromium sends "Origin: null" with our own
    # form posts, which the same-origin check must refuse; other sites still get no referrer
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


@dataclass(frozen=True)
class NavItem:
    path: str
    title: str
    admin_only: bool = False


Handler = Callable[[web.Request, "Console", Session], Awaitable[web.StreamResponse]]
#: A section on a request's page (round 2: desk actions): gets the request, the viewer and
#: whether they see personal data in full; returns HTML or None.
DetailPanel = Callable[[Request, Session, bool], Markup | None]


@dataclass
class Console:
    """Everything the console's handlers share (one per mounted console)."""

    store: Store
    knowledge_getter: Callable[[], Any]
    roles: RoleLists
    clock: Callable[[], datetime]
    behind_tls: bool = False
    env: jinja2.Environment = field(init=False)
    nav: list[NavItem] = field(default_factory=list)
    detail_panels: list[DetailPanel] = field(default_factory=list)
    app: web.Application | None = None
    #: The knowledge directory the knowledge pages edit (default: the loaded knowledge's root).
    knowledge_dir: Path | None = None
    #: Puts freshly loaded knowledge into the running assistant (``Engine.swap_knowledge``);
    #: None: edits are saved and take effect at the next /reload or restart.
    swap_knowledge: Callable[[Any], None] | None = None
    #: The running assistant's outbox (``bot.outbox``): desk actions owe residents through it;
    #: None (a standalone console): items wait for the channel processes on the same database.
    outbox: Any = None

    def __post_init__(self) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(HERE / "templates")),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )

    # -- time and knowledge ---------------------------------------------------------

    def now(self) -> datetime:
        now = self.clock()
        return now.astimezone(LOCAL_TZ) if now.tzinfo else now.replace(tzinfo=LOCAL_TZ)

    def today(self) -> date:
        return self.now().date()

    def knowledge(self) -> Any:
        return self.knowledge_getter()

    def msg(self) -> Catalogue:
        """The office's wording (knowledge/messages/console.yaml), as currently loaded."""
        return catalogue_of(self.knowledge())

    def knowledge_root(self) -> Path:
        if self.knowledge_dir is not None:
            return Path(self.knowledge_dir)
        return Path(self.knowledge().root)

    async def reload(self) -> str:
        """Load the knowledge files again and swap them into the running assistant (as /reload
        does: validated first, the old knowledge stays on any problem); a Chinese summary."""
        from bot.knowledge import KnowledgeError, load_knowledge

        msg = self.msg()
        if self.swap_knowledge is None:
            return msg.text("console.saved_not_connected")
        try:
            knowledge = await self.call(load_knowledge, self.knowledge_root())
        except KnowledgeError as exc:
            return msg.text("console.saved_with_problems", count=len(exc.problems), first=exc.problems[0])
        await self.call(self.swap_knowledge, knowledge)
        return catalogue_of(knowledge).text(
            "console.reloaded", departments=len(knowledge.departments), entries=len(knowledge.entries())
        )

    def calendar(self) -> WorkCalendar:
        extras = getattr(self.knowledge(), "extras", None) or {}
        return extras.get("holidays") or WorkCalendar.empty()

    def services(self) -> list[str]:
        """Request kinds to filter by: each form's kind, then 咨询 (handovers)."""
        extras = getattr(self.knowledge(), "extras", None) or {}
        kinds = [form.kind for form in (extras.get("forms") or {}).values()]
        return list(dict.fromkeys([*kinds, HANDOVER_KIND]))

    def form_choices(self, key: str) -> list[str]:
        extras = getattr(self.knowledge(), "extras", None) or {}
        out: list[str] = []
        for form in (extras.get("forms") or {}).values():
            for f in form.fields:
                if f.key == key:
                    out += list(getattr(f, "choices", None) or [])
        return list(dict.fromkeys(out))

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.to_thread(fn, *args, **kwargs)

    # -- sessions ---------------------------------------------------------------------

    def secure(self, request: web.Request) -> bool:
        """Cookies get Secure behind TLS (a proxy ends it) or on a direct https connection."""
        return self.behind_tls or request.scheme == "https"

    def own_host(self, request: web.Request) -> str:
        if self.behind_tls:
            forwarded = request.headers.get("X-Forwarded-Host", "").split(",")[0].strip()
            if forwarded:
                return forwarded.lower()
        return request.host.lower()

    def same_origin(self, request: web.Request) -> bool:
        """A POST's Origin (browsers send it) must be this site; a missing Origin (old
        clients, tests) is left to the CSRF token."""
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        parts = urlsplit(origin.strip())
        return bool(parts.netloc) and parts.netloc.lower() == self.own_host(request)

    async def session_of(self, request: web.Request) -> Session | None:
        value = request.cookies.get(COOKIE)
        if not value:
            return None
        return await self.call(auth.load_session, self.store, value, self.roles, now=self.now())

    async def record(
        self, actor: str, action: str, *, role: str = "", reference: str | None = None, detail: str = ""
    ) -> None:
        await self.call(
            audit.record,
            self.store,
            actor,
            action,
            role=role,
            reference=reference,
            detail=detail,
            now=self.now(),
        )

    # -- rendering -----------------------------------------------------------------------

    def render(
        self, name: str, *, session: Session | None = None, status: int = 200, **context: Any
    ) -> web.Response:
        template = self.env.get_template(name)
        nav = [n for n in self.nav if session is not None and (session.is_admin or not n.admin_only)]
        text = template.render(session=session, nav=nav, prefix=PREFIX, **context)
        return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")

    def error(self, status: int, message: str, *, session: Session | None = None) -> web.Response:
        return self.render("error.html", session=session, status=status, message=message, code=status)

    # -- extension point -----------------------------------------------------------------

    def add_page(
        self,
        method: str,
        path: str,
        handler: Handler,
        *,
        role: Role = "staff",
        action: str | None = None,
        nav_title: str | None = None,
    ) -> None:
        """Add a guarded route under /console (round 2: desk actions, the annual report,
        knowledge editing, the review loop). POST routes get the CSRF check; ``action`` is
        the audit word recorded for each use (``bot.audit.ACTIONS``)."""
        if self.app is None:
            raise RuntimeError("the console is not set up on an application yet")
        self.app.router.add_route(method, path, guarded(role, action=action)(handler))
        if nav_title:
            self.nav.append(NavItem(PREFIX + path, nav_title, admin_only=role == "admin"))


KEY = web.AppKey("console", Console)


def redirect(location: str, status: int = 303) -> web.Response:
    return web.Response(status=status, headers={"Location": location})


# --------------------------------------------------------------------------- guard


def guarded(role: Role = "staff", *, action: str | None = None) -> Callable[[Handler], Any]:
    """Session, role, CSRF (POST), then the handler; refusals are audited."""

    def wrap(fn: Handler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        @functools.wraps(fn)
        async def inner(request: web.Request) -> web.StreamResponse:
            console = request.config_dict[KEY]
            session = await console.session_of(request)
            if session is None:
                response = console.error(401, console.msg().text("console.not_logged_in"))
                if request.cookies.get(COOKIE):
                    response.del_cookie(COOKIE, path=COOKIE_PATH)
                return response
            if role == "admin" and not session.is_admin:
                await console.record(session.user, "denied", role=session.role, detail=request.path)
                return console.error(403, console.msg().text("console.admin_only"), session=session)
            if request.method == "POST":
                form = await request.post()  # aiohttp keeps it: handlers may call post() again
                token = form.get("csrf")
                if not console.same_origin(request) or not auth.csrf_ok(
                    session, token if isinstance(token, str) else None
                ):
                    await console.record(session.user, "csrf_refused", role=session.role, detail=request.path)
                    return console.error(403, console.msg().text("console.csrf_failed"), session=session)
            response = await fn(request, console, session)
            if action is not None:
                await console.record(
                    session.user, action, role=session.role, reference=request.match_info.get("reference")
                )
            return response

        return inner

    return wrap


@web.middleware
async def headers_middleware(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Security headers on every console response; errors become Chinese pages."""
    console = request.config_dict[KEY]
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        if exc.status >= 400:
            msg = console.msg()
            if exc.status == 404:
                message = msg.text("console.not_found")
            elif exc.status == 405:
                message = msg.text("console.bad_method")
            else:
                message = msg.text("console.bad_request")
            response = console.error(exc.status, message)
            if exc.status == 405 and "Allow" in exc.headers:
                response.headers["Allow"] = exc.headers["Allow"]
        else:
            for name, value in HEADERS.items():
                exc.headers[name] = value
            raise
    except StoreUnavailable:
        response = console.error(503, console.msg().text("console.store_busy"))
    for name, value in HEADERS.items():
        response.headers[name] = value
    if console.behind_tls:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    response.headers.setdefault("Cache-Control", "no-store")
    return response


# --------------------------------------------------------------------------- login / logout


async def login_page(request: web.Request) -> web.StreamResponse:
    """Shows a button; the link is used only when it is pressed (POST), so a link preview
    (Telegram fetches URLs it sees) cannot use up the one-time link."""
    console = request.config_dict[KEY]
    token = request.query.get("t", "")
    if not token:
        return console.error(400, console.msg().text("console.login_unknown"))
    return console.render("login.html", token=token)


async def login(request: web.Request) -> web.StreamResponse:
    console = request.config_dict[KEY]
    if not console.same_origin(request):
        await console.record("?", "login_refused", detail="cross-origin")
        return console.error(403, console.msg().text("console.csrf_failed"))
    form = await request.post()
    token = form.get("t")
    result = await console.call(
        auth.redeem_link,
        console.store,
        token if isinstance(token, str) else "",
        console.roles,
        now=console.now(),
    )
    if result.session is None or result.session_id is None:
        await console.record(result.user or "?", "login_refused", detail=result.outcome)
        return console.error(403, login_refused(console.msg(), result.outcome))
    session = result.session
    await console.record(session.user, "login", role=session.role, detail=session.source)
    response = redirect(f"{PREFIX}/requests")
    response.set_cookie(
        COOKIE,
        result.session_id,
        max_age=int(auth.SESSION_TTL.total_seconds()),
        path=COOKIE_PATH,
        httponly=True,
        samesite="Strict",
        secure=console.secure(request),
    )
    return response


def login_refused(msg: Catalogue, outcome: str) -> str:
    """Why a login link did not open a session (``bot.console_auth.redeem_link``'s outcome)."""
    if outcome == "used":
        return msg.text("console.login_used")
    if outcome == "expired":
        return msg.text("console.login_expired")
    if outcome == "no_role":
        return msg.text("console.login_no_role")
    return msg.text("console.login_unknown")


async def logout(request: web.Request, console: Console, session: Session) -> web.StreamResponse:
    value = request.cookies.get(COOKIE, "")
    await console.call(auth.end_session, console.store, value, now=console.now())
    await console.record(session.user, "logout", role=session.role)
    response = console.render("logged_out.html")
    response.del_cookie(COOKIE, path=COOKIE_PATH)
    return response


# --------------------------------------------------------------------------- set-up


def _console_app(console: Console) -> web.Application:
    sub = web.Application(middlewares=[headers_middleware])
    sub[KEY] = console
    console.app = sub
    r = sub.router
    from handlers.console import desk_panel, knowledge_pages, pages, report_page, review_page

    r.add_get("/", pages.home)
    r.add_get("/login", login_page)
    r.add_post("/login", login)
    r.add_get("/static/{name}", pages.static)
    r.add_post("/logout", guarded()(logout))
    msg = console.msg()
    console.add_page("GET", "/requests", pages.requests_page, nav_title=msg.text("console.nav_requests"))
    r.add_get("/requests/{reference}", guarded()(pages.request_page))
    console.add_page("GET", "/stats", pages.stats_page, nav_title=msg.text("console.nav_stats"))
    console.add_page("GET", "/audit", pages.audit_page, role="admin", nav_title=msg.text("console.nav_audit"))

    desk_panel.install(console)
    report_page.install(console)
    knowledge_pages.install(console)
    review_page.install(console)
    return sub


def prepare_store(store: Store) -> None:
    """The console's tables and indexes (idempotent)."""
    from bot import knowledge_edit, review_queue

    auth.ensure_schema(store)
    audit.ensure_schema(store)
    queries.ensure_indexes(store)
    knowledge_edit.ensure_schema(store)
    review_queue.ensure_schema(store)


def setup_console(
    app: web.Application,
    *,
    store: Store,
    knowledge_getter: Callable[[], Any],
    settings: RoleLists,
    now: Callable[[], datetime] | None = None,
    behind_tls: bool = False,
    knowledge_dir: Path | None = None,
    swap_knowledge: Callable[[Any], None] | None = None,
    outbox: Any = None,
) -> Console:
    """Mount the console under /console/ on ``app`` (before the app starts).

    ``settings`` is anything with ``is_staff``/``is_admin`` (``bot.config.Settings``, or
    ``bot.console_auth.Roles`` without Telegram); ``knowledge_getter`` returns the current
    knowledge (so a reload is seen); ``now`` is the clock (tests pass a fixed one);
    ``knowledge_dir`` is what the knowledge pages edit (default: the knowledge's root) and
    ``swap_knowledge`` puts an edited knowledge into the running assistant."""
    prepare_store(store)
    console = Console(
        store=store,
        knowledge_getter=knowledge_getter,
        roles=settings,
        clock=now or (lambda: datetime.now(LOCAL_TZ)),
        behind_tls=behind_tls,
        knowledge_dir=knowledge_dir,
        swap_knowledge=swap_knowledge,
        outbox=outbox,
    )
    app.add_subapp(PREFIX, _console_app(console))
    return console


def build_app(
    *,
    store: Store,
    knowledge_getter: Callable[[], Any],
    settings: RoleLists,
    now: Callable[[], datetime] | None = None,
    behind_tls: bool = False,
    knowledge_dir: Path | None = None,
    swap_knowledge: Callable[[Any], None] | None = None,
    outbox: Any = None,
) -> web.Application:
    """A standalone application serving only the console (tests, a separate port)."""
    app = web.Application()
    setup_console(
        app,
        store=store,
        knowledge_getter=knowledge_getter,
        settings=settings,
        now=now,
        behind_tls=behind_tls,
        knowledge_dir=knowledge_dir,
        swap_knowledge=swap_knowledge,
        outbox=outbox,
    )
    return app
