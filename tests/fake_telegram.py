"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests and benchmarks.

Standard library only.  A real ``telegram.ext.Application`` (python-telegram-bot 22.x) runs
against it in ordinary long polling::

    with FakeTelegram() as fake:
        app = (ApplicationBuilder().token("123:TEST")
               .base_url(fake.base_url).base_file_url(fake.base_file_url).build())
        ...add handlers...
        async with polling_app(app):           # initialize/post_init/start_polling/start ... stop
            fake.push_message(chat_id=5, user_id=5, text="/start")
            call = await fake.wait_for_message_async(chat_id=5)
            assert "欢迎" in call.text

The server is a ``ThreadingHTTPServer`` (HTTP/1.1 keep-alive, one thread per connection, the
whole response written in one ``send`` with TCP_NODELAY) running in a daemon thread, so it works
the same from sync code, from a pytest-asyncio test whose loop runs the bot, and from benchmark
scripts.  All state sits behind one lock; every public method is thread-safe.  Long polls, the
injected delays and ``stop()`` are bounded and interruptible: ``stop()`` returns in well under a
second even while a getUpdates is parked.

What the server does (modelled on the real Bot API)
---------------------------------------------------
* URL ``/bot<TOKEN>/<method>`` (method names case-insensitive, as on Telegram); any token unless
  ``token=`` is given (then others get 401).  Bodies: form-urlencoded (non-string values
  JSON-encoded inside the form, as PTB sends them), JSON, multipart (uploads) or a GET query.
  Unknown methods -> HTTP 400 ``Bad Request: method not found`` (not 404: PTB turns 401/404 into
  ``InvalidToken`` and stops polling).  Bad paths -> 404.
* getUpdates: long polling (returns as soon as something is queued), ``offset`` (confirms and
  drops older updates; negative offsets keep the last N), ``limit``, ``timeout``,
  ``allowed_updates`` (remembered between calls like Telegram; filtered-out updates are dropped;
  the default excludes chat_member / message_reaction / message_reaction_count).  A newer
  getUpdates ends an older parked one with 409 "terminated by other getUpdates request", and
  getUpdates while a webhook is set is 409 as well.
* Messages: per-chat message ids shared by the user's and the bot's messages (as in private
  chats); the bot's messages are stored so editMessageText / editMessageReplyMarkup /
  deleteMessage / callback queries / replies see them.  Editing text without ``reply_markup``
  removes the inline keyboard (Telegram does); an edit that changes nothing gets 400 "message is
  not modified" (Telegram does; code should catch it).  Messages the server never saw are edited
  leniently (a stub is made).
* ``validate=True`` (default) rejects what Telegram rejects, with Telegram's descriptions:
  HTML / MarkdownV2 / Markdown that does not parse ("can't parse entities: Unsupported start tag
  "br" ...", "Character '.' is reserved and must be escaped ..."), text over 4096 UTF-16 units
  after entity parsing or empty after trimming, captions over 1024, inline buttons whose
  callback_data is not 1-64 *bytes* (UTF-8: only 21 Chinese characters fit) -> BUTTON_DATA_INVALID,
  buttons with no action, invalid chat actions, invalid command names, answering an unknown or
  already answered callback query, replying to a message that does not exist.  The returned
  Message carries the text as Telegram would show it (markup stripped, trimmed) plus computed
  ``entities``; ``Call.text`` is the raw text the bot sent.
* ``block_user(chat_id)`` makes sends to that chat fail with 403 "Forbidden: bot was blocked by
  the user".  ``latency=`` is a network round trip added to every call (half
  before it is carried out, half after), getUpdates included: at high rates updates then
  arrive in batches as they do from Telegram, instead of one getUpdates per update.
* Faults: ``fail_next(method, status=429, retry_after=1, count=1)`` (429 carries
  ``parameters.retry_after`` like Telegram; 502 answers nginx-style HTML like Telegram's front
  end; any other status answers JSON), ``delay_next(method, seconds, count=1)`` (the call is then
  carried out normally: a client that timed out may still have sent the message, as on the real
  service).  ``method="*"`` matches every method.
* Files: push_photo/voice/document register bytes; getFile and
  ``GET /file/bot<TOKEN>/<file_path>`` serve them.
* Control API for out-of-process use (``python -m tests.fake_telegram --port 8081``):
  ``POST /_fake/rpc`` with ``{"op": "push_message", "args": [...], "kwargs": {...}}`` (or a list
  of those) for the push_*/fail_next/delay_next/block_user/... methods, plus ops ``calls``
  (kwargs ``since``, ``method``) and ``counts``.

Findings about python-telegram-bot 22.8 against this server (measured, see
tests/test_fake_telegram.py)
---------------------------------------------------------------------------------------------
* Starting without ``run_polling``: ``await app.initialize()`` (calls getMe once, no retry),
  ``await app.post_init(app)`` if set (only run_polling/run_webhook call it),
  ``await app.updater.start_polling(poll_interval=0, timeout=1)`` (v22 removed the read/write
  timeout arguments; ``timeout`` is the long-poll seconds, int or timedelta; it first calls
  deleteWebhook), ``await app.start()``.  Stopping: ``await app.updater.stop()`` (cancels the
  parked getUpdates and sends one more getUpdates with timeout=0 to confirm the offset),
  ``await app.stop()``, ``await app.shutdown()``.  ``polling_app()`` below does exactly that,
  including post_init/post_stop/post_shutdown, in the same order as run_polling.
* 429 on a bot call (sendMessage etc.): PTB does NOT retry.  ``telegram.error.RetryAfter`` is
  raised inside the handler; if the handler does not catch it, it goes to the error handlers
  (or is logged as "No error handlers are registered").  The message is lost unless the
  application retries itself.  Reading ``exc.retry_after`` emits PTBDeprecationWarning (an int
  now, a timedelta in a future major) unless the environment has ``PTB_TIMEDELTA=true``.
  Automatic retry exists only with ``AIORateLimiter`` (extra ``rate-limiter``, i.e. aiolimiter,
  which is not installed here).
* 429 on getUpdates: the Updater's retry loop sleeps ``retry_after + 0.5`` s and polls again
  (logged, no error callback).  Other errors on getUpdates (500, 502, 409...) go to the polling
  error callback and polling resumes after 1 s, then 1.5x longer each time (max 30 s).
  401/404 end polling for good (InvalidToken).  A timed-out getUpdates is retried at once.
* A delayed reply beyond the bot's ``read_timeout`` raises ``telegram.error.TimedOut`` in the
  handler, although the server may have sent the message.
* PTB strips "Bad Request: " from descriptions and applies ``str.capitalize()``: Telegram's
  "Bad Request: can't parse entities: Unsupported start tag ..." arrives as
  ``BadRequest("Can't parse entities: unsupported start tag ...")`` and "BUTTON_DATA_INVALID" as
  "Button_data_invalid": match error texts case-insensitively.  400 -> BadRequest,
  403 -> Forbidden, 409 -> Conflict, 5xx -> NetworkError, 401/404 -> InvalidToken.
* Constructing ``RetryAfter`` itself emits PTBDeprecationWarning (PTB reads its own deprecated
  property), so every 429 produces one unless ``PTB_TIMEDELTA=true``.
* When PTB stops, its abandoned long poll is still parked here; the cleanup getUpdates ends it,
  so ``calls()`` shows a trailing getUpdates answered 409 "terminated by other getUpdates
  request" (as Telegram would).  Harmless.
* CommandHandler needs the ``bot_command`` entity at offset 0 that push_message adds.
* Throughput (2-core machine, shared with other work, echo bot, sequential processing): about
  530-620 updates/s with 3,000 updates queued at once, about 1.6-1.9 ms CPU per update for bot
  + server together; the server's part is about 0.15-0.2 ms per request; the bot is the
  bottleneck.  Updates pushed one at a time at 400/s: about 380/s, because each update then costs
  its own getUpdates round trip (about 2.7 ms CPU per update).  With ``latency=0.002`` a
  sequential bot is bound by the round trip (about 240/s).  With ``latency=0.05`` and
  ``concurrent_updates(32)`` PTB itself burns 5-7 ms CPU per update (httpcore's connection pool
  checks every pooled connection on each request: ``_assign_requests_to_connections`` /
  ``is_socket_readable``), about 150-200 updates/s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import html
import itertools
import json
import logging
import re
import socket
import socketserver
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP as HTTP_POLICY
from http import HTTPStatus
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

__all__ = ["ApiError", "Call", "FakeTelegram", "Upload", "polling_app"]

log = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_CAPTION = 1024
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
# Parameters whose form values are plain strings even when they look like JSON ("123", "true").
STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "url",
        "action",
        "description",
        "short_description",
        "name",
        "title",
        "inline_message_id",
        "emoji",
        "query",
        "secret_token",
        "ip_address",
        "language_code",
        "data",
        "file_id",
        "business_connection_id",
        "message_effect_id",
        "first_name",
        "last_name",
        "phone_number",
        "address",
        "vcard",
        "photo",
        "document",
        "voice",
        "audio",
        "video",
        "animation",
        "sticker",
        "thumbnail",
        "custom_title",
        "question",
        "explanation",
        "foursquare_id",
        "foursquare_type",
        "google_place_id",
        "google_place_type",
    }
)
INLINE_BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_BOT_PATH = re.compile(r"^/bot([^/]*)/([A-Za-z_]+)/?$")
_FILE_PATH = re.compile(r"^/file/bot([^/]*)/(.+)$")


# --------------------------------------------------------------------------------------------
# Records and errors


class ApiError(Exception):
    """An error answer: ``{"ok": false, "error_code": status, "description": ...}``."""

    def __init__(self, status: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


@dataclass
class Upload:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str | None
    data: bytes

    def __repr__(self) -> str:
        return f"Upload({self.filename!r}, {self.content_type!r}, {len(self.data)} bytes)"


@dataclass
class Call:
    """One recorded Bot API request (recorded when the answer is known)."""

    index: int
    method: str
    params: dict[str, Any]
    time: float  # time.monotonic() at arrival
    token: str
    status: int = 200
    result: Any = None  # the "result" returned on success
    error: str | None = None  # the description on failure
    duration: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")

    @property
    def text(self) -> str | None:
        """The raw ``text`` (or ``caption``) parameter as the bot sent it, markup included."""
        value = self.params.get("text")
        return value if value is not None else self.params.get("caption")

    @property
    def parse_mode(self) -> str | None:
        return self.params.get("parse_mode")

    @property
    def reply_markup(self) -> dict | None:
        return self.params.get("reply_markup")

    @property
    def message(self) -> dict | None:
        """The Message object returned to the bot, if the result is one."""
        return self.result if isinstance(self.result, dict) and "message_id" in self.result else None

    @property
    def message_id(self) -> int | None:
        msg = self.message
        return msg["message_id"] if msg else self.params.get("message_id")

    def buttons(self) -> list[list[dict]]:
        """Inline (or reply) keyboard rows sent with this call, [] if none."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [[b if isinstance(b, dict) else {"text": b} for b in row] for row in rows]

    def to_dict(self) -> dict[str, Any]:
        params = {k: (repr(v) if isinstance(v, Upload) else v) for k, v in self.params.items()}
        return {
            "index": self.index,
            "method": self.method,
            "params": params,
            "time": self.time,
            "status": self.status,
            "result": self.result,
            "error": self.error,
            "duration": self.duration,
        }

    def summary(self) -> str:
        parts = [f"#{self.index} {self.method}"]
        if self.method == "getUpdates" and self.ok:
            parts.append(f"({len(self.result or [])} updates)")
        for key in ("chat_id", "message_id", "callback_query_id", "action"):
            if key in self.params:
                parts.append(f"{key}={self.params[key]!r}")
        if self.text is not None:
            text = self.text if len(self.text) <= 60 else self.text[:57] + "..."
            parts.append(f"text={text!r}")
        if not self.ok:
            parts.append(f"-> {self.status} {self.error}")
        return " ".join(parts)


@dataclass
class _Fault:
    status: int = 0
    retry_after: int | None = None
    description: str | None = None
    delay: float = 0.0
    body: bytes | None = None
    content_type: str = "application/json"


@dataclass
class _AsyncWaiter:
    loop: asyncio.AbstractEventLoop
    event: asyncio.Event = field(default_factory=asyncio.Event)


# --------------------------------------------------------------------------------------------
# Text helpers: UTF-16 lengths, entity parsing like Telegram's


def utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class _MarkupError(Exception):
    pass


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


_HTML_TAGS = {
    "a": "text_link",
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "tg-emoji": "custom_emoji",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_HTML_ENTITY = re.compile(r"&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot);")


class _TextBuilder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.u16 = 0
        self.entities: list[dict] = []

    def add(self, chunk: str) -> None:
        self.parts.append(chunk)
        self.u16 += utf16_len(chunk)

    def entity(self, etype: str, start: int, **extra: Any) -> None:
        if self.u16 > start:
            self.entities.append({"type": etype, "offset": start, "length": self.u16 - start, **extra})

    def result(self) -> tuple[str, list[dict]]:
        return "".join(self.parts), self.entities


def parse_html(text: str) -> tuple[str, list[dict]]:
    """Telegram's HTML parse mode: returns (plain text, entities) or raises _MarkupError."""
    out = _TextBuilder()
    stack: list[tuple[str, dict, int]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "&":
            m = _HTML_ENTITY.match(text, i)
            if m:
                code = m.group(1)
                if code.startswith("#x"):
                    value = chr(min(int(code[2:], 16), 0x10FFFF))
                elif code.startswith("#"):
                    value = chr(min(int(code[1:]), 0x10FFFF))
                else:
                    value = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}[code]
                out.add(value)
                i = m.end()
                continue
        if c != "<":
            j = i + 1
            while j < n and text[j] not in "<&":
                j += 1
            out.add(text[i:j])
            i = j
            continue
        begin = i
        i += 1
        if i < n and text[i] == "/":
            if not stack:
                raise _MarkupError(f"Unexpected end tag at byte offset {_byte_offset(text, begin)}")
            j = i + 1
            while j < n and not text[j].isspace() and text[j] != ">":
                j += 1
            end_name = text[i + 1 : j].lower()
            while j < n and text[j].isspace():
                j += 1
            if j >= n or text[j] != ">":
                raise _MarkupError(f"Unclosed end tag at byte offset {_byte_offset(text, begin)}")
            tag, attrs, start = stack.pop()
            if end_name and end_name != tag:
                raise _MarkupError(
                    f"Unmatched end tag at byte offset {_byte_offset(text, begin)}, "
                    f'expected "</{tag}>", found "</{end_name}>"'
                )
            i = j + 1
            etype = _HTML_TAGS[tag]
            if etype == "text_link":
                href = attrs.get("href", "")
                m = re.match(r"tg://user\?id=(\d+)$", href)
                if m:
                    out.entity(
                        "text_mention", start, user={"id": int(m.group(1)), "is_bot": False, "first_name": ""}
                    )
                elif href:
                    out.entity("text_link", start, url=href)
            elif etype == "custom_emoji":
                out.entity("custom_emoji", start, custom_emoji_id=attrs.get("emoji-id", ""))
            elif etype == "blockquote" and "expandable" in attrs:
                out.entity("expandable_blockquote", start)
            elif etype == "pre" and attrs.get("_language"):
                out.entity("pre", start, language=attrs["_language"])
            else:
                out.entity(etype, start)
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] != ">":
            j += 1
        if j >= n:
            raise _MarkupError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
        name = text[i:j].lower()
        if name not in _HTML_TAGS:
            raise _MarkupError(f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, begin)}')
        attrs: dict[str, str] = {}
        while True:
            while j < n and text[j].isspace():
                j += 1
            if j >= n:
                raise _MarkupError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
            if text[j] == ">":
                j += 1
                break
            k = j
            while k < n and not text[k].isspace() and text[k] not in "=>":
                k += 1
            attr = text[j:k].lower()
            while k < n and text[k].isspace():
                k += 1
            if k >= n or text[k] != "=":
                if attr == "expandable" and name == "blockquote":
                    attrs[attr] = ""
                    j = k
                    continue
                raise _MarkupError(
                    f'Expected equal sign in declaration of an attribute of the tag "{name}" '
                    f"at byte offset {_byte_offset(text, begin)}"
                )
            k += 1
            while k < n and text[k].isspace():
                k += 1
            if k >= n:
                raise _MarkupError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
            if text[k] in "'\"":
                end = text.find(text[k], k + 1)
                if end < 0:
                    raise _MarkupError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
                attrs[attr] = html.unescape(text[k + 1 : end])
                j = end + 1
            else:
                end = k
                while end < n and not text[end].isspace() and text[end] != ">":
                    end += 1
                attrs[attr] = text[k:end]
                j = end
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise _MarkupError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {_byte_offset(text, begin)}'
            )
        if name == "code" and stack and stack[-1][0] == "pre":
            lang = attrs.get("class", "")
            if lang.startswith("language-"):
                stack[-1][1]["_language"] = lang[len("language-") :]
        stack.append((name, attrs, out.u16))
        i = j
    if stack:
        raise _MarkupError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return out.result()


_MDV2_RESERVED = "_*[]()~`>#+-=|{}.!"
_MDV2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


def parse_markdown_v2(text: str) -> tuple[str, list[dict]]:
    """Telegram's MarkdownV2 parse mode (as in tdlib): (plain text, entities) or _MarkupError."""
    out = _TextBuilder()
    stack: list[tuple[str, int, int, str]] = []  # type, u16 start, byte offset, argument
    i, n = 0, len(text)

    def reserved_error(ch: str) -> _MarkupError:
        return _MarkupError(f"Character '{ch}' is reserved and must be escaped with the preceding '\\'")

    while i < n:
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if c == "\\" and nxt and 0 < ord(nxt) <= 126:
            out.add(nxt)
            i += 2
            continue
        top = stack[-1][0] if stack else None
        reserved = "`" if top in ("code", "pre") else _MDV2_RESERVED
        if c not in reserved:
            out.add(c)
            i += 1
            continue
        if c == ">" and top is None and (i == 0 or text[i - 1] == "\n"):
            # block quotation line: ">text" (the entity itself is not modelled)
            i += 1
            continue
        is_end = False
        if top is not None:
            is_end = {
                "bold": c == "*",
                "italic": c == "_" and nxt != "_",
                "code": c == "`",
                "pre": text.startswith("```", i),
                "text_link": c == "]",
                "underline": text.startswith("__", i),
                "strikethrough": c == "~",
                "spoiler": text.startswith("||", i),
                "custom_emoji": c == "]",
            }[top]
        if not is_end:
            begin = i
            arg = ""
            if c == "_":
                if nxt == "_":
                    etype = "underline"
                    i += 1
                else:
                    etype = "italic"
            elif c == "*":
                etype = "bold"
            elif c == "~":
                etype = "strikethrough"
            elif c == "|":
                if nxt != "|":
                    raise reserved_error(c)
                etype = "spoiler"
                i += 1
            elif c == "[":
                etype = "text_link"
            elif c == "`":
                if text.startswith("```", i):
                    etype = "pre"
                    i += 3
                    lang_end = i
                    while lang_end < n and not text[lang_end].isspace() and text[lang_end] != "`":
                        lang_end += 1
                    if lang_end != i and lang_end < n and text[lang_end] != "`":
                        arg = text[i:lang_end]
                        i = lang_end
                    if i < n and text[i] == "\n":
                        i += 1
                    elif text.startswith("\r\n", i):
                        i += 2
                    i -= 1
                else:
                    etype = "code"
            elif c == "!":
                if nxt != "[":
                    raise reserved_error(c)
                etype = "custom_emoji"
                i += 1
            else:
                raise reserved_error(c)
            stack.append((etype, out.u16, _byte_offset(text, begin), arg))
            i += 1
            continue
        etype, start, _, arg = stack.pop()
        if etype in ("underline", "spoiler"):
            i += 1
        elif etype == "pre":
            i += 2
        i += 1
        extra: dict[str, Any] = {}
        if etype in ("text_link", "custom_emoji"):
            url = ""
            if i < n and text[i] == "(":
                url_begin = i
                i += 1
                chars = []
                while i < n and text[i] != ")":
                    if text[i] == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
                        chars.append(text[i + 1])
                        i += 2
                    else:
                        chars.append(text[i])
                        i += 1
                if i >= n:
                    raise _MarkupError(
                        f"Can't find end of a URL at byte offset {_byte_offset(text, url_begin)}"
                    )
                i += 1
                url = "".join(chars)
            if etype == "custom_emoji":
                extra["custom_emoji_id"] = url.removeprefix("tg://emoji?id=")
            elif url:
                extra["url"] = url
            else:
                continue  # "[text]" without a URL is not a link
        elif etype == "pre" and arg:
            extra["language"] = arg
        out.entity(etype, start, **extra)
    if stack:
        etype, _, byte_off, _ = stack[-1]
        raise _MarkupError(f"Can't find end of {_MDV2_NAMES[etype]} entity at byte offset {byte_off}")
    return out.result()


def parse_markdown(text: str) -> tuple[str, list[dict]]:
    """Telegram's legacy Markdown parse mode."""
    out = _TextBuilder()
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            out.add(text[i + 1])
            i += 2
            continue
        if c not in "_*`[":
            out.add(c)
            i += 1
            continue
        begin = i
        start = out.u16
        if text.startswith("```", i):
            end = text.find("```", i + 3)
            if end < 0:
                raise _MarkupError(
                    f"Can't find end of the entity starting at byte offset {_byte_offset(text, begin)}"
                )
            out.add(text[i + 3 : end])
            out.entity("pre", start)
            i = end + 3
            continue
        end_char = "]" if c == "[" else c
        end = text.find(end_char, i + 1)
        if end < 0:
            raise _MarkupError(
                f"Can't find end of the entity starting at byte offset {_byte_offset(text, begin)}"
            )
        out.add(text[i + 1 : end])
        i = end + 1
        if c == "[":
            if i < n and text[i] == "(":
                close = text.find(")", i)
                if close >= 0:
                    url = text[i + 1 : close]
                    i = close + 1
                    if url:
                        out.entity("text_link", start, url=url)
            continue
        out.entity({"_": "italic", "*": "bold", "`": "code"}[c], start)
    return out.result()


def _trim(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Telegram trims leading and trailing whitespace of message texts and captions."""
    stripped = text.lstrip(" \t\r\n")
    lead = utf16_len(text[: len(text) - len(stripped)])
    stripped = stripped.rstrip(" \t\r\n")
    total = utf16_len(stripped)
    fixed = []
    for ent in entities:
        begin = max(ent["offset"] - lead, 0)
        end = min(ent["offset"] + ent["length"] - lead, total)
        if end > begin:
            fixed.append({**ent, "offset": begin, "length": end - begin})
    fixed.sort(key=lambda e: (e["offset"], -e["length"]))
    return stripped, fixed


def command_entities(text: str) -> list[dict]:
    """The entities Telegram adds to a user's text: a bot_command at offset 0 for '/cmd...'."""
    if not text.startswith("/"):
        return []
    token = re.match(r"/[^\s]*", text).group(0)
    if len(token) < 2:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(token)}]


# --------------------------------------------------------------------------------------------
# HTTP plumbing


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, fake: FakeTelegram, address: tuple[str, int]):
        self.fake = fake
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError) or self.fake._stopping.is_set():
            return
        log.exception("fake_telegram: error while handling a request from %s", client_address)


class _Handler(socketserver.StreamRequestHandler):
    """A lean HTTP/1.1 keep-alive handler (http.server's header parsing costs more than the fake)."""

    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.fake._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._track(self.connection, add=False)

    def handle(self) -> None:
        fake = self.server.fake
        rfile = self.rfile
        while not fake._stopping.is_set():
            line = rfile.readline(65537)
            if not line:
                return
            if line in (b"\r\n", b"\n"):
                continue
            parts = line.decode("latin-1").split()
            if len(parts) != 3 or not parts[2].startswith("HTTP/"):
                self._respond(*_json_error(400, "Bad Request: malformed HTTP request"), keep_alive=False)
                return
            verb, target, version = parts
            headers: dict[str, str] = {}
            while True:
                header = rfile.readline(65537)
                if header in (b"\r\n", b"\n", b""):
                    break
                name, _, value = header.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = self._read_body(headers)
            connection = headers.get("connection", "").lower()
            keep_alive = connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
            status, payload, ctype = fake._handle_http(verb, target, headers.get("content-type", ""), body)
            self._respond(status, payload, ctype, keep_alive=keep_alive)
            if not keep_alive:
                return

    def _read_body(self, headers: dict[str, str]) -> bytes:
        rfile = self.rfile
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(rfile.read(size))
                rfile.readline()
        length = int(headers.get("content-length") or 0)
        return rfile.read(length) if length else b""

    def _respond(self, status: int, payload: bytes, ctype: str, *, keep_alive: bool) -> None:
        head = (
            f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
            "Server: FakeTelegram/1.0\r\n"
            f"Content-Type: {ctype}\r\n"
            f"Content-Length: {len(payload)}\r\n"
            f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n"
            "\r\n"
        ).encode("latin-1")
        self.wfile.write(head + payload)


def _decode_value(key: str, value: str) -> Any:
    if key in STRING_PARAMS:
        return value
    if value[:1] in '{["-0123456789tfn':
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _parse_params(query: str, content_type: str, body: bytes) -> dict[str, Any]:
    params: dict[str, Any] = {k: _decode_value(k, v) for k, v in parse_qsl(query, keep_blank_values=True)}
    ctype = content_type.split(";")[0].strip().lower()
    if not body:
        return params
    if ctype == "application/json":
        data = json.loads(body.decode("utf-8"))
        if not isinstance(data, dict):
            raise ApiError(400, "Bad Request: JSON object expected")
        params.update(data)
    elif ctype == "multipart/form-data":
        msg = BytesParser(policy=HTTP_POLICY).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
        )
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not name:
                continue
            data = part.get_payload(decode=True) or b""
            filename = part.get_filename()
            if filename is not None:
                params[name] = Upload(filename, part.get_content_type(), data)
            else:
                params[name] = _decode_value(name, data.decode("utf-8"))
    else:  # form-urlencoded (also the default when no content type is sent)
        for k, v in parse_qsl(body.decode("utf-8"), keep_blank_values=True):
            params[k] = _decode_value(k, v)
    return params


def _as_int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, f"Bad Request: invalid {name} specified") from None


# --------------------------------------------------------------------------------------------
# The fake


class FakeTelegram:
    """Fake Bot API server; see the module docstring."""

    MESSAGES_KEPT_PER_CHAT = 2000

    def __init__(
        self,
        *,
        token: str | None = None,
        bot_id: int | None = None,
        bot_username: str = "citizen_test_bot",
        bot_first_name: str = "政务服务助手",
        port: int = 0,
        latency: float = 0.0,
        validate: bool = True,
        record: bool = True,
        first_update_id: int = 100_000,
    ):
        self.token = token
        if bot_id is None:
            prefix = (token or "").split(":", 1)[0]
            bot_id = int(prefix) if prefix.isdigit() else 7_000_000_001
        self.bot_user = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.latency = latency
        self.validate = validate
        self.record = record
        self._requested_port = port
        self._lock = threading.RLock()
        self._updates_cond = threading.Condition(self._lock)
        self._calls_cond = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._conns: set[socket.socket] = set()
        self._async_waiters: list[_AsyncWaiter] = []
        self._ids = itertools.count(1)
        self._methods: dict[str, Callable[[dict], Any]] = {}
        for attr in dir(self):
            if attr.startswith("_m_"):
                name = attr[3:]
                self._methods[name.lower()] = getattr(self, attr)
        self._first_update_id = first_update_id
        self._reset_state()

    # ---------------------------------------------------------------- lifecycle

    def _reset_state(self) -> None:
        with self._lock:
            self._calls: list[Call] = []
            self._calls_base = 0  # index of self._calls[0]
            self._counts: dict[str, int] = {}
            self._updates: deque[dict] = deque()
            self._last_update_id = self._first_update_id
            self._allowed_updates: list[str] | None = None
            self._poll_generation = 0
            self._faults: dict[str, deque[_Fault]] = {}
            self._delays: dict[str, deque[float]] = {}
            #: chat id -> seconds every call addressed to it waits before it is answered
            self._slow_chats: dict[int, float] = {}
            self._messages: dict[int, dict[int, dict]] = {}
            self._deleted: set[tuple[int, int]] = set()
            self._next_message_id: dict[int, int] = {}
            self._chats: dict[int, dict] = {}
            self._users: dict[int, dict] = {}
            self._callbacks: dict[str, bool] = {}  # id -> answered
            self._files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, data)
            self._blocked: set[int] = set()
            self._held: set[str] = set()
            self._holding = 0  # calls parked by hold() right now
            self._release = threading.Event()
            self._drop_held = True
            #: the highest getUpdates offset seen: updates below it are confirmed (dropped)
            self.confirmed_offset: int | None = None
            self._members: dict[tuple[int, int], str] = {}
            self._commands: dict[str, list[dict]] = {}
            self.webhook: dict[str, Any] = {}
            self.closed = False

    def reset(self) -> None:
        """Forget calls, queued updates, faults, messages and settings (the server keeps running)."""
        with self._lock:
            generation = self._poll_generation
            self._reset_state()
            self._poll_generation = generation  # a parked poll must not end with 409
            self._updates_cond.notify_all()

    def start(self) -> FakeTelegram:
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server(self, ("127.0.0.1", self._requested_port))
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"FakeTelegram:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        """Stop serving: wakes parked long polls, closes connections; returns within ``timeout``."""
        server = self._server
        if server is None:
            return
        self._stopping.set()
        with self._lock:
            self._updates_cond.notify_all()
            self._calls_cond.notify_all()
        server.shutdown()
        server.server_close()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._conns:
                    break
            time.sleep(0.01)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> FakeTelegram:
        return self.start()

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self.stop)

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeTelegram is not started")
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``: PTB appends ``<token>/<method>``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._conns.add(conn)
            else:
                self._conns.discard(conn)

    # ---------------------------------------------------------------- configuration & faults

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int = 1,
        count: int = 1,
        *,
        description: str | None = None,
        parameters: dict | None = None,
    ) -> None:
        """Answer the next ``count`` calls of ``method`` ("*" = any) with an error.

        429 -> ``{"ok":false,"error_code":429,"description":"Too Many Requests: retry after N",
        "parameters":{"retry_after":N}}``; 502 -> an nginx HTML page; others -> JSON with
        ``description`` (default: a Telegram-like text for the status).
        """
        fault = _Fault(status=status, description=description)
        if status == 429:
            fault.retry_after = retry_after
            fault.description = description or f"Too Many Requests: retry after {retry_after}"
            params = {"retry_after": retry_after, **(parameters or {})}
        else:
            params = parameters
        if status == 502 and description is None:
            fault.body = (
                b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
                b"</body>\r\n</html>\r\n"
            )
            fault.content_type = "text/html"
        else:
            desc = fault.description or {
                400: "Bad Request",
                401: "Unauthorized",
                403: "Forbidden: bot was blocked by the user",
                404: "Not Found",
                409: "Conflict: terminated by other getUpdates request; make sure that only one bot "
                "instance is running",
                500: "Internal Server Error",
            }.get(status, HTTPStatus(status).phrase)
            body: dict[str, Any] = {"ok": False, "error_code": status, "description": desc}
            if params:
                body["parameters"] = params
            fault.body = json.dumps(body).encode()
            fault.description = desc
        key = self._fault_key(method)
        with self._lock:
            queue = self._faults.setdefault(key, deque())
            queue.extend(_Fault(**vars(fault)) for _ in range(count))

    def delay_next(self, method: str, seconds: float, count: int = 1) -> None:
        """Hold the next ``count`` answers of ``method`` ("*" = any) for ``seconds``, then answer normally."""
        key = self._fault_key(method)
        with self._lock:
            self._delays.setdefault(key, deque()).extend([float(seconds)] * count)

    def slow_chat(self, chat_id: int, seconds: float) -> None:
        """Answer every call addressed to ``chat_id`` only after ``seconds`` (0: no longer):
        a busy group whose sends take long, while other chats are served at once."""
        with self._lock:
            if seconds > 0:
                self._slow_chats[int(chat_id)] = float(seconds)
            else:
                self._slow_chats.pop(int(chat_id), None)

    def hold(self, method: str) -> None:
        """Park every following call of ``method`` ("*" = any) without carrying it out, until
        ``release()``: a send that never returns, e.g. while the bot is killed."""
        key = self._fault_key(method)
        with self._lock:
            self._held.add(key)
            self._release.clear()

    def release(self, *, drop: bool = True) -> None:
        """Let the held calls go: ``drop`` answers them 502 without carrying them out (the
        client is gone); otherwise they are carried out normally. Later calls are not held."""
        with self._lock:
            self._held.clear()
            self._drop_held = drop
            self._release.set()

    def holding(self) -> int:
        """How many calls are parked by ``hold`` right now."""
        with self._lock:
            return self._holding

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()
            self._delays.clear()
            self._slow_chats.clear()

    def _fault_key(self, method: str) -> str:
        if method == "*":
            return "*"
        fn = self._methods.get(method.lower())
        return fn.__name__[3:] if fn else method

    def block_user(self, chat_id: int) -> None:
        """Sends to ``chat_id`` now fail with 403 "Forbidden: bot was blocked by the user"."""
        with self._lock:
            self._blocked.add(int(chat_id))

    def unblock_user(self, chat_id: int) -> None:
        with self._lock:
            self._blocked.discard(int(chat_id))

    def set_chat_member(self, chat_id: int, user_id: int, status: str = "member") -> None:
        """Status getChatMember reports: creator, administrator, member, restricted, left, kicked."""
        with self._lock:
            self._members[(int(chat_id), int(user_id))] = status

    # ---------------------------------------------------------------- recorded calls

    def calls(self, method: str | None = None, *, since: int = 0) -> list[Call]:
        with self._lock:
            start = max(since - self._calls_base, 0)
            return [c for c in self._calls[start:] if method is None or c.method == method]

    def sent_messages(self, chat_id: int | None = None, *, since: int = 0) -> list[Call]:
        """Successful sendMessage calls (``.text``, ``.reply_markup``, ``.message``...)."""
        return [
            c
            for c in self.calls("sendMessage", since=since)
            if c.ok and (chat_id is None or c.message["chat"]["id"] == chat_id)
        ]

    def texts(self, chat_id: int | None = None, *, since: int = 0) -> list[str]:
        return [c.text for c in self.sent_messages(chat_id, since=since)]

    def count(self, method: str | None = None) -> int:
        """How many calls (of ``method``) were answered; counted even with ``record=False``."""
        with self._lock:
            if method is None:
                return sum(self._counts.values())
            return self._counts.get(method, 0)

    def mark(self) -> int:
        """The index the next recorded call will get: pass as ``since=`` to ignore older calls."""
        with self._lock:
            return self._calls_base + len(self._calls)

    def take_calls(self, *, since: int = 0) -> tuple[list[Call], int]:
        """The calls from ``since`` on and the mark after them, forgetting every recorded call
        in the same step: a long run's record stays small and no call slips between reading
        and clearing (``calls`` then ``clear_calls`` can lose one answered in between)."""
        with self._lock:
            start = max(since - self._calls_base, 0)
            taken = self._calls[start:]
            self._calls_base += len(self._calls)
            self._calls = []
            return taken, self._calls_base

    def clear_calls(self) -> None:
        with self._lock:
            self._calls_base += len(self._calls)
            self._calls = []

    @property
    def pending_update_count(self) -> int:
        """Updates queued and not yet confirmed by an ``offset``."""
        with self._lock:
            return len(self._updates)

    def message(self, chat_id: int, message_id: int) -> dict | None:
        """A stored message (as it is now, after edits), or None."""
        with self._lock:
            return self._messages.get(int(chat_id), {}).get(int(message_id))

    def _matcher(
        self, predicate: Callable[[Call], bool] | None, method: str | None
    ) -> Callable[[Call], bool]:
        def match(call: Call) -> bool:
            if method is not None and call.method != method:
                return False
            return predicate is None or bool(predicate(call))

        return match

    def _scan(self, match: Callable[[Call], bool], since: int) -> tuple[Call | None, int]:
        start = max(since - self._calls_base, 0)
        for call in self._calls[start:]:
            if match(call):
                return call, call.index + 1
        return None, self._calls_base + len(self._calls)

    def _timeout_error(self, what: str, timeout: float, since: int) -> TimeoutError:
        recent = self.calls(since=since)
        lines = [c.summary() for c in recent[-25:]]
        more = f" (last 25 of {len(recent)})" if len(recent) > 25 else ""
        with self._lock:
            pending = len(self._updates)
        return TimeoutError(
            f"FakeTelegram: no call matching {what} within {timeout:g}s; "
            f"{len(recent)} calls recorded since #{since}{more}; {pending} updates still queued:\n  "
            + ("\n  ".join(lines) or "(none)")
        )

    def wait_for(
        self,
        predicate: Callable[[Call], bool] | None = None,
        *,
        method: str | None = None,
        timeout: float = 15.0,
        since: int = 0,
    ) -> Call:
        """Block until a recorded call (index >= ``since``) matches; return the first such call.

        Do not call this from the event loop that runs the bot (it would block it): use
        ``await wait_for_async(...)`` there.
        """
        _refuse_in_running_loop("wait_for")
        match = self._matcher(predicate, method)
        deadline = time.monotonic() + timeout
        with self._lock:
            cursor = since
            while True:
                found, cursor = self._scan(match, cursor)
                if found is not None:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._calls_cond.wait(remaining)
        raise self._timeout_error(_describe(predicate, method), timeout, since)

    async def wait_for_async(
        self,
        predicate: Callable[[Call], bool] | None = None,
        *,
        method: str | None = None,
        timeout: float = 15.0,
        since: int = 0,
    ) -> Call:
        """Like ``wait_for`` but awaits, so the bot can run in the same loop."""
        match = self._matcher(predicate, method)
        waiter = _AsyncWaiter(asyncio.get_running_loop())
        deadline = time.monotonic() + timeout
        cursor = since
        with self._lock:
            self._async_waiters.append(waiter)
        try:
            while True:
                with self._lock:
                    waiter.event.clear()
                    found, cursor = self._scan(match, cursor)
                if found is not None:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(waiter.event.wait(), remaining)
        finally:
            with self._lock:
                self._async_waiters.remove(waiter)
        raise self._timeout_error(_describe(predicate, method), timeout, since)

    @staticmethod
    def _message_matcher(chat_id: int | None, contains: str | None, methods: Iterable[str]) -> Callable:
        methods = frozenset(methods)

        def match(call: Call) -> bool:
            if call.method not in methods or not call.ok:
                return False
            msg = call.message
            if chat_id is not None and (msg is None or msg["chat"]["id"] != chat_id):
                return False
            return contains is None or contains in (call.text or "")

        match.__doc__ = f"successful {'/'.join(sorted(methods))} chat_id={chat_id} contains={contains!r}"
        return match

    def wait_for_message(
        self,
        chat_id: int | None = None,
        *,
        contains: str | None = None,
        timeout: float = 15.0,
        since: int = 0,
        methods: Iterable[str] = ("sendMessage",),
    ) -> Call:
        """Wait for a successful sendMessage (to ``chat_id``, whose text contains ``contains``)."""
        return self.wait_for(self._message_matcher(chat_id, contains, methods), timeout=timeout, since=since)

    async def wait_for_message_async(
        self,
        chat_id: int | None = None,
        *,
        contains: str | None = None,
        timeout: float = 15.0,
        since: int = 0,
        methods: Iterable[str] = ("sendMessage",),
    ) -> Call:
        return await self.wait_for_async(
            self._message_matcher(chat_id, contains, methods), timeout=timeout, since=since
        )

    def wait_until_consumed(self, timeout: float = 5.0) -> None:
        """Block until every queued update was confirmed by the bot (needs its next getUpdates)."""
        _refuse_in_running_loop("wait_until_consumed")
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._updates:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"FakeTelegram: {len(self._updates)} updates not consumed in {timeout:g}s"
                    )
                self._calls_cond.wait(remaining)

    def _record(self, call: Call) -> None:
        with self._lock:
            self._counts[call.method] = self._counts.get(call.method, 0) + 1
            call.index = self._calls_base + len(self._calls)
            if self.record:
                self._calls.append(call)
            else:
                self._calls_base += 1
            self._calls_cond.notify_all()
            waiters = list(self._async_waiters)
        for waiter in waiters:
            with contextlib.suppress(RuntimeError):  # loop closed
                waiter.loop.call_soon_threadsafe(waiter.event.set)

    # ---------------------------------------------------------------- users, chats, messages

    def _user(self, user_id: int, first_name: str | None = None, **extra: Any) -> dict:
        user = self._users.get(user_id)
        if user is None:
            user = {
                "id": user_id,
                "is_bot": False,
                "first_name": first_name or f"User{user_id}",
                "language_code": "zh-hans",
            }
            self._users[user_id] = user
        elif first_name:
            user["first_name"] = first_name
        for key, value in extra.items():
            if value is not None:
                user[key] = value
        return dict(user)

    def _chat(
        self,
        chat_id: int,
        chat_type: str | None = None,
        *,
        title: str | None = None,
        user: dict | None = None,
    ) -> dict:
        chat = self._chats.get(chat_id)
        if chat is None or (chat_type and chat["type"] != chat_type):
            if chat_type is None:
                chat_type = "private" if chat_id > 0 else "supergroup"
            if chat_type == "private":
                if chat_id <= 0:
                    raise ValueError(f"a private chat needs a positive id, got {chat_id}")
                src = user or self._users.get(chat_id) or {"first_name": f"User{chat_id}"}
                chat = {"id": chat_id, "type": "private", "first_name": src["first_name"]}
                for key in ("last_name", "username"):
                    if src.get(key):
                        chat[key] = src[key]
            elif chat_type in ("group", "supergroup", "channel"):
                if chat_id >= 0:
                    raise ValueError(f"a {chat_type} chat needs a negative id, got {chat_id}")
                chat = {"id": chat_id, "type": chat_type, "title": title or f"Test {chat_type} {-chat_id}"}
            else:
                raise ValueError(f"unknown chat type {chat_type!r}")
            self._chats[chat_id] = chat
        elif title and chat["type"] != "private":
            chat["title"] = title
        return dict(chat)

    def _new_message_id(self, chat_id: int, wanted: int | None = None) -> int:
        current = self._next_message_id.get(chat_id, 1)
        if wanted is not None:
            self._next_message_id[chat_id] = max(current, wanted + 1)
            return wanted
        self._next_message_id[chat_id] = current + 1
        return current

    def _store(self, msg: dict) -> None:
        chat_id = msg["chat"]["id"]
        store = self._messages.setdefault(chat_id, {})
        store[msg["message_id"]] = msg
        if len(store) > self.MESSAGES_KEPT_PER_CHAT:
            del store[next(iter(store))]

    def _reply_stub(self, chat_id: int, message_id: int | None) -> dict | None:
        if message_id is None:
            return None
        msg = self._messages.get(chat_id, {}).get(message_id)
        if msg is None:
            return None
        return {k: v for k, v in msg.items() if k != "reply_to_message"}

    def _user_message(
        self,
        chat_id: int,
        user_id: int,
        *,
        chat_type: str,
        first_name: str | None,
        last_name: str | None = None,
        username: str | None = None,
        title: str | None = None,
        message_id: int | None = None,
        reply_to_message_id: int | None = None,
        date: int | None = None,
    ) -> dict:
        user = self._user(user_id, first_name, last_name=last_name, username=username)
        chat = self._chat(chat_id, chat_type, title=title, user=user)
        msg: dict[str, Any] = {
            "message_id": self._new_message_id(chat_id, message_id),
            "from": user,
            "chat": chat,
            "date": date or int(time.time()),
        }
        reply = self._reply_stub(chat_id, reply_to_message_id)
        if reply_to_message_id is not None:
            msg["reply_to_message"] = reply or {
                "message_id": reply_to_message_id,
                "chat": chat,
                "date": msg["date"],
            }
        return msg

    def _new_file(self, kind: str, data: bytes, ext: str) -> tuple[str, str]:
        n = next(self._ids)
        file_id = f"FAKE-{kind}-{n}-" + "A" * 20
        self._files[file_id] = (f"{kind}s/file_{n}.{ext}", data)
        return file_id, f"UQ{kind[:2]}{n}"

    # ---------------------------------------------------------------- update injection

    def push_update(self, update: dict) -> dict:
        """Queue a raw update; ``update_id`` is assigned unless present.  Returns the update."""
        upd = dict(update)
        with self._lock:
            if "update_id" in upd:
                self._last_update_id = max(self._last_update_id, int(upd["update_id"]))
            else:
                self._last_update_id += 1
                upd = {"update_id": self._last_update_id, **upd}
            for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
                msg = upd.get(key)
                if isinstance(msg, dict) and "chat" in msg and "message_id" in msg:
                    self._chats.setdefault(msg["chat"]["id"], dict(msg["chat"]))
                    self._new_message_id(msg["chat"]["id"], msg["message_id"])
                    self._store(msg)
            cq = upd.get("callback_query")
            if isinstance(cq, dict) and "id" in cq:
                self._callbacks[str(cq["id"])] = False
            self._updates.append(upd)
            self._updates_cond.notify_all()
        return upd

    def push_message(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        chat_type: str = "private",
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        title: str | None = None,
        reply_to_message_id: int | None = None,
        message_id: int | None = None,
        entities: list[dict] | None = None,
    ) -> dict:
        """A user's text message; '/cmd' texts get the ``bot_command`` entity at offset 0."""
        with self._lock:
            msg = self._user_message(
                chat_id,
                user_id,
                chat_type=chat_type,
                first_name=first_name,
                last_name=last_name,
                username=username,
                title=title,
                message_id=message_id,
                reply_to_message_id=reply_to_message_id,
            )
            msg["text"] = text
            ents = command_entities(text) if entities is None else entities
            if ents:
                msg["entities"] = ents
            return self.push_update({"message": msg})

    def push_edited_message(
        self,
        chat_id: int,
        user_id: int,
        message_id: int,
        text: str,
        *,
        chat_type: str = "private",
        first_name: str | None = None,
    ) -> dict:
        """The user edited an earlier message (``edited_message`` update)."""
        with self._lock:
            old = self._messages.get(chat_id, {}).get(message_id)
            if old is None:
                msg = self._user_message(
                    chat_id, user_id, chat_type=chat_type, first_name=first_name, message_id=message_id
                )
            else:
                msg = dict(old)
            msg["text"] = text
            msg.pop("entities", None)
            if command_entities(text):
                msg["entities"] = command_entities(text)
            msg["edit_date"] = max(int(time.time()), msg["date"])
            return self.push_update({"edited_message": msg})

    def push_callback(
        self,
        chat_id: int,
        user_id: int,
        data: str,
        message_id: int | None = None,
        *,
        chat_type: str = "private",
        first_name: str | None = None,
    ) -> dict:
        """A press on an inline button of the bot's message ``message_id`` (default: the bot's
        latest message in the chat that has an inline keyboard)."""
        with self._lock:
            user = self._user(user_id, first_name)
            chat = self._chat(chat_id, chat_type, user=user)
            store = self._messages.get(chat_id, {})
            if message_id is None:
                for msg in reversed(store.values()):
                    if msg.get("from", {}).get("id") == self.bot_user["id"] and "reply_markup" in msg:
                        message_id = msg["message_id"]
                        break
                else:
                    raise ValueError(f"no bot message with an inline keyboard in chat {chat_id}")
            message = store.get(message_id) or {
                "message_id": message_id,
                "from": dict(self.bot_user),
                "chat": chat,
                "date": int(time.time()),
                "text": "…",
            }
            cq_id = str(4_000_000_000_000 + next(self._ids))
            return self.push_update(
                {
                    "callback_query": {
                        "id": cq_id,
                        "from": user,
                        "message": message,
                        "chat_instance": str(abs(hash((chat_id, self.bot_user["id"]))) % 10**18),
                        "data": data,
                    }
                }
            )

    def push_photo(
        self,
        chat_id: int,
        user_id: int,
        *,
        caption: str | None = None,
        content: bytes = b"\xff\xd8\xff\xe0fake-jpeg",
        width: int = 1280,
        height: int = 960,
        chat_type: str = "private",
        first_name: str | None = None,
    ) -> dict:
        with self._lock:
            msg = self._user_message(chat_id, user_id, chat_type=chat_type, first_name=first_name)
            longest = max(width, height)
            sizes = []
            for scale in sorted({s for s in (90, 320, 800) if s < longest} | {longest}):
                f = scale / longest
                file_id, unique = self._new_file("photo", content, "jpg")
                sizes.append(
                    {
                        "file_id": file_id,
                        "file_unique_id": unique,
                        "width": round(width * f),
                        "height": round(height * f),
                        "file_size": len(content),
                    }
                )
            msg["photo"] = sizes
            if caption is not None:
                msg["caption"] = caption
            return self.push_update({"message": msg})

    def push_sticker(
        self,
        chat_id: int,
        user_id: int,
        *,
        emoji: str = "👍",
        chat_type: str = "private",
        first_name: str | None = None,
    ) -> dict:
        with self._lock:
            msg = self._user_message(chat_id, user_id, chat_type=chat_type, first_name=first_name)
            file_id, unique = self._new_file("sticker", b"RIFFfake-webp", "webp")
            msg["sticker"] = {
                "file_id": file_id,
                "file_unique_id": unique,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": emoji,
                "set_name": "FakeStickers",
                "file_size": 13,
            }
            return self.push_update({"message": msg})

    def push_voice(
        self,
        chat_id: int,
        user_id: int,
        *,
        duration: int = 3,
        content: bytes = b"OggSfake-opus",
        mime_type: str = "audio/ogg",
        chat_type: str = "private",
        first_name: str | None = None,
    ) -> dict:
        with self._lock:
            msg = self._user_message(chat_id, user_id, chat_type=chat_type, first_name=first_name)
            file_id, unique = self._new_file("voice", content, "oga")
            msg["voice"] = {
                "file_id": file_id,
                "file_unique_id": unique,
                "duration": duration,
                "mime_type": mime_type,
                "file_size": len(content),
            }
            return self.push_update({"message": msg})

    def push_document(
        self,
        chat_id: int,
        user_id: int,
        *,
        file_name: str = "申请表.pdf",
        mime_type: str = "application/pdf",
        content: bytes = b"%PDF-1.4 fake",
        caption: str | None = None,
        chat_type: str = "private",
        first_name: str | None = None,
    ) -> dict:
        with self._lock:
            msg = self._user_message(chat_id, user_id, chat_type=chat_type, first_name=first_name)
            ext = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
            file_id, unique = self._new_file("document", content, ext)
            msg["document"] = {
                "file_id": file_id,
                "file_unique_id": unique,
                "file_name": file_name,
                "mime_type": mime_type,
                "file_size": len(content),
            }
            if caption is not None:
                msg["caption"] = caption
            return self.push_update({"message": msg})

    def push_contact(
        self,
        chat_id: int,
        user_id: int,
        phone_number: str,
        *,
        first_name: str | None = None,
        own: bool = True,
    ) -> dict:
        """A shared contact (own=True: the sender's own, as from a request_contact button)."""
        with self._lock:
            msg = self._user_message(chat_id, user_id, chat_type="private", first_name=first_name)
            contact = {"phone_number": phone_number, "first_name": msg["from"]["first_name"]}
            if own:
                contact["user_id"] = user_id
            msg["contact"] = contact
            return self.push_update({"message": msg})

    def push_location(
        self,
        chat_id: int,
        user_id: int,
        latitude: float,
        longitude: float,
        *,
        chat_type: str = "private",
        first_name: str | None = None,
    ) -> dict:
        with self._lock:
            msg = self._user_message(chat_id, user_id, chat_type=chat_type, first_name=first_name)
            msg["location"] = {"latitude": latitude, "longitude": longitude}
            return self.push_update({"message": msg})

    def push_channel_post(
        self, chat_id: int, text: str, *, title: str | None = None, message_id: int | None = None
    ) -> dict:
        """A post in a channel (negative id) where the bot is a member."""
        with self._lock:
            chat = self._chat(chat_id, "channel", title=title)
            msg = {
                "message_id": self._new_message_id(chat_id, message_id),
                "sender_chat": chat,
                "chat": chat,
                "date": int(time.time()),
                "text": text,
            }
            if command_entities(text):
                msg["entities"] = command_entities(text)
            return self.push_update({"channel_post": msg})

    # ---------------------------------------------------------------- HTTP entry point

    def _handle_http(self, verb: str, path: str, content_type: str, body: bytes) -> tuple[int, bytes, str]:
        split = urlsplit(path)
        if split.path.startswith("/file/"):
            return self._serve_file(split.path)
        if split.path == "/_fake/rpc" and verb == "POST":
            return self._rpc(body)
        m = _BOT_PATH.match(split.path)
        if not m:
            return _json_error(404, "Not Found")
        token, method_name = m.group(1), m.group(2)
        arrived = time.monotonic()
        if self.token is not None and token != self.token:
            return _json_error(401, "Unauthorized")
        try:
            params = _parse_params(split.query, content_type, body)
        except (ValueError, UnicodeDecodeError) as exc:
            return _json_error(400, f"Bad Request: can't parse request: {exc}")
        except ApiError as exc:
            return _json_error(exc.status, exc.description)
        fn = self._methods.get(method_name.lower())
        method = fn.__name__[3:] if fn else method_name
        call = Call(index=-1, method=method, params=params, time=arrived, token=token)
        status, payload, ctype = self._answer(fn, method, params, call)
        if self.latency:  # ... and the answer for the other half
            self._stopping.wait(self.latency / 2)
        call.duration = time.monotonic() - arrived
        self._record(call)
        return status, payload, ctype

    def _take(self, table: dict[str, deque], method: str) -> Any:
        with self._lock:
            for key in (method, "*"):
                queue = table.get(key)
                if queue:
                    return queue.popleft()
        return None

    def _answer(self, fn: Callable | None, method: str, params: dict, call: Call) -> tuple[int, bytes, str]:
        if self.latency:  # the request travels for half the round trip
            self._stopping.wait(self.latency / 2)
        with self._lock:
            held = bool(self._held) and (method in self._held or "*" in self._held)
            if held:
                self._holding += 1
        if held:
            while not self._release.wait(0.05) and not self._stopping.is_set():
                pass
            with self._lock:
                self._holding -= 1
                dropped = self._drop_held or self._stopping.is_set()
            if dropped:
                call.status, call.error = 502, "held and dropped"
                return 502, b"<html><body>502 Bad Gateway</body></html>", "text/html"
        delay = self._take(self._delays, method)
        if delay:
            self._stopping.wait(delay)
        with self._lock:
            slow = self._slow_chats.get(_chat_key(params.get("chat_id"))) if self._slow_chats else None
        if slow:
            self._stopping.wait(slow)
        fault = self._take(self._faults, method)
        if fault is not None:
            call.status = fault.status
            call.error = fault.description
            return fault.status, fault.body or b"", fault.content_type
        if fn is None:
            call.status, call.error = 400, "Bad Request: method not found"
            return _json_error(400, call.error)
        try:
            result = fn(params)
        except ApiError as exc:
            call.status, call.error = exc.status, exc.description
            return _json_error(exc.status, exc.description, exc.parameters)
        except Exception as exc:  # a bug here must not look like a Telegram answer
            log.exception("fake_telegram: %s failed", method)
            call.status, call.error = 500, f"Internal Server Error: fake failed: {exc!r}"
            return _json_error(500, call.error)
        call.result = result
        return (
            200,
            json.dumps({"ok": True, "result": result}, ensure_ascii=False).encode(),
            "application/json",
        )

    def _serve_file(self, path: str) -> tuple[int, bytes, str]:
        m = _FILE_PATH.match(path)
        if m and (self.token is None or m.group(1) == self.token):
            with self._lock:
                for file_path, data in self._files.values():
                    if file_path == m.group(2):
                        return 200, data, "application/octet-stream"
        return _json_error(404, "Not Found")

    _RPC_OPS = frozenset(
        {
            "push_update",
            "push_message",
            "push_edited_message",
            "push_callback",
            "push_photo",
            "push_sticker",
            "push_voice",
            "push_document",
            "push_contact",
            "push_location",
            "push_channel_post",
            "fail_next",
            "delay_next",
            "clear_faults",
            "block_user",
            "unblock_user",
            "set_chat_member",
            "clear_calls",
            "reset",
            "mark",
            "count",
            "message",
        }
    )

    def _rpc(self, body: bytes) -> tuple[int, bytes, str]:
        try:
            request = json.loads(body.decode("utf-8"))
            batch = request if isinstance(request, list) else [request]
            results = []
            for item in batch:
                op, args, kwargs = item["op"], item.get("args", []), item.get("kwargs", {})
                if op == "calls":
                    results.append(
                        [c.to_dict() for c in self.calls(kwargs.get("method"), since=kwargs.get("since", 0))]
                    )
                elif op == "counts":
                    with self._lock:
                        results.append(dict(self._counts))
                elif op in self._RPC_OPS:
                    results.append(getattr(self, op)(*args, **kwargs))
                else:
                    raise ValueError(f"unknown op {op!r}")
        except Exception as exc:
            return _json_error(400, f"Bad Request: {exc!r}")
        result = results if isinstance(request, list) else results[0]
        return (
            200,
            json.dumps({"ok": True, "result": result}, ensure_ascii=False).encode(),
            "application/json",
        )

    # ---------------------------------------------------------------- validation helpers

    def _target_chat(self, params: dict, *, sending: bool = True) -> dict:
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        if isinstance(raw, str) and raw.startswith("@"):
            with self._lock:
                for chat in self._chats.values():
                    if chat.get("username") == raw[1:]:
                        return dict(chat)
            raise ApiError(400, "Bad Request: chat not found")
        chat_id = _as_int(raw, "chat_id")
        if chat_id == 0:
            raise ApiError(400, "Bad Request: chat not found")
        with self._lock:
            if sending and chat_id in self._blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            return self._chat(chat_id)

    def _format(self, text: Any, params: dict, *, caption: bool = False) -> tuple[str, list[dict]]:
        if text is None:
            if caption:
                return "", []
            raise ApiError(400, "Bad Request: message text is empty")
        text = str(text)
        mode = (params.get("parse_mode") or "").lower()
        given = params.get("caption_entities" if caption else "entities")
        entities: list[dict] = []
        if given:
            entities = list(given)
        elif self.validate and mode:
            parser = {"html": parse_html, "markdownv2": parse_markdown_v2, "markdown": parse_markdown}.get(
                mode
            )
            if parser is None:
                raise ApiError(400, f"Bad Request: unsupported parse_mode {params.get('parse_mode')!r}")
            try:
                text, entities = parser(text)
            except _MarkupError as exc:
                raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
        if self.validate:
            text, entities = _trim(text, entities)
            if not text and not caption:
                raise ApiError(400, "Bad Request: message text is empty")
            limit = MAX_CAPTION if caption else MAX_TEXT
            if utf16_len(text) > limit:
                raise ApiError(
                    400,
                    "Bad Request: message caption is too long"
                    if caption
                    else "Bad Request: message is too long",
                )
        return text, entities

    def _check_markup(self, markup: Any) -> dict | None:
        """Validates reply_markup; returns what Telegram echoes in the Message (inline only)."""
        if markup is None or markup == "":
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise ApiError(
                    400,
                    'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup '
                    "must be an Array of Arrays",
                )
            if self.validate:
                for row in rows:
                    for button in row:
                        if not isinstance(button, dict) or not button.get("text"):
                            raise ApiError(
                                400, "Bad Request: can't parse inline keyboard button: Text must be non-empty"
                            )
                        if not INLINE_BUTTON_ACTIONS & button.keys():
                            raise ApiError(
                                400,
                                "Bad Request: can't parse inline keyboard button: "
                                "Text buttons are unallowed in the inline keyboard",
                            )
                        if "callback_data" in button:
                            size = len(str(button["callback_data"]).encode("utf-8"))
                            if not 1 <= size <= 64:
                                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            return {"inline_keyboard": rows}
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise ApiError(
                    400, 'Bad Request: field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays'
                )
            if self.validate:
                for row in rows:
                    for button in row:
                        text = button.get("text") if isinstance(button, dict) else button
                        if not isinstance(text, str) or not text:
                            raise ApiError(400, "Bad Request: keyboard button text must be non-empty")
            return None
        if "remove_keyboard" in markup or "force_reply" in markup:
            return None
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")

    def _bot_message(self, chat: dict, params: dict, **content: Any) -> dict:
        chat_id = chat["id"]
        markup = self._check_markup(params.get("reply_markup"))
        reply_params = params.get("reply_parameters") or {}
        reply_id = reply_params.get("message_id", params.get("reply_to_message_id"))
        allow_missing = reply_params.get(
            "allow_sending_without_reply", params.get("allow_sending_without_reply", False)
        )
        with self._lock:
            reply = None
            if reply_id is not None:
                reply = self._reply_stub(chat_id, int(reply_id))
                if reply is None and not allow_missing and self.validate:
                    raise ApiError(400, "Bad Request: message to be replied not found")
            msg: dict[str, Any] = {
                "message_id": self._new_message_id(chat_id),
                "from": dict(self.bot_user),
                "chat": chat,
                "date": int(time.time()),
            }
            if chat["type"] == "channel":
                msg.pop("from")
                msg["sender_chat"] = chat
            if reply is not None:
                msg["reply_to_message"] = reply
            msg.update(content)
            if markup is not None:
                msg["reply_markup"] = markup
            if params.get("link_preview_options"):
                msg["link_preview_options"] = params["link_preview_options"]
            self._store(msg)
            return json.loads(json.dumps(msg))  # a copy the caller may not mutate

    def _find_message(self, params: dict) -> tuple[dict, dict]:
        chat = self._target_chat(params, sending=False)
        message_id = _as_int(params.get("message_id"), "message_id")
        with self._lock:
            msg = self._messages.get(chat["id"], {}).get(message_id)
            if msg is None:
                if (chat["id"], message_id) in self._deleted:
                    raise ApiError(400, "Bad Request: message to edit not found")
                msg = {
                    "message_id": message_id,
                    "from": dict(self.bot_user),
                    "chat": chat,
                    "date": int(time.time()),
                    "text": "",
                }
                self._store(msg)
            elif self.validate and msg.get("from", {}).get("id") != self.bot_user["id"]:
                raise ApiError(400, "Bad Request: message can't be edited")
            return chat, msg

    # ---------------------------------------------------------------- Bot API methods

    def _m_getMe(self, p: dict) -> dict:
        return dict(self.bot_user)

    def _m_logOut(self, p: dict) -> bool:
        self.closed = True
        return True

    def _m_close(self, p: dict) -> bool:
        self.closed = True
        return True

    def _m_getUpdates(self, p: dict) -> list[dict]:
        offset = p.get("offset")
        offset = None if offset in (None, "") else _as_int(offset, "offset")
        limit = min(max(_as_int(p.get("limit") or 100, "limit"), 1), 100)
        timeout = max(float(p.get("timeout") or 0), 0.0)
        allowed = p.get("allowed_updates")
        deadline = time.monotonic() + timeout
        with self._lock:
            if self.webhook.get("url"):
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            if isinstance(allowed, list):
                self._allowed_updates = list(allowed) or None
            self._poll_generation += 1
            generation = self._poll_generation
            self._updates_cond.notify_all()  # an older parked poll ends with 409
            self._confirm(offset)
            while True:
                batch = self._select(limit)
                if batch or self._stopping.is_set():
                    break
                if self._poll_generation != generation:
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that "
                        "only one bot instance is running",
                    )
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._updates_cond.wait(remaining)
            self._calls_cond.notify_all()  # wait_until_consumed watches the queue
            return batch

    def _confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset > 0:
            self.confirmed_offset = max(self.confirmed_offset or 0, offset)
        queue = self._updates
        if offset < 0:
            while len(queue) > -offset:
                queue.popleft()
        else:
            while queue and queue[0]["update_id"] < offset:
                queue.popleft()

    def _kind_allowed(self, upd: dict) -> bool:
        kind = next((k for k in upd if k != "update_id"), "")
        allowed = self._allowed_updates
        return kind in allowed if allowed is not None else kind not in DEFAULT_EXCLUDED_UPDATES

    def _select(self, limit: int) -> list[dict]:
        """The next ``limit`` deliverable updates; updates of types not allowed are dropped."""
        batch: list[dict] = []
        dropped: list[dict] = []
        for upd in self._updates:
            if len(batch) >= limit:
                break
            (batch if self._kind_allowed(upd) else dropped).append(upd)
        if dropped:
            gone = {id(u) for u in dropped}
            self._updates = deque(u for u in self._updates if id(u) not in gone)
        return batch

    def _m_deleteWebhook(self, p: dict) -> bool:
        with self._lock:
            self.webhook = {}
            if p.get("drop_pending_updates") in (True, "true", "True", 1):
                self._updates.clear()
        return True

    def _m_setWebhook(self, p: dict) -> bool:
        url = p.get("url") or ""
        with self._lock:
            if url and not url.startswith("https://") and self.validate:
                raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
            self.webhook = {k: v for k, v in p.items() if not isinstance(v, Upload)} if url else {}
            if p.get("drop_pending_updates") in (True, "true", 1):
                self._updates.clear()
        return True

    def _m_getWebhookInfo(self, p: dict) -> dict:
        with self._lock:
            info: dict[str, Any] = {
                "url": self.webhook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }
            if self.webhook.get("url"):
                info["max_connections"] = self.webhook.get("max_connections", 40)
                if self.webhook.get("allowed_updates"):
                    info["allowed_updates"] = self.webhook["allowed_updates"]
            return info

    @staticmethod
    def _scope_key(p: dict) -> str:
        return json.dumps(
            [p.get("scope") or {"type": "default"}, p.get("language_code") or ""], sort_keys=True
        )

    def _m_setMyCommands(self, p: dict) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: too many commands specified")
        for cmd in commands:
            if not isinstance(cmd, dict) or not _COMMAND_NAME.match(str(cmd.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        with self._lock:
            self._commands[self._scope_key(p)] = [
                {"command": c["command"], "description": c["description"]} for c in commands
            ]
        return True

    def _m_getMyCommands(self, p: dict) -> list[dict]:
        with self._lock:
            return list(self._commands.get(self._scope_key(p), []))

    def _m_deleteMyCommands(self, p: dict) -> bool:
        with self._lock:
            self._commands.pop(self._scope_key(p), None)
        return True

    def _m_setMyDescription(self, p: dict) -> bool:
        return True

    def _m_setMyShortDescription(self, p: dict) -> bool:
        return True

    def _m_setMyName(self, p: dict) -> bool:
        return True

    def _m_setChatMenuButton(self, p: dict) -> bool:
        return True

    def _m_sendMessage(self, p: dict) -> dict:
        chat = self._target_chat(p)
        text, entities = self._format(p.get("text"), p)
        content: dict[str, Any] = {"text": text}
        if entities:
            content["entities"] = entities
        return self._bot_message(chat, p, **content)

    def _send_media(self, p: dict, field_name: str, build: Callable[[str, str, int], Any]) -> dict:
        chat = self._target_chat(p)
        content: dict[str, Any] = {}
        caption, entities = self._format(p.get("caption"), p, caption=True)
        value = p.get(field_name)
        if value is None or value == "":
            raise ApiError(400, f"Bad Request: there is no {field_name} in the request")
        if isinstance(value, str) and value.startswith("attach://"):
            value = p.get(value[len("attach://") :])
        data = value.data if isinstance(value, Upload) else str(value).encode()
        with self._lock:
            if isinstance(value, str) and value in self._files:
                file_id, unique = value, "UQ" + value[-8:]
            else:
                file_id, unique = self._new_file(field_name, data, "bin")
        content[field_name] = build(file_id, unique, len(data))
        if caption:
            content["caption"] = caption
        if entities:
            content["caption_entities"] = entities
        return self._bot_message(chat, p, **content)

    def _m_sendPhoto(self, p: dict) -> dict:
        return self._send_media(
            p,
            "photo",
            lambda fid, uq, size: [
                {"file_id": fid, "file_unique_id": uq, "width": 800, "height": 600, "file_size": size}
            ],
        )

    def _m_sendDocument(self, p: dict) -> dict:
        doc = p.get("document")
        name = doc.filename if isinstance(doc, Upload) else "document"
        return self._send_media(
            p,
            "document",
            lambda fid, uq, size: {
                "file_id": fid,
                "file_unique_id": uq,
                "file_name": name,
                "file_size": size,
            },
        )

    def _m_sendVoice(self, p: dict) -> dict:
        return self._send_media(
            p,
            "voice",
            lambda fid, uq, size: {
                "file_id": fid,
                "file_unique_id": uq,
                "duration": 1,
                "mime_type": "audio/ogg",
                "file_size": size,
            },
        )

    def _m_sendSticker(self, p: dict) -> dict:
        return self._send_media(
            p,
            "sticker",
            lambda fid, uq, size: {
                "file_id": fid,
                "file_unique_id": uq,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            },
        )

    def _m_sendLocation(self, p: dict) -> dict:
        chat = self._target_chat(p)
        loc = {"latitude": float(p["latitude"]), "longitude": float(p["longitude"])}
        return self._bot_message(chat, p, location=loc)

    def _m_sendVenue(self, p: dict) -> dict:
        chat = self._target_chat(p)
        loc = {"latitude": float(p["latitude"]), "longitude": float(p["longitude"])}
        venue = {"location": loc, "title": p.get("title", ""), "address": p.get("address", "")}
        return self._bot_message(chat, p, venue=venue, location=loc)

    def _m_sendContact(self, p: dict) -> dict:
        chat = self._target_chat(p)
        contact = {"phone_number": p.get("phone_number", ""), "first_name": p.get("first_name", "")}
        return self._bot_message(chat, p, contact=contact)

    def _m_forwardMessage(self, p: dict) -> dict:
        chat = self._target_chat(p)
        src_chat = self._target_chat({"chat_id": p.get("from_chat_id")}, sending=False)
        with self._lock:
            src = self._messages.get(src_chat["id"], {}).get(_as_int(p.get("message_id"), "message_id"))
        if src is None:
            raise ApiError(400, "Bad Request: message to forward not found")
        content = {
            k: v
            for k, v in src.items()
            if k
            not in (
                "message_id",
                "from",
                "chat",
                "date",
                "reply_to_message",
                "reply_markup",
                "sender_chat",
                "edit_date",
            )
        }
        origin = (
            {"type": "user", "date": src["date"], "sender_user": src["from"]}
            if "from" in src
            else {"type": "chat", "date": src["date"], "sender_chat": src_chat}
        )
        return self._bot_message(chat, {}, forward_origin=origin, **content)

    def _m_copyMessage(self, p: dict) -> dict:
        chat = self._target_chat(p)
        src_chat = self._target_chat({"chat_id": p.get("from_chat_id")}, sending=False)
        with self._lock:
            src = self._messages.get(src_chat["id"], {}).get(_as_int(p.get("message_id"), "message_id"))
        if src is None:
            raise ApiError(400, "Bad Request: message to copy not found")
        content = {
            k: v
            for k, v in src.items()
            if k
            not in (
                "message_id",
                "from",
                "chat",
                "date",
                "reply_to_message",
                "reply_markup",
                "sender_chat",
                "edit_date",
            )
        }
        if "caption" in p:
            content["caption"] = p["caption"]
        msg = self._bot_message(chat, p, **content)
        return {"message_id": msg["message_id"]}

    def _m_editMessageText(self, p: dict) -> dict | bool:
        text, entities = self._format(p.get("text"), p)
        markup = self._check_markup(p.get("reply_markup"))
        if p.get("inline_message_id"):
            return True
        chat, msg = self._find_message(p)
        with self._lock:
            if (
                self.validate
                and msg.get("text") == text
                and msg.get("entities", []) == entities
                and msg.get("reply_markup") == markup
            ):
                raise ApiError(
                    400,
                    "Bad Request: message is not modified: specified new message content "
                    "and reply markup are exactly the same as a current content and reply "
                    "markup of the message",
                )
            msg["text"] = text
            msg.pop("entities", None)
            if entities:
                msg["entities"] = entities
            msg.pop("reply_markup", None)
            if markup is not None:
                msg["reply_markup"] = markup
            msg["edit_date"] = int(time.time())
            return json.loads(json.dumps(msg))

    def _m_editMessageReplyMarkup(self, p: dict) -> dict | bool:
        markup = self._check_markup(p.get("reply_markup"))
        if p.get("inline_message_id"):
            return True
        chat, msg = self._find_message(p)
        with self._lock:
            if self.validate and msg.get("reply_markup") == markup:
                raise ApiError(
                    400,
                    "Bad Request: message is not modified: specified new message content "
                    "and reply markup are exactly the same as a current content and reply "
                    "markup of the message",
                )
            msg.pop("reply_markup", None)
            if markup is not None:
                msg["reply_markup"] = markup
            msg["edit_date"] = int(time.time())
            return json.loads(json.dumps(msg))

    def _m_editMessageCaption(self, p: dict) -> dict | bool:
        caption, entities = self._format(p.get("caption"), p, caption=True)
        markup = self._check_markup(p.get("reply_markup"))
        if p.get("inline_message_id"):
            return True
        chat, msg = self._find_message(p)
        with self._lock:
            msg["caption"] = caption
            msg.pop("reply_markup", None)
            if markup is not None:
                msg["reply_markup"] = markup
            msg["edit_date"] = int(time.time())
            return json.loads(json.dumps(msg))

    def _m_deleteMessage(self, p: dict) -> bool:
        chat = self._target_chat(p, sending=False)
        message_id = _as_int(p.get("message_id"), "message_id")
        with self._lock:
            key = (chat["id"], message_id)
            if key in self._deleted:
                raise ApiError(400, "Bad Request: message to delete not found")
            self._messages.get(chat["id"], {}).pop(message_id, None)
            self._deleted.add(key)
        return True

    def _m_deleteMessages(self, p: dict) -> bool:
        chat = self._target_chat(p, sending=False)
        with self._lock:
            for message_id in p.get("message_ids") or []:
                self._messages.get(chat["id"], {}).pop(int(message_id), None)
                self._deleted.add((chat["id"], int(message_id)))
        return True

    def _m_answerCallbackQuery(self, p: dict) -> bool:
        cq_id = str(p.get("callback_query_id") or "")
        with self._lock:
            answered = self._callbacks.get(cq_id)
            if self.validate and answered is not False:
                raise ApiError(
                    400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
                )
            self._callbacks[cq_id] = True
        text = p.get("text")
        if self.validate and text is not None and len(str(text)) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def _m_sendChatAction(self, p: dict) -> bool:
        self._target_chat(p)
        if p.get("action") not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    def _m_getChat(self, p: dict) -> dict:
        chat = self._target_chat(p, sending=False)
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _m_getChatMember(self, p: dict) -> dict:
        chat = self._target_chat(p, sending=False)
        user_id = _as_int(p.get("user_id"), "user_id")
        with self._lock:
            user = dict(self.bot_user) if user_id == self.bot_user["id"] else self._user(user_id)
            status = self._members.get((chat["id"], user_id))
        if status is None:
            status = (
                "administrator" if user_id == self.bot_user["id"] and chat["type"] != "private" else "member"
            )
        member: dict[str, Any] = {"status": status, "user": user}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update(
                can_be_edited=False,
                is_anonymous=False,
                can_manage_chat=True,
                can_delete_messages=True,
                can_manage_video_chats=False,
                can_restrict_members=True,
                can_promote_members=False,
                can_change_info=False,
                can_invite_users=True,
                can_post_stories=False,
                can_edit_stories=False,
                can_delete_stories=False,
                can_pin_messages=True,
            )
        elif status == "restricted":
            member.update(
                is_member=True,
                can_change_info=False,
                can_invite_users=False,
                can_pin_messages=False,
                can_send_messages=False,
                can_send_polls=False,
                can_send_other_messages=False,
                can_add_web_page_previews=False,
                can_manage_topics=False,
                until_date=0,
                can_send_audios=False,
                can_send_documents=False,
                can_send_photos=False,
                can_send_videos=False,
                can_send_video_notes=False,
                can_send_voice_notes=False,
                can_edit_tag=False,
            )
        elif status == "kicked":
            member["until_date"] = 0
        return member

    def _m_getFile(self, p: dict) -> dict:
        file_id = str(p.get("file_id") or "")
        with self._lock:
            entry = self._files.get(file_id)
        if entry is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        file_path, data = entry
        return {
            "file_id": file_id,
            "file_unique_id": "UQ" + file_id[-8:],
            "file_size": len(data),
            "file_path": file_path,
        }

    def _m_pinChatMessage(self, p: dict) -> bool:
        self._target_chat(p, sending=False)
        return True

    def _m_unpinChatMessage(self, p: dict) -> bool:
        self._target_chat(p, sending=False)
        return True

    def _m_leaveChat(self, p: dict) -> bool:
        self._target_chat(p, sending=False)
        return True


def _json_error(status: int, description: str, parameters: dict | None = None) -> tuple[int, bytes, str]:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return status, json.dumps(body, ensure_ascii=False).encode(), "application/json"


def _refuse_in_running_loop(name: str) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(
        f"FakeTelegram.{name}() would block the running event loop (and the bot in it); "
        "use `await fake.wait_for_async(...)` / `wait_for_message_async(...)`"
    )


def _describe(predicate: Callable | None, method: str | None) -> str:
    parts = []
    if method:
        parts.append(f"method={method}")
    if predicate is not None:
        parts.append(predicate.__doc__ or getattr(predicate, "__name__", repr(predicate)))
    return " and ".join(parts) or "anything"


# --------------------------------------------------------------------------------------------
# Running a PTB Application by hand


@contextlib.asynccontextmanager
async def polling_app(
    app: Any,
    *,
    timeout: float = 1,
    poll_interval: float = 0.0,
    allowed_updates: list[str] | None = None,
    drop_pending_updates: bool = False,
    run_hooks: bool = True,
):
    """Run a PTB ``Application`` in long polling inside the current event loop, the way
    ``run_polling`` does (initialize, post_init, start_polling, start ... updater.stop, stop,
    post_stop, shutdown, post_shutdown) but without owning the loop or signals."""
    await app.initialize()
    try:
        if run_hooks and app.post_init:
            await app.post_init(app)
        await app.updater.start_polling(
            poll_interval=poll_interval,
            timeout=int(timeout) if float(timeout).is_integer() else dt.timedelta(seconds=timeout),
            allowed_updates=allowed_updates,
            drop_pending_updates=drop_pending_updates,
        )
        await app.start()
        try:
            yield app
        finally:
            if app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
                if run_hooks and app.post_stop:
                    await app.post_stop(app)
    finally:
        await app.shutdown()
        if run_hooks and app.post_shutdown:
            await app.post_shutdown(app)


def main(argv: list[str] | None = None) -> None:
    """``python -m tests.fake_telegram --port 8081``: serve until interrupted (control API at /_fake/rpc)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default=None)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--no-record", action="store_true", help="count calls but do not keep them")
    args = parser.parse_args(argv)
    fake = FakeTelegram(port=args.port, token=args.token, latency=args.latency, record=not args.no_record)
    import signal

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with fake:
        print(
            f"base_url={fake.base_url} base_file_url={fake.base_file_url} rpc={fake.url}/_fake/rpc",
            flush=True,
        )
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()


def _chat_key(raw: Any) -> int | None:
    """A call's chat_id as an int (None when absent or not a number)."""
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None
