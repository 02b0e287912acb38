"""The engine: one locked transaction per resident message, idempotent replays, failures.

Each resident's state is one JSON document in `Store` sessions, loaded at the start of a turn,
changed on a copy and saved only when the whole turn succeeded. A restart therefore resumes a
half-filled form exactly where the resident was, and a failure mid-turn loses nothing.
"""

from __future__ import annotations

import logging
import threading
import traceback
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import Any

from bot.dialog.turn import Capability, Turn
from bot.dialog.types import Outcome, Reply, outcome_from_json, outcome_to_json
from bot.knowledge import BUNDLED_KNOWLEDGE, Knowledge
from bot.masking import scrub
from bot.matcher import matcher_for
from bot.messages import MessageError, catalogue_of
from bot.outbox import Outbox
from bot.qa import QAReply
from bot.sanitize import clean_text
from bot.store import Store, StoreUnavailable
from bot.warm_up import warm_up

log = logging.getLogger(__name__)

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        LOCAL_TZ: Any = ZoneInfo("Asia/Shanghai")
    except ZoneInfoNotFoundError:  # pragma: no cover - tzdata missing
        LOCAL_TZ = timezone(timedelta(hours=8), "CST")
except ImportError:  # pragma: no cover
    LOCAL_TZ = timezone(timedelta(hours=8), "CST")

STATE_VERSION = 1
_LOCK_STRIPES = 64
#: Residents whose last mode the engine remembers (`Engine._last_mode`).
_MODE_HINTS = 10_000


def _default_clock() -> datetime:
    return datetime.now(LOCAL_TZ)


def new_state() -> dict[str, Any]:
    return {
        "v": STATE_VERSION,
        #: Random id of this session document: with "seq" it makes handover requests idempotent.
        "sid": uuid.uuid4().hex[:12],
        "mode": "idle",
        "seq": 0,
        "updated_at": None,
        "form": None,
        "cancel_return": None,
        "after_offer": None,
        "human": None,
        "suggestions": [],
        "misunderstood": 0,
        #: The department whose county the resident named or spoke (湘阴, 么子): later questions
        #: naming none lean to it (`Turn.answer_question`).
        "county": None,
        "recent": [],
        "forget_return": None,
    }


def _upgrade(state: dict[str, Any]) -> dict[str, Any]:
    """Fill keys a state saved by an older version may lack."""
    fresh = new_state()
    for key, value in fresh.items():
        state.setdefault(key, value)
    return state


@cache
def bundled_text(key: str) -> str:
    """A sentence from the bundled catalogue: what a failed turn says when even the
    knowledge in use cannot be asked (and the value of ``bot.dialog.APOLOGY``)."""
    from bot.knowledge import Problem
    from bot.messages import load_messages

    class _Bundled:
        root = BUNDLED_KNOWLEDGE
        extras: dict[str, Any] = {}

    problems: list[Problem] = []
    return load_messages(_Bundled(), problems).texts.get(key, "")  # type: ignore[arg-type]


def _apology(knowledge: Knowledge) -> str:
    try:
        return catalogue_of(knowledge).text("dialog.apology")
    except MessageError:
        return bundled_text("dialog.apology")


class Engine:
    """One per process; `handle` may be called from several threads for different residents."""

    def __init__(
        self,
        knowledge: Knowledge,
        store: Store,
        *,
        clock: Callable[[], datetime] | None = None,
        outbox: Outbox | None = None,
        capabilities: tuple[type[Capability], ...] | None = None,
    ) -> None:
        from bot.dialog.registry import CAPABILITIES

        self._knowledge = knowledge
        self.store = store
        self._clock = clock or _default_clock
        #: What the engine owes anyone goes here, for the addresses a channel registered a
        #: deliverer for (none: the terminal chat; "tg:" and "staff": the Telegram channel).
        self.outbox = outbox or Outbox(store)
        #: What the engine can do, one class per capability (bot/dialog/registry.py).
        self.capabilities = capabilities or CAPABILITIES
        # Two messages of one resident must not interleave (load -> change -> save); a fixed
        # set of locks keyed by the resident keeps that true without growing with residents.
        self._locks = tuple(threading.Lock() for _ in range(_LOCK_STRIPES))
        #: resident -> the mode their last turn here ended in: a hint (never a fact: another
        #: process may have moved on) for matching a question before the turn, read without a
        #: database connection. Bounded; cleared when full.
        self._last_mode: dict[str, str] = {}

    @property
    def knowledge(self) -> Knowledge:
        return self._knowledge

    def warm_up(self) -> None:
        """Load now what the first question would load (`bot.warm_up`), so no resident waits."""
        warm_up(self._knowledge, self._now().date())

    def swap_knowledge(self, knowledge: Knowledge) -> None:
        """Replace the knowledge (for /reload). The matcher is built first, so the swap is instant
        and turns already running finish with the knowledge they started with."""
        matcher_for(knowledge)
        self._knowledge = knowledge

    def start(self, resident: str) -> Outcome:
        """Welcome and main menu; an unfinished draft is offered back."""
        return self._turn(resident, lambda turn: turn.start())

    def handle(
        self,
        resident: str,
        text: str | None = None,
        payload: str | None = None,
        *,
        turn_key: str | None = None,
    ) -> Outcome:
        """One resident message. `turn_key` (the channel's update id) makes a redelivered message
        replay its recorded outcome instead of being applied twice (e.g. after a crash)."""
        if text is None and payload is None:
            return self.start(resident)
        text, payload = clean_text(text), (clean_text(payload) or None)
        knowledge = self._knowledge
        prepared = self._answer_ahead(knowledge, resident, text) if text and payload is None else None
        return self._turn(resident, lambda turn: turn.run(text, payload), turn_key, knowledge, prepared)

    def _answer_ahead(self, knowledge: Knowledge, resident: str, text: str) -> QAReply | None:
        """The matcher's answer to a question typed in idle mode, worked out before the turn takes
        the store's write lock: the matcher reads only the knowledge and the text, and at a
        province's size it takes milliseconds that staff commands and other residents' turns
        would otherwise wait behind. The turn uses it only for the same text and knowledge, so a
        stale mode hint costs a wasted match at most. Any failure is left to the turn."""
        if self._last_mode.get(resident, "idle") != "idle":
            return None  # a form field or a choice: the turn reads it first
        try:
            import bot.dialog  # the package's seam, as `Turn.answer_question` looks it up

            return bot.dialog.answer_question(knowledge, text)
        except Exception:  # noqa: BLE001 - the turn itself meets and reports the same failure
            return None

    def _remember_mode(self, resident: str, mode: str | None) -> None:
        if mode is None:  # 删除我的数据: nothing of the resident stays, not even this hint
            self._last_mode.pop(resident, None)
            return
        if len(self._last_mode) >= _MODE_HINTS:
            self._last_mode.clear()
        self._last_mode[resident] = mode

    # ------------------------------------------------------------------ one turn

    def _now(self) -> datetime:
        now = self._clock()
        return now.astimezone(LOCAL_TZ) if now.tzinfo else now.replace(tzinfo=LOCAL_TZ)

    def _turn(
        self,
        resident: str,
        body: Callable[[Turn], None],
        turn_key: str | None = None,
        knowledge: Knowledge | None = None,
        prepared: QAReply | None = None,
    ) -> Outcome:
        with self._locks[hash(resident) % _LOCK_STRIPES]:
            # one knowledge for the whole turn, even across a reload
            return self._locked_turn(resident, body, turn_key, knowledge or self._knowledge, prepared)

    def _locked_turn(
        self,
        resident: str,
        body: Callable[[Turn], None],
        turn_key: str | None,
        knowledge: Knowledge,
        prepared: QAReply | None,
    ) -> Outcome:
        now = self._now()
        mode = field = "?"
        try:
            # One transaction for the whole turn: the session, any request it files and what it
            # owes anyone (outbox) are committed together or not at all.
            with self.store.transaction():
                saved = self.store.load_session(resident)
                last = (saved or {}).get("last_turn") or {}
                if turn_key is not None and last.get("key") == turn_key:
                    return outcome_from_json(last)
                state = _upgrade(saved) if saved else new_state()  # load_session parses a fresh copy
                mode = state["mode"]
                field = (state.get("form") or {}).get("field") or "-"
                turn = Turn(self.store, knowledge, resident, state, now, self.outbox, self.capabilities)
                turn.prepared = prepared
                body(turn)
                turn.finish()
                outcome = Outcome(
                    tuple(turn.replies), tuple(turn.events), tuple(turn.owed), turn.forgotten, turn.kept_input
                )
                if turn_key is not None:
                    state["last_turn"] = outcome_to_json(turn_key, outcome)
                if not turn.forgotten:  # forget_resident deleted the session: do not write it back
                    self.store.save_session(resident, state, now)
            self._remember_mode(resident, None if turn.forgotten else state["mode"])
        except StoreUnavailable as exc:
            log.warning("store unavailable during a turn (mode=%s, field=%s): %s", mode, field, exc.reason)
            return Outcome((Reply(exc.user_message),))
        except Exception as exc:
            detail = scrub("".join(traceback.format_exception(exc)))
            log.error("dialog turn failed (mode=%s, field=%s): %s", mode, field, detail)
            return Outcome((Reply(_apology(knowledge)),))
        return outcome
