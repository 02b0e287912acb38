"""No personal data in the logs (issue 5): every flow through the real Telegram Application with
every logger at DEBUG, captured by caplog and by a log file.

With ``bot.logfilter`` installed (as ``citizen-bot run`` and ``citizen-bot chat`` should), no ID
number, mobile number or address typed by a resident appears anywhere, although
python-telegram-bot logs every Bot API call with its parameters at DEBUG (the staff 详情 message
carries the full record by design). Without the filter, our own loggers (``bot.*``,
``handlers.*``) must still log nothing of it: they log ids and field keys only.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot import logfilter
from bot.masking import scrub
from handlers.flood import FloodGuard
from tests.telegram_support import STAFF, STAFF_CHAT, running, valid_id

LOGGERS = ["", "bot", "handlers", "telegram", "telegram.ext", "httpx", "httpcore", "apscheduler"]

USER = 7001
ID_A = valid_id("19900101", "130102", "111")
ID_B = valid_id("19910202", "130102", "222")
ID_C = valid_id("19920505", "130102", "333")
MOBILE_A = "13812340001"
MOBILE_B = "13912340002"
MOBILE_C = "13712340003"
ADDRESS_A = "柏乡县固城店镇东街村甲巷17号"
ADDRESS_B = "湖南省湘阴县文星镇幸福路88号院"
ADDRESS_C = "柏乡县龙华乡西街村乙巷29号"
NAME_A = "欧阳测试甲"
PERSON = "欧阳大山乙"
CONTACT = "司马老师丙"
SECRETS = [ID_A, ID_B, ID_C, MOBILE_A, MOBILE_B, MOBILE_C, ADDRESS_A, ADDRESS_B, ADDRESS_C]


@pytest.fixture
def debug_logs(caplog, tmp_path):
    """Every logger at DEBUG into caplog and into a file; yields the file's path."""
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name or None)
    path = tmp_path / "bot.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    try:
        yield path
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


async def answer(h, user: int, texts: list[str]) -> None:
    for text in texts:
        await h.say(text, user)


async def every_flow(h) -> None:
    fake = h.fake
    h.app.bot_data["flood"] = FloodGuard(burst=1000)  # a script types faster than any person
    await h.say("/start", USER, contains="柏乡县人民政府办公室")
    # 政府信息公开 application
    await h.press("信息公开申请", USER, contains="申请人类型")
    await answer(h, USER, ["公民", NAME_A, ID_A, MOBILE_A, ADDRESS_A, "2025年本县道路改造工程的立项批复文件"])
    await answer(h, USER, ["电子", "邮寄"])
    await h.say("跳过", USER, contains="请核对")
    mark = fake.mark()
    receipt = await h.say("确认", USER, contains="申请编号")
    gk = next(w for w in receipt.text.replace("：", " ").split() if w.startswith("GK-"))
    card = await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains=gk, since=mark)
    # staff: 认领 and 详情 (the full record, privately: PTB logs its parameters at DEBUG)
    mark = fake.mark()
    fake.push_callback(STAFF_CHAT, STAFF, f"s:claim:{gk}", card.message_id, chat_type="supergroup")
    await fake.wait_for_async(method="answerCallbackQuery", since=mark)
    mark = fake.mark()
    fake.push_callback(STAFF_CHAT, STAFF, f"s:detail:{gk}", card.message_id, chat_type="supergroup")
    detail = await fake.wait_for_message_async(chat_id=STAFF, contains="【详情】", since=mark)
    assert ID_A in detail.text  # by design: the full record goes to the staff member
    # 异地查档 for somebody else (他人), posted to the given address
    await h.say("异地查档", USER, contains="姓名")
    await answer(h, USER, ["欧阳查档", ID_B, MOBILE_B, "他人", "父子", "知青", PERSON, "1975-1978"])
    await answer(h, USER, ["隆尧县某某公社", "隆尧县", "办理退休手续", "邮寄"])
    await h.say(ADDRESS_B, USER, contains="授权委托书")
    await h.say("已准备好", USER, contains="请核对")
    await h.say("确认", USER, contains="申请编号")
    # 人防 drill booking
    await h.say("预约演练", USER, contains="预约哪一项")
    await answer(
        h, USER, ["应急逃生演练", "学校", "柏乡县某某小学", CONTACT, MOBILE_C, "300", "12月1日到12月5日"]
    )
    await h.say("跳过", USER, contains="请核对")
    await h.say("确认", USER, contains="预约")
    # status and a reference lookup
    await h.say("/status", USER, contains="您的申请")
    await h.say(gk, USER, contains="状态")
    # handover: the resident writes personal data to a person; staff answer by replying
    mark = fake.mark()
    await h.say("人工", USER, contains="已转人工服务")
    zx_card = await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains="【人工服务】", since=mark)
    mark = fake.mark()
    fake.push_message(USER, USER, f"我的身份证号是{ID_C}，电话{MOBILE_C}，住在{ADDRESS_C}")
    await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains="【居民留言】", since=mark)
    mark = fake.mark()
    fake.push_message(
        STAFF_CHAT,
        STAFF,
        f"已收到，会寄到{ADDRESS_C}",
        chat_type="supergroup",
        reply_to_message_id=zx_card.message_id,
    )
    await fake.wait_for_message_async(chat_id=USER, contains="已收到", since=mark)
    await h.say("结束人工", USER, contains="已结束人工服务")
    # data rights
    await h.say("/mydata", USER, contains="您在本助手保存的信息")
    await h.say("/forget", USER, contains="确定要删除")
    await h.press("是，删除", USER, contains="已删除")
    await h.say("/mydata", USER, contains="已按您的要求隐去个人信息")


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


async def test_no_personal_data_in_debug_logs_with_the_filter(fake, tmp_path, caplog, debug_logs):
    logfilter.install()
    try:
        async with running(fake, tmp_path / "bot.db") as h:
            await every_flow(h)
        assert h.errors == []
    finally:
        logfilter.uninstall()
    names = {r.name for r in caplog.records}
    assert any(n.startswith("telegram") for n in names)  # DEBUG really was on
    assert any("sendMessage" in r.getMessage() for r in caplog.records)
    assert leaks(caplog.text) == []
    assert leaks("\n".join(r.getMessage() for r in caplog.records)) == []
    assert leaks(Path(debug_logs).read_text("utf-8")) == []
    assert "123:TEST" not in caplog.text  # the bot token is not logged either


async def test_our_own_loggers_never_log_personal_data(fake, tmp_path, caplog, debug_logs):
    assert not logfilter.installed()
    async with running(fake, tmp_path / "bot.db") as h:
        await every_flow(h)
    assert h.errors == []
    ours = [r for r in caplog.records if r.name.split(".")[0] in ("bot", "handlers")]
    assert leaks("\n".join(r.getMessage() + (r.exc_text or "") for r in ours)) == []
    # ...while python-telegram-bot alone, at DEBUG, writes them all: why the filter is needed
    assert set(leaks(caplog.text)) == set(SECRETS)


# --------------------------------------------------------------------------- the filter itself


def _record(name: str, level: int, msg: str, *args) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, args, None)


def test_filter_redacts_library_bodies_and_keeps_the_shape():
    record = _record(
        "telegram.Bot",
        logging.DEBUG,
        "Calling Bot API endpoint `%s` with parameters `%s`",
        "sendMessage",
        {"chat_id": 1, "text": f"姓名：{NAME_A} 地址：{ADDRESS_A} {ID_A}"},
    )
    logfilter.ScrubFilter().filter(record)
    assert record.getMessage() == "Calling Bot API endpoint `sendMessage` with parameters `<dict>`"


def test_filter_scrubs_our_messages_tracebacks_and_tokens():
    try:
        raise ValueError(f"bad {ID_A} {MOBILE_A}")
    except ValueError:
        import sys

        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "handlers.x", logging.ERROR, __file__, 1, "failed for %s", (MOBILE_A,), exc_info
    )
    logfilter.ScrubFilter().filter(record)
    text = logging.Formatter().format(record)
    assert MOBILE_A not in text and ID_A not in text and scrub(MOBILE_A) in text
    url = _record(
        "httpx", logging.INFO, "HTTP Request: POST %s", "http://x/bot1234567:AAH" + "x" * 33 + "/getMe"
    )
    logfilter.ScrubFilter().filter(url)
    assert url.getMessage() == "HTTP Request: POST http://x/bot<token>/getMe"


def test_install_is_idempotent_and_reversible():
    before = logging.getLogRecordFactory()
    logfilter.install()
    logfilter.install()
    try:
        record = logging.getLogger("bot.test").makeRecord(
            "bot.test", logging.INFO, "f", 1, "%s", (ID_A,), None
        )
        assert ID_A not in record.getMessage()
    finally:
        logfilter.uninstall()
    assert logging.getLogRecordFactory() is before
