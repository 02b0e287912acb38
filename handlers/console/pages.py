"""The console's own pages: the request table, a request's page (timeline, personal data as
``bot.desk.views.may_see_full`` allows, the detail panels such as the desk's actions), statistics, the
audit log, the stylesheet. Mounted by ``app._console_app``."""

from __future__ import annotations

from aiohttp import web

from bot import audit
from bot.console_auth import Session
from bot.desk.base import is_disclosure
from bot.desk.views import applicant_type_text, content, may_see_full
from bot.masking import scrub
from bot.messages import Catalogue
from bot.store import OPEN_STATUSES, STATUSES
from handlers.console import charts, queries
from handlers.console.app import HERE, PREFIX, Console, redirect
from handlers.console.desk_panel import desk_of


async def home(request: web.Request) -> web.StreamResponse:
    return redirect(f"{PREFIX}/requests", 302)


async def requests_page(request: web.Request, console: Console, session: Session) -> web.StreamResponse:
    filters = queries.Filters.parse(request.query)
    today = console.today()

    def work() -> tuple[queries.Page, list[str], list[str], dict[str, str]]:
        page = queries.list_requests(
            console.store, filters, viewer=session.user, today=today, calendar=console.calendar()
        )
        people = queries.assignees(console.store)
        types = queries.applicant_types()
        names = queries.staff_names(console.store, [*people, *(r.assignee for r in page.rows)])
        return page, people, types, names

    page, people, types, names = await console.call(work)
    await console.record(session.user, "list", role=session.role, detail=filters.query())
    msg = console.msg()
    return console.render(
        "requests.html",
        session=session,
        page=page,
        f=page.filters,
        services=console.services(),
        statuses=STATUSES,
        open_statuses=OPEN_STATUSES,
        people=people,
        names=names,
        types=types,
        channels=channel_names(msg),
        problems=[msg.text("console.due_estimated")] if page.estimated else [],
        today=today,
    )


def channel_names(msg: Catalogue) -> dict[str, str]:
    """What each channel is called (``queries.CHANNELS``)."""
    return {"tg": msg.text("console.channel_tg"), "web": msg.text("console.channel_web")}


def _timeline(
    detail: queries.Detail, full: bool, names: dict[str, str], msg: Catalogue
) -> list[queries.TimelineItem]:
    """History, thread and notes in time order; scrubbed unless ``full`` (``may_see_full``), the
    resident's messages hidden once they asked to be forgotten (as Telegram's 详情)."""
    req = detail.request
    items: list[queries.TimelineItem] = []

    def shown(text: str) -> str:
        return text if full else scrub(text)

    for h in detail.history:
        who = msg.text("desk.who_resident") if h.by == req.resident else names.get(h.by, h.by)
        text = msg.text("console.history_note", status=h.status, note=h.note) if h.note else h.status
        items.append(queries.TimelineItem(h.at, 0, "history", who, shown(text)))
    for m in detail.thread:
        if m.sender == "resident":
            who = msg.text("desk.who_resident")
            text = msg.text("desk.resident_hidden") if req.forgotten else shown(m.text)
        elif m.sender == "staff":
            who, text = msg.text("desk.who_staff", name=names.get(m.author, m.author)), shown(m.text)
        else:
            who, text = msg.text("desk.who_bot"), shown(m.text)
        items.append(queries.TimelineItem(m.at, 1, m.sender, who, text))
    for n in detail.notes:
        who = msg.text("desk.who_note", name=names.get(n.author, n.author))
        items.append(queries.TimelineItem(n.at, 2, "note", who, shown(n.text)))
    return sorted(items, key=lambda i: (i.at, i.order))


async def request_page(request: web.Request, console: Console, session: Session) -> web.StreamResponse:
    reference = request.match_info["reference"].upper()
    detail = await console.call(queries.load_detail, console.store, reference)
    if detail is None:
        return console.error(404, console.msg().text("console.no_request", ref=reference), session=session)
    req = detail.request
    full = may_see_full(req, session.user, admin=session.is_admin)
    authors = [
        req.assignee,
        *(h.by for h in detail.history),
        *(m.author for m in detail.thread),
        *(n.author for n in detail.notes),
    ]
    names = await console.call(
        queries.staff_names, console.store, [a for a in authors if a and a != req.resident]
    )
    desk = desk_of(console)
    msg = desk.msg
    fields = content(desk, req, full=full)
    applicant = applicant_type_text(desk, req) if is_disclosure(req.reference) else None
    await console.record(
        session.user, "view_full" if full else "view", role=session.role, reference=reference
    )
    today = console.today()
    panels = [p for p in (panel(req, session, full) for panel in console.detail_panels) if p]
    return console.render(
        "request.html",
        session=session,
        req=req,
        full=full,
        fields=fields,
        applicant=applicant,
        channel=channel_names(msg).get(queries.channel_of(req.resident), msg.text("console.channel_other")),
        timeline=_timeline(detail, full, names, msg),
        names=names,
        overdue=req.due_date is not None and req.due_date < today and req.status in queries.CLOCK_RUNNING,
        panels=panels,
    )


WEEK_CHOICES = (4, 12, 26, 52)


async def stats_page(request: web.Request, console: Console, session: Session) -> web.StreamResponse:
    raw = request.query.get("weeks", "12")
    weeks = int(raw) if raw.isascii() and raw.isdigit() and int(raw) in WEEK_CHOICES else 12
    stats = await console.call(
        queries.compute_stats,
        console.store,
        today=console.today(),
        weeks=weeks,
        knowledge=console.knowledge(),
    )
    labels = [f"{m:%m-%d}" for m in stats.weeks]
    msg = console.msg()
    week_chart = charts.stacked_bars(msg.text("console.chart_weekly", weeks=weeks), labels, stats.per_week)
    declined_chart = charts.horizontal_bars(msg.text("console.chart_declined"), stats.declined[:10])
    await console.record(session.user, "stats", role=session.role, detail=f"weeks={weeks}")
    return console.render(
        "stats.html",
        session=session,
        stats=stats,
        weeks=weeks,
        week_choices=WEEK_CHOICES,
        labels=labels,
        week_chart=week_chart,
        declined_chart=declined_chart,
    )


async def audit_page(request: web.Request, console: Console, session: Session) -> web.StreamResponse:
    actor = request.query.get("actor", "").strip()[:64]
    reference = request.query.get("reference", "").strip().upper()[:64]
    raw = request.query.get("before", "")
    before = int(raw) if raw.isascii() and raw.isdigit() else None
    rows = await console.call(
        audit.entries, console.store, actor=actor or None, reference=reference or None, before_id=before
    )
    await console.record(session.user, "audit", role=session.role)
    return console.render(
        "audit.html",
        session=session,
        rows=rows,
        actions=audit.action_labels(console.msg()),
        actor=actor,
        reference=reference,
        more=len(rows) == audit.PAGE_SIZE,
        page_size=audit.PAGE_SIZE,
    )


_STATIC = {"console.css": "text/css"}


async def static(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    if name not in _STATIC:
        raise web.HTTPNotFound()
    response = web.Response(
        body=(HERE / "static" / name).read_bytes(), content_type=_STATIC[name], charset="utf-8"
    )
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
