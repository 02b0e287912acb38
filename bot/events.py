"""Event calendar: one-off events, yearly rules and the air-defence alarm signals.

Administrators keep `knowledge/events.yaml`; this module validates it (every problem names the
file, the event id and the field) and answers "what is on, and when" as concrete dated
occurrences. Facts nobody has published stay empty and are shown as "尚未公布" rather than guessed.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from bot.knowledge import ID_PATTERN, NOT_PUBLISHED, AdminModel, KnowledgeLike, Problem, read_yaml

EVENTS_FILE = "events.yaml"
RULE_KINDS = ("fixed", "nth_weekday")
EVENT_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
NTH_NAMES = {1: "第一个", 2: "第二个", 3: "第三个", 4: "第四个", -1: "最后一个"}

#: Sentences of events.yaml `texts:` -> the placeholders the code fills in.
TEXT_KEYS: dict[str, tuple[str, ...]] = {
    "day_is": ("day", "title"),
    "day_is_not": ("day", "title"),
    "dates_unpublished": ("title",),
    "warnings_about": (),
    "warnings_confirm": (),
    "warnings_subscribed": (),
    "warnings_already": (),
    "warnings_declined": (),
}

#: A day named in a question: 今天/明天/后天, or "7月7日" / "7月7号".
_DAY_ASKED = re.compile(r"(今天|今日|明天|明日|后天)|(\d{1,2})月(\d{1,2})[日号]")
_RELATIVE_DAYS = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2}

_TIME = re.compile(r"^(\d{1,2})[:：](\d{2})(?:\s*[-–—~～至到]\s*(\d{1,2})[:：](\d{2}))?$")


# --------------------------------------------------------------------------- file models


class TimeSlot(AdminModel):
    """One time slot, "10:00-10:03" or "10:00", with an optional label (预先警报)."""

    time: str
    label: str = ""

    @field_validator("time", mode="before")
    @classmethod
    def _sexagesimal(cls, value: Any) -> Any:
        # YAML 1.1 reads an unquoted 10:00 as the integer 600 (base 60): turn it back.
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return f"{value // 60:02d}:{value % 60:02d}"
        return value

    @field_validator("time")
    @classmethod
    def _time_shape(cls, value: str) -> str:
        m = _TIME.match(value)
        if not m:
            raise ValueError(f'time {value!r} must look like "10:00" or "10:00-10:03"')
        start = (int(m[1]), int(m[2]))
        if start[0] > 23 or start[1] > 59:
            raise ValueError(f"time {value!r} is not a valid clock time")
        if m[3] is None:
            return f"{start[0]:02d}:{start[1]:02d}"
        end = (int(m[3]), int(m[4]))
        if end[0] > 23 or end[1] > 59:
            raise ValueError(f"time {value!r} is not a valid clock time")
        if end <= start:
            raise ValueError(f"time {value!r}: the end must be after the start")
        return f"{start[0]:02d}:{start[1]:02d}-{end[0]:02d}:{end[1]:02d}"

    def text(self) -> str:
        return f"{self.time} {self.label}".strip()


class _EventFields(AdminModel):
    id: str
    title: str = Field(min_length=1)
    times: list[TimeSlot] = Field(default_factory=list)
    place: str = ""
    organiser: str = ""
    description: str = ""
    activities: list[str] = Field(default_factory=list)
    audience: str = ""
    bookable: bool = False
    book_by: list[str] = Field(default_factory=list)
    booking: str = ""
    notes: list[str] = Field(default_factory=list)
    commemorative: bool = False
    link: str = ""
    keywords: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not EVENT_ID_PATTERN.match(value):
            raise ValueError(f"id {value!r} must be lower-case letters, digits and _ (e.g. guoji_dangan_ri)")
        return value

    @field_validator("activities", "book_by", "notes", "keywords")
    @classmethod
    def _no_blank(cls, values: list[Any]) -> list[str]:
        if any(v is None or not str(v).strip() for v in values):
            raise ValueError("must not contain empty items")
        return [str(v).strip() for v in values]

    @field_validator("link")
    @classmethod
    def _link_shape(cls, value: str) -> str:
        if value and not ID_PATTERN.match(value):
            raise ValueError(f"link {value!r} must be a knowledge entry id like 'baixiang/service/5'")
        return value


class DatedEvent(_EventFields):
    """A one-off event; with neither `date` nor `start` its dates are not published yet."""

    # `dt.date`, not `date`: a field named date would shadow the type in the class body.
    date: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def first_day(self) -> date | None:
        return self.date or self.start

    @property
    def last_day(self) -> date | None:
        return self.date or self.end or self.start

    @property
    def is_dated(self) -> bool:
        return self.first_day is not None

    @property
    def span(self) -> tuple[dt.date, dt.date] | None:
        first, last = self.first_day, self.last_day
        return (first, last) if first and last else None


class YearlyRule(_EventFields):
    """Happens every year: a fixed month/day, or the nth weekday of a month."""

    kind: Literal["fixed", "nth_weekday"]
    month: int = Field(ge=1, le=12)
    day: int | None = None
    nth: int | None = None
    #: 1 = Monday ... 7 = Sunday (ISO numbering, as in date.isoweekday()).
    weekday: int | None = None

    def date_in(self, year: int) -> date:
        """The rule's date in `year` (the loader has checked the fields fit the kind)."""
        if self.kind == "fixed":
            return date(year, self.month, self.day or 1)
        return nth_weekday(year, self.month, self.nth or 1, self.weekday or 1)

    def describe(self) -> str:
        if self.kind == "fixed":
            return f"每年{self.month}月{self.day}日"
        return f"每年{self.month}月{NTH_NAMES.get(self.nth or 0, '')}{WEEKDAYS[(self.weekday or 1) - 1]}"


class AlarmSignal(AdminModel):
    """An alarm signal: `on_seconds` of sound, `off_seconds` of silence, `repeat` times."""

    id: str
    name: str = Field(min_length=1)
    on_seconds: int = Field(ge=1)
    off_seconds: int = Field(ge=0)
    repeat: int = Field(ge=1)
    meaning: str = ""
    what_to_do: str = ""

    @property
    def total_seconds(self) -> int:
        gaps = self.repeat if self.off_seconds else 0
        return self.on_seconds * self.repeat + self.off_seconds * gaps

    def pattern_text(self) -> str:
        if self.off_seconds == 0 and self.repeat == 1:
            return f"连续鸣响{_duration(self.on_seconds)}"
        return (
            f"鸣{self.on_seconds}秒、停{self.off_seconds}秒，反复{self.repeat}遍"
            f"（共约{_duration(self.total_seconds)}）"
        )


Event = DatedEvent | YearlyRule


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Occurrence:
    """One concrete happening of an event on real dates, ready to show or to remind about."""

    event_id: str
    title: str
    start: date
    end: date
    times: str
    place: str
    organiser: str
    bookable: bool
    recurring: bool
    commemorative: bool
    link: str
    notes: tuple[str, ...]

    @property
    def sort_key(self) -> tuple[date, str, str]:
        return (self.start, self.times, self.event_id)


@dataclass(frozen=True)
class EventCalendar:
    """All events of events.yaml; pure queries, no clock: callers pass `today`."""

    events: tuple[DatedEvent, ...] = ()
    rules: tuple[YearlyRule, ...] = ()
    alarm_signals: tuple[AlarmSignal, ...] = ()
    alarm_test_advice: str = ""
    texts: Mapping[str, str] = field(default_factory=dict)

    def text(self, key: str, **values: str) -> str:
        """A sentence of events.yaml `texts:` with its placeholders filled ("" if not loaded)."""
        template = self.texts.get(key)
        return template.format(**values) if template else ""

    def get(self, event_id: str) -> Event | None:
        for event in (*self.events, *self.rules):
            if event.id == event_id:
                return event
        return None

    def undated(self) -> list[DatedEvent]:
        """Events whose dates an administrator has not set yet: "日期尚未公布"."""
        return [e for e in self.events if not e.is_dated]

    def occurrences(self, first: date, last: date) -> list[Occurrence]:
        """Occurrences overlapping [first, last], yearly rules expanded for each year touched."""
        spans = [(e, e.span) for e in self.events]
        found = [_occurrence(e, *span) for e, span in spans if span and span[0] <= last and span[1] >= first]
        for rule in self.rules:
            for year in range(first.year, last.year + 1):
                day = rule.date_in(year)
                if first <= day <= last:
                    found.append(_occurrence(rule, day, day, recurring=True))
        return sorted(found, key=lambda o: o.sort_key)

    def upcoming(self, today: date, days: int = 60) -> list[Occurrence]:
        """What is on from today (including events already under way) for the next `days` days."""
        return self.occurrences(today, today + timedelta(days=max(days, 0)))

    def occurrences_on(self, day: date) -> list[Occurrence]:
        return self.occurrences(day, day)

    def reminders_due(self, today: date) -> list[Occurrence]:
        """Occurrences starting tomorrow, for the day-before reminder job."""
        tomorrow = today + timedelta(days=1)
        return [o for o in self.occurrences_on(tomorrow) if o.start == tomorrow]

    def next_occurrence(self, event_id: str, today: date) -> Occurrence | None:
        """The next (or current) occurrence of one event, searching a little over a year ahead."""
        return next((o for o in self.upcoming(today, 400) if o.event_id == event_id), None)

    def find(self, text: str) -> list[Event]:
        """Events whose title or keywords occur in a resident's text (e.g. "警报试鸣是哪天")."""
        text = text.strip()
        if not text:
            return []
        hits = []
        for event in (*self.rules, *self.events):
            words = [event.title, *event.keywords]
            if any(w and (w in text or (len(text) >= 2 and text in w)) for w in words):
                hits.append(event)
        return hits

    def format_alarm_signals(self) -> str:
        return format_alarm_signals(self.alarm_signals, self.alarm_test_advice)


def _occurrence(event: Event, start: date, end: date, recurring: bool = False) -> Occurrence:
    return Occurrence(
        event_id=event.id,
        title=event.title,
        start=start,
        end=end,
        times="；".join(slot.text() for slot in event.times),
        place=event.place,
        organiser=event.organiser,
        bookable=event.bookable,
        recurring=recurring,
        commemorative=event.commemorative,
        link=event.link,
        notes=tuple(event.notes),
    )


def nth_weekday(year: int, month: int, nth: int, weekday: int) -> date:
    """The nth (1-4, or -1 = last) ISO weekday (1 = Monday) of a month."""
    if nth == -1:
        last = date(year, month, _cal.monthrange(year, month)[1])
        return last - timedelta(days=(last.isoweekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (nth - 1))


# --------------------------------------------------------------------------- formatting


def format_date(day: date, with_year: bool = True) -> str:
    head = f"{day.year}年" if with_year else ""
    return f"{head}{day.month}月{day.day}日（{WEEKDAYS[day.weekday()]}）"


def format_span(start: date, end: date) -> str:
    if start == end:
        return format_date(start)
    tail = format_date(end, with_year=end.year != start.year)
    return f"{format_date(start)}至{tail}"


def format_occurrence(occ: Occurrence) -> str:
    """A few lines for a phone screen: date, title, times and place (or 尚未公布)."""
    lines = [f"{format_span(occ.start, occ.end)} {occ.title}"]
    if occ.times:
        lines.append(f"时间：{occ.times}")
    elif not occ.commemorative:
        lines.append(f"时间：{NOT_PUBLISHED}")
    if occ.place:
        lines.append(f"地点：{occ.place}")
    elif not occ.commemorative:
        lines.append(f"地点：{NOT_PUBLISHED}")
    if occ.bookable:
        lines.append("可预约")
    return "\n".join(lines)


def format_event_details(event: Event, today: date | None = None) -> str:
    """Everything a resident may ask about one event; unknown facts are said to be 尚未公布."""
    lines = [event.title]
    if isinstance(event, YearlyRule):
        when = event.describe()
        if today is not None:
            nxt = event.date_in(today.year)
            if nxt < today:
                nxt = event.date_in(today.year + 1)
            when += f"，下一次是{format_date(nxt)}"
        lines.append(f"日期：{when}")
    elif event.span:
        lines.append(f"日期：{format_span(*event.span)}")
    else:
        lines.append(f"日期：{NOT_PUBLISHED}")
    if event.times:
        lines.append("时间：" + "；".join(slot.text() for slot in event.times))
    elif not event.commemorative:
        lines.append(f"时间：{NOT_PUBLISHED}")
    if event.place:
        lines.append(f"地点：{event.place}")
    elif not event.commemorative:
        lines.append(f"地点：{NOT_PUBLISHED}")
    if event.organiser:
        lines.append(f"承办：{event.organiser}")
    if event.description:
        lines.append(event.description)
    if event.activities:
        lines.append("主要活动：")
        lines += [f"· {a}" for a in event.activities]
    if event.audience:
        lines.append(f"面向：{event.audience}")
    lines += event.notes
    if event.bookable:
        lines.append(_booking_text(event))
    return "\n".join(lines)


def asked_day(text: str, today: date) -> date | None:
    """The day a question names ("明天有防空警报吗", "7月7号会拉警报吗"); a month/day already past
    this year means next year's. None when no day is named or the date does not exist."""
    m = _DAY_ASKED.search("".join(unicodedata.normalize("NFKC", text or "").split()))
    if not m:
        return None
    if m[1]:
        return today + timedelta(days=_RELATIVE_DAYS[m[1]])
    for year in (today.year, today.year + 1):
        try:
            day = date(year, int(m[2]), int(m[3]))
        except ValueError:
            return None
        if day >= today:
            return day
    return None


def format_event_when(calendar: EventCalendar, event: Event, today: date, day: date | None = None) -> str:
    """The answer to "when is it": the date (or that it is not published), the times and the
    notes; not the activities, audience and booking of the full card."""
    lines: list[str] = []
    held = False
    if day is not None:
        held = any(o.event_id == event.id for o in calendar.occurrences_on(day))
        key = "day_is" if held else "day_is_not"
        lines.append(calendar.text(key, day=format_date(day), title=event.title))
    if isinstance(event, YearlyRule):
        nxt = event.date_in(today.year)
        if nxt < today:
            nxt = event.date_in(today.year + 1)
        tail = "" if held else f"，下一次是{format_date(nxt)}"
        lines.append(f"{event.title}：{event.describe()}{tail}")
    elif event.span:
        lines.append(f"{event.title}：{format_span(*event.span)}")
    else:
        unpublished = calendar.text("dates_unpublished", title=event.title)
        lines.append(unpublished or f"{event.title}：日期{NOT_PUBLISHED}")
        return "\n".join(line for line in lines if line)
    if event.times:
        lines.append("时间：" + "；".join(slot.text() for slot in event.times))
    if event.place:
        lines.append(f"地点：{event.place}")
    lines += event.notes
    return "\n".join(line for line in lines if line)


def format_upcoming(calendar: EventCalendar, today: date, days: int = 60) -> str:
    """The "what is on" answer: upcoming occurrences, then the events whose dates are not out yet."""
    occs = calendar.upcoming(today, days)
    parts = [format_occurrence(o) for o in occs] or [f"近{days}天内没有已公布日期的活动。"]
    undated = calendar.undated()
    if undated:
        parts.append("日期尚未公布：" + "、".join(e.title for e in undated))
    return "\n\n".join(parts)


def _booking_text(event: Event) -> str:
    who = "、".join(event.book_by)
    head = f"{who}可预约。" if who else "可预约。"
    if event.booking:
        return f"预约：{head}{event.booking}"
    contact = f"，请联系{event.organiser}" if event.organiser else ""
    return f"预约：{head}预约方式{NOT_PUBLISHED}{contact}。"


def format_alarm_signals(signals: Iterable[AlarmSignal], test_advice: str = "") -> str:
    """The three alarm signals, how they sound and what they mean, for a phone screen."""
    lines = ["防空警报信号："]
    for s in signals:
        text = f"· {s.name}：{s.pattern_text()}。"
        if s.meaning:
            text += s.meaning.rstrip("。") + "。"
        if s.what_to_do:
            text += s.what_to_do.rstrip("。") + "。"
        lines.append(text)
    if test_advice:
        lines.append(test_advice)
    return "\n".join(lines)


def _duration(seconds: int) -> str:
    if seconds % 60 == 0:
        return f"{seconds // 60}分钟"
    if seconds > 60:
        return f"{seconds // 60}分{seconds % 60}秒"
    return f"{seconds}秒"


# --------------------------------------------------------------------------- loading


def load_events(knowledge: KnowledgeLike, problems: list[Problem]) -> EventCalendar:
    """Read knowledge.root/events.yaml; every problem is appended, the valid rest is returned."""
    path = Path(knowledge.root) / EVENTS_FILE
    rel = _rel(path, Path(knowledge.root))
    data = read_yaml(path, problems, Path(knowledge.root))
    if data is None:
        return EventCalendar()
    if not isinstance(data, dict):
        problems.append(Problem(rel, "", "", "must be a mapping with events, rules and alarm_signals"))
        return EventCalendar()
    unknown = set(data) - {"events", "rules", "alarm_signals", "alarm_test_advice", "texts"}
    for key in sorted(map(str, unknown)):
        known = "events, rules, alarm_signals, alarm_test_advice, texts"
        problems.append(Problem(rel, "", key, f"unknown section (known: {known})"))
    return parse_events(data, rel, problems, knowledge)


def parse_events(
    data: dict[str, Any], rel: str, problems: list[Problem], knowledge: KnowledgeLike | None = None
) -> EventCalendar:
    """Validate the parsed YAML of events.yaml (pure: no file access)."""
    events = [e for e in _items(data, "events", DatedEvent, rel, problems) if _check_dated(e, rel, problems)]
    rules = [r for r in _items(data, "rules", YearlyRule, rel, problems) if _check_rule(r, rel, problems)]
    signals = _items(data, "alarm_signals", AlarmSignal, rel, problems)

    seen: set[str] = set()
    for key in ("events", "rules", "alarm_signals"):
        raw = data.get(key)
        for item in raw if isinstance(raw, list) else []:
            item_id = item.get("id") if isinstance(item, dict) else None
            if item_id and str(item_id) in seen:
                problems.append(Problem(rel, str(item_id), "id", "duplicate id"))
            seen.add(str(item_id))
    for event in (*events, *rules):
        if (
            event.link
            and knowledge is not None
            and _has_departments(knowledge)
            and not knowledge.get(event.link)
        ):
            problems.append(Problem(rel, event.id, "link", f"unknown knowledge entry {event.link!r}"))

    advice = data.get("alarm_test_advice") or ""
    if not isinstance(advice, str):
        problems.append(Problem(rel, "", "alarm_test_advice", "must be text"))
        advice = ""
    texts = _texts(data.get("texts"), rel, problems)
    return EventCalendar(tuple(events), tuple(rules), tuple(signals), advice.strip(), texts)


def _texts(raw: Any, rel: str, problems: list[Problem]) -> dict[str, str]:
    """The `texts:` section, checked against TEXT_KEYS; a bad text is left out (and reported)."""
    from bot.guidance import check_texts

    if raw is None:  # an events file without sentences (older files, tests): the code's fallbacks
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(rel, "", "texts", "must be a mapping of key: text"))
        return {}
    texts: dict[str, str] = {}
    for key, value in raw.items():
        if not isinstance(value, str) or not value.strip():
            message = "must be a non-empty text (quote it if it starts with { or [)"
            problems.append(Problem(rel, "texts", str(key), message))
        else:
            texts[str(key)] = value.strip()
    found = check_texts(texts, TEXT_KEYS, rel)
    problems.extend(found)
    bad = {p.field for p in found}
    return {k: v for k, v in texts.items() if k not in bad}


def _items(data: dict[str, Any], key: str, model: type[Any], rel: str, problems: list[Problem]) -> list[Any]:
    """Validate each list item on its own, so one bad event does not hide the others' problems."""
    raw = data.get(key)
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(Problem(rel, "", key, "must be a list"))
        return []
    good = []
    for i, item in enumerate(raw):
        label = str(item.get("id") or f"{key}[{i}]") if isinstance(item, dict) else f"{key}[{i}]"
        if model is YearlyRule and isinstance(item, dict) and item.get("kind") not in RULE_KINDS:
            kind = item.get("kind")
            msg = f"unknown rule kind {kind!r} (known: {', '.join(RULE_KINDS)})" if kind else "missing"
            problems.append(Problem(rel, label, "kind", msg))
            continue
        try:
            good.append(model.model_validate(item))
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"])
                problems.append(Problem(rel, label, field, err["msg"]))
    return good


def _check_dated(event: DatedEvent, rel: str, problems: list[Problem]) -> bool:
    before = len(problems)
    if event.date and (event.start or event.end):
        problems.append(Problem(rel, event.id, "date", "give either date (one day) or start/end, not both"))
    if event.end and not event.start and not event.date:
        problems.append(Problem(rel, event.id, "start", "end is set but start is empty"))
    if event.start and event.end and event.end < event.start:
        problems.append(Problem(rel, event.id, "end", f"end {event.end} is before start {event.start}"))
    return len(problems) == before


def _check_rule(rule: YearlyRule, rel: str, problems: list[Problem]) -> bool:
    before = len(problems)
    if rule.kind == "fixed":
        if rule.day is None:
            problems.append(Problem(rel, rule.id, "day", "required for kind 'fixed'"))
        elif rule.month == 2 and rule.day == 29:
            problems.append(
                Problem(rel, rule.id, "day", "29 February is not in every year; use a dated event")
            )
        elif not 1 <= rule.day <= _cal.monthrange(2001, rule.month)[1]:
            problems.append(Problem(rel, rule.id, "day", f"month {rule.month} has no day {rule.day}"))
        for name in ("nth", "weekday"):
            if getattr(rule, name) is not None:
                problems.append(Problem(rel, rule.id, name, "not used by kind 'fixed'; remove it"))
    else:
        if rule.nth is None:
            problems.append(Problem(rel, rule.id, "nth", "required for kind 'nth_weekday'"))
        elif rule.nth not in NTH_NAMES:
            problems.append(
                Problem(rel, rule.id, "nth", f"nth {rule.nth} out of range: use 1-4, or -1 for the last")
            )
        if rule.weekday is None:
            problems.append(Problem(rel, rule.id, "weekday", "required for kind 'nth_weekday'"))
        elif not 1 <= rule.weekday <= 7:
            problems.append(Problem(rel, rule.id, "weekday", "must be 1 (Monday) to 7 (Sunday)"))
        if rule.day is not None:
            problems.append(Problem(rel, rule.id, "day", "not used by kind 'nth_weekday'; remove it"))
    return len(problems) == before


def _has_departments(knowledge: KnowledgeLike) -> bool:
    """Links are only checked once departments are loaded (the loader may run on its own)."""
    return bool(getattr(knowledge, "departments", None))


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)
