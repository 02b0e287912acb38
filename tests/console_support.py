"""Shared set-up for the console tests: a real SQLite store with requests made through the Store
API, the bundled knowledge, a settable clock, and aiohttp's test client on 127.0.0.1."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.console_auth import create_login_link
from bot.knowledge import load_knowledge
from bot.store import COMPLETED, IN_PROGRESS, LOCAL_TZ, NEEDS_CORRECTION, Store
from handlers.console import build_app

KNOWLEDGE = load_knowledge()

#: A Monday morning, county time.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=LOCAL_TZ)
STAFF, OTHER_STAFF, ADMIN, STRANGER = 111, 222, 999, 555
RESIDENT = "tg:5555"
WEB_RESIDENT = "web:k3y"

NAME = "张三丰"
ID_NUMBER = "130102199003071234"
MOBILE = "13812345678"
ADDRESS = "柏乡县某某镇某某村1号"

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class Clock:
    """The console's clock; tests move it forward."""

    def __init__(self, at: datetime = NOW) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@dataclass
class MutableRoles:
    """Staff and admin lists a test may change while sessions are open."""

    staff_ids: set[int] = field(default_factory=lambda: {STAFF, OTHER_STAFF})
    admin_ids: set[int] = field(default_factory=lambda: {ADMIN})

    def is_staff(self, user_id: int | None) -> bool:
        return user_id is not None and (user_id in self.staff_ids or user_id in self.admin_ids)

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admin_ids


def disclosure_data(name: str = NAME, applicant: str = "公民") -> dict[str, Any]:
    return {
        "form": "disclosure",
        "fields": {
            "applicant_type": applicant,
            "name": name,
            "id_number": ID_NUMBER,
            "mobile": MOBILE,
            "address": ADDRESS,
            "description": "2025年本县道路改造工程的立项批复文件",
            "medium": "电子",
            "delivery": "邮寄",
        },
    }


@dataclass
class Seeded:
    assigned: str  # GK, assigned to STAFF, due in 10 days, thread + note
    overdue: str  # GK from the web, 处理中, due 3 days ago, unassigned, 法人
    correction: str  # CD, 需补正, due passed (not overdue: clock stopped)
    handover: str  # 咨询, no due date
    closed: str  # GK, 已办结
    forgotten: str  # GK, assigned to STAFF, resident asked to be forgotten


def seed(store: Store, now: datetime = NOW) -> Seeded:
    today = now.date()
    a = store.create_request(
        "信息公开",
        "GK",
        RESIDENT,
        disclosure_data(),
        "县政府办公室",
        today,
        today + timedelta(days=10),
        False,
        now - timedelta(hours=5),
    )
    store.assign(a.reference, f"tg:{STAFF}", now - timedelta(hours=4))
    store.set_status(a.reference, IN_PROGRESS, by=f"tg:{STAFF}", note="认领", now=now - timedelta(hours=4))
    store.add_message(
        a.reference, "resident", RESIDENT, f"我的电话是{MOBILE}，请尽快", now - timedelta(hours=3)
    )
    store.add_message(a.reference, "staff", f"tg:{STAFF}", "已收到，正在办理。", now - timedelta(hours=2))
    store.add_note(a.reference, f"tg:{STAFF}", "需要向档案室调取", now - timedelta(hours=1))
    store.set_meta(f"staff:{STAFF}", "王科员")

    b = store.create_request(
        "信息公开",
        "GK",
        WEB_RESIDENT,
        disclosure_data("李四", "法人或其他组织"),
        "县政府办公室",
        today - timedelta(days=40),
        today - timedelta(days=3),
        False,
        now - timedelta(days=40),
        applicant_type="商业企业",  # the statutory kind recorded at submission (bot/outcomes.py)
    )
    store.set_status(b.reference, IN_PROGRESS, by=f"tg:{OTHER_STAFF}", now=now - timedelta(days=39))

    c = store.create_request(
        "异地查档",
        "CD",
        "tg:6666",
        {"form": "archive_lookup", "fields": {"name": "赵六", "id_number": ID_NUMBER, "mobile": MOBILE}},
        "县档案馆",
        today - timedelta(days=20),
        today - timedelta(days=1),
        False,
        now - timedelta(days=20),
    )
    store.set_status(c.reference, NEEDS_CORRECTION, by=f"tg:{OTHER_STAFF}", now=now - timedelta(days=19))

    d = store.create_request(
        "咨询",
        "ZX",
        "tg:7777",
        {"reason": "requested", "conversation": [{"from": "resident", "text": f"电话{MOBILE}怎么办"}]},
        "柏乡县人民政府办公室",
        today,
        None,
        False,
        now - timedelta(minutes=30),
    )

    e = store.create_request(
        "信息公开",
        "GK",
        "tg:8888",
        disclosure_data("钱七"),
        "县政府办公室",
        today - timedelta(days=30),
        today - timedelta(days=2),
        False,
        now - timedelta(days=30),
    )
    store.set_status(e.reference, IN_PROGRESS, by=f"tg:{STAFF}", now=now - timedelta(days=29))
    store.add_message(e.reference, "staff", f"tg:{STAFF}", "答复如下", now - timedelta(days=28))
    store.set_status(e.reference, COMPLETED, by=f"tg:{STAFF}", now=now - timedelta(days=25))

    f = store.create_request(
        "信息公开",
        "GK",
        "tg:9999",
        disclosure_data("孙八"),
        "县政府办公室",
        today,
        today + timedelta(days=20),
        False,
        now - timedelta(hours=6),
    )
    store.assign(f.reference, f"tg:{STAFF}", now - timedelta(hours=6))
    store.forget_resident("tg:9999", now - timedelta(hours=5))
    return Seeded(a.reference, b.reference, c.reference, d.reference, e.reference, f.reference)


@contextlib.asynccontextmanager
async def console_client(
    store: Store,
    *,
    roles: Any = None,
    clock: Clock | None = None,
    behind_tls: bool = False,
    app: web.Application | None = None,
) -> AsyncIterator[TestClient]:
    if app is None:
        app = build_app(
            store=store,
            knowledge_getter=lambda: KNOWLEDGE,
            settings=roles or MutableRoles(),
            now=clock or Clock(),
            behind_tls=behind_tls,
        )
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client


def link_token(link: str) -> str:
    return parse_qs(urlsplit(link).query)["t"][0]


async def login(
    client: TestClient,
    store: Store,
    user: str,
    role: str = "staff",
    *,
    source: str = "cli",
    now: datetime | None = None,
) -> Any:
    """Open a fresh one-time link in the client (its cookie jar keeps the session)."""
    link = create_login_link(store, user, role, "http://127.0.0.1", source=source, now=now or NOW)  # type: ignore[arg-type]
    page = await client.get(urlsplit(link).path + "?" + urlsplit(link).query)
    assert page.status == 200
    response = await client.post("/console/login", data={"t": link_token(link)}, allow_redirects=False)
    return response


async def csrf_of(client: TestClient, path: str = "/console/requests") -> str:
    page = await client.get(path)
    match = CSRF.search(await page.text())
    assert match, "no CSRF token on the page"
    return match.group(1)


def day(offset: int = 0) -> date:
    return NOW.date() + timedelta(days=offset)
