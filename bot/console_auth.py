"""Who may use the web console: one-time login links and browser sessions (channel-free).

Why it looks like this:
- No passwords. A staff member gets a link (the bot's ``/console`` command, or
  ``citizen-bot console link USER`` on the server) valid for ``LINK_TTL`` and usable once; it
  opens a session of ``SESSION_TTL``. Only SHA-256 hashes of link tokens and session ids are
  stored: someone who reads the database cannot log in with what they find there.
- Opening a link and making its session is one ``BEGIN IMMEDIATE`` transaction, so two
  browsers racing with the same link get one session between them.
- Roles are ``staff`` and ``admin``. A link issued through Telegram carries ``source =
  'telegram'``: its session is checked against the current staff/admin id lists on every
  request, so a person taken off the lists loses the console at once. A link printed on the
  server (``source = 'cli'``) keeps the role the operator gave it.
- Every session has its own CSRF token for the console's forms.
- The tables live in the store's SQLite file; ``ensure_schema`` is idempotent and is called by
  whoever sets the console up.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol
from urllib.parse import quote

from bot import audit
from bot.store import LOCAL_TZ, Store, to_local

Role = Literal["staff", "admin"]
ROLES: tuple[Role, ...] = ("staff", "admin")
SOURCES = ("telegram", "cli")

LINK_TTL = timedelta(minutes=5)
SESSION_TTL = timedelta(hours=8)

#: The path a login link opens (under the site's base URL).
LOGIN_PATH = "/console/login"

TG_PREFIX = "tg:"


class RoleLists(Protocol):
    """What the console needs from the settings: ``bot.config.Settings`` fits, so does ``Roles``."""

    def is_staff(self, user_id: int | None) -> bool: ...

    def is_admin(self, user_id: int | None) -> bool: ...


@dataclass(frozen=True)
class Roles:
    """Staff and admin id lists for a deployment without the Telegram settings."""

    staff_ids: frozenset[int] = frozenset()
    admin_ids: frozenset[int] = frozenset()

    def is_staff(self, user_id: int | None) -> bool:
        return user_id is not None and (user_id in self.staff_ids or user_id in self.admin_ids)

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admin_ids


def roles_from_environment(environ: dict[str, str] | None = None) -> Roles:
    """The console's role lists for ``citizen-bot web``: CITIZEN_BOT_STAFF_IDS and
    CITIZEN_BOT_ADMIN_IDS, else ``staff_ids``/``admin_ids`` in the config file
    (CITIZEN_BOT_CONFIG), as ``citizen-bot run`` reads them. Bad ids raise ``ConfigError``."""
    import os
    from pathlib import Path

    from bot.config import CONFIG_ENV, ENV, ConfigError, parse_ids, read_config_file

    environ = dict(os.environ if environ is None else environ)
    raw: dict[str, object] = {}
    if environ.get(CONFIG_ENV, "").strip():
        config = read_config_file(Path(environ[CONFIG_ENV].strip()))
        raw = {k: config.get(k) for k in ("staff_ids", "admin_ids")}
    for key in ("staff_ids", "admin_ids"):
        if environ.get(ENV[key], "").strip():
            raw[key] = environ[ENV[key]].strip()
    problems: list[str] = []
    staff = parse_ids(raw.get("staff_ids"), ENV["staff_ids"], problems)
    admins = parse_ids(raw.get("admin_ids"), ENV["admin_ids"], problems)
    if problems:
        raise ConfigError(problems)
    return Roles(staff, admins)


@dataclass(frozen=True)
class Session:
    """A logged-in console user; ``user`` is the key staff actions use (``tg:<id>``)."""

    user: str
    role: Role
    source: str
    csrf: str
    created_at: datetime
    expires_at: datetime

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _ts(dt: datetime) -> str:
    return to_local(dt).isoformat(timespec="microseconds")


def _now() -> datetime:
    return datetime.now(LOCAL_TZ)


def telegram_id(user: str) -> int | None:
    """The Telegram user id in a ``tg:<id>`` key, else None."""
    rest = user[len(TG_PREFIX) :] if user.startswith(TG_PREFIX) else ""
    return int(rest) if rest.isascii() and rest.isdigit() else None


def role_for(lists: RoleLists, user: str) -> Role | None:
    """The role the id lists give a ``tg:<id>`` user (admins first), or None."""
    uid = telegram_id(user)
    if uid is None:
        return None
    if lists.is_admin(uid):
        return "admin"
    if lists.is_staff(uid):
        return "staff"
    return None


def ensure_schema(store: Store) -> None:
    """Create the console's tables (idempotent; safe for every process at start-up)."""
    with store._write() as db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS console_links ("
            " token_hash TEXT PRIMARY KEY, user TEXT NOT NULL, role TEXT NOT NULL,"
            " source TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT)"
        )
        db.execute("CREATE INDEX IF NOT EXISTS console_links_expires ON console_links (expires_at)")
        db.execute(
            "CREATE TABLE IF NOT EXISTS console_sessions ("
            " id_hash TEXT PRIMARY KEY, user TEXT NOT NULL, role TEXT NOT NULL, source TEXT NOT NULL,"
            " csrf TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL, ended_at TEXT)"
        )
        db.execute("CREATE INDEX IF NOT EXISTS console_sessions_expires ON console_sessions (expires_at)")


def issue_link_token(
    store: Store, user: str, role: Role, *, source: str = "telegram", now: datetime | None = None
) -> str:
    """A fresh one-time token for ``user`` (only its hash is stored)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}")
    if not user or len(user) > 64:
        raise ValueError("user must be a non-empty key of at most 64 characters")
    now = now or _now()
    token = secrets.token_urlsafe(32)
    ensure_schema(store)
    with store._write() as db:
        db.execute(
            "INSERT INTO console_links (token_hash, user, role, source, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [_hash(token), user, role, source, _ts(now), _ts(to_local(now) + LINK_TTL)],
        )
        # forget links that can no longer be used (kept a day: the audit log has the logins)
        db.execute("DELETE FROM console_links WHERE expires_at < ?", [_ts(to_local(now) - timedelta(days=1))])
    return token


def create_login_link(
    store: Store,
    user_id: str,
    role: Role,
    base_url: str,
    *,
    source: str = "telegram",
    now: datetime | None = None,
) -> str:
    """The URL a staff member opens to log in: ``{base_url}/console/login?t=<token>``.

    ``base_url`` is the site root the browser reaches (e.g. ``https://bot.example.gov.cn``).
    The caller has already decided the role (``role_for`` with the settings' id lists). The
    issue is recorded in the audit log."""
    audit.ensure_schema(store)
    token = issue_link_token(store, user_id, role, source=source, now=now)
    audit.record(store, user_id, "link_issued", role=role, detail=source, now=now)
    return f"{base_url.rstrip('/')}{LOGIN_PATH}?t={quote(token)}"


@dataclass(frozen=True)
class Login:
    """The outcome of opening a link: the new session's cookie value and the session, or why not."""

    session_id: str | None
    session: Session | None
    #: 'ok', 'unknown' (forged or never issued), 'used', 'expired', 'no_role'
    outcome: str
    user: str | None = None


def redeem_link(store: Store, token: str, lists: RoleLists, *, now: datetime | None = None) -> Login:
    """Use a link once and open a session; a forged, used or expired token opens nothing."""
    now = now or _now()
    at = _ts(now)
    if not token or len(token) > 128:
        return Login(None, None, "unknown")
    with store._write() as db:
        row = db.execute(
            "SELECT user, role, source, expires_at, used_at FROM console_links WHERE token_hash = ?",
            [_hash(token)],
        ).fetchone()
        if row is None:
            return Login(None, None, "unknown")
        user, role, source, expires_at, used_at = row
        if used_at is not None:
            return Login(None, None, "used", user)
        db.execute("UPDATE console_links SET used_at = ? WHERE token_hash = ?", [at, _hash(token)])
        if expires_at <= at:
            return Login(None, None, "expired", user)
        if source == "telegram":
            role = role_for(lists, user)
            if role is None:
                return Login(None, None, "no_role", user)
        session_id = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(24)
        expires = to_local(now) + SESSION_TTL
        db.execute(
            "INSERT INTO console_sessions (id_hash, user, role, source, csrf, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [_hash(session_id), user, role, source, csrf, at, _ts(expires)],
        )
        db.execute(
            "DELETE FROM console_sessions WHERE expires_at < ?", [_ts(to_local(now) - timedelta(days=1))]
        )
    session = Session(user, role, source, csrf, to_local(now), expires)
    return Login(session_id, session, "ok", user)


def load_session(
    store: Store, session_id: str | None, lists: RoleLists, *, now: datetime | None = None
) -> Session | None:
    """The live session for a cookie value, or None (missing, unknown, ended, expired, or a
    Telegram user no longer on the lists)."""
    if not session_id or len(session_id) > 128:
        return None
    now = now or _now()
    with store._read() as db:
        row = db.execute(
            "SELECT user, role, source, csrf, created_at, expires_at FROM console_sessions"
            " WHERE id_hash = ? AND ended_at IS NULL AND expires_at > ?",
            [_hash(session_id), _ts(now)],
        ).fetchone()
    if row is None:
        return None
    user, role, source, csrf, created_at, expires_at = row
    if source == "telegram":
        current = role_for(lists, user)
        if current is None:
            return None
        role = current
    return Session(
        user, role, source, csrf, datetime.fromisoformat(created_at), datetime.fromisoformat(expires_at)
    )


def end_session(store: Store, session_id: str, *, now: datetime | None = None) -> bool:
    """Log out: the cookie value stops working at once."""
    with store._write() as db:
        cur = db.execute(
            "UPDATE console_sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL",
            [_ts(now or _now()), _hash(session_id)],
        )
        return cur.rowcount > 0


def csrf_ok(session: Session, submitted: str | None) -> bool:
    """Constant-time comparison of a form's token with the session's."""
    return bool(submitted) and hmac.compare_digest(session.csrf.encode(), str(submitted).encode())


def user_key(user: str) -> str:
    """The key for a console user named on the command line: digits are a Telegram id."""
    user = user.strip()
    return f"{TG_PREFIX}{user}" if user.isascii() and user.isdigit() else user


Clock = Callable[[], datetime]
