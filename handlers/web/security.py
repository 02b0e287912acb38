"""The web channel's guards: who the resident is (a signed random key in a cookie), whether a
state-changing request comes from our own page (Origin), how fast anyone may send (per session
and per client address), and the headers every response carries (CSP, nosniff, referrer...).

Why a signed key: the key is the resident's whole identity (``web:<key>`` in the store), so it
is 192 random bits nobody can guess; the HMAC makes the server refuse keys it never issued, so
a client cannot choose its own identity (or one shaped like another channel's). The secret is
kept in the store's meta table, so every process on the same database accepts the same cookies.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

from aiohttp import web

from bot.store import Store

COOKIE = "citizen_web"
SECRET_META = "web:cookie_secret"
#: One year: the same browser keeps its history and sees replies to its requests.
COOKIE_MAX_AGE = 365 * 24 * 3600
_KEY = re.compile(r"^[A-Za-z0-9_-]{32}$")
_SIG = re.compile(r"^[A-Za-z0-9_-]{22}$")


def load_secret(store: Store) -> bytes:
    """The cookie-signing secret (made on first use, kept in store meta)."""
    value = store.get_meta(SECRET_META)
    if not value:
        store.set_meta(SECRET_META, secrets.token_hex(32))
        value = store.get_meta(SECRET_META)
    return bytes.fromhex(value or "")


class Identity:
    """Issue and check resident cookies: ``<key>.<signature>``."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("cookie secret too short")
        self._secret = secret

    def _sign(self, key: str) -> str:
        mac = hmac.new(self._secret, key.encode("ascii"), hashlib.sha256).digest()[:16]
        return base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")

    def issue(self) -> tuple[str, str]:
        """A new (key, cookie value)."""
        key = secrets.token_urlsafe(24)
        return key, f"{key}.{self._sign(key)}"

    def verify(self, value: str | None) -> str | None:
        """The key of a cookie we issued, or None (missing, malformed or forged)."""
        if not value or len(value) > 64:
            return None
        key, _, sig = value.partition(".")
        if not _KEY.match(key) or not _SIG.match(sig):
            return None
        return key if hmac.compare_digest(sig, self._sign(key)) else None


@dataclass
class Policy:
    """Header and proxy settings (from the command line)."""

    #: CSP frame-ancestors sources allowed to embed the page (the portal), e.g. https://www.example.gov.cn
    frame_ancestors: Sequence[str] = ("'self'",)
    #: Origins allowed to POST; empty: the page's own origin (from Host and the scheme).
    origins: Sequence[str] = ()
    #: TLS ends at a reverse proxy: cookies are Secure, X-Forwarded-Proto/-For/-Host are trusted.
    behind_tls: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    def csp(self) -> str:
        ancestors = " ".join(self.frame_ancestors) or "'none'"
        return (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
            f"form-action 'none'; frame-ancestors {ancestors}"
        )

    def headers(self) -> dict[str, str]:
        h = {
            "Content-Security-Policy": self.csp(),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
            "Cross-Origin-Opener-Policy": "same-origin",
            "Cross-Origin-Resource-Policy": "same-origin",
        }
        if list(self.frame_ancestors) == ["'self'"]:
            h["X-Frame-Options"] = "SAMEORIGIN"
        elif list(self.frame_ancestors) in ([], ["'none'"]):
            h["X-Frame-Options"] = "DENY"
        if self.behind_tls:
            h["Strict-Transport-Security"] = "max-age=31536000"
        h.update(self.extra)
        return h

    # ------------------------------------------------------------------ the request's view

    def scheme(self, request: web.Request) -> str:
        proto = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
        if self.behind_tls:
            return proto or "https"
        return request.scheme

    def secure(self, request: web.Request) -> bool:
        """Cookies get Secure behind TLS, or when the request says it came over https."""
        proto = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
        return self.behind_tls or proto == "https" or request.scheme == "https"

    def client(self, request: web.Request) -> str:
        """The client address for per-IP limits: the proxy's X-Forwarded-For (last hop) only
        when we are told a proxy is in front, else the peer address."""
        if self.behind_tls:
            forwarded = request.headers.get("X-Forwarded-For", "")
            hops = [h.strip() for h in forwarded.split(",") if h.strip()]
            if hops:
                return hops[-1][:64]
        return request.remote or "?"

    def own_origin(self, request: web.Request) -> str:
        host = request.host
        if self.behind_tls:
            host = request.headers.get("X-Forwarded-Host", "").split(",")[0].strip() or host
        return f"{self.scheme(request)}://{host}".lower()

    def origin_ok(self, request: web.Request) -> bool:
        """A state-changing request must carry the Origin of our page (browsers always send it on
        POST). Missing, 'null' or foreign origins are refused."""
        origin = request.headers.get("Origin", "").strip().lower()
        if not origin or origin == "null":
            return False
        allowed = [o.rstrip("/").lower() for o in self.origins] or [self.own_origin(request)]
        return origin.rstrip("/") in allowed


def set_cookie(response: web.StreamResponse, value: str, *, secure: bool) -> None:
    response.set_cookie(
        COOKIE,
        value,
        max_age=COOKIE_MAX_AGE,
        path="/",
        httponly=True,
        samesite="Strict",
        secure=secure,
    )
