"""The form walk of issue 10: questions inside fields, names, choices, dates, stepping back,
and the wording residents read (申请 names, event titles)."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot import formflow as ff
from bot.answers import unquote_title
from tests.dialog_support import (
    DISCLOSURE,
    DRILL,
    TZ,
    bundled,
    fill,
    payloads,
    pending_field,
    press,
    say,
    start_disclosure,
    state,
    text_of,
    values,
)

# --------------------------------------------------------------------------- (3) questions and names


def test_a_question_at_the_address_prompt_is_answered_and_the_address_asked_again(engine) -> None:
    # "你们办公地点在哪" was saved as the address; the next answer became the description.
    start_disclosure(engine)
    fill(engine, DISCLOSURE, stop_at="address")
    out = say(engine, "你们办公地点在哪")
    assert "address" not in values(engine) and pending_field(engine) == "address"
    assert "通信地址" in out.replies[-1].text  # the field is asked again
    say(engine, "柏乡县某某镇某某村1号")
    assert values(engine)["address"] == "柏乡县某某镇某某村1号"
    assert pending_field(engine) == "description"


def test_a_name_field_takes_the_name_out_of_a_phrase_and_refuses_a_sentence(engine) -> None:
    start_disclosure(engine)
    fill(engine, DISCLOSURE, stop_at="name")
    say(engine, "我叫陈明")
    assert values(engine)["name"] == "陈明"
    say(engine, "返回")
    out = say(engine, "我不知道要填什么")
    assert pending_field(engine) == "name" and values(engine)["name"] == "陈明"
    assert "姓名" in text_of(out)


# --------------------------------------------------------------------------- (13) choices and dates


@pytest.mark.parametrize("typed", ["纸的", "紙質", "纸质版"])
def test_colloquial_and_traditional_answers_to_a_choice(engine, typed: str) -> None:
    start_disclosure(engine)
    fill(engine, DISCLOSURE, stop_at="medium")
    say(engine, typed)
    assert values(engine)["medium"] == "纸质"


def test_paper_cannot_be_emailed(engine) -> None:
    start_disclosure(engine)
    fill(engine, DISCLOSURE, stop_at="medium")
    out = say(engine, "纸质+电子邮件")  # two answers in one
    assert "只能选一项" in text_of(out) and pending_field(engine) == "medium"
    out = say(engine, "纸质")
    assert pending_field(engine) == "delivery"
    assert "电子邮件" not in [b.label for b in out.replies[-1].buttons]
    out = say(engine, "电子邮件")
    assert pending_field(engine) == "delivery" and "delivery" not in values(engine)


def test_changing_the_form_to_paper_drops_an_email_delivery(engine) -> None:
    start_disclosure(engine)
    fill(engine, DISCLOSURE, stop_at="delivery")
    say(engine, "电子邮件")
    say(engine, "chen@example.cn")
    press(engine, "skip")
    assert state(engine)["mode"] == "confirm"
    out = say(engine, "修改 获取形式")
    out = say(engine, "纸质")
    assert pending_field(engine) == "delivery" and "delivery" not in values(engine)
    assert "重新选择" in text_of(out)


def test_a_year_less_date_just_past_is_confirmed_with_a_button(engine, clock) -> None:
    clock.now = datetime(2026, 12, 2, 10, 0, tzinfo=TZ)
    press(engine, "book")
    fill(engine, DRILL, stop_at="dates")
    out = say(engine, "12月1号")
    assert pending_field(engine) == "dates" and "dates" not in values(engine)
    assert "2027年12月1日" in text_of(out) and "suggest" in payloads(out)
    press(engine, "suggest")
    assert values(engine)["dates"] == "2027-12-01"


def test_the_date_prompt_example_is_computed_from_today(engine, clock) -> None:
    clock.now = datetime(2027, 3, 10, 10, 0, tzinfo=TZ)
    press(engine, "book")
    out = fill(engine, DRILL, stop_at="dates")
    prompt = out.replies[-1].text
    assert "2027-03-24" in prompt and "3月24日到3月28日" in prompt
    assert "2026-12-01" not in prompt
    help_text = text_of(say(engine, "帮助"))
    assert "3月24日到3月28日" in help_text and "12月1日到12月5日" not in help_text


# --------------------------------------------------------------------------- (15) small things


def test_stepping_back_then_forward_says_later_answers_were_kept(engine) -> None:
    start_disclosure(engine)
    fill(engine, DISCLOSURE, stop_at="address")
    say(engine, "返回")
    say(engine, "返回")
    assert pending_field(engine) == "id_number"
    out = say(engine, DISCLOSURE[3][1])
    assert pending_field(engine) == "address"
    assert "联系方式保持不变" in text_of(out)


def test_status_messages_name_the_request_the_same_way_for_every_service() -> None:
    forms = bundled().extras["forms"]
    assert ff.request_name(forms, "信息公开") == "政府信息公开申请"
    assert ff.request_name(forms, "异地查档") == "异地查档申请"
    assert ff.request_name(forms, "人防预约") == "人防演练/讲座预约"


def test_a_quoted_part_of_a_title_keeps_both_quotes() -> None:
    assert unquote_title("“国际档案日”活动") == "“国际档案日”活动"
    assert unquote_title("“政府信息公开”") == "政府信息公开"
    assert unquote_title("异地查档") == "异地查档"
