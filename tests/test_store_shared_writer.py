"""``store.db``, the writer's sqlite-utils handle, used from one thread while other threads write.

The load test checks the request log with ``store.db.query(...)`` from the event loop's thread
while worker threads still write (the outbox sender's ``outbox_heads``). sqlite-utils brackets
``query()`` with ``SAVEPOINT "sqlite_utils_query"`` ... ``RELEASE`` and ``atomic()`` (every
``Table.insert``/``upsert``) with BEGIN or a savepoint ... COMMIT/RELEASE, on the one writer
connection the whole store shares; without the store's lock the brackets interleaved with a
worker's ``BEGIN IMMEDIATE`` ... ``COMMIT`` (``no such savepoint: sqlite_utils_query``, now and
then under CPU load). Real SQLite file, real store, bounded loops, no timing assertions.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime

from bot.store import LOCAL_TZ, Store

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=LOCAL_TZ)
WORKERS = 3
ROUNDS = 150  # transactions per worker
MAX_USES = 20_000  # of the shared handle by the test's thread (it stops when the workers do)


def _worker(store: Store, k: int, start: threading.Barrier, errors: list[str]) -> None:
    """A resident's turns and the outbox sender, as the bot's worker threads run them."""
    start.wait()
    try:
        for i in range(ROUNDS):
            with store.transaction():  # query() and Table.insert inside BEGIN IMMEDIATE
                store.create_request(
                    "disclosure", "GK", f"tg:{k}", {"n": i}, "office", date(2026, 11, 23), None, False, NOW
                )
                store.enqueue_outbox(f"tg:{k}", {"text": str(i)}, NOW, kind="notice")
            store.outbox_heads(NOW, ["tg:"], per_address=5)  # query() inside BEGIN IMMEDIATE
    except Exception as exc:  # reported below: a worker's failure must fail the test
        errors.append(f"worker {k}: {exc!r}")


def _alongside_workers(store: Store, use: Callable[[int], None]) -> tuple[int, list[str]]:
    """Run the workers and, on this thread, ``use(i)`` the shared handle until they finish."""
    errors: list[str] = []
    start = threading.Barrier(WORKERS + 1)
    threads = [
        threading.Thread(target=_worker, args=(store, k, start, errors), daemon=True) for k in range(WORKERS)
    ]
    for t in threads:
        t.start()
    start.wait()
    uses = 0
    try:
        while uses < MAX_USES and any(t.is_alive() for t in threads):
            try:
                use(uses)
            except Exception as exc:
                errors.append(f"test thread: {exc!r}")
                break
            uses += 1
    finally:
        for t in threads:
            t.join(120)
    assert not any(t.is_alive() for t in threads)
    return uses, errors


def _check_log(store: Store) -> None:
    with store._read() as db:
        rows = db.execute("SELECT reference, resident FROM requests").fetchall()
        queued = db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
    assert len(rows) == WORKERS * ROUNDS
    assert len({ref for ref, _ in rows}) == len(rows)  # references unique
    assert Counter(resident for _, resident in rows) == {f"tg:{k}": ROUNDS for k in range(WORKERS)}
    assert queued == WORKERS * ROUNDS
    assert store.integrity_check() == "ok"


def test_query_on_the_shared_writer_while_others_write(tmp_path):
    with Store(tmp_path / "bot.db") as store:

        def read_log(_: int) -> None:  # what tests/load_support.check_log does
            rows = list(store.db.query("SELECT reference, resident FROM requests WHERE prefix = 'GK'"))
            assert len({row["reference"] for row in rows}) == len(rows)

        uses, errors = _alongside_workers(store, read_log)
        assert errors == []
        assert uses > 0
        _check_log(store)


def test_table_writes_on_the_shared_writer_while_others_write(tmp_path):
    with Store(tmp_path / "bot.db") as store:

        def write_meta(i: int) -> None:  # Table.upsert runs in atomic(): BEGIN ... COMMIT
            store.db["meta"].upsert({"key": f"probe:{i % 50}", "value": str(i)}, pk="key")

        uses, errors = _alongside_workers(store, write_meta)
        assert errors == []
        assert uses > 0
        _check_log(store)
        assert store.get_meta("probe:0") is not None
