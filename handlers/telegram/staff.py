"""The staff desk: request cards in the staff group, replies relayed to residents, staff commands.

Every new request (a submitted form, or a 咨询 handover) posts a card to the staff group with
personal data masked and the buttons 认领 / 回复 / 办结 / 详情. 详情 sends the full record to
the staff member privately (never to the group). A Telegram reply to a card (or to a relayed
resident message, or to the 回复 prompt) goes to the resident and into the request's thread;
so does ``/reply REF text``. Commands: /queue /claim /close /extend /note /reply /warn /detail,
and for 政府信息公开 applications /correct (补正告知) /corrected (补正已收到) /applicant (申请人类型).
Only the user ids in CITIZEN_BOT_STAFF_IDS (and administrators) may use any of it.

A disclosure application is closed with one of the annual report's outcome rows
(``knowledge/outcomes.yaml``: category, then reason), so the yearly table counts itself.
补正 is its own step: one notice listing everything to correct (条例 Art. 30), the clock stops;
the resident replies to the notice (relayed into the thread), and staff confirm 补正已收到,
which restarts the 20 working days from the day the corrected application arrived. Staff
confirm rather than the resident's reply doing it, because only a person can judge whether
the supplement is complete (if not, the outcome is 无法提供：补正后申请内容仍不明确), and for
an online application the day of receipt is when both sides confirm it (Art. 31).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from telegram import Update, User
from telegram.ext import ContextTypes

from bot import formflow as ff
from bot.dialog import HANDOVER_KIND, cn_date, find_reference
from bot.masking import scrub
from bot.outcomes import APPLICANT_TYPES, Catalogue, Category, Outcome
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
from bot.text import ascii_int
from handlers.telegram.common import Services, describe, guarded, resident_chat, services
from handlers.telegram.send import Outgoing, esc

log = logging.getLogger("handlers.telegram.staff")

EXTENSION_WORKING_DAYS = 20
DISCLOSURE_PREFIX = "GK-"
#: 条例 Art. 30: the 补正 notice goes out within 7 working days of receipt.
CORRECTION_NOTICE_WORKING_DAYS = 7
#: 条例 Art. 33, when the form does not say (knowledge/forms/disclosure.yaml does).
REPLY_WORKING_DAYS = 20

STAFF_COMMANDS = (
    "queue",
    "claim",
    "close",
    "extend",
    "note",
    "reply",
    "warn",
    "detail",
    "correct",
    "corrected",
    "applicant",
)
_WITH_TEXT = ("reply", "note", "correct")
NOT_STAFF = "此命令仅限工作人员使用。"
NOT_STAFF_BUTTON = "仅限工作人员操作。"
WRONG_PLACE = "请在工作人员群或与本助手的私聊中使用工作人员命令。"
REFERENCE_HELP = "请写明申请编号，例如 GK-20261123-0001。"

STAFF_HELP = (
    """工作人员命令：
/queue 待办申请（按期限排序）
/claim 编号 认领
/reply 编号 内容 答复居民（也可以直接回复申请卡片或居民留言）
/close 编号 [办理结果] 办结；信息公开申请按年度报告类别选择，
  如 1（予以公开）、3.1（不予公开：属于国家秘密），不写则给出按钮
/correct 编号 需补正的事项 向居民发出补正告知（一次性列明，收到申请7个工作日内），申请暂停计时
/corrected 编号 [日期] 补正已收到，答复期限自收到补正之日重新计算
/applicant 编号 类型 更正申请人类型（"""
    + "、".join(APPLICANT_TYPES)
    + """）
/extend 编号 延期20个工作日（每件只能延期一次）
/note 编号 内容 内部备注（居民看不到）
/detail 编号 私信查看完整信息
/warn 内容 向预警订阅者发送预警信息
卡片按钮：认领 / 回复 / 办结 / 详情（详情只私信发给点按钮的工作人员）；信息公开申请另有 补正 / 申请人类型。"""
)


@dataclass(frozen=True)
class Result:
    """What a staff action says back to the staff member (with buttons, e.g. a confirmation)."""

    text: str
    ok: bool = True
    buttons: tuple[tuple[str, str], ...] = ()


def staff_key(user: User) -> str:
    return f"tg:{user.id}"


async def _remember_name(svc: Services, user: User) -> None:
    try:
        await svc.call(svc.store.set_meta, f"staff:{user.id}", user.full_name or str(user.id))
    except StoreError:
        pass


def staff_name(svc: Services, assignee: str | None) -> str:
    """Synchronous: the display name of an assignee key ('tg:<id>'); one never seen is shown
    as 工作人员<id>, never as a raw key."""
    if not assignee:
        return ""
    uid = assignee.removeprefix("tg:")
    name = svc.store.get_meta(f"staff:{uid}")
    if name:
        return name
    return f"工作人员{uid}" if uid.isdigit() else assignee


_STAFF_KEY = re.compile(r"\btg:(\d+)\b")


def with_names(svc: Services, text: str) -> str:
    """Staff keys in stored notes ('指派给 tg:900') as names (synchronous)."""
    return _STAFF_KEY.sub(lambda m: staff_name(svc, m.group(0)), text)


def mention(user_id: int, name: str) -> str:
    """HTML that notifies a staff member in the group."""
    return f'<a href="tg://user?id={user_id}">{esc(name)}</a>'


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
    if is_disclosure(req.reference):
        lines.append(f"申请人类型：{esc(applicant_type_text(svc, req))}")
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
    if not is_disclosure(ref):
        return [
            ("认领", f"s:claim:{ref}"),
            ("回复", f"s:reply:{ref}"),
            ("办结", f"s:close:{ref}"),
            ("详情", f"s:detail:{ref}"),
        ]
    if req.status == NEEDS_CORRECTION:
        step = ("补正已收到", f"s:fixed:{ref}")
    else:
        step = ("补正", f"s:fix:{ref}")
    return [
        ("认领", f"s:claim:{ref}"),
        ("回复", f"s:reply:{ref}"),
        step,
        ("办结", f"s:close:{ref}"),
        ("详情", f"s:detail:{ref}"),
        ("申请人类型", f"s:atype:{ref}"),
    ]


# --------------------------------------------------------------------------- outcomes (data)


def outcomes(svc: Services) -> Catalogue:
    """The statutory outcome rows, applicant types and desk texts (knowledge/outcomes.yaml)."""
    return svc.engine.knowledge.extras["outcomes"]


def is_disclosure(reference: str) -> bool:
    return reference.startswith(DISCLOSURE_PREFIX)


def applicant_type_text(svc: Services, req: Request) -> str:
    """The recorded type, or the one derived from the form marked as a guess staff may correct."""
    if req.applicant_type:
        return req.applicant_type
    cat = outcomes(svc)
    return cat.applicant_type(req.data) + cat.text("type_guessed")


def category_buttons(svc: Services, ref: str, back: bool = True) -> list[tuple[str, str]]:
    buttons = [(c.short, f"s:outc:{ref}:{c.code}") for c in outcomes(svc).categories]
    return buttons + ([("返回", f"s:card:{ref}")] if back else [])


def reason_buttons(ref: str, category: Category, back: bool = True) -> list[tuple[str, str]]:
    buttons = [(o.short, f"s:outk:{ref}:{o.code}") for o in category.reasons]
    return buttons + ([("上一步", f"s:close:{ref}"), ("返回", f"s:card:{ref}")] if back else [])


def type_buttons(ref: str, back: bool = True) -> list[tuple[str, str]]:
    buttons = [(t, f"s:atypek:{ref}:{i}") for i, t in enumerate(APPLICANT_TYPES, 1)]
    return buttons + ([("返回", f"s:card:{ref}")] if back else [])


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


def relay_outgoings(chat_id: int, reference: str, text: str) -> list[Outgoing]:
    """A resident's message while with a person, for the staff group (scrubbed), replyable."""
    shown = scrub(text)
    # Header + escaped text must fit one Telegram message: long messages go in numbered parts.
    chunks = [shown[i : i + RELAY_CHARS] for i in range(0, len(shown), RELAY_CHARS)] or [""]
    outs = []
    for n, chunk in enumerate(chunks, 1):
        part = f"（{n}/{len(chunks)}）" if len(chunks) > 1 else ""
        body = f"<b>【居民留言】{esc(reference)}</b>{part}\n{esc(chunk)}\n（回复本条消息即可答复居民）"
        outs.append(Outgoing(chat_id, body, card=reference))
    return outs


async def relay_resident_message(svc: Services, reference: str, text: str) -> None:
    """Send a relay at once (the engine's relays go through the outbox instead)."""
    for out in relay_outgoings(svc.settings.staff_chat_id, reference, text):
        await svc.sender.send(out)


async def send_staff_help(svc: Services, chat_id: int) -> None:
    await svc.sender.send_text(chat_id, STAFF_HELP)


# --------------------------------------------------------------------------- actions


def tell_resident(svc: Services, req: Request, text: str) -> bool:
    """Synchronous, inside the action's store transaction: the notice to the resident goes to
    the outbox with the status change that causes it (``deliver_owed`` sends it). False when no
    channel delivers to the resident's address."""
    return svc.owe(req.resident, "notice", {"text": text}, reference=req.reference)


async def deliver_owed(svc: Services, *addresses: str) -> None:
    """Send what a staff action just wrote to the outbox (the rest waits for the next drain)."""
    await svc.sender.flush(addresses=list(addresses))


def _start_work(svc: Services, req: Request, by: str, note: str) -> Request:
    """已提交 -> 处理中 (synchronous; the first claim or reply)."""
    if req.status == SUBMITTED:
        return svc.store.set_status(req.reference, IN_PROGRESS, by=by, note=note, now=svc.now())
    return req


def _request_name(svc: Services, req: Request) -> str:
    """The form's title (政府信息公开申请, 异地查档申请 …): one wording in every notice."""
    return ff.request_name(svc.engine.knowledge.extras.get("forms", {}), req.kind)


def _get(svc: Services, reference: str) -> Request:
    req = svc.store.get_request(reference)
    if req is None:
        raise UnknownRequest(reference)
    return req


CLAIM_CONFIRM = "确认改由我认领"


async def claim(svc: Services, reference: str, user: User, *, confirmed: bool = False) -> Result:
    """Take a request. One claimed by someone else is taken only when ``confirmed`` (button
    「确认改由我认领」 or ``/claim REF confirm``), and the previous assignee is told in the group."""
    await _remember_name(svc, user)
    by = staff_key(user)
    me = user.full_name or str(user.id)

    def work() -> tuple[Request, bool, str | None]:
        with svc.store.transaction():
            req = _get(svc, reference)
            previous = req.assignee if req.assignee and req.assignee != by else None
            if previous and not confirmed:
                return req, False, previous
            if req.assignee == by and req.status != SUBMITTED:
                return req, False, None
            req = svc.store.assign(reference, by, svc.now())
            started = req.status == SUBMITTED
            req = _start_work(svc, req, by, "认领")
            if started:
                tell_resident(
                    svc, req, f"您的{_request_name(svc, req)}（编号 {req.reference}）已由工作人员开始办理。"
                )
            if previous:
                uid = previous.removeprefix("tg:")
                who = mention(int(uid), staff_name(svc, previous)) if uid.isdigit() else esc(previous)
                svc.owe(
                    "staff",
                    "notice",
                    {"text": f"{who}：您认领的 {esc(reference)} 已改由 {esc(me)} 认领。", "html": True},
                    reference=reference,
                )
            return req, started, previous

    req, started, previous = await svc.call(work)
    if previous and not confirmed:
        name = await svc.call(staff_name, svc, previous)
        return Result(
            f"{reference} 已由 {name} 认领。确定改由您认领吗？（也可以发送 /claim {reference} confirm）",
            ok=False,
            buttons=((CLAIM_CONFIRM, f"s:claimc:{reference}"),),
        )
    await refresh_card(svc, reference)
    await deliver_owed(svc, req.resident, "staff")
    if previous:
        return Result(f"已改由您认领 {reference}（{me}），已通知原认领人。")
    return Result(f"已认领 {reference}（{me}）。")


async def reply(svc: Services, reference: str, user: User, text: str) -> Result:
    text = text.strip()
    if not text:
        return Result("答复内容不能为空。", ok=False)
    await _remember_name(svc, user)
    by = staff_key(user)

    def work() -> tuple[Request, bool]:
        with svc.store.transaction():
            req = _get(svc, reference)
            svc.store.add_message(reference, "staff", by, text, svc.now())
            req = _start_work(svc, req, by, "工作人员答复") if req.is_open else req
            return req, tell_resident(svc, req, f"【工作人员回复】（编号 {reference}）\n{text}")

    req, delivered = await svc.call(work)
    await deliver_owed(svc, req.resident)
    if req.status == IN_PROGRESS:
        await refresh_card(svc, reference)
    if not delivered:
        return Result(f"已记入 {reference} 的记录，但该居民不是通过 Telegram 提交的，无法转达。", ok=False)
    return Result(f"已转达居民（{reference}）。")


async def close(svc: Services, reference: str, user: User, outcome: Outcome | None = None) -> Result:
    """办结. A disclosure application needs its outcome row; from 需补正 only 逾期不补正 closes
    it (as 已办结: treated as withdrawn, 条例 Art. 30). A closed application whose stored outcome
    the report cannot place (an old 不予公开 without its reason) may be given one."""
    await _remember_name(svc, user)
    by = staff_key(user)
    disclosure = is_disclosure(reference)
    cat = outcomes(svc)
    if disclosure and outcome is None:
        return Result(cat.text("choose_category"), ok=False)

    def change() -> tuple[Request, bool]:
        req = _get(svc, reference)
        if not req.is_open:
            if disclosure and outcome is not None and cat.resolve(req.closed_kind).outcome is None:
                return svc.store.reclassify(reference, outcome.label, by=by, now=svc.now()), True
            raise StatusError(cat.text("already_closed", ref=reference, status=req.status))
        if disclosure and outcome is not None:
            waiting = req.status == NEEDS_CORRECTION
            if outcome.only_when_correcting and not waiting:
                raise StatusError(cat.text("only_when_correcting", outcome=outcome.label))
            if waiting and not outcome.only_when_correcting:
                raise StatusError(cat.text("waiting_correction", ref=reference))
            note = f"办理结果：{outcome.label}"
            if waiting:
                return svc.store.set_status(
                    reference, COMPLETED, by=by, note=note, now=svc.now(), closed_kind=outcome.label
                ), False
            req = _start_work(svc, req, by, "办结")
            return svc.store.set_status(
                reference, ANSWERED, by=by, note=note, now=svc.now(), closed_kind=outcome.label
            ), False
        req = _start_work(svc, req, by, "办结")
        return svc.store.set_status(reference, COMPLETED, by=by, note="办结", now=svc.now()), False

    def notice(req: Request) -> str:
        if disclosure and outcome is not None:
            key = "resident_dropped" if outcome.only_when_correcting else "resident_answered"
            return cat.text(key, ref=reference, outcome=outcome.label)
        if req.kind == HANDOVER_KIND:
            return f"本次人工服务（编号 {reference}）已结束。还有问题可以继续问我，或回复“人工”。"
        return f"您的{_request_name(svc, req)}（编号 {reference}）已办结。"

    def work() -> tuple[Request, bool]:
        with svc.store.transaction():  # the status and the resident's notice, together
            req, reclassified = change()
            if not reclassified:
                tell_resident(svc, req, notice(req))
            return req, reclassified

    req, reclassified = await svc.call(work)
    await refresh_card(svc, reference)
    await deliver_owed(svc, req.resident)
    if disclosure and outcome is not None:
        if reclassified:
            return Result(cat.text("reclassified", ref=reference, outcome=outcome.label))
        return Result(cat.text("answered", ref=reference, outcome=outcome.label))
    return Result(f"{reference} 已办结。")


# --------------------------------------------------------------------------- 补正 and applicant type


def _correction_notice(svc: Services, reference: str, items: str) -> str:
    return outcomes(svc).text("resident_correction", ref=reference, items=items)


async def request_correction(svc: Services, reference: str, user: User, items: str) -> Result:
    """补正告知 (条例 Art. 30): one notice listing everything; the request waits (需补正) and
    its reply clock stops. Sent once; past 7 working days from receipt it still goes, with a
    warning to the staff member."""
    cat = outcomes(svc)
    if not is_disclosure(reference):
        return Result(cat.text("correction_only_disclosure"), ok=False)
    items = items.strip()
    if not items:
        return Result(cat.text("correction_usage"), ok=False)
    await _remember_name(svc, user)
    by = staff_key(user)
    notice = _correction_notice(svc, reference, items)

    def work() -> tuple[Request, date, bool]:
        with svc.store.transaction():  # the status and the notice to the resident, together
            req = _get(svc, reference)
            if any(h.status == NEEDS_CORRECTION for h in svc.store.history(reference)):
                raise StatusError(cat.text("correction_once", ref=reference))
            limit = svc.calendar().add_working_days(req.received_date, CORRECTION_NOTICE_WORKING_DAYS).date
            req = svc.store.set_status(
                reference, NEEDS_CORRECTION, by=by, note=f"补正告知：{items}", now=svc.now()
            )
            svc.store.add_message(reference, "staff", by, notice, svc.now())
            # a card of the request: the resident's reply to it lands in the thread
            owed = svc.owe(req.resident, "notice", {"text": notice, "card": reference}, reference=reference)
            return req, limit, owed

    req, limit, owed = await svc.call(work)
    await refresh_card(svc, reference)
    if not owed:
        return Result(cat.text("correction_not_delivered", ref=reference), ok=False)
    await deliver_owed(svc, req.resident)
    text = cat.text("correction_sent", ref=reference)
    if svc.today() > limit:
        text += "\n" + cat.text("correction_late", deadline=cn_date(limit))
    return Result(text)


def _parse_day(text: str) -> date | None:
    m = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*", text)
    if m is None:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


async def correction_received(svc: Services, reference: str, user: User, day_text: str = "") -> Result:
    """补正已收到: the clock restarts from the day the corrected application arrived (the given
    day, else the resident's last message since the notice, else today), moved to the next
    working day like any receipt, plus the form's working days (条例 Art. 30, 31, 33)."""
    cat = outcomes(svc)
    day = _parse_day(day_text) if day_text.strip() else None
    if day_text.strip() and day is None:
        return Result(cat.text("corrected_bad_date", text=day_text.strip()), ok=False)
    await _remember_name(svc, user)
    by = staff_key(user)

    def change() -> Request:
        req = _get(svc, reference)
        if req.status != NEEDS_CORRECTION:
            raise StatusError(cat.text("corrected_not_waiting", ref=reference, status=req.status))
        asked = max(h.at for h in svc.store.history(reference) if h.status == NEEDS_CORRECTION)
        arrived = day
        if arrived is None:
            replies = [m.at for m in svc.store.thread(reference) if m.sender == "resident" and m.at >= asked]
            arrived = max(replies).date() if replies else svc.today()
        if arrived > svc.today() or arrived < asked.date():
            raise StatusError(cat.text("corrected_bad_date", text=day_text.strip() or arrived.isoformat()))
        calendar = svc.calendar()
        receipt = calendar.receipt_date(arrived)
        form = svc.engine.knowledge.extras.get("forms", {}).get(req.data.get("form"))
        days = getattr(form, "deadline_working_days", None) or REPLY_WORKING_DAYS
        due = calendar.add_working_days(receipt.date, days)
        return svc.store.set_status(
            reference,
            IN_PROGRESS,
            by=by,
            note=f"补正已收到（{cn_date(receipt.date)}）",
            now=svc.now(),
            received=receipt.date,
            due=due.date,
            due_provisional=due.provisional or receipt.provisional,
        )

    def work() -> Request:
        with svc.store.transaction():  # the restarted clock and the resident's notice, together
            req = change()
            received, due = cn_date(req.received_date), _due_text(req)
            tell_resident(svc, req, cat.text("resident_corrected", ref=reference, received=received, due=due))
            return req

    req = await svc.call(work)
    await refresh_card(svc, reference)
    await deliver_owed(svc, req.resident)
    received, due = cn_date(req.received_date), _due_text(req)
    return Result(cat.text("corrected_done", ref=reference, received=received, due=due))


async def supplement_from_resident(
    svc: Services, resident: str, chat_id: int, replied_to: int, text: str
) -> bool:
    """A resident's reply to their 补正 notice: into the thread and to the staff group, with an
    acknowledgement. False if the replied-to message is not one of this resident's notices."""
    reference = await svc.call(svc.store.reference_for_card, chat_id, replied_to)
    if reference is None:
        return False
    req = await svc.call(svc.store.get_request, reference)
    if req is None or req.resident != resident:
        return False
    await svc.call(svc.store.add_message, reference, "resident", resident, text, svc.now())
    await relay_resident_message(svc, reference, text)
    key = "resident_correction_ack" if req.status == NEEDS_CORRECTION else "resident_correction_closed"
    await svc.sender.send_text(chat_id, outcomes(svc).text(key, ref=reference))
    return True


async def set_applicant_type(svc: Services, reference: str, user: User, label: str) -> Result:
    cat = outcomes(svc)
    if not is_disclosure(reference):
        return Result(cat.text("type_only_disclosure"), ok=False)
    await _remember_name(svc, user)

    def work() -> Request:
        _get(svc, reference)
        return svc.store.set_applicant_type(reference, label, by=staff_key(user), now=svc.now())

    await svc.call(work)
    await refresh_card(svc, reference)
    return Result(cat.text("type_set", ref=reference, type=label))


def _applicant_type(text: str) -> str | None:
    text = text.strip()
    if (i := ascii_int(text)) is not None and 1 <= i <= len(APPLICANT_TYPES):  # "²" is not 2
        return APPLICANT_TYPES[i - 1]
    return text if text in APPLICANT_TYPES else None


async def extend(svc: Services, reference: str, user: User) -> Result:
    """20 more working days from the current due date (条例 Art. 33), once; the resident is told."""
    await _remember_name(svc, user)
    by = staff_key(user)

    def change() -> Request:
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

    law = "根据《政府信息公开条例》第三十三条，" if reference.startswith(DISCLOSURE_PREFIX) else ""

    def work() -> Request:
        with svc.store.transaction():  # the new due date and the resident's notice, together
            req = change()
            due = _due_text(req)
            text = f"您的{req.kind}（编号 {reference}）需要延长办理期限。{law}答复期限延长至{due}。"
            tell_resident(svc, req, text)
            return req

    req = await svc.call(work)
    await refresh_card(svc, reference)
    await deliver_owed(svc, req.resident)
    due = _due_text(req)
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
    if is_disclosure(req.reference):
        lines.append(f"申请人类型：{applicant_type_text(svc, req)}")
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
            extra = f" {with_names(svc, h.note)}" if h.note else ""
            by = f"（{staff_name(svc, h.by)}）" if _STAFF_KEY.fullmatch(h.by) else ""
            lines.append(f"· {h.at:%Y-%m-%d %H:%M} {h.status}{extra}{by}")
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
        await answer(f"用法：/{command} 编号{' 内容' if command in _WITH_TEXT else ''}。{REFERENCE_HELP}")
        return
    try:
        if command == "claim":
            confirmed = rest.strip().lower() in ("confirm", "确认", "确定")
            result = await claim(svc, reference, user, confirmed=confirmed)
            await answer(result, result.buttons)
        elif command == "reply":
            await answer(await reply(svc, reference, user, rest))
        elif command == "note":
            await answer(await note(svc, reference, user, rest))
        elif command == "extend":
            await answer(await extend(svc, reference, user))
        elif command == "detail":
            await answer(await send_detail(svc, reference, user))
        elif command == "close":
            await _close_command(svc, reference, user, rest, answer)
        elif command == "correct":
            await answer(await request_correction(svc, reference, user, rest))
        elif command == "corrected":
            await answer(await correction_received(svc, reference, user, rest))
        elif command == "applicant":
            cat = outcomes(svc)
            label = _applicant_type(rest) if rest else None
            if not is_disclosure(reference):
                await answer(cat.text("type_only_disclosure"))
            elif label is None:
                types = "、".join(f"{i} {t}" for i, t in enumerate(APPLICANT_TYPES, 1))
                await answer(cat.text("type_usage", types=types), type_buttons(reference, back=False))
            else:
                await answer(await set_applicant_type(svc, reference, user, label))
    except (StoreError, LookupError) as exc:
        await answer(
            _error_text(exc) if isinstance(exc, StoreError) else f"未找到编号为 {reference} 的申请。"
        )


async def _close_command(svc: Services, reference: str, user: User, rest: str, answer: Any) -> None:
    """``/close REF [outcome]``: a disclosure application without a complete outcome gets the
    category (or reason) buttons; anything else closes."""
    if not is_disclosure(reference):
        await answer(await close(svc, reference, user))
        return
    cat = outcomes(svc)
    parsed = cat.parse(rest) if rest.strip() else None
    if isinstance(parsed, Outcome):
        await answer(await close(svc, reference, user, parsed))
    elif isinstance(parsed, Category):
        text = cat.text("outcome_needs_reason", outcome=parsed.label, choices=cat.choices(parsed))
        await answer(text, reason_buttons(reference, parsed, back=False))
    elif rest.strip():
        await answer(
            cat.text("outcome_help", choices=cat.choices()), category_buttons(svc, reference, back=False)
        )
    else:
        await answer(cat.text("choose_category"), category_buttons(svc, reference, back=False))


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
    prompt = await svc.call(svc.store.get_meta, _prompt_key(msg.chat_id, target.message_id))
    if prompt:
        await _answer_prompt(svc, update, prompt)
        return
    reference = await svc.call(svc.store.reference_for_card, msg.chat_id, target.message_id)
    if reference is None:
        return  # staff talking among themselves
    user = update.effective_user
    if user is None or not svc.is_staff(user.id):
        await svc.sender.send_text(msg.chat_id, "只有登记的工作人员才能答复居民。", reply_to=msg.message_id)
        return
    await reply_from_staff(svc, reference, user, msg.text, msg.chat_id, msg.message_id)


def _prompt_key(chat_id: int, message_id: int) -> str:
    return f"prompt:{chat_id}:{message_id}"


async def _answer_prompt(svc: Services, update: Update, prompt: str) -> None:
    """A staff member's reply to the 补正 prompt: the text is the notice's list of items."""
    msg = update.effective_message
    user = update.effective_user
    if user is None or not svc.is_staff(user.id):
        await svc.sender.send_text(msg.chat_id, NOT_STAFF, reply_to=msg.message_id)
        return
    action, _, reference = prompt.partition(":")
    try:
        result = await request_correction(svc, reference, user, msg.text or "")
        out = result.text
        if result.ok:
            await svc.call(svc.store.set_meta, _prompt_key(msg.chat_id, msg.reply_to_message.message_id), "")
    except StoreError as exc:
        out = _error_text(exc)
    await svc.sender.send_text(msg.chat_id, out, reply_to=msg.message_id)


async def _on_main_card(svc: Services, reference: str, message: Any) -> bool:
    where = await svc.call(svc.store.get_meta, f"card:{reference}")
    return message is not None and where == f"{message.chat.id}:{message.message_id}"


_CALLBACK = re.compile(
    r"^s:(claim|claimc|reply|close|closek|outc|outk|fix|fixed|atype|atypek|detail|card)"
    r":([A-Z]{2}-\d{8}-\d{4,})(?::(\d(?:\.\d)?))?$"
)


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
        if action in ("claim", "claimc"):
            result = await claim(svc, reference, user, confirmed=action == "claimc")
            await svc.sender.answer(query, result.text[:190], alert=bool(result.buttons))
            if result.buttons:  # claimed by someone else: ask first, under the card
                await svc.sender.send_text(
                    message.chat.id if message else user.id,
                    result.text,
                    buttons=result.buttons,
                    reply_to=message.message_id if message else None,
                )
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
        elif action in ("close", "closek"):  # closek: a button of the old outcome list
            if is_disclosure(reference):
                await svc.sender.answer(query, outcomes(svc).text("choose_category"))
                await _show_choices(svc, reference, message, category_buttons(svc, reference))
            else:
                result = await close(svc, reference, user)
                await svc.sender.answer(query, result.text)
        elif action == "outc":
            category = outcomes(svc).category(index or "")
            if category is None:
                await svc.sender.answer(query, "这个按钮已经失效了。")
            elif category.outcome is not None:
                result = await close(svc, reference, user, category.outcome)
                await svc.sender.answer(query, result.text, alert=not result.ok)
            else:
                await svc.sender.answer(query, outcomes(svc).text("choose_reason", outcome=category.label))
                await _show_choices(svc, reference, message, reason_buttons(reference, category))
        elif action == "outk":
            outcome = outcomes(svc).by_code(index or "")
            if outcome is None:
                await svc.sender.answer(query, "这个按钮已经失效了。")
            else:
                result = await close(svc, reference, user, outcome)
                await svc.sender.answer(query, result.text, alert=not result.ok)
        elif action == "fix":
            await svc.sender.answer(query)
            await _remember_name(svc, user)
            mention = f'<a href="tg://user?id={user.id}">{esc(user.full_name or "工作人员")}</a>'
            text = outcomes(svc).text("correction_prompt", mention=mention, ref=esc(reference))
            chat = message.chat.id if message else user.id
            sent = await svc.sender.send_text(
                chat,
                text,
                escape=False,
                force_reply=True,
                reply_to=message.message_id if message else None,
                outbox=False,
            )
            if sent is not None:
                await svc.call(
                    svc.store.set_meta, _prompt_key(sent.chat_id, sent.message_id), f"correct:{reference}"
                )
        elif action == "fixed":
            result = await correction_received(svc, reference, user)
            await svc.sender.answer(query, result.text[:190], alert=not result.ok)
        elif action == "atype":
            await svc.sender.answer(query, outcomes(svc).text("type_prompt", ref=reference))
            await _show_choices(svc, reference, message, type_buttons(reference))
        elif action == "atypek":
            label = _applicant_type(index or "")
            if label is None:
                await svc.sender.answer(query, "这个按钮已经失效了。")
            else:
                result = await set_applicant_type(svc, reference, user, label)
                await svc.sender.answer(query, result.text)
        elif action == "card":
            await svc.sender.answer(query)
            await refresh_card(svc, reference)
    except StoreError as exc:
        await svc.sender.answer(query, _error_text(exc)[:190], alert=True)
        if action in ("close", "closek", "outc", "outk", "fixed", "atypek"):
            await refresh_card(svc, reference)


async def _show_choices(svc: Services, reference: str, message: Any, buttons: list[tuple[str, str]]) -> None:
    """Choice buttons on the request's main card; pressed elsewhere (a /close answer), a new
    message carries them (without 返回, which redraws the card)."""
    if await _on_main_card(svc, reference, message):
        await refresh_card(svc, reference, buttons)
        return
    plain = [b for b in buttons if not b[1].startswith(("s:card:", "s:close:"))]
    chat = message.chat.id if message else None
    if chat is not None:
        await svc.sender.send_text(chat, f"{reference}", buttons=plain)
