"""Conversation engine: (resident, text or button) -> replies and staff events; state in the store.

Channel-independent: the Telegram handlers and the terminal chat both call `Engine.handle`.
Each resident's state is one JSON document in `Store` sessions, loaded at the start of a turn,
changed on a copy and saved only when the whole turn succeeded. A restart therefore resumes a
half-filled form exactly where the resident was, and a failure mid-turn loses nothing.

Modes (``state["mode"]``)::

    idle            questions (matcher), menus, status, events, subscriptions
    form            a guided form is asking field ``form.field``
    confirm         all fields answered; summary shown; 确认 / 修改 <field> / 取消
    confirm_cancel  "really cancel?"; yes drops the draft, no returns to form/confirm
    offer           a draft left idle for DRAFT_IDLE is offered back: 继续填写 / 放弃草稿
    human           a 咨询 (ZX) request is open; messages go to its thread for staff
    confirm_forget  "really delete my data?" (删除我的数据 / /forget); yes forgets, no returns

Data rights, in every mode: 我的数据 (/mydata) shows what is kept about the resident, personal
fields masked; 删除我的数据 (/forget) asks, then deletes the session (draft, recent conversation),
subscriptions and answer ratings (有用/没用) and erases the personal content of submitted
requests, which stay as the office's record (reference, service, dates, status, outcome),
flagged ``forgotten`` (see ``Store.forget_resident``).

What a turn owes anyone (the receipt of a request, the staff card, a handover's number and
card, a resident's message to staff) is written to the outbox in the turn's transaction, for
the addresses a channel delivers to (``bot.outbox``); the reply is marked ``Reply.owed``.
Incoming text passes ``bot.sanitize.clean_text`` first (lone surrogates from pipes cannot be stored).

A form draft lives in ``state["form"]`` independently of the mode, so it survives a handover,
a question, or an ignored offer (then it is "parked" until the resident resumes or discards it).
"""

from __future__ import annotations

import logging
import re
import string
import threading
import traceback
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from bot import formflow as ff
from bot import pos, validators
from bot.answers import compose
from bot.archives import ArchiveDirectory
from bot.events import EventCalendar, asked_day, format_event_details, format_event_when, format_upcoming
from bot.formspec import Form, FormField
from bot.guidance import Guidance
from bot.knowledge import ChatIntent, Knowledge, Service
from bot.masking import scrub
from bot.matcher import matcher_for
from bot.outbox import Outbox
from bot.qa import QAReply, answer_question
from bot.sanitize import clean_text, has_visible
from bot.store import FINAL_STATUSES, Request, Store, StoreUnavailable
from bot.text import ascii_int
from bot.validators import Invalid, validate
from bot.workdays import Deadline, WorkCalendar

log = logging.getLogger(__name__)

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        LOCAL_TZ: Any = ZoneInfo("Asia/Shanghai")
    except ZoneInfoNotFoundError:  # pragma: no cover - tzdata missing
        LOCAL_TZ = timezone(timedelta(hours=8), "CST")
except ImportError:  # pragma: no cover
    LOCAL_TZ = timezone(timedelta(hours=8), "CST")

#: A form untouched for this long is offered back ("继续填写还是放弃？") on the next message.
DRAFT_IDLE = timedelta(minutes=30)
#: Failures on one field before the engine explains with an example and offers a person.
MAX_FIELD_FAILURES = 3
#: Declined questions in a row before a person is brought in.
MAX_MISUNDERSTOOD = 3
#: During a handover, a message after this much quiet (or after a staff reply) starts a new
#: burst, whose first message is acknowledged; the rest of a burst is relayed silently.
HANDOVER_BURST_GAP = timedelta(minutes=10)
#: Items in the scrubbed recent-conversation buffer (resident and bot lines; ~6 turns).
RECENT_ITEMS = 12
RECENT_CHARS = 200
STATE_VERSION = 1
_LOCK_STRIPES = 64

CONFIRM_HINT = "核对无误请回复“确认”提交；要修改某一项，回复“修改 项目名”或“修改 序号”（如“修改 3”）。"
APOLOGY = "抱歉，系统出了点问题，您已填写的内容都还在，请稍后再发一次。"
EXPIRED = "这个按钮已经失效了，请重新选择。"
NOT_FOUND_REF = "没有找到您名下的这个编号"

HANDOVER_KIND = "咨询"
HANDOVER_PREFIX = "ZX"


# --------------------------------------------------------------------------- public types


@dataclass(frozen=True)
class Button:
    label: str
    payload: str


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = ()
    #: Set when the reply answers a knowledge entry, so the channel can add 有用/没用 buttons.
    entry_id: str | None = None
    #: Also written to the outbox in the turn's transaction (a receipt, a handover's number): a
    #: channel with a deliverer for the resident's address lets ``Outbox.drain`` send it, in
    #: its place among the other replies, instead of sending it itself (``bot.outbox``).
    owed: bool = False


@dataclass(frozen=True)
class RequestSubmitted:
    reference: str


@dataclass(frozen=True)
class HandoverOpened:
    """A 咨询 (ZX) request with the recent, scrubbed conversation in data['conversation']."""

    reference: str


@dataclass(frozen=True)
class ResidentMessage:
    """A resident's message while a request is with a person; stored in its thread."""

    reference: str
    text: str


StaffEvent = RequestSubmitted | HandoverOpened | ResidentMessage


@dataclass(frozen=True)
class Outcome:
    replies: tuple[Reply, ...]
    events: tuple[StaffEvent, ...] = ()
    #: Addresses the turn wrote outbox items for (the channel drains them after the replies).
    owed: tuple[str, ...] = ()


# --------------------------------------------------------------------------- words and buttons

MENU = (
    Button("信息公开申请", "menu:disclosure"),
    Button("异地查档", "menu:archive"),
    Button("人防活动", "menu:events"),
    Button("预警订阅", "menu:warnings"),
    Button("常见问题", "menu:faq"),
    Button("人工服务", "menu:human"),
)

#: Guided flow named by a service entry -> the button that starts it.
FLOW_BUTTONS = {
    "disclosure": Button("填写信息公开申请", "menu:disclosure"),
    "archive_lookup": Button("填写异地查档申请", "menu:archive"),
    "events": Button("查看人防活动", "menu:events"),
    "warnings": Button("订阅预警信息", "menu:warnings"),
}

#: menu payload -> form id
MENU_FORMS = {"menu:disclosure": "disclosure", "menu:archive": "archive_lookup", "book": "drill_booking"}

CANCEL_WORDS = {"取消", "取消申请", "取消填写", "取消预约", "不填了", "不办了", "放弃填写", "退出填写"}
BACK_WORDS = {"返回", "上一步", "上一项", "返回上一步", "返回上一项", "后退", "回退"}
HELP_WORDS = {"帮助", "怎么填", "不会填", "不知道怎么填", "填写说明", "说明", "help"}
HUMAN_BUTTON = Button("人工服务", "menu:human")
HUMAN_WORDS = {"人工", "转人工", "人工服务", "找人工", "人工客服", "联系工作人员", "找工作人员"}
END_HUMAN_WORDS = {"结束人工", "退出人工", "结束人工服务", "退出人工服务", "结束对话"}
CONFIRM_WORDS = {
    "确认",
    "确认提交",
    "提交",
    "确定",
    "确定提交",
    "没问题",
    "无误",
    "确认无误",
    "对",
    "是",
    "好的",
}
YES_WORDS = {"是", "是的", "确定", "确认", "对", "好", "好的", "嗯", "取消", "确定取消", "是取消"}
NO_WORDS = {"否", "不", "不是", "不取消", "不要取消", "继续", "继续填写"}
STATUS_WORDS = {"我的申请", "申请进度", "查进度", "查询进度", "办理进度", "我的预约", "进度查询", "查询申请"}
SKIP_WORDS = {"跳过", "无", "没有", "不填", "略", "不需要", "没了"}
RESUME_WORDS = {"继续", "继续填写", "恢复", "接着填", "恢复填写"}
DISCARD_WORDS = {"放弃", "放弃草稿", "删除草稿", "不要了", "重新开始", "丢弃"}
MYDATA_WORDS = {"我的数据", "我的信息", "我的个人信息", "查看我的数据", "查看我的信息", "/mydata", "mydata"}
FORGET_WORDS = {"删除我的数据", "删除我的信息", "删除我的个人信息", "删除个人信息", "/forget", "forget"}
FORGET_YES_WORDS = {"是", "是的", "确定", "确认", "确认删除", "确定删除", "删除", "好", "好的", "对"}
FORGET_NO_WORDS = {"否", "不", "不是", "不删除", "不要删除", "保留", "取消", "算了"}
MENU_WORDS = {"菜单", "主菜单", "开始", "/start", "/menu", "首页", "start", "menu"}
HELP_IDLE_WORDS = {"帮助", "help", "/help", "你会什么", "使用说明"}

ROUTES: dict[str, set[str]] = {
    "menu:disclosure": {
        "信息公开申请",
        "政府信息公开申请",
        "申请信息公开",
        "申请政府信息公开",
        "我要申请信息公开",
        "依申请公开",
        "填写信息公开申请",
    },
    "menu:archive": {
        "异地查档",
        "异地查档申请",
        "查档申请",
        "我要查档",
        "申请查档",
        "跨馆查档",
        "填写查档申请",
    },
    "menu:events": {"人防活动", "人防宣传活动", "近期活动", "活动", "活动日历", "有什么活动", "查看人防活动"},
    "menu:warnings": {"预警", "预警信息"},
    "menu:faq": {"常见问题", "faq"},
    "book": {"预约演练", "预约讲座", "演练预约", "讲座预约", "预约", "人防预约", "预约演练或讲座"},
    "signals": {"警报信号", "防空警报信号", "警报含义", "警报信号说明"},
    "sub:warnings": {"预警订阅", "订阅预警", "订阅预警信息"},
    "sub:events": {"订阅活动", "订阅活动提醒", "活动提醒"},
    "unsub": {"取消订阅", "退订"},
    "unsub:events": {"取消活动提醒", "取消订阅活动", "退订活动提醒", "取消订阅活动提醒"},
    "unsub:warnings": {"取消预警订阅", "取消订阅预警", "退订预警", "取消预警", "取消订阅预警信息"},
}
_ROUTE_OF = {word: payload for payload, words in ROUTES.items() for word in words}
FORM_START_WORDS = {w for p in ("menu:disclosure", "menu:archive", "book") for w in ROUTES[p]}

_REFERENCE = re.compile(  # one optional dash between spaces: linear, however many spaces
    r"(?<![A-Za-z])(GK|CD|RF|ZX)\s*(?:[-－—_]\s*)?(\d{8})\s*(?:[-－—_]\s*)?(\d{4,})(?!\d)", re.I
)
_EDIT = re.compile(r"^(?:修改|更改|改一下|改)\s*[:：]?\s*(.*)$")
_SIGNAL_QUESTION = re.compile(  # anchored at the first 警报: linear, however many 警报
    r"(?s)^(?:(?!警报).)*+警报.*(信号|怎么响|什么意思|含义|声音?|代表|区别|响几|多长|几种|怎么办|怎么做)"
    r"|听到.{0,6}警报"
)
_WHEN_QUESTION = re.compile(
    r"哪天|什么时候|啥时候|几号|几点|时间|日期|安排|哪一天|何时|几月|哪个月|哪几天|今天|今日|明天|明日|后天"
    r"|\d{1,2}月\d{1,2}[日号]"
)
#: Subscription confirmation answered by typing.
SUB_YES_WORDS = {"确认", "确认订阅", "订阅", "是", "是的", "确定", "好", "好的", "嗯", "对", "可以"}
SUB_NO_WORDS = {"否", "不", "不用", "不要", "不订阅", "暂不订阅", "算了", "取消"}

TOPICS = {"events": "活动提醒", "warnings": "预警信息"}

_FORM_MODES = ("form", "confirm", "confirm_cancel")


def find_reference(text: str) -> str | None:
    """A reference like GK-20261121-0001 in typed text (full width, spaces and case tolerated)."""
    m = _REFERENCE.search(unicodedata.normalize("NFKC", text or ""))
    if not m:
        return None
    return f"{m.group(1).upper()}-{m.group(2)}-{m.group(3)}"


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _default_clock() -> datetime:
    return datetime.now(LOCAL_TZ)


def new_state() -> dict[str, Any]:
    return {
        "v": STATE_VERSION,
        #: Random id of this session document: with "seq" it makes handover requests idempotent.
        "sid": uuid.uuid4().hex[:12],
        "mode": "idle",
        "seq": 0,
        "updated_at": None,
        "form": None,
        "cancel_return": None,
        "after_offer": None,
        "human": None,
        "suggestions": [],
        "misunderstood": 0,
        "recent": [],
        "forget_return": None,
    }


# --------------------------------------------------------------------------- engine


class Engine:
    """One per process; `handle` may be called from several threads for different residents."""

    def __init__(
        self,
        knowledge: Knowledge,
        store: Store,
        *,
        clock: Callable[[], datetime] | None = None,
        outbox: Outbox | None = None,
    ) -> None:
        self._knowledge = knowledge
        self.store = store
        self._clock = clock or _default_clock
        #: What the engine owes anyone goes here, for the addresses a channel registered a
        #: deliverer for (none: the terminal chat; "tg:" and "staff": the Telegram channel).
        self.outbox = outbox or Outbox(store)
        # Two messages of one resident must not interleave (load -> change -> save); a fixed
        # set of locks keyed by the resident keeps that true without growing with residents.
        self._locks = tuple(threading.Lock() for _ in range(_LOCK_STRIPES))

    @property
    def knowledge(self) -> Knowledge:
        return self._knowledge

    def warm_up(self) -> None:
        """Load now what the first question would load (jieba's dictionary, the matcher's index,
        the part-of-speech table, the ID number area codes), so no resident waits for it."""
        matcher_for(self._knowledge).match("政府信息公开申请多久答复")
        validators.resident_id("11010519491231002X", self._now().date())
        pos.wait_ready()

    def swap_knowledge(self, knowledge: Knowledge) -> None:
        """Replace the knowledge (for /reload). The matcher is built first, so the swap is instant
        and turns already running finish with the knowledge they started with."""
        matcher_for(knowledge)
        self._knowledge = knowledge

    def start(self, resident: str) -> Outcome:
        """Welcome and main menu; an unfinished draft is offered back."""
        return self._turn(resident, lambda turn: turn.start())

    def handle(
        self,
        resident: str,
        text: str | None = None,
        payload: str | None = None,
        *,
        turn_key: str | None = None,
    ) -> Outcome:
        """One resident message. `turn_key` (the channel's update id) makes a redelivered message
        replay its recorded outcome instead of being applied twice (e.g. after a crash)."""
        if text is None and payload is None:
            return self.start(resident)
        text, payload = clean_text(text), (clean_text(payload) or None)
        return self._turn(resident, lambda turn: turn.run(text, payload), turn_key)

    # ------------------------------------------------------------------ one turn

    def _now(self) -> datetime:
        now = self._clock()
        return now.astimezone(LOCAL_TZ) if now.tzinfo else now.replace(tzinfo=LOCAL_TZ)

    def _turn(self, resident: str, body: Callable[[_Turn], None], turn_key: str | None = None) -> Outcome:
        with self._locks[hash(resident) % _LOCK_STRIPES]:
            return self._locked_turn(resident, body, turn_key)

    def _locked_turn(
        self, resident: str, body: Callable[[_Turn], None], turn_key: str | None = None
    ) -> Outcome:
        knowledge = self._knowledge  # one knowledge for the whole turn, even across a reload
        now = self._now()
        mode = field = "?"
        try:
            # One transaction for the whole turn: the session, any request it files and what it
            # owes anyone (outbox) are committed together or not at all.
            with self.store.transaction():
                saved = self.store.load_session(resident)
                last = (saved or {}).get("last_turn") or {}
                if turn_key is not None and last.get("key") == turn_key:
                    return _outcome_from_json(last)
                state = _upgrade(saved) if saved else new_state()  # load_session parses a fresh copy
                mode = state["mode"]
                field = (state.get("form") or {}).get("field") or "-"
                turn = _Turn(self.store, knowledge, resident, state, now, self.outbox)
                body(turn)
                turn.finish()
                if turn_key is not None:
                    state["last_turn"] = _outcome_to_json(turn_key, turn.replies, turn.events, turn.owed)
                if not turn.forgotten:  # forget_resident deleted the session: do not write it back
                    self.store.save_session(resident, state, now)
        except StoreUnavailable as exc:
            log.warning("store unavailable during a turn (mode=%s, field=%s): %s", mode, field, exc.reason)
            return Outcome((Reply(exc.user_message),))
        except Exception as exc:
            detail = scrub("".join(traceback.format_exception(exc)))
            log.error("dialog turn failed (mode=%s, field=%s): %s", mode, field, detail)
            return Outcome((Reply(APOLOGY),))
        return Outcome(tuple(turn.replies), tuple(turn.events), tuple(turn.owed))


def _reply_json(r: Reply) -> dict[str, Any]:
    return {"text": r.text, "buttons": [[b.label, b.payload] for b in r.buttons], "entry_id": r.entry_id}


def _outcome_to_json(
    key: str, replies: list[Reply], events: list[StaffEvent], owed: list[str] = ()  # type: ignore[assignment]
) -> dict[str, Any]:
    """What a turn said, kept with the state so a redelivered message can be answered again."""
    return {
        "key": key,
        "replies": [{**_reply_json(r), "owed": r.owed} for r in replies],
        "events": [{"type": type(e).__name__, **e.__dict__} for e in events],
        "owed": list(owed),
    }


_EVENT_TYPES = {cls.__name__: cls for cls in (RequestSubmitted, HandoverOpened, ResidentMessage)}


def _outcome_from_json(data: dict[str, Any]) -> Outcome:
    replies = tuple(
        Reply(
            r["text"],
            tuple(Button(label, payload) for label, payload in r["buttons"]),
            r.get("entry_id"),
            bool(r.get("owed")),
        )
        for r in data.get("replies", [])
    )
    events = tuple(
        _EVENT_TYPES[e["type"]](**{k: v for k, v in e.items() if k != "type"}) for e in data.get("events", [])
    )
    return Outcome(replies, events, tuple(data.get("owed") or ()))


def _upgrade(state: dict[str, Any]) -> dict[str, Any]:
    """Fill keys a state saved by an older version may lack."""
    fresh = new_state()
    for key, value in fresh.items():
        state.setdefault(key, value)
    return state


class _Turn:
    """Everything one resident message does; mutates `state` (a copy) and collects replies/events."""

    def __init__(
        self,
        store: Store,
        knowledge: Knowledge,
        resident: str,
        state: dict[str, Any],
        now: datetime,
        outbox: Outbox | None = None,
    ) -> None:
        self.store = store
        self.outbox = outbox or Outbox(store)
        #: Addresses this turn wrote outbox items for, in order.
        self.owed: list[str] = []
        self.k = knowledge
        self.resident = resident
        self.state = state
        self.now = now
        self.today = now.date()
        self.replies: list[Reply] = []
        self.events: list[StaffEvent] = []
        self.text = ""
        #: Declined questions in a row before this turn; any other turn ends the streak.
        self.streak = int(state.get("misunderstood") or 0)
        state["misunderstood"] = 0
        #: Set when the resident's data was deleted this turn (the session is not saved again).
        self.forgotten = False
        #: A subscription asked about last turn ("确认订阅吗？"); only the very next message answers it.
        self.pending_sub: str | None = state.pop("confirm_sub", None)
        #: Replies shown in full to their owner (summary, 当前填写): index -> masked text that the
        #: recent-conversation buffer (seen by staff at a handover) keeps instead.
        self.masked_replies: dict[int, str] = {}

    # ------------------------------------------------------------------ plumbing

    @property
    def forms(self) -> dict[str, Form]:
        return self.k.extras.get("forms", {})

    @property
    def calendar(self) -> WorkCalendar:
        return self.k.extras.get("holidays") or WorkCalendar.empty()

    @property
    def event_calendar(self) -> EventCalendar:
        return self.k.extras.get("events") or EventCalendar()

    @property
    def archives(self) -> ArchiveDirectory:
        return self.k.extras.get("archives") or ArchiveDirectory()

    @property
    def guidance(self) -> Guidance:
        return self.k.extras.get("guidance") or Guidance()

    @property
    def mode(self) -> str:
        return self.state["mode"]

    @mode.setter
    def mode(self, value: str) -> None:
        self.state["mode"] = value

    @property
    def draft(self) -> dict[str, Any] | None:
        return self.state.get("form")

    def form(self) -> Form | None:
        draft = self.draft
        return self.forms.get(draft["id"]) if draft else None

    def say(
        self,
        text: str,
        buttons: tuple[Button, ...] | list[Button] = (),
        entry_id: str | None = None,
        *,
        masked: str | None = None,
    ):
        """Reply; `masked` is what the recent-conversation buffer keeps when `text` shows the
        resident's own personal data in full."""
        if masked is not None:
            self.masked_replies[len(self.replies)] = masked
        self.replies.append(Reply(text, tuple(buttons), entry_id))

    def owe(
        self,
        address: str,
        kind: str,
        body: dict[str, Any],
        *,
        reference: str | None = None,
        dedup_key: str | None = None,
    ) -> bool:
        """Write an outbox item in this turn's transaction (only for an address some channel
        delivers to); True if written (False also when ``dedup_key`` was used before)."""
        if not self.outbox.serves(address):
            return False
        item = self.store.enqueue_outbox(
            address, body, self.outbox.clock(), kind=kind, reference=reference, dedup_key=dedup_key
        )
        if item is None:
            return False
        if address not in self.owed:
            self.owed.append(address)
        return True

    def say_owed(
        self, text: str, buttons: tuple[Button, ...] | list[Button] = (), reference: str | None = None
    ) -> None:
        """A reply the resident must get even if the process dies before sending it."""
        reply = Reply(text, tuple(buttons))
        owed = self.owe(self.resident, "reply", _reply_json(reply), reference=reference)
        self.replies.append(Reply(text, tuple(buttons), None, owed))

    def owe_card(self, reference: str) -> None:
        """The staff desk's card for a new request (one per request, whatever happens)."""
        key = f"card:{reference}"
        self.owe("staff", "card", {"reference": reference}, reference=reference, dedup_key=key)

    def remember(self, who: str, text: str) -> None:
        recent = self.state["recent"]
        recent.append({"from": who, "text": text[:RECENT_CHARS]})
        del recent[:-RECENT_ITEMS]

    def finish(self) -> None:
        if self.replies:
            texts = [self.masked_replies.get(i, r.text) for i, r in enumerate(self.replies)]
            self.remember("bot", scrub("\n".join(texts)))
        self.state["seq"] = int(self.state.get("seq") or 0) + 1
        self.state["updated_at"] = self.now.replace(tzinfo=None).isoformat(timespec="seconds")

    def _record_input(self, text: str, payload: str | None) -> None:
        if payload:
            self.remember("resident", scrub(f"〔按钮 {payload}〕"))
            return
        field = self.current_field() if self.mode == "form" else None
        if field is not None and field.personal:
            self.remember("resident", ff.masked(field, text.strip()))
        else:
            self.remember("resident", scrub(text))

    def _stale(self) -> bool:
        stamp = self.state.get("updated_at")
        if not stamp:
            return False
        last = datetime.fromisoformat(stamp)
        return self.now.replace(tzinfo=None) - last > DRAFT_IDLE

    # ------------------------------------------------------------------ entry points

    def start(self) -> None:
        self.remember("resident", "〔开始〕")
        if self.mode == "human":
            self.say(self.k.chat.welcome, MENU)
            self.say(self._in_human_text(), [Button("结束人工", "human:end")])
            return
        self.say(self.k.chat.welcome, MENU)
        if self.draft:
            self.offer_draft()

    def run(self, text: str, payload: str | None) -> None:
        self.text = text.strip()
        if not payload and self.text == "/start" and self.mode != "human":
            self.start()
            return
        self._record_input(self.text, payload)
        if self.draft and self.form() is None:
            # The form was removed from the knowledge since the draft began.
            self.state["form"] = None
            if self.mode in (*_FORM_MODES, "offer"):
                self.mode = "idle"
                self.say("您之前填写的表格已停用，草稿已删除。请重新选择要办理的事项。", MENU)
                return
        if self.mode != "confirm_forget" and self.data_rights(self.text, payload):
            return
        if self.draft and self.mode in _FORM_MODES and self._stale():
            self.offer_draft()
            return
        handler = {
            "idle": self.on_idle,
            "form": self.on_form,
            "confirm": self.on_confirm,
            "confirm_cancel": self.on_confirm_cancel,
            "offer": self.on_offer,
            "human": self.on_human,
            "confirm_forget": self.on_confirm_forget,
        }.get(self.mode, self.on_idle)
        handler(self.text, payload)

    # ------------------------------------------------------------------ idle

    def on_idle(self, text: str, payload: str | None) -> None:
        self.mode = "idle"
        if payload:
            self.idle_payload(payload)
            return
        n = ff.norm(text)
        if not n and not text:
            self.show_help()
            return
        if not _has_words(text):  # a lone emoji, punctuation, zero-width or blank characters
            self.say(self.guidance.text("wordless") or self.k.chat.welcome, MENU)
            return
        if self.pending_sub and (n in SUB_YES_WORDS or n in SUB_NO_WORDS):
            self.answer_subscription(self.pending_sub, n in SUB_YES_WORDS)
            return
        if n in MENU_WORDS:
            self.say(self.k.chat.welcome, MENU)
            return
        if n in HELP_IDLE_WORDS:
            self.show_help()
            return
        if n in HUMAN_WORDS:
            self.open_handover("requested")
            return
        if n in STATUS_WORDS:
            self.show_status()
            return
        ref = find_reference(text)
        if ref:
            self.show_reference(ref)
            return
        if n in RESUME_WORDS | DISCARD_WORDS and self.draft:
            self.resume() if n in RESUME_WORDS else self.discard()
            return
        if n in CANCEL_WORDS:
            self.say("目前没有正在填写的内容。需要办理什么，可以从下面选择。", MENU)
            return
        route = _ROUTE_OF.get(n)
        if route:
            self.idle_payload(route)
            return
        if (i := ascii_int(n)) is not None and self.state["suggestions"]:
            if 1 <= i <= len(self.state["suggestions"]):
                self.show_entry(self.state["suggestions"][i - 1])
                return
        self.state["suggestions"] = []  # numbers refer to the latest suggestions only
        if _SIGNAL_QUESTION.search(n):
            self.show_signals()
            return
        event = self._event_asked(text)
        if event is not None:
            event_id, when = event
            self.show_event_when(event_id) if when else self.show_event(event_id)
            return
        if self.direct_answer(text):
            return
        self.handle_qa(answer_question(self.k, text), in_form=False)

    def _event_asked(self, text: str) -> tuple[str, bool] | None:
        """An event a resident names ("国际档案日": its card) or asks the date of ("警报试鸣是哪天",
        "明天有防空警报吗": the focused when-answer, True)."""
        hits = self.event_calendar.find(text)
        if not hits:
            return None
        n = ff.norm(text)
        exact = [e for e in hits if n in {ff.norm(e.title), *(ff.norm(w) for w in e.keywords)}]
        if exact:
            return exact[0].id, False
        return (hits[0].id, True) if _WHEN_QUESTION.search(text) else None

    # ------------------------------------------------------------------ direct answers (guidance.yaml)

    def direct_answer(self, text: str) -> bool:
        """Remedies and unpublished facts, recognised by guidance.yaml's patterns before the
        matcher (which would answer them with a neighbouring passage); True when answered."""
        found = self.guidance.answer(text, self.archives)
        if found is None:
            return False
        self.say(found.text, self._flow_buttons(found.flow))
        return True

    def idle_payload(self, payload: str) -> None:
        if self.common_payload(payload):
            return
        if payload in MENU_FORMS:
            self.start_form(MENU_FORMS[payload])
        elif payload in ("resume", "discard"):
            if self.draft:
                self.resume() if payload == "resume" else self.discard()
            else:
                self.say("没有未完成的草稿。", MENU)
        elif payload in ("help", "menu"):
            self.show_help()
        elif payload == "cancel" or payload.startswith("cancel:"):
            self.say("目前没有正在填写的内容。", MENU)
        elif payload == "human:end":
            self.say("您当前不在人工服务中。需要帮助可以直接提问，或回复“人工”。", MENU)
        else:
            self.say(EXPIRED, MENU)

    def common_payload(self, payload: str) -> bool:
        """Buttons that mean the same in every mode but human; True when handled."""
        if payload.startswith("sug:"):
            self.show_entry(payload[4:])
        elif payload.startswith("event:"):
            self.show_event(payload[6:])
        elif payload == "menu:events":
            self.show_events()
        elif payload == "menu:warnings":
            self.show_warnings()
        elif payload == "menu:faq":
            self.show_faq()
        elif payload == "menu:human":
            self.open_handover("requested")
        elif payload == "signals":
            self.show_signals()
        elif payload == "status":
            self.show_status()
        elif payload in ("sub:warnings:yes", "sub:warnings:no"):
            self.answer_subscription("warnings", payload.endswith(":yes"))
        elif payload.startswith("sub:") and payload[4:] in TOPICS:
            self.subscribe(payload[4:])
        elif payload.startswith("unsub:") and payload[6:] in TOPICS:
            self.unsubscribe(payload[6:])
        elif payload == "unsub":
            self.unsubscribe_any()
        elif payload.startswith("rate:"):
            parts = payload.split(":", 2)
            if len(parts) == 3 and parts[1] in ("up", "down") and self.k.get(parts[2]) is not None:
                self.store.add_rating(parts[2], self.resident, parts[1], self.now)
                if parts[1] == "down":
                    self._review_unhelpful(parts[2])
            self.say("感谢您的反馈！")
        else:
            return False
        return True

    # ------------------------------------------------------------------ answers

    def handle_qa(self, qa: QAReply, *, in_form: bool) -> None:
        if qa.intent == "answer" and qa.entry_id == "chat/contact":
            # what is published, "尚未公布" for the rest, and a person on offer: no silent handover
            self.say(qa.text, [] if in_form else [HUMAN_BUTTON])
            return
        if qa.intent == "answer" and qa.entry_id:
            if qa.entry_id.startswith("chat/"):
                self.chat_intent(qa.entry_id, in_form=in_form)
            else:
                buttons = [] if in_form else self._flow_buttons(qa.flow)
                self.say(qa.text, buttons, entry_id=qa.entry_id)
            return
        if qa.intent == "suggest":
            # not sure: up to three entries and a person, never "不属于"
            top = qa.top[:3]
            self.store.log_review(scrub(qa.question), "suggested", scrub(qa.text), self.now, self.resident)
            self.state["suggestions"] = [c.id for c in top]
            buttons = [Button(c.title, f"sug:{c.id}") for c in top]
            self.say(qa.text, buttons + ([] if in_form else [HUMAN_BUTTON]))
            return
        self.store.log_review(scrub(qa.question), "declined", scrub(qa.text), self.now, self.resident)
        if in_form:
            self.say(qa.text)
            return
        self.state["misunderstood"] = self.streak + 1
        if self.state["misunderstood"] >= MAX_MISUNDERSTOOD:
            self.state["misunderstood"] = 0
            self.say("抱歉，我连续几次都没能帮上忙。")
            self.open_handover("misunderstood")
            return
        self.say(qa.text, [HUMAN_BUTTON])

    def _review_unhelpful(self, entry_id: str) -> None:
        """A 没用 rating keeps the question it answered (already scrubbed in ``recent``)."""
        asked = [
            str(r.get("text", ""))
            for r in self.state.get("recent", [])
            if r.get("from") == "resident" and not str(r.get("text", "")).startswith("〔按钮")
        ]
        if asked:
            self.store.log_review(asked[-1], "unhelpful", f"answered {entry_id}", self.now, self.resident)

    def chat_intent(self, entry_id: str, *, in_form: bool) -> None:
        loc = self.k.get(entry_id)
        reply = loc.entry.reply if loc is not None and isinstance(loc.entry, ChatIntent) else ""
        if entry_id == "chat/human":
            self.open_handover("requested")
        elif entry_id == "chat/status":
            self.show_status()
        elif entry_id == "chat/help":
            if in_form:
                self.say(reply or "随时可以回复“返回”“帮助”“取消”。")
            else:
                self.show_help()
        else:
            self.say(reply or "您好！请问有什么可以帮您？")

    def show_entry(self, entry_id: str) -> None:
        loc = self.k.get(entry_id)
        if loc is None:
            self.say(EXPIRED)
            return
        if isinstance(loc.entry, ChatIntent):
            self.chat_intent(entry_id, in_form=self.mode in _FORM_MODES)
            return
        answer = compose(matcher_for(self.k), loc, loc.title)
        in_form = self.mode in _FORM_MODES
        buttons = [] if in_form else self._flow_buttons(answer.flow)
        self.say(answer.text, buttons, entry_id=answer.entry_id)

    @staticmethod
    def _flow_buttons(flow: str | None) -> list[Button]:
        return [FLOW_BUTTONS[flow]] if flow in FLOW_BUTTONS else []

    def show_help(self) -> None:
        loc = self.k.get("chat/help")
        text = loc.entry.reply if loc is not None and isinstance(loc.entry, ChatIntent) else ""
        self.say(text or self.k.chat.welcome, MENU)

    def show_faq(self) -> None:
        services = [loc for loc in self.k.entries() if loc.kind == "service"]
        buttons = [Button(re.sub('[“”"]', "", loc.title), f"sug:{loc.id}") for loc in services[:10]]
        self.say("常见问题：点下面的事项查看，或直接输入您的问题，例如“政府信息公开多久答复”。", buttons)

    # ------------------------------------------------------------------ status

    def show_status(self) -> None:
        requests = self.store.requests_for(self.resident)
        if not requests:
            in_form = self.mode in _FORM_MODES
            self.say("暂无申请。" if in_form else "暂无申请。您可以办理：", () if in_form else MENU[:3])
            return
        lines = [f"您的申请（共{len(requests)}件，最近的在前）："]
        for req in requests[:10]:
            lines.append(f"· {req.reference} {req.kind}：{req.status}")
            lines.append("  " + self._dates_line(req))
        if len(requests) > 10:
            lines.append(f"……另有{len(requests) - 10}件较早的申请，可发送编号查询。")
        lines.append("发送编号可查看某一件的办理记录。")
        self.say("\n".join(lines))

    def show_reference(self, reference: str) -> None:
        req = self.store.get_request(reference)
        if req is None or req.resident != self.resident:
            # The same answer whether the reference exists or not: never reveal others' requests.
            self.say(f"{NOT_FOUND_REF}（{reference}），请核对后再试，或回复“我的申请”查看您的全部申请。")
            return
        lines = [f"{req.reference} {req.kind}", f"状态：{req.status}", self._dates_line(req)]
        if req.office:
            lines.append(f"承办：{req.office}")
        history = self.store.history(reference)
        if history:
            lines.append("办理记录：")
            lines += [f"· {h.at:%Y-%m-%d} {h.status}" for h in history]
        self.say("\n".join(lines))

    def _dates_line(self, req: Request) -> str:
        text = f"收到日期：{cn_date(req.received_date)}"
        if req.due_date:
            label = "答复期限" if req.reference.startswith("GK-") else "办理期限"
            text += f"；{label}：{Deadline(req.due_date, req.due_provisional).describe()}"
        elif req.status not in FINAL_STATUSES and req.kind != HANDOVER_KIND:
            text += "；办理期限：以承办单位答复为准"
        return text

    # ------------------------------------------------------------------ events and subscriptions

    def show_events(self) -> None:
        cal = self.event_calendar
        text = "人防宣传活动和相关纪念日（未来一年）：\n\n" + format_upcoming(cal, self.today, 364)
        text += "\n\n学校、社区、企业可以预约防空防灾演练或知识讲座。"
        buttons: list[Button] = []
        seen: set[str] = set()
        for occ in cal.upcoming(self.today, 364):
            if occ.event_id not in seen:
                seen.add(occ.event_id)
                buttons.append(Button(occ.title, f"event:{occ.event_id}"))
        for event in cal.undated():
            if event.id not in seen:
                seen.add(event.id)
                buttons.append(Button(event.title, f"event:{event.id}"))
        buttons += [Button("警报信号说明", "signals"), Button("预约演练/讲座", "book")]
        buttons.append(self._sub_button("events"))
        self.say(text, buttons)

    def show_event(self, event_id: str) -> None:
        event = self.event_calendar.get(event_id)
        if event is None:
            self.say("没有找到这个活动，可能已经调整。回复“人防活动”查看最新安排。")
            return
        buttons: list[Button] = []
        if event.bookable:
            buttons.append(Button("预约演练/讲座", "book"))
        if "警报" in event.title:
            buttons.append(Button("警报信号说明", "signals"))
        buttons.append(self._sub_button("events"))
        self.say(format_event_details(event, self.today), buttons)

    def show_event_when(self, event_id: str) -> None:
        """A when-question: the date, times and notes only (the full card is one button away)."""
        cal = self.event_calendar
        event = cal.get(event_id)
        if event is None:
            self.show_event(event_id)
            return
        text = format_event_when(cal, event, self.today, asked_day(self.text, self.today))
        buttons = [Button("活动详情", f"event:{event.id}")]
        if "警报" in event.title:
            buttons.append(Button("警报信号说明", "signals"))
        buttons.append(self._sub_button("events"))
        self.say(text, buttons)

    def show_signals(self) -> None:
        self.say(self.event_calendar.format_alarm_signals(), [Button("人防活动", "menu:events")])

    def show_warnings(self) -> None:
        loc = self.k.service_for_flow("warnings")
        if loc is not None and isinstance(loc.entry, Service):
            office = loc.entry.office or "有关部门"
            text = f"【预警信息】{loc.entry.content}（{office}发布）。\n"
        else:
            text = ""
        text += self.event_calendar.text("warnings_about") or "订阅后，有新的预警信息时会通过本助手转发给您。"
        if "warnings" in self.store.subscriptions_of(self.resident):
            text += "\n您已订阅预警信息。"
        self.say(text, [self._sub_button("warnings")])

    def _sub_button(self, topic: str) -> Button:
        if topic in self.store.subscriptions_of(self.resident):
            return Button(f"取消{TOPICS[topic]}", f"unsub:{topic}")
        return Button(f"订阅{TOPICS[topic]}", f"sub:{topic}")

    def subscribe(self, topic: str) -> None:
        """Event reminders at once; warnings only after the resident has read what the bot does
        not do (it does not replace sirens, 12379 alerts, TV and radio) and confirmed."""
        cal = self.event_calendar
        if topic == "warnings":
            if topic in self.store.subscriptions_of(self.resident):
                self.say(cal.text("warnings_already") or "您已经订阅了预警信息。", [self._sub_button(topic)])
                return
            self.state["confirm_sub"] = topic
            self.say(
                cal.text("warnings_confirm") or "确认订阅预警信息吗？",
                [Button("确认订阅", "sub:warnings:yes"), Button("暂不订阅", "sub:warnings:no")],
            )
            return
        new = self.store.subscribe(self.resident, topic, self.now)
        text = "已订阅活动提醒：活动前一天会提醒您。" if new else "您已经订阅了活动提醒。"
        self.say(text + "\n回复“取消订阅”可随时退订。", [Button(f"取消{TOPICS[topic]}", f"unsub:{topic}")])

    def answer_subscription(self, topic: str, yes: bool) -> None:
        cal = self.event_calendar
        if not yes:
            self.say(cal.text("warnings_declined") or "好的，没有订阅。", [self._sub_button(topic)])
            return
        new = self.store.subscribe(self.resident, topic, self.now)
        text = cal.text("warnings_subscribed" if new else "warnings_already")
        self.say(
            (text or "已订阅预警信息。") + "\n回复“取消订阅”可随时退订。",
            [Button(f"取消{TOPICS[topic]}", f"unsub:{topic}")],
        )

    def unsubscribe(self, topic: str) -> None:
        removed = self.store.unsubscribe(self.resident, topic)
        text = f"已取消{TOPICS[topic]}订阅。" if removed else f"您没有订阅{TOPICS[topic]}。"
        self.say(text, [Button(f"订阅{TOPICS[topic]}", f"sub:{topic}")])

    def unsubscribe_any(self) -> None:
        topics = [t for t in self.store.subscriptions_of(self.resident) if t in TOPICS]
        if not topics:
            self.say("您目前没有订阅任何信息。", [Button(f"订阅{TOPICS[t]}", f"sub:{t}") for t in TOPICS])
        elif len(topics) == 1:
            self.unsubscribe(topics[0])
        else:
            self.say("要取消哪一项订阅？", [Button(f"取消{TOPICS[t]}", f"unsub:{t}") for t in topics])

    # ------------------------------------------------------------------ data rights

    def data_rights(self, text: str, payload: str | None) -> bool:
        """我的数据 / 删除我的数据 (and their buttons) in any mode; True when handled."""
        if payload:
            if payload == "mydata":
                self.show_my_data()
            elif payload == "forget":
                self.ask_forget()
            elif payload in ("forget:yes", "forget:no"):
                # Only answers the question while it is being asked: an old button never deletes.
                self.say("这个按钮已经失效了。需要删除您的数据，请重新回复“删除我的数据”。")
                if self.mode in _FORM_MODES:
                    self.reprompt()
            else:
                return False
            return True
        n = ff.norm(text)
        if n in MYDATA_WORDS:
            self.show_my_data()
        elif n in FORGET_WORDS:
            self.ask_forget()
        else:
            return False
        return True

    def show_my_data(self) -> None:
        """What the store keeps about this resident (``Store.resident_data``), masked."""
        data = self.store.resident_data(self.resident)
        # The session on disk is the state before this turn; the draft is the same object.
        lines = ["您在本助手保存的信息如下（个人信息已部分隐去）："]
        form, draft = self.form(), self.draft
        lines.append("")
        if form is not None and draft is not None:
            filled = ff.count_filled(form, draft["values"])
            lines.append(f"【正在填写】《{form.title}》（已填{filled}项，尚未提交）")
            for f in ff.applicable(form, draft["values"]):
                if f.key in draft["values"]:
                    lines.append(f"  {ff.bare_label(f)}：{self._my_value(f, draft['values'][f.key])}")
        else:
            lines.append("【正在填写】无")
        recent = [item for item in self.state.get("recent") or [] if item.get("from") == "resident"]
        if recent:
            lines.append(
                f"【对话记录】最近{len(self.state['recent'])}条（转人工时供工作人员了解情况；"
                "证件号码、手机号码已隐去）"
            )
        requests = data.get("requests") or []
        lines.append("")
        if requests:
            lines.append(f"【已提交的申请】共{len(requests)}件：")
            for req in requests[:20]:
                lines.append(f"· {req['reference']} {req['kind']}：{req['status']}")
                lines += self._my_request_lines(req)
            if len(requests) > 20:
                lines.append(f"……另有{len(requests) - 20}件较早的申请。")
        else:
            lines.append("【已提交的申请】无")
        subs = [TOPICS.get(t, t) for t in data.get("subscriptions") or []]
        lines.append("")
        lines.append("【订阅】" + ("、".join(subs) if subs else "无"))
        votes = data.get("ratings") or []
        if votes:
            up = sum(1 for v in votes if v.get("value") == "up")
            lines.append(f"【回答评价】共{len(votes)}条（有用{up}条，没用{len(votes) - up}条）")
        else:
            lines.append("【回答评价】无")
        lines.append("")
        lines.append(
            "回复“删除我的数据”可删除草稿、对话记录、订阅和回答评价；已提交的申请是办理记录，会保留"
            "编号、事项、日期、办理状态和结果，其中的个人信息（姓名、证件号码、联系方式、地址、申请内容和留言）将删除。"
        )
        self.say("\n".join(lines), [Button("删除我的数据", "forget")])
        if self.mode in _FORM_MODES:
            self.reprompt()

    def _my_value(self, field: FormField, value: str) -> str:
        if field.personal is not None:
            return ff.shown(field, value)
        text = scrub(str(value)).replace("\n", " ")
        return text if len(text) <= 60 else text[:60] + "……"

    def _my_request_lines(self, req: dict[str, Any]) -> list[str]:
        if req.get("forgotten"):
            return ["  （已按您的要求隐去个人信息）"]
        data = req.get("data") or {}
        if req["kind"] == HANDOVER_KIND:
            return ["  人工咨询（对话记录已隐去证件号码、手机号码）"]
        form = self.forms.get(str(data.get("form")))
        values = data.get("fields") or {}
        lines = []
        for key, value in values.items():
            if value in (None, ""):
                continue
            field = form.field(key) if form is not None else None
            if field is None:
                lines.append(f"  {key}：{scrub(str(value))[:60]}")
            else:
                lines.append(f"  {ff.bare_label(field)}：{self._my_value(field, str(value))}")
        return lines

    def ask_forget(self) -> None:
        if self.mode != "confirm_forget":
            self.state["forget_return"] = self.mode
        self.mode = "confirm_forget"
        kept = [r for r in self.store.requests_for(self.resident) if not r.forgotten]
        lines = [
            "确定要删除您的数据吗？",
            "· 正在填写的草稿、对话记录、订阅和回答评价将立即删除，不能恢复；",
        ]
        if kept:
            lines.append(
                f"· 已提交的{len(kept)}件申请是本机关的办理记录，保留编号、事项、日期、办理状态和结果，"
                "其中的个人信息（姓名、证件号码、联系方式、地址、申请内容和留言）将删除。"
            )
        self.say("\n".join(lines), [Button("是，删除", "forget:yes"), Button("否，保留", "forget:no")])

    def on_confirm_forget(self, text: str, payload: str | None) -> None:
        n = ff.norm(text)
        back_to = self.state.get("forget_return") or "idle"
        if payload == "forget:yes" or (not payload and n in FORGET_YES_WORDS):
            self.forget()
            return
        if payload == "forget" or (not payload and n in FORGET_WORDS):
            self.ask_forget()
            return
        self.state["forget_return"] = None
        self.mode = back_to
        if payload == "forget:no" or (not payload and n in FORGET_NO_WORDS):
            self.say("好的，您的数据没有删除。")
            if self.mode in _FORM_MODES:
                self.reprompt()
            elif self.mode == "human":
                self.say(self._in_human_text(), [Button("结束人工", "human:end")])
            return
        # Anything else: the resident carried on; not a yes, so nothing is deleted.
        if self.data_rights(text, payload):
            return
        {
            "form": self.on_form,
            "confirm": self.on_confirm,
            "confirm_cancel": self.on_confirm_cancel,
            "offer": self.on_offer,
            "human": self.on_human,
        }.get(self.mode, self.on_idle)(text, payload)

    def forget(self) -> None:
        result = self.store.forget_resident(self.resident, self.now)
        self.forgotten = True
        lines = ["已删除您的草稿、对话记录、订阅和回答评价。"]
        if result.kept_requests:
            refs = "、".join(result.kept_requests)
            lines.append(
                f"已提交的申请（{refs}）作为办理记录保留编号、事项、日期、办理状态和结果，其中的个人信息已删除；"
                "办理结果仍会发送给您。"
            )
        lines.append("以后再使用本助手，将重新开始。")
        self.say("\n".join(lines), MENU)

    # ------------------------------------------------------------------ handover

    def open_handover(self, reason: str) -> None:
        current = self.state.get("human")
        if current:
            req = self.store.get_request(current)
            if req is not None and req.is_open and req.resident == self.resident:
                self.mode = "human"
                self.say(self._in_human_text(), [Button("结束人工", "human:end")])
                return
        data: dict[str, Any] = {"reason": reason, "conversation": list(self.state["recent"])}
        draft = self.draft
        if draft:
            data["form"] = draft["id"]
            data["field"] = draft.get("field")
        received = self.calendar.next_working_day(self.today)
        req = self.store.create_request(
            kind=HANDOVER_KIND,
            prefix=HANDOVER_PREFIX,
            resident=self.resident,
            data=data,
            office=self.k.chat.office_name,
            received=received,
            due=None,
            due_provisional=False,
            now=self.now,
            # Same key when a failed turn is retried (the state was not saved), new key otherwise.
            idempotency_key=f"{self.resident}:{HANDOVER_PREFIX}:{self.state['sid']}:{self.state['seq']}",
        )
        self.state["human"] = req.reference
        self.state["human_last"] = None
        self.mode = "human"
        self.events.append(HandoverOpened(req.reference))
        self.owe_card(req.reference)
        form = self.form()
        kept = f"您填写的《{form.title}》已保存为草稿，结束人工后可以继续。\n" if form else ""
        self.say_owed(
            f"已转人工服务（编号 {req.reference}）。工作人员会尽快在这里回复您，请直接输入您的问题。\n"
            f"{kept}回复“结束人工”返回自动服务。",
            [Button("结束人工", "human:end")],
            reference=req.reference,
        )

    def on_human(self, text: str, payload: str | None) -> None:
        reference = self.state.get("human")
        req = self.store.get_request(reference) if reference else None
        if req is None or not req.is_open or req.resident != self.resident:
            self.state["human"] = None
            self.mode = "idle"
            self.say("本次人工服务已结束。")
            if self.draft:
                self.offer_draft()
                return
            self.on_idle(text, payload)
            return
        if payload == "human:end" or (not payload and ff.norm(text) in END_HUMAN_WORDS):
            self.end_handover()
            return
        if payload:
            self.say(self._in_human_text(), [Button("结束人工", "human:end")])
            return
        if not text:
            return
        self.store.add_message(req.reference, "resident", self.resident, text, self.now)
        self.events.append(ResidentMessage(req.reference, text))
        self.owe("staff", "relay", {"reference": req.reference, "text": text}, reference=req.reference)
        self._acknowledge_burst(req.reference)

    def _acknowledge_burst(self, reference: str) -> None:
        """The first message of a burst is answered with what happens next (working hours, where
        the reply arrives); the rest of the burst goes to staff without an echo each time."""
        now = self.now.replace(tzinfo=None)  # county-local, as the store keeps message times
        last_text = self.state.get("human_last")
        self.state["human_last"] = now.isoformat()
        if last_text:
            last = datetime.fromisoformat(last_text)
            replied = any(m.sender != "resident" and m.at > last for m in self.store.thread(reference))
            if now - last <= HANDOVER_BURST_GAP and not replied:
                return
        g = self.guidance
        ack = g.text("handover_ack", reference=reference, hours=g.hours())
        self.say(ack or f"已转给工作人员（编号 {reference}）。", [Button("结束人工", "human:end")])

    def _in_human_text(self) -> str:
        return (
            f"您正在人工服务中（编号 {self.state['human']}），请直接输入文字与工作人员沟通；"
            "回复“结束人工”返回自动服务。"
        )

    def end_handover(self) -> None:
        self.state["human"] = None
        self.state["human_last"] = None
        self.mode = "idle"
        self.say("已结束人工服务，您可以继续向我提问。工作人员如有答复，仍会发送给您。", MENU)
        if self.draft:
            self.offer_draft()

    # ------------------------------------------------------------------ drafts

    def offer_draft(self, after: str | None = None) -> None:
        form, draft = self.form(), self.draft
        if form is None or draft is None:
            return
        self.mode = "offer"
        self.state["after_offer"] = after
        n = ff.count_filled(form, draft["values"])
        self.say(
            f"您有一份未完成的《{form.title}》（已填{n}项），继续填写还是放弃？",
            [Button("继续填写", "resume"), Button("放弃草稿", "discard")],
        )

    def on_offer(self, text: str, payload: str | None) -> None:
        n = ff.norm(text)
        if payload == "resume" or (not payload and n in RESUME_WORDS):
            self.resume()
        elif payload == "discard" or (not payload and n in DISCARD_WORDS):
            self.discard()
        else:
            # Not answered: the draft stays parked and the message is handled as usual.
            self.state["after_offer"] = None
            self.mode = "idle"
            self.on_idle(text, payload)

    def resume(self) -> None:
        self.state["after_offer"] = None
        form, draft = self.form(), self.draft
        if form is None or draft is None:
            self.mode = "idle"
            self.say("没有未完成的草稿。", MENU)
            return
        self.say(f"继续填写《{form.title}》。")
        self.reprompt()

    def discard(self) -> None:
        after = self.state.get("after_offer")
        self.state["form"] = None
        self.state["after_offer"] = None
        self.mode = "idle"
        self.say("草稿已放弃，填写的内容已删除。")
        if after:
            self.start_form(after)
        else:
            self.say("需要办理什么，可以从下面选择。", MENU)

    # ------------------------------------------------------------------ forms: start and ask

    def start_form(self, form_id: str) -> None:
        form = self.forms.get(form_id)
        if form is None:
            self.say("这项服务暂时无法在线办理，请回复“人工”联系工作人员。")
            return
        if self.draft:
            self.offer_draft(after=form_id)
            return
        self.state["form"] = {
            "id": form.id,
            "draft": uuid.uuid4().hex[:12],
            "values": {},
            "displays": {},
            "field": None,
            "history": [],
            "failures": {},
            "editing": False,
            "petition_warned": False,
        }
        if form.intro:
            self.say(form.intro)
        self.advance()

    def current_field(self) -> FormField | None:
        form, draft = self.form(), self.draft
        if form is None or draft is None or not draft.get("field"):
            return None
        field = form.field(draft["field"])
        return field if field is not None and field.applies(draft["values"]) else None

    def offered_choices(self, form: Form, field: FormField) -> list[str]:
        draft = self.draft
        if field.choices:
            return ff.offered(field, draft["values"] if draft else {})
        source = ff.CHOICES_FROM.get((form.id, field.key))
        if source == "archives":
            return self.archives.choices()
        return []

    def ask(self, field: FormField, lead: str = "") -> None:
        form, draft = self.form(), self.draft
        assert form is not None and draft is not None
        self.mode = "form"
        draft["field"] = field.key
        text = masked = ff.render(field.prompt, self.today)
        value = draft["values"].get(field.key)
        if value:
            # The resident's own value in their private chat: in full, so a typo can be seen;
            # masked in the recent-conversation buffer staff see at a handover.
            display = draft["displays"].get(field.key)
            text += f"\n（当前填写：{ff.shown(field, value, display, owner=True)}）"
            masked += f"\n（当前填写：{ff.shown(field, value, display)}）"
        choices = self.offered_choices(form, field)
        buttons = [Button(c, f"pick:{i}") for i, c in enumerate(choices, 1)]
        suggestion = draft.get("suggestion") or {}
        if suggestion.get("field") == field.key:
            buttons.insert(0, Button(suggestion["label"], "suggest"))
        if field.optional:
            buttons.append(Button("跳过", "skip"))
        self.say(
            f"{lead}\n{text}" if lead else text,
            buttons,
            masked=(f"{lead}\n{masked}" if lead else masked) if masked != text else None,
        )

    def advance(self, lead: str = "") -> None:
        """Ask the first unanswered field, or show the summary when everything is answered."""
        form, draft = self.form(), self.draft
        assert form is not None and draft is not None
        nxt = ff.next_field(form, draft["values"])
        if nxt is None:
            if lead:
                self.say(lead)
            self.show_summary()
        else:
            self.ask(nxt, lead)

    def reprompt(self) -> None:
        """Re-ask whatever is pending after a side question, so progress is never lost."""
        if self.form() is None or self.draft is None:
            return
        if self.mode == "confirm":
            self.say(CONFIRM_HINT, self._summary_buttons())
            return
        field = self.current_field()
        if field is None:
            self.advance()
        else:
            self.ask(field)

    # ------------------------------------------------------------------ forms: answering

    def on_form(self, text: str, payload: str | None) -> None:
        form, draft = self.form(), self.draft
        field = self.current_field()
        if form is None or draft is None:
            self.mode = "idle"
            self.on_idle(text, payload)
            return
        if field is None:
            self.advance()
            return
        if payload:
            self.form_payload(form, field, payload)
            return
        n = ff.norm(text)
        if n in CANCEL_WORDS:
            self.ask_cancel()
        elif n in BACK_WORDS:
            self.go_back()
        elif n in HELP_WORDS:
            self.field_help(form, field)
        elif n in HUMAN_WORDS:
            self.open_handover("requested")
        elif n in STATUS_WORDS or (find_reference(text) and len(n) <= 20):
            ref = find_reference(text)
            self.show_reference(ref) if ref else self.show_status()
            self.reprompt()
        elif n in FORM_START_WORDS or n in MENU_WORDS:
            self.say(f"您正在填写《{form.title}》，请先填完，或回复“取消”放弃后再办理其他事项。")
            self.reprompt()
        elif n in RESUME_WORDS:
            self.reprompt()
        elif (m := _EDIT.match(n)) and self.edit_request(form, m.group(1), strict=True):
            return
        else:
            self.answer(form, field, text)

    def form_payload(self, form: Form, field: FormField, payload: str) -> None:
        if payload.startswith("pick:"):
            choices = self.offered_choices(form, field)
            i = ascii_int(payload[5:]) or 0
            if 1 <= i <= len(choices):
                self.answer(form, field, choices[i - 1])
            else:
                self.say(EXPIRED)
                self.reprompt()
        elif payload == "suggest":
            suggestion = (self.draft or {}).get("suggestion") or {}
            if suggestion.get("field") == field.key:
                self.answer(form, field, suggestion["value"])
            else:
                self.say(EXPIRED)
                self.reprompt()
        elif payload == "skip":
            if field.optional:
                self.accept(form, field, "", None)
            else:
                self.say("这一项必须填写。")
                self.reprompt()
        elif payload in ("cancel", "discard"):
            self.ask_cancel()
        elif payload == "back":
            self.go_back()
        elif payload == "help":
            self.field_help(form, field)
        elif payload == "edit" or payload.startswith("edit:"):
            self.edit_request(form, payload[5:], strict=False)
        elif payload == "resume":
            self.reprompt()
        elif payload == "menu:human":
            self.open_handover("requested")
        elif payload in MENU_FORMS or payload == "confirm":
            if payload == "confirm":
                self.say("还有未填写的项目。")
            else:
                self.say(f"您正在填写《{form.title}》，请先填完，或回复“取消”放弃后再办理其他事项。")
            self.reprompt()
        elif self.common_payload(payload):
            if not payload.startswith("rate:"):
                self.reprompt()
        else:
            self.say(EXPIRED)
            self.reprompt()

    def answer(self, form: Form, field: FormField, text: str) -> None:
        draft = self.draft
        assert draft is not None
        if field.optional and ff.norm(text) in SKIP_WORDS:
            self.accept(form, field, "", None)
            return
        choices = self.offered_choices(form, field)
        if not field.choices and choices and (i := ascii_int(ff.norm(text))) is not None:
            if 1 <= i <= len(choices):
                text = choices[i - 1]
        offered = ff.offered(field, draft["values"]) if field.choices else []
        result = validate(
            field.validator,
            text,
            today=self.today,
            choices=offered or None,
            min_len=field.min_len,
            max_len=field.max_len,
            aliases={a: t for a, t in field.aliases.items() if t in offered} or None,
            min_value=field.min_value,
            max_value=field.max_value,
            kind=draft["values"].get(field.kind_from) if field.kind_from else None,
        )
        draft.pop("suggestion", None)
        if isinstance(result, Invalid) and self.number_for_kind(form, field, text):
            return
        if isinstance(result, Invalid):
            if ff.looks_like_question(text) and self.side_question(text):
                return
            if result.suggestion:
                label = result.suggestion_label or result.suggestion
                draft["suggestion"] = {"field": field.key, "value": result.suggestion, "label": label}
            self.fail(form, field, result.reason)
            return
        if ff.asks_question_in_text_field(field) and ff.looks_like_question(text):
            if self.side_question(text):
                return
            if ff.is_clear_question(text):
                self.say("这个问题我暂时回答不了，您可以回复“人工”咨询工作人员。")
                self.ask(field)
                return
            if field.personal:  # "地址怎么写" is not an address
                self.fail(form, field, f"这里请填写{ff.bare_label(field)}；不清楚怎么填可以回复“帮助”。")
                return
        reason = ff.implausible(field, result.value)
        free_text = field.validator in ("text", "person_name")
        if not reason and free_text and result.value and not has_visible(result.value):
            reason = "内容不能为空，请输入文字。"  # only zero-width marks, bidi overrides or spaces
        if reason:
            self.fail(form, field, reason)
            return
        if ff.is_petition(form, field, text) and not draft.get("petition_warned"):
            draft["petition_warned"] = True
            self.say(form.petition_notice, [Button("人工服务", "menu:human"), Button("取消申请", "cancel")])
            return
        self.accept(form, field, result.value, result.display)

    def number_for_kind(self, form: Form, field: FormField, text: str) -> bool:
        """A document number typed where its type (证件类型) is asked: most residents just type
        their 居民身份证 number, so a number valid for the first type answers both fields."""
        fields = ff.applicable(form, self.draft["values"])
        follower = next((f for f in fields if f.kind_from == field.key), None)
        if follower is None or not field.choices:
            return False
        kind = field.choices[0]
        result = validate(follower.validator, text, today=self.today, kind=kind)
        if isinstance(result, Invalid):
            return False
        draft = self.draft
        draft["values"][field.key] = kind
        draft["history"] = [*(k for k in draft["history"] if k != field.key), field.key]
        self.accept(form, follower, result.value, result.display)
        return True

    def side_question(self, text: str) -> bool:
        """Answer a question asked in the middle of a form, then re-ask the field. False when
        the matcher has nothing for it (the text is then treated as an answer to the field)."""
        qa = answer_question(self.k, text)
        if qa.intent == "decline":
            return False
        if qa.entry_id == "chat/human":
            self.open_handover("requested")
            return True
        self.handle_qa(qa, in_form=True)
        self.reprompt()
        return True

    def fail(self, form: Form, field: FormField, reason: str) -> None:
        draft = self.draft
        assert draft is not None
        failures = draft["failures"]
        failures[field.key] = failures.get(field.key, 0) + 1
        if failures[field.key] >= MAX_FIELD_FAILURES:
            explain = ff.help_text(field, self.offered_choices(form, field), self.today)
            self.say(
                f"{reason}\n\n这一项好像不太好填，我再说明一下：\n{explain}\n"
                "如果需要工作人员帮助，请回复“人工”。",
                [Button("人工服务", "menu:human"), Button("取消填写", "cancel")],
            )
        else:
            self.say(reason)
        self.ask(field)

    def accept(self, form: Form, field: FormField, value: str, display: str | None) -> None:
        draft = self.draft
        assert draft is not None
        lead: list[str] = []
        if ff.CHOICES_FROM.get((form.id, field.key)) == "archives" and value:
            scope = self.archives.check_scope(value)
            if scope.kind in ("home", "outside"):
                # Not what 异地查档 covers: say where to go instead and ask again (or 取消).
                self.say(scope.notice, [Button("取消填写", "cancel")])
                self.ask(field)
                return
            archive = scope.archive
            if archive is not None:
                value = archive.name
                if not archive.accepts_requests:
                    lead.append(f"{archive.name}暂不受理异地查档申请，工作人员收到后会与您联系。")
            elif scope.notice:
                lead.append(scope.notice)
        draft["values"][field.key] = value
        for stale in ff.stale_choices(form, draft["values"]):
            # e.g. 电子邮件 delivery after the form changed to 纸质: asked again, never kept.
            draft["values"].pop(stale.key, None)
            lead.append(f"“{ff.bare_label(stale)}”原来的选择与“{ff.bare_label(field)}”不一致，请重新选择。")
        if display and display != value and field.personal is None:
            draft["displays"][field.key] = display
        else:
            draft["displays"].pop(field.key, None)
        draft["failures"].pop(field.key, None)
        history = [k for k in draft["history"] if k != field.key]
        draft["history"] = [*history, field.key]
        notice = field.notices.get(value)
        if notice:
            lead.append(notice)
        editing = draft.get("editing")
        draft["editing"] = False
        upcoming = ff.next_field(form, draft["values"])
        if editing and upcoming is None:
            lead.insert(0, f"已修改“{ff.bare_label(field)}”。")
        elif not editing:
            kept = ff.kept_between(form, draft["values"], field, upcoming)
            if kept:  # after 返回: later answers are kept, not asked again; say so
                lead.append(f"后面已填写的{'、'.join(kept)}保持不变，需要改的话可以回复“修改 项目名”。")
        self.advance("\n".join(lead))

    def field_help(self, form: Form, field: FormField) -> None:
        self.say(ff.help_text(field, self.offered_choices(form, field), self.today))
        self.ask(field)

    def go_back(self) -> None:
        form, draft = self.form(), self.draft
        assert form is not None and draft is not None
        if draft.get("editing"):
            draft["editing"] = False
            self.show_summary()
            return
        current = draft.get("field") if self.mode == "form" else None
        history = [k for k in draft["history"] if k != current]
        while history:
            key = history.pop()
            field = form.field(key)
            if field is not None and field.applies(draft["values"]):
                draft["history"] = history
                self.ask(field)
                return
        draft["history"] = []
        self.say("已经是第一项了。")
        self.reprompt()

    def ask_cancel(self) -> None:
        form = self.form()
        self.state["cancel_return"] = self.mode if self.mode in ("form", "confirm") else "form"
        self.mode = "confirm_cancel"
        title = form.title if form else "申请"
        self.say(
            f"确定要取消《{title}》吗？已填写的内容将被删除。",
            [Button("是，取消", "cancel:yes"), Button("否，继续填写", "cancel:no")],
        )

    def on_confirm_cancel(self, text: str, payload: str | None) -> None:
        n = ff.norm(text)
        back_to = self.state.get("cancel_return") or "form"
        if payload == "cancel:yes" or (not payload and n in YES_WORDS):
            form = self.form()
            self.state["form"] = None
            self.mode = "idle"
            title = form.title if form else "申请"
            self.say(f"已取消《{title}》，填写的内容已删除。需要时可以重新开始。", MENU)
            return
        self.mode = back_to
        if payload == "cancel:no" or (not payload and n in NO_WORDS):
            self.say("好的，继续填写。")
            self.reprompt()
            return
        # Anything else: the resident carried on instead of answering; treat it as "no".
        (self.on_confirm if back_to == "confirm" else self.on_form)(text, payload)

    # ------------------------------------------------------------------ forms: summary and submit

    def _summary_buttons(self) -> list[Button]:
        return [Button("确认提交", "confirm"), Button("修改", "edit"), Button("取消", "cancel")]

    def show_summary(self) -> None:
        form, draft = self.form(), self.draft
        assert form is not None and draft is not None
        self.mode = "confirm"
        draft["field"] = None
        draft["editing"] = False
        # Full values for the resident to check in their private chat; masked in the buffer
        # that staff see at a handover.
        text = ff.summary_text(form, draft["values"], draft["displays"], owner=True)
        masked = ff.summary_text(form, draft["values"], draft["displays"])
        self.say(text + "\n\n" + CONFIRM_HINT, self._summary_buttons(), masked=masked)

    def on_confirm(self, text: str, payload: str | None) -> None:
        form = self.form()
        assert form is not None
        if payload:
            if payload == "confirm":
                self.submit()
            elif payload == "edit" or payload.startswith("edit:"):
                self.edit_request(form, payload[5:], strict=False)
            elif payload in ("cancel", "discard"):
                self.ask_cancel()
            elif payload == "back":
                self.go_back()
            elif payload == "menu:human":
                self.open_handover("requested")
            elif payload in ("help", "resume"):
                self.reprompt()
            elif payload in MENU_FORMS:
                self.say(f"您的《{form.title}》还没有提交，请先确认提交，或回复“取消”。")
                self.reprompt()
            elif self.common_payload(payload):
                if not payload.startswith("rate:"):
                    self.reprompt()
            else:
                self.say(EXPIRED)
                self.reprompt()
            return
        n = ff.norm(text)
        if n in CONFIRM_WORDS:
            self.submit()
        elif m := _EDIT.match(n):
            self.edit_request(form, m.group(1), strict=False)
        elif n in CANCEL_WORDS:
            self.ask_cancel()
        elif n in BACK_WORDS:
            self.go_back()
        elif n in HUMAN_WORDS:
            self.open_handover("requested")
        elif n in STATUS_WORDS or find_reference(text):
            ref = find_reference(text)
            self.show_reference(ref) if ref else self.show_status()
            self.reprompt()
        elif n in HELP_WORDS or n in RESUME_WORDS or n in MENU_WORDS or not n:
            self.reprompt()
        else:
            qa = answer_question(self.k, text)
            if qa.intent != "decline":
                self.handle_qa(qa, in_form=True)
            self.reprompt()

    def edit_request(self, form: Form, query: str, *, strict: bool) -> bool:
        """修改 <field>: go to that field; with no or an unclear name, offer the fields as buttons.
        With `strict` (typed in the middle of a form) only a clear match counts, so a value that
        happens to start with 修改 is still taken as an answer."""
        draft = self.draft
        assert draft is not None
        fields = ff.find_fields(form, draft["values"], query) if query else []
        editable = [f for f in fields if f.key in draft["values"]]  # only answered fields
        if len(editable) == 1:
            draft["editing"] = self.mode == "confirm" or bool(draft.get("editing"))
            self.ask(editable[0])
            return True
        if strict:
            return False
        options = editable or [f for f in ff.applicable(form, draft["values"]) if f.key in draft["values"]]
        lead = f"没有找到“{query}”这一项。" if query and not fields else ""
        self.say(
            f"{lead}要修改哪一项？".strip(),
            [Button(ff.bare_label(f), f"edit:{f.key}") for f in options],
        )
        return True

    def _applicant_type(self, prefix: str, data: dict[str, Any]) -> str | None:
        """The annual report's applicant column for a 政府信息公开 application (staff may
        correct it); None for other services."""
        catalogue = self.k.extras.get("outcomes")
        return catalogue.applicant_type(data) if prefix == "GK" and catalogue is not None else None

    def submit(self) -> None:
        form, draft = self.form(), self.draft
        assert form is not None and draft is not None
        missing = ff.next_field(form, draft["values"])
        if missing is not None:
            self.ask(missing, "还有一项没有填写。")
            return
        values = ff.answered(form, draft["values"])
        data: dict[str, Any] = {"form": form.id, "fields": values}
        calendar = self.calendar
        receipt = calendar.receipt_date(self.today)
        received = receipt.date
        due: Deadline | None = None
        archive = None
        if form.deadline_working_days:
            due = calendar.add_working_days(received, form.deadline_working_days)
        if ff.CHOICES_FROM.get((form.id, "archive")) == "archives" and values.get("archive"):
            archive = self.archives.find(values["archive"])
            if archive is not None:
                data["archive_id"] = archive.id
            own = archive.turnaround_working_days if archive else None
            days = own or self.archives.turnaround_working_days
            if days and due is None:
                due = calendar.add_working_days(received, days)
        if due is not None and receipt.provisional:
            due = Deadline(due.date, True)
        loc = self.k.get(form.service)
        office = loc.entry.office if loc is not None and isinstance(loc.entry, Service) else ""
        department = loc.department.name if loc is not None and loc.department else self.k.chat.office_name
        req = self.store.create_request(
            kind=form.kind,
            prefix=form.prefix,
            resident=self.resident,
            data=data,
            office=office or department,
            received=received,
            due=due.date if due else None,
            due_provisional=bool(due and due.provisional),
            now=self.now,
            idempotency_key=f"{self.resident}:{form.id}:{draft['draft']}",
            applicant_type=self._applicant_type(form.prefix, data),
        )
        self.events.append(RequestSubmitted(req.reference))
        self.owe_card(req.reference)
        received_text = cn_date(received)
        if received != self.today:
            received_text += "（您在非工作日提交，收到日期为下一个工作日）"
        due_text = due_note = ""
        if due is not None:
            due_text = cn_date(due.date)
            due_note = due.describe()[len(Deadline(due.date).describe()) :]
        shown = {f.key: ff.shown(f, values.get(f.key), draft["displays"].get(f.key)) for f in form.fields}
        common = {
            "pickup": self.archives.pickup_text(),
            "fee": self.archives.fee_text(),
            "department": department,
        }
        notes = [
            string.Formatter().vformat(note.text, (), _Fill({**shown, **common}))
            for note in form.receipt_notes
            if all(
                values.get(k) in ([w] if isinstance(w, str) else w) for k, w in note.when.items()
            )
        ]
        fill = _Fill(
            {
                **shown,
                **common,
                "notes": "\n".join(notes),
                "reference": req.reference,
                "received": received_text,
                "due": due_text or "以承办单位答复为准",
                "due_note": due_note,
                "office": office or "尚未公布",
                "turnaround": self.archives.turnaround_text(archive),
                "title": form.title,
            }
        )
        text = string.Formatter().vformat(form.receipt, (), fill)
        text = "\n".join(line for line in text.split("\n") if line.strip())  # unused placeholders
        self.state["form"] = None
        self.mode = "idle"
        self.say_owed(text, [Button("我的申请", "status")], reference=req.reference)


def _has_words(text: str) -> bool:
    """True when the text has a letter or a digit of any script (not only emoji, punctuation,
    zero-width or blank characters)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


class _Fill(dict):
    """Receipt placeholders; a field that did not apply is left blank rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""
