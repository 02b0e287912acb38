"""Event calendar: one-off events, yearly rules and the air-defence alarm signals.

Administrators keep `knowledge/events.yaml`; `load` validates it (every problem names the
file, the event id and the field), `model` answers "what is on, and when" as concrete dated
occurrences, `wording` says it on a phone screen with the catalogue's sentences
(knowledge/messages/answers.yaml), `parse` reads the day a question names. Facts nobody has
published stay empty and are shown as "尚未公布" rather than guessed.
"""

from __future__ import annotations

from bot.events.load import load_events, parse_events
from bot.events.model import (
    EVENT_ID_PATTERN,
    EVENTS_FILE,
    NTH_VALUES,
    RULE_KINDS,
    AlarmSignal,
    DatedEvent,
    Event,
    EventCalendar,
    Occurrence,
    TimeSlot,
    YearlyRule,
    duration,
    nth_names,
    nth_weekday,
    weekday_names,
)
from bot.events.parse import asked_day
from bot.events.wording import (
    format_alarm_signals,
    format_date,
    format_event_details,
    format_event_when,
    format_occurrence,
    format_span,
    format_upcoming,
)

__all__ = [
    "EVENTS_FILE",
    "EVENT_ID_PATTERN",
    "NTH_VALUES",
    "RULE_KINDS",
    "AlarmSignal",
    "DatedEvent",
    "Event",
    "EventCalendar",
    "Occurrence",
    "TimeSlot",
    "YearlyRule",
    "asked_day",
    "duration",
    "format_alarm_signals",
    "format_date",
    "format_event_details",
    "format_event_when",
    "format_occurrence",
    "format_span",
    "format_upcoming",
    "load_events",
    "nth_names",
    "nth_weekday",
    "parse_events",
    "weekday_names",
]
