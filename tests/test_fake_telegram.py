"""A real python-telegram-bot Application in long polling against tests.fake_telegram."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.error
import urllib.request

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fake_telegram import FakeTelegram, parse_html, parse_markdown_v2, polling_app

TOKEN = "123:TEST"
# PTB warns whenever it builds a RetryAfter (see the fake_telegram docstring).
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning")


def build_app(fake: FakeTelegram, **builder_kwargs) -> tuple[Application, list[BaseException]]:
    errors: list[BaseException] = []
    builder = ApplicationBuilder().token(TOKEN).base_url(fake.base_url).base_file_url(fake.base_file_url)
    for name, value in builder_kwargs.items():
        getattr(builder, name)(value)
    app = builder.build()

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("办事指南", callback_data="guide")]])
        await update.effective_message.reply_text("欢迎使用政务服务助手", reply_markup=keyboard)

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(f"收到：{update.effective_message.text}")

    async def media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        msg = update.effective_message
        kind = next(
            k for k in ("photo", "sticker", "voice", "document", "contact", "location") if getattr(msg, k)
        )
        size = 0
        if kind in ("photo", "voice", "document"):
            attachment = msg.photo[-1] if kind == "photo" else getattr(msg, kind)
            tg_file = await attachment.get_file()
            size = len(await tg_file.download_as_bytearray())
        await msg.reply_text(f"{kind} {size}")

    async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await context.bot.send_message(update.effective_chat.id, f"edited: {update.edited_message.text}")

    async def channel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await context.bot.send_message(update.effective_chat.id, f"channel: {update.channel_post.text}")

    async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer("好的")
        await query.edit_message_text(f"你选择了：{query.data}")

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(context.error)

    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT, edited))
    app.add_handler(MessageHandler(filters.UpdateType.CHANNEL_POST, channel))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(
        MessageHandler(
            filters.PHOTO
            | filters.Sticker.ALL
            | filters.VOICE
            | filters.Document.ALL
            | filters.CONTACT
            | filters.LOCATION,
            media,
        )
    )
    app.add_handler(CallbackQueryHandler(button))
    app.add_error_handler(on_error)
    return app, errors


async def until(predicate, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(0.01)


def http_post(url: str, data: dict | None = None) -> tuple[int, dict]:
    body = json.dumps(data or {}).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


# ------------------------------------------------------------------------------------------ PTB


async def test_start_echo_and_callback(fake: FakeTelegram) -> None:
    app, errors = build_app(fake)
    async with polling_app(app, timeout=1):
        assert fake.calls()[0].method == "getMe"
        fake.push_message(5, 5, "/start", first_name="张三")
        hello = await fake.wait_for_message_async(chat_id=5)
        assert hello.text == "欢迎使用政务服务助手"
        assert hello.buttons() == [[{"text": "办事指南", "callback_data": "guide"}]]
        assert hello.message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "guide"
        assert hello.message["from"]["is_bot"] is True

        mark = fake.mark()
        fake.push_message(5, 5, "怎么办理身份证？")
        echo = await fake.wait_for_message_async(chat_id=5, since=mark)
        assert echo.text == "收到：怎么办理身份证？"

        mark = fake.mark()
        fake.push_callback(5, 5, "guide", hello.message_id)
        answer = await fake.wait_for_async(method="answerCallbackQuery", since=mark)
        assert answer.ok and answer.params["text"] == "好的"
        edit = await fake.wait_for_async(method="editMessageText", since=mark)
        assert edit.ok and edit.params["message_id"] == hello.message_id
        stored = fake.message(5, hello.message_id)
        assert stored["text"] == "你选择了：guide"
        assert "reply_markup" not in stored  # editing without reply_markup drops the keyboard

        # group chat, command addressed to the bot by name
        mark = fake.mark()
        fake.push_message(-1001, 7, "/start@citizen_test_bot", chat_type="supergroup")
        group = await fake.wait_for_message_async(chat_id=-1001, since=mark)
        assert group.message["chat"]["type"] == "supergroup"
        # a reply to the user's message
        assert group.message["reply_to_message"]["from"]["id"] == 7
    assert errors == []
    assert fake.pending_update_count == 0  # the last getUpdates on stop confirmed everything


async def test_other_update_shapes(fake: FakeTelegram) -> None:
    app, errors = build_app(fake)
    async with polling_app(app, timeout=1):
        first = fake.push_message(8, 8, "第一条")
        await fake.wait_for_message_async(chat_id=8, contains="收到")
        mark = fake.mark()
        fake.push_edited_message(8, 8, first["message"]["message_id"], "改过的")
        assert (await fake.wait_for_message_async(chat_id=8, since=mark)).text == "edited: 改过的"

        for push, expected in [
            (lambda: fake.push_photo(8, 8, content=b"x" * 100), "photo 100"),
            (lambda: fake.push_sticker(8, 8), "sticker 0"),
            (lambda: fake.push_voice(8, 8, content=b"v" * 7), "voice 7"),
            (lambda: fake.push_document(8, 8, content=b"d" * 9), "document 9"),
            (lambda: fake.push_contact(8, 8, "13812345678"), "contact 0"),
            (lambda: fake.push_location(8, 8, 30.1, 120.2), "location 0"),
        ]:
            mark = fake.mark()
            push()
            assert (await fake.wait_for_message_async(chat_id=8, since=mark)).text == expected

        mark = fake.mark()
        fake.push_channel_post(-100200, "公告")
        post = await fake.wait_for_message_async(chat_id=-100200, since=mark)
        assert post.text == "channel: 公告" and "from" not in post.message
    assert errors == []


async def test_retry_after_on_send_reaches_the_handler_and_is_not_retried(fake: FakeTelegram) -> None:
    app, errors = build_app(fake)
    async with polling_app(app, timeout=1):
        fake.fail_next("sendMessage", status=429, retry_after=1)
        mark = fake.mark()
        fake.push_message(5, 5, "你好")
        failed = await fake.wait_for_async(method="sendMessage", since=mark)
        assert failed.status == 429 and failed.error == "Too Many Requests: retry after 1"
        await until(lambda: errors)
        assert isinstance(errors[0], RetryAfter)
        assert errors[0]._retry_after.total_seconds() == 1
        await asyncio.sleep(1.6)  # longer than retry_after + PTB's 0.5 s slack: no retry happens
        assert [c.status for c in fake.calls("sendMessage", since=mark)] == [429]
        mark = fake.mark()
        fake.push_message(5, 5, "再试一次")
        assert (await fake.wait_for_message_async(chat_id=5, since=mark)).text == "收到：再试一次"


async def test_get_updates_faults_pause_polling_then_it_resumes(fake: FakeTelegram) -> None:
    fake.fail_next("getUpdates", status=502)  # nginx HTML page, like Telegram's front end
    fake.fail_next("getUpdates", status=429, retry_after=1)
    fake.push_message(5, 5, "排队中")
    app, errors = build_app(fake)
    started = time.monotonic()
    async with polling_app(app, timeout=1):
        await fake.wait_for_message_async(chat_id=5, timeout=6)
        waited = time.monotonic() - started
    statuses = [c.status for c in fake.calls("getUpdates")]
    assert statuses[:3] == [502, 429, 200]
    # 502: sleeps 1 s (then 1.5x the previous pause on each further error); 429: retry_after + 0.5 s
    assert 2.3 < waited < 4.5, waited
    assert errors == []  # polling errors go to the updater's error callback, not the app's handlers


async def test_timeout_raises_timed_out_but_message_may_be_sent(fake: FakeTelegram) -> None:
    app, errors = build_app(fake, read_timeout=0.3)
    async with polling_app(app, timeout=1):
        fake.delay_next("sendMessage", 0.8)
        mark = fake.mark()
        fake.push_message(5, 5, "慢一点")
        await until(lambda: errors)
        assert isinstance(errors[0], TimedOut)
        late = await fake.wait_for_message_async(chat_id=5, since=mark, timeout=3)
        assert late.text == "收到：慢一点" and late.duration >= 0.8


async def test_unknown_method_is_400_and_polling_survives(fake: FakeTelegram) -> None:
    status, body = http_post(f"{fake.base_url}{TOKEN}/noSuchMethod")
    assert status == 400
    assert body == {"ok": False, "error_code": 400, "description": "Bad Request: method not found"}
    app, errors = build_app(fake)
    async with polling_app(app, timeout=1):
        with pytest.raises(BadRequest, match="Method not found"):
            await app.bot.do_api_request("noSuchMethod")
        fake.push_message(5, 5, "还在吗")
        assert (await fake.wait_for_message_async(chat_id=5)).text == "收到：还在吗"


async def test_shutdown_is_quick_while_a_long_poll_is_parked(fake: FakeTelegram) -> None:
    app, _ = build_app(fake)
    async with polling_app(app, timeout=30):
        await fake.wait_for_async(method="deleteWebhook")
        await asyncio.sleep(0.2)  # the getUpdates(timeout=30) is now parked in the server
        started = time.monotonic()
    assert time.monotonic() - started < 2.0
    # the server also stops at once with a parked long poll
    status = {}
    thread = threading.Thread(
        target=lambda: status.update(r=http_post(f"{fake.base_url}x/getUpdates", {"timeout": 30}))
    )
    thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    fake.stop()
    thread.join(2)
    assert time.monotonic() - started < 2.0 and not thread.is_alive()


async def test_sync_wait_for_refuses_to_block_the_running_loop(fake: FakeTelegram) -> None:
    with pytest.raises(RuntimeError, match="wait_for_async"):
        fake.wait_for(method="sendMessage", timeout=0.1)
    with pytest.raises(TimeoutError, match="no call matching method=sendMessage"):
        await fake.wait_for_async(method="sendMessage", timeout=0.1)


async def test_bot_calls_are_validated_like_telegram(fake: FakeTelegram) -> None:
    async with Bot(TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url) as bot:
        with pytest.raises(BadRequest, match='(?i)unsupported start tag "br"'):
            await bot.send_message(5, "第一行<br>第二行", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match="(?i)character '.' is reserved"):
            await bot.send_message(5, "办理时间 9.00", parse_mode=ParseMode.MARKDOWN_V2)
        ok = await bot.send_message(5, "<b>材料</b>：身份证 &amp; 户口本\n", parse_mode=ParseMode.HTML)
        assert ok.text == "材料：身份证 & 户口本"
        assert [(e.type, e.offset, e.length) for e in ok.entities] == [("bold", 0, 2)]
        too_long = InlineKeyboardMarkup([[InlineKeyboardButton("长", callback_data="办" * 22)]])
        with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
            await bot.send_message(5, "选择", reply_markup=too_long)
        with pytest.raises(BadRequest, match="(?i)message is too long"):
            await bot.send_message(5, "字" * 4097)
        with pytest.raises(BadRequest, match="(?i)message is not modified"):
            await bot.edit_message_text(
                "材料：身份证 & 户口本", chat_id=5, message_id=ok.message_id, entities=ok.entities
            )
        with pytest.raises(BadRequest, match="(?i)query id is invalid"):
            await bot.answer_callback_query("12345")
        fake.block_user(9)
        with pytest.raises(Forbidden, match="(?i)blocked by the user"):
            await bot.send_message(9, "通知")
        await bot.set_my_commands([("start", "开始"), ("help", "帮助")])
        assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
        chat = await bot.get_chat(5)
        assert chat.id == 5 and chat.type == "private"
        member = await bot.get_chat_member(-1001, bot.id)
        assert member.status == "administrator"
        await bot.send_chat_action(5, "typing")
        assert await bot.delete_message(5, ok.message_id)
    assert fake.sent_messages(5)[0].parse_mode == "HTML"


def test_markup_parsers() -> None:
    assert parse_html('<a href="https://gov.cn">链接</a> &lt;1&gt;') == (
        "链接 <1>",
        [{"type": "text_link", "offset": 0, "length": 2, "url": "https://gov.cn"}],
    )
    assert parse_markdown_v2(r"*粗体* 第1\. 步 [网址](https://gov.cn/a\)b)") == (
        "粗体 第1. 步 网址",
        [
            {"type": "bold", "offset": 0, "length": 2},
            {"type": "text_link", "offset": 9, "length": 2, "url": "https://gov.cn/a)b"},
        ],
    )


def test_get_updates_semantics_without_ptb(fake: FakeTelegram) -> None:
    base = f"{fake.base_url}{TOKEN}"
    ids = [fake.push_message(5, 5, f"m{i}")["update_id"] for i in range(3)]
    assert ids == sorted(ids) and len(set(ids)) == 3
    fake.push_update({"message_reaction": {"chat": {"id": 5, "type": "private"}}})  # not allowed by default
    status, body = http_post(f"{base}/getUpdates", {"limit": 2})
    assert status == 200 and [u["update_id"] for u in body["result"]] == ids[:2]
    status, body = http_post(f"{base}/getUpdates", {"offset": ids[1] + 1, "timeout": 0})
    assert [u["update_id"] for u in body["result"]] == ids[2:]
    assert fake.pending_update_count == 1
    # long poll returns as soon as something is queued
    threading.Timer(0.2, lambda: fake.push_message(5, 5, "late")).start()
    started = time.monotonic()
    status, body = http_post(f"{base}/getUpdates", {"offset": ids[2] + 1, "timeout": 5})
    assert body["result"][0]["message"]["text"] == "late" and time.monotonic() - started < 1.0
    # allowed_updates filters (and is remembered); form-urlencoded like PTB sends it
    fake.push_message(5, 5, "dropped")
    fake.push_callback(5, 5, "x", 1)
    form = f"offset={body['result'][0]['update_id'] + 1}&allowed_updates=%5B%22callback_query%22%5D".encode()
    req = urllib.request.Request(f"{base}/getUpdates", data=form)
    with urllib.request.urlopen(req, timeout=5) as resp:
        result = json.loads(resp.read())["result"]
    assert [next(k for k in u if k != "update_id") for u in result] == ["callback_query"]
    # webhook set -> getUpdates conflicts
    http_post(f"{base}/setWebhook", {"url": "https://example.invalid/hook"})
    status, body = http_post(f"{base}/getUpdates", {})
    assert status == 409 and "webhook is active" in body["description"]
    status, body = http_post(f"{base}/getWebhookInfo")
    assert body["result"]["url"] == "https://example.invalid/hook"


def test_fault_injection_and_waiters(fake: FakeTelegram) -> None:
    base = f"{fake.base_url}{TOKEN}"
    fake.fail_next("sendmessage", status=429, retry_after=3)
    status, body = http_post(f"{base}/sendMessage", {"chat_id": 1, "text": "a"})
    assert status == 429
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }
    fake.fail_next("*", status=500)
    assert http_post(f"{base}/getMe")[0] == 500
    assert http_post(f"{base}/getMe")[0] == 200
    assert http_post(f"{fake.url}/nothing")[0] == 404
    fake.push_message(1, 1, "hi")
    with pytest.raises(TimeoutError) as info:
        fake.wait_for_message(chat_id=1, contains="never", timeout=0.2)
    assert "sendMessage chat_id=1 text='a' -> 429" in str(info.value)
    assert "1 updates still queued" in str(info.value)
    # out-of-process control API
    status, body = http_post(f"{fake.url}/_fake/rpc", {"op": "push_message", "args": [2, 2, "/help"]})
    assert body["result"]["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 5}]
    status, body = http_post(f"{fake.url}/_fake/rpc", {"op": "counts"})
    assert body["result"]["sendMessage"] == 1


def test_token_is_checked_when_configured() -> None:
    with FakeTelegram(token=TOKEN) as fake:
        assert http_post(f"{fake.base_url}{TOKEN}/getMe")[1]["result"]["id"] == 123
        assert http_post(f"{fake.base_url}999:WRONG/getMe")[0] == 401
