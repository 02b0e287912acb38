"""What the engine recognises in typed text: word lists, routes, regular expressions, limits.

Only parsers read these (they are not sentences anyone is shown; those are in the catalogue,
knowledge/messages/). Shared by every capability, so they import downward from here.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

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

#: The kind and reference prefix of a handover request (a 咨询, ZX-…); a stored value.
HANDOVER_KIND = "咨询"
HANDOVER_PREFIX = "ZX"

#: menu payload -> form id
MENU_FORMS = {"menu:disclosure": "disclosure", "menu:archive": "archive_lookup", "book": "drill_booking"}

#: Subscription topics (their names are in the catalogue: subscribe.topic_*).
TOPICS = ("events", "warnings")

#: A word in an event's title that makes its card offer the alarm signals' explanation.
ALARM = "警报"

#: Modes in which a form is being filled in (a question there re-asks the field afterwards).
FORM_MODES = ("form", "confirm", "confirm_cancel")

CANCEL_WORDS = {"取消", "取消申请", "取消填写", "取消预约", "不填了", "不办了", "放弃填写", "退出填写"}
BACK_WORDS = {"返回", "上一步", "上一项", "返回上一步", "返回上一项", "后退", "回退"}
HELP_WORDS = {"帮助", "怎么填", "不会填", "不知道怎么填", "填写说明", "说明", "help"}
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
ROUTE_OF = {word: payload for payload, words in ROUTES.items() for word in words}
FORM_START_WORDS = {w for p in ("menu:disclosure", "menu:archive", "book") for w in ROUTES[p]}

_REFERENCE = re.compile(  # one optional dash between spaces: linear, however many spaces
    r"(?<![A-Za-z])(GK|CD|RF|ZX)\s*(?:[-－—_]\s*)?(\d{8})\s*(?:[-－—_]\s*)?(\d{4,})(?!\d)", re.I
)
EDIT = re.compile(r"^(?:修改|更改|改一下|改)\s*[:：]?\s*(.*)$")
SIGNAL_QUESTION = re.compile(  # anchored at the first 警报: linear, however many 警报
    r"(?s)^(?:(?!警报).)*+警报.*(信号|怎么响|什么意思|含义|声音?|代表|区别|响几|多长|几种|怎么办|怎么做)"
    r"|听到.{0,6}警报"
)
#: A siren question that asks the time ("试鸣那天头一声几点响"): the day's schedule, not the signals.
SIGNAL_TIME = re.compile(r"几点|几时|哪天|几号|什么时候|啥时候|哪一天|几月")
WHEN_QUESTION = re.compile(
    r"哪天|什么时候|啥时候|几号|几点|时间|日期|安排|哪一天|何时|几月|哪个月|哪几天|今天|今日|明天|明日|后天"
    r"|\d{1,2}月\d{1,2}[日号]"
)
#: Subscription confirmation answered by typing.
SUB_YES_WORDS = {"确认", "确认订阅", "订阅", "是", "是的", "确定", "好", "好的", "嗯", "对", "可以"}
SUB_NO_WORDS = {"否", "不", "不用", "不要", "不订阅", "暂不订阅", "算了", "取消"}


def find_reference(text: str) -> str | None:
    """A reference like GK-20261121-0001 in typed text (full width, spaces and case tolerated)."""
    m = _REFERENCE.search(unicodedata.normalize("NFKC", text or ""))
    if not m:
        return None
    return f"{m.group(1).upper()}-{m.group(2)}-{m.group(3)}"


def cn_date(d: date) -> str:
    """A date as written in Chinese documents (2026年11月23日)."""
    return f"{d.year}年{d.month}月{d.day}日"


def has_words(text: str) -> bool:
    """True when the text has a letter or a digit of any script (not only emoji, punctuation,
    zero-width or blank characters)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)
