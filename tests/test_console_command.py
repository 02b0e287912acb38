"""``/console`` through the real PTB Application against the fake Bot API, and the console
mounted beside the chat by ``citizen-bot web``'s set-up (``mount_console``)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot import audit
from bot.config import ConfigError
from bot.console_auth import redeem_link, roles_from_environment
from bot.dialog import Engine
from bot.knowledge import BUNDLED_KNOWLEDGE
from bot.messages import catalogue_of
from bot.store import Store
from handlers.web.app import build_app
from handlers.web.server import mount_console
from tests.dialog_support import Clock, bundled
from tests.telegram_support import ADMIN, STAFF, STAFF_CHAT, STRANGER, running

BASE = "https://console.example.gov.cn"
# the /console replies, as the office words them (knowledge/messages/telegram.yaml)
NO_URL = catalogue_of(bundled()).text("telegram.console_no_url")
NOT_STAFF = catalogue_of(bundled()).text("telegram.console_not_staff")
PRIVATE_ONLY = catalogue_of(bundled()).text("telegram.console_private_only")


async def test_staff_get_a_one_time_link_in_private_with_previews_off(fake, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CITIZEN_BOT_CONSOLE_URL", BASE)
    async with running(fake, tmp_path / "bot.db") as h:
        call = await h.say("/console", STAFF, contains="登录链接")
        assert call.params["link_preview_options"] == {"is_disabled": True}
        link = next(w for w in call.text.split() if w.startswith(BASE))
        assert urlsplit(link).path == "/console/login"
        token = parse_qs(urlsplit(link).query)["t"][0]
        login = redeem_link(h.store, token, h.svc.settings, now=h.svc.now())
        assert login.outcome == "ok" and login.session.role == "staff" and login.session.user == f"tg:{STAFF}"
        assert redeem_link(h.store, token, h.svc.settings, now=h.svc.now()).outcome == "used"

        admin = await h.say("/console", ADMIN, contains="登录链接")
        token = parse_qs(urlsplit(next(w for w in admin.text.split() if w.startswith(BASE))).query)["t"][0]
        assert redeem_link(h.store, token, h.svc.settings, now=h.svc.now()).session.role == "admin"
        issued = [e for e in audit.entries(h.store) if e.action == "link_issued"]
        assert {e.actor for e in issued} == {f"tg:{STAFF}", f"tg:{ADMIN}"}


async def test_console_is_refused_to_strangers_in_groups_and_without_an_address(
    fake, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("CITIZEN_BOT_CONSOLE_URL", BASE)
    async with running(fake, tmp_path / "bot.db") as h:
        refused = await h.say("/console", STRANGER, contains=NOT_STAFF)
        assert BASE not in refused.text
        group = await h.staff_says("/console", STAFF, contains=PRIVATE_ONLY)
        assert BASE not in group.text and group.chat_id == STAFF_CHAT
        monkeypatch.delenv("CITIZEN_BOT_CONSOLE_URL")
        await h.say("/console", STAFF, contains=NO_URL)
        audit.ensure_schema(h.store)
        assert not [e for e in audit.entries(h.store) if e.action == "link_issued"]


def test_console_roles_come_from_the_environment_or_the_config_file(tmp_path) -> None:
    roles = roles_from_environment({"CITIZEN_BOT_STAFF_IDS": "1, 2", "CITIZEN_BOT_ADMIN_IDS": "3"})
    assert roles.is_staff(1) and roles.is_staff(3) and roles.is_admin(3) and not roles.is_admin(1)
    config = tmp_path / "bot.toml"
    config.write_text("staff_ids = [7]\nadmin_ids = [8]\n", encoding="utf-8")
    roles = roles_from_environment({"CITIZEN_BOT_CONFIG": str(config)})
    assert roles.is_staff(7) and roles.is_admin(8)
    roles = roles_from_environment({"CITIZEN_BOT_CONFIG": str(config), "CITIZEN_BOT_ADMIN_IDS": "9"})
    assert roles.is_admin(9) and not roles.is_admin(8)  # the environment wins
    with pytest.raises(ConfigError):
        roles_from_environment({"CITIZEN_BOT_STAFF_IDS": "abc"})


async def test_the_web_app_serves_the_console_beside_the_chat(tmp_path) -> None:
    from bot.console_auth import create_login_link

    with Store(tmp_path / "web.db") as store:
        engine = Engine(bundled(), store, clock=Clock())
        app = build_app(engine=engine, store=store)
        console = mount_console(
            app, engine, store, knowledge_dir=BUNDLED_KNOWLEDGE, environ={"CITIZEN_BOT_ADMIN_IDS": "77"}
        )
        assert console.swap_knowledge == engine.swap_knowledge
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            assert (await client.get("/")).status == 200  # the chat
            assert (await client.get("/console/requests")).status == 401
            link = create_login_link(store, "tg:77", "admin", "http://127.0.0.1", source="telegram")
            token = parse_qs(urlsplit(link).query)["t"][0]
            await client.get(f"/console/login?t={token}")
            assert (await client.post("/console/login", data={"t": token})).status == 200
            page = await client.get("/console/knowledge")
            assert page.status == 200 and "知识库" in await page.text()
            assert "default-src 'none'" in page.headers["Content-Security-Policy"]
