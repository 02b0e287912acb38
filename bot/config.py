"""Settings for `citizen-bot run` (the Telegram channel): command line > environment > config file.

The environment wins over the config file, as the issue asks; an explicit command-line flag wins
over both. Everything is checked at start: a missing token or staff group is a clear
``ConfigError`` naming the variable, never a crash later. Channel-free: this module imports
nothing from ``telegram`` or ``handlers`` (``cli/run.py`` parses the flags and starts the adapter).

Config file (TOML, ``--config PATH`` or ``CITIZEN_BOT_CONFIG``)::

    token = "123456:ABC..."           # TELEGRAM_BOT_TOKEN
    staff_chat_id = -1001234567890      # CITIZEN_BOT_STAFF_CHAT_ID
    staff_ids = [111, 222]              # CITIZEN_BOT_STAFF_IDS  (env: "111,222")
    admin_ids = [111]                   # CITIZEN_BOT_ADMIN_IDS
    base_url = "http://127.0.0.1:8081/bot"   # CITIZEN_BOT_BASE_URL (local Bot API server)
    base_file_url = "http://127.0.0.1:8081/file/bot"   # CITIZEN_BOT_BASE_FILE_URL
    db = "/var/lib/citizen-bot/citizen-bot.db"         # CITIZEN_BOT_DB
    knowledge = "/etc/citizen-bot/knowledge"           # CITIZEN_BOT_KNOWLEDGE
    webhook_url = "https://bot.example.gov.cn/tg"      # CITIZEN_BOT_WEBHOOK_URL (webhook mode)
    webhook_listen = "127.0.0.1"        # CITIZEN_BOT_WEBHOOK_LISTEN
    webhook_port = 8443                 # CITIZEN_BOT_WEBHOOK_PORT
    webhook_secret = "..."              # CITIZEN_BOT_WEBHOOK_SECRET
    digest_time = "08:30"               # CITIZEN_BOT_DIGEST_TIME ("off" disables)
    reminder_time = "10:00"             # CITIZEN_BOT_REMINDER_TIME ("off" disables)
    web_port = 8080                     # CITIZEN_BOT_WEB_PORT: also serve the web chat (issue 13)
    web_listen = "127.0.0.1"            # CITIZEN_BOT_WEB_LISTEN
    web_behind_tls = true               # CITIZEN_BOT_WEB_BEHIND_TLS (TLS ends at a reverse proxy)
    web_frame_ancestors = ["https://www.example.gov.cn"]   # CITIZEN_BOT_WEB_FRAME_ANCESTORS (env: "a,b")
    web_origins = ["https://chat.example.gov.cn"]          # CITIZEN_BOT_WEB_ORIGINS (env: "a,b")
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """Settings missing or invalid; the message lists every problem (never the token itself)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


#: setting name -> environment variable
ENV = {
    "token": "TELEGRAM_BOT_TOKEN",
    "staff_chat_id": "CITIZEN_BOT_STAFF_CHAT_ID",
    "staff_ids": "CITIZEN_BOT_STAFF_IDS",
    "admin_ids": "CITIZEN_BOT_ADMIN_IDS",
    "base_url": "CITIZEN_BOT_BASE_URL",
    "base_file_url": "CITIZEN_BOT_BASE_FILE_URL",
    "db": "CITIZEN_BOT_DB",
    "knowledge": "CITIZEN_BOT_KNOWLEDGE",
    "webhook_url": "CITIZEN_BOT_WEBHOOK_URL",
    "webhook_listen": "CITIZEN_BOT_WEBHOOK_LISTEN",
    "webhook_port": "CITIZEN_BOT_WEBHOOK_PORT",
    "webhook_secret": "CITIZEN_BOT_WEBHOOK_SECRET",
    "digest_time": "CITIZEN_BOT_DIGEST_TIME",
    "reminder_time": "CITIZEN_BOT_REMINDER_TIME",
    "web_port": "CITIZEN_BOT_WEB_PORT",
    "web_listen": "CITIZEN_BOT_WEB_LISTEN",
    "web_behind_tls": "CITIZEN_BOT_WEB_BEHIND_TLS",
    "web_frame_ancestors": "CITIZEN_BOT_WEB_FRAME_ANCESTORS",
    "web_origins": "CITIZEN_BOT_WEB_ORIGINS",
}
CONFIG_ENV = "CITIZEN_BOT_CONFIG"


@dataclass(frozen=True)
class Settings:
    """Everything the Telegram channel needs; tests build it directly."""

    token: str
    staff_chat_id: int
    staff_ids: frozenset[int] = frozenset()
    admin_ids: frozenset[int] = frozenset()
    base_url: str | None = None
    base_file_url: str | None = None
    db: Path | None = None
    knowledge: Path | None = None
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_secret: str | None = None
    #: Local (Asia/Shanghai) times of the daily jobs; None disables the job.
    digest_time: dt.time | None = dt.time(8, 30)
    reminder_time: dt.time | None = dt.time(10, 0)
    #: The web chat (and the console) beside Telegram in this process when a port is set
    #: (``citizen-bot run --web-port``): same engine, store and outbox (issue 13).
    web_port: int | None = None
    web_listen: str = "127.0.0.1"
    web_behind_tls: bool = False
    web_frame_ancestors: tuple[str, ...] = ()
    web_origins: tuple[str, ...] = ()
    #: Run a job at start when today's run was missed (the bot was down at that time).
    catch_up: bool = True
    # -- tuning (tests shorten these) --------------------------------------------------
    #: Attempts of one send before it goes to the outbox.
    send_attempts: int = 4
    #: First pause between attempts (doubles each time) for timeouts and network errors.
    send_backoff: float = 0.5
    #: Longest RetryAfter we wait for inline; longer ones go to the outbox at once.
    max_inline_wait: float = 15.0
    #: How often the outbox is retried (seconds).
    outbox_interval: float = 10.0
    #: Sends per second overall (token bucket) and the burst allowed on top.
    send_rate: float = 20.0
    send_burst: int = 5
    #: Updates processed at once across chats (within a chat: always one at a time).
    max_concurrent: int = 24
    #: Pause after each getUpdates (seconds): under load, updates arriving within it come in one
    #: call instead of one call each (bench/e2e.py: 0 -> 5 ms halves the getUpdates calls).
    poll_interval: float = 0.005
    #: Bot API timeouts (seconds).
    read_timeout: float = 10.0
    connect_timeout: float = 5.0

    @property
    def webhook(self) -> bool:
        return bool(self.webhook_url)

    def is_staff(self, user_id: int | None) -> bool:
        """Administrators are staff too."""
        return user_id is not None and (user_id in self.staff_ids or user_id in self.admin_ids)

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admin_ids

    def with_(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    def __repr__(self) -> str:  # never print the token
        return (
            f"Settings(staff_chat_id={self.staff_chat_id}, staff_ids={sorted(self.staff_ids)}, "
            f"admin_ids={sorted(self.admin_ids)}, base_url={self.base_url!r}, db={self.db}, "
            f"webhook={self.webhook})"
        )


# --------------------------------------------------------------------------- parsing


def parse_ids(value: Any, name: str, problems: list[str]) -> frozenset[int]:
    """'1, 2,3' or [1, 2] -> {1, 2, 3}."""
    if value is None or value == "":
        return frozenset()
    items = value if isinstance(value, list | tuple) else str(value).replace("，", ",").split(",")
    ids: set[int] = set()
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        try:
            ids.add(int(text))
        except ValueError:
            problems.append(f"{name}: '{text}' is not a Telegram user id (a whole number)")
    return frozenset(ids)


def parse_time(value: Any, name: str, problems: list[str]) -> dt.time | None:
    if value is None:
        return None
    if isinstance(value, dt.time):
        return value
    text = str(value).strip().lower()
    if text in ("", "off", "none", "no", "false", "0"):
        return None
    try:
        hour, _, minute = text.partition(":")
        return dt.time(int(hour), int(minute or 0))
    except ValueError:
        problems.append(f"{name}: '{value}' is not a time of day like 08:30 (or 'off')")
        return None


def parse_list(value: Any) -> tuple[str, ...]:
    """'a, b' or ["a", "b"] -> ("a", "b")."""
    if value is None or value == "":
        return ()
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())


def parse_flag(value: Any, name: str, problems: list[str]) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("", "0", "false", "no", "off"):
        return False
    problems.append(f"{name}: '{value}' is not true or false")
    return False


def parse_port(value: Any, name: str, problems: list[str]) -> int | None:
    if value is None or value == "":
        return None
    try:
        port = int(str(value).strip())
    except ValueError:
        port = -1
    if not 0 < port < 65536:
        problems.append(f"{name}: '{value}' is not a port number")
        return None
    return port


def normalise_base_url(url: str) -> str:
    """PTB appends the token to the base URL: it must end with '/bot'."""
    url = url.rstrip("/")
    return url if url.endswith("/bot") else url + "/bot"


def file_url_for(base_url: str) -> str:
    """The matching file URL: http://host:port/bot -> http://host:port/file/bot."""
    return base_url[: -len("/bot")] + "/file/bot"


def read_config_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError([f"config file {path} not found"]) from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError([f"config file {path}: {exc}"]) from None
    unknown = sorted(set(data) - set(ENV))
    if unknown:
        raise ConfigError([f"config file {path}: unknown setting(s) {', '.join(unknown)}"])
    return data


def load_settings(
    cli: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    config_file: Path | None = None,
) -> Settings:
    """Merge defaults < config file < environment < command line; raise ConfigError on any problem."""
    environ = os.environ if environ is None else environ
    cli = {k: v for k, v in (cli or {}).items() if v is not None}
    if config_file is None and environ.get(CONFIG_ENV):
        config_file = Path(environ[CONFIG_ENV])
    raw: dict[str, Any] = dict(read_config_file(config_file)) if config_file else {}
    for key, var in ENV.items():
        if environ.get(var, "").strip():
            raw[key] = environ[var].strip()
    raw.update(cli)

    problems: list[str] = []
    token = str(raw.get("token") or "").strip()
    if not token:
        problems.append(f"no bot token: set {ENV['token']} (or 'token' in the config file)")
    elif ":" not in token:
        problems.append(f"{ENV['token']} does not look like a bot token (expected '<digits>:<secret>')")
    staff_chat_id = 0
    if raw.get("staff_chat_id") in (None, ""):
        problems.append(
            f"no staff group: set {ENV['staff_chat_id']} to the staff group's chat id (e.g. -1001234567890)"
        )
    else:
        try:
            staff_chat_id = int(str(raw["staff_chat_id"]).strip())
        except ValueError:
            problems.append(f"{ENV['staff_chat_id']}: '{raw['staff_chat_id']}' is not a chat id")
        else:
            if staff_chat_id >= 0:
                problems.append(f"{ENV['staff_chat_id']}: a group's chat id is negative, got {staff_chat_id}")
    staff_ids = parse_ids(raw.get("staff_ids"), ENV["staff_ids"], problems)
    admin_ids = parse_ids(raw.get("admin_ids"), ENV["admin_ids"], problems)

    base_url = raw.get("base_url") or None
    base_file_url = raw.get("base_file_url") or None
    if base_url:
        base_url = normalise_base_url(str(base_url))
        base_file_url = str(base_file_url).rstrip("/") if base_file_url else file_url_for(base_url)
        if not base_file_url.endswith("/bot"):
            base_file_url += "/bot" if base_file_url.endswith("/file") else "/file/bot"
    elif base_file_url:
        problems.append(f"{ENV['base_file_url']} is set but {ENV['base_url']} is not")

    webhook_url = raw.get("webhook_url") or None
    if webhook_url and not str(webhook_url).startswith("https://"):
        problems.append(f"{ENV['webhook_url']} must be an https:// URL (Telegram requires it)")
    port = 8443
    try:
        port = int(raw.get("webhook_port") or 8443)
    except ValueError:
        problems.append(f"{ENV['webhook_port']}: '{raw.get('webhook_port')}' is not a port number")

    web_port = parse_port(raw.get("web_port"), ENV["web_port"], problems)
    web_listen = str(raw.get("web_listen") or "127.0.0.1")
    behind_tls = parse_flag(raw.get("web_behind_tls"), ENV["web_behind_tls"], problems)
    if web_port is not None and webhook_url and web_port == port:
        problems.append(
            f"{ENV['web_port']} and {ENV['webhook_port']} are both {port}: give the web chat its own port"
        )
    digest = parse_time(raw.get("digest_time", "08:30"), ENV["digest_time"], problems)
    reminder = parse_time(raw.get("reminder_time", "10:00"), ENV["reminder_time"], problems)

    if problems:
        raise ConfigError(problems)
    return Settings(
        token=token,
        staff_chat_id=staff_chat_id,
        staff_ids=staff_ids,
        admin_ids=admin_ids,
        base_url=base_url,
        base_file_url=base_file_url,
        db=Path(raw["db"]) if raw.get("db") else None,
        knowledge=Path(raw["knowledge"]) if raw.get("knowledge") else None,
        webhook_url=str(webhook_url) if webhook_url else None,
        webhook_listen=str(raw.get("webhook_listen") or "127.0.0.1"),
        webhook_port=port,
        webhook_secret=str(raw["webhook_secret"]) if raw.get("webhook_secret") else None,
        digest_time=digest,
        reminder_time=reminder,
        web_port=web_port,
        web_listen=web_listen,
        web_behind_tls=behind_tls,
        web_frame_ancestors=parse_list(raw.get("web_frame_ancestors")),
        web_origins=parse_list(raw.get("web_origins")),
    )
