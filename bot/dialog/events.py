"""人防活动: the events calendar, one event's card, when-questions and the alarm signals.

Payloads: ``menu:events``, ``event:<id>``, ``signals``. The texts of the calendar itself
(dates, details, the alarm signals) come from bot.events and knowledge/events.yaml.
"""

from __future__ import annotations

from bot.dialog.turn import Capability
from bot.dialog.types import Button
from bot.dialog.words import ALARM
from bot.events import asked_day, format_event_details, format_event_when, format_upcoming

#: Days ahead the calendar lists.
AHEAD = 364


class Events(Capability):
    name = "events"

    def on_button(self, payload: str) -> bool:
        if payload.startswith("event:"):
            self.show_event(payload[6:])
        elif payload == "menu:events":
            self.show_events()
        elif payload == "signals":
            self.show_signals()
        else:
            return False
        return True

    def _signals_button(self) -> Button:
        return Button(self.t.msg("dialog.btn_signals"), "signals")

    def _book_button(self) -> Button:
        return Button(self.t.msg("dialog.btn_book"), "book")

    def show_events(self) -> None:
        t = self.t
        cal = t.event_calendar
        text = t.msg("dialog.events_head", upcoming=format_upcoming(cal, t.today, AHEAD))
        buttons: list[Button] = []
        seen: set[str] = set()
        for occ in cal.upcoming(t.today, AHEAD):
            if occ.event_id not in seen:
                seen.add(occ.event_id)
                buttons.append(Button(occ.title, f"event:{occ.event_id}"))
        for event in cal.undated():
            if event.id not in seen:
                seen.add(event.id)
                buttons.append(Button(event.title, f"event:{event.id}"))
        buttons += [self._signals_button(), self._book_button()]
        buttons.append(t.part("subscriptions").button("events"))
        t.say(text, buttons)

    def show_event(self, event_id: str) -> None:
        t = self.t
        event = t.event_calendar.get(event_id)
        if event is None:
            t.say(t.msg("dialog.event_not_found"))
            return
        buttons: list[Button] = []
        if event.bookable:
            buttons.append(self._book_button())
        if ALARM in event.title:
            buttons.append(self._signals_button())
        buttons.append(t.part("subscriptions").button("events"))
        t.say(format_event_details(event, t.today), buttons)

    def show_event_when(self, event_id: str) -> None:
        """A when-question: the date, times and notes only (the full card is one button away)."""
        t = self.t
        cal = t.event_calendar
        event = cal.get(event_id)
        if event is None:
            self.show_event(event_id)
            return
        text = format_event_when(cal, event, t.today, asked_day(t.text, t.today))
        buttons = [Button(t.msg("dialog.btn_event_details"), f"event:{event.id}")]
        if ALARM in event.title:
            buttons.append(self._signals_button())
        buttons.append(t.part("subscriptions").button("events"))
        t.say(text, buttons)

    def show_signals(self) -> None:
        t = self.t
        t.say(
            t.event_calendar.format_alarm_signals(), [Button(t.msg("dialog.btn_menu_events"), "menu:events")]
        )
