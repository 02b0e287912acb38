"""The Bot API over aiohttp (handlers/http.py) behaves like PTB's own HTTPXRequest, only cheaper.

Every Telegram test already runs the Application on ``AiohttpRequest``; these pin down the
edges: Chinese text and keyboards arrive intact as JSON, files go as multipart, Telegram's
refusals and the network's failures become PTB's usual exceptions, and ``BotApi`` (the raw
hot path of the Sender) works over either request class.
"""

from __future__ import annotations

import socket

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from handlers.http import AiohttpRequest, BotApi
from handlers.send import retry_after_seconds
from tests.fake_telegram import FakeTelegram, Upload

TOKEN = "123:TEST"
CHAT = 5001
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
def fake():
    with FakeTelegram(token=TOKEN) as server:
        yield server


def bot_on(fake: FakeTelegram, **request_options) -> Bot:
    return Bot(TOKEN, base_url=fake.base_url, request=AiohttpRequest(**request_options))


async def test_bot_methods_send_chinese_text_and_keyboards_as_json(fake):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("办事指南 ✅", callback_data="guide:一")]])
    async with bot_on(fake) as bot:
        sent = await bot.send_message(
            CHAT, "<b>材料</b>：身份证 &amp; 户口本", parse_mode="HTML", reply_markup=keyboard
        )
    call = fake.sent_messages(CHAT)[-1]
    assert call.message["text"] == "材料：身份证 & 户口本"  # parsed as HTML by "Telegram"
    assert call.buttons() == [[{"text": "办事指南 ✅", "callback_data": "guide:一"}]]
    assert sent.message_id == call.message_id and sent.text == call.message["text"]


async def test_files_go_as_multipart(fake):
    async with bot_on(fake) as bot:
        await bot.send_document(
            CHAT, InputFile(b"reference,status\nGK-1,ok\n", filename="申请.csv"), caption="导出"
        )
    (call,) = fake.calls("sendDocument")
    upload = call.params["document"]
    assert isinstance(upload, Upload)
    assert upload.filename == "申请.csv" and upload.data == b"reference,status\nGK-1,ok\n"
    assert call.params["caption"] == "导出"


@pytest.mark.parametrize(
    ("status", "error"),
    [(429, RetryAfter), (403, Forbidden), (400, BadRequest), (502, NetworkError), (500, NetworkError)],
)
async def test_telegram_refusals_are_ptb_errors(fake, status, error):
    async with bot_on(fake) as bot:
        fake.fail_next("sendMessage", status, retry_after=3)
        with pytest.raises(error) as caught:
            await bot.send_message(CHAT, "你好")
        if status == 429:
            assert retry_after_seconds(caught.value) == 3
        assert (await bot.send_message(CHAT, "再试一次")).text == "再试一次"  # the client is still fine


async def test_a_slow_answer_times_out(fake):
    async with bot_on(fake, read_timeout=0.2) as bot:
        fake.delay_next("sendMessage", 1.0)
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, "你好")


async def test_a_refused_connection_is_a_network_error():
    with socket.socket() as sock:  # a port nobody listens on: bound, never accepting
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        request = AiohttpRequest(connect_timeout=1.0)
        await request.initialize()
        try:
            with pytest.raises(NetworkError, match="aiohttp"):
                await BotApi(request, f"http://127.0.0.1:{port}/bot{TOKEN}").call("getMe", {})
        finally:
            await request.shutdown()


async def test_an_uninitialized_request_says_so():
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request("http://127.0.0.1:9/botX/getMe", "POST")


@pytest.mark.parametrize("request_class", [AiohttpRequest, HTTPXRequest])
async def test_bot_api_raw_calls_work_over_either_request_class(fake, request_class):
    request = request_class()
    await request.initialize()
    try:
        api = BotApi(request, f"{fake.base_url}{TOKEN}")
        params = {
            "chat_id": CHAT,
            "text": "您的申请已受理",
            "reply_markup": {"inline_keyboard": [[{"text": "查看", "callback_data": "status"}]]},
            "reply_parameters": {"message_id": 999, "allow_sending_without_reply": True},
        }
        result = await api.call("sendMessage", params)
        assert result["chat"]["id"] == CHAT and result["text"] == "您的申请已受理"
        call = fake.sent_messages(CHAT)[-1]
        assert call.buttons() == [[{"text": "查看", "callback_data": "status"}]]
        fake.fail_next("sendMessage", 403)
        with pytest.raises(Forbidden):
            await api.call("sendMessage", params)
    finally:
        await request.shutdown()
