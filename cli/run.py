"""`citizen-bot run`: the Telegram channel (``handlers/``, imported only when the command runs).
Settings come from ``bot.config``: command line > environment > TOML file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.config import CONFIG_ENV, ConfigError, load_settings
from bot.startup import say
from cli import KnowledgeArg


def cmd_run(args: argparse.Namespace) -> int:
    cli = {
        "base_url": args.base_url,
        "base_file_url": args.base_file_url,
        "db": args.db,
        "knowledge": args.knowledge,
        "webhook_url": args.webhook_url,
        "webhook_listen": args.listen,
        "webhook_port": args.port,
        "web_port": args.web_port,
        "web_listen": args.web_listen,
        "web_behind_tls": args.behind_tls,
        "web_frame_ancestors": args.frame_ancestors,
        "web_origins": args.origin,
    }
    try:
        settings = load_settings(cli, config_file=args.config)
    except ConfigError as exc:
        print(say("admin.config_errors"), file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    from handlers.telegram.app import run  # lazy: only `run` loads the Telegram adapter

    return run(settings)


def web_run_arguments(p: argparse.ArgumentParser) -> None:
    """The web chat beside Telegram in this process (issue 13); the same options as `citizen-bot
    web`, none of them defaulted here so the environment and the config file can give them."""
    p.add_argument(
        "--web-port", type=int, default=None, help="also serve the web chat and console on this port"
    )
    p.add_argument("--web-listen", default=None, help="web chat: address to listen on (default 127.0.0.1)")
    p.add_argument(
        "--behind-tls",
        action="store_true",
        default=None,
        help="web chat: TLS ends at a reverse proxy (Secure cookies, trust X-Forwarded-*)",
    )
    p.add_argument(
        "--frame-ancestors",
        action="append",
        metavar="SOURCE",
        help="web chat: a page allowed to embed it (CSP frame-ancestors); repeatable",
    )
    p.add_argument(
        "--origin", action="append", metavar="ORIGIN", help="web chat: public origin of the page; repeatable"
    )


def add_parser(sub: argparse._SubParsersAction, knowledge_arg: KnowledgeArg) -> None:
    p = sub.add_parser(
        "run",
        help="run the Telegram bot (TELEGRAM_BOT_TOKEN, CITIZEN_BOT_STAFF_CHAT_ID, ...)",
        description="Run the Telegram channel: residents in private chats, staff in the staff group. "
        "Settings: command line > environment > config file. Long polling unless --webhook-url is given.",
    )
    p.add_argument("--config", type=Path, default=None, help=f"TOML config file (or ${CONFIG_ENV})")
    p.add_argument("--base-url", default=None, help="Bot API base URL, e.g. http://127.0.0.1:8081/bot")
    p.add_argument("--base-file-url", default=None, help="file URL (default: derived from --base-url)")
    p.add_argument("--db", type=Path, default=None, help="SQLite file (default: the user data directory)")
    p.add_argument("--webhook-url", default=None, help="public https URL: webhook mode instead of polling")
    p.add_argument("--listen", default=None, help="webhook: address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="webhook: port to listen on (default 8443)")
    web_run_arguments(p)
    knowledge_arg(p)
    # the knowledge default comes from knowledge_arg; only an explicit flag should beat env/config
    p.set_defaults(func=cmd_run, knowledge=None)
