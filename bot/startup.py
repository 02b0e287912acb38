"""What every command needs before it can start: the knowledge and the store, or one Chinese
sentence saying why not (and an exit status). Shared by the CLI (``cli/``) and the channel
adapters (``handlers/``), which both import it downward; it imports neither.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.knowledge import Knowledge
    from bot.store import Store

APP_NAME = "citizen-bot"
DB_NAME = "citizen-bot.db"


def default_db_path() -> Path:
    """SQLite file in the user's data directory (e.g. ~/.local/share/citizen-bot/citizen-bot.db)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME)) / DB_NAME


#: Exit status of a command that cannot start because of its database (as for bad knowledge).
STORE_EXIT = 2


def say(key: str, /, **values: object) -> str:
    """A start-up sentence from the bundled catalogue (knowledge/messages/admin.yaml as shipped):
    start-up errors happen before any knowledge is loaded, or because the knowledge in use has
    problems. Should even the bundled text be unusable, the key and values still say what failed."""
    from bot.messages import MessageError
    from bot.validators import bundled_messages

    try:
        return bundled_messages().text(key, **values)
    except MessageError:
        return " ".join([key, *(f"{name}={value}" for name, value in values.items())])


def _blocking_file(path: Path) -> Path | None:
    """The first ancestor of ``path`` that exists and is not a folder (a file where a folder is
    needed), if any."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return parent
    return None


def _first_existing(path: Path) -> Path:
    for parent in path.parents:
        if parent.exists():
            return parent
    return Path("/")


def store_problem(db_path: Path, exc: BaseException | None) -> str:
    """One Chinese sentence for the person starting the bot: which path, what is wrong with it,
    what to do. ``exc`` is what opening raised (None: found by looking before opening)."""
    import os
    import sqlite3

    from bot.store import SCHEMA_VERSION, NewerSchema, StoreError, StoreUnavailable

    if db_path.is_dir():
        return say("admin.db_is_folder", path=db_path, example=db_path / DB_NAME)
    blocker = _blocking_file(db_path)
    if blocker is not None:
        return say("admin.db_path_blocked", path=db_path, blocker=blocker)
    folder = db_path.parent if db_path.parent.exists() else _first_existing(db_path)
    if isinstance(exc, NewerSchema):
        return say("admin.db_newer", path=db_path, version=SCHEMA_VERSION)
    if isinstance(exc, StoreError) and not isinstance(exc, StoreUnavailable):
        return say("admin.db_cannot_open", path=db_path, reason=exc.message)
    if db_path.exists() and not os.access(db_path, os.W_OK):
        return say("admin.db_read_only", path=db_path)
    if not os.access(folder, os.W_OK | os.X_OK):
        return say("admin.db_folder_not_writable", folder=folder, path=db_path)
    if isinstance(exc, StoreUnavailable):
        if exc.reason in ("locked", "busy"):
            return say("admin.db_locked", path=db_path)
        if exc.reason == "full":
            return say("admin.db_disk_full", path=db_path)
        return say("admin.db_unavailable", path=db_path, reason=exc.reason)
    if isinstance(exc, sqlite3.DatabaseError):
        return say("admin.db_not_sqlite", path=db_path)
    if isinstance(exc, OSError):
        return say("admin.db_open_failed", path=db_path, reason=exc.strerror or type(exc).__name__)
    return say("admin.db_open_failed", path=db_path, reason=type(exc).__name__)


def open_store(path: Path | None) -> Store | None:
    """The SQLite store at ``path`` (default: the user data dir), or None after telling the
    person at the console, in one sentence naming the path, why it cannot be opened and what to
    do (shared by `chat` and `run`, which then exit with STORE_EXIT)."""
    import sqlite3

    from bot.store import Store, StoreError

    db_path = Path(path or default_db_path())
    if db_path.is_dir() or _blocking_file(db_path) is not None:
        print(store_problem(db_path, None), file=sys.stderr)
        return None
    try:
        return Store(db_path)
    except (StoreError, sqlite3.Error, OSError) as exc:
        print(store_problem(db_path, exc), file=sys.stderr)
        return None


def load_knowledge_or_exit(path: Path) -> Knowledge:
    """The knowledge under ``path``; on errors list every problem and exit with status 2."""
    from bot.knowledge import KnowledgeError, load_knowledge

    try:
        return load_knowledge(path)
    except KnowledgeError as exc:
        print(say("admin.knowledge_errors"), file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        raise SystemExit(2) from None
