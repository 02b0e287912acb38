"""The tables, their indexes and the upgrades from older files.

The schema carries a version in ``meta``; ``MIGRATIONS`` upgrade an older file in the
start-up transaction (version 2 moved ratings out of meta and notes out of the thread,
3 added the annual report's columns, 4 the review log, 5 the transactional outbox, 6 the
request counters that /stats reads instead of scanning the log).
Everything here is idempotent: every process runs it on start-up inside BEGIN IMMEDIATE.
"""

from __future__ import annotations

from typing import Any

from bot.sqlite_utils_import import sqlite_utils
from bot.store.model import NEEDS_CORRECTION, RATING_VALUES, NewerSchema, _now, _ts, store_text

SCHEMA_VERSION = 6


def create_schema(db: sqlite_utils.Database) -> None:
    """Idempotent: every process may run it on start-up (inside BEGIN IMMEDIATE)."""
    db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db["sessions"].create(
        {"resident": str, "state": str, "created_at": str, "updated_at": str},
        pk="resident",
        not_null={"state", "created_at", "updated_at"},
        if_not_exists=True,
    )
    db["sessions"].create_index(["updated_at"], if_not_exists=True)
    db["ref_counters"].create(
        {"prefix": str, "day": str, "last": int}, pk=("prefix", "day"), if_not_exists=True
    )
    db["requests"].create(
        {
            "reference": str,
            "prefix": str,
            "kind": str,
            "status": str,
            "resident": str,
            "office": str,
            "data": str,
            "created_at": str,
            "updated_at": str,
            "received_date": str,
            "due_date": str,
            "due_provisional": int,
            "assignee": str,
            "extended": int,
            "closed_kind": str,
            "forgotten": int,
            "idempotency_key": str,
            "applicant_type": str,
            "first_received_date": str,
        },
        pk="reference",  # the primary key is the unique index on reference
        not_null={
            "prefix",
            "kind",
            "status",
            "resident",
            "office",
            "data",
            "created_at",
            "updated_at",
            "received_date",
            "due_provisional",
            "extended",
            "forgotten",
        },
        defaults={"due_provisional": 0, "extended": 0, "forgotten": 0},
        if_not_exists=True,
    )
    requests = db["requests"]
    requests.create_index(["idempotency_key"], "requests_idempotency_key", unique=True, if_not_exists=True)
    requests.create_index(["resident", "created_at"], if_not_exists=True)
    requests.create_index(["status", "due_date"], if_not_exists=True)
    db["request_history"].create(
        {"id": int, "reference": str, "status": str, "actor": str, "note": str, "at": str},
        pk="id",
        foreign_keys=[("reference", "requests", "reference")],
        not_null={"reference", "status", "actor", "note", "at"},
        if_not_exists=True,
    )
    db["request_history"].create_index(["reference", "id"], if_not_exists=True)
    db["messages"].create(
        {"id": int, "reference": str, "sender": str, "author": str, "text": str, "at": str},
        pk="id",
        foreign_keys=[("reference", "requests", "reference")],
        not_null={"reference", "sender", "author", "text", "at"},
        if_not_exists=True,
    )
    db["messages"].create_index(["reference", "sender", "at"], if_not_exists=True)
    db["subscriptions"].create(
        {"resident": str, "topic": str, "created_at": str},
        pk=("resident", "topic"),
        not_null={"created_at"},
        if_not_exists=True,
    )
    db["subscriptions"].create_index(["topic"], if_not_exists=True)
    db["declined"].create(
        {"norm": str, "text": str, "count": int, "first_at": str, "last_at": str},
        pk="norm",
        not_null={"text", "count", "first_at", "last_at"},
        if_not_exists=True,
    )
    db["declined"].create_index(["count"], if_not_exists=True)
    _create_review(db)
    db["outbox"].create(
        {
            "id": int,
            "chat_key": str,
            "payload": str,
            "created_at": str,
            "next_at": str,
            "attempts": int,
            "last_error": str,
            "sent_at": str,
            "failed_at": str,
            "kind": str,
            "dedup_key": str,
            "reference": str,
        },
        pk="id",
        not_null={"chat_key", "payload", "created_at", "next_at", "attempts"},
        defaults={"attempts": 0},
        if_not_exists=True,
    )
    db["outbox"].create_index(["sent_at", "next_at"], if_not_exists=True)
    if "kind" in db["outbox"].columns_dict:  # an older file gets these in _migrate_2_to_3
        _outbox_indexes(db)
    db["processed_updates"].create({"key": str, "at": str}, pk="key", not_null={"at"}, if_not_exists=True)
    db["processed_updates"].create_index(["at"], if_not_exists=True)
    db["cards"].create(
        {"chat_id": int, "message_id": int, "reference": str},
        pk=("chat_id", "message_id"),
        foreign_keys=[("reference", "requests", "reference")],
        not_null={"reference"},
        if_not_exists=True,
    )
    db["ratings"].create(
        {"entry_id": str, "resident": str, "value": str, "at": str},
        pk=("entry_id", "resident"),
        not_null={"value", "at"},
        if_not_exists=True,
    )
    db["ratings"].create_index(["resident"], if_not_exists=True)
    db["notes"].create(
        {"id": int, "reference": str, "author": str, "text": str, "at": str},
        pk="id",
        foreign_keys=[("reference", "requests", "reference")],
        not_null={"reference", "author", "text", "at"},
        if_not_exists=True,
    )
    db["notes"].create_index(["reference", "id"], if_not_exists=True)
    _request_counts(db)


_RATING_KEY_PREFIX = "rating:"
_RATING_TOTALS_KEY = "ratings"
_NOTE_AUTHOR_PREFIX = "note:"


def _migrate_1_to_2(db: sqlite_utils.Database) -> None:
    """Ratings, notes and dead letters get real storage (``create_schema`` has already made the
    ``ratings`` and ``notes`` tables).

    - meta ``rating:<entry>:<resident>`` = up/down -> ``ratings`` rows. Entry ids never hold a
      colon (``bot.knowledge.ID_PATTERN``), resident keys may (``tg:123``), so the key splits at
      its first colon after the prefix. The old time of a vote was not kept: rows get the
      migration time. The meta ``ratings`` totals are dropped: totals are now counted from the
      rows (the old totals could lose a count when two processes rated at once).
    - thread rows written by the old /note (sender 'bot', author ``note:<staff>``) -> ``notes``
      rows with author ``<staff>`` and their original time, and leave the thread.
    - ``outbox.failed_at`` is added (a dead letter: never due, not pending).
    """
    if "failed_at" not in db["outbox"].columns_dict:
        db["outbox"].add_column("failed_at", str)
    at = _ts(_now())
    prefix = _RATING_KEY_PREFIX
    rows = db.execute(
        "SELECT key, value FROM meta WHERE substr(key, 1, ?) = ? ORDER BY key", [len(prefix), prefix]
    ).fetchall()
    for key, value in rows:
        entry_id, _, resident = key[len(prefix) :].partition(":")
        if entry_id and resident and value in RATING_VALUES:
            db.execute(
                "INSERT OR REPLACE INTO ratings (entry_id, resident, value, at) VALUES (?, ?, ?, ?)",
                [entry_id, resident, value, at],
            )
    db.execute("DELETE FROM meta WHERE substr(key, 1, ?) = ?", [len(prefix), prefix])
    db.execute("DELETE FROM meta WHERE key = ?", [_RATING_TOTALS_KEY])
    mark = _NOTE_AUTHOR_PREFIX
    db.execute(
        "INSERT INTO notes (reference, author, text, at)"
        " SELECT reference, substr(author, ?), text, at FROM messages"
        " WHERE sender = 'bot' AND substr(author, 1, ?) = ? ORDER BY at, id",
        [len(mark) + 1, len(mark), mark],
    )
    db.execute("DELETE FROM messages WHERE sender = 'bot' AND substr(author, 1, ?) = ?", [len(mark), mark])


def _migrate_2_to_3(db: sqlite_utils.Database) -> None:
    """The annual report's facts get columns: ``applicant_type`` (left empty on old rows:
    readers derive it from the form, ``bot.outcomes.Catalogue.applicant_type``) and
    ``first_received_date`` (copied from ``received_date``; where a 补正 already moved that,
    the day the request was created is the best record left). Old ``closed_kind`` values
    (条例 Art. 36 reply kinds) stay as they were: ``Catalogue.resolve`` reads them."""
    columns = db["requests"].columns_dict
    if "applicant_type" not in columns:
        db["requests"].add_column("applicant_type", str)
    if "first_received_date" not in columns:
        db["requests"].add_column("first_received_date", str)
    db.execute(
        "UPDATE requests SET first_received_date = CASE WHEN EXISTS (SELECT 1 FROM request_history h"
        " WHERE h.reference = requests.reference AND h.status = ?) THEN substr(created_at, 1, 10)"
        " ELSE received_date END WHERE first_received_date IS NULL",
        [NEEDS_CORRECTION],
    )


def _create_review(db: sqlite_utils.Database) -> None:
    """Questions staff should review (issue 9): declined, suggested, or rated 没用; scrubbed.
    ``resident`` is kept only so that 删除我的数据 removes them too (free text may hold an address
    the scrubber cannot recognise); nobody is shown it."""
    db["review"].create(
        {"id": int, "text": str, "norm": str, "kind": str, "reply": str, "at": str, "resident": str},
        pk="id",
        not_null={"text", "kind", "reply", "at"},
        if_not_exists=True,
    )
    db["review"].create_index(["at"], if_not_exists=True)
    db["review"].create_index(["resident"], if_not_exists=True)
    db["review"].create_index(["kind", "norm"], if_not_exists=True)


def _migrate_3_to_4(db: sqlite_utils.Database) -> None:
    """The review table for declined, suggested and 没用-rated questions."""
    _create_review(db)


def _outbox_indexes(db: sqlite_utils.Database) -> None:
    db["outbox"].create_index(["dedup_key"], "outbox_dedup_key", unique=True, if_not_exists=True)
    db["outbox"].create_index(["chat_key", "id"], if_not_exists=True)
    db["outbox"].create_index(["reference"], if_not_exists=True)


def _migrate_4_to_5(db: sqlite_utils.Database) -> None:
    """The outbox becomes the transactional outbox (``bot.outbox``): every item has an address
    (``chat_key``), a ``kind``, an optional ``dedup_key`` (unique) and the ``reference`` it is
    about (so /forget can erase it). Items kept by the old Telegram sender were addressed by the
    bare chat id: they become ``tg:<chat>`` items of kind ``raw``."""
    columns = db["outbox"].columns_dict
    for name in ("kind", "dedup_key", "reference"):
        if name not in columns:
            db["outbox"].add_column(name, str)
    db.execute("UPDATE outbox SET kind = 'raw' WHERE kind IS NULL")
    db.execute(
        "UPDATE outbox SET chat_key = 'tg:' || chat_key"
        " WHERE chat_key GLOB '[0-9-]*' AND chat_key NOT GLOB '*[^0-9-]*'"
    )
    _outbox_indexes(db)


#: Counts of requests by kind and status, kept by triggers whatever writes the requests table
#: (the store, a migration, an administrator's SQL): /stats reads a few rows, not the whole log.
_COUNTER_TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS request_counts_insert AFTER INSERT ON requests BEGIN
         INSERT INTO request_counts (kind, status, n) VALUES (NEW.kind, NEW.status, 1)
         ON CONFLICT (kind, status) DO UPDATE SET n = n + 1; END""",
    """CREATE TRIGGER IF NOT EXISTS request_counts_delete AFTER DELETE ON requests BEGIN
         UPDATE request_counts SET n = n - 1 WHERE kind = OLD.kind AND status = OLD.status; END""",
    """CREATE TRIGGER IF NOT EXISTS request_counts_update AFTER UPDATE OF kind, status ON requests
         WHEN OLD.kind IS NOT NEW.kind OR OLD.status IS NOT NEW.status BEGIN
         UPDATE request_counts SET n = n - 1 WHERE kind = OLD.kind AND status = OLD.status;
         INSERT INTO request_counts (kind, status, n) VALUES (NEW.kind, NEW.status, 1)
         ON CONFLICT (kind, status) DO UPDATE SET n = n + 1; END""",
)


def _request_counts(db: sqlite_utils.Database) -> None:
    """The counters table and its triggers; filled from the log the first time (idempotent)."""
    fresh = "request_counts" not in db.table_names()
    db["request_counts"].create(
        {"kind": str, "status": str, "n": int}, pk=("kind", "status"), not_null={"n"}, if_not_exists=True
    )
    for sql in _COUNTER_TRIGGERS:
        db.execute(sql)
    if fresh:
        db.execute(
            "INSERT INTO request_counts (kind, status, n)"
            " SELECT kind, status, COUNT(*) FROM requests GROUP BY kind, status"
        )
    # first replies of recent requests (/stats) reach the log by creation time
    db["requests"].create_index(["created_at"], if_not_exists=True)


def _migrate_5_to_6(db: sqlite_utils.Database) -> None:
    """Counters for /stats (issue 15): 655 ms at 100,000 requests, 2 s at a million, all of it
    scanning the log while residents waited."""
    _request_counts(db)


#: Upgrades from version N to N+1, run inside the start-up transaction.
MIGRATIONS: dict[int, Any] = {
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
    3: _migrate_3_to_4,
    4: _migrate_4_to_5,
    5: _migrate_5_to_6,
}


def migrate(db: sqlite_utils.Database) -> None:
    """Bring a file of an older version up to ``SCHEMA_VERSION``; refuse a newer one."""
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    version = int(row[0]) if row else SCHEMA_VERSION
    if version > SCHEMA_VERSION:
        raise NewerSchema(store_text("admin.store_newer_schema", version=version, supported=SCHEMA_VERSION))
    while version < SCHEMA_VERSION:
        MIGRATIONS[version](db)
        version += 1
    db["meta"].upsert({"key": "schema_version", "value": str(version)}, pk="key")
