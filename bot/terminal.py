"""The dialog engine in a terminal (`citizen-bot chat`, see ``cli/chat.py``), so anyone can try
every service without Telegram.

One job: terminal I/O around `bot.dialog.Engine`. Buttons are shown as numbered choices and
typing the number presses the button. On a terminal it greets and prompts; from a pipe it
prints one reply block per input line (ended by a line ``---``) and exits at end of input, so a
whole conversation can be scripted::

    printf '信息公开申请\\n1\\n张三\\n' | citizen-bot chat --db /tmp/try.db
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from bot.dialog import Button, Engine, Outcome

BLOCK_END = "---"
QUIT_WORDS = {"/quit", "/exit", "/q"}


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
