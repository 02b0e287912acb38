"""The desk's actions on a request's console page: claim, reply (relayed to the resident's
channel through the outbox), 补正, 补正已收到, one extension, note, close with the statutory
outcome, applicant type. The same ``bot.desk`` functions as the Telegram group, so the rules
(who is asked before taking over a claim, when the clock stops) are the same in both.

Each action is a POST form on the request's page (``Console.detail_panels``), behind the
session, the CSRF token and the same-origin check (``Console.add_page``), and leaves an audit
row (``bot.audit``: the action word, the reference, ``ok``/``refused`` and the outcome code,
never the text written to the resident). What the action owes the resident goes into the
outbox in the action's transaction; this process delivers web residents' items at once, the
Telegram process (same database) delivers Telegram residents' and redraws the group's card.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web
from markupsafe import Markup

from bot import desk
from bot.console_auth import Session
from bot.desk import Actor, Channels, Desk, Result
from bot.desk.base import STAFF_ADDRESS
from bot.messages import catalogue_of
from bot.outcomes import APPLICANT_TYPES
from bot.sanitize import clean_text
from bot.store import NEEDS_CORRECTION, Request, StoreError, StoreUnavailable
from handlers.console import queries
from handlers.console.app import PREFIX, Console

#: Routes under /console/requests/<reference>/<name> -> the audit word.
ACTIONS = {
    "claim": "desk_claim",
    "reply": "desk_reply",
    "note": "desk_note",
    "extend": "desk_extend",
    "close": "desk_close",
    "correct": "desk_correct",
    "corrected": "desk_corrected",
    "applicant": "desk_applicant",
}
MAX_TEXT = 4000

#: Routes whose items another process on the same database delivers (the Telegram process
#: drains tg: and the staff group; the web process drains web: when the resident's page asks).
ELSEWHERE = ("tg:", "web:", STAFF_ADDRESS)


def desk_of(console: Console) -> Desk:
    return Desk(console.store, console.knowledge(), Channels(console.outbox, ELSEWHERE))


def _actor(console: Console, session: Session) -> Actor:
    names = queries.staff_names(console.store, [session.user])
    return Actor(session.user, names.get(session.user, session.user))


def panel(console: Console) -> Callable[[Request, Session, bool], Markup | None]:
    """The request page's section of action forms."""

    def draw(req: Request, session: Session, full: bool) -> Markup | None:
        knowledge = console.knowledge()
        outcomes = (getattr(knowledge, "extras", None) or {}).get("outcomes")
        msg = catalogue_of(knowledge)
        other = req.assignee if req.assignee and req.assignee != session.user else None
        names = queries.staff_names(console.store, [other]) if other else {}
        confirm = (
            msg.text("desk.claim_confirm_console", ref=req.reference, name=names.get(other, other))
            if other
            else ""
        )
        html = console.env.get_template("desk_panel.html").render(
            req=req,
            session=session,
            prefix=PREFIX,
            disclosure=desk.is_disclosure(req.reference),
            waiting=req.status == NEEDS_CORRECTION,
            mine=req.assignee == session.user,
            confirm=confirm,
            outcomes=outcomes.outcomes() if outcomes is not None else [],
            types=APPLICANT_TYPES,
        )
        return Markup(html)

    return draw


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return clean_text(value).strip()[:MAX_TEXT] if isinstance(value, str) else ""


def _run(console: Console, session: Session, name: str, reference: str, form: Any) -> tuple[Result, str]:
    """The desk action (worker thread); the audit detail (no personal data)."""
    d, now = desk_of(console), console.now()
    actor = _actor(console, session)
    if name == "claim":
        return desk.claim(d, actor, reference, now, confirmed=_text(form, "confirm") == "1"), ""
    if name == "reply":
        return desk.reply(d, actor, reference, _text(form, "text"), now), ""
    if name == "note":
        return desk.note(d, actor, reference, _text(form, "text"), now), ""
    if name == "extend":
        return desk.extend(d, actor, reference, now), ""
    if name == "correct":
        return desk.request_correction(d, actor, reference, _text(form, "items"), now), ""
    if name == "corrected":
        return desk.correction_received(d, actor, reference, now, _text(form, "day")), ""
    if name == "applicant":
        label = desk.parse_applicant_type(_text(form, "type")) or ""
        return desk.set_applicant_type(d, actor, reference, label, now), label
    code = _text(form, "outcome")
    if not desk.is_disclosure(reference):
        return desk.close(d, actor, reference, now), ""
    outcome = d.outcomes().by_code(code) if code else None
    return desk.close(d, actor, reference, now, outcome), code


def _after(console: Console, result: Result) -> None:
    """The Telegram group's card shows the new state: a redraw item for the process that drew it."""
    d = desk_of(console)
    for reference in result.refresh:
        d.owe(STAFF_ADDRESS, "refresh", {"reference": reference}, reference=reference)


def handler(name: str) -> Callable[[web.Request, Console, Session], Any]:
    async def act(request: web.Request, console: Console, session: Session) -> web.StreamResponse:
        reference = request.match_info["reference"].upper()
        form = await request.post()
        status = 200
        try:
            result, detail = await console.call(_run, console, session, name, reference, form)
        except StoreUnavailable:
            raise
        except StoreError as exc:
            result, detail, status = (
                Result(exc.message, ok=False),
                "",
                404 if isinstance(exc, LookupError) else 409,
            )
        else:
            if not result.ok:
                status = 400
            await console.call(_after, console, result)
            web_owed = [a for a in result.owed if a.startswith("web:")]
            if web_owed and console.outbox is not None:
                await console.outbox.drain(addresses=web_owed)
        outcome = "ok" if result.ok else ("confirm" if result.confirm else "refused")
        await console.record(
            session.user,
            ACTIONS[name],
            role=session.role,
            reference=reference,
            detail=" ".join(x for x in (outcome, detail) if x),
        )
        return console.render(
            "desk_done.html",
            session=session,
            status=status,
            ok=result.ok,
            message=result.text,
            reference=reference,
        )

    act.__name__ = f"desk_{name}"
    return act


def install(console: Console) -> None:
    console.detail_panels.append(panel(console))
    for name in ACTIONS:
        console.add_page("POST", f"/requests/{{reference}}/{name}", handler(name))
