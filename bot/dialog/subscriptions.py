"""预警订阅 and 活动提醒: subscribing, the warnings' confirmation, unsubscribing.

Payloads: ``menu:warnings``, ``sub:<topic>``, ``sub:warnings:yes|no``, ``unsub:<topic>``,
``unsub``. State: ``confirm_sub`` (a subscription asked about last turn; only the very next
message answers it, so it is taken out of the state when the turn starts).
"""

from __future__ import annotations

from bot.dialog.turn import Capability, Turn
from bot.dialog.types import Button
from bot.dialog.words import TOPICS
from bot.knowledge import Service


class Subscriptions(Capability):
    name = "subscriptions"

    def __init__(self, turn: Turn) -> None:
        super().__init__(turn)
        #: A subscription asked about last turn ("确认订阅吗？"); only the very next message answers it.
        self.pending: str | None = turn.state.pop("confirm_sub", None)

    def on_button(self, payload: str) -> bool:
        if payload == "menu:warnings":
            self.show_warnings()
        elif payload in ("sub:warnings:yes", "sub:warnings:no"):
            self.answer("warnings", payload.endswith(":yes"))
        elif payload.startswith("sub:") and payload[4:] in TOPICS:
            self.subscribe(payload[4:])
        elif payload.startswith("unsub:") and payload[6:] in TOPICS:
            self.unsubscribe(payload[6:])
        elif payload == "unsub":
            self.unsubscribe_any()
        else:
            return False
        return True

    def topic_name(self, topic: str) -> str:
        if topic == "events":
            return self.t.msg("subscribe.topic_events")
        if topic == "warnings":
            return self.t.msg("subscribe.topic_warnings")
        return topic

    def _subscribed(self) -> list[str]:
        return self.t.store.subscriptions_of(self.t.resident)

    def _sub(self, topic: str) -> Button:
        return Button(self.t.msg("subscribe.btn_subscribe", topic=self.topic_name(topic)), f"sub:{topic}")

    def _unsub(self, topic: str) -> Button:
        return Button(self.t.msg("subscribe.btn_unsubscribe", topic=self.topic_name(topic)), f"unsub:{topic}")

    def button(self, topic: str) -> Button:
        """Subscribe, or unsubscribe when already subscribed."""
        return self._unsub(topic) if topic in self._subscribed() else self._sub(topic)

    def show_warnings(self) -> None:
        t = self.t
        loc = t.k.service_for_flow("warnings")
        if loc is not None and isinstance(loc.entry, Service):
            office = loc.entry.office or t.msg("subscribe.some_office")
            text = t.msg("subscribe.warnings_service", content=loc.entry.content, office=office) + "\n"
        else:
            text = ""
        text += t.msg("answers.warnings_about")
        if "warnings" in self._subscribed():
            text += "\n" + t.msg("subscribe.warnings_subscribed_already")
        t.say(text, [self.button("warnings")])

    def subscribe(self, topic: str) -> None:
        """Event reminders at once; warnings only after the resident has read what the bot does
        not do (it does not replace sirens, 12379 alerts, TV and radio) and confirmed."""
        t = self.t
        if topic == "warnings":
            if topic in self._subscribed():
                t.say(t.msg("answers.warnings_already"), [self.button(topic)])
                return
            t.state["confirm_sub"] = topic
            t.say(
                t.msg("answers.warnings_confirm"),
                [
                    Button(t.msg("subscribe.btn_confirm"), "sub:warnings:yes"),
                    Button(t.msg("subscribe.btn_decline"), "sub:warnings:no"),
                ],
            )
            return
        new = t.store.subscribe(t.resident, topic, t.now)
        text = t.msg("subscribe.events_done") if new else t.msg("subscribe.events_already")
        t.say(text + "\n" + t.msg("subscribe.how_to_stop"), [self._unsub(topic)])

    def answer(self, topic: str, yes: bool) -> None:
        """The answer to the warnings' confirmation (a button or typed 确认/算了)."""
        t = self.t
        if not yes:
            t.say(t.msg("answers.warnings_declined"), [self.button(topic)])
            return
        new = t.store.subscribe(t.resident, topic, t.now)
        text = t.msg("answers.warnings_subscribed") if new else t.msg("answers.warnings_already")
        t.say(text + "\n" + t.msg("subscribe.how_to_stop"), [self._unsub(topic)])

    def unsubscribe(self, topic: str) -> None:
        t = self.t
        name = self.topic_name(topic)
        if t.store.unsubscribe(t.resident, topic):
            t.say(t.msg("subscribe.unsubscribed", topic=name), [self._sub(topic)])
        else:
            t.say(t.msg("subscribe.not_subscribed", topic=name), [self._sub(topic)])

    def unsubscribe_any(self) -> None:
        t = self.t
        topics = [topic for topic in self._subscribed() if topic in TOPICS]
        if not topics:
            t.say(t.msg("subscribe.none"), [self._sub(topic) for topic in TOPICS])
        elif len(topics) == 1:
            self.unsubscribe(topics[0])
        else:
            t.say(t.msg("subscribe.which"), [self._unsub(topic) for topic in topics])
