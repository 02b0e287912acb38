"""Unanswered questions (administrators): the review loop's kept questions (declined, suggested,
rated 没用) grouped by similarity, with "attach as example question to…", "file among residents'
questions under…" (labelled_questions.yaml), "add to referrals" and "dismiss". Attaching,
filing and adding go through ``bot.knowledge_edit`` (validated, versioned, revertible) and
reload the running assistant, so the question is answered from then on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from bot import knowledge_edit as ke
from bot import review, review_queue
from bot.console_auth import Session
from bot.labelled import DECLINE, FILE
from bot.matcher import matcher_for
from bot.messages import Catalogue
from bot.sanitize import clean_text
from handlers.console.app import Console

MAX_GROUPS = 60
MAX_KEYWORD = 30


def _groups(console: Console) -> list[dict[str, Any]]:
    items = review_queue.open_items(console.store)
    knowledge = console.knowledge()
    matcher = matcher_for(knowledge)
    out = []
    for group in review.group_items(items)[:MAX_GROUPS]:
        first = group.items[0]["text"]
        result = matcher.match(first)
        guess = next((c.id for c in result.top if not c.id.startswith("chat/")), None)
        out.append({"items": group.items, "guess": guess, "referral": result.referral})
    return out


def _choices(console: Console) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    knowledge = console.knowledge()
    entries = [(loc.id, f"{loc.title}（{loc.id}）") for loc in knowledge.entries()]
    referrals = [(r.id, r.name) for r in (knowledge.extras.get("referrals") or [])]
    return entries, referrals


async def page(request: web.Request, console: Console, session: Session) -> web.StreamResponse:
    groups = await console.call(_groups, console)
    entries, referrals = _choices(console)
    await console.record(session.user, "review", role=session.role)
    return console.render(
        "review.html",
        session=session,
        groups=groups,
        entries=entries,
        labels=[*entries, (DECLINE, console.msg().text("console.review_decline_label"))],
        referrals=referrals,
        kinds=review.kind_labels(console.msg()),
    )


async def _form(request: web.Request) -> dict[str, Any]:
    form = await request.post()
    ids = [int(v) for v in form.getall("ids", []) if isinstance(v, str) and v.isascii() and v.isdigit()]
    values = {k: clean_text(v).strip() for k, v in form.items() if isinstance(v, str)}
    return {"ids": ids, **values}


def _item(console: Console, raw: str) -> dict[str, Any] | None:
    return review_queue.item(console.store, int(raw)) if raw.isascii() and raw.isdigit() else None


def _save(console: Console, session: Session, file: str, old: str, new: str, item: str, summary: str) -> int:
    """Check the edited text as `knowledge check` would, then save it as a revertible version."""
    root = console.knowledge_root()
    msg = console.msg()
    problems = ke.check_with(root, file, new)
    if problems:
        listed = msg.text("console.list_separator").join(str(p) for p in problems[:5])
        raise ke.EditError(msg.text("console.review_check_failed", problems=listed))
    return ke.save(
        console.store,
        root,
        file,
        ke.digest(old),
        new,
        actor=session.user,
        item=item,
        summary=summary,
        now=console.now(),
    )


def _add(console: Console, session: Session, target: ke.Target, field_name: str, value: str) -> int:
    old = ke.current_text(console.knowledge_root(), target.file)
    new = ke.append_to_list(old, target, field_name, value)
    summary = target.msg.text("console.review_summary", title=target.title, value=value)
    return _save(console, session, target.file, old, new, target.item_id, summary)


def _attach(console: Console, session: Session, entry_id: str, question: str) -> int:
    target = ke.question_target(console.knowledge_root(), entry_id)
    return _add(console, session, target, ke.QUESTION_FIELDS[target.list_key], question)


def _label(console: Console, session: Session, label_id: str, question: str) -> int:
    root = console.knowledge_root()
    if not (root / FILE).exists():
        (root / FILE).write_text("questions:\n", encoding="utf-8")
    old = ke.current_text(root, FILE)
    new = review.labelled_text(old, label_id, review.example_text(question))
    summary = console.msg().text("console.review_summary", title=label_id, value=question)
    return _save(console, session, FILE, old, new, label_id, summary)


async def _file_question(
    request: web.Request,
    console: Console,
    session: Session,
    edit: Callable[[Console, Session, str, str], int],
    action: str,
    done: Callable[[Catalogue, str, str], str],
) -> web.StreamResponse:
    """A kept question filed where the form says (`edit`), its copies settled, the assistant
    reloaded: attached as an example question, or filed among residents' questions."""
    form = await _form(request)
    item = await console.call(_item, console, form.get("item", ""))
    entry_id = form.get("entry", "")
    if item is None:
        return console.error(404, console.msg().text("console.review_no_item"), session=session)
    try:
        version = await console.call(edit, console, session, entry_id, item["text"])
    except ke.EditError as exc:
        return console.error(409, str(exc), session=session)
    ids = await console.call(review_queue.same_text, console.store, item["text"])
    await console.call(
        review_queue.mark,
        console.store,
        [*ids, *form["ids"]],
        "attached",
        actor=session.user,
        target=entry_id,
    )
    message = await console.reload()
    detail = f"review {item['id']} -> {entry_id} v{version}"
    await console.record(session.user, action, role=session.role, detail=detail)
    return console.render(
        "review_done.html",
        session=session,
        message=message,
        question=item["text"],
        version=version,
        done=done(console.msg(), item["text"], entry_id),
    )


async def attach(request: web.Request, console: Console, session: Session) -> web.StreamResponse:
    def done(msg: Catalogue, question: str, entry: str) -> str:
        return msg.text("console.review_attached", question=question, entry=entry)

    return await _file_question(request, console, session, _attach, "review_attach", done)


async def label(request: web.Request, console: Console, session: Session) -> web.StreamResponse:
    """File the question under an entry (or `decline`) in labelled_questions.yaml: no limit per
    entry, and the matcher asks these questions for a second opinion."""

    def done(msg: Catalogue, question: str, entry: str) -> str:
        return msg.text("console.review_labelled", question=question, entry=entry)

    return await _file_question(request, console, session, _label, "review_label", done)


async def add_referral(request: web.Request, console: Console, session: Session) -> web.StreamResponse:
    form = await _form(request)
    referral = form.get("referral", "")
    keyword = form.get("keyword", "")
    if not keyword or len(keyword) > MAX_KEYWORD:
        return console.error(
            400, console.msg().text("console.review_bad_keyword", most=MAX_KEYWORD), session=session
        )
    try:

        def work() -> int:
            target = ke.find_target(console.knowledge_root(), "referrals.yaml", "referrals", referral)
            return _add(console, session, target, "keywords", keyword)

        version = await console.call(work)
    except ke.EditError as exc:
        return console.error(409, str(exc), session=session)
    await console.call(
        review_queue.mark, console.store, form["ids"], "referral", actor=session.user, target=referral
    )
    message = await console.reload()
    await console.record(session.user, "review_referral", role=session.role, detail=f"{referral} v{version}")
    return console.render(
        "review_done.html",
        session=session,
        message=message,
        question=keyword,
        version=version,
        done=console.msg().text("console.review_referral_added", keyword=keyword, referral=referral),
    )


async def dismiss(request: web.Request, console: Console, session: Session) -> web.StreamResponse:
    form = await _form(request)
    if not form["ids"]:
        return console.error(400, console.msg().text("console.review_none_chosen"), session=session)
    n = await console.call(review_queue.mark, console.store, form["ids"], "dismissed", actor=session.user)
    await console.record(session.user, "review_dismiss", role=session.role, detail=f"{n} items")
    from handlers.console.app import PREFIX, redirect

    return redirect(f"{PREFIX}/review")


def install(console: Console) -> None:
    console.add_page("GET", "/review", page, role="admin", nav_title=console.msg().text("console.nav_review"))
    console.add_page("POST", "/review/attach", attach, role="admin")
    console.add_page("POST", "/review/label", label, role="admin")
    console.add_page("POST", "/review/referral", add_referral, role="admin")
    console.add_page("POST", "/review/dismiss", dismiss, role="admin")
