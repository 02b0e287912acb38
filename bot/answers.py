"""Compose the reply for a matched entry: the part that answers, short enough for a phone.

A resident who asks who handles night duty wants the 值班 row and its 责任科室, not the whole
主要职责; one who asks about fines wants the 5000元/30000元 paragraph, not an 11-part rule.
So duties answer with their matching rows, policies with their best passage, and services
with content, office, phone (or "尚未公布") and the guided flow they can start.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bot.events import format_event_details
from bot.knowledge import NOT_PUBLISHED, ChatIntent, Department, Duty, Knowledge, Located, Policy, Service
from bot.matcher import ASKS_NUMBER, Matcher
from bot.messages import Catalogue, catalogue_of
from bot.passages import Passage, policy_passages, row_text, topic_text
from bot.text import normalize
from bot.validators import or_bundled

MAX_ITEM_CHARS = 140
MAX_PASSAGE_CHARS = 260


def flow_hint(flow: str | None, m: Catalogue) -> str:
    """What a resident types to start a guided flow ("" for none); the dialog engine understands these."""
    hints: dict[str, Callable[[], str]] = {
        "disclosure": lambda: m.text("answers.flow_disclosure"),
        "archive_lookup": lambda: m.text("answers.flow_archive_lookup"),
        "events": lambda: m.text("answers.flow_events"),
        "warnings": lambda: m.text("answers.flow_warnings"),
    }
    say = hints.get(flow or "")
    return say() if say is not None else ""


_HAS_NUMBER = re.compile(r"\d")


#: The word that makes a question about the 人防 service one about the alarm (matched, not shown).
_ALARM = "警报"
#: Records in another province, however said: the service covers its own province only.
OTHER_PROVINCE = re.compile(r"外省|省外|别的省|其他省|外地省份|(?<![a-z])(another|other) province")
#: What to bring, or a lookup for someone else (whose ID and signed authorisation are needed).
BRING_CUES = re.compile(
    r"带|材料|证件|身份证|委托书|准备|代(查|办|领)|替(我|他|她|俺)|帮(我|他|她|俺|家里).{0,4}(查|办|调)"
    r"|(?<![a-z])(bring|documents?|papers?|prepare|id card|for me|on my behalf)(?![a-z])"
)
ALARM_DAY = re.compile(r"什么时候|哪天|几号|几月|试鸣|时间|日期|今年|明年")
#: Asking what a sound means, not only that one was heard ("听到拉警报了，怎么回事" wants the day too).
ALARM_SOUND = re.compile(r"声音|信号|怎么响|怎么叫|什么意思|区分|代表")

#: What kind of fact a question asks for -> what the answering passage should contain.
FACT_CUES = [
    (re.compile(r"多少分|几分|分数|算合格|打分"), re.compile(r"\d+分")),
    (re.compile(r"多少钱|多少元|罚款多少|金额|价值多少|罚多少|上限"), re.compile(r"\d+\s*(元|万)")),
    (
        re.compile(r"几次|多少次|几回|多少回|几趟|多少趟|多久.{0,3}一次|频率|多长时间.{0,3}一次"),
        re.compile(r"\d+\s*次|每(年|月|季度|半年)"),
    ),
    # how many officers must come ("一个人来查算不算数"): the rule's 两名以上
    (
        re.compile(r"几个人|几名|多少人|几个执法|一个人来|两个人|人数"),
        re.compile(r"[二两\d]+\s*(名|人)以上"),
    ),
    # which decree or document a rule follows ("按哪个令", "依据什么文件")
    (
        re.compile(r"哪个令|几号令|哪个文件|哪份文件|什么文件|哪个规定|依据什么|根据什么|按什么"),
        re.compile(r"第?\d+号|〔\d{4}〕"),
    ),
    (
        re.compile(r"什么时候|啥时候|何时|截止|哪天|几号|期限|多久|多少天|几天"),
        re.compile(r"\d+月|月底|日前|年底|\d+个?工作日|[一二三四五六七八九十\d]+日内|个月内"),
    ),
    (re.compile(r"比例|百分之|多大比例|抽查多少"), re.compile(r"%|％|百分之")),
]

#: Supervision rules share their section headings; some questions name the section they want.
HEADING_CUES = [
    (re.compile(r"哪些单位|什么单位|对象|管哪些|查哪些"), "对象"),
    (re.compile(r"查什么|检查什么|内容|哪些事项"), "内容"),
    (re.compile(r"怎么查|方式|怎么检查"), "方式"),
    (re.compile(r"程序|流程|步骤"), "程序"),
    (re.compile(r"会怎样|会咋样|怎么处理|后果|不交|不按|不改|处罚"), "处理"),
    (re.compile(r"立案|条件|标准"), "标准"),
]


@dataclass(frozen=True)
class Answer:
    entry_id: str
    text: str
    flow: str | None = None


def compose(matcher: Matcher, loc: Located, query: str) -> Answer:
    """The reply for `loc`, focused on what `query` asks."""
    words = _query_terms(matcher, query)
    m = or_bundled(catalogue_of(matcher.knowledge))
    entry = loc.entry
    asked = normalize(query)
    if isinstance(entry, Duty):
        text = _duty_text(matcher, loc.department, entry, words, m)
        alarm = _alarm_text(matcher, entry.id, False, asked, words, m)
        # the office that runs the yearly test (events.yaml's link) answers the siren, with its events
        return Answer(entry.id, text + alarm, "events" if alarm else None)
    if isinstance(entry, Service):
        text = _service_text(loc.department, entry, m)
        text += _alarm_text(matcher, entry.id, entry.flow == "events", asked, words, m)
        archives = matcher.knowledge.extras.get("archives")
        if entry.flow == "archive_lookup" and archives is not None:
            if BRING_CUES.search(asked):
                text += "\n\n" + archives.pickup_text()
            elsewhere = archives.names_other_province(asked) is not None or bool(OTHER_PROVINCE.search(asked))
            if elsewhere and archives.scope.province:
                # the service covers one province: records elsewhere have their own route
                text += "\n\n" + m.text("answers.archive_other_province", province=archives.scope.province)
        return Answer(entry.id, text, entry.flow)
    if isinstance(entry, Policy):
        return Answer(entry.id, _policy_text(matcher, loc.department, entry, words, query))
    if isinstance(entry, ChatIntent):
        return Answer(entry.id, entry.reply or entry.title)
    raise TypeError(f"no answer for {type(entry).__name__}")  # pragma: no cover


def _alarm_text(
    matcher: Matcher, entry_id: str, events_flow: bool, asked: str, words: dict[str, float], m: Catalogue
) -> str:
    """The yearly siren test and the signals, for a question about a siren (in the resident's
    words or as the synonyms read 呜呜响, 防空笛, siren) answered by the 人防 events service or by
    the entry the test day links to ("" otherwise)."""
    calendar = matcher.knowledge.extras.get("events")
    if calendar is None or (_ALARM not in asked and _ALARM not in words):
        return ""
    tests = [e for e in calendar.find(_ALARM) if getattr(e, "times", None)]
    if not events_flow and not any(e.link == entry_id for e in tests):
        return ""
    wants_day, wants_sound = bool(ALARM_DAY.search(asked)), bool(ALARM_SOUND.search(asked))
    text = ""
    if tests and (wants_day or not wants_sound):  # the yearly test day, from events.yaml
        text += "\n\n" + format_event_details(tests[0], date.today(), m)
    if wants_sound or not wants_day:
        text += "\n\n" + calendar.format_alarm_signals()
    return text


def suggestion_text(knowledge: Knowledge, titles: list[str]) -> str:
    """Unsure: say so, offer up to three entries, and the way to a person."""
    m = or_bundled(catalogue_of(knowledge))
    if not titles:
        return m.text("answers.unsure")
    lines = [m.text("answers.unsure_suggest", suggest=knowledge.chat.suggest)]
    lines += [f"{i}. {t}" for i, t in enumerate(titles[:3], 1)]
    lines.append(m.text("answers.unsure_pick"))
    return "\n".join(lines)


# ---------------------------------------------------------------------- duties


def _query_terms(matcher: Matcher, query: str) -> dict[str, float]:
    """Question words with the weight the matcher gives them."""
    return matcher.weighted_words(query)


def _overlap(matcher: Matcher, words: dict[str, float], text: str, repeats: bool = False) -> float:
    """Weighted share of the question found in `text`; with `repeats`, a passage that keeps
    returning to the asked term (三同时 … 三同时) beats one that mentions it in passing."""
    terms = matcher.terms_of(text)
    bag = frozenset(terms)
    total = 0.0
    for word, weight in words.items():
        strength = matcher.strength(word, bag)
        if strength and repeats:
            strength *= min(1.4, 1.0 + 0.2 * (terms.count(word) - 1)) if word in bag else 1.0
        total += weight * strength
    return total


def _clip(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: A duty row is picked out only when it explains at least this share of the question; below
#: that the row texts say little about what was asked (开大会 vs 会议的准备): show every row with
#: its 责任科室, so the office the resident needs is in the answer.
ROW_EVIDENCE = 0.25


def _duty_text(
    matcher: Matcher, dept: Department | None, duty: Duty, words: dict[str, float], m: Catalogue
) -> str:
    scores = [_overlap(matcher, words, row_text(row)) for row in duty.rows]
    best = max(scores, default=0.0)
    total = sum(words.values())
    if best > 0 and best >= ROW_EVIDENCE * total:
        chosen = [row for row, s in zip(duty.rows, scores, strict=True) if s >= best * 0.75]
    else:
        chosen = list(duty.rows)
    chosen = chosen[:3]
    name = dept.name if dept else ""
    lines = [f"【{name}】" if name else ""]
    for row in chosen:
        line = "· " + _clip(row.item.rstrip("。；;"), MAX_ITEM_CHARS)
        line += "\n  " + m.text("answers.duty_office", office=row.office) if row.office else ""
        lines.append(line)
    if len(chosen) < len(duty.rows):
        lines.append(m.text("answers.duty_more_rows", count=len(duty.rows)))
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------------- services


def unquote_title(title: str) -> str:
    """Drop quotes that wrap a whole title (“政府信息公开”), but keep a quoted part balanced:
    “国际档案日”活动 stays as it is (stripping both ends left 国际档案日”活动)."""
    t = title.strip()
    if len(t) >= 2 and t[0] == "“" and t[-1] == "”" and "“" not in t[1:-1] and "”" not in t[1:-1]:
        return t[1:-1]
    return t


def _service_text(dept: Department | None, service: Service, m: Catalogue) -> str:
    name = dept.name if dept else ""
    lines = [
        f"【{unquote_title(service.title)}】{name}",
        m.text("answers.service_content", content=_clip(service.content, 200)),
        m.text("answers.service_office", office=service.office or NOT_PUBLISHED),
    ]
    if service.phone:
        lines.append(m.text("answers.service_phone", phone=service.phone))
    else:
        lines.append(m.text("answers.service_phone_missing"))
    lines += service.notes
    hint = flow_hint(service.flow, m)
    if hint:
        lines.append(hint)
    return "\n".join(lines)


# ---------------------------------------------------------------------- policies


def _policy_text(
    matcher: Matcher, dept: Department | None, policy: Policy, words: dict[str, float], query: str
) -> str:
    blocks = policy_passages(policy)
    # Words that name the rule itself (its title, its keywords) chose the entry; within it, the
    # passage is chosen by the rest of the question (人防工程 + 多久检查 -> the 检查指标 passage).
    topic = frozenset(matcher.terms_of(topic_text(policy)))
    words = {w: weight * (0.3 if matcher.strength(w, topic) >= 0.8 else 1.0) for w, weight in words.items()}
    asked = normalize(query)
    wants_number = bool(ASKS_NUMBER.search(asked))
    wanted_facts = [answer for cue, answer in FACT_CUES if cue.search(asked)]
    wanted_headings = [heading for cue, heading in HEADING_CUES if cue.search(asked)]

    def score(block: Passage) -> float:
        s = _overlap(matcher, words, block.text, repeats=True) + 0.3 * _overlap(matcher, words, block.heading)
        if any(p.search(block.text) for p in wanted_facts):
            # a short passage stating the fact asked for (（一）两名以上执法人员开展检查) beats a long
            # one sharing more of the question's words (round 29: + 1.0 -> + 2.0)
            s = s * 1.6 + 2.0
        elif wants_number and _HAS_NUMBER.search(block.text):
            s = s * 1.2 + 0.3
        if any(h in block.heading or h in block.text[:12] for h in wanted_headings):
            s = s * 1.4 + 0.5
        return s

    best = max(range(len(blocks)), key=lambda i: (score(blocks[i]), -i)) if blocks else None
    chosen: list[Passage] = []
    if best is not None:
        chosen.append(blocks[best])
        first_in_section = best == 0 or blocks[best - 1].section != blocks[best].section
        # An overview paragraph is followed by its details (重大案件 -> 50万元以上…).
        follow = best + 1
        while (
            first_in_section
            and follow < len(blocks)
            and blocks[follow].section == blocks[best].section
            and sum(len(b.text) for b in chosen) + len(blocks[follow].text) <= MAX_PASSAGE_CHARS
        ):
            chosen.append(blocks[follow])
            follow += 1
    name = dept.name if dept else ""
    office = f"（{policy.office}）" if policy.office else ""
    lines = [f"【{policy.title}】{name}{office}"]
    if chosen and chosen[0].heading:
        lines.append(chosen[0].heading)
    lines += [_clip(b.text, MAX_PASSAGE_CHARS) for b in chosen]
    return "\n".join(lines)
