"""我的数据 / 删除我的数据 (/mydata, /forget): through the engine, the terminal and Telegram.

/mydata shows what ``Store.resident_data`` holds (draft, submitted requests, subscriptions),
personal fields masked. /forget asks first; then the session (draft, recent conversation) and
subscriptions are deleted at once, and submitted requests are kept for the office, flagged
``forgotten``, with their personal content erased for everyone (issue 11): not in the database
file, its -wal or its -shm, while the store is open or after it closed.
"""

from __future__ import annotations

import io

from bot import terminal
from bot.dialog import APOLOGY
from tests.dialog_support import (
    DISCLOSURE,
    ID,
    MONDAY,
    RESIDENT,
    Clock,
    disclosure_summary,
    make_engine,
    payloads,
    pending_field,
    press,
    say,
    start_disclosure,
    state,
    text_of,
    valid_id,
    values,
)
from tests.telegram_support import ID as TG_ID
from tests.telegram_support import MOBILE as TG_MOBILE
from tests.telegram_support import RESIDENT as TG_RESIDENT
from tests.telegram_support import STAFF, STAFF_CHAT, fill_disclosure, running

ADDRESS = "柏乡县某某镇某某村1号"


def submit_disclosure(engine) -> str:
    disclosure_summary(engine)
    out = press(engine, "confirm")
    (req,) = engine.store.requests_for(RESIDENT)
    assert req.reference in text_of(out)
    return req.reference


# --------------------------------------------------------------------------- engine: /mydata


def test_my_data_lists_everything_in_full_to_its_owner_and_masked_for_anyone_else(engine):
    """Issue 10.4: the owner sees their own data in full (a typo must be visible); what is kept
    or shown to others (the recent conversation staff see at a handover, a web history) is
    masked."""
    ref = submit_disclosure(engine)
    press(engine, "sub:warnings:yes")
    start_disclosure(engine)
    say(engine, "公民")
    say(engine, "李四")
    assert pending_field(engine) == "id_type"
    out = say(engine, "我的数据")
    text = text_of(out)
    assert "正在填写" in text and "李四" in text
    assert ref in text and "张三" in text and ID in text and "13812345678" in text and ADDRESS in text
    kept = out.replies[0].kept
    assert "李*" in kept and "李四" not in kept and "张*" in kept and "130***********" in kept
    assert ID not in kept and "13812345678" not in kept and ADDRESS not in kept
    assert "预警信息" in text
    assert "forget" in payloads(out)
    # asked in the middle of a form: the form carries on where it was
    assert pending_field(engine) == "id_type"
    assert text_of(out).rstrip().endswith("身份证号码：")
    assert values(engine)["name"] == "李四"


def test_my_data_when_nothing_is_kept(engine):
    out = press(engine, "mydata")
    text = text_of(out)
    assert "【正在填写】无" in text and "【已提交的申请】无" in text and "【订阅】无" in text
    assert APOLOGY not in text


# --------------------------------------------------------------------------- engine: /forget


def test_forget_asks_first_and_no_keeps_everything(engine):
    submit_disclosure(engine)
    press(engine, "sub:events")
    start_disclosure(engine)
    say(engine, "公民")
    out = say(engine, "删除我的数据")
    assert "确定要删除" in text_of(out) and "1件申请" in text_of(out)
    assert payloads(out) == ["forget:yes", "forget:no"]
    out = say(engine, "否")
    assert "没有删除" in text_of(out) and pending_field(engine) == "name"
    assert engine.store.subscriptions_of(RESIDENT) == ["events"]
    assert not engine.store.requests_for(RESIDENT)[0].forgotten


def test_forget_deletes_drafts_and_subscriptions_and_keeps_requests_flagged(engine):
    ref = submit_disclosure(engine)
    press(engine, "sub:events")
    press(engine, "sub:warnings:yes")
    start_disclosure(engine)
    say(engine, "公民")
    say(engine, "李四")
    press(engine, "forget")
    out = press(engine, "forget:yes")
    text = text_of(out)
    assert "已删除" in text and ref in text and "个人信息已删除" in text
    assert engine.store.load_session(RESIDENT) is None  # not written back after the turn
    assert engine.store.subscriptions_of(RESIDENT) == []
    (req,) = engine.store.requests_for(RESIDENT)
    # the record stays (reference, service, dates, status), the personal content does not
    assert req.forgotten and req.data == {"form": "disclosure", "erased": True}
    assert req.status == "已提交" and req.due_date is not None
    assert any("删除个人信息" in h.note for h in engine.store.history(ref))
    data = engine.store.resident_data(RESIDENT)
    assert data["session"] is None and data["subscriptions"] == []
    # afterwards /mydata shows the request without its personal fields
    text = text_of(say(engine, "我的数据"))
    assert ref in text and "已按您的要求隐去个人信息" in text and "张*" not in text


def test_an_old_confirmation_button_never_deletes(engine):
    submit_disclosure(engine)
    press(engine, "sub:events")
    out = press(engine, "forget:yes")
    assert "失效" in text_of(out)
    assert engine.store.subscriptions_of(RESIDENT) == ["events"]
    assert not engine.store.requests_for(RESIDENT)[0].forgotten


def test_anything_else_during_the_question_is_not_a_yes(engine):
    press(engine, "sub:events")
    say(engine, "删除我的数据")
    out = say(engine, "政府信息公开多久答复")
    assert "20个工作日" in text_of(out)
    assert state(engine)["mode"] == "idle"
    assert engine.store.subscriptions_of(RESIDENT) == ["events"]


def test_forget_during_a_handover_keeps_the_request_for_staff(engine):
    say(engine, "人工")
    (zx,) = engine.store.requests_for(RESIDENT)
    say(engine, "删除我的数据")
    out = say(engine, "确定")
    assert zx.reference in text_of(out)
    assert engine.store.get_request(zx.reference).forgotten
    assert engine.store.load_session(RESIDENT) is None
    out = say(engine, "你好")  # a fresh start, not relayed to the old handover
    assert not out.events


def test_terminal_has_both_commands(engine):
    submit_disclosure(engine)
    script = "我的数据\n删除我的数据\n1\n我的数据\n"  # 1 = the first button, 是，删除
    out = io.StringIO()
    terminal.converse(engine, RESIDENT, io.StringIO(script), out, interactive=False)
    blocks = out.getvalue().split(terminal.BLOCK_END + "\n")
    assert "您在本助手保存的信息" in blocks[0] and "张三" in blocks[0]
    assert "[1] 是，删除" in blocks[1]
    assert "已删除" in blocks[2]
    assert "已按您的要求隐去个人信息" in blocks[3]


# --------------------------------------------------------------------------- Telegram


async def test_mydata_and_forget_in_telegram(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        receipt = await fill_disclosure(h)
        ref = next(w for w in receipt.text.replace("：", " ").split() if w.startswith("GK-"))
        await h.press("我的申请", contains=ref)
        mine = await h.say("/mydata", contains="您在本助手保存的信息")
        assert ref in mine.text and TG_ID in mine.text  # the owner's own private chat: in full
        assert mine.parse_mode == "HTML"
        ask = await h.say("/forget", contains="确定要删除")
        assert [b["text"] for row in ask.buttons() for b in row] == ["是，删除", "否，保留"]
        done = await h.press("是，删除", contains="已删除")
        assert ref in done.text
        assert h.store.load_session(f"tg:{TG_RESIDENT}") is None
        assert h.store.get_request(ref).forgotten
        again = await h.say("/mydata", contains="已按您的要求隐去个人信息")
        assert "张*" not in again.text
        # the group card stays masked after the request was forgotten
        card = [c for c in fake.sent_messages(STAFF_CHAT) if ref in (c.text or "")][-1]
        assert TG_ID not in card.text
    assert h.errors == []


async def test_mydata_typed_with_the_bot_name_and_in_capitals(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db") as h:
        await h.say("/MyData@citizen_test_bot", contains="您在本助手保存的信息")
        await h.say("删除我的数据", contains="确定要删除")
        await h.press("否，保留", contains="没有删除")
    assert h.errors == []


OTHER_STAFF = 902


async def test_after_forget_no_staff_member_sees_the_personal_fields(fake, tmp_path):
    async with running(fake, tmp_path / "bot.db", staff_ids=frozenset({STAFF, OTHER_STAFF})) as h:
        receipt = await fill_disclosure(h)
        ref = next(w for w in receipt.text.replace("：", " ").split() if w.startswith("GK-"))
        await h.staff_says(f"/claim {ref}", contains=ref)
        await h.say("/forget", contains="确定要删除")
        await h.press("是，删除", contains="已删除")
        for staff in (STAFF, OTHER_STAFF):  # the assignee too (issue 11.4)
            mark = fake.mark()
            await h.staff_says(f"/detail {ref}", user=staff, contains="私信")
            private = await fake.wait_for_message_async(chat_id=staff, contains="【详情】", since=mark)
            for personal in (TG_ID, TG_MOBILE, "130***********", "张三", "张*", ADDRESS, "某某村"):
                assert personal not in private.text, personal
            assert ref in private.text and ("已提交" in private.text or "处理中" in private.text)
    assert h.errors == []


# --------------------------------------------------------------------------- erasure on disk


class Nowhere:
    """A deliverer that never runs: the engine writes what it owes as the Telegram channel's
    engine does (receipts and cards in the outbox), so those rows are on disk too."""

    async def deliver(self, item) -> None:  # pragma: no cover - never drained here
        raise AssertionError("not drained in this test")


def on_disk(db) -> dict[str, bytes]:
    files = {}
    for suffix in ("", "-wal", "-shm"):
        path = db.parent / (db.name + suffix)
        if path.exists():
            files[suffix or "db"] = path.read_bytes()
    return files


def test_forget_leaves_no_personal_data_in_the_database_files(tmp_path):
    """Issue 11.2: after 删除我的数据 + 是 the name, ID number, mobile and address of a draft and
    of a submitted request are in none of the three files, while the bot runs and after."""
    db = tmp_path / "bot.db"
    engine = make_engine(db, Clock(MONDAY))
    engine.outbox.register("tg:", Nowhere())
    engine.outbox.register("staff", Nowhere())
    submitted = {"name": "欧阳锦绣", "id_number": ID, "mobile": "13812345678", "address": "柏乡县槐花街17号"}
    draft = {
        "name": "司马青云",
        "id_number": valid_id("19851111"),
        "mobile": "13987654321",
        "address": "柏乡县梨园路203号",
    }
    start_disclosure(engine)
    answers = dict(DISCLOSURE)
    for key, _ in DISCLOSURE:
        say(engine, submitted.get(key, answers[key]))
    out = press(engine, "confirm")
    (req,) = engine.store.requests_for(RESIDENT)
    assert req.reference in text_of(out) and req.data["fields"]["name"] == "欧阳锦绣"
    say(engine, "我的电话是13812345678，地址柏乡县槐花街17号")  # a question: into the recent buffer
    start_disclosure(engine)
    for key, _ in DISCLOSURE[: [k for k, _ in DISCLOSURE].index("address") + 1]:
        say(engine, draft.get(key, answers[key]))
    assert values(engine)["address"] == "柏乡县梨园路203号"
    secrets = [v.encode() for v in (*submitted.values(), *draft.values())]
    before = b"".join(on_disk(db).values())
    assert all(secret in before for secret in secrets)  # the test can see them

    say(engine, "删除我的数据")
    assert "已删除" in text_of(say(engine, "是"))
    found = {name: [s.decode() for s in secrets if s in data] for name, data in on_disk(db).items()}
    assert found == {name: [] for name in found}, found
    say(engine, "你好")  # later turns do not bring anything back
    found = {name: [s.decode() for s in secrets if s in data] for name, data in on_disk(db).items()}
    assert found == {name: [] for name in found}, found
    assert engine.store.integrity_check() == "ok"
    engine.store.close()
    found = {name: [s.decode() for s in secrets if s in data] for name, data in on_disk(db).items()}
    assert found == {name: [] for name in found}, found
