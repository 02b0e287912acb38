"""The Bot API over aiohttp (handlers/telegram/http.py) behaves like PTB's own HTTPXRequest, only cheaper.

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

from handlers.telegram.http import AiohttpRequest, BotApi
from handlers.telegram.send import retry_after_seconds
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


class _RecordingProxy:
    """A forward proxy on 127.0.0.1 that answers every request itself and records its request line."""

    def __init__(self) -> None:
        self.request_lines: list[str] = []

    async def __aenter__(self) -> _RecordingProxy:
        import asyncio

        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            head = await reader.readuntil(b"\r\n\r\n")
            self.request_lines.append(head.split(b"\r\n", 1)[0].decode())
            lines = head.split(b"\r\n")
            fields = (ln.partition(b":") for ln in lines)
            sizes = [int(v) for k, _, v in fields if k.lower() == b"content-length"]
            length = sizes[0] if sizes else 0
            if length:
                await reader.readexactly(length)
            body = b'{"ok":true,"result":{"via":"proxy"}}'
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            await writer.drain()
            writer.close()

        self._server = await asyncio.start_server(serve, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._server.close()
        await self._server.wait_closed()


async def test_proxy_comes_from_the_environment_read_once_at_start(fake, monkeypatch):
    """HTTP(S)_PROXY / NO_PROXY are honoured as before, but read when the session starts, not per call."""
    async with _RecordingProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        request = AiohttpRequest()
        await request.initialize()
        try:
            # a host outside NO_PROXY goes through the proxy (which answers; nothing leaves 127.0.0.1)
            status, body = await request.do_request("http://api.telegram.invalid/bot1:X/getMe", "POST")
            assert status == 200 and b"proxy" in body
            assert proxy.request_lines == ["POST http://api.telegram.invalid/bot1:X/getMe HTTP/1.1"]
            # NO_PROXY's host goes direct
            status, _ = await request.do_request(f"{fake.base_url}{TOKEN}/getMe", "POST")
            assert status == 200 and len(proxy.request_lines) == 1
            # the environment is not read again while the session lives
            monkeypatch.delenv("HTTP_PROXY")
            await request.do_request("http://api.telegram.invalid/bot1:X/getMe", "POST")
            assert len(proxy.request_lines) == 2
        finally:
            await request.shutdown()
