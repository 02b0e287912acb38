"""Connection plumbing: one writer, a reader per thread, atomic writes and read snapshots.

Why it looks like this:
- Every ``Store`` owns one *writer* connection (WAL, ``synchronous=NORMAL``, a busy timeout,
  foreign keys, ``secure_delete``) guarded by a re-entrant lock, so threads may share an
  instance and processes may share the file.
- Reads go through a *reader* connection of the calling thread (opened on first use,
  ``query_only``): under WAL a reader sees the last committed state and neither waits for
  the writer nor holds it up, so a long console query does not stall a resident's turn.
  A thread inside a write transaction reads through the writer (it must see its own
  uncommitted rows); an in-memory database has no second connection and reads through the
  writer too.
- Anything that reads and then writes (reference numbers, status transitions, idempotency
  keys, outbox leases) runs inside ``BEGIN IMMEDIATE``: under WAL an ordinary transaction that
  upgrades from read to write fails or loses updates when two processes race.
- ``_write`` is re-entrant: inside ``transaction()`` (or another ``_write``) it is a savepoint.
- After an erasure (``_erased``) the outermost commit checkpoints and truncates the WAL.
- ``store.db`` (the writer's sqlite-utils handle) takes the lock itself for every statement,
  every ``query()`` and every ``atomic()`` block (``_WriterDatabase``), so code that reaches for
  it from another thread cannot land inside someone else's transaction.
- A locked, read-only or failing database becomes ``StoreUnavailable`` carrying a Chinese
  message for the resident; the caller keeps the resident's progress and asks them to retry.
- Nothing here writes to Python logs: rows hold personal data (names, ID numbers, phones).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.sqlite_utils_import import sqlite_utils
from bot.store.model import (
    Request,
    StoreUnavailable,
    UnknownRequest,
    _request_from_row,
    unavailable_reason,
)
from bot.store.schema import create_schema, migrate


class _WriterDatabase(sqlite_utils.Database):
    """The writer connection's sqlite-utils handle (``Store.db``), usable from any thread for
    single statements and short ``atomic()`` blocks.

    The store's own code uses it inside ``_write``/``_read``, holding ``lock``. But ``store.db``
    is an attribute anyone can reach, and tests and bench scripts call ``store.db.query(...)``
    from their own thread while worker threads write. sqlite-utils brackets ``query()`` with
    ``SAVEPOINT "sqlite_utils_query"`` ... ``RELEASE`` and ``atomic()`` (every ``Table.insert``,
    ``upsert``, ``update``) with BEGIN or a savepoint ... COMMIT or RELEASE, all on the one
    shared connection. Interleaved with a worker's ``BEGIN IMMEDIATE`` ... ``COMMIT``, one
    thread's COMMIT or RELEASE ended the other's savepoint (``no such savepoint:
    sqlite_utils_query``, ``no such savepoint: sp1``), a BEGIN met the other's open transaction,
    or a read joined a transaction that was not its own.

    So each entry point holds ``lock`` for its whole bracket. The lock is the store's re-entrant
    one, so inside ``_write`` (which holds it already) nothing changes. ``query()`` fetches its
    rows before letting go: a lazily read cursor would step the shared connection outside the
    lock. ``execute()`` hands back the cursor as before; its statement runs under the lock, so
    call it inside ``_write``/``_read`` when a multi-row result must be read in one piece.

    ``atomic()`` holds the lock for the caller's whole block, as it must for the block to be one
    transaction: keep the block to statements on this handle. A block that waits for another
    thread which itself uses the store (a join, a queue) deadlocks.
    """

    def __init__(self, conn: sqlite3.Connection, lock: threading.RLock) -> None:
        self._store_lock = lock  # first: Database.__init__ may already execute (PRAGMAs)
        super().__init__(conn, execute_plugins=False)

    def query(
        self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None
    ) -> Generator[dict[str, Any], None, None]:
        with self._store_lock:
            rows = list(super().query(sql, params))
        return (row for row in rows)

    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None) -> sqlite3.Cursor:
        with self._store_lock:
            return super().execute(sql, parameters)

    def executescript(self, sql: str) -> sqlite3.Cursor:
        with self._store_lock:
            return super().executescript(sql)

    @contextmanager
    def atomic(self) -> Generator[sqlite_utils.Database, None, None]:
        with self._store_lock, super().atomic() as db:
            yield db


class Connection:
    """The writer, the readers and the transaction rules every aggregate's methods build on."""

    def __init__(self, path: str | Path, *, busy_timeout_ms: int = 5000) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._busy_timeout_ms = int(busy_timeout_ms)
        self._lock = threading.RLock()
        #: Open write transactions of the thread holding ``_lock`` (nested ones are savepoints).
        self._depth = 0
        #: The thread inside a write transaction (its reads go through the writer), or None.
        self._writer_thread: int | None = None
        #: Set by an erasure: after the outermost commit the WAL is checkpointed and truncated.
        self._erased = False
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._closed = False
        try:
            conn = sqlite3.connect(
                self.path,
                timeout=busy_timeout_ms / 1000,
                isolation_level=None,  # we issue BEGIN IMMEDIATE ourselves
                check_same_thread=False,  # guarded by self._lock
            )
        except sqlite3.Error as exc:
            raise self._translate(exc) from exc
        self._conn = conn
        try:
            try:
                conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("PRAGMA foreign_keys = ON")
                # Deleted rows are overwritten with zeros, not just unlinked: /forget must not
                # leave names and ID numbers in free pages of the file.
                conn.execute("PRAGMA secure_delete = ON")
                self.db: sqlite_utils.Database = _WriterDatabase(conn, self._lock)
            except sqlite3.Error as exc:
                raise self._translate(exc) from exc
            with self._write() as db:
                create_schema(db)
                migrate(db)
        except BaseException:
            conn.close()
            raise

    # -- errors ------------------------------------------------------------------

    @staticmethod
    def _translate(exc: sqlite3.Error) -> BaseException:
        reason = unavailable_reason(exc)
        return StoreUnavailable(reason, str(exc)) if reason else exc

    # -- readers -----------------------------------------------------------------

    def _reader(self) -> sqlite_utils.Database | None:
        """This thread's read-only connection, or None where reads must use the writer."""
        if self.path == ":memory:" or self._writer_thread == threading.get_ident():
            return None
        db = getattr(self._local, "db", None)
        if db is not None:
            return db
        if self._closed:
            raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
        try:
            conn = sqlite3.connect(
                self.path,
                timeout=self._busy_timeout_ms / 1000,
                isolation_level=None,
                check_same_thread=False,  # only this thread uses it; close() may run elsewhere
            )
        except sqlite3.Error as exc:
            raise self._translate(exc) from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms}")
            conn.execute("PRAGMA query_only = ON")
        except sqlite3.Error as exc:
            conn.close()
            raise self._translate(exc) from exc
        with self._readers_lock:
            self._readers.append(conn)
        db = self._local.db = sqlite_utils.Database(conn, execute_plugins=False)
        return db

    @contextmanager
    def _read(self) -> Iterator[sqlite_utils.Database]:
        """Run reads on this thread's reader (the writer inside this thread's write)."""
        reader = self._reader()
        if reader is not None:
            try:
                yield reader
            except sqlite3.Error as exc:
                raise self._translate(exc) from exc
            return
        with self._lock:
            try:
                yield self.db
            except sqlite3.Error as exc:
                raise self._translate(exc) from exc

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Several reads that must see one consistent state (a deferred read transaction on
        this thread's reader; inside a write transaction the state is consistent already)."""
        reader = self._reader()
        if reader is None:
            with self._lock:
                if self._depth:
                    yield
                    return
                yield from self._read_transaction(self._conn)
            return
        if reader.conn.in_transaction:  # nested snapshot
            yield
            return
        yield from self._read_transaction(reader.conn)

    def _read_transaction(self, conn: sqlite3.Connection) -> Iterator[None]:
        try:
            conn.execute("BEGIN")
            yield
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            if isinstance(exc, sqlite3.Error):
                raise self._translate(exc) from exc
            raise

    # -- the writer --------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite_utils.Database]:
        """One atomic write: BEGIN IMMEDIATE takes the write lock before anything is read.

        Re-entrant: inside ``transaction()`` (or another ``_write``) it is a savepoint, so a
        failed inner step is undone alone and everything commits together at the end."""
        with self._lock:
            conn = self._conn
            if self._depth:
                yield from self._savepoint(conn)
                return
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._translate(exc) from exc
            self._depth = 1
            self._writer_thread = threading.get_ident()
            try:
                yield self.db
                conn.execute("COMMIT")
            except BaseException as exc:
                self._erased = False
                if conn.in_transaction:
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # the original error below is what matters
                if isinstance(exc, sqlite3.Error):
                    raise self._translate(exc) from exc
                raise
            finally:
                self._depth = 0
                self._writer_thread = None
            if self._erased:
                self._erased = False
                self._truncate_wal()

    def _savepoint(self, conn: sqlite3.Connection) -> Iterator[sqlite_utils.Database]:
        name = f"sp{self._depth}"
        conn.execute(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield self.db
            conn.execute(f"RELEASE {name}")
        except BaseException as exc:
            try:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
            except sqlite3.Error:
                pass
            if isinstance(exc, sqlite3.Error):
                raise self._translate(exc) from exc
            raise
        finally:
            self._depth -= 1

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """Several store calls as one atomic write (the engine's turn: session, request and
        everything owed to anyone in the outbox). Calls inside are savepoints; nothing is
        visible to other connections until the end, and an exception undoes all of it.
        Yields the store itself."""
        with self._write():
            yield self

    def _truncate_wal(self) -> None:
        """After an erasure: copy the WAL into the file and truncate it, so the erased rows'
        old page images do not linger in ``-wal`` while the bot keeps running. Best effort: a
        reader in another process may keep the checkpoint from finishing (its busy timeout)."""
        try:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.Error:
            pass

    def close(self) -> None:
        with self._lock:
            self._closed = True
            with self._readers_lock:
                readers, self._readers = self._readers, []
            for reader in readers:
                reader.close()
            self._conn.close()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def _fetch_request(db: sqlite_utils.Database, reference: str) -> Request:
        rows = list(db.query("SELECT * FROM requests WHERE reference = ?", [reference]))
        if not rows:
            raise UnknownRequest(reference)
        return _request_from_row(rows[0])

    # -- meta --------------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        with self._read() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as db:
            db["meta"].upsert({"key": key, "value": value}, pk="key")

    def integrity_check(self) -> str:
        """'ok', or SQLite's list of problems joined by newlines."""
        with self._read() as db:
            rows = db.execute("PRAGMA integrity_check").fetchall()
        return "\n".join(str(r[0]) for r in rows)
