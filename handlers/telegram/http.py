"""The Bot API over aiohttp: python-telegram-bot's ``BaseRequest`` with a cheaper HTTP client.

Why: the bot is CPU-bound in its HTTP client. Measured with ``bench/e2e.py --profile``, PTB's
default ``HTTPXRequest`` (httpx, httpcore, anyio, h11: all pure Python) spent about two thirds
of the bot's CPU per update; aiohttp parses HTTP in C and keeps connections alive with far less
bookkeeping. ``BaseRequest`` is PTB's documented seam for this (``ApplicationBuilder.request``
and ``get_updates_request``); status codes, Bot API errors, ``RetryAfter`` and JSON decoding stay
PTB's own (``BaseRequest.post``), so this module only moves bytes.

Bodies are JSON (the Bot API accepts ``application/json``; no percent-encoding of Chinese text),
or multipart when a call uploads a file. Timeouts follow PTB's meaning: ``connect`` covers
waiting for a pooled connection plus connecting; ``read`` is the wait for the response (long
polling passes its own). aiohttp has no write timeout; the read timeout bounds a stalled upload.
A proxy (where Telegram is reachable only through one) comes from ``HTTPS_PROXY`` / ``NO_PROXY``
in the environment, as with PTB's default client, but read once when the session starts and
remembered per host: aiohttp's ``trust_env`` re-reads the environment and looks for a netrc file
in the thread pool on every call, about 0.9 ms of CPU per update (issue 15).
"""

from __future__ import annotations

import json
import logging
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)

_JSON_HEADERS = {"Content-Type": "application/json", "User-Agent": BaseRequest.USER_AGENT}
_PLAIN_HEADERS = {"User-Agent": BaseRequest.USER_AGENT}


class AiohttpRequest(BaseRequest):
    """One aiohttp session with a pool of keep-alive connections to the Bot API server."""

    def __init__(
        self,
        *,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        proxy: str | None = None,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._proxy = proxy
        #: proxy settings read from the environment once, at initialize(); host -> proxy or None
        self._env_proxies: dict[str, str] = {}
        self._proxy_by_host: dict[str, str | None] = {}
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size, ttl_dns_cache=300),
                timeout=aiohttp.ClientTimeout(total=None),
                skip_auto_headers=("User-Agent",),
                trust_env=False,  # the environment is read once, below, not on every call
            )
            self._env_proxies = urllib.request.getproxies_environment()
            self._proxy_by_host = {}

    def proxy_for(self, url: str) -> str | None:
        """The explicit proxy, else the environment's for this URL's scheme unless NO_PROXY names the host."""
        if self._proxy is not None:
            return self._proxy
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self._proxy_by_host:
            chosen = self._env_proxies.get(parts.scheme) or self._env_proxies.get("all")
            if chosen and urllib.request.proxy_bypass_environment(parts.hostname or "", self._env_proxies):
                chosen = None
            self._proxy_by_host[key] = chosen or None
        return self._proxy_by_host[key]

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def _timeout(
        self, read: ODVInput[float], connect: ODVInput[float], pool: ODVInput[float]
    ) -> aiohttp.ClientTimeout:
        read_s = self._read_timeout if isinstance(read, DefaultValue) else read
        connect_s = self._connect_timeout if isinstance(connect, DefaultValue) else connect
        pool_s = self._pool_timeout if isinstance(pool, DefaultValue) else pool
        waiting = None if connect_s is None and pool_s is None else (connect_s or 0) + (pool_s or 0)
        return aiohttp.ClientTimeout(total=None, connect=waiting, sock_connect=connect_s, sock_read=read_s)

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        timeout = self._timeout(read_timeout, connect_timeout, pool_timeout)
        data: bytes | aiohttp.FormData | None = None
        headers = _PLAIN_HEADERS
        if request_data is not None and request_data.contains_files:
            data = _multipart(request_data)
        elif request_data is not None and request_data.parameters:
            data = json.dumps(request_data.parameters, ensure_ascii=False).encode()
            headers = _JSON_HEADERS
        try:
            async with self._session.request(
                method, url, data=data, headers=headers, timeout=timeout, proxy=self.proxy_for(url)
            ) as response:
                return response.status, await response.read()
        except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            # the class name helps when the message is empty (as for a dropped connection)
            raise NetworkError(f"aiohttp.{exc.__class__.__name__}: {exc}") from exc


def _multipart(request_data: RequestData) -> aiohttp.FormData:
    """Parameters as form fields, files as parts (``sendDocument`` and friends)."""
    form = aiohttp.FormData(quote_fields=False)
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, part in request_data.multipart_data.items():
        if isinstance(part, tuple):
            filename, content, *rest = part
            form.add_field(name, content, filename=filename, content_type=rest[0] if rest else None)
        else:
            form.add_field(name, part)
    return form


class JsonBody(RequestData):
    """A call's parameters as a JSON-ready dict (already in Bot API shape), for ``BotApi``."""

    __slots__ = ("_body",)

    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__([])
        self._body = body

    @property
    def parameters(self) -> dict[str, Any]:
        return self._body

    @property
    def json_parameters(self) -> dict[str, str]:
        """For request classes that send form fields (PTB's ``HTTPXRequest``)."""
        return {
            k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for k, v in self._body.items()
        }


class BotApi:
    """Bot API calls on the hot path (sendMessage, answerCallbackQuery), as plain JSON.

    Why not ``Bot.send_message``: PTB turns every argument into a ``RequestParameter`` and every
    result into a ``Message`` (with its keyboard), about a quarter of a millisecond per send that
    we throw away, since a send only needs the new message's id. Errors are still PTB's own:
    ``BaseRequest.post`` raises ``BadRequest``, ``Forbidden``, ``RetryAfter``, ``ChatMigrated``,
    ``TimedOut`` and ``NetworkError`` exactly as for ``Bot`` methods.
    """

    def __init__(self, request: BaseRequest, base_url: str) -> None:
        self.request = request
        self.base_url = base_url  # with the token: https://api.telegram.org/bot<token>

    async def call(
        self,
        method: str,
        params: dict[str, Any],
        *,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> Any:
        """The call's ``result`` (a dict for a message, True for most others)."""
        if log.isEnabledFor(logging.DEBUG):  # ids only: texts may hold personal data
            log.debug("Bot API %s (chat %s)", method, params.get("chat_id"))
        return await self.request.post(
            f"{self.base_url}/{method}",
            JsonBody(params),
            read_timeout=read_timeout,
            connect_timeout=connect_timeout,
        )
