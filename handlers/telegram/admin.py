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
from handlers.telegram.common import Services, describe, guarded, safe_traceback, services
from handlers.telegram.resident import ratings

log = logging.getLogger("handlers.telegram.admin")

ADMIN_COMMANDS = ("reload", "stats")
NOT_ADMIN = "此命令仅限管理员使用。"
MAX_PROBLEMS_SHOWN = 30


async def reload_knowledge(svc: Services) -> str:
    started = time.monotonic()
    try:
        knowledge = await svc.call(load_knowledge, svc.knowledge_dir)
    except KnowledgeError as exc:
        shown = [str(p) for p in exc.problems[:MAX_PROBLEMS_SHOWN]]
        more = len(exc.problems) - len(shown)
        text = f"知识库有 {len(exc.problems)} 处错误，未更新，继续使用原来的知识库：\n" + "\n".join(shown)
        if more > 0:
            text += f"\n……另有 {more} 处，请运行 citizen-bot knowledge check 查看全部。"
        return text
    except Exception as exc:
        log.error("knowledge reload failed: %s", safe_traceback(exc))
        return f"知识库加载失败，未更新，继续使用原来的知识库：{type(exc).__name__}: {exc}"
    try:
        await svc.call(svc.engine.swap_knowledge, knowledge)
    except Exception as exc:
        log.error("knowledge swap failed: %s", safe_traceback(exc))
        return f"知识库切换失败，继续使用原来的知识库：{type(exc).__name__}: {exc}"
    entries = len(knowledge.entries())
    took = time.monotonic() - started
    log.info(
        "knowledge reloaded: %d departments, %d entries in %.1fs", len(knowledge.departments), entries, took
    )
    return f"知识库已更新：{len(knowledge.departments)} 个部门，{entries} 个条目（用时 {took:.1f} 秒）。"


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 1:
        return f"{int(seconds)}秒"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}小时{minutes}分" if hours else f"{minutes}分钟"
    days, hours = divmod(hours, 24)
    return f"{days}天{hours}小时"


def stats_text(svc: Services) -> str:
    data = svc.store.stats(svc.now())
    lines = [f"【统计】申请共 {data['total']} 件"]
    if data["by_kind_status"]:
        lines.append("按类型和状态：")
        for kind, statuses in sorted(data["by_kind_status"].items()):
            detail = "，".join(f"{status}{n}" for status, n in statuses.items())
            lines.append(f"· {kind} {data['by_kind'][kind]}件（{detail}）")
    if data["by_status"]:
        lines.append("按状态：" + "，".join(f"{s}{n}" for s, n in data["by_status"].items()))
    median = data["median_first_reply_seconds"]
    lines.append("首次人工回复时间（中位数）：" + (_duration(median) if median is not None else "暂无"))
    lines.append(f"已逾期：{data['overdue']} 件")
    declined = data["top_declined"]
    if declined:
        lines.append("未能回答最多的问题：")
        lines += [f"{i}. {text}（{n}次）" for i, (text, n) in enumerate(declined, 1)]
    else:
        lines.append("未能回答的问题：暂无")
    pending, failed = svc.store.outbox_pending(), svc.store.outbox_failed()
    if pending or failed:
        lines.append(f"消息发送：待重发 {pending} 条，无法送达（已放弃）{failed} 条")
    votes = ratings(svc.store)
    if votes:
        up = sum(u for u, _ in votes.values())
        down = sum(d for _, d in votes.values())
        lines.append(f"回答评价：有用 {up}，没用 {down}")
        worst = sorted(((d, e) for e, (_, d) in votes.items() if d), reverse=True)[:5]
        for d, entry in worst:
            loc = svc.engine.knowledge.get(entry)
            title = loc.title if loc is not None else entry
            lines.append(f"· “没用”较多：{title}（{entry}）{d}次")
    return "\n".join(lines)


@guarded(apologise=False)
async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    msg = update.effective_message
    user = update.effective_user
    if user is None or not svc.is_admin(user.id):
        log.info("admin command refused (%s)", describe(update))
        await svc.sender.send_text(msg.chat_id, NOT_ADMIN, reply_to=msg.message_id)
        return
    command = msg.text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower()
    if command == "reload":
        await svc.sender.send_text(msg.chat_id, "正在校验并加载知识库……", reply_to=msg.message_id)
        text = await reload_knowledge(svc)
    else:
        text = await svc.call(stats_text, svc)
    await svc.sender.send_text(msg.chat_id, text, reply_to=msg.message_id)
