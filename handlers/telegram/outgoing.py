"""What goes to Telegram, before it is sent: HTML escaping, splitting long texts at Telegram's
limit (UTF-16 units), button layout, the send-rate bucket, and the message records
(``Outgoing``, ``Sent``) the sender, the deliverer and the desk pass around."""

from __future__ import annotations

import asyncio
import html
import re
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram.constants import ParseMode
from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning

#: Telegram counts text length in UTF-16 units after entity parsing; leave some room.
TEXT_LIMIT = 4000
CALLBACK_LIMIT = 64
LONG_PAYLOAD_PREFIX = "x:"


def esc(text: Any) -> str:
    """HTML-escape for Telegram's HTML parse mode."""
    return html.escape(str(text), quote=False)


def utf16_len(text: str) -> int:
    """Telegram's length: UTF-16 code units (an emoji counts 2), counted by the codec in C (a
    loop over the characters of every reply cost ~3% of the bot's event loop)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _chars_within(text: str, units: int) -> int:
    """How many leading characters of `text` fit in `units` UTF-16 code units (emoji take 2)."""
    used = 0
    for n, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > units:
            return max(1, n)
    return len(text)


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split plain text into messages of at most ``limit`` UTF-16 units, at line breaks if possible."""
    if utf16_len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while utf16_len(line) > limit:  # a single very long line: hard split
            room = limit - utf16_len(current) - (1 if current else 0)
            if room <= 0:
                parts.append(current)
                current = ""
                continue
            cut = _chars_within(line, room)
            head, line = line[:cut], line[cut:]
            current = f"{current}\n{head}" if current else head
            parts.append(current)
            current = ""
        candidate = f"{current}\n{line}" if current else line
        if utf16_len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return [p for p in parts if p.strip()] or [text[:limit]]


def layout(buttons: Sequence[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Rows of buttons: short labels side by side, long ones alone."""
    if not buttons:
        return []
    width = max(len(label) for label, _ in buttons)
    per_row = 4 if width <= 2 else 3 if width <= 4 else 2 if width <= 8 else 1
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


def retry_after_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def plain(html_text: str) -> str:
    """Our own HTML back to plain text (fallback when Telegram refuses the markup)."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


class RateLimiter:
    """Token bucket: at most ``burst + rate * T`` sends in any window of T seconds."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = max(rate, 0.001)
        self.capacity = float(max(burst, 1))
        self.tokens = self.capacity
        self.stamp = time.monotonic()

    async def acquire(self) -> None:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        self.tokens -= 1  # reserve; a negative balance is a queue
        if self.tokens < 0:
            await asyncio.sleep(-self.tokens / self.rate)


@dataclass
class Outgoing:
    """One message to send; JSON-able, so it can wait in the outbox across a restart."""

    chat_id: int
    text: str  # HTML (already escaped) unless parse_mode is None
    parse_mode: str | None = ParseMode.HTML
    buttons: list[list[list[str]]] | None = None  # rows of [label, callback_data]
    force_reply: bool = False
    reply_to: int | None = None
    #: Register the sent message as showing this request, so staff replies to it find it.
    card: str | None = None
    #: The request's main card in the staff group (kept in store meta for later edits).
    main_card: bool = False
    #: No link preview (a one-time login link must not be fetched by a preview).
    no_preview: bool = False

    def params(self) -> dict[str, Any]:
        """The sendMessage parameters, in Bot API JSON."""
        params: dict[str, Any] = {"chat_id": self.chat_id, "text": self.text}
        if self.parse_mode:
            params["parse_mode"] = self.parse_mode
        if self.buttons:
            params["reply_markup"] = {
                "inline_keyboard": [
                    [{"text": label, "callback_data": data} for label, data in row] for row in self.buttons
                ]
            }
        elif self.force_reply:
            params["reply_markup"] = {"force_reply": True, "selective": True}
        if self.no_preview:
            params["link_preview_options"] = {"is_disabled": True}
        if self.reply_to is not None:
            params["reply_parameters"] = {"message_id": self.reply_to, "allow_sending_without_reply": True}
        return params


@dataclass(frozen=True)
class Sent:
    """Where a message went: all a caller needs of Telegram's answer."""

    chat_id: int
    message_id: int


class _Transient(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class _Permanent(Exception):
    """Telegram refused the message. ``retry_later``: it may work once a person acts (the
    resident unblocks the bot, the bot is added to the staff group): retried hourly for a day."""

    def __init__(self, reason: str, retry_later: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_later = retry_later
