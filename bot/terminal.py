"""`citizen-bot chat`: the dialog engine in a terminal, so anyone can try every service without Telegram.

One job: terminal I/O around `bot.dialog.Engine`. Buttons are shown as numbered choices and
typing the number presses the button. On a terminal it greets and prompts; from a pipe it
prints one reply block per input line (ended by a line ``---``) and exits at end of input, so a
whole conversation can be scripted::

    printf '信息公开申请\\n1\\n张三\\n' | citizen-bot chat --db /tmp/try.db
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from bot.dialog import Button, Engine, Outcome
    from bot.store import Store

APP_NAME = "citizen-bot"
DB_NAME = "citizen-bot.db"
BLOCK_END = "---"
QUIT_WORDS = {"/quit", "/exit", "/q"}


def default_db_path() -> Path:
    """SQLite file in the user's data directory (e.g. ~/.local/share/citizen-bot/citizen-bot.db)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME)) / DB_NAME


def open_store(path: Path | None) -> Store | None:
    """The SQLite store at ``path`` (default: the user data dir), or None after telling the
    person at the console why it cannot be opened (shared by `chat` and `run`)."""
    from bot.store import Store, StoreUnavailable

    db_path = path or default_db_path()
    try:
        return Store(db_path)
    except StoreUnavailable as exc:
        print(f"无法打开数据库 {db_path}：{exc.user_message}", file=sys.stderr)
        return None


def render(outcome: Outcome) -> tuple[str, list[Button]]:
    """Reply texts with their buttons numbered across the whole outcome; staff events as notes."""
    from bot.dialog import HandoverOpened, RequestSubmitted, ResidentMessage

    lines: list[str] = []
    buttons: list[Button] = []
    for i, reply in enumerate(outcome.replies):
        if i:
            lines.append("")
        lines.append(reply.text)
        for button in reply.buttons:
            buttons.append(button)
            lines.append(f"  [{len(buttons)}] {button.label}")
    for event in outcome.events:
        if isinstance(event, RequestSubmitted):
            lines.append(f"〔已通知工作人员：新申请 {event.reference}〕")
        elif isinstance(event, HandoverOpened):
            lines.append(f"〔已通知工作人员：人工服务 {event.reference}〕")
        elif isinstance(event, ResidentMessage):
            lines.append(f"〔消息已转给工作人员（{event.reference}）〕")
    return "\n".join(lines), buttons


def press(line: str, buttons: list[Button]) -> str | None:
    """The payload of the button whose number was typed, if any (full-width digits folded, as the
    engine does; '²', '①', '፩' or thousands of digits are text, not a number)."""
    import unicodedata

    from bot.text import ascii_int

    i = ascii_int(unicodedata.normalize("NFKC", line))
    if i is not None and 1 <= i <= len(buttons):
        return buttons[i - 1].payload
    return None


def converse(engine: Engine, resident: str, stdin: TextIO, stdout: TextIO, *, interactive: bool) -> int:
    buttons: list[Button] = []

    def show(outcome: Outcome) -> None:
        nonlocal buttons
        text, buttons = render(outcome)
        stdout.write(text + "\n")
        if not interactive:
            stdout.write(BLOCK_END + "\n")
        else:
            stdout.write("\n")
        stdout.flush()

    if interactive:
        stdout.write("（输入文字与助手对话；输入序号按下对应按钮；Ctrl-D 或 /quit 退出）\n\n")
        show(engine.start(resident))
    while True:
        try:
            if interactive:
                stdout.write("> ")
                stdout.flush()
            raw = stdin.readline()
        except KeyboardInterrupt:
            stdout.write("\n")
            return 0
        if not raw:  # end of input
            if interactive:
                stdout.write("\n")
            return 0
        line = raw.strip()
        if not line:
            continue
        if interactive and line in QUIT_WORDS:
            return 0
        payload = press(line, buttons)
        try:
            outcome = engine.handle(resident, text=None if payload else line, payload=payload)
        except KeyboardInterrupt:
            stdout.write("\n")
            return 0
        show(outcome)


def cmd_chat(args: argparse.Namespace) -> int:
    from bot import logfilter
    from bot.cli import _load
    from bot.dialog import Engine

    logfilter.install()  # whatever gets logged (e.g. a failed turn) is scrubbed
    for stream in (sys.stdin, sys.stdout):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    knowledge = _load(args.knowledge)
    store = open_store(args.db)
    if store is None:
        return 1
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


def add_parser(sub: argparse._SubParsersAction, knowledge_arg) -> None:
    p = sub.add_parser("chat", help="talk to the assistant in a terminal (no Telegram token needed)")
    p.add_argument("--db", type=Path, default=None, help=f"SQLite file (default: {default_db_path()})")
    p.add_argument("--resident", default="terminal", help="resident key the conversation is stored under")
    knowledge_arg(p)
    p.set_defaults(func=cmd_chat)
