"""JobQueue jobs: outbox retries, the working-day morning digest, event reminders, pruning.

Jobs live in memory (APScheduler) and are registered again at every start from the settings;
what must not happen twice is recorded in store meta: ``digest:<date>`` and
``reminded:<event>:<date>``. If the bot was down at a job's time, it runs once at start
(``Settings.catch_up``), and the meta keys keep it to once a day.
"""

from __future__ import annotations

import datetime as dt
import logging

from telegram.ext import Application, ContextTypes

from bot.dialog import LOCAL_TZ, cn_date
from bot.events import EventCalendar, format_occurrence
from bot.messages import catalogue_of
from bot.store import NEEDS_CORRECTION, StoreError
from handlers.telegram.cards import request_line
from handlers.telegram.common import Services, resident_chat, safe_traceback

log = logging.getLogger("handlers.telegram.jobs")

DUE_SOON_WORKING_DAYS = 3
PRUNE_AFTER = dt.timedelta(days=30)
DIGEST_UNDATED_LINES = 30


def _svc(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.application.bot_data["svc"]


async def flush_outbox(context: ContextTypes.DEFAULT_TYPE) -> None:
    try:
        await _svc(context).sender.flush()
    except Exception as exc:  # a job must never die
        log.error("outbox flush failed: %s", safe_traceback(exc))


def digest_text(svc: Services, today: dt.date) -> str | None:
    """Requests overdue and due within 3 working days, and open requests without a due date
    (drill bookings, handovers) not yet claimed; None when there is nothing to say."""
    limit = svc.calendar().add_working_days(today, DUE_SOON_WORKING_DAYS).date
    overdue, soon, undated = [], [], []
    for req in svc.store.open_requests(order_by_due=True):
        if req.status == NEEDS_CORRECTION:
            continue  # 需补正: the clock is stopped until the corrected application arrives
        if req.due_date is None:
            if req.assignee is None:
                undated.append(req)
        elif req.due_date < today:
            overdue.append(req)
        elif req.due_date <= limit:
            soon.append(req)
    if not overdue and not soon and not undated:
        return None
    msg = catalogue_of(svc.engine.knowledge)
    lines = [msg.text("telegram.digest_head", date=cn_date(today))]
    if overdue:
        lines.append(msg.text("telegram.digest_overdue", count=len(overdue)))
        lines += [request_line(svc, r, today) for r in overdue]
    if soon:
        lines.append(msg.text("telegram.digest_soon", days=DUE_SOON_WORKING_DAYS, count=len(soon)))
        lines += [request_line(svc, r, today) for r in soon]
    if undated:
        lines.append(msg.text("telegram.digest_undated", count=len(undated)))
        lines += [request_line(svc, r, today) for r in undated[:DIGEST_UNDATED_LINES]]
        if len(undated) > DIGEST_UNDATED_LINES:
            lines.append(msg.text("telegram.digest_more", count=len(undated) - DIGEST_UNDATED_LINES))
    return "\n".join(lines)


async def daily_digest(context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = _svc(context)
    try:
        await send_digest(svc)
    except Exception as exc:
        log.error("digest failed: %s", safe_traceback(exc))


async def send_digest(svc: Services) -> bool:
    today = svc.today()
    if not svc.calendar().is_working_day(today):
        return False
    key = f"digest:{today.isoformat()}"
    if await svc.call(svc.store.get_meta, key):
        return False
    text = await svc.call(digest_text, svc, today)
    if text is None:
        text = catalogue_of(svc.engine.knowledge).text(
            "telegram.digest_nothing", date=cn_date(today), days=DUE_SOON_WORKING_DAYS
        )
    await svc.sender.send_text(svc.settings.staff_chat_id, text)
    await svc.call(svc.store.set_meta, key, svc.now().isoformat(timespec="seconds"))
    return True


async def event_reminders(context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = _svc(context)
    try:
        await send_reminders(svc)
    except Exception as exc:
        log.error("event reminders failed: %s", safe_traceback(exc))


async def send_reminders(svc: Services) -> int:
    """The day before an event: a reminder to every 'events' subscriber, once per occurrence."""
    calendar: EventCalendar = svc.engine.knowledge.extras.get("events") or EventCalendar()
    today = svc.today()
    sent = 0
    for occ in calendar.reminders_due(today):
        key = f"reminded:{occ.event_id}:{occ.start.isoformat()}"
        if await svc.call(svc.store.get_meta, key):
            continue
        # recorded first: a crash half-way must not remind everyone twice (the rest are in the outbox)
        await svc.call(svc.store.set_meta, key, svc.now().isoformat(timespec="seconds"))
        residents = await svc.call(svc.store.subscribers, "events")
        msg = catalogue_of(svc.engine.knowledge)
        text = msg.text("telegram.event_reminder", event=format_occurrence(occ))
        buttons = [
            (msg.text("dialog.btn_event_details"), f"event:{occ.event_id}"),
            (msg.text("telegram.btn_unsubscribe_events"), "unsub:events"),
        ]
        for resident in residents:
            chat = resident_chat(resident)
            if chat is None:
                continue
            await svc.sender.send_text(chat, text, buttons=buttons)
            sent += 1
    return sent


async def prune(context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = _svc(context)
    try:
        await svc.call(svc.store.prune, svc.now() - PRUNE_AFTER)
    except StoreError as exc:
        log.warning("prune failed: %s", exc)


def _missed_today(svc: Services, at: dt.time) -> bool:
    now = svc.now()
    return now.time().replace(tzinfo=None) > at


def register_jobs(app: Application, svc: Services) -> None:
    """(Re-)register every job from the settings; called at start (post_init)."""
    jq = app.job_queue
    if jq is None:
        log.error("no JobQueue: install python-telegram-bot[job-queue]; outbox retries and digests are off")
        return
    for job in jq.jobs():
        job.schedule_removal()
    settings = svc.settings
    jq.run_repeating(
        flush_outbox, interval=settings.outbox_interval, first=settings.outbox_interval, name="outbox"
    )
    jq.run_daily(prune, time=dt.time(3, 30, tzinfo=LOCAL_TZ), name="prune")
    if settings.digest_time is not None:
        jq.run_daily(daily_digest, time=settings.digest_time.replace(tzinfo=LOCAL_TZ), name="digest")
        if settings.catch_up and _missed_today(svc, settings.digest_time):
            jq.run_once(daily_digest, when=0.5, name="digest-catch-up")
    if settings.reminder_time is not None:
        jq.run_daily(event_reminders, time=settings.reminder_time.replace(tzinfo=LOCAL_TZ), name="reminders")
        if settings.catch_up and _missed_today(svc, settings.reminder_time):
            jq.run_once(event_reminders, when=1.0, name="reminders-catch-up")
