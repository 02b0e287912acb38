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

    from bot.store import SCHEMA_VERSION, StoreError, StoreUnavailable

    if db_path.is_dir():
        return (
            f"数据库路径 {db_path} 是一个文件夹，不是文件：请用 --db 指定其中的一个文件，"
            f"例如 {db_path / DB_NAME}。"
        )
    blocker = _blocking_file(db_path)
    if blocker is not None:
        return (
            f"无法在 {db_path} 创建数据库：路径中的 {blocker} 是一个文件而不是文件夹。"
            "请用 --db 换一个路径，或把该文件移走。"
        )
    folder = db_path.parent if db_path.parent.exists() else _first_existing(db_path)
    if isinstance(exc, StoreError) and not isinstance(exc, StoreUnavailable):
        if "结构版本" in exc.message:
            return (
                f"数据库 {db_path} 由更新版本的 citizen-bot 创建（本程序支持的结构版本是 {SCHEMA_VERSION}）："
                "请升级本程序后再启动，不要用旧版本打开它。"
            )
        return f"无法打开数据库 {db_path}：{exc.message}"
    if db_path.exists() and not os.access(db_path, os.W_OK):
        return (
            f"数据库文件 {db_path} 是只读的：请让运行本程序的用户可以写入它"
            f"（例如 chmod u+w {db_path}），或用 --db 指定另一个文件。"
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        return (
            f"文件夹 {folder} 不可写，无法在其中创建或使用数据库 {db_path}"
            "（SQLite 还要在旁边创建 -wal 和 -shm 文件）："
            "请让运行本程序的用户可以写入该文件夹，或用 --db 指定另一个位置。"
        )
    if isinstance(exc, StoreUnavailable):
        if exc.reason in ("locked", "busy"):
            return f"数据库 {db_path} 正被另一个进程锁定：请确认没有另一个 citizen-bot 在使用它，稍后再启动。"
        if exc.reason == "full":
            return f"磁盘已满，无法写入数据库 {db_path}：请先清理磁盘空间，再启动本程序。"
        return f"无法打开数据库 {db_path}（{exc.reason}）：请检查该文件和所在文件夹的权限与磁盘状态后再启动。"
    if isinstance(exc, sqlite3.DatabaseError):
        return (
            f"{db_path} 不是可用的 SQLite 数据库（不是数据库文件，或文件已损坏、被截断）："
            "请检查 --db 是否指错了文件；如果是恢复备份时出的错，请重新从备份恢复。"
            "不要删除该文件，以免丢失数据。"
        )
    if isinstance(exc, OSError):
        return f"无法打开数据库 {db_path}（{exc.strerror or type(exc).__name__}）：请检查路径和权限后再启动。"
    return f"无法打开数据库 {db_path}（{type(exc).__name__}）：请检查路径和权限后再启动。"


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
        print("知识库文件有错误 (knowledge files have errors):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        raise SystemExit(2) from None
