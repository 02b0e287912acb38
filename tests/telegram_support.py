"""Helpers for the Telegram end-to-end tests (tests/test_telegram_*.py).

The real Application from ``handlers.telegram.app.build_application`` runs in long polling against
``tests.fake_telegram.FakeTelegram`` on 127.0.0.1, with the bundled knowledge, a real SQLite
file and a pinned clock (Monday 2026-11-23 10:00, Asia/Shanghai)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from stdnum.cn import ric
from telegram.ext import Application

from bot.config import CONFIG_ENV, ENV, Settings
from bot.store import Store
from handlers.telegram.app import build_application
from handlers.telegram.common import Services
from tests.dialog_support import Clock, bundled
from tests.fake_telegram import Call, FakeTelegram, polling_app

ROOT = Path(__file__).resolve().parent.parent
TZ = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)
TOKEN = "123:TEST"
STAFF_CHAT = -1005000
STAFF = 900
ADMIN = 901
RESIDENT = 1001
OTHER_RESIDENT = 1002
STRANGER = 555
MOBILE = "13812345678"

# PTB warns whenever it builds a RetryAfter (see the fake_telegram docstring).
RETRY_AFTER_WARNING = "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"


def valid_id(birth: str = "19900307", area: str = "130102", seq: str = "123") -> str:
    body = area + birth + seq
    return body + ric.calc_check_digit(body + "0")


ID = valid_id()


#: The bundled knowledge, loaded once per run (shared with the engine tests).
knowledge = bundled


def make_settings(fake: FakeTelegram, **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(
        token=TOKEN,
        staff_chat_id=STAFF_CHAT,
        staff_ids=frozenset({STAFF}),
        admin_ids=frozenset({ADMIN}),
        base_url=fake.base_url,
        base_file_url=fake.base_file_url,
        digest_time=None,
        reminder_time=None,
        send_backoff=0.05,
        outbox_interval=0.2,
        send_rate=1000.0,
        send_burst=100,
        read_timeout=3.0,
    )
    values.update(overrides)
    return Settings(**values)


@dataclass
class Harness:
    app: Application
    fake: FakeTelegram
    store: Store
    errors: list[BaseException] = field(default_factory=list)

    @property
    def svc(self) -> Services:
        return self.app.bot_data["svc"]

    async def say(self, text: str, user: int = RESIDENT, *, contains: str | None = None, **kw: Any) -> Call:
        """A resident's message; waits for the first reply (containing ``contains``)."""
        mark = self.fake.mark()
        self.fake.push_message(user, user, text, **kw)
        return await self.fake.wait_for_message_async(chat_id=user, contains=contains, since=mark)

    async def press(
        self,
        label: str,
        chat: int = RESIDENT,
        user: int | None = None,
        *,
        contains: str | None = None,
        reply_chat: int | None = None,
    ) -> Call:
        """Press the button labelled ``label`` on the bot's latest message in ``chat`` that has it."""
        user = chat if user is None else user
        message_id, data = self.find_button(chat, label)
        mark = self.fake.mark()
        self.fake.push_callback(
            chat, user, data, message_id, chat_type="private" if chat > 0 else "supergroup"
        )
        return await self.fake.wait_for_message_async(
            chat_id=chat if reply_chat is None else reply_chat, contains=contains, since=mark
        )

    def find_button(self, chat: int, label: str) -> tuple[int, str]:
        for call in reversed(self.fake.calls()):
            if call.method not in ("sendMessage", "editMessageText") or not call.ok:
                continue
            msg = call.result if isinstance(call.result, dict) else None
            if msg is None or msg["chat"]["id"] != chat:
                continue
            for row in call.buttons():
                for button in row:
                    if button.get("text") == label:
                        return msg["message_id"], button["callback_data"]
        raise AssertionError(f"no button {label!r} in chat {chat}")

    async def staff_says(
        self,
        text: str,
        user: int = STAFF,
        *,
        reply_to: int | None = None,
        contains: str | None = None,
        chat: int = STAFF_CHAT,
    ) -> Call:
        mark = self.fake.mark()
        self.fake.push_message(
            chat, user, text, chat_type="supergroup" if chat < 0 else "private", reply_to_message_id=reply_to
        )
        return await self.fake.wait_for_message_async(chat_id=chat, contains=contains, since=mark)


async def until(predicate: Any, timeout: float = 5.0) -> None:
    """Wait (bounded) until ``predicate()`` is true, e.g. a store write after a send."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(0.01)


@contextlib.asynccontextmanager
async def running(
    fake: FakeTelegram, db: Path, *, clock: Clock | None = None, busy_ms: int = 5000, **overrides: Any
) -> AsyncIterator[Harness]:
    """The real Application polling the fake server, on a real SQLite file; `overrides` go to
    the settings, `busy_ms` is the store's wait for a locked database."""
    store = Store(db, busy_timeout_ms=busy_ms)
    app = build_application(make_settings(fake, **overrides), knowledge(), store, clock=clock or Clock())
    harness = Harness(app, fake, store)

    async def collect(update: object, context: Any) -> None:
        harness.errors.append(context.error)

    app.add_error_handler(collect)
    try:
        async with polling_app(app, timeout=1):
            yield harness
    finally:
        store.close()


async def fill_disclosure(h: Harness, user: int = RESIDENT, name: str = "张三") -> Call:
    """A resident completes the disclosure application with buttons where there are buttons;
    returns the receipt."""
    await h.say("/start", user, contains="柏乡县人民政府办公室")
    await h.press("信息公开申请", user, contains="申请人类型")
    await h.press("公民", user, contains="姓名")
    await h.say(name, user, contains="身份证号码")
    await h.say(ID, user, contains="手机号码")
    await h.say(MOBILE, user, contains="通信地址")
    await h.say("柏乡县某某镇某某村1号", user, contains="请描述")
    await h.say("2025年本县道路改造工程的立项批复文件", user, contains="什么形式")
    await h.press("电子", user, contains="什么方式")
    await h.press("邮寄", user, contains="用途")
    summary = await h.press("跳过", user, contains="请核对")
    assert ID in summary.text  # the owner checks their own data in full (issue 10)
    return await h.press("确认提交", user, contains="申请编号")


def start_bot(fake: FakeTelegram, db: Path, *args: str, **env: str) -> subprocess.Popen:
    """``citizen-bot run`` in a child process against ``fake``, configured by environment only
    (none of the caller's CITIZEN_BOT_* settings leak in); ``env`` adds or overrides variables."""
    clean = {k: v for k, v in os.environ.items() if k not in ENV.values() and k != CONFIG_ENV}
    clean.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        CITIZEN_BOT_STAFF_CHAT_ID=str(STAFF_CHAT),
        CITIZEN_BOT_STAFF_IDS=str(STAFF),
        CITIZEN_BOT_DB=str(db),
        CITIZEN_BOT_DIGEST_TIME="off",
        CITIZEN_BOT_REMINDER_TIME="off",
        **env,
    )
    return subprocess.Popen(
        [sys.executable, "-m", "cli", "run", "--base-url", fake.base_url, *args],
        cwd=ROOT,
        env=clean,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def card_of(h: Any, reference: str) -> Any:
    """The staff card of a request just filed, once the bot has recorded it as the request's
    main card (just after Telegram answered): from then on a button on it or a reply to it
    finds the request."""
    card = await h.fake.wait_for_message_async(chat_id=STAFF_CHAT, contains=reference)
    where = f"{STAFF_CHAT}:{card.message_id}"
    await until(lambda: h.store.get_meta(f"card:{reference}") == where)
    return card
