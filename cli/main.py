"""The `citizen-bot` command: one subcommand per file of this package, assembled here.

``cli/`` sits above both ``bot/`` (the core) and ``handlers/`` (the channel adapters): it may
import either; neither imports it. The channel subcommands (`run`, `web`) import their adapter
only when they run, so `citizen-bot ask` never loads Telegram or aiohttp.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.knowledge import BUNDLED_KNOWLEDGE
from bot.startup import say
from cli import chat, knowledge, office, run, web


def knowledge_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--knowledge", type=Path, default=BUNDLED_KNOWLEDGE, help="knowledge directory")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="citizen-bot", description=say("admin.cli_description"))
    sub = parser.add_subparsers(dest="command", required=True)
    chat.add_parser(sub, knowledge_arg)
    run.add_parser(sub, knowledge_arg)  # `citizen-bot run`: the Telegram channel
    web.add_parser(sub, knowledge_arg)
    knowledge.add_parsers(sub, knowledge_arg)
    office.add_parsers(sub, knowledge_arg)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)
