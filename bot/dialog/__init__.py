"""Conversation engine: (resident, text or button) -> replies and staff events; state in the store.

Channel-independent: the Telegram handlers, the web chat and the terminal all call
`Engine.handle`. Each resident's state is one JSON document in `Store` sessions, loaded at
the start of a turn, changed on a copy and saved only when the whole turn succeeded
(``engine.py``). A restart resumes a half-filled form exactly where the resident was, and a
failure mid-turn loses nothing.

Layout: a small dispatcher plus one module per capability::

    engine.py         Engine: the lock, the transaction, state load/save, replays of a
                      redelivered message (turn_key), a failed turn's apology
    turn.py           Turn: one message's plumbing (say, say_owed, owe, the scrubbed
                      recent-conversation buffer) and the dispatcher; Capability, the interface
    registry.py       CAPABILITIES: which capabilities run, in which order
    types.py          Reply, Button, Outcome and the staff events channels receive
    words.py          what typed text is recognised by (word lists, routes, patterns)
    buttons.py        the main menu and other shared buttons

    questions.py  idle       questions, menus, suggestions, guidance answers, ratings
    status.py                我的申请 and a request by its reference
    events.py                人防活动, one event, when-questions, alarm signals
    subscriptions.py         预警订阅 / 活动提醒 (confirm_sub: the warnings' confirmation)
    handover.py   human      人工服务: a 咨询 (ZX) request, relaying messages to staff
    rights.py     confirm_forget  我的数据 (/mydata), 删除我的数据 (/forget), in every mode
    drafts.py     offer      an unfinished draft offered back: 继续填写 / 放弃草稿
    forms.py      form, confirm_cancel  the form walk: asking, 返回, 帮助, 取消
    fields.py                one answer to one field: validate, fail, accept, side questions
    confirm.py    confirm    the summary, 修改 <field>, submission and the receipt

Every sentence a resident reads comes from the message catalogue, knowledge/messages/
(dialog.yaml, walk.yaml, handover.yaml, rights.yaml, subscribe.yaml), by key:
``turn.msg("walk.required")``; the keys are declared in bot/message_keys/.

Adding a capability:

1. Write ``bot/dialog/<name>.py`` with a ``Capability`` subclass: a ``name``; the ``modes``
   it owns (``on_mode(text, payload)`` gets every message while ``state["mode"]`` is one
   of them); ``on_button(payload)`` for buttons that mean the same in every mode;
   ``intercept(text, payload)`` if it must see every message first. Keep its state under its
   own keys of ``turn.state`` (add defaults to ``engine.new_state``).
2. Add the class to ``CAPABILITIES`` in ``registry.py``.
3. Reach other capabilities through ``turn.part("<name>")`` (never import them: no cycles),
   and give its sentences keys in a module of bot/message_keys/ and a file in
   knowledge/messages/.

What a turn owes anyone (the receipt of a request, the staff card, a handover's number and
card, a resident's message to staff) is written to the outbox in the turn's transaction, for
the addresses a channel delivers to (``bot.outbox``); the reply is marked ``Reply.owed``.
Incoming text passes ``bot.sanitize.clean_text`` first (lone surrogates from pipes cannot be stored).
"""

from __future__ import annotations

from typing import Any

from bot.dialog.engine import LOCAL_TZ, STATE_VERSION, Engine, bundled_text, new_state
from bot.dialog.turn import Capability, Turn
from bot.dialog.types import (
    Button,
    HandoverOpened,
    Outcome,
    Reply,
    RequestSubmitted,
    ResidentMessage,
    StaffEvent,
)
from bot.dialog.words import (
    DRAFT_IDLE,
    HANDOVER_BURST_GAP,
    HANDOVER_KIND,
    HANDOVER_PREFIX,
    MAX_FIELD_FAILURES,
    MAX_MISUNDERSTOOD,
    SIGNAL_QUESTION,
    cn_date,
    find_reference,
)
from bot.qa import answer_question
from bot.validators import validate

#: Older name of the alarm-signal pattern (tests exercise it for catastrophic backtracking).
_SIGNAL_QUESTION = SIGNAL_QUESTION

__all__ = [
    "DRAFT_IDLE",
    "HANDOVER_BURST_GAP",
    "HANDOVER_KIND",
    "HANDOVER_PREFIX",
    "LOCAL_TZ",
    "MAX_FIELD_FAILURES",
    "MAX_MISUNDERSTOOD",
    "STATE_VERSION",
    "Button",
    "Capability",
    "Engine",
    "HandoverOpened",
    "Outcome",
    "Reply",
    "RequestSubmitted",
    "ResidentMessage",
    "StaffEvent",
    "Turn",
    "answer_question",
    "cn_date",
    "find_reference",
    "new_state",
    "validate",
]


def __getattr__(name: str) -> Any:
    """``APOLOGY``: what a failed turn says, from the bundled catalogue (dialog.apology)."""
    if name == "APOLOGY":
        return bundled_text("dialog.apology")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
