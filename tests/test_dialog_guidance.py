"""Issue 10 through the dialog engine: remedies (5), the handover acknowledgement (10), the
warnings subscription (11), unpublished facts (12), focused alarm answers (14) and messages
without words (15). Bundled knowledge (or a copy with one field filled) and a real SQLite file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.dialog import HANDOVER_BURST_GAP, Engine
from bot.knowledge import BUNDLED_KNOWLEDGE, Knowledge, load_knowledge
from tests.dialog_support import (
    RESIDENT,
    Clock,
    make_engine,
    payloads,
    press,
    say,
    text_of,
)

DECLINE = "不属于"


def edited_knowledge(tmp_path: Path, file: str, old: str, new: str) -> Knowledge:
    """The bundled knowledge with one line of one file changed (an administrator's edit)."""
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, root)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_knowledge(root)


# --------------------------------------------------------------------------- 5: remedies


REMEDY_QUESTIONS = ["政府不公开信息我能起诉吗", "对答复不服怎么办", "信息公开申请被拒绝了可以复议吗"]


@pytest.mark.parametrize("question", REMEDY_QUESTIONS)
def test_remedy_questions_name_complaint_review_and_lawsuit(engine: Engine, question: str) -> None:
    out = say(engine, question)
    text = text_of(out)
    assert "柏乡县人民政府办公室" in text and "投诉" in text  # the 主管部门
    assert "行政复议" in text and "60日" in text
    assert "行政诉讼" in text and "6个月" in text
    assert "应当先申请行政复议" in text  # a refusal to disclose: 复议 before suing
    assert "监督检查" not in text and "案件事项监管" not in text
    assert DECLINE not in text


def test_questions_about_the_review_office_still_go_to_its_duty(engine: Engine) -> None:
    """The office's duty, or since round 30 its supervision of review cases, which the writers
    of the read sets also accept for whom to hand an application to: both name 法制办."""
    out = say(engine, "行政复议申请交给谁")
    assert out.replies[0].entry_id in ("baixiang/duty/13", "baixiang/policy/2")
    assert "法制办" in text_of(out)


# --------------------------------------------------------------------------- 10: handover acknowledgement


def test_first_message_of_a_burst_says_what_happens_next_the_rest_are_relayed_quietly(
    engine: Engine, clock: Clock
) -> None:
    ref = say(engine, "人工").events[0].reference
    first = say(engine, "我想问一下拆迁补偿的文件在哪里公开")
    assert len(first.events) == 1
    text = text_of(first)
    assert ref in text and "工作时间：尚未公布" in text and "在这里" in text
    assert "human:end" in payloads(first)
    clock.advance(minutes=2)
    second = say(engine, "是去年的文件")
    assert second.replies == () and len(second.events) == 1  # relayed, no echo
    assert [m.text for m in engine.store.thread(ref)][-1] == "是去年的文件"
    clock.advance(seconds=HANDOVER_BURST_GAP.total_seconds() + 60)
    assert "工作时间" in text_of(say(engine, "还在吗"))  # a new burst after a quiet spell


def test_a_staff_reply_starts_a_new_burst(engine: Engine, clock: Clock) -> None:
    ref = say(engine, "人工").events[0].reference
    say(engine, "第一个问题")
    clock.advance(minutes=1)
    engine.store.add_message(ref, "staff", "staff:9", "请问是哪一年的文件？", clock())
    clock.advance(minutes=1)
    assert "工作时间" in text_of(say(engine, "2025年的"))


def test_published_working_hours_are_named(tmp_path: Path, clock: Clock) -> None:
    hours = "hours: 工作日 8:30-17:30"  # the office itself: the first entry of contacts.yaml
    knowledge = edited_knowledge(tmp_path, "contacts.yaml", "hours: ''", hours)
    engine = make_engine(tmp_path / "bot.db", clock, knowledge)
    try:
        say(engine, "人工")
        text = text_of(say(engine, "你好，我想咨询"))
        assert "工作时间：工作日 8:30-17:30" in text and "尚未公布" not in text
    finally:
        engine.store.close()


# --------------------------------------------------------------------------- 11: warnings subscription


def test_warnings_subscription_asks_first_and_names_the_official_channels(engine: Engine) -> None:
    out = press(engine, "sub:warnings")
    text = text_of(out)
    assert engine.store.subscribers("warnings") == []  # nothing yet: asked first
    for channel in ("防空警报", "12379", "电视", "广播"):
        assert channel in text
    assert "不能代替" in text and "第一时间" not in text
    assert payloads(out) == ["sub:warnings:yes", "sub:warnings:no"]
    out = press(engine, "sub:warnings:yes")
    assert engine.store.subscribers("warnings") == [RESIDENT]
    assert "已订阅预警信息" in text_of(out) and "第一时间" not in text_of(out)
    assert "12379" in text_of(out)


def test_declining_or_changing_the_subject_does_not_subscribe(engine: Engine) -> None:
    say(engine, "订阅预警")
    assert "没有订阅" in text_of(say(engine, "不用"))
    say(engine, "订阅预警")
    say(engine, "人防活动")  # carried on with something else
    say(engine, "好的")  # no longer an answer to the question
    assert engine.store.subscribers("warnings") == []


def test_the_warnings_menu_says_the_bot_does_not_replace_official_channels(engine: Engine) -> None:
    text = text_of(press(engine, "menu:warnings"))
    assert "不能代替" in text and "12379" in text and "第一时间" not in text


# --------------------------------------------------------------------------- 12: unpublished facts


def test_the_publicity_month_dates_are_said_to_be_unpublished(engine: Engine) -> None:
    for question in ("人防宣传月是几月", "人防宣传月什么时候举办"):
        text = text_of(say(engine, question))
        assert "人防宣传月的日期尚未公布" in text
        assert "暂无申请" not in text and "主要内容" not in text


@pytest.mark.parametrize("question", ["查档要多少钱", "查档收费吗", "异地查档需要交费吗"])
def test_archive_fees_are_said_to_be_unpublished(engine: Engine, question: str) -> None:
    out = say(engine, question)
    text = text_of(out)
    assert "收费标准尚未公布" in text
    assert "暂无申请" not in text and "主要内容" not in text
    assert "menu:archive" in payloads(out)


@pytest.mark.parametrize("question", ["查档多久能出结果", "异地查档要几天"])
def test_archive_turnaround_is_said_to_be_unpublished(engine: Engine, question: str) -> None:
    text = text_of(say(engine, question))
    assert "办理时限尚未公布" in text and "主要内容" not in text


def test_published_fees_and_turnaround_are_answered(tmp_path: Path, clock: Clock) -> None:
    knowledge = edited_knowledge(tmp_path, "archives.yaml", 'fee: ""', "fee: 免费")
    engine = make_engine(tmp_path / "bot.db", clock, knowledge)
    try:
        text = text_of(say(engine, "查档要多少钱"))
        assert "异地查档收费：免费" in text and "尚未公布" not in text
    finally:
        engine.store.close()
    knowledge = edited_knowledge(
        tmp_path / "b", "archives.yaml", "turnaround_working_days:\n", "turnaround_working_days: 5\n"
    )
    engine = make_engine(tmp_path / "b.db", clock, knowledge)
    try:
        assert "5个工作日内" in text_of(say(engine, "查档多久能出结果"))
    finally:
        engine.store.close()


# --------------------------------------------------------------------------- 14: walls of text


def test_the_alarm_day_question_gets_one_focused_answer(engine: Engine) -> None:
    out = say(engine, "7月7号会拉警报吗")
    text = text_of(out)
    assert len(out.replies) == 1
    assert "是的，2027年7月7日（星期三）是人防警报试鸣" in text
    assert "10:10-10:13 空袭警报" in text
    assert "防空防灾演练" not in text  # not led by the unrelated drill card
    assert "鸣36秒" not in text  # the signals are one button away
    assert len(text.splitlines()) <= 7
    assert "signals" in payloads(out)


def test_a_day_without_the_alarm_test_is_said_so(engine: Engine) -> None:
    text = text_of(say(engine, "明天有防空警报吗"))
    assert text.startswith("2026年11月24日（星期二）没有安排人防警报试鸣")
    assert "下一次是2027年7月7日" in text and "防空防灾演练" not in text


def test_when_does_the_alarm_sound_is_focused_and_hearing_one_explains_the_signals(engine: Engine) -> None:
    text = text_of(say(engine, "警报什么时候响"))
    assert "每年7月7日" in text and "防空防灾演练" not in text and "主要活动" not in text
    assert "空袭警报：鸣6秒、停6秒" in text_of(say(engine, "听到警报声怎么办"))


# --------------------------------------------------------------------------- 15: no words


@pytest.mark.parametrize("message", ["😀", "\u200b", "\u200b\u200d ", "。。。", "？！", "👍👍"])
def test_a_message_without_words_is_asked_to_be_written_in_words(engine: Engine, message: str) -> None:
    out = say(engine, message)
    text = text_of(out)
    assert "请用文字写下您的问题" in text
    assert DECLINE not in text
    assert "menu:human" in payloads(out)


def test_messages_without_words_do_not_count_as_misunderstood(engine: Engine) -> None:
    for _ in range(4):
        out = say(engine, "😀")
        assert out.events == ()
    assert engine.store.requests_for(RESIDENT) == []
