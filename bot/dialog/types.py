"""What a turn returns to a channel: replies with buttons, staff events, owed addresses.

Plain frozen dataclasses, shared by the engine, the capabilities and every channel adapter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
    #: The same reply for anyone but its owner (a summary or 当前填写 shows the resident's own
    #: data in full): what staff see in the recent conversation and what a channel keeps in a
    #: history that outlives the conversation (the web page's, on a possibly shared computer).
    masked: str | None = None

    @property
    def kept(self) -> str:
        """What may be stored or shown to others: the masked text when there is one."""
        return self.text if self.masked is None else self.masked


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
    #: True when this turn erased the resident's data (/forget): a channel that keeps its own
    #: copy of the conversation (the web chat) drops it too.
    forgotten: bool = False
    #: The resident's own message as others may see it (masked for the form field it answered,
    #: scrubbed otherwise): what a channel's stored history keeps. None: keep it scrubbed.
    kept_input: str | None = None


def reply_json(r: Reply) -> dict[str, Any]:
    return {"text": r.text, "buttons": [[b.label, b.payload] for b in r.buttons], "entry_id": r.entry_id}


def outcome_to_json(key: str, outcome: Outcome) -> dict[str, Any]:
    """What a turn said, kept with the state so a redelivered message can be answered again."""
    return {
        "key": key,
        "replies": [{**reply_json(r), "owed": r.owed, "masked": r.masked} for r in outcome.replies],
        "events": [{"type": type(e).__name__, **e.__dict__} for e in outcome.events],
        "owed": list(outcome.owed),
        "forgotten": outcome.forgotten,
        "kept_input": outcome.kept_input,
    }


_EVENT_TYPES = {cls.__name__: cls for cls in (RequestSubmitted, HandoverOpened, ResidentMessage)}


def outcome_from_json(data: dict[str, Any]) -> Outcome:
    replies = tuple(
        Reply(
            r["text"],
            tuple(Button(label, payload) for label, payload in r["buttons"]),
            r.get("entry_id"),
            bool(r.get("owed")),
            r.get("masked"),
        )
        for r in data.get("replies", [])
    )
    events = tuple(
        _EVENT_TYPES[e["type"]](**{k: v for k, v in e.items() if k != "type"}) for e in data.get("events", [])
    )
    owed = tuple(data.get("owed") or ())
    return Outcome(replies, events, owed, bool(data.get("forgotten")), data.get("kept_input"))
