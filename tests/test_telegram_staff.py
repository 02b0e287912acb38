"""The staff desk and administrators over Telegram, end to end (FakeTelegram + real Application)."""

from __future__ import annotations

import asyncio
import shutil
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime

from bot.messages import catalogue_of
from bot.store import ANSWERED, COMPLETED, EXTENDED, IN_PROGRESS, LOCAL_TZ, NEEDS_CORRECTION, Store
from handlers.telegram import admin, jobs, staff
from tests.telegram_support import (
    ADMIN,
    ID,
    MOBILE,
    MONDAY,
    OTHER_RESIDENT,
    RESIDENT,
    STAFF,
    STAFF_CHAT,
    STRANGER,
    Clock,
    card_of,
    fill_disclosure,
    knowledge,
    running,
    until,
)

REF = "GK-20261123-0001"
# the desk's refusals, as the office words them (knowledge/messages/desk.yaml)
NOT_STAFF = catalogue_of(knowledge()).text("desk.tg_not_staff")
NOT_STAFF_BUTTON = catalogue_of(knowledge()).text("desk.tg_not_staff_button")


def labels(call) -> list[str]:
    return [b["text"] for row in call.buttons() for b in row]


async def submitted(h) -> object:
    """A resident submits a disclosure application; returns its card in the staff group."""
    await fill_disclosure(h)
    return await card_of(h, REF)


async def test_the_staff_groups_command_menu_lists_every_staff_command(fake, tmp_path):
    """Telegram's "/" menu in the staff group: every staff and admin command (/correct, /corrected
    and /applicant included), /close with the statutory outcome (类别.情形, as 3.1)."""
    async with running(fake, tmp_path / "bot.db"):
        await until(lambda: len(fake.calls("setMyCommands")) == 2)
        menus = {c.params["scope"]["type"]: c.params["commands"] for c in fake.calls("setMyCommands")}
    group = {c["command"]: c["description"] for c in menus["chat"]}
    assert set(group) == {*staff.STAFF_COMMANDS, *admin.ADMIN_COMMANDS, "help"}
    assert "/close 编号 类别.情形" in group["close"]
    assert "/correct 编号" in group["correct"] and "/corrected 编号" in group["corrected"]
    assert "/applicant 编号" in group["applicant"]
    assert {c["command"] for c in menus["default"]} == {
        "start",
        "help",
        "cancel",
        "status",
        "events",
        "mydata",
        "forget",
    }


async def test_new_request_card_reaches_the_staff_group_masked(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        card = await submitted(h)
        text = card.message["text"]
        for expected in (
            REF,
            "类型：信息公开",
            "承办：政务公开办公室",
            "渠道：Telegram",  # staff see the channel (issue 13)
            "答复期限：2026年12月21日",
            "姓名：张*",
        ):
            assert expected in text
        assert "130***********" in text and ID not in text and MOBILE not in text and "138****5678" in text
        assert labels(card) == ["认领", "回复", "补正", "办结", "详情", "申请人类型"]
        assert "申请人类型：自然人" in text
        await until(lambda: h.store.reference_for_card(STAFF_CHAT, card.message_id) == REF)
        # personal data never appears anywhere in the group
        assert all(ID not in (c.text or "") for c in fake.sent_messages(STAFF_CHAT))
    assert h.errors == []


async def test_a_slow_staff_group_never_holds_up_the_residents_chat(fake, tmp_path):
    """The card a submission owes the staff group goes out in the background: with the group's
    sends taking seconds (a backlog under load), the resident has the receipt and the answer to
    the next question at once, and the card still arrives."""
    async with running(fake, tmp_path / "bot.db") as h:
        fake.slow_chat(STAFF_CHAT, 2.0)  # under the read timeout: slow, not failing
        receipt = await fill_disclosure(h)
        assert REF in receipt.text
        answer = await h.say("异地查档怎么办理")  # not waiting behind the card's slow send
        assert answer.text
        assert not [c for c in fake.sent_messages(STAFF_CHAT) if REF in (c.text or "")]
        fake.slow_chat(STAFF_CHAT, 0)
        await card_of(h, REF)
    assert h.errors == []


async def test_staff_reply_is_relayed_to_the_resident_and_stored(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        card = await submitted(h)
        mark = fake.mark()
        fake.push_message(
            STAFF_CHAT,
            STAFF,
            "您好，材料已收到。",
            chat_type="supergroup",
            reply_to_message_id=card.message_id,
        )
        relayed = await fake.wait_for_message_async(chat_id=RESIDENT, contains="工作人员回复", since=mark)
        assert "您好，材料已收到。" in relayed.text and REF in relayed.text
        ack = await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains="已转达", since=mark)
        assert ack.message["reply_to_message"]["message_id"] > card.message_id

        mark = fake.mark()
        await h.staff_says(f"/reply {REF.lower()} 第二条：请留意短信。", contains="已转达")
        relayed = await fake.wait_for_message_async(chat_id=RESIDENT, contains="第二条", since=mark)

        thread = h.store.thread(REF)
        assert [(m.sender, m.author, m.text) for m in thread] == [
            ("staff", f"tg:{STAFF}", "您好，材料已收到。"),
            ("staff", f"tg:{STAFF}", "第二条：请留意短信。"),
        ]
        assert h.store.get_request(REF).status == IN_PROGRESS  # the first reply starts the work
        # a group member who is not staff cannot answer residents
        mark = fake.mark()
        fake.push_message(
            STAFF_CHAT, STRANGER, "我来回", chat_type="supergroup", reply_to_message_id=card.message_id
        )
        refused = await fake.wait_for_message_async(chat_id=STAFF_CHAT, since=mark)
        assert "只有登记的工作人员" in refused.text
        assert len(h.store.thread(REF)) == 2
    assert h.errors == []


async def test_staff_commands_and_buttons_are_refused_to_non_staff(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        card = await submitted(h)
        assert (await h.say("/queue", STRANGER)).text == NOT_STAFF
        assert (await h.say(f"/claim {REF}", RESIDENT)).text == NOT_STAFF
        assert (await h.staff_says("/queue", STRANGER)).text == NOT_STAFF
        assert (await h.staff_says("/warn 假预警", RESIDENT)).text == NOT_STAFF
        assert (await h.staff_says("/reload", STAFF)).text == "此命令仅限管理员使用。"

        mark = fake.mark()
        fake.push_callback(STAFF_CHAT, STRANGER, f"s:detail:{REF}", card.message_id, chat_type="supergroup")
        alert = await fake.wait_for_async(method="answerCallbackQuery", since=mark)
        assert alert.params["text"] == NOT_STAFF_BUTTON and alert.params["show_alert"] is True
        assert h.store.get_request(REF).assignee is None
        assert not [c for c in fake.sent_messages(STRANGER, since=mark)]

        queue = await h.say("/queue", STAFF)  # staff may use commands in a private chat too
        assert REF in queue.text and "未认领" in queue.text
    assert h.errors == []


async def claim_by_button(h, card) -> None:
    mark = h.fake.mark()
    h.fake.push_callback(STAFF_CHAT, STAFF, f"s:claim:{REF}", card.message_id, chat_type="supergroup")
    await h.fake.wait_for_async(method="answerCallbackQuery", since=mark)


async def test_detail_goes_privately_to_the_staff_member_only(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        card = await submitted(h)
        await claim_by_button(h, card)  # the assignee sees the personal data in full
        mark = fake.mark()
        fake.push_callback(STAFF_CHAT, STAFF, f"s:detail:{REF}", card.message_id, chat_type="supergroup")
        private = await fake.wait_for_message_async(chat_id=STAFF, contains="【详情】", since=mark)
        assert f"证件号码：{ID}" in private.text and f"联系方式：{MOBILE}" in private.text
        ack = await fake.wait_for_async(method="answerCallbackQuery", since=mark)
        assert ack.params["text"] == "详情已私信发送给您。"
        assert all(ID not in c.text for c in fake.sent_messages(STAFF_CHAT, since=mark))

        # replying to the details message in private answers the resident as well
        mark = fake.mark()
        fake.push_message(STAFF, STAFF, "私聊里答复", reply_to_message_id=private.message_id)
        assert "私聊里答复" in (await fake.wait_for_message_async(chat_id=RESIDENT, since=mark)).text
        await fake.wait_for_message_async(chat_id=STAFF, contains="已转达", since=mark)

        # a staff member who never opened a private chat gets an alert instead
        fake.block_user(STAFF)
        mark = fake.mark()
        fake.push_callback(STAFF_CHAT, STAFF, f"s:detail:{REF}", card.message_id, chat_type="supergroup")
        alert = await fake.wait_for_async(method="answerCallbackQuery", since=mark)
        assert "/start" in alert.params["text"] and alert.params["show_alert"] is True
        assert h.store.outbox_pending() == 0  # details are never queued for later
    assert h.errors == []


async def test_detail_is_masked_for_staff_not_handling_it_and_full_for_admins(fake, tmp_path):
    """One rule with the console (bot.desk.views.may_see_full): full to the assignee and to
    administrators, masked for any other staff member."""
    async with running(fake, tmp_path / "bot.db") as h:
        card = await submitted(h)
        mark = fake.mark()
        fake.push_callback(STAFF_CHAT, STAFF, f"s:detail:{REF}", card.message_id, chat_type="supergroup")
        masked = await fake.wait_for_message_async(chat_id=STAFF, contains="【详情】", since=mark)
        assert ID not in masked.text and MOBILE not in masked.text
        assert "证件号码：130***" in masked.text and "个人信息已打码" in masked.text
        mark = fake.mark()
        fake.push_callback(STAFF_CHAT, ADMIN, f"s:detail:{REF}", card.message_id, chat_type="supergroup")
        full = await fake.wait_for_message_async(chat_id=ADMIN, contains="【详情】", since=mark)
        assert f"证件号码：{ID}" in full.text and f"联系方式：{MOBILE}" in full.text
    assert h.errors == []


def keyboard(fake, message_id: int) -> list[tuple[str, str]]:
    markup = fake.message(STAFF_CHAT, message_id)["reply_markup"]
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]


OTHER_STAFF = 902


async def test_claiming_a_claimed_request_asks_first_and_tells_the_previous_assignee(fake, tmp_path):
    """Issue 11.4: /claim (button or command) on a request someone else claimed takes it only
    after a confirmation, and the previous assignee hears of it; 详情 shows names, not keys."""
    async with running(fake, tmp_path / "bot.db", staff_ids=frozenset({STAFF, OTHER_STAFF})) as h:
        card = await submitted(h)
        mark = fake.mark()
        fake.push_callback(
            STAFF_CHAT, STAFF, f"s:claim:{REF}", card.message_id, chat_type="supergroup", first_name="李工"
        )
        await fake.wait_for_message_async(chat_id=RESIDENT, contains="开始办理", since=mark)
        assert h.store.get_request(REF).assignee == f"tg:{STAFF}"

        # another staff member presses 认领: asked first, nothing changes yet
        mark = fake.mark()
        fake.push_callback(
            STAFF_CHAT,
            OTHER_STAFF,
            f"s:claim:{REF}",
            card.message_id,
            chat_type="supergroup",
            first_name="王工",
        )
        ask = await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains="确定改由您认领", since=mark)
        assert "李工" in ask.text and labels(ask) == ["确认改由我认领"]
        assert h.store.get_request(REF).assignee == f"tg:{STAFF}"
        mark = fake.mark()
        await h.staff_says(f"/claim {REF}", user=OTHER_STAFF, contains="确定改由您认领")
        assert h.store.get_request(REF).assignee == f"tg:{STAFF}"

        # confirmed with the button: taken, and the previous assignee is told (mentioned)
        mark = fake.mark()
        fake.push_callback(
            STAFF_CHAT,
            OTHER_STAFF,
            f"s:claimc:{REF}",
            ask.message_id,
            chat_type="supergroup",
            first_name="王工",
        )
        told = await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains="已改由", since=mark)
        assert f"tg://user?id={STAFF}" in told.params["text"] and "李工" in told.text and "王工" in told.text
        assert h.store.get_request(REF).assignee == f"tg:{OTHER_STAFF}"
        # and back with the command form of the confirmation
        await h.staff_says(f"/claim {REF} confirm", contains="已改由您认领")
        assert h.store.get_request(REF).assignee == f"tg:{STAFF}"
        # the resident was told once that work started, not at every change of hands
        assert len([t for t in fake.texts(RESIDENT) if "开始办理" in t]) == 1

        mark = fake.mark()
        await h.staff_says(f"/detail {REF}", contains="私信")
        detail = await fake.wait_for_message_async(chat_id=STAFF, contains="【详情】", since=mark)
        assert "tg:" not in detail.text
        assert "指派给 王工" in detail.text and "指派给 李工" in detail.text
    assert h.errors == []


async def test_claim_then_close_with_a_statutory_outcome(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        card = await submitted(h)
        mark = fake.mark()
        fake.push_callback(
            STAFF_CHAT, STAFF, f"s:claim:{REF}", card.message_id, chat_type="supergroup", first_name="李工"
        )
        told = await fake.wait_for_message_async(chat_id=RESIDENT, contains="开始办理", since=mark)
        assert REF in told.text
        edit = await fake.wait_for_async(method="editMessageText", since=mark)
        assert "认领：李工" in edit.params["text"] and "状态：处理中" in edit.params["text"]
        req = h.store.get_request(REF)
        assert req.assignee == f"tg:{STAFF}" and req.status == IN_PROGRESS

        mark = fake.mark()
        fake.push_callback(STAFF_CHAT, STAFF, f"s:close:{REF}", card.message_id, chat_type="supergroup")
        await fake.wait_for_async(method="editMessageText", since=mark)
        assert [t for t, _ in keyboard(fake, card.message_id)] == [
            "予以公开",
            "部分公开",
            "不予公开",
            "无法提供",
            "不予处理",
            "其他处理",
            "返回",
        ]
        # a category with reasons: the second step lists its reasons
        mark = fake.mark()
        data = dict(keyboard(fake, card.message_id))["不予公开"]
        fake.push_callback(STAFF_CHAT, STAFF, data, card.message_id, chat_type="supergroup")
        await fake.wait_for_async(method="editMessageText", since=mark)
        reasons = [t for t, _ in keyboard(fake, card.message_id)]
        assert reasons[:8] == [
            "国家秘密",
            "法律法规禁止",
            "三安全一稳定",
            "第三方权益",
            "内部事务",
            "过程性信息",
            "执法案卷",
            "行政查询",
        ]
        assert reasons[8:] == ["上一步", "返回"]
        assert h.store.get_request(REF).is_open  # nothing closed yet

        mark = fake.mark()
        data = dict(keyboard(fake, card.message_id))["第三方权益"]
        fake.push_callback(STAFF_CHAT, STAFF, data, card.message_id, chat_type="supergroup")
        told = await fake.wait_for_message_async(chat_id=RESIDENT, contains="已答复", since=mark)
        assert "办理结果：不予公开：保护第三方合法权益" in told.text
        req = h.store.get_request(REF)
        assert req.status == ANSWERED and req.closed_kind == "不予公开：保护第三方合法权益"
        # the card is edited after the resident is told (a separate Bot API call): wait for it
        await fake.wait_for_async(
            lambda c: c.method == "editMessageText" and "状态：已答复" in str(c.params.get("text")),
            since=mark,
            timeout=10,
        )
        closed = fake.message(STAFF_CHAT, card.message_id)
        assert "状态：已答复（不予公开：保护第三方合法权益）" in closed["text"]
        assert [t for t, _ in keyboard(fake, card.message_id)] == ["详情"]

        # closing again is refused with the store's reason
        again = await h.staff_says(f"/close {REF} 予以公开")
        assert "已经「已答复」" in again.text
        assert h.store.get_request(REF).closed_kind == "不予公开：保护第三方合法权益"
    assert h.errors == []


async def test_close_command_extend_note_and_queue(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        await submitted(h)
        ask = await h.staff_says(f"/close {REF}")
        assert "请选择办理结果" in ask.text and "无法提供" in labels(ask) and "返回" not in labels(ask)
        bad = await h.staff_says(f"/close {REF} 信息很多")
        assert "3.1" in bad.text and "不予处理" in labels(bad)

        mark = fake.mark()
        ok = await h.staff_says(f"/extend {REF}", contains="已延期")
        calendar = knowledge().extras["holidays"]
        new_due = calendar.add_working_days(date(2026, 12, 21), 20).date
        req = h.store.get_request(REF)
        assert req.status == EXTENDED and req.due_date == new_due and req.extended
        told = await fake.wait_for_message_async(chat_id=RESIDENT, contains="延长", since=mark)
        assert f"{new_due.year}年{new_due.month}月{new_due.day}日" in told.text and "第三十三条" in told.text
        assert "只能延期一次" in (await h.staff_says(f"/extend {REF}")).text
        assert "已延期" in ok.text

        assert "已为" in (await h.staff_says(f"/note {REF} 已电话联系申请人")).text
        notes = h.store.notes(REF)
        assert [(n.author, n.text) for n in notes] == [(f"tg:{STAFF}", "已电话联系申请人")]
        assert all(m.text != "已电话联系申请人" for m in h.store.thread(REF))  # not in the thread
        # the details show the note among the thread's messages
        mark = fake.mark()
        await h.staff_says(f"/detail {REF}", contains="私信")
        private = await fake.wait_for_message_async(chat_id=STAFF, contains="【详情】", since=mark)
        assert "内部备注（" in private.text and "已电话联系申请人" in private.text

        queue = await h.staff_says("/queue")
        assert REF in queue.text and "已延期" in queue.text
        assert "未找到" in (await h.staff_says("/claim GK-20990101-0001")).text
        assert "用法" in (await h.staff_says("/claim")).text

        need = await h.staff_says(f"/close {REF} 3")  # a category with reasons: which one?
        assert "需要选择具体情形" in need.text and "3.8 属于行政查询事项" in need.text
        assert labels(need)[0] == "国家秘密" and h.store.get_request(REF).is_open
        # 逾期不补正 only closes an application that is waiting for its 补正
        assert "只适用于正在等待补正" in (await h.staff_says(f"/close {REF} 6.1")).text
        mark = fake.mark()
        await h.staff_says(f"/close {REF} 3.1", contains="已答复")
        assert (
            "不予公开：属于国家秘密" in (await fake.wait_for_message_async(chat_id=RESIDENT, since=mark)).text
        )
    assert h.errors == []


async def test_handover_thread_relay_and_close(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        mark = fake.mark()
        await h.say("人工", contains="已转人工服务")
        card = await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains="【人工服务】", since=mark)
        await until(lambda: h.store.reference_for_card(STAFF_CHAT, card.message_id) is not None)
        ref = h.store.reference_for_card(STAFF_CHAT, card.message_id)
        assert ref.startswith("ZX-")

        mark = fake.mark()
        fake.push_message(RESIDENT, RESIDENT, f"我的电话是{MOBILE}，想问申请进度")
        relay = await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains="居民留言", since=mark)
        assert MOBILE not in relay.text and "138****5678" in relay.text  # scrubbed in the group
        assert h.store.thread(ref)[0].text == f"我的电话是{MOBILE}，想问申请进度"  # full in the thread

        # the 回复 button: a prompt to reply to, which relays as well
        mark = fake.mark()
        fake.push_callback(STAFF_CHAT, STAFF, f"s:reply:{ref}", card.message_id, chat_type="supergroup")
        prompt = await fake.wait_for_message_async(
            chat_id=STAFF_CHAT, contains="请直接回复本条消息", since=mark
        )
        assert prompt.reply_markup == {"force_reply": True, "selective": True}
        mark = fake.mark()
        fake.push_message(
            STAFF_CHAT, STAFF, "正在为您查询。", chat_type="supergroup", reply_to_message_id=relay.message_id
        )
        await fake.wait_for_message_async(chat_id=RESIDENT, contains="正在为您查询", since=mark)
        fake.push_message(
            STAFF_CHAT, STAFF, "查到了。", chat_type="supergroup", reply_to_message_id=prompt.message_id
        )
        await fake.wait_for_message_async(chat_id=RESIDENT, contains="查到了", since=mark)

        mark = fake.mark()
        fake.push_callback(STAFF_CHAT, STAFF, f"s:close:{ref}", card.message_id, chat_type="supergroup")
        await fake.wait_for_message_async(chat_id=RESIDENT, contains="本次人工服务", since=mark)
        assert h.store.get_request(ref).status == COMPLETED
        after = await h.say("谢谢")
        assert "人工服务已结束" in after.text
    assert h.errors == []


async def test_warn_reaches_every_subscriber_within_the_rate_limit(fake, tmp_path):
    residents = list(range(2001, 2031))
    async with running(fake, tmp_path / "bot.db", send_rate=20.0, send_burst=5) as h:
        for r in residents:
            h.store.subscribe(f"tg:{r}", "warnings", MONDAY)
        h.store.subscribe("terminal", "warnings", MONDAY)  # not a Telegram resident: skipped
        mark = fake.mark()
        ack = await h.staff_says("/warn 明天有大风，请注意防范。", contains="正在向")
        assert "30 位" in ack.text
        done = await fake.wait_for_message_async(
            chat_id=STAFF_CHAT, contains="已发送给", since=mark, timeout=10
        )
        assert "30 位" in done.text
        sent = [c for c in fake.sent_messages(since=mark) if c.chat_id in residents]
        assert sorted(c.chat_id for c in sent) == residents
        assert all("【预警信息】\n明天有大风" in c.text for c in sent)
        times = sorted(c.time for c in fake.calls("sendMessage", since=mark))
        busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
        assert busiest <= 25, busiest
    assert h.errors == []


async def test_reload_validates_and_swaps_and_stats(fake, tmp_path):
    kdir = tmp_path / "knowledge"
    shutil.copytree(knowledge().root, kdir)
    async with running(fake, tmp_path / "bot.db", knowledge=kdir) as h:
        await submitted(h)
        before = h.svc.engine.knowledge
        ok = await h.staff_says("/reload", ADMIN, contains="知识库已更新")
        assert "个部门" in ok.text and h.svc.engine.knowledge is not before

        current = h.svc.engine.knowledge
        form = kdir / "forms" / "disclosure.yaml"
        text = form.read_text(encoding="utf-8")
        form.write_text(text.replace("validator: contact", "validator: telephone"))
        bad = await h.staff_says("/reload", ADMIN, contains="未更新")
        assert "disclosure.yaml: disclosure: fields.mobile.validator" in bad.text
        assert h.svc.engine.knowledge is current
        assert "柏乡县" in (await h.say("/start")).text  # the old knowledge still answers

        await h.say("我想办理驾驶证")
        # an outbox item that can never be sent becomes a dead letter (the flush job gives up)
        h.store.enqueue_outbox(f"tg:{RESIDENT}", {"unknown": "payload"}, h.svc.sender.clock())
        await until(lambda: h.store.outbox_failed() == 1)
        assert h.store.failed_outbox()[0].last_error == "unknown payload"
        h.store.add_rating("faq/none", f"tg:{RESIDENT}", "down")
        stats = await h.staff_says("/stats", ADMIN, contains="统计")
        for expected in (
            "申请共 1 件",
            "信息公开 1件（已提交1）",
            "已逾期：0 件",
            "驾驶证",
            "首次人工回复时间",
            "消息发送：待重发 0 条，无法送达（已放弃）1 条",
            "回答评价：有用 0，没用 1",
            "“没用”较多：faq/none（faq/none）1次",
        ):
            assert expected in stats.text
    assert h.errors == []


async def wait_for_catch_up(h) -> None:
    started = time.monotonic()
    while any(j.name.endswith("catch-up") for j in h.app.job_queue.jobs()):
        assert time.monotonic() - started < 5, "catch-up jobs did not run"
        await asyncio.sleep(0.05)


async def test_morning_digest_lists_overdue_and_due_soon_once_a_day(fake, tmp_path):
    db = tmp_path / "bot.db"
    with Store(db) as store:  # requests made before the bot starts
        refs = {}
        for name, due in [
            ("overdue", date(2026, 11, 20)),
            ("soon", date(2026, 11, 25)),
            ("paused", date(2026, 11, 19)),
            ("later", date(2026, 12, 21)),
        ]:
            req = store.create_request(
                kind="信息公开",
                prefix="GK",
                resident=f"tg:{RESIDENT}",
                data={"form": "disclosure", "fields": {}},
                office="政务公开办公室",
                received=date(2026, 11, 2),
                due=due,
                due_provisional=False,
                now=MONDAY - timedelta(days=21),
            )
            refs[name] = req.reference
        drill = store.create_request(  # a drill booking has no due date: listed all the same
            kind="人防预约",
            prefix="RF",
            resident=f"tg:{RESIDENT}",
            data={"form": "drill_booking", "fields": {}},
            office="人防办",
            received=date(2026, 11, 20),
            due=None,
            due_provisional=False,
            now=MONDAY - timedelta(days=3),
        )
        # 需补正: the reply clock is stopped, so it is not overdue
        store.set_status(refs["paused"], NEEDS_CORRECTION, by="tg:900", note="", now=MONDAY)
    jobs_on = dict(digest_time=dtime(8, 30), reminder_time=None)
    # Monday 10:00, after the 08:30 digest time: the digest catches up at start
    async with running(fake, db, **jobs_on) as h:
        assert {"outbox", "digest", "prune", "digest-catch-up"} <= {j.name for j in h.app.job_queue.jobs()}
        digest = await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains="【每日提醒】")
        overdue, _, soon = digest.text.partition("3个工作日内到期")
        assert "已逾期（1件）" in overdue and refs["overdue"] in overdue and "【已逾期】" in overdue
        assert refs["soon"] in soon
        assert refs["later"] not in digest.text and refs["paused"] not in digest.text
        assert "无答复期限、尚未认领（1件）" in digest.text and drill.reference in digest.text
        # requests the desk never got a card for (filed before the outbox): cards at start
        for ref in [*refs.values(), drill.reference]:
            await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains=f"{ref}</b>")
        await wait_for_catch_up(h)
    # a restart the same day registers the jobs again but does not post a second digest
    mark = fake.mark()
    async with running(fake, db, **jobs_on) as h:
        await wait_for_catch_up(h)
        assert await jobs.send_digest(h.svc) is False
        h.svc.clock.now = datetime(2026, 11, 28, 10, 0, tzinfo=LOCAL_TZ)  # a Saturday: no digest
        assert await jobs.send_digest(h.svc) is False
    assert [c for c in fake.sent_messages(STAFF_CHAT, since=mark) if "【每日提醒】" in c.text] == []


async def test_event_reminders_go_out_the_day_before_once(fake, tmp_path):
    calendar = knowledge().extras["events"]
    occ = calendar.upcoming(date(2026, 11, 24), 400)[0]
    eve = occ.start - timedelta(days=1)
    clock = Clock(datetime.combine(eve, dtime(11, 0), tzinfo=LOCAL_TZ))  # after the 10:00 job time
    db = tmp_path / "bot.db"
    with Store(db) as store:
        store.subscribe(f"tg:{RESIDENT}", "events", clock.now)
        store.subscribe(f"tg:{OTHER_RESIDENT}", "warnings", clock.now)
    jobs_on = dict(digest_time=None, reminder_time=dtime(10, 0))
    async with running(fake, db, clock=clock, **jobs_on) as h:
        reminder = await fake.wait_for_message_async(chat_id=RESIDENT, contains="【活动提醒】")
        assert occ.title in reminder.text and labels(reminder) == ["活动详情", "取消活动提醒"]
        await wait_for_catch_up(h)
        assert await jobs.send_reminders(h.svc) == 0  # once per occurrence
        assert fake.sent_messages(OTHER_RESIDENT) == []  # only 'events' subscribers
        await h.press("活动详情", contains=occ.title)  # the button works
    mark = fake.mark()
    async with running(fake, db, clock=clock, **jobs_on) as h:
        await wait_for_catch_up(h)
    assert [c for c in fake.sent_messages(since=mark) if "【活动提醒】" in c.text] == []


async def test_warnings_and_event_reminders_reach_web_subscribers_through_the_outbox(fake, tmp_path):
    """Issue 13: a web resident subscribed to 预警 and 活动提醒 gets both in their web history
    (the outbox's web deliverer), beside the Telegram subscribers; the terminal chat is skipped."""
    from handlers.web.history import WebLog

    calendar = knowledge().extras["events"]
    occ = calendar.upcoming(date(2026, 11, 24), 400)[0]
    clock = Clock(datetime.combine(occ.start - timedelta(days=1), dtime(9, 0), tzinfo=LOCAL_TZ))
    web = "web:k3y-of-a-browser"
    async with running(fake, tmp_path / "bot.db", clock=clock) as h:
        for topic in ("warnings", "events"):
            h.store.subscribe(web, topic, clock.now)
            h.store.subscribe(f"tg:{RESIDENT}", topic, clock.now)
            h.store.subscribe("terminal", topic, clock.now)
        mark = fake.mark()
        ack = await h.staff_says("/warn 明天有大风，请注意防范。", contains="正在向")
        assert "2 位" in ack.text
        done = await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains="已发送给", since=mark)
        assert "2 位" in done.text
        assert await jobs.send_reminders(h.svc) == 2
        assert await jobs.send_reminders(h.svc) == 0  # once per occurrence
        rows = WebLog.on_store(h.store).history(web)
        assert len(rows) == 2
        assert "【预警信息】\n明天有大风" in rows[0].text and "【活动提醒】" in rows[1].text
        assert occ.title in rows[1].text
        assert rows[0].buttons == (("取消预警订阅", "unsub:warnings"),)
        assert rows[1].buttons == (("活动详情", f"event:{occ.event_id}"), ("取消活动提醒", "unsub:events"))
        assert all(r.role == "bot" for r in rows)
        telegram = [c.text for c in fake.sent_messages(RESIDENT, since=mark)]
        assert any("明天有大风" in t for t in telegram) and any(occ.title in t for t in telegram)
        assert h.store.outbox_pending() == 0
    assert h.errors == []
