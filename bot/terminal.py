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
    from bot.messages import Catalogue

BLOCK_END = "---"
QUIT_WORDS = {"/quit", "/exit", "/q"}


def render(outcome: Outcome, msgs: Catalogue | None = None) -> tuple[str, list[Button]]:
    """Reply texts with their buttons numbered across the whole outcome; staff events as notes
    (``msgs``: the catalogue of the engine's knowledge; the bundled one if None)."""
    from bot.dialog import HandoverOpened, RequestSubmitted, ResidentMessage
    from bot.validators import or_bundled

    m = or_bundled(msgs)

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
            lines.append(m.text("admin.terminal_new_request", reference=event.reference))
        elif isinstance(event, HandoverOpened):
            lines.append(m.text("admin.terminal_handover", reference=event.reference))
        elif isinstance(event, ResidentMessage):
            lines.append(m.text("admin.terminal_forwarded", reference=event.reference))
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
    from bot.messages import catalogue_of
    from bot.validators import or_bundled

    buttons: list[Button] = []

    def show(outcome: Outcome) -> None:
        nonlocal buttons
        text, buttons = render(outcome, catalogue_of(engine.knowledge))
        stdout.write(text + "\n")
        if not interactive:
            stdout.write(BLOCK_END + "\n")
        else:
            stdout.write("\n")
        stdout.flush()

    if interactive:
        stdout.write(or_bundled(catalogue_of(engine.knowledge)).text("admin.terminal_intro") + "\n\n")
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
