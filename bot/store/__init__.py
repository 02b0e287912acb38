"""The request log and conversation state: one SQLite file shared by every bot process.

``Store`` is the bot's only window on that file. It is one object (one writer connection, one
lock, one transaction depth) assembled from one class per aggregate, each in its own file:

- ``connection``    the writer, the per-thread readers, ``_write``/``transaction()``/``_snapshot``,
                    meta and the integrity check (see its docstring for the transaction rules)
- ``schema``        tables, indexes, ``SCHEMA_VERSION`` and the migrations from older files
- ``model``         statuses and transitions, the records (``Request``, ``OutboxItem`` ...), errors
- ``conversations`` the residents' dialogue sessions
- ``requests``      requests, reference numbers, status history, what the annual report counts
- ``threads``       a request's messages, staff notes and staff-group cards
- ``outbox``        the transactional outbox and the handled-update log
- ``feedback``      ratings of answers and the review log of questions
- ``subscriptions`` warning subscriptions
- ``rights``        /mydata and /forget across all of the above
- ``figures``       administrators' statistics

Why mixins on one object rather than a facade delegating to per-aggregate objects: every
aggregate's writes must join the caller's ``transaction()`` (a resident's turn saves the
session, files the request and enqueues the outbox items atomically), so they all need the
same connection, lock and savepoint depth; callers and tests use ``store._write()``,
``store._read()`` and ``store._conn`` directly; and a facade would repeat 60 method
signatures. Each mixin subclasses ``Connection``, so its file reads (and type-checks) alone.
"""

from __future__ import annotations

from bot.store.connection import Connection
from bot.store.figures import Figures
from bot.store.model import (
    ANSWERED,
    COMPLETED,
    EXTENDED,
    FINAL_STATUSES,
    IN_PROGRESS,
    LOCAL_TZ,
    NEEDS_CORRECTION,
    OPEN_STATUSES,
    PREFIXES,
    RATING_VALUES,
    REVIEW_KINDS,
    SENDERS,
    STATUSES,
    SUBMITTED,
    TRANSITIONS,
    ForgetResult,
    Message,
    NewerSchema,
    Note,
    OutboxItem,
    Request,
    Sender,
    StatusChange,
    StatusError,
    StoreError,
    StoreUnavailable,
    UnknownRequest,
    allowed_transitions,
    check_transition,
    format_reference,
    normalise_question,
    to_local,
    unavailable_reason,
)
from bot.store.outbox import Outbox, UpdateLog
from bot.store.rights import ResidentRights
from bot.store.schema import SCHEMA_VERSION
from bot.store.threads import Threads


def __getattr__(name: str) -> str:
    """``BUSY_MESSAGE`` comes from the catalogue when first asked for (bot/store/model.py)."""
    from bot.store import model

    return getattr(model, name)


__all__ = [
    "ANSWERED",
    "BUSY_MESSAGE",
    "COMPLETED",
    "EXTENDED",
    "FINAL_STATUSES",
    "IN_PROGRESS",
    "LOCAL_TZ",
    "NEEDS_CORRECTION",
    "OPEN_STATUSES",
    "PREFIXES",
    "RATING_VALUES",
    "REVIEW_KINDS",
    "SCHEMA_VERSION",
    "SENDERS",
    "STATUSES",
    "SUBMITTED",
    "TRANSITIONS",
    "ForgetResult",
    "Message",
    "NewerSchema",
    "Note",
    "OutboxItem",
    "Request",
    "Sender",
    "StatusChange",
    "StatusError",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "UnknownRequest",
    "allowed_transitions",
    "check_transition",
    "format_reference",
    "normalise_question",
    "to_local",
    "unavailable_reason",
]


class Store(ResidentRights, Figures, Threads, Outbox, UpdateLog, Connection):
    """The bot's only window on its SQLite file. One instance per process (threads may share it)."""

    def __enter__(self) -> Store:
        return self
