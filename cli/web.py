"""`citizen-bot web`: the chat page for a web browser and the office's console (``handlers/web``,
imported only when the command runs)."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli import KnowledgeArg


def cmd_web(args: argparse.Namespace) -> int:
    from handlers.web.server import serve  # lazy: `citizen-bot ask` never loads the web stack

    return serve(args)


def web_arguments(p: argparse.ArgumentParser) -> None:
    """`citizen-bot web` options (handlers.web itself is imported only when the command runs)."""
    p.add_argument("--listen", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    p.add_argument(
        "--behind-tls",
        action="store_true",
        help="TLS ends at a reverse proxy: Secure cookies, trust X-Forwarded-Proto/-For/-Host",
    )
    p.add_argument(
        "--frame-ancestors",
        action="append",
        metavar="SOURCE",
        help="a page allowed to embed the chat (CSP frame-ancestors), e.g. https://www.example.gov.cn; "
        "repeatable (default: only this site)",
    )
    p.add_argument(
        "--origin",
        action="append",
        metavar="ORIGIN",
        help="public origin of the page, e.g. https://chat.example.gov.cn (repeatable; default: from Host)",
    )


def add_parser(sub: argparse._SubParsersAction, knowledge_arg: KnowledgeArg) -> None:
    p = sub.add_parser("web", help="the chat page for a web browser (no Telegram token needed)")
    p.add_argument("--db", type=Path, default=None, help="SQLite file (default: as for `chat`)")
    knowledge_arg(p)
    web_arguments(p)
    p.set_defaults(func=cmd_web)
