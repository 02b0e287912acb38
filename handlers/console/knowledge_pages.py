"""Knowledge pages (administrators): browse by department, edit the fields administrators own
with a validated preview and diff, save keeping the previous version, revert, reload the
running assistant, and a "try a question" box showing what the matcher decides and why.

The editing itself is ``bot.knowledge_edit`` (channel-free); this module is forms and pages.
Form values travel from the edit form to the preview and, as hidden fields, to the save: the
save re-applies them to the file only if it is still the text the preview was made from.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot import knowledge_edit as ke
from bot.console_auth import Session
from bot.matcher import Candidate, matcher_for
from bot.messages import Catalogue, catalogue_of
from bot.qa import answer_question
from bot.sanitize import clean_text
from handlers.console.app import PREFIX, Console

MAX_QUESTION = 200


async def _form(request: web.Request) -> dict[str, str]:
    form = await request.post()
    return {k: clean_text(v) for k, v in form.items() if isinstance(v, str)}


def _target_of(console: Console, values: dict[str, str]) -> ke.Target:
    return ke.find_target(
        console.knowledge_root(), values.get("file", ""), values.get("list", ""), values.get("id", "")
    )


def _field_values(target: ke.Target, values: dict[str, str]) -> dict[str, str]:
    return {f.name: values.get(f"f:{f.name}", "") for f in target.fields if f"f:{f.name}" in values}


async def browse(request: web.Request, console: Console, session: Session) -> web.StreamResponse:
    root = console.knowledge_root()
    targets = await console.call(ke.targets, root)
    groups: OrderedDict[str, list[ke.Target]] = OrderedDict()
    for t in targets:
        groups.setdefault(t.group, []).append(t)
    history = await console.call(ke.versions, console.store)
    await console.record(session.user, "knowledge", role=session.role)
    return console.render(
        "knowledge.html",
        session=session,
        groups=groups,
        history=history,
        labels=ke.list_labels(console.msg()),
    )


async def edit(request: web.Request, console: Console, session: Session) -> web.StreamResponse:
    q = request.query
    try:
        target = await console.call(
            ke.find_target, console.knowledge_root(), q.get("file", ""), q.get("list", ""), q.get("id", "")
        )
        values = await console.call(ke.form_values, console.knowledge_root(), target)
    except ke.EditError as exc:
        return console.error(404, str(exc), session=session)
    await console.record(session.user, "knowledge", role=session.role, detail=target.item_id or target.file)
    return console.render("knowledge_edit.html", session=session, target=target, values=values, problems=[])


async def preview(request: web.Request, console: Console, session: Session) -> web.StreamResponse:
    form = await _form(request)
    try:
        target = await console.call(_target_of, console, form)
        values = _field_values(target, form)
        result = await console.call(ke.preview, console.knowledge_root(), target, values)
    except ke.EditError as exc:
        return console.error(409, str(exc), session=session)
    await console.record(
        session.user, "knowledge_preview", role=session.role, detail=target.item_id or target.file
    )
    current = await console.call(ke.form_values, console.knowledge_root(), target)
    values = {**current, **values}  # fields the form did not send are shown as they are
    if result.form_problems or result.problems:
        problems = result.form_problems + [str(p) for p in result.problems]
        return console.render(
            "knowledge_edit.html",
            session=session,
            target=target,
            values=values,
            problems=problems,
            status=422,
        )
    if not result.changed:
        return console.render(
            "knowledge_edit.html",
            session=session,
            target=target,
            values=values,
            problems=[console.msg().text("console.ke_no_change")],
        )
    return console.render(
        "knowledge_preview.html", session=session, target=target, values=values, preview=result
    )


async def save(request: web.Request, console: Console, session: Session) -> web.StreamResponse:
    form = await _form(request)
    root = console.knowledge_root()
    try:
        target = await console.call(_target_of, console, form)
        values = _field_values(target, form)

        def work() -> int:
            old = ke.current_text(root, target.file)
            if ke.digest(old) != form.get("base", ""):
                raise ke.EditError(target.msg.text("console.ke_changed_since_preview"))
            new, problems = ke.apply_edit(old, target, values)
            if problems:
                raise ke.EditError("；".join(problems))
            return ke.save(
                console.store,
                root,
                target.file,
                form.get("base", ""),
                new,
                actor=session.user,
                item=target.item_id,
                summary=target.title,
                now=console.now(),
            )

        version = await console.call(work)
    except ke.EditError as exc:
        return console.error(409, str(exc), session=session)
    message = await console.reload()
    await console.record(
        session.user, "knowledge_save", role=session.role, detail=f"{target.file} {target.item_id} v{version}"
    )
    return console.render(
        "knowledge_done.html",
        session=session,
        title=console.msg().text("console.ke_saved"),
        message=message,
        target=target,
        version=version,
    )


async def revert(request: web.Request, console: Console, session: Session) -> web.StreamResponse:
    form = await _form(request)
    raw = form.get("version", "")
    if not (raw.isascii() and raw.isdigit()):
        return console.error(400, console.msg().text("console.ke_no_version"), session=session)
    try:
        file = await console.call(
            ke.revert, console.store, console.knowledge_root(), int(raw), now=console.now()
        )
    except ke.EditError as exc:
        return console.error(409, str(exc), session=session)
    message = await console.reload()
    await console.record(session.user, "knowledge_revert", role=session.role, detail=f"{file} v{raw}")
    return console.render(
        "knowledge_done.html",
        session=session,
        title=console.msg().text("console.ke_reverted"),
        message=message,
        target=None,
        version=int(raw),
    )


@dataclass(frozen=True)
class Explained:
    candidate: Candidate
    words: list[str]


def explain(knowledge: Any, question: str) -> dict[str, Any]:
    """What the matcher decides for ``question`` and why: its content words, each candidate's
    score and the words it shares with the question, the runner-up, and the reply itself."""
    matcher = matcher_for(knowledge)
    result = matcher.match(question)
    reply = answer_question(knowledge, question)
    explained = []
    for c in result.top:
        loc = knowledge.get(c.id)
        entry = loc.entry if loc is not None else None
        text = " ".join(
            [
                getattr(entry, "title", ""),
                *getattr(entry, "keywords", []),
                *getattr(entry, "questions", []),
                *getattr(entry, "phrases", []),
                getattr(entry, "content", ""),
                getattr(entry, "text", ""),
            ]
        )
        explained.append(Explained(c, [w for w in result.tokens if w and w in text]))
    return {
        "result": result,
        "reply": reply,
        "explained": explained,
        "runner_up": explained[1] if len(explained) > 1 else None,
        "intent_text": intent_text(catalogue_of(knowledge), result.intent),
    }


def intent_text(msg: Catalogue, intent: str) -> str:
    """What the matcher decided, in words (``bot.matcher``'s answer / suggest / decline)."""
    if intent == "answer":
        return msg.text("console.intent_answer")
    if intent == "suggest":
        return msg.text("console.intent_suggest")
    if intent == "decline":
        return msg.text("console.intent_decline")
    return intent


async def try_question(request: web.Request, console: Console, session: Session) -> web.StreamResponse:
    question = clean_text(request.query.get("q", "")).strip()[:MAX_QUESTION]
    outcome = await console.call(explain, console.knowledge(), question) if question else None
    await console.record(session.user, "knowledge_try", role=session.role)
    return console.render("knowledge_try.html", session=session, question=question, outcome=outcome)


def install(console: Console) -> None:
    nav = console.msg().text("console.nav_knowledge")
    console.add_page("GET", "/knowledge", browse, role="admin", nav_title=nav)
    console.add_page("GET", "/knowledge/edit", edit, role="admin")
    console.add_page("POST", "/knowledge/preview", preview, role="admin")
    console.add_page("POST", "/knowledge/save", save, role="admin")
    console.add_page("POST", "/knowledge/revert", revert, role="admin")
    console.add_page("GET", "/knowledge/try", try_question, role="admin")


__all__ = ["PREFIX", "explain", "install"]
