"""Helpers for the web chat tests (tests/test_web_*.py): the real aiohttp application on
127.0.0.1 with the bundled knowledge, a real SQLite file and a pinned clock."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, CookieJar, web
from aiohttp.test_utils import TestClient, TestServer

from bot.dialog import Engine
from bot.store import Store
from handlers.web.app import CHAT, WebChat, WebConfig, build_app
from handlers.web.security import COOKIE
from tests.dialog_support import ID, MOBILE, Clock, bundled


@dataclass
class Web:
    """A running web channel and one browser-like client (cookie jar, our Origin)."""

    app: web.Application
    client: TestClient
    store: Store
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def chat(self) -> WebChat:
        return self.app[CHAT]

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.client.server.port}"

    def cookie(self) -> str | None:
        for c in self.client.session.cookie_jar:
            if c.key == COOKIE:
                return c.value
        return None

    async def open(self) -> dict[str, Any]:
        resp = await self.client.get("/api/history")
        assert resp.status == 200
        return await resp.json()

    async def post(self, body: Any, *, origin: str | None = "", **kw: Any) -> Any:
        headers = {"Content-Type": "application/json"}
        if origin is not None:
            headers["Origin"] = origin or self.origin
        headers.update(kw.pop("headers", {}))
        data = None if isinstance(body, dict | list) else body
        return await self.client.post(
            "/api/message", json=None if data is not None else body, data=data, headers=headers, **kw
        )

    async def send(self, body: dict[str, Any], *, expect: int = 200) -> dict[str, Any]:
        resp = await self.post(body)
        data = await resp.json()
        assert resp.status == expect, data
        self.rows += data.get("messages", [])
        return data

    async def say(self, text: str, contains: str | None = None) -> str:
        data = await self.send({"text": text})
        reply = "\n".join(m["text"] for m in data["messages"] if m["role"] == "bot")
        if contains is not None:
            assert contains in reply, reply
        return reply

    async def press(self, label: str, contains: str | None = None) -> str:
        for row in reversed(self.rows):
            for button_label, payload in row["buttons"]:
                if button_label == label:
                    data = await self.send({"payload": payload, "label": label})
                    reply = "\n".join(m["text"] for m in data["messages"] if m["role"] == "bot")
                    if contains is not None:
                        assert contains in reply, reply
                    return reply
        raise AssertionError(f"no button {label!r}")


@contextlib.asynccontextmanager
async def running_web(
    db: Path, *, clock: Clock | None = None, store: Store | None = None, **config: Any
) -> AsyncIterator[Web]:
    own = store is None
    store = store or Store(db)
    engine = Engine(bundled(), store, clock=clock or Clock())
    app = build_app(store=store, engine=engine, config=WebConfig(**config), clock=clock or Clock())
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    try:
        yield Web(app, client, store)
    finally:
        await client.close()
        if own:
            store.close()


def browser() -> ClientSession:
    """A second browser with its own cookie jar (``unsafe``: the server is an IP address)."""
    return ClientSession(cookie_jar=CookieJar(unsafe=True))


async def fill_disclosure(w: Web, name: str = "张三") -> str:
    """The 信息公开 application over the API, buttons where there are buttons; the receipt."""
    await w.send({"start": True})
    await w.press("信息公开申请", contains="申请人类型")
    await w.press("公民", contains="姓名")
    await w.say(name, contains="身份证号码")
    await w.say(ID, contains="手机号码")
    await w.say(MOBILE, contains="通信地址")
    await w.say("柏乡县某某镇某某村1号", contains="请描述")
    await w.say("2025年本县道路改造工程的立项批复文件", contains="什么形式")
    await w.press("电子", contains="什么方式")
    await w.press("邮寄", contains="用途")
    await w.press("跳过", contains="请核对")
    return await w.press("确认提交", contains="申请编号")
