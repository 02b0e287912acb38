"""One turn's plumbing and the dispatcher: state, replies, what the turn owes, capabilities.

A `Turn` is everything one resident message does. It holds the state (a copy, saved by the
engine only when the whole turn succeeded), collects replies and staff events, writes what is
owed to the outbox in the turn's transaction, and hands the message to the capability that
owns the current mode. Capabilities (`Capability` subclasses, one per module) never import
each other: they reach one another by name through ``turn.part("handover")``, so the package
has no import cycle and a capability can be replaced without touching the others.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from bot import formflow as ff
from bot.archives import ArchiveDirectory
from bot.dialog import buttons
from bot.dialog.types import Button, Reply, StaffEvent, reply_json
from bot.dialog.words import DRAFT_IDLE, RECENT_CHARS, RECENT_ITEMS
from bot.events import EventCalendar
from bot.formspec import Form, FormField
from bot.guidance import Guidance
from bot.knowledge import Knowledge
from bot.masking import scrub
from bot.messages import catalogue_of
from bot.outbox import Outbox
from bot.outbox import owe as outbox_owe
from bot.qa import QAReply
from bot.store import Store
from bot.workdays import WorkCalendar


class Capability:
    """One thing the assistant does (a form walk, a handover, data rights …).

    The narrow interface the dispatcher uses:

    - ``name``: how other capabilities reach it (``turn.part(name)``);
    - ``modes``: the values of ``state["mode"]`` it owns; a turn in one of them goes to
      ``on_mode(text, payload)``;
    - ``intercept(text, payload)``: runs before the mode's handler on every turn (in
      registration order); True when it answered the message itself;
    - ``on_button(payload)``: buttons that mean the same in every mode but a handover
      (a menu entry, a subscription); True when handled.

    An instance lives for one turn; ``__init__`` may take what it owns out of the state.
    """

    name: ClassVar[str] = ""
    modes: ClassVar[tuple[str, ...]] = ()

    def __init__(self, turn: Turn) -> None:
        self.t = turn

    def on_mode(self, text: str, payload: str | None) -> None:
        raise NotImplementedError(f"{type(self).__name__} owns no mode")

    def intercept(self, text: str, payload: str | None) -> bool:
        return False

    def on_button(self, payload: str) -> bool:
        return False


class Turn:
    """Everything one resident message does; mutates `state` (a copy) and collects replies/events."""

    def __init__(
        self,
        store: Store,
        knowledge: Knowledge,
        resident: str,
        state: dict[str, Any],
        now: datetime,
        outbox: Outbox,
        capabilities: tuple[type[Capability], ...],
    ) -> None:
        self.store = store
        self.outbox = outbox
        #: Addresses this turn wrote outbox items for, in order.
        self.owed: list[str] = []
        self.k = knowledge
        #: The office's sentences (knowledge/messages/): ``self.msg("dialog.expired")``.
        self.msg = catalogue_of(knowledge)
        self.resident = resident
        self.state = state
        self.now = now
        self.today = now.date()
        self.replies: list[Reply] = []
        self.events: list[StaffEvent] = []
        self.text = ""
        #: Set when the resident's data was deleted this turn (the session is not saved again).
        self.forgotten = False
        #: The resident's message as others may see it (``Outcome.kept_input``).
        self.kept_input: str | None = None
        #: The matcher's answer worked out before the turn (``Engine._answer_ahead``), if any.
        self.prepared: QAReply | None = None
        self.parts: dict[str, Capability] = {}
        for cls in capabilities:
            self.parts[cls.name] = cls(self)
        self._owner = {mode: part for part in self.parts.values() for mode in part.modes}

    # ------------------------------------------------------------------ knowledge and state

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
        """The form being filled in; kept independently of the mode (it survives a handover)."""
        return self.state.get("form")

    def form(self) -> Form | None:
        draft = self.draft
        return self.forms.get(draft["id"]) if draft else None

    def current_field(self) -> FormField | None:
        form, draft = self.form(), self.draft
        if form is None or draft is None or not draft.get("field"):
            return None
        field = form.field(draft["field"])
        return field if field is not None and field.applies(draft["values"]) else None

    def part(self, name: str) -> Any:
        """Another capability of this turn, by its ``name`` (see the package docstring)."""
        return self.parts[name]

    def menu(self) -> tuple[Button, ...]:
        return buttons.menu(self.msg)

    # ------------------------------------------------------------------ seams

    def answer_question(self, text: str) -> QAReply:
        """The matcher's answer (looked up on the package: tests replace ``bot.dialog.answer_question``).
        The county the resident named or spoke is remembered for the questions after it
        ("我是湘阴的" … "档案员培训有没有": 湘阴's training); an answer worked out ahead of the
        turn is used only when it was read with the same county."""
        home = self.state.get("county") or None
        prepared = self.prepared
        if prepared is not None and prepared.question == text and prepared.home == home:
            qa = prepared
        else:
            import bot.dialog

            qa = bot.dialog.answer_question(self.k, text, home=home)
        if qa.county:
            self.state["county"] = qa.county
        return qa

    def validate(self, *args: Any, **kwargs: Any) -> Any:
        """A field's validator (looked up on the package: tests replace ``bot.dialog.validate``)."""
        import bot.dialog

        return bot.dialog.validate(*args, **kwargs)

    # ------------------------------------------------------------------ replies and the outbox

    def say(
        self,
        text: str,
        buttons: tuple[Button, ...] | list[Button] = (),
        entry_id: str | None = None,
        *,
        masked: str | None = None,
    ) -> None:
        """Reply; `masked` is what others see and histories keep when `text` shows the resident's
        own personal data in full (``Reply.kept``)."""
        self.replies.append(Reply(text, tuple(buttons), entry_id, masked=masked))

    def owe(
        self,
        address: str,
        kind: str,
        body: dict[str, Any],
        *,
        reference: str | None = None,
        dedup_key: str | None = None,
    ) -> bool:
        """``bot.outbox.owe`` in this turn's transaction; the channel drains ``self.owed`` after."""
        written = outbox_owe(
            self.store,
            self.outbox.serves,
            self.outbox.clock,
            address,
            kind,
            body,
            reference=reference,
            dedup_key=dedup_key,
        )
        if not written:
            return False
        if address not in self.owed:
            self.owed.append(address)
        return True

    def say_owed(
        self, text: str, buttons: tuple[Button, ...] | list[Button] = (), reference: str | None = None
    ) -> None:
        """A reply the resident must get even if the process dies before sending it."""
        reply = Reply(text, tuple(buttons))
        owed = self.owe(self.resident, "reply", reply_json(reply), reference=reference)
        self.replies.append(Reply(text, tuple(buttons), None, owed))

    def owe_card(self, reference: str) -> None:
        """The staff desk's card for a new request (one per request, whatever happens)."""
        key = f"card:{reference}"
        self.owe("staff", "card", {"reference": reference}, reference=reference, dedup_key=key)

    # ------------------------------------------------------------------ the conversation buffer

    def remember(self, who: str, text: str) -> None:
        recent = self.state["recent"]
        recent.append({"from": who, "text": text[:RECENT_CHARS]})
        del recent[:-RECENT_ITEMS]

    def finish(self) -> None:
        if self.replies:
            self.remember("bot", scrub("\n".join(r.kept for r in self.replies)))
        self.state["seq"] = int(self.state.get("seq") or 0) + 1
        self.state["updated_at"] = self.now.replace(tzinfo=None).isoformat(timespec="seconds")

    def _record_input(self, text: str, payload: str | None) -> None:
        if payload:
            self.remember("resident", scrub(self.msg("dialog.recent_button", payload=payload)))
            return
        field = self.current_field() if self.mode == "form" else None
        if field is not None and field.personal:
            self.kept_input = ff.masked(field, text.strip())
        else:
            self.kept_input = scrub(text)
        self.remember("resident", self.kept_input)

    def stale(self) -> bool:
        """True when the last turn was longer ago than DRAFT_IDLE."""
        stamp = self.state.get("updated_at")
        if not stamp:
            return False
        last = datetime.fromisoformat(stamp)
        return self.now.replace(tzinfo=None) - last > DRAFT_IDLE

    # ------------------------------------------------------------------ dispatch

    def start(self) -> None:
        """Welcome and main menu; a handover in progress is recalled, a draft offered back."""
        self.remember("resident", self.msg("dialog.recent_start"))
        self.say(self.k.chat.welcome, self.menu())
        if self.mode == "human":
            self.part("handover").remind()
        elif self.draft:
            self.part("drafts").offer()

    def run(self, text: str, payload: str | None) -> None:
        self.text = text.strip()
        if not payload and self.text == "/start" and self.mode != "human":
            self.start()
            return
        self._record_input(self.text, payload)
        for part in self.parts.values():
            if part.intercept(self.text, payload):
                return
        self.dispatch(self.text, payload)

    def dispatch(self, text: str, payload: str | None) -> None:
        """Hand the message to the capability owning the current mode (idle's owner otherwise)."""
        owner = self._owner.get(self.mode) or self._owner["idle"]
        owner.on_mode(text, payload)

    def on_button(self, payload: str) -> bool:
        """Buttons that mean the same in every mode but a handover; True when one was handled."""
        return any(part.on_button(payload) for part in self.parts.values())
