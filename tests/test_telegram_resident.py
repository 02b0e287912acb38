"""Residents over Telegram, end to end: the real Application in long polling against FakeTelegram."""

from __future__ import annotations

from bot.messages import catalogue_of
from bot.store import SUBMITTED
from handlers.telegram.resident import ratings
from tests.fake_telegram import FakeTelegram
from tests.telegram_support import (
    ID,
    OTHER_RESIDENT,
    RESIDENT,
    STAFF_CHAT,
    fill_disclosure,
    knowledge,
    running,
)

# the channel's own replies, as the office words them (knowledge/messages/telegram.yaml)
_MSG = catalogue_of(knowledge())
EDITED = _MSG.text("telegram.edited")
MEDIA = _MSG.text("telegram.media")
PRIVATE_ONLY = _MSG.text("telegram.private_only")
UNKNOWN_COMMAND = _MSG.text("telegram.unknown_command")


def labels(call) -> list[str]:
    return [b["text"] for row in call.buttons() for b in row]


def no_bad_requests(fake: FakeTelegram) -> None:
    bad = [c.summary() for c in fake.calls() if c.method != "getUpdates" and c.status == 400]
    assert bad == []


async def test_start_menu_and_disclosure_application_with_buttons(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        welcome = await h.say("/start", contains="柏乡县人民政府办公室")
        assert welcome.parse_mode == "HTML"
        assert labels(welcome) == ["信息公开申请", "异地查档", "人防活动", "预警订阅", "常见问题", "人工服务"]

        receipt = await fill_disclosure(h)
        assert "申请编号：GK-20261123-0001" in receipt.text
        assert "答复期限：2026年12月21日" in receipt.text  # 20 working days after Mon 2026-11-23
        assert labels(receipt) == ["我的申请"]

        req = h.store.get_request("GK-20261123-0001")
        assert req is not None and req.status == SUBMITTED and req.resident == f"tg:{RESIDENT}"
        assert req.data["fields"]["id_number"] == ID

        status = await h.press("我的申请", contains="GK-20261123-0001")
        assert "已提交" in status.text
        # another resident never sees it, even with the reference
        other = await h.say("GK-20261123-0001", OTHER_RESIDENT)
        assert "没有找到您名下的这个编号" in other.text and "已提交" not in other.text
    no_bad_requests(fake)
    assert h.errors == []


async def test_commands_help_status_events_cancel(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        assert labels(await h.say("/help"))  # the engine's help comes with the menu
        assert "暂无申请" in (await h.say("/status")).text
        events = await h.say("/events", contains="人防")
        assert "预约演练/讲座" in labels(events)
        assert "没有正在填写" in (await h.say("/cancel")).text
        # /cancel in the middle of a form asks first
        await h.press("信息公开申请", contains="申请人类型")
        ask = await h.say("/cancel", contains="确定要取消")
        assert labels(ask) == ["是，取消", "否，继续填写"]
        assert "已取消" in (await h.press("是，取消", contains="已取消")).text
        assert UNKNOWN_COMMAND == (await h.say("/foo")).text
    assert h.errors == []


async def test_faq_buttons_answer_and_rating_is_stored(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        await h.say("/start")
        faq = await h.press("常见问题", contains="常见问题")
        first = labels(faq)[0]
        answer = await h.press(first)
        assert labels(answer)[-2:] == ["有用", "没用"]
        entry = next(b["callback_data"] for row in answer.buttons() for b in row if b["text"] == "有用")[8:]

        mark = fake.mark()
        h.fake.push_callback(RESIDENT, RESIDENT, f"rate:up:{entry}", answer.message_id)
        ack = await fake.wait_for_async(method="answerCallbackQuery", since=mark)
        assert ack.params["text"] == "感谢您的反馈！"
        assert ratings(h.store) == {entry: (1, 0)}
        # the same resident changing their mind moves the vote; a repeat does not count twice
        for vote in ("down", "down"):
            mark = fake.mark()
            h.fake.push_callback(RESIDENT, RESIDENT, f"rate:{vote}:{entry}", answer.message_id)
            await fake.wait_for_async(method="answerCallbackQuery", since=mark)
        assert ratings(h.store) == {entry: (0, 1)}
        # a forged entry id is not stored
        mark = fake.mark()
        h.fake.push_callback(RESIDENT, RESIDENT, "rate:up:no/such/entry", answer.message_id)
        await fake.wait_for_async(method="answerCallbackQuery", since=mark)
        assert set(ratings(h.store)) == {entry}
        # one row per resident in the store's ratings table, nothing left in meta
        assert h.store.resident_data(f"tg:{RESIDENT}")["ratings"][0]["value"] == "down"
        assert h.store.get_meta("ratings") is None
        assert h.store.get_meta(f"rating:{entry}:tg:{RESIDENT}") is None
    assert h.errors == []


async def test_forget_deletes_the_residents_ratings(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        await h.say("/start")
        faq = await h.press("常见问题", contains="常见问题")
        answer = await h.press(labels(faq)[0])
        entry = next(b["callback_data"] for row in answer.buttons() for b in row if b["text"] == "有用")[8:]
        for user in (RESIDENT, OTHER_RESIDENT):
            mark = fake.mark()
            h.fake.push_callback(user, user, f"rate:up:{entry}", answer.message_id)
            await fake.wait_for_async(method="answerCallbackQuery", since=mark)
        assert ratings(h.store) == {entry: (2, 0)}
        mine = await h.say("/mydata", contains="您在本助手保存的信息")
        assert "【回答评价】共1条（有用1条，没用0条）" in mine.text

        ask = await h.say("/forget", contains="确定要删除")
        assert "回答评价" in ask.text
        done = await h.press("是，删除", contains="已删除")
        assert "回答评价" in done.text
        assert h.store.resident_data(f"tg:{RESIDENT}")["ratings"] == []
        assert ratings(h.store) == {entry: (1, 0)}  # the other resident's vote stays
        assert "【回答评价】无" in (await h.say("/mydata", contains="您在本助手保存的信息")).text
    assert h.errors == []


async def test_edited_messages_media_channel_posts_and_groups_never_crash(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        first = fake.push_message(RESIDENT, RESIDENT, "你好")
        await fake.wait_for_message_async(chat_id=RESIDENT)

        mark = fake.mark()
        fake.push_edited_message(RESIDENT, RESIDENT, first["message"]["message_id"], "你好啊")
        edited = await fake.wait_for_message_async(chat_id=RESIDENT, since=mark)
        assert edited.text == EDITED

        for push in (
            lambda: fake.push_photo(RESIDENT, RESIDENT, caption="材料"),
            lambda: fake.push_sticker(RESIDENT, RESIDENT),
            lambda: fake.push_voice(RESIDENT, RESIDENT),
            lambda: fake.push_document(RESIDENT, RESIDENT),
            lambda: fake.push_location(RESIDENT, RESIDENT, 37.5, 114.7),
        ):
            mark = fake.mark()
            push()
            assert (await fake.wait_for_message_async(chat_id=RESIDENT, since=mark)).text == MEDIA

        # a channel post and chatter in some other group are ignored; a command there gets a pointer
        mark = fake.mark()
        fake.push_channel_post(-100777, "频道公告")
        fake.push_message(-100888, 42, "大家好", chat_type="supergroup")
        fake.push_photo(-100888, 42, chat_type="supergroup")
        fake.push_message(-100888, 42, "/start@citizen_test_bot", chat_type="supergroup")
        pointer = await fake.wait_for_message_async(chat_id=-100888, since=mark)
        assert pointer.text == PRIVATE_ONLY
        fake.push_message(RESIDENT, RESIDENT, "/status")
        await fake.wait_for_message_async(chat_id=RESIDENT, since=mark, contains="暂无申请")
        sent_to = {c.chat_id for c in fake.calls("sendMessage", since=mark)}
        assert sent_to == {-100888, RESIDENT}
    assert h.errors == []
    no_bad_requests(fake)


async def test_html_is_escaped_a_name_shows_as_typed(fake, tmp_path):
    name = "<b>x</b>"
    async with running(fake, tmp_path / "bot.db") as h:
        await fill_disclosure(h, name=name)
        summary = next(c for c in fake.sent_messages(RESIDENT) if "请核对" in c.text)
        assert summary.parse_mode == "HTML"
        assert "姓名：&lt;b&gt;x&lt;/b&gt;" in summary.text  # the owner's own name in full, escaped
        assert "姓名：<b>x</b>" in summary.message["text"]  # what the resident sees
        assert not summary.message.get("entities")

        # with a person: the resident's own words reach the staff group exactly as typed
        await h.say("人工", contains="已转人工服务")
        mark = fake.mark()
        fake.push_message(RESIDENT, RESIDENT, "我叫 <b>x</b> & <i>y</i>")
        relay = await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains="居民留言", since=mark)
        assert "我叫 <b>x</b> & <i>y</i>" in relay.message["text"]
        assert [e["type"] for e in relay.message.get("entities", [])] == ["bold"]  # only our heading
    no_bad_requests(fake)
    assert h.errors == []


async def test_human_handover_and_three_misunderstood_questions(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        mark = fake.mark()
        await h.say("人工服务", contains="已转人工服务")
        card = await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains="【人工服务】ZX-", since=mark)
        assert labels(card) == ["认领", "回复", "办结", "详情"]
        ended = await h.say("/cancel", contains="已结束人工服务")
        assert "信息公开申请" in labels(ended)

        mark = fake.mark()
        for question in ("我想办理驾驶证", "护照怎么办", "买彩票"):
            await h.say(question, OTHER_RESIDENT)
        card = await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains="【人工服务】", since=mark)
        assert "连续多次未能理解" in card.text and "驾驶证" in card.text
    assert h.errors == []
