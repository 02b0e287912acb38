"""`citizen-bot run` with a web port (issue 13): the real PTB Application against the fake Bot API
serves the web chat and the console on 127.0.0.1 in the same process, on the same store, engine
and outbox. A web resident's application reaches the staff group as a card (渠道：网页), a staff
reply reaches the web history, and the console answers on the same port."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from aiohttp import ClientSession

from bot.config import ConfigError, load_settings
from bot.store import LOCAL_TZ
from handlers.web.app import CHAT
from tests.console_support import login
from tests.telegram_support import STAFF, STAFF_CHAT, Harness, card_of, running
from tests.web_support import Web, browser, fill_disclosure

REF = "GK-20261123-0001"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Client:
    """The part of aiohttp's TestClient that ``tests.web_support.Web`` and ``console_support.login``
    use, over a real session against the port `run` serves."""

    def __init__(self, session: ClientSession, port: int) -> None:
        self.session = session
        self.server = SimpleNamespace(port=port)
        self.base = f"http://127.0.0.1:{port}"

    def get(self, path: str, **kw: Any) -> Any:
        return self.session.get(self.base + path, **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self.session.post(self.base + path, **kw)


@contextlib.asynccontextmanager
async def web_of(h: Harness, port: int) -> AsyncIterator[Web]:
    async with browser() as session:
        client = _Client(session, port)
        beside = h.app.bot_data["web"]
        yield Web(beside.app, client, h.store)  # type: ignore[arg-type]


async def test_run_serves_the_web_chat_beside_telegram_on_one_store(fake, tmp_path: Path) -> None:
    port = free_port()
    async with running(fake, tmp_path / "bot.db", web_port=port) as h:
        async with web_of(h, port) as w:
            assert (await w.open())["messages"] == []
            receipt = await fill_disclosure(w)
            assert REF in receipt
            # shown once: the owed receipt went through the outbox into the history, not twice
            history = (await w.open())["messages"]
            assert sum(REF in m["text"] and "申请编号" in m["text"] for m in history) == 1
            assert w.chat.engine is h.svc.engine and w.app[CHAT].store is h.store

            # the card reaches the staff group from this process at once, marked as from the web
            card = await card_of(h, REF)
            assert "渠道：网页" in card.message["text"]

            # a staff reply to the card lands in the resident's web history
            fake.push_message(
                STAFF_CHAT,
                STAFF,
                "您好，材料已收到。",
                chat_type="supergroup",
                reply_to_message_id=card.message_id,
            )

            async def staff_row() -> bool:
                rows = (await w.open())["messages"]
                return any(m["role"] == "staff" and "材料已收到" in m["text"] for m in rows)

            for _ in range(250):  # bounded wait, no timing asserted
                if await staff_row():
                    break
                await asyncio.sleep(0.02)
            assert await staff_row()
            assert h.store.outbox_pending() == 0

        # the console answers on the same port, with the Telegram staff list's roles
        async with web_of(h, port) as staff:
            response = await login(staff.client, h.store, f"tg:{STAFF}", now=datetime.now(LOCAL_TZ))  # type: ignore[arg-type]
            assert response.status == 303
            page = await staff.client.get("/console/requests")
            assert page.status == 200
            assert REF in await page.text()
    assert h.errors == []
    # stopped with the bot: nothing listens on the port any more
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


def test_web_port_settings_come_from_flags_env_and_config(tmp_path: Path) -> None:
    base = {"TELEGRAM_BOT_TOKEN": "1:x", "CITIZEN_BOT_STAFF_CHAT_ID": "-100"}
    assert load_settings({}, environ=base).web_port is None
    env = {
        **base,
        "CITIZEN_BOT_WEB_PORT": "8090",
        "CITIZEN_BOT_WEB_BEHIND_TLS": "yes",
        "CITIZEN_BOT_WEB_ORIGINS": "https://chat.example.gov.cn, https://b.example.gov.cn",
    }
    settings = load_settings({}, environ=env)
    assert settings.web_port == 8090 and settings.web_listen == "127.0.0.1" and settings.web_behind_tls
    assert settings.web_origins == ("https://chat.example.gov.cn", "https://b.example.gov.cn")
    config = tmp_path / "bot.toml"
    config.write_text('web_port = 8070\nweb_frame_ancestors = ["https://www.example.gov.cn"]\n')
    from_file = load_settings({}, environ=base, config_file=config)
    assert from_file.web_port == 8070 and from_file.web_frame_ancestors == ("https://www.example.gov.cn",)
    assert load_settings({"web_port": 8060}, environ=env, config_file=config).web_port == 8060  # flag wins
    with pytest.raises(ConfigError, match="CITIZEN_BOT_WEB_PORT"):
        load_settings({}, environ={**base, "CITIZEN_BOT_WEB_PORT": "web"})
    with pytest.raises(ConfigError, match="CITIZEN_BOT_WEB_BEHIND_TLS"):
        load_settings({}, environ={**base, "CITIZEN_BOT_WEB_BEHIND_TLS": "maybe"})
