"""How events read on a phone screen: dates with weekdays, event cards, "when is it" answers,
the alarm signals. Every sentence comes from the catalogue (knowledge/messages/answers.yaml);
functions without a calendar take an optional ``msgs`` (bundled wording without it).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bot.events.model import (
    AlarmSignal,
    Event,
    EventCalendar,
    Occurrence,
    YearlyRule,
    weekday_names,
)
from bot.knowledge import NOT_PUBLISHED
from bot.messages import Catalogue
from bot.validators import or_bundled


def format_date(day: date, with_year: bool = True, msgs: Catalogue | None = None) -> str:
    """2026年5月12日（星期二), or without the year."""
    m = or_bundled(msgs)
    weekday = weekday_names(m)[day.weekday()]
    if with_year:
        return m.text("answers.event_date", year=day.year, month=day.month, day=day.day, weekday=weekday)
    return m.text("answers.event_date_no_year", month=day.month, day=day.day, weekday=weekday)


def format_span(start: date, end: date, msgs: Catalogue | None = None) -> str:
    m = or_bundled(msgs)
    if start == end:
        return format_date(start, msgs=m)
    tail = format_date(end, with_year=end.year != start.year, msgs=m)
    return m.text("answers.event_span", start=format_date(start, msgs=m), end=tail)


def format_occurrence(occ: Occurrence, msgs: Catalogue | None = None) -> str:
    """A few lines for a phone screen: date, title, times and place (or 尚未公布)."""
    m = or_bundled(msgs)
    lines = [f"{format_span(occ.start, occ.end, m)} {occ.title}"]
    if occ.times:
        lines.append(m.text("answers.event_times", times=occ.times))
    elif not occ.commemorative:
        lines.append(m.text("answers.event_times", times=NOT_PUBLISHED))
    if occ.place:
        lines.append(m.text("answers.event_place", place=occ.place))
    elif not occ.commemorative:
        lines.append(m.text("answers.event_place", place=NOT_PUBLISHED))
    if occ.bookable:
        lines.append(m.text("answers.event_bookable"))
    return "\n".join(lines)


def _next_time(event: YearlyRule, today: date, m: Catalogue) -> str:
    """ "，下一次是2026年11月21日（星期六）": the rule's next date from today."""
    nxt = event.date_in(today.year)
    if nxt < today:
        nxt = event.date_in(today.year + 1)
    return m.text("answers.event_next_time", day=format_date(nxt, msgs=m))


def format_event_details(event: Event, today: date | None = None, msgs: Catalogue | None = None) -> str:
    """Everything a resident may ask about one event; unknown facts are said to be 尚未公布."""
    m = or_bundled(msgs)
    lines = [event.title]
    if isinstance(event, YearlyRule):
        when = event.describe(m)
        if today is not None:
            when += _next_time(event, today, m)
        lines.append(m.text("answers.event_dates", when=when))
    elif event.span:
        lines.append(m.text("answers.event_dates", when=format_span(*event.span, m)))
    else:
        lines.append(m.text("answers.event_dates", when=NOT_PUBLISHED))
    if event.times:
        lines.append(m.text("answers.event_times", times="；".join(slot.text() for slot in event.times)))
    elif not event.commemorative:
        lines.append(m.text("answers.event_times", times=NOT_PUBLISHED))
    if event.place:
        lines.append(m.text("answers.event_place", place=event.place))
    elif not event.commemorative:
        lines.append(m.text("answers.event_place", place=NOT_PUBLISHED))
    if event.organiser:
        lines.append(m.text("answers.event_organiser", organiser=event.organiser))
    if event.description:
        lines.append(event.description)
    if event.activities:
        lines.append(m.text("answers.event_activities"))
        lines += [f"· {a}" for a in event.activities]
    if event.audience:
        lines.append(m.text("answers.event_audience", audience=event.audience))
    lines += event.notes
    if event.bookable:
        lines.append(_booking_text(event, m))
    return "\n".join(lines)


def format_event_when(calendar: EventCalendar, event: Event, today: date, day: date | None = None) -> str:
    """The answer to "when is it": the date (or that it is not published), the times and the
    notes; not the activities, audience and booking of the full card."""
    m = calendar.msgs
    lines: list[str] = []
    held = False
    if day is not None:
        held = any(o.event_id == event.id for o in calendar.occurrences_on(day))
        shown = format_date(day, msgs=m)
        if held:
            lines.append(m.text("answers.event_day_is", day=shown, title=event.title))
        else:
            lines.append(m.text("answers.event_day_is_not", day=shown, title=event.title))
            if event.organiser:  # a siren heard on another day: who can say what it was
                lines.append(m.text("answers.event_not_held_ask", organiser=event.organiser))
    if isinstance(event, YearlyRule):
        tail = "" if held else _next_time(event, today, m)
        lines.append(f"{event.title}：{event.describe(m)}{tail}")
    elif event.span:
        lines.append(f"{event.title}：{format_span(*event.span, m)}")
    else:
        lines.append(m.text("answers.event_dates_unpublished", title=event.title))
        return "\n".join(line for line in lines if line)
    if event.times:
        lines.append(m.text("answers.event_times", times="；".join(slot.text() for slot in event.times)))
    if event.place:
        lines.append(m.text("answers.event_place", place=event.place))
    lines += event.notes
    return "\n".join(line for line in lines if line)


def format_upcoming(calendar: EventCalendar, today: date, days: int = 60) -> str:
    """The "what is on" answer: upcoming occurrences, then the events whose dates are not out yet."""
    m = calendar.msgs
    occs = calendar.upcoming(today, days)
    parts = [format_occurrence(o, m) for o in occs] or [m.text("answers.events_none_soon", days=days)]
    undated = calendar.undated()
    if undated:
        parts.append(m.text("answers.events_undated", titles="、".join(e.title for e in undated)))
    return "\n\n".join(parts)


def _booking_text(event: Event, m: Catalogue) -> str:
    who = "、".join(event.book_by)
    head = m.text("answers.booking_who", who=who) if who else m.text("answers.booking_anyone")
    if event.booking:
        return m.text("answers.booking", head=head, how=event.booking)
    if event.organiser:
        return m.text("answers.booking_ask_organiser", head=head, organiser=event.organiser)
    return m.text("answers.booking_unpublished", head=head)


def format_alarm_signals(
    signals: Iterable[AlarmSignal], test_advice: str = "", msgs: Catalogue | None = None
) -> str:
    """The three alarm signals, how they sound and what they mean, for a phone screen."""
    m = or_bundled(msgs)
    lines = [m.text("answers.alarm_signals_head")]
    for s in signals:
        text = f"· {s.name}：{s.pattern_text(m)}。"
        if s.meaning:
            text += s.meaning.rstrip("。") + "。"
        if s.what_to_do:
            text += s.what_to_do.rstrip("。") + "。"
        lines.append(text)
    if test_advice:
        lines.append(test_advice)
    return "\n".join(lines)
