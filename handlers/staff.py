"""The staff desk: request cards in the staff group, replies relayed to residents, staff commands.

Every new request (a submitted form, or a 咨询 handover) posts a card to the staff group with
personal data masked and the buttons 认领 / 回复 / 办结 / 详情. 详情 sends the full record to
the staff member privately (never to the group). A Telegram reply to a card (or to a relayed
resident message, or to the 回复 prompt) goes to the resident and into the request's thread;
so does ``/reply REF text``. Commands: /queue /claim /close /extend /note /reply /warn /detail.
Only the user ids in CITIZEN_BOT_STAFF_IDS (and administrators) may use any of it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from telegram import Update, User
from telegram.ext import ContextTypes

from bot import formflow as ff
from bot.dialog import HANDOVER_KIND, cn_date, find_reference
from bot.masking import scrub
from bot.store import (
    ANSWERED,
    COMPLETED,
    EXTENDED,
    IN_PROGRESS,
    NEEDS_CORRECTION,
    SUBMITTED,
    Request,
    StatusError,
    StoreError,
    StoreUnavailable,
    UnknownRequest,
)
from handlers.common import Services, describe, guarded, resident_chat, services
from handlers.send import esc

log = logging.getLogger("handlers.staff")

#: 《政府信息公开条例》第三十六条: the kinds of reply to a disclosure request.
REPLY_KINDS = ("已主动公开", "予以公开", "不予公开", "信息不存在", "非本机关掌握", "重复申请")
EXTENSION_WORKING_DAYS = 20
DISCLOSURE_PREFIX = "GK-"

STAFF_COMMANDS = ("queue", "claim", "close", "extend", "note", "reply", "warn", "detail")
NOT_STAFF = "此命令仅限工作人员使用。"
NOT_STAFF_BUTTON = "仅限工作人员操作。"
WRONG_PLACE = "请在工作人员群或与本助手的私聊中使用工作人员命令。"
REFERENCE_HELP = "请写明申请编号，例如 GK-20261123-0001。"

STAFF_HELP = (
    """工作人员命令：
/queue 待办申请（按期限排序）
/claim 编号 认领
/reply 编号 内容 答复居民（也可以直接回复申请卡片或居民留言）
/close 编号 [答复类型] 办结；信息公开申请需选择答复类型："""
    + "、".join(REPLY_KINDS)
    + """
/extend 编号 延期20个工作日（每件只能延期一次）
/note 编号 内容 内部备注（居民看不到）
/detail 编号 私信查看完整信息
/warn 内容 向预警订阅者发送预警信息
卡片按钮：认领 / 回复 / 办结 / 详情（详情只私信发给点按钮的工作人员）。"""
)


@dataclass(frozen=True)
class Result:
    """What a staff action says back to the staff member."""

    text: str
    ok: bool = True


def staff_key(user: User) -> str:
    return f"tg:{user.id}"


async def _remember_name(svc: Services, user: User) -> None:
    try:
        await svc.call(svc.store.set_meta, f"staff:{user.id}", user.full_name or str(user.id))
    except StoreError:
        pass


def staff_name(svc: Services, assignee: str | None) -> str:
    """Synchronous: the display name of an assignee key ('tg:<id>')."""
    if not assignee:
        return ""
    uid = assignee.removeprefix("tg:")
    return svc.store.get_meta(f"staff:{uid}") or assignee


# --------------------------------------------------------------------------- cards


def _due_text(req: Request) -> str:
    if req.due_date is None:
        return "—"
    text = cn_date(req.due_date)
    return text + "（暂定）" if req.due_provisional else text


def masked_lines(svc: Services, req: Request) -> list[str]:
    """The request's content with personal fields masked (what the group may see)."""
    data = req.data
    lines: list[str] = []
    if req.kind == HANDOVER_KIND:
        reason = {"requested": "居民要求人工服务", "misunderstood": "连续多次未能理解居民的问题"}.get(
            str(data.get("reason")), str(data.get("reason") or "")
        )
        if reason:
            lines.append(f"原因：{reason}")
        if data.get("form"):
            lines.append(f"正在填写：{data['form']}（{data.get('field') or '-'}）")
        convo = data.get("conversation") or []
        if convo:
            lines.append("最近对话：")
            for item in convo[-8:]:
                who = "居民" if item.get("from") == "resident" else "助手"
                text = scrub(str(item.get("text", ""))).replace("\n", " ")
                lines.append(f"  {who}：{text[:120]}")
        return lines
    form = svc.engine.knowledge.extras.get("forms", {}).get(data.get("form"))
    values = data.get("fields") or {}
    if form is None:
        return [f"{key}：{scrub(str(value))}" for key, value in values.items() if value]
    for f in form.fields:
        value = values.get(f.key)
        if value:
            lines.append(f"{ff.bare_label(f)}：{ff.masked(f, str(value))}")
    return lines


def full_lines(svc: Services, req: Request) -> list[str]:
    """The request's content unmasked (staff only, privately)."""
    data = req.data
    if req.kind == HANDOVER_KIND:
        return masked_lines(svc, req)  # the conversation is stored scrubbed anyway
    form = svc.engine.knowledge.extras.get("forms", {}).get(data.get("form"))
    values = data.get("fields") or {}
    if form is None:
        return [f"{key}：{value}" for key, value in values.items() if value]
    return [f"{ff.bare_label(f)}：{values[f.key]}" for f in form.fields if values.get(f.key)]


def card_text(svc: Services, req: Request) -> str:
    """HTML of a request card (everything escaped; personal data masked)."""
    head = "【人工服务】" if req.kind == HANDOVER_KIND else "【新申请】"
    lines = [
        f"<b>{esc(head)}{esc(req.reference)}</b>",
        f"类型：{esc(req.kind)}",
        f"承办：{esc(req.office or '—')}",
        f"受理日期：{esc(cn_date(req.received_date))}",
    ]
    if req.kind != HANDOVER_KIND:
        lines.append(f"答复期限：{esc(_due_text(req))}")
    lines.append(f"状态：{esc(req.status)}" + (f"（{esc(req.closed_kind)}）" if req.closed_kind else ""))
    if req.assignee:
        lines.append(f"认领：{esc(staff_name(svc, req.assignee))}")
    body = masked_lines(svc, req)
    if body:
        lines.append("——")
        lines += [esc(line) for line in body]
    if req.is_open:
        lines.append("（直接回复本卡片即可答复居民）")
    return "\n".join(lines)


def card_buttons(req: Request) -> list[tuple[str, str]]:
    ref = req.reference
    if not req.is_open:
        return [("详情", f"s:detail:{ref}")]
    return [
        ("认领", f"s:claim:{ref}"),
        ("回复", f"s:reply:{ref}"),
        ("办结", f"s:close:{ref}"),
        ("详情", f"s:detail:{ref}"),
    ]


def kind_buttons(ref: str) -> list[tuple[str, str]]:
    return [(kind, f"s:closek:{ref}:{i}") for i, kind in enumerate(REPLY_KINDS, 1)] + [
        ("返回", f"s:card:{ref}")
    ]


async def post_card(svc: Services, reference: str) -> None:
    req = await svc.call(svc.store.get_request, reference)
    if req is None:
        log.error("card for unknown request %s", reference)
        return
    text = await svc.call(card_text, svc, req)
    await svc.sender.send_text(
        svc.settings.staff_chat_id,
        text,
        escape=False,
        buttons=card_buttons(req),
        card=reference,
        main_card=True,
    )


async def refresh_card(
    svc: Services, reference: str, buttons: Sequence[tuple[str, str]] | None = None
) -> None:
    """Re-draw the request's main card (status, assignee) where it was posted."""
    where = await svc.call(svc.store.get_meta, f"card:{reference}")
    req = await svc.call(svc.store.get_request, reference)
    if not where or req is None:
        return
    chat, _, message = where.partition(":")
    text = await svc.call(card_text, svc, req)
    await svc.sender.edit(int(chat), int(message), text, card_buttons(req) if buttons is None else buttons)


#: Characters of a resident's text per relay message (Telegram's 4,096 counts the parsed text).
RELAY_CHARS = 1500


async def relay_resident_message(svc: Services, reference: str, text: str) -> None:
    """A resident's message while with a person: to the staff group (scrubbed), replyable."""
    shown = scrub(text)
    # Header + escaped text must fit one Telegram message: long messages go in numbered parts.
    chunks = [shown[i : i + RELAY_CHARS] for i in range(0, len(shown), RELAY_CHARS)] or [""]
    for n, chunk in enumerate(chunks, 1):
        part = f"（{n}/{len(chunks)}）" if len(chunks) > 1 else ""
        body = f"<b>【居民留言】{esc(reference)}</b>{part}\n{esc(chunk)}\n（回复本条消息即可答复居民）"
        await svc.sender.send_text(svc.settings.staff_chat_id, body, escape=False, card=reference)


async def send_staff_help(svc: Services, chat_id: int) -> None:
    await svc.sender.send_text(chat_id, STAFF_HELP)


# --------------------------------------------------------------------------- actions


async def tell_resident(svc: Services, req: Request, text: str) -> bool:
    chat = resident_chat(req.resident)
    if chat is None:
        return False
    await svc.sender.send_text(chat, text)
    return True


def _start_work(svc: Services, req: Request, by: str, note: str) -> Request:
    """已提交 -> 处理中 (synchronous; the first claim or reply)."""
    if req.status == SUBMITTED:
        return svc.store.set_status(req.reference, IN_PROGRESS, by=by, note=note, now=svc.now())
    return req


def _get(svc: Services, reference: str) -> Request:
    req = svc.store.get_request(reference)
    if req is None:
        raise UnknownRequest(reference)
    return req


async def claim(svc: Services, reference: str, user: User) -> Result:
    await _remember_name(svc, user)
    by = staff_key(user)

    def work() -> tuple[Request, bool]:
        req = _get(svc, reference)
        if req.assignee == by and req.status != SUBMITTED:
            return req, False
        req = svc.store.assign(reference, by, svc.now())
        started = req.status == SUBMITTED
        return _start_work(svc, req, by, "认领"), started

    req, started = await svc.call(work)
    await refresh_card(svc, reference)
    if started:
        name = ff.request_name(svc.engine.knowledge.extras.get("forms", {}), req.kind)
        await tell_resident(svc, req, f"您的{name}（编号 {req.reference}）已由工作人员开始办理。")
    return Result(f"已认领 {reference}（{user.full_name}）。")


async def reply(svc: Services, reference: str, user: User, text: str) -> Result:
    text = text.strip()
    if not text:
        return Result("答复内容不能为空。", ok=False)
    await _remember_name(svc, user)
    by = staff_key(user)

    def work() -> Request:
        req = _get(svc, reference)
        svc.store.add_message(reference, "staff", by, text, svc.now())
        return _start_work(svc, req, by, "工作人员答复") if req.is_open else req

    req = await svc.call(work)
    delivered = await tell_resident(svc, req, f"【工作人员回复】（编号 {reference}）\n{text}")
    if req.status == IN_PROGRESS:
        await refresh_card(svc, reference)
    if not delivered:
        return Result(f"已记入 {reference} 的记录，但该居民不是通过 Telegram 提交的，无法转达。", ok=False)
    return Result(f"已转达居民（{reference}）。")


async def close(svc: Services, reference: str, user: User, kind: str | None = None) -> Result:
    await _remember_name(svc, user)
    by = staff_key(user)
    disclosure = reference.startswith(DISCLOSURE_PREFIX)
    if disclosure and kind is None:
        return Result("请选择答复类型（《政府信息公开条例》第三十六条）：", ok=False)
    if disclosure and kind not in REPLY_KINDS:
        return Result(f"答复类型应为：{'、'.join(REPLY_KINDS)}。", ok=False)

    def work() -> Request:
        req = _get(svc, reference)
        if not req.is_open:
            raise StatusError(f"申请 {reference} 已经「{req.status}」。")
        if req.status == NEEDS_CORRECTION and disclosure:
            raise StatusError(f"申请 {reference} 正在等待居民补正，补正后才能答复。")
        req = _start_work(svc, req, by, "办结")
        if disclosure:
            return svc.store.set_status(
                reference, ANSWERED, by=by, note=f"答复类型：{kind}", now=svc.now(), closed_kind=kind
            )
        return svc.store.set_status(reference, COMPLETED, by=by, note="办结", now=svc.now())

    req = await svc.call(work)
    await refresh_card(svc, reference)
    if disclosure:
        await tell_resident(svc, req, f"您的政府信息公开申请（编号 {reference}）已答复，答复类型：{kind}。")
        return Result(f"{reference} 已答复（{kind}）。")
    if req.kind == HANDOVER_KIND:
        await tell_resident(
            svc, req, f"本次人工服务（编号 {reference}）已结束。还有问题可以继续问我，或回复“人工”。"
        )
    else:
        name = ff.request_name(svc.engine.knowledge.extras.get("forms", {}), req.kind)
        await tell_resident(svc, req, f"您的{name}（编号 {reference}）已办结。")
    return Result(f"{reference} 已办结。")


async def extend(svc: Services, reference: str, user: User) -> Result:
    """20 more working days from the current due date (条例 Art. 33), once; the resident is told."""
    await _remember_name(svc, user)
    by = staff_key(user)

    def work() -> Request:
        req = _get(svc, reference)
        if req.extended:
            raise StatusError(f"申请 {reference} 已经延期过一次，按规定只能延期一次。")
        if req.due_date is None:
            raise StatusError(f"申请 {reference} 没有答复期限，无法延期。")
        new = svc.calendar().add_working_days(req.due_date, EXTENSION_WORKING_DAYS)
        return svc.store.set_status(
            reference,
            EXTENDED,
            by=by,
            note=f"延期{EXTENSION_WORKING_DAYS}个工作日",
            now=svc.now(),
            due=new.date,
            due_provisional=new.provisional or req.due_provisional,
        )

    req = await svc.call(work)
    await refresh_card(svc, reference)
    due = _due_text(req)
    law = "根据《政府信息公开条例》第三十三条，" if reference.startswith(DISCLOSURE_PREFIX) else ""
    await tell_resident(
        svc, req, f"您的{req.kind}（编号 {reference}）需要延长办理期限。{law}答复期限延长至{due}。"
    )
    return Result(f"{reference} 已延期至 {due}，已告知居民。")


async def note(svc: Services, reference: str, user: User, text: str) -> Result:
    """An internal note (``Store.add_note``): kept apart from the thread, so residents never see it
    and it does not count as a reply in /stats; 详情 shows it among the thread's messages."""
    text = text.strip()
    if not text:
        return Result("备注内容不能为空。", ok=False)
    await _remember_name(svc, user)

    def work() -> None:
        _get(svc, reference)
        svc.store.add_note(reference, staff_key(user), text, svc.now())

    await svc.call(work)
    return Result(f"已为 {reference} 添加备注。")


def detail_text(svc: Services, reference: str, viewer: str | None = None) -> str:
    """Everything about a request, unmasked: only ever sent privately to a staff member.
    A request whose resident asked to be forgotten stays masked for anyone but its assignee."""
    req = _get(svc, reference)
    hidden = req.forgotten and (req.assignee is None or req.assignee != viewer)
    lines = [
        f"【详情】{req.reference}（含个人信息，仅供办理使用，请勿转发）",
        f"类型：{req.kind}　状态：{req.status}" + (f"（{req.closed_kind}）" if req.closed_kind else ""),
        f"承办：{req.office or '—'}",
        f"受理日期：{cn_date(req.received_date)}",
    ]
    if req.due_date:
        lines.append(f"答复期限：{_due_text(req)}")
    if req.assignee:
        lines.append(f"认领：{staff_name(svc, req.assignee)}")
    if req.forgotten:
        lines.append("（居民已要求删除个人信息：仅承办人员可见）")
    lines.append("——")
    lines += masked_lines(svc, req) if hidden else full_lines(svc, req)
    # the thread and the internal notes, in time order (a note after a message of the same time)
    entries: list[tuple[datetime, int, str, str]] = []
    for m in svc.store.thread(reference):
        if m.sender == "resident":
            who = "居民"
        elif m.sender == "staff":
            who = f"工作人员（{staff_name(svc, m.author)}）"
        else:
            who = "助手"
        text = "（居民留言已隐去）" if hidden and m.sender == "resident" else m.text
        entries.append((m.at, 0, who, text))
    for n in svc.store.notes(reference):
        entries.append((n.at, 1, f"内部备注（{staff_name(svc, n.author)}）", n.text))
    if entries:
        lines.append("——")
        lines.append("往来记录：")
        for at, _, who, text in sorted(entries, key=lambda e: (e[0], e[1])):
            lines.append(f"· {at:%m-%d %H:%M} {who}：{text}")
    history = svc.store.history(reference)
    if history:
        lines.append("——")
        lines.append("办理记录：")
        for h in history:
            extra = f" {h.note}" if h.note else ""
            lines.append(f"· {h.at:%Y-%m-%d %H:%M} {h.status}{extra}")
    lines.append("（回复本条消息即可答复居民）")
    return "\n".join(lines)


async def send_detail(svc: Services, reference: str, user: User) -> Result:
    text = await svc.call(detail_text, svc, reference, staff_key(user))
    sent = await svc.sender.send_text(user.id, text, card=reference, outbox=False)
    if sent is None:
        return Result("无法私信发送详情：请先私聊本助手发送 /start，然后再点「详情」。", ok=False)
    return Result("详情已私信发送给您。")


def request_line(svc: Services, req: Request, today: date) -> str:
    due = _due_text(req) if req.due_date else "无期限"
    overdue = req.due_date is not None and req.due_date < today and req.status != NEEDS_CORRECTION
    who = f" 认领：{staff_name(svc, req.assignee)}" if req.assignee else " 未认领"
    return f"· {req.reference} {req.kind} {req.status} 期限{due}{'【已逾期】' if overdue else ''}{who}"


def queue_text(svc: Services, limit: int = 40) -> str:
    requests = svc.store.open_requests(order_by_due=True)
    if not requests:
        return "目前没有待办申请。"
    today = svc.today()
    lines = [f"待办申请共{len(requests)}件（按期限排序）："]
    lines += [request_line(svc, r, today) for r in requests[:limit]]
    if len(requests) > limit:
        lines.append(f"……另有{len(requests) - limit}件。")
    return "\n".join(lines)


async def broadcast_warning(svc: Services, text: str, user: User, report_chat: int) -> None:
    """预警信息 to every 'warnings' subscriber, within the sender's rate limit (≤ 25 msg/s)."""
    residents = await svc.call(svc.store.subscribers, "warnings")
    chats = [c for c in (resident_chat(r) for r in residents) if c is not None]
    body = f"【预警信息】\n{text}"
    sent = kept = 0
    for chat in chats:
        msg = await svc.sender.send_text(chat, body, buttons=[("取消预警订阅", "unsub:warnings")])
        if msg is None:
            kept += 1
        else:
            sent += 1
    log.info("warning broadcast by %s: %d sent, %d kept for retry", user.id, sent, kept)
    summary = f"预警信息已发送给 {sent} 位订阅者。"
    if kept:
        summary += f"另有 {kept} 条暂未送达，已进入重发队列。"
    await svc.sender.send_text(report_chat, summary)


# --------------------------------------------------------------------------- Telegram entry points


def _allowed_place(svc: Services, update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and (chat.type == "private" or chat.id == svc.settings.staff_chat_id)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, StoreUnavailable):
        return exc.user_message
    if isinstance(exc, StoreError):
        return exc.message
    raise exc


@guarded(apologise=False)
async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    msg = update.effective_message
    user = update.effective_user
    chat_id = msg.chat_id
    if user is None or not svc.is_staff(user.id):
        log.info("staff command refused (%s)", describe(update))
        await svc.sender.send_text(chat_id, NOT_STAFF, reply_to=msg.message_id)
        return
    if not _allowed_place(svc, update):
        await svc.sender.send_text(chat_id, WRONG_PLACE, reply_to=msg.message_id)
        return
    command = msg.text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower()
    parts = msg.text.split(maxsplit=2)
    arg = parts[1] if len(parts) > 1 else ""
    rest = parts[2] if len(parts) > 2 else ""

    async def answer(result: Result | str, buttons: Sequence[tuple[str, str]] = ()) -> None:
        text = result.text if isinstance(result, Result) else result
        await svc.sender.send_text(chat_id, text, buttons=buttons, reply_to=msg.message_id)

    if command == "queue":
        await answer(await svc.call(queue_text, svc))
        return
    if command == "warn":
        text = msg.text.split(maxsplit=1)[1].strip() if len(msg.text.split(maxsplit=1)) > 1 else ""
        if not text:
            await answer("用法：/warn 预警内容")
            return
        residents = await svc.call(svc.store.subscribers, "warnings")
        count = sum(1 for r in residents if resident_chat(r) is not None)
        await answer(f"正在向 {count} 位订阅者发送预警信息……")
        context.application.create_task(
            broadcast_warning(svc, text, user, chat_id), update=update, name="warning-broadcast"
        )
        return
    reference = find_reference(arg) if arg else None
    if reference is None:
        await answer(
            f"用法：/{command} 编号{' 内容' if command in ('reply', 'note') else ''}。{REFERENCE_HELP}"
        )
        return
    try:
        if command == "claim":
            await answer(await claim(svc, reference, user))
        elif command == "reply":
            await answer(await reply(svc, reference, user, rest))
        elif command == "note":
            await answer(await note(svc, reference, user, rest))
        elif command == "extend":
            await answer(await extend(svc, reference, user))
        elif command == "detail":
            await answer(await send_detail(svc, reference, user))
        elif command == "close":
            kind = _reply_kind(rest) if rest else None
            if rest and kind is None:
                await answer(f"答复类型应为：{'、'.join(REPLY_KINDS)}（或序号1-6）。")
                return
            result = await close(svc, reference, user, kind)
            await answer(result, kind_buttons(reference)[:-1] if not result.ok and kind is None else ())
    except (StoreError, LookupError) as exc:
        await answer(
            _error_text(exc) if isinstance(exc, StoreError) else f"未找到编号为 {reference} 的申请。"
        )


def _reply_kind(text: str) -> str | None:
    text = text.strip()
    if text.isdigit() and 1 <= int(text) <= len(REPLY_KINDS):
        return REPLY_KINDS[int(text) - 1]
    return text if text in REPLY_KINDS else None


async def reply_from_staff(
    svc: Services, reference: str, user: User, text: str, chat_id: int, message_id: int
) -> None:
    """A staff member's Telegram reply to a card, relay or prompt: relay it to the resident."""
    try:
        result = await reply(svc, reference, user, text)
        out = result.text
    except StoreError as exc:
        out = _error_text(exc)
    await svc.sender.send_text(chat_id, out, reply_to=message_id)


@guarded(apologise=False)
async def on_group_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A text reply in the staff group: to a card (or relayed message / reply prompt) -> resident."""
    svc = services(context)
    msg = update.effective_message
    target = msg.reply_to_message
    if target is None:
        return
    reference = await svc.call(svc.store.reference_for_card, msg.chat_id, target.message_id)
    if reference is None:
        return  # staff talking among themselves
    user = update.effective_user
    if user is None or not svc.is_staff(user.id):
        await svc.sender.send_text(msg.chat_id, "只有登记的工作人员才能答复居民。", reply_to=msg.message_id)
        return
    await reply_from_staff(svc, reference, user, msg.text, msg.chat_id, msg.message_id)


_CALLBACK = re.compile(r"^s:(claim|reply|close|closek|detail|card):([A-Z]{2}-\d{8}-\d{4,})(?::(\d))?$")


async def on_staff_button(update: Update, context: ContextTypes.DEFAULT_TYPE, data: str) -> None:
    svc = services(context)
    query = update.callback_query
    user = update.effective_user
    if user is None or not svc.is_staff(user.id):
        await svc.sender.answer(query, NOT_STAFF_BUTTON, alert=True)
        return
    m = _CALLBACK.match(data)
    if m is None:
        await svc.sender.answer(query, "这个按钮已经失效了。")
        return
    action, reference, index = m.group(1), m.group(2), m.group(3)
    message = query.message
    try:
        if action == "claim":
            result = await claim(svc, reference, user)
            await svc.sender.answer(query, result.text)
        elif action == "detail":
            result = await send_detail(svc, reference, user)
            await svc.sender.answer(query, result.text, alert=not result.ok)
        elif action == "reply":
            await svc.sender.answer(query)
            await _remember_name(svc, user)
            mention = f'<a href="tg://user?id={user.id}">{esc(user.full_name or "工作人员")}</a>'
            await svc.sender.send_text(
                message.chat.id if message else user.id,
                f"{mention} 请直接回复本条消息，输入要发给居民的内容（{esc(reference)}）。",
                escape=False,
                force_reply=True,
                reply_to=message.message_id if message else None,
                card=reference,
            )
        elif action == "close":
            if reference.startswith(DISCLOSURE_PREFIX):
                await svc.sender.answer(query, "请选择答复类型")
                await refresh_card(svc, reference, kind_buttons(reference))
            else:
                result = await close(svc, reference, user)
                await svc.sender.answer(query, result.text)
        elif action == "closek":
            kind = REPLY_KINDS[int(index) - 1] if index and 1 <= int(index) <= len(REPLY_KINDS) else None
            result = await close(svc, reference, user, kind)
            await svc.sender.answer(query, result.text, alert=not result.ok)
        elif action == "card":
            await svc.sender.answer(query)
            await refresh_card(svc, reference)
    except StoreError as exc:
        await svc.sender.answer(query, _error_text(exc)[:190], alert=True)
        if action in ("close", "closek"):
            await refresh_card(svc, reference)
