"""Administrators (CITIZEN_BOT_ADMIN_IDS): /reload the knowledge without a restart, /stats.

/stats shows the store's request figures, the questions most often not answered, the outbox
(messages waiting to be resent, and dead letters given up for good) and the answer ratings.

/reload validates every knowledge file first (``load_knowledge``) and only then swaps the new
knowledge in (``Engine.swap_knowledge``: the matcher is built before the swap, turns already
running finish on the old knowledge). On any error the old knowledge stays and the problems are
shown, each naming file, entry and field.
"""

from __future__ import annotations

import logging
import time

from telegram import Update
from telegram.ext import ContextTypes

from bot.knowledge import KnowledgeError, load_knowledge
from bot.messages import Catalogue, catalogue_of
from handlers.telegram.common import Services, describe, guarded, safe_traceback, services
from handlers.telegram.resident import ratings

log = logging.getLogger("handlers.telegram.admin")

ADMIN_COMMANDS = ("reload", "stats")
MAX_PROBLEMS_SHOWN = 30


async def reload_knowledge(svc: Services) -> str:
    msg = catalogue_of(svc.engine.knowledge)  # the running catalogue: the new one may not load
    started = time.monotonic()
    try:
        knowledge = await svc.call(load_knowledge, svc.knowledge_dir)
    except KnowledgeError as exc:
        shown = [str(p) for p in exc.problems[:MAX_PROBLEMS_SHOWN]]
        more = len(exc.problems) - len(shown)
        text = msg.text("telegram.reload_problems", count=len(exc.problems), problems="\n".join(shown))
        if more > 0:
            text += "\n" + msg.text("telegram.reload_more", count=more)
        return text
    except Exception as exc:
        log.error("knowledge reload failed: %s", safe_traceback(exc))
        return msg.text("telegram.reload_failed", error=f"{type(exc).__name__}: {exc}")
    try:
        await svc.call(svc.engine.swap_knowledge, knowledge)
    except Exception as exc:
        log.error("knowledge swap failed: %s", safe_traceback(exc))
        return msg.text("telegram.swap_failed", error=f"{type(exc).__name__}: {exc}")
    entries = len(knowledge.entries())
    took = time.monotonic() - started
    log.info(
        "knowledge reloaded: %d departments, %d entries in %.1fs", len(knowledge.departments), entries, took
    )
    return catalogue_of(knowledge).text(
        "telegram.reloaded", departments=len(knowledge.departments), entries=entries, seconds=f"{took:.1f}"
    )


def _duration(msg: Catalogue, seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return msg.text("telegram.duration_seconds", seconds=int(seconds))
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        if hours:
            return msg.text("telegram.duration_hours", hours=hours, minutes=minutes)
        return msg.text("telegram.duration_minutes", minutes=minutes)
    days, hours = divmod(hours, 24)
    return msg.text("telegram.duration_days", days=days, hours=hours)


def stats_text(svc: Services) -> str:
    msg = catalogue_of(svc.engine.knowledge)
    data = svc.store.stats(svc.now())
    lines = [msg.text("telegram.stats_total", count=data["total"])]
    if data["by_kind_status"]:
        lines.append(msg.text("telegram.stats_by_kind_status"))
        for kind, statuses in sorted(data["by_kind_status"].items()):
            detail = "，".join(f"{status}{n}" for status, n in statuses.items())
            lines.append(
                msg.text("telegram.stats_kind", kind=kind, count=data["by_kind"][kind], detail=detail)
            )
    if data["by_status"]:
        detail = "，".join(f"{s}{n}" for s, n in data["by_status"].items())
        lines.append(msg.text("telegram.stats_by_status", detail=detail))
    median = data["median_first_reply_seconds"]
    duration = _duration(msg, median) if median is not None else msg.text("telegram.stats_no_first_reply")
    lines.append(msg.text("telegram.stats_first_reply", duration=duration))
    lines.append(msg.text("telegram.stats_overdue", count=data["overdue"]))
    declined = data["top_declined"]
    if declined:
        lines.append(msg.text("telegram.stats_declined_head"))
        lines += [
            msg.text("telegram.stats_declined", n=i, text=text, count=n)
            for i, (text, n) in enumerate(declined, 1)
        ]
    else:
        lines.append(msg.text("telegram.stats_declined_none"))
    pending, failed = svc.store.outbox_pending(), svc.store.outbox_failed()
    if pending or failed:
        lines.append(msg.text("telegram.stats_outbox", pending=pending, failed=failed))
    votes = ratings(svc.store)
    if votes:
        up = sum(u for u, _ in votes.values())
        down = sum(d for _, d in votes.values())
        lines.append(msg.text("telegram.stats_ratings", up=up, down=down))
        worst = sorted(((d, e) for e, (_, d) in votes.items() if d), reverse=True)[:5]
        for d, entry in worst:
            loc = svc.engine.knowledge.get(entry)
            title = loc.title if loc is not None else entry
            lines.append(msg.text("telegram.stats_unhelpful", title=title, entry=entry, count=d))
    return "\n".join(lines)


@guarded(apologise=False)
async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    msg = update.effective_message
    user = update.effective_user
    if user is None or not svc.is_admin(user.id):
        log.info("admin command refused (%s)", describe(update))
        not_admin = catalogue_of(svc.engine.knowledge).text("telegram.not_admin")
        await svc.sender.send_text(msg.chat_id, not_admin, reply_to=msg.message_id)
        return
    command = msg.text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower()
    if command == "reload":
        reloading = catalogue_of(svc.engine.knowledge).text("telegram.reloading")
        await svc.sender.send_text(msg.chat_id, reloading, reply_to=msg.message_id)
        text = await reload_knowledge(svc)
    else:
        text = await svc.call(stats_text, svc)
    await svc.sender.send_text(msg.chat_id, text, reply_to=msg.message_id)
