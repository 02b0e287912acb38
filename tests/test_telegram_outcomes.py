"""补正 as its own step, the 逾期不补正 outcome and the applicant type, over Telegram end to end
(FakeTelegram + real Application + real SQLite file)."""

from __future__ import annotations

from datetime import date

from bot.store import COMPLETED, IN_PROGRESS, NEEDS_CORRECTION
from tests.telegram_support import (
    RESIDENT,
    STAFF,
    STAFF_CHAT,
    Clock,
    card_of,
    fill_disclosure,
    knowledge,
    running,
)

REF = "GK-20261123-0001"
ITEMS = "请写明所需文件的发布年份或文号。"


def labels(call) -> list[str]:
    return [b["text"] for row in call.buttons() for b in row]


def card_labels(fake, message_id: int) -> list[str]:
    markup = fake.message(STAFF_CHAT, message_id)["reply_markup"]
    return [b["text"] for row in markup["inline_keyboard"] for b in row]


async def submitted(h):
    await fill_disclosure(h)
    return await card_of(h, REF)


async def test_correction_notice_pauses_and_the_supplement_restarts_the_clock(fake, tmp_path):
    clock = Clock()
    async with running(fake, tmp_path / "bot.db", clock=clock) as h:
        card = await submitted(h)
        # 补正 on the card: a prompt; the staff member's reply to it is the list of items
        mark = fake.mark()
        fake.push_callback(STAFF_CHAT, STAFF, f"s:fix:{REF}", card.message_id, chat_type="supergroup")
        prompt = await fake.wait_for_message_async(
            chat_id=STAFF_CHAT, contains="需要补正的全部事项", since=mark
        )
        assert prompt.reply_markup == {"force_reply": True, "selective": True}
        mark = fake.mark()
        fake.push_message(
            STAFF_CHAT, STAFF, ITEMS, chat_type="supergroup", reply_to_message_id=prompt.message_id
        )
        notice = await fake.wait_for_message_async(chat_id=RESIDENT, contains="【补正告知】", since=mark)
        assert ITEMS in notice.text and "第三十条" in notice.text and "回复" in notice.text
        await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains="已向居民发出", since=mark)
        req = h.store.get_request(REF)
        assert req.status == NEEDS_CORRECTION
        assert h.store.history(REF)[-1].note == f"补正告知：{ITEMS}"
        assert "补正已收到" in card_labels(fake, card.message_id)

        # once only (一次性告知), and no answer while waiting
        assert "不能再次要求补正" in (await h.staff_says(f"/correct {REF} 再补一个身份证复印件")).text
        assert "正在等待居民补正" in (await h.staff_says(f"/close {REF} 1")).text
        assert h.store.get_request(REF).status == NEEDS_CORRECTION

        # two days later the resident replies to the notice: thread, staff group, acknowledgement
        clock.advance(days=2)
        mark = fake.mark()
        fake.push_message(
            RESIDENT, RESIDENT, "是2025年5月发布的文件。", reply_to_message_id=notice.message_id
        )
        ack = await fake.wait_for_message_async(chat_id=RESIDENT, since=mark)
        assert "已收到您对申请" in ack.text and REF in ack.text
        relay = await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains="居民留言", since=mark)
        assert "2025年5月" in relay.text
        assert [m.text for m in h.store.thread(REF) if m.sender == "resident"] == ["是2025年5月发布的文件。"]
        assert h.store.get_request(REF).status == NEEDS_CORRECTION  # staff confirm, not the reply

        # a day later staff confirm: the clock restarts from the day the supplement arrived
        clock.advance(days=1)
        mark = fake.mark()
        fake.push_callback(STAFF_CHAT, STAFF, f"s:fixed:{REF}", card.message_id, chat_type="supergroup")
        told = await fake.wait_for_message_async(chat_id=RESIDENT, contains="补正材料", since=mark)
        arrived = date(2026, 11, 25)
        due = knowledge().extras["holidays"].add_working_days(arrived, 20).date
        req = h.store.get_request(REF)
        assert req.status == IN_PROGRESS and req.received_date == arrived and req.due_date == due
        assert req.first_received_date == date(2026, 11, 23)
        assert f"{due.year}年{due.month}月{due.day}日" in told.text and "重新计算" in told.text
        assert "补正" in card_labels(fake, card.message_id) and "补正已收到" not in card_labels(
            fake, card.message_id
        )
        assert "不在等待补正" in (await h.staff_says(f"/corrected {REF}")).text
    assert h.errors == []


async def test_not_corrected_closes_as_other_handling_and_a_late_notice_warns(fake, tmp_path):
    clock = Clock()
    async with running(fake, tmp_path / "bot.db", clock=clock) as h:
        await submitted(h)
        assert "用法" in (await h.staff_says(f"/correct {REF}")).text
        clock.advance(days=14)  # past 7 working days from receipt
        ok = await h.staff_says(f"/correct {REF} {ITEMS}", contains="已向居民发出")
        assert "7个工作日" in ok.text and "已超过期限" in ok.text
        bad = await h.staff_says(f"/corrected {REF} 2026-11-01")  # before the notice
        assert "无法识别" in bad.text and h.store.get_request(REF).status == NEEDS_CORRECTION

        clock.advance(days=30)
        mark = fake.mark()
        await h.staff_says(f"/close {REF} 逾期不补正", contains="已答复")
        told = await fake.wait_for_message_async(chat_id=RESIDENT, contains="视为放弃", since=mark)
        assert REF in told.text
        req = h.store.get_request(REF)
        assert req.status == COMPLETED
        assert req.closed_kind == "其他处理：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    assert h.errors == []


async def test_applicant_type_is_recorded_and_staff_correct_it(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        card = await submitted(h)
        assert h.store.get_request(REF).applicant_type == "自然人"  # from the form's 公民

        mark = fake.mark()
        fake.push_callback(STAFF_CHAT, STAFF, f"s:atype:{REF}", card.message_id, chat_type="supergroup")
        await fake.wait_for_async(method="editMessageText", since=mark)
        assert card_labels(fake, card.message_id) == [
            "自然人",
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
            "返回",
        ]
        mark = fake.mark()
        fake.push_callback(STAFF_CHAT, STAFF, f"s:atypek:{REF}:5", card.message_id, chat_type="supergroup")
        ack = await fake.wait_for_async(method="answerCallbackQuery", since=mark)
        assert "法律服务机构" in ack.params["text"]
        await fake.wait_for_async(method="editMessageText", since=mark)
        assert "申请人类型：法律服务机构" in fake.message(STAFF_CHAT, card.message_id)["text"]
        assert h.store.get_request(REF).applicant_type == "法律服务机构"

        ask = await h.staff_says(f"/applicant {REF}")
        assert "1 自然人" in ask.text and labels(ask)[0] == "自然人"
        await h.staff_says(f"/applicant {REF} 商业企业", contains="已登记")
        assert h.store.get_request(REF).applicant_type == "商业企业"
        assert "申请人类型：商业企业" in h.store.history(REF)[-1].note
    assert h.errors == []


async def test_an_old_outcome_without_its_reason_can_be_completed(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        await submitted(h)
        # what the old close choices stored
        h.store.set_status(REF, IN_PROGRESS, by="tg:900", now=h.svc.now())
        h.store.set_status(REF, "已答复", by="tg:900", now=h.svc.now(), closed_kind="不予公开")
        mark = fake.mark()
        ok = await h.staff_says(f"/close {REF} 3.6", contains="更正")
        assert "不予公开：属于四类过程性信息" in ok.text
        assert h.store.get_request(REF).closed_kind == "不予公开：属于四类过程性信息"
        assert fake.sent_messages(RESIDENT, since=mark) == []  # a record fix, nothing to tell
        assert "已经「已答复」" in (await h.staff_says(f"/close {REF} 3.1")).text
    assert h.errors == []


async def test_an_old_outcome_button_is_not_read_as_a_new_outcome(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        card = await submitted(h)
        # "s:closek:REF:6" meant 重复申请 in the old list; now it only offers the categories again
        mark = fake.mark()
        fake.push_callback(STAFF_CHAT, STAFF, f"s:closek:{REF}:6", card.message_id, chat_type="supergroup")
        await fake.wait_for_async(method="editMessageText", since=mark)
        assert h.store.get_request(REF).is_open
        assert card_labels(fake, card.message_id)[:6] == [
            "予以公开",
            "部分公开",
            "不予公开",
            "无法提供",
            "不予处理",
            "其他处理",
        ]
    assert h.errors == []
