"""The event calendar's data: one-off events, yearly rules, alarm signals, and their occurrences.

Pure queries, no clock: callers pass `today`. Loading and checking the file is `bot.events.load`;
how an event reads on a phone screen is `bot.events.wording`.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import Field, field_validator

from bot.knowledge import AdminModel
from bot.knowledge_model import entry_link, nonblank_items
from bot.messages import Catalogue
from bot.validators import or_bundled

EVENTS_FILE = "events.yaml"
RULE_KINDS = ("fixed", "nth_weekday")
EVENT_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
#: The `nth` a nth_weekday rule may have: first to fourth, or -1 for the last.
NTH_VALUES = (1, 2, 3, 4, -1)

_TIME = re.compile(r"^(\d{1,2})[:：](\d{2})(?:\s*[-–—~～至到]\s*(\d{1,2})[:：](\d{2}))?$")


def weekday_names(m: Catalogue) -> tuple[str, ...]:
    """星期一 … 星期日, in date.weekday() order."""
    return (
        m.text("answers.monday"),
        m.text("answers.tuesday"),
        m.text("answers.wednesday"),
        m.text("answers.thursday"),
        m.text("answers.friday"),
        m.text("answers.saturday"),
        m.text("answers.sunday"),
    )


def nth_names(m: Catalogue) -> dict[int, str]:
    """第一个 … 最后一个, by a rule's `nth`."""
    return {
        1: m.text("answers.nth_1"),
        2: m.text("answers.nth_2"),
        3: m.text("answers.nth_3"),
        4: m.text("answers.nth_4"),
        -1: m.text("answers.nth_last"),
    }


def duration(seconds: int, msgs: Catalogue | None = None) -> str:
    """3分钟, 1分30秒, 36秒."""
    m = or_bundled(msgs)
    if seconds % 60 == 0:
        return m.text("answers.minutes", minutes=seconds // 60)
    if seconds > 60:
        return m.text("answers.minutes_seconds", minutes=seconds // 60, seconds=seconds % 60)
    return m.text("answers.seconds", seconds=seconds)


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
        return nonblank_items(values)

    @field_validator("link")
    @classmethod
    def _link_shape(cls, value: str) -> str:
        return entry_link(value, "baixiang/service/5")


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

    def describe(self, msgs: Catalogue | None = None) -> str:
        """每年5月12日, 每年9月第三个星期六."""
        m = or_bundled(msgs)
        if self.kind == "fixed":
            return m.text("answers.yearly_fixed", month=self.month, day=self.day)
        weekday = weekday_names(m)[(self.weekday or 1) - 1]
        nth = nth_names(m).get(self.nth or 0, "")
        return m.text("answers.yearly_nth", month=self.month, nth=nth, weekday=weekday)


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

    def pattern_text(self, msgs: Catalogue | None = None) -> str:
        m = or_bundled(msgs)
        if self.off_seconds == 0 and self.repeat == 1:
            return m.text("answers.alarm_continuous", duration=duration(self.on_seconds, m))
        return m.text(
            "answers.alarm_pattern",
            on=self.on_seconds,
            off=self.off_seconds,
            repeat=self.repeat,
            total=duration(self.total_seconds, m),
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
    #: The catalogue of the knowledge this calendar was loaded with (texts: answers.yaml).
    messages: Catalogue = field(default_factory=Catalogue, compare=False, repr=False)

    @property
    def msgs(self) -> Catalogue:
        return or_bundled(self.messages)

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
        from bot.events.wording import format_alarm_signals

        return format_alarm_signals(self.alarm_signals, self.alarm_test_advice, self.msgs)


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
