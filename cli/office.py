"""`citizen-bot report|console`: the office's annual report and console login links."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli import KnowledgeArg


def cmd_report_foi(args: argparse.Namespace) -> int:
    """Section 三 of the annual 政府信息公开 report from the request log (bot/report.py)."""
    import os

    from bot.knowledge import Problem
    from bot.outcomes import load_outcomes_file
    from bot.report import foi_report, render_text, write_report
    from bot.startup import default_db_path, say
    from bot.store import Store, StoreError

    problems: list[Problem] = []
    catalogue = load_outcomes_file(args.knowledge, problems)
    if catalogue is None:
        print(say("admin.knowledge_errors"), file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    env_db = os.environ.get("CITIZEN_BOT_DB")
    db_path = args.db or (Path(env_db) if env_db else default_db_path())
    if not db_path.exists():
        print(say("admin.db_missing", path=db_path), file=sys.stderr)
        return 2
    if args.out is not None and args.out.suffix.lower() not in (".csv", ".xlsx"):
        print(say("admin.out_suffix", path=args.out), file=sys.stderr)
        return 2
    try:
        with Store(db_path) as store:
            report = foi_report(store, args.year, catalogue)
    except StoreError as exc:
        print(say("admin.db_unreadable", path=db_path, reason=exc.message), file=sys.stderr)
        return 2
    print(render_text(report))
    if args.out is not None:
        write_report(report, args.out)
        print(say("admin.written", path=args.out))
    return 0


#: Where `citizen-bot console link` points when --base-url is not given.
CONSOLE_URL_ENV = "CITIZEN_BOT_CONSOLE_URL"


def cmd_console_link(args: argparse.Namespace) -> int:
    """Print a one-time console login link (deployments without Telegram, or a first admin)."""
    import os

    from bot.console_auth import create_login_link, user_key
    from bot.startup import open_store, say

    user = user_key(args.user)
    if not user or len(user) > 64:
        print(say("admin.bad_user"), file=sys.stderr)
        return 2
    base_url = args.base_url or os.environ.get(CONSOLE_URL_ENV) or "http://127.0.0.1:8080"
    store = open_store(args.db)
    if store is None:
        return 1
    try:
        link = create_login_link(store, user, "admin" if args.admin else "staff", base_url, source="cli")
    finally:
        store.close()
    print(link)
    print(say("admin.link_valid"), file=sys.stderr)
    return 0


def add_parsers(sub: argparse._SubParsersAction, knowledge_arg: KnowledgeArg) -> None:
    from datetime import date

    from bot.startup import say

    p = sub.add_parser("report", help="reports for administrators")
    rsub = p.add_subparsers(dest="report_command", required=True)
    rp = rsub.add_parser(
        "foi",
        help=say("admin.cli_report_foi"),
        description=say("admin.cli_report_foi_description"),
    )
    rp.add_argument(
        "--year", type=int, default=date.today().year - 1, help="report year (default: last year)"
    )
    rp.add_argument("--out", type=Path, default=None, help="also write the table to FILE.csv or FILE.xlsx")
    rp.add_argument(
        "--db",
        type=Path,
        default=None,
        help="SQLite file (default: $CITIZEN_BOT_DB or the user data directory)",
    )
    knowledge_arg(rp)
    rp.set_defaults(func=cmd_report_foi)

    p = sub.add_parser("console", help="the office's web console")
    csub = p.add_subparsers(dest="console_command", required=True)
    cp = csub.add_parser("link", help="print a one-time login link (valid 5 minutes, single use)")
    cp.add_argument("user", help="who logs in: a Telegram user id (digits) or another staff key")
    cp.add_argument("--admin", action="store_true", help="administrator (default: staff)")
    cp.add_argument("--db", type=Path, default=None, help="SQLite file (default: as for `chat`)")
    cp.add_argument(
        "--base-url",
        default=None,
        help=f"the site's address (default: ${CONSOLE_URL_ENV} or http://127.0.0.1:8080)",
    )
    cp.set_defaults(func=cmd_console_link)
