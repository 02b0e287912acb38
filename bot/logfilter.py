"""Keep personal data out of logs, whatever level and whichever library logs it.

Our own code logs ids and field keys only, and ``masking.scrub`` where text must be logged. The
libraries underneath do not: at DEBUG python-telegram-bot logs every Bot API call with its
parameters and result ("Calling Bot API endpoint `sendMessage` with parameters `{...}`", the
text of a staff 详情 message included) and every incoming update ("Processing update ..."), and
httpx logs request URLs, which carry the bot token.

:class:`ScrubFilter` rewrites a record before any handler formats it:

* every message is passed through ``masking.scrub`` (ID numbers, mobile numbers, e-mail
  addresses) and bot tokens are replaced by ``<token>``;
* below INFO, records of third-party loggers (``telegram``, ``httpx``, ``httpcore``, ...) keep
  only short plain arguments (an endpoint name, a number); dicts, updates, messages, request
  bodies and long strings become ``<dict>``, ``<Update>``...: names and addresses cannot be
  recognised by a pattern, so bodies are never written;
* tracebacks (``exc_text``) are scrubbed too.

Install once at start, after logging is configured::

    logging.basicConfig(...)
    bot.logfilter.install()          # every record, every handler, also ones added later

``install`` wraps the log-record factory (idempotent; ``uninstall`` restores it). To filter one
handler only, ``handler.addFilter(ScrubFilter())`` works as well.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

from bot.masking import scrub

#: Loggers whose DEBUG records may carry request/response bodies or whole updates.
THIRD_PARTY = ("telegram", "httpx", "httpcore", "hpack", "h2", "tornado", "apscheduler", "urllib3", "asyncio")

_TOKEN_IN_URL = re.compile(r"(/bot)[^/\s'\"]+")
_BARE_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{30,}\b")
_SAFE_ARG = re.compile(r"^[A-Za-z0-9_.:/\-<>= ]{0,80}$")
_MARK = "_citizen_bot_scrubbed"


def _third_party(name: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in THIRD_PARTY)


def _clean(text: str) -> str:
    text = _TOKEN_IN_URL.sub(r"\1<token>", text)
    text = _BARE_TOKEN.sub("<token>", text)
    return scrub(text)


def _safe_arg(value: Any) -> Any:
    """An argument a library's DEBUG record may keep: short plain scalars only."""
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, str) and _SAFE_ARG.match(value):
        return value
    return f"<{type(value).__name__}>"


class ScrubFilter(logging.Filter):
    """Rewrites records in place (always lets them through)."""

    def filter(self, record: logging.LogRecord) -> bool:
        scrub_record(record)
        return True


def scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    if getattr(record, _MARK, False):
        return record
    try:
        if record.levelno < logging.INFO and _third_party(record.name) and record.args:
            args = record.args
            if isinstance(args, dict):
                record.args = {k: _safe_arg(v) for k, v in args.items()}
            else:
                record.args = tuple(_safe_arg(a) for a in args)
        message = record.getMessage()
    except Exception:  # a broken format string: keep nothing of it but the template
        message = f"{record.msg!s} <unformattable arguments>"
    record.msg = _clean(message)
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = _clean(record.exc_text)
    if record.stack_info:
        record.stack_info = _clean(record.stack_info)
    setattr(record, _MARK, True)
    return record


_lock = threading.Lock()
_previous: Any = None


def install() -> None:
    """Scrub every log record of the process from now on (idempotent)."""
    global _previous
    with _lock:
        if _previous is not None:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            return scrub_record(previous(*args, **kwargs))

        factory.__wrapped__ = previous  # type: ignore[attr-defined]
        _previous = previous
        logging.setLogRecordFactory(factory)


def uninstall() -> None:
    """Undo ``install`` (for tests)."""
    global _previous
    with _lock:
        if _previous is None:
            return
        logging.setLogRecordFactory(_previous)
        _previous = None


def installed() -> bool:
    return _previous is not None
