"""Hostile input through the real Telegram Application against FakeTelegram (issue 5).

FakeTelegram parses HTML like Telegram and refuses what Telegram refuses (unknown tags, text
over 4096 UTF-16 units), and the Message it returns carries the text as a person would see it:
markup typed by a resident must arrive as the same characters, never as formatting and never
as a refused message (the sender's plain-text fallback would hide a refusal, so every call is
checked as well).
"""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.dialog import Reply
from bot.sanitize import clean_text
from handlers.flood import FloodGuard
from handlers.telegram.send import utf16_len
from tests.fake_telegram import FakeTelegram
from tests.telegram_support import ID, MOBILE, RESIDENT, STAFF, STAFF_CHAT, running
from tests.test_hostile_inputs import CORPUS

NAME = "<b>x</b>"
DESCRIPTION = "<script>alert(1)</script> *bold* [link](http://x) &amp; '; DROP TABLE requests; --"


def refused(fake: FakeTelegram, since: int = 0) -> list[str]:
    return [
        f"{c.method}: {c.error}" for c in fake.calls(since=since) if c.method != "getUpdates" and not c.ok
    ]


def shown(call) -> str:
    """The text as Telegram shows it (markup parsed)."""
    return call.message["text"]


async def test_markup_typed_by_a_resident_shows_as_typed(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        await h.say("/start", contains="柏乡县人民政府办公室")
        await h.press("信息公开申请", contains="申请人类型")
        await h.press("公民", contains="姓名")
        await h.say(NAME, contains="身份证号码")
        await h.say(ID, contains="手机号码")
        await h.say(MOBILE, contains="通信地址")
        await h.say("柏乡县某某镇某某村1号", contains="请描述")
        await h.say(DESCRIPTION, contains="什么形式")
        await h.press("电子", contains="什么方式")
        await h.press("邮寄", contains="用途")
        summary = await h.press("跳过", contains="请核对")
        assert summary.parse_mode == "HTML" and DESCRIPTION in shown(summary)
        assert "姓名：<b>x</b>" in shown(summary)  # the owner's own name, in full, as characters
        mark = fake.mark()
        receipt = await h.press("确认提交", contains="申请编号")
        card = await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains="【新申请】", since=mark)
        assert DESCRIPTION in shown(card)
        ref = next(line for line in shown(receipt).splitlines() if "申请编号" in line).split("：")[-1].strip()
        mark = fake.mark()  # the assignee sees the personal data in full (bot.desk.views.may_see_full)
        fake.push_callback(STAFF_CHAT, STAFF, f"s:claim:{ref}", card.message_id, chat_type="supergroup")
        await fake.wait_for_async(method="answerCallbackQuery", since=mark)
        mark = fake.mark()
        fake.push_callback(STAFF_CHAT, STAFF, f"s:detail:{ref}", card.message_id, chat_type="supergroup")
        detail = await fake.wait_for_message_async(chat_id=STAFF, contains="【详情】", since=mark)
        assert detail.parse_mode == "HTML"
        assert f"姓名：{NAME}" in shown(detail) and DESCRIPTION in shown(detail)
        assert refused(fake) == []
    assert h.errors == []


async def test_every_corpus_input_gets_a_reply(fake, tmp_path):
    # Telegram delivers valid, non-blank UTF-8 only; one user per input (no flood limit involved).
    cases = [row for row in CORPUS if clean_text(row["text"]) == row["text"] and row["text"].strip()]
    assert len(cases) >= 50
    async with running(fake, tmp_path / "bot.db") as h:
        h.app.bot_data["flood"] = FloodGuard(burst=1000)
        mark = fake.mark()
        for i, row in enumerate(cases):
            fake.push_message(3000 + i, 3000 + i, row["text"])
        for i, row in enumerate(cases):
            reply = await fake.wait_for_message_async(chat_id=3000 + i, since=mark, timeout=15)
            assert reply.ok and shown(reply).strip(), row["id"]
            assert "系统出了点问题" not in shown(reply), row["id"]
        assert refused(fake) == []
    assert h.errors == []


LINES = "\n".join(f"第{i}行 <b>&amp;</b> 😀 {'政' * 40}" for i in range(300))  # ~15,000 UTF-16 units
ONE_LINE = "😀<&>" * 3000  # one line of astral characters: 15,000 UTF-16 units, no line break


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(LINES, id="lines"),
        pytest.param(ONE_LINE, id="one-long-line-of-emoji"),
    ],
)
async def test_long_replies_are_split_within_telegrams_limit(fake, tmp_path, text):
    async with running(fake, tmp_path / "bot.db") as h:
        await h.say("/start", contains="柏乡县人民政府办公室")
        mark = fake.mark()
        await h.svc.sender.send_reply(RESIDENT, Reply(text))
        assert refused(fake, mark) == []
        sent = fake.sent_messages(RESIDENT, since=mark)
        assert len(sent) >= 4
        assert all(utf16_len(shown(c)) <= 4096 for c in sent)
        assert "".join(shown(c) for c in sent).replace("\n", "") == text.replace("\n", "")
    assert h.errors == []


async def test_a_4096_character_message_to_a_person_reaches_staff(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        await h.say("/start", contains="柏乡县人民政府办公室")
        mark = fake.mark()
        await h.say("人工", contains="已转人工服务")
        await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains="【人工服务】", since=mark)
        long = ("我家门口的人防工程入口被占用了，" * 300)[:4096]
        mark = fake.mark()
        fake.push_message(RESIDENT, RESIDENT, long)
        await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains="【居民留言】", since=mark, timeout=2)
        await asyncio.sleep(0.3)
        relayed = fake.sent_messages(STAFF_CHAT, since=mark)
        assert all(c.ok for c in relayed), refused(fake, mark)
        assert "".join(shown(c) for c in relayed).count("我家门口") == long.count("我家门口")
    assert h.errors == []


async def test_a_4096_character_question_is_answered(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        for row in CORPUS:
            if row["id"] in ("long_4096_cn", "long_4096_emoji", "long_4096_html"):
                reply = await h.say(row["text"])
                assert reply.ok and shown(reply)
        assert refused(fake) == []
    assert h.errors == []


def test_corpus_is_plain_json():
    # guard against an editor "fixing" the corpus: every line is ASCII JSON
    from tests.test_hostile_inputs import CORPUS_FILE

    raw = CORPUS_FILE.read_bytes()
    raw.decode("ascii")
    assert all(json.loads(line)["id"] for line in raw.decode("ascii").splitlines())
