"""The dialog engine's behaviour in every form and outside them: commands, drafts, restarts,
failures, status privacy, questions, suggestions and the hand-over to a person."""

from __future__ import annotations

import json

import bot.dialog as dialog
from bot.dialog import (
    APOLOGY,
    DRAFT_IDLE,
    Engine,
    HandoverOpened,
    Reply,
    RequestSubmitted,
    ResidentMessage,
)
from bot.knowledge import BUNDLED_KNOWLEDGE, load_knowledge
from bot.matcher import Candidate
from bot.qa import QAReply
from bot.store import BUSY_MESSAGE, Store, StoreUnavailable
from tests.dialog_support import (
    DISCLOSURE,
    ID,
    MOBILE,
    MONDAY,
    OTHER,
    RESIDENT,
    Clock,
    bundled,
    disclosure_summary,
    fill,
    make_engine,
    payloads,
    pending_field,
    press,
    say,
    start_disclosure,
    state,
    text_of,
    values,
)


def half_filled(engine: Engine, resident: str = RESIDENT) -> None:
    """A disclosure application filled up to the mobile number."""
    start_disclosure(engine, resident)
    fill(engine, DISCLOSURE, resident, stop_at="mobile")


# --------------------------------------------------------------------------- start and menus


def test_start_shows_the_welcome_and_the_main_menu(engine) -> None:
    out = engine.start(RESIDENT)
    assert out.replies[0].text == bundled().chat.welcome
    assert payloads(out) == [
        "menu:disclosure",
        "menu:archive",
        "menu:events",
        "menu:warnings",
        "menu:faq",
        "menu:human",
    ]
    assert [b.label for b in out.replies[0].buttons][:2] == ["信息公开申请", "异地查档"]


def test_greeting_and_help_come_from_the_chat_file(engine) -> None:
    assert "您好" in text_of(say(engine, "你好"))
    out = say(engine, "帮助")
    assert "信息公开申请" in text_of(out) and "menu:disclosure" in payloads(out)


def test_an_answer_with_a_guided_flow_offers_to_start_it_and_can_be_rated(engine) -> None:
    out = press(engine, "sug:baixiang/service/1")
    assert out.replies[0].entry_id == "baixiang/service/1"
    assert "20个工作日" in text_of(out)
    assert "menu:disclosure" in payloads(out)
    assert text_of(press(engine, "rate:up:baixiang/service/1")) == "感谢您的反馈！"
    assert engine.store.rating_totals() == {"baixiang/service/1": (1, 0)}
    press(engine, "rate:down:baixiang/service/1")  # a changed mind moves the vote
    press(engine, "rate:up:no/such/entry")  # thanked, not counted
    assert engine.store.rating_totals() == {"baixiang/service/1": (0, 1)}


def test_suggestions_are_buttons_and_their_numbers_work_when_typed(engine, monkeypatch) -> None:
    top = [
        Candidate("baixiang/service/9", "异地查档、跨馆服务", 9.0),
        Candidate("baixiang/service/1", "政府信息公开", 8.0),
    ]
    fixed = QAReply("查东西", "suggest", "您是不是想问：\n1. …\n2. …", top)
    monkeypatch.setattr(dialog, "answer_question", lambda knowledge, text, home=None: fixed)
    out = say(engine, "查东西")
    assert payloads(out) == ["sug:baixiang/service/9", "sug:baixiang/service/1", "menu:human"]
    out = say(engine, "2")
    assert out.replies[0].entry_id == "baixiang/service/1"


def test_a_question_is_matched_before_the_turn_takes_the_write_lock(engine, monkeypatch) -> None:
    """At a province's size the matcher takes milliseconds: staff commands and other residents'
    writes must not wait behind it. While the question is being matched, another thread writes."""
    import threading

    real = dialog.answer_question
    writes: list[bool] = []

    def matching(knowledge, text, home=None):
        writer = threading.Thread(target=engine.store.save_session, args=(OTHER, {"mode": "idle"}))
        writer.start()
        writer.join(timeout=10)  # inside the write transaction this would wait for the turn
        writes.append(not writer.is_alive())  # (if not, it finishes once the turn commits)
        return real(knowledge, text, home=home)

    monkeypatch.setattr(dialog, "answer_question", matching)
    out = say(engine, "异地查档需要带什么材料")
    assert out.replies[0].entry_id == "baixiang/service/9"
    assert writes == [True]  # matched once, outside the transaction, and the answer was used


def test_an_answer_to_a_form_field_is_not_matched_as_a_question(engine, monkeypatch) -> None:
    """In a form the turn reads the text first (a name, an ID number): nothing is matched ahead."""
    start_disclosure(engine)
    asked: list[str] = []
    real = dialog.answer_question
    monkeypatch.setattr(
        dialog, "answer_question", lambda k, text, home=None: asked.append(text) or real(k, text, home=home)
    )
    say(engine, "张三")
    assert asked == []


def test_a_matcher_failure_before_the_turn_still_gets_the_apology(engine, monkeypatch) -> None:
    def broken(knowledge, text, home=None):
        raise RuntimeError("index unreadable")

    monkeypatch.setattr(dialog, "answer_question", broken)
    assert text_of(say(engine, "异地查档需要带什么材料")) == APOLOGY


def test_a_stale_button_is_answered_politely(engine) -> None:
    assert "失效" in text_of(press(engine, "pick:3"))
    assert "没有正在填写" in text_of(press(engine, "cancel"))


# --------------------------------------------------------------------------- in a form


def test_cancel_asks_first_and_no_keeps_everything(engine) -> None:
    half_filled(engine)
    out = say(engine, "取消")
    assert "确定要取消" in text_of(out)
    assert payloads(out) == ["cancel:yes", "cancel:no"]
    out = press(engine, "cancel:no")
    assert pending_field(engine) == "mobile"
    assert values(engine)["name"] == "张三"


def test_cancel_confirmed_discards_the_draft(engine) -> None:
    half_filled(engine)
    say(engine, "取消")
    out = say(engine, "是")
    assert "已取消" in text_of(out)
    assert state(engine)["form"] is None and state(engine)["mode"] == "idle"


def test_answering_the_field_instead_of_the_cancel_question_carries_on(engine) -> None:
    half_filled(engine)
    press(engine, "cancel")
    say(engine, MOBILE)
    assert values(engine)["mobile"] == MOBILE
    assert pending_field(engine) == "address"


def test_back_on_the_first_field_says_so(engine) -> None:
    start_disclosure(engine)
    out = say(engine, "返回")
    assert "已经是第一项了" in text_of(out)
    assert pending_field(engine) == "applicant_type"


def test_back_twice_walks_back_through_the_answers(engine) -> None:
    half_filled(engine)
    say(engine, "返回")
    assert pending_field(engine) == "id_number"
    press(engine, "back")
    assert pending_field(engine) == "id_type"


def test_help_explains_the_field_with_an_example_then_asks_it_again(engine) -> None:
    half_filled(engine)
    out = say(engine, "帮助")
    assert "手机号" in out.replies[0].text and "0319-7123456" in out.replies[0].text
    assert "示例：13812345678" in out.replies[0].text
    assert "手机号码" in out.replies[-1].text
    assert pending_field(engine) == "mobile"


def test_a_question_in_the_middle_of_a_form_is_answered_and_the_field_asked_again(engine) -> None:
    half_filled(engine)
    out = say(engine, "政府信息公开申请多久答复？")
    assert out.replies[0].entry_id == "baixiang/service/1"
    assert "20个工作日" in out.replies[0].text
    assert "menu:disclosure" not in payloads(out)  # no second form from inside this one
    assert "手机号码" in out.replies[-1].text
    assert pending_field(engine) == "mobile"
    assert values(engine)["id_number"] == ID
    assert state(engine)["form"]["failures"] == {}  # a question is not a failed answer


def test_a_question_in_a_name_field_is_not_taken_as_the_name(engine) -> None:
    start_disclosure(engine)
    say(engine, "公民")
    say(engine, "要带什么材料吗？")
    assert "name" not in values(engine)
    assert pending_field(engine) == "name"


def test_a_sentence_with_a_phone_number_is_not_taken_as_a_name(engine) -> None:
    start_disclosure(engine)
    say(engine, "公民")
    out = say(engine, f"我的电话是{MOBILE}，天气怎么样")
    assert "name" not in values(engine)
    assert "请输入申请人姓名" in out.replies[-1].text
    say(engine, "联系我139")
    assert "name" not in values(engine)
    say(engine, "买买提·艾力")
    assert values(engine)["name"] == "买买提·艾力"


def test_three_failures_on_one_field_explain_with_an_example_and_offer_a_person(engine) -> None:
    half_filled(engine)
    first = say(engine, "12345")
    assert "人工" not in text_of(first)
    say(engine, "abc")
    third = say(engine, "138")
    assert "示例：13812345678" in text_of(third)
    assert "人工" in text_of(third) and "menu:human" in payloads(third)
    assert pending_field(engine) == "mobile"
    say(engine, MOBILE)
    assert state(engine)["form"]["failures"] == {}


def test_status_and_reference_questions_inside_a_form_keep_the_form(engine) -> None:
    half_filled(engine)
    out = say(engine, "我的申请")
    assert "暂无申请" in text_of(out)
    assert pending_field(engine) == "mobile"


def test_starting_another_form_inside_a_form_is_refused_politely(engine) -> None:
    half_filled(engine)
    out = press(engine, "menu:archive")
    assert "正在填写《政府信息公开申请》" in text_of(out)
    assert pending_field(engine) == "mobile"


# --------------------------------------------------------------------------- drafts and restarts


def test_a_fresh_engine_on_the_same_database_resumes_the_half_filled_form(engine, db, clock) -> None:
    half_filled(engine)
    engine.store.close()
    restarted = make_engine(db, clock)
    try:
        out = say(restarted, MOBILE)
        assert "通信地址" in text_of(out)
        assert values(restarted) == {
            "applicant_type": "公民",
            "name": "张三",
            "id_type": "居民身份证",
            "id_number": ID,
            "mobile": MOBILE,
        }
    finally:
        restarted.store.close()


def test_a_form_left_idle_is_offered_back_and_can_be_resumed(engine, clock) -> None:
    half_filled(engine)
    clock.advance(minutes=DRAFT_IDLE.total_seconds() / 60 + 1)
    out = say(engine, "你好")
    assert "您有一份未完成的《政府信息公开申请》（已填4项），继续填写还是放弃？" in text_of(out)
    assert payloads(out) == ["resume", "discard"]
    out = press(engine, "resume")
    assert "手机号码" in out.replies[-1].text
    say(engine, MOBILE)
    assert pending_field(engine) == "address"


def test_a_form_idle_for_less_than_the_limit_just_continues(engine, clock) -> None:
    half_filled(engine)
    clock.advance(minutes=29)
    say(engine, MOBILE)
    assert pending_field(engine) == "address"


def test_an_idle_draft_can_be_discarded(engine, clock) -> None:
    half_filled(engine)
    clock.advance(hours=2)
    say(engine, "在吗")
    out = say(engine, "放弃草稿")
    assert "草稿已放弃" in text_of(out)
    assert state(engine)["form"] is None


def test_an_ignored_offer_parks_the_draft_until_a_form_is_started(engine, clock) -> None:
    half_filled(engine)
    clock.advance(hours=2)
    say(engine, "你好")
    out = say(engine, "谢谢")  # neither resume nor discard: handled as usual
    assert "不客气" in text_of(out)
    assert state(engine)["form"]["values"]["name"] == "张三"
    out = press(engine, "menu:archive")  # starting any form offers the parked draft first
    assert "未完成的《政府信息公开申请》" in text_of(out)
    out = press(engine, "discard")
    assert pending_field(engine) == "name" and state(engine)["form"]["id"] == "archive_lookup"


def test_start_offers_an_unfinished_draft(engine) -> None:
    half_filled(engine)
    out = engine.start(RESIDENT)
    assert "未完成" in out.replies[-1].text and payloads(out)[-2:] == ["resume", "discard"]


# --------------------------------------------------------------------------- failures


def test_an_internal_error_apologises_and_keeps_the_progress(engine, monkeypatch) -> None:
    half_filled(engine)
    before = state(engine)

    def broken(*args, **kwargs):
        raise RuntimeError(f"validator exploded on {MOBILE}")

    monkeypatch.setattr(dialog, "validate", broken)
    out = say(engine, MOBILE)
    assert out.replies == (Reply(APOLOGY),)
    assert state(engine) == before
    monkeypatch.undo()
    say(engine, MOBILE)
    assert pending_field(engine) == "address"


def test_a_busy_database_says_so_and_keeps_the_progress(engine, monkeypatch) -> None:
    half_filled(engine)

    def locked(*args, **kwargs):
        raise StoreUnavailable("busy", "database is locked")

    monkeypatch.setattr(engine.store, "load_session", locked)
    assert text_of(say(engine, MOBILE)) == BUSY_MESSAGE
    monkeypatch.undo()
    assert pending_field(engine) == "mobile"


def test_errors_are_logged_without_personal_data(engine, monkeypatch, caplog) -> None:
    half_filled(engine)
    monkeypatch.setattr(dialog, "validate", lambda *a, **k: (_ for _ in ()).throw(ValueError(ID)))
    say(engine, ID)
    assert "ValueError" in caplog.text
    assert ID not in caplog.text


# --------------------------------------------------------------------------- status


def test_status_lists_only_the_residents_own_requests(engine) -> None:
    disclosure_summary(engine, RESIDENT)
    press(engine, "confirm", RESIDENT)
    assert "暂无申请" in text_of(say(engine, "我的申请", OTHER))
    out = say(engine, "我的申请", RESIDENT)
    assert "GK-20261123-0001 信息公开：已提交" in text_of(out)
    assert "答复期限：2026年12月21日" in text_of(out)


def test_a_reference_shows_its_details_to_its_owner(engine) -> None:
    disclosure_summary(engine)
    press(engine, "confirm")
    text = text_of(say(engine, "gk－20261123－0001 办到哪了"))
    assert "状态：已提交" in text and "2026-11-23 已提交" in text


def test_another_residents_reference_is_not_revealed(engine) -> None:
    disclosure_summary(engine, RESIDENT)
    press(engine, "confirm", RESIDENT)
    theirs = text_of(say(engine, "GK-20261123-0001", OTHER))
    missing = text_of(say(engine, "GK-20261123-0099", OTHER))
    assert "没有找到您名下的这个编号" in theirs
    assert "已提交" not in theirs and "信息公开" not in theirs
    assert theirs.replace("0001", "0099") == missing  # an existing one reads like a missing one


# --------------------------------------------------------------------------- questions declined, hand-over


def test_declined_questions_are_logged_scrubbed(engine) -> None:
    out = say(engine, f"我手机{MOBILE}，明天天气怎么样")
    assert "不属于" in text_of(out)
    logged = engine.store.top_declined()
    assert len(logged) == 1 and "138****5678" in logged[0][0] and MOBILE not in logged[0][0]


def test_three_declined_questions_in_a_row_bring_in_a_person(engine) -> None:
    say(engine, "明天天气怎么样")
    say(engine, "彩票开奖号码")
    out = say(engine, "股票行情")
    assert len(out.events) == 1 and isinstance(out.events[0], HandoverOpened)
    req = engine.store.get_request(out.events[0].reference)
    assert req is not None and req.data["reason"] == "misunderstood"


def test_an_understood_turn_in_between_restarts_the_count(engine) -> None:
    say(engine, "明天天气怎么样")
    say(engine, "彩票开奖号码")
    press(engine, "menu:events")
    say(engine, "股票行情")
    out = say(engine, "明天天气怎么样")
    assert out.events == () and "不属于" in text_of(out)


def test_handover_opens_a_zx_request_with_the_scrubbed_conversation(engine) -> None:
    say(engine, f"我的电话是{MOBILE}，身份证{ID}，天气怎么样")
    out = say(engine, "人工")
    assert text_of(out).startswith("已转人工")
    (event,) = out.events
    assert isinstance(event, HandoverOpened) and event.reference.startswith("ZX-20261123-")
    req = engine.store.get_request(event.reference)
    assert req is not None
    assert (req.kind, req.resident, req.office) == ("咨询", RESIDENT, "柏乡县人民政府办公室")
    conversation = json.dumps(req.data["conversation"], ensure_ascii=False)
    assert "138****5678" in conversation
    assert MOBILE not in conversation and ID not in conversation


def test_messages_during_a_handover_go_to_the_thread_until_the_resident_ends_it(engine) -> None:
    ref = say(engine, "人工").events[0].reference
    out = say(engine, "我想问一下拆迁补偿的文件在哪里公开")
    assert out.events == (ResidentMessage(ref, "我想问一下拆迁补偿的文件在哪里公开"),)
    assert [m.text for m in engine.store.thread(ref)] == ["我想问一下拆迁补偿的文件在哪里公开"]
    out = say(engine, "结束人工")
    assert "已结束人工服务" in text_of(out) and out.events == ()
    assert state(engine)["mode"] == "idle"


def test_a_handover_closed_by_staff_returns_the_resident_to_the_assistant(engine, clock) -> None:
    ref = press(engine, "menu:human").events[0].reference
    engine.store.set_status(ref, "处理中", by="staff:1", now=clock())
    engine.store.set_status(ref, "已办结", by="staff:1", now=clock())
    out = say(engine, "谢谢")
    assert "人工服务已结束" in text_of(out) and "不客气" in text_of(out)
    assert out.events == ()


def test_a_handover_from_inside_a_form_keeps_the_draft_for_afterwards(engine) -> None:
    half_filled(engine)
    out = say(engine, "人工")
    assert isinstance(out.events[0], HandoverOpened)
    req = engine.store.get_request(out.events[0].reference)
    assert req is not None and (req.data["form"], req.data["field"]) == ("disclosure", "mobile")
    assert ID not in json.dumps(req.data, ensure_ascii=False)
    out = press(engine, "human:end")
    assert "继续填写还是放弃" in text_of(out)
    press(engine, "resume")
    assert pending_field(engine) == "mobile"


# --------------------------------------------------------------------------- knowledge reload


def test_swap_knowledge_is_used_from_the_next_turn(db, clock) -> None:
    store = Store(db)
    engine = Engine(bundled(), store, clock=clock)
    try:
        fresh = load_knowledge(BUNDLED_KNOWLEDGE)
        engine.swap_knowledge(fresh)
        assert engine.knowledge is fresh
        out = press(engine, "menu:disclosure")
        assert pending_field(engine) == "applicant_type" and out.replies
    finally:
        store.close()


def test_submitted_event_is_emitted_once_per_request(engine) -> None:
    disclosure_summary(engine)
    out = press(engine, "confirm")
    assert [type(e) for e in out.events] == [RequestSubmitted]


def test_a_redelivered_message_replays_its_turn_instead_of_applying_twice(tmp_path):
    """After a crash between handling a message and recording it as handled, the channel
    delivers it again with the same turn key: the resident gets the same answer, and the
    form does not take the same text as the answer to the next field."""
    engine = make_engine(tmp_path / "bot.db", Clock(MONDAY))
    try:
        engine.handle(RESIDENT, "信息公开申请", turn_key="u1")
        engine.handle(RESIDENT, payload="pick:1", turn_key="u2")
        first = engine.handle(RESIDENT, "张三", turn_key="u3")
        again = engine.handle(RESIDENT, "张三", turn_key="u3")
        assert again.replies == first.replies
        assert pending_field(engine) == "id_type"
        assert values(engine)["name"] == "张三"
    finally:
        engine.store.close()
