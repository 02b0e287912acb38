"""`citizen-bot chat`: the real engine in a terminal (``bot/terminal.py`` does the I/O)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.startup import STORE_EXIT, default_db_path, load_knowledge_or_exit, open_store
from bot.terminal import converse
from cli import KnowledgeArg


def cmd_chat(args: argparse.Namespace) -> int:
    from bot import logfilter
    from bot.dialog import Engine

    logfilter.install()  # whatever gets logged (e.g. a failed turn) is scrubbed
    for stream in (sys.stdin, sys.stdout):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    knowledge = load_knowledge_or_exit(args.knowledge)
    store = open_store(args.db)
    if store is None:
        return STORE_EXIT
    interactive = sys.stdin.isatty()
    if interactive:
        try:
            import readline  # noqa: F401  (line editing and history for input)
        except ImportError:  # pragma: no cover - not on every platform
            pass
    try:
        return converse(
            Engine(knowledge, store), args.resident, sys.stdin, sys.stdout, interactive=interactive
        )
    finally:
        store.close()


def add_parser(sub: argparse._SubParsersAction, knowledge_arg: KnowledgeArg) -> None:
    p = sub.add_parser("chat", help="talk to the assistant in a terminal (no Telegram token needed)")
    p.add_argument("--db", type=Path, default=None, help=f"SQLite file (default: {default_db_path()})")
    p.add_argument("--resident", default="terminal", help="resident key the conversation is stored under")
    knowledge_arg(p)
    p.set_defaults(func=cmd_chat)
