"""Reliability of the Telegram channel: 429 and network faults, the outbox, restarts, duplicates,
per-chat order. The real Application in long polling against FakeTelegram on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from telegram import Chat, Message, Update, User

from handlers.telegram.app import ChatSequentialProcessor
from handlers.telegram.send import RateLimiter, split_text, utf16_len
from tests.fake_telegram import FakeTelegram
from tests.telegram_support import (
    ID,
    MOBILE,
    OTHER_RESIDENT,
    RESIDENT,
    RETRY_AFTER_WARNING,
    STAFF_CHAT,
    running,
    until,
)

pytestmark = pytest.mark.filterwarnings(RETRY_AFTER_WARNING)


def statuses(fake: FakeTelegram, chat: int, since: int = 0) -> list[int]:
    return [c.status for c in fake.calls("sendMessage", since=since) if c.chat_id == chat]


async def test_429_once_and_the_message_still_arrives(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        fake.fail_next("sendMessage", status=429, retry_after=1)
        mark = fake.mark()
        started = time.monotonic()
        fake.push_message(RESIDENT, RESIDENT, "/start")
        welcome = await fake.wait_for_message_async(chat_id=RESIDENT, since=mark, timeout=5)
        assert "柏乡县人民政府办公室" in welcome.text
        assert time.monotonic() - started >= 1.0  # waited as Telegram asked
        assert statuses(fake, RESIDENT, mark) == [429, 200]
        assert h.store.outbox_pending() == 0
    assert h.errors == []


async def test_network_errors_go_to_the_outbox_and_are_sent_later_in_order(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db", send_attempts=3, read_timeout=0.5) as h:
        await h.say("/start")
        # the button's reply (intro + first question, one message) fails every attempt
        fake.fail_next("sendMessage", status=502, count=3)
        mark = fake.mark()
        message_id, data = h.find_button(RESIDENT, "信息公开申请")
        fake.push_callback(RESIDENT, RESIDENT, data, message_id)
        question = await fake.wait_for_message_async(chat_id=RESIDENT, contains="申请人类型", since=mark)
        assert statuses(fake, RESIDENT, mark)[:3] == [502, 502, 502]
        delivered = [c.text for c in fake.sent_messages(RESIDENT, since=mark)]
        assert delivered[0].startswith("下面开始填写") and "申请人类型" in delivered[0]
        assert question.buttons()  # the keyboard survived the outbox
        await until(lambda: h.store.outbox_pending() == 0)
        # the TimedOut case: the first answer is late, the retry is sent; at least once
        fake.delay_next("sendMessage", 1.2)
        mark = fake.mark()
        message_id, data = h.find_button(RESIDENT, "公民")
        fake.push_callback(RESIDENT, RESIDENT, data, message_id)
        await fake.wait_for_message_async(chat_id=RESIDENT, contains="姓名", since=mark, timeout=6)
        await until(lambda: len(fake.calls("sendMessage", since=mark)) == 2)
        late, retry = fake.calls("sendMessage", since=mark)
        assert {late.ok, retry.ok} == {True}
        assert max(late.duration, retry.duration) >= 1.2  # the bot gave up on it (TimedOut) and retried
        assert h.store.outbox_pending() == 0
    assert h.errors == []


async def test_outbox_survives_a_restart(fake, tmp_path):
    db = tmp_path / "bot.db"
    async with running(fake, db, send_attempts=1, outbox_interval=60) as h:
        fake.fail_next("sendMessage", status=500, count=1)
        mark = fake.mark()
        fake.push_message(RESIDENT, RESIDENT, "/start")
        await fake.wait_for_async(method="sendMessage", since=mark)
        await until(lambda: h.store.outbox_pending() == 1)
    mark = fake.mark()
    async with running(fake, db) as h:
        welcome = await fake.wait_for_message_async(chat_id=RESIDENT, since=mark)
        assert "柏乡县人民政府办公室" in welcome.text and welcome.buttons()
        await until(lambda: h.store.outbox_pending() == 0)
    assert h.errors == []


async def test_a_message_telegram_refuses_for_good_becomes_a_dead_letter(fake, tmp_path, caplog):
    caplog.set_level(logging.ERROR, logger="handlers.telegram.send")
    async with running(fake, tmp_path / "bot.db", send_attempts=1) as h:
        fake.fail_next("sendMessage", status=500, count=1)  # the first try: kept in the outbox
        fake.fail_next("sendMessage", status=400, description="Bad Request: message is too long")
        mark = fake.mark()
        fake.push_message(RESIDENT, RESIDENT, "/start")
        await until(lambda: h.store.outbox_failed() == 1)
        assert h.store.outbox_pending() == 0  # given up, not passed off as delivered
        [dead] = h.store.failed_outbox()
        assert dead.chat_key == f"tg:{RESIDENT}"
        assert dead.last_error.lower() == "badrequest: message is too long"
        assert statuses(fake, RESIDENT, mark) == [500, 400]
        assert f"outbox #{dead.id} for tg:{RESIDENT} abandoned" in caplog.text
        # the chat is not held behind the dead letter
        help_text = await h.say("/help")
        assert help_text.ok and h.store.outbox_pending() == 0
    assert h.errors == []


async def test_a_restart_in_the_middle_of_a_form_resumes(fake, tmp_path):
    db = tmp_path / "bot.db"
    async with running(fake, db) as h:
        await h.say("/start")
        await h.press("信息公开申请", contains="申请人类型")
        await h.press("公民", contains="姓名")
        await h.say("张三", contains="身份证号码")
    assert h.errors == []
    # a new Application, a new Store on the same SQLite file
    async with running(fake, db) as h:
        await h.say(ID, contains="手机号码")
        await h.say(MOBILE, contains="通信地址")
        state = h.store.load_session(f"tg:{RESIDENT}")
        assert state["form"]["values"]["name"] == "张三"
    assert h.errors == []


async def test_duplicate_updates_are_processed_once(fake, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="handlers.telegram.app")
    update = fake.push_message(RESIDENT, RESIDENT, "/start")
    fake.push_update(update)  # Telegram delivers the same update again (e.g. after a restart)
    second = fake.push_message(RESIDENT, RESIDENT, "/status")
    async with running(fake, tmp_path / "bot.db") as h:
        await fake.wait_for_message_async(chat_id=RESIDENT, contains="暂无申请")
        await asyncio.sleep(0.2)
        texts = fake.texts(RESIDENT)
        assert len(texts) == 2 and "柏乡县人民政府办公室" in texts[0]
        assert f"duplicate update skipped (update={update['update_id']}" in caplog.text
        assert h.store.seen_update(f"{h.app.bot.id}:{second['update_id']}") is True
    assert h.errors == []


async def test_per_resident_order_is_kept_under_a_burst(fake, tmp_path):
    answers = ["张三", ID, MOBILE, "柏乡县某某镇某某村1号", "2025年本县道路改造工程的立项批复文件"]
    async with running(fake, tmp_path / "bot.db") as h:
        await h.say("/start")
        await h.press("信息公开申请", contains="申请人类型")
        await h.press("公民", contains="姓名")
        mark = fake.mark()
        for text in answers:  # all queued at once; another resident talks at the same time
            fake.push_message(RESIDENT, RESIDENT, text)
            fake.push_message(OTHER_RESIDENT, OTHER_RESIDENT, "人工")
        await fake.wait_for_message_async(chat_id=RESIDENT, contains="什么形式", since=mark)
        prompts = [c.text for c in fake.sent_messages(RESIDENT, since=mark)]
        assert len(prompts) == 5 and "身份证号码" in prompts[0] and "什么形式" in prompts[-1]
        values = h.store.load_session(f"tg:{RESIDENT}")["form"]["values"]
        assert [values[k] for k in ("name", "id_number", "mobile")] == ["张三", ID, MOBILE]
        await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains="居民留言", since=mark)
    assert h.errors == []


# ---------------------------------------------------------------------------------- units


def _update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, "private")
    user = User(chat_id, "x", False)
    return Update(update_id, message=Message(update_id, None, chat, from_user=user, text="t"))


async def test_processor_is_sequential_within_a_chat_and_concurrent_across_chats():
    processor = ChatSequentialProcessor(limit=8)
    await processor.initialize()
    log: list[tuple[str, int, int]] = []
    running_now = {"n": 0, "max": 0}

    async def work(chat: int, n: int, pause: float) -> None:
        running_now["n"] += 1
        running_now["max"] = max(running_now["max"], running_now["n"])
        log.append(("start", chat, n))
        await asyncio.sleep(pause)
        log.append(("end", chat, n))
        running_now["n"] -= 1

    tasks = []
    for n in range(6):
        for chat in (1, 2, 3):
            pause = 0.03 if n % 2 == 0 else 0.001  # later updates are faster: they must still wait
            tasks.append(
                asyncio.create_task(
                    processor.process_update(_update(n * 10 + chat, chat), work(chat, n, pause))
                )
            )
    await asyncio.wait_for(asyncio.gather(*tasks), 5)
    for chat in (1, 2, 3):
        events = [(kind, n) for kind, c, n in log if c == chat]
        assert events == [(kind, n) for n in range(6) for kind in ("start", "end")]
    assert running_now["max"] == 3  # one per chat at a time, chats in parallel
    await processor.shutdown()


async def test_rate_limiter_and_text_splitting():
    limiter = RateLimiter(rate=50, burst=5)
    stamps = []
    for _ in range(15):
        await limiter.acquire()
        stamps.append(time.monotonic())
    assert stamps[4] - stamps[0] < 0.05  # the burst goes at once
    assert stamps[-1] - stamps[0] >= (15 - 5) / 50 - 0.02  # then 50 per second

    text = "\n".join(f"第{i}行" + "字" * 50 for i in range(300))
    parts = split_text(text, 4000)
    assert len(parts) > 1 and all(utf16_len(p) <= 4000 for p in parts)
    assert "\n".join(parts) == text
    assert all(utf16_len(p) <= 100 for p in split_text("字" * 1000, 100))


def test_consecutive_replies_become_one_message_until_one_has_buttons():
    from bot.dialog import Button, Reply
    from handlers.telegram.resident import merge_replies

    notice, question = Reply("已记录。"), Reply("请选择：", (Button("公民", "pick:1"),))
    answer, follow = Reply("【答复】…", entry_id="baixiang/service/1"), Reply("还有其他问题吗？")
    assert merge_replies([notice, question]) == [Reply("已记录。\n\n请选择：", question.buttons)]
    assert merge_replies([question, notice]) == [question, notice]  # buttons stay under their text
    assert merge_replies([answer, follow]) == [answer, follow]  # the rating belongs to the answer
    assert len(merge_replies([Reply("字" * 3000), Reply("字" * 3000)])) == 2  # Telegram's limit
