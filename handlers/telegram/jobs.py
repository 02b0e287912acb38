"""JobQueue jobs: outbox retries, the working-day morning digest, event reminders, pruning.

Jobs live in memory (APScheduler) and are registered again at every start from the settings;
what must not happen twice is recorded in store meta: ``digest:<date>`` and
``reminded:<event>:<date>``. If the bot was down at a job's time, it runs once at start
(``Settings.catch_up``), and the meta keys keep it to once a day.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Sequence

from telegram.ext import Application, ContextTypes

from bot.dialog import LOCAL_TZ, cn_date
from bot.events import EventCalendar, format_occurrence
from bot.messages import catalogue_of
from bot.store import NEEDS_CORRECTION, StoreError
from handlers.telegram.cards import request_line
from handlers.telegram.common import Services, safe_traceback

log = logging.getLogger("handlers.telegram.jobs")

DUE_SOON_WORKING_DAYS = 3
PRUNE_AFTER = dt.timedelta(days=30)
DIGEST_UNDATED_LINES = 30
#: Subscribers drained per outbox call (one SQL parameter each).
NOTIFY_CHUNK = 500


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


def owe_notices(
    svc: Services,
    topic: str,
    text: str,
    buttons: Sequence[tuple[str, str]],
    batch: str,
    once_key: str | None = None,
) -> list[tuple[str, str]] | None:
    """A ``notice`` in the outbox for every ``topic`` subscriber of a served channel (Telegram
    ``tg:``, the web chat ``web:``…), in one transaction: (address, dedup key) of each. With
    ``once_key`` the store meta key is set in the same transaction, and None is returned when
    it was set before (a reminder is owed once, even when the process dies half-way)."""
    outbox = svc.engine.outbox
    owed: list[tuple[str, str]] = []
    body = {"text": text, "buttons": [[label, payload] for label, payload in buttons]}
    with svc.store.transaction():
        if once_key is not None:
            if svc.store.get_meta(once_key):
                return None
            svc.store.set_meta(once_key, svc.now().isoformat(timespec="seconds"))
        for resident in svc.store.subscribers(topic):
            if not outbox.serves(resident):  # a channel nobody delivers to (the terminal chat)
                continue
            key = f"{batch}:{resident}"
            if svc.store.enqueue_outbox(resident, body, outbox.clock(), kind="notice", dedup_key=key):
                owed.append((resident, key))
    return owed


async def notify_subscribers(
    svc: Services,
    topic: str,
    text: str,
    buttons: Sequence[tuple[str, str]],
    *,
    batch: str | None = None,
    once_key: str | None = None,
) -> tuple[int, int] | None:
    """Owe ``text`` to every ``topic`` subscriber whatever their channel, then deliver it
    (within the sender's rate limit; what fails now is retried by the outbox job). Returns
    (delivered, kept for retry), or None when ``once_key`` was done before."""
    batch = batch or f"{topic}:{secrets.token_hex(6)}"
    owed = await svc.call(owe_notices, svc, topic, text, buttons, batch, once_key)
    if owed is None:
        return None
    for start in range(0, len(owed), NOTIFY_CHUNK):
        await svc.sender.flush(addresses=[address for address, _ in owed[start : start + NOTIFY_CHUNK]])
    sent = await svc.call(lambda: sum(svc.store.outbox_sent(key) for _, key in owed))
    return sent, len(owed) - sent


async def send_reminders(svc: Services) -> int:
    """The day before an event: a reminder to every 'events' subscriber (Telegram or web), once
    per occurrence. Returns how many were owed and delivered now."""
    calendar: EventCalendar = svc.engine.knowledge.extras.get("events") or EventCalendar()
    today = svc.today()
    sent = 0
    for occ in calendar.reminders_due(today):
        key = f"reminded:{occ.event_id}:{occ.start.isoformat()}"
        msg = catalogue_of(svc.engine.knowledge)
        text = msg.text("telegram.event_reminder", event=format_occurrence(occ))
        buttons = [
            (msg.text("dialog.btn_event_details"), f"event:{occ.event_id}"),
            (msg.text("telegram.btn_unsubscribe_events"), "unsub:events"),
        ]
        # the meta key and every reminder in one transaction: a crash half-way neither reminds
        # anyone twice nor forgets anyone (the outbox delivers the rest after the restart)
        result = await notify_subscribers(svc, "events", text, buttons, batch=key, once_key=key)
        if result is not None:
            sent += result[0]
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
