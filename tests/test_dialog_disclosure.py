"""政府信息公开 applications through the dialog engine: a resident's whole conversation, scripted."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.dialog import RequestSubmitted
from bot.store import BUSY_MESSAGE, StoreUnavailable
from tests.dialog_support import (
    BAD_CHECKSUM_ID,
    DISCLOSURE,
    ID,
    MOBILE,
    MONDAY,
    RESIDENT,
    SATURDAY,
    TZ,
    Clock,
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


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY)


@pytest.fixture
def engine(tmp_path: Path, clock: Clock):
    engine = make_engine(tmp_path / "bot.db", clock)
    yield engine
    engine.store.close()


def test_starting_the_form_shows_the_intro_and_asks_the_applicant_type_with_buttons(engine) -> None:
    out = start_disclosure(engine)
    assert "政府信息公开申请" in text_of(out)
    assert pending_field(engine) == "applicant_type"
    assert payloads(out) == ["pick:1", "pick:2"]


def test_summary_lists_every_field_with_personal_data_masked(engine) -> None:
    out = disclosure_summary(engine)
    summary = text_of(out)
    assert state(engine)["mode"] == "confirm"
    for label in ("申请人类型", "姓名", "身份证号码", "手机号码", "通信地址", "所需信息描述", "获取形式"):
        assert label in summary
    assert "张*" in summary and "张三" not in summary
    assert ID not in summary and f"{ID[:3]}" in summary and ID[-4:] in summary
    assert MOBILE not in summary and "138****5678" in summary
    assert "柏乡县某某村1号" not in summary
    assert "用途：（未填写）" in summary
    assert payloads(out) == ["confirm", "edit", "cancel"]


def test_confirmed_application_gets_a_reference_receipt_and_a_request_in_the_log(engine) -> None:
    disclosure_summary(engine)
    out = press(engine, "confirm")
    receipt = text_of(out)

    assert out.events == (RequestSubmitted("GK-20261123-0001"),)
    assert "申请编号：GK-20261123-0001" in receipt
    assert "受理日期：2026年11月23日" in receipt
    assert "答复期限：2026年12月21日" in receipt  # 20 working days (Art. 33)
    assert "延长一次" in receipt  # the possible one-time extension
    assert "我的申请" in receipt  # how to check the status
    assert "暂按周末" not in receipt

    req = engine.store.get_request("GK-20261123-0001")
    assert req is not None
    assert (req.kind, req.status, req.resident) == ("信息公开", "已提交", RESIDENT)
    assert req.office == "政务公开办公室"  # from the service catalogue entry baixiang/service/1
    assert req.received_date == date(2026, 11, 23)
    assert req.due_date == date(2026, 12, 21) and req.due_provisional is False
    fields = req.data["fields"]
    assert fields["mobile"] == MOBILE  # stored normalised: '+86 138 1234 5678' -> 11 digits
    assert fields["id_number"] == ID and fields["name"] == "张三"
    assert fields["purpose"] == ""
    assert "email" not in fields  # not asked: delivery is 邮寄
    assert [h.status for h in engine.store.history(req.reference)] == ["已提交"]
    assert state(engine)["form"] is None and state(engine)["mode"] == "idle"


def test_typed_confirmation_works_like_the_button(engine) -> None:
    disclosure_summary(engine)
    out = say(engine, "确认")
    assert re.search(r"GK-\d{8}-0001", text_of(out))


def test_a_second_confirmation_never_files_a_second_request(engine) -> None:
    disclosure_summary(engine)
    press(engine, "confirm")
    again = press(engine, "confirm")
    assert again.events == ()
    assert len(engine.store.requests_for(RESIDENT)) == 1


def test_a_confirmation_whose_turn_failed_after_filing_is_not_filed_twice(engine, monkeypatch) -> None:
    disclosure_summary(engine)
    real_save = engine.store.save_session

    def locked(*args, **kwargs):
        raise StoreUnavailable("busy", "database is locked")

    monkeypatch.setattr(engine.store, "save_session", locked)
    failed = press(engine, "confirm")
    assert text_of(failed) == BUSY_MESSAGE
    monkeypatch.setattr(engine.store, "save_session", real_save)

    retried = press(engine, "confirm")  # the state still says "confirm": the resident retries
    assert "GK-20261123-0001" in text_of(retried)
    assert [r.reference for r in engine.store.requests_for(RESIDENT)] == ["GK-20261123-0001"]


def test_submission_on_a_saturday_is_received_on_the_next_working_day(engine, clock) -> None:
    clock.now = SATURDAY
    disclosure_summary(engine)
    receipt = text_of(press(engine, "confirm"))
    assert "受理日期：2026年11月23日（您在非工作日提交" in receipt
    req = engine.store.requests_for(RESIDENT)[0]
    assert req.received_date == date(2026, 11, 23)
    assert req.reference == "GK-20261121-0001"  # the reference carries the day it was sent


def test_deadline_across_the_national_day_holiday(engine, clock) -> None:
    clock.now = datetime(2026, 9, 28, 9, 0, tzinfo=TZ)
    disclosure_summary(engine)
    receipt = text_of(press(engine, "confirm"))
    assert "答复期限：2026年10月30日" in receipt
    req = engine.store.requests_for(RESIDENT)[0]
    assert (req.due_date, req.due_provisional) == (date(2026, 10, 30), False)


def test_deadline_running_into_2027_is_provisional_and_the_receipt_says_so(engine, clock) -> None:
    clock.now = datetime(2026, 12, 10, 9, 0, tzinfo=TZ)
    disclosure_summary(engine)
    receipt = text_of(press(engine, "confirm"))
    assert "答复期限：2027年1月8日（该年度节假日安排尚未公布，暂按周末和法定节日计算" in receipt
    req = engine.store.requests_for(RESIDENT)[0]
    assert req.due_date == date(2027, 1, 8) and req.due_provisional is True  # 元旦 skipped


def test_invalid_id_number_is_reasked_with_the_reason(engine) -> None:
    start_disclosure(engine)
    fill(engine, DISCLOSURE, stop_at="id_number")
    out = say(engine, BAD_CHECKSUM_ID)
    assert "校验位" in text_of(out)
    assert "身份证号码" in out.replies[-1].text  # the field is asked again
    assert pending_field(engine) == "id_number"
    assert "id_number" not in values(engine)


def test_invalid_phone_is_reasked_with_the_reason(engine) -> None:
    start_disclosure(engine)
    fill(engine, DISCLOSURE, stop_at="mobile")
    out = say(engine, "1381234567")
    assert "11位" in text_of(out)
    assert pending_field(engine) == "mobile"
    say(engine, "０３１９－１２３４５６７")  # a fixed line, in full-width digits
    assert pending_field(engine) == "mobile"
    say(engine, MOBILE)
    assert pending_field(engine) == "address"


def test_choice_accepts_number_alias_and_button(engine) -> None:
    start_disclosure(engine)
    say(engine, "个人")  # alias of 公民
    assert values(engine)["applicant_type"] == "公民"
    say(engine, "返回")
    press(engine, "pick:2")
    assert values(engine)["applicant_type"] == "法人或其他组织"
    assert pending_field(engine) == "org_name"


def test_an_organisation_is_asked_its_name_credit_code_and_contact(engine) -> None:
    start_disclosure(engine)
    say(engine, "单位")
    say(engine, "柏乡县某某农业专业合作社")
    assert pending_field(engine) == "uscc"
    out = say(engine, "91130000MA0000000X")
    assert "校验位" in text_of(out)
    say(engine, "91130000MA0000000R")
    assert pending_field(engine) == "contact_name"
    say(engine, "李四")
    assert pending_field(engine) == "id_number"
    assert "name" not in values(engine)


def test_email_is_asked_only_for_email_delivery_and_dropped_when_delivery_changes(engine) -> None:
    start_disclosure(engine)
    fill(engine, DISCLOSURE, stop_at="delivery")
    say(engine, "电子邮件")
    assert pending_field(engine) == "email"
    say(engine, "ZhangSan@Example.COM")
    summary = text_of(say(engine, "跳过"))
    assert "电子邮箱：Z*******@example.com" in summary  # domain lower-cased, local part masked

    say(engine, "修改 获取方式")
    out = say(engine, "邮寄")
    assert "电子邮箱" not in text_of(out)
    press(engine, "confirm")
    assert "email" not in engine.store.requests_for(RESIDENT)[0].data["fields"]


def test_back_goes_to_the_previous_field_and_keeps_what_was_typed(engine) -> None:
    start_disclosure(engine)
    fill(engine, DISCLOSURE, stop_at="address")
    out = say(engine, "返回")
    assert pending_field(engine) == "mobile"
    assert "当前填写：138****5678" in text_of(out)
    say(engine, "13912345678")
    assert pending_field(engine) == "address"
    assert values(engine)["mobile"] == "13912345678"


def test_edit_from_the_summary_by_partial_label_then_back_to_the_summary(engine) -> None:
    disclosure_summary(engine)
    out = say(engine, "修改 手机")
    assert pending_field(engine) == "mobile"
    assert "手机号码" in text_of(out)
    out = say(engine, "13912345678")
    assert state(engine)["mode"] == "confirm"
    assert "已修改“手机号码”" in text_of(out)
    assert "139****5678" in text_of(out)
    press(engine, "confirm")
    assert engine.store.requests_for(RESIDENT)[0].data["fields"]["mobile"] == "13912345678"


def test_edit_button_lists_the_fields_and_edit_by_number(engine) -> None:
    disclosure_summary(engine)
    out = press(engine, "edit")
    assert "edit:mobile" in payloads(out) and "edit:email" not in payloads(out)
    say(engine, "修改 4")  # the summary's fourth line is 手机号码
    assert pending_field(engine) == "mobile"
    out = say(engine, "返回")  # back while editing returns to the summary unchanged
    assert state(engine)["mode"] == "confirm"
    assert "138****5678" in text_of(out)


def test_a_complaint_is_pointed_to_the_petition_route_before_being_accepted(engine) -> None:
    start_disclosure(engine)
    fill(engine, DISCLOSURE, stop_at="description")
    out = say(engine, "我要举报村干部乱收费")
    assert "第三十九条" in text_of(out)
    assert "menu:human" in payloads(out)
    assert pending_field(engine) == "description" and "description" not in values(engine)
    say(engine, "2025年本县涉农收费项目的公示文件")
    assert values(engine)["description"] == "2025年本县涉农收费项目的公示文件"
    assert pending_field(engine) == "medium"


def test_optional_purpose_can_be_skipped_by_button(engine) -> None:
    start_disclosure(engine)
    fill(engine, DISCLOSURE, stop_at="purpose")
    out = press(engine, "skip")
    assert state(engine)["mode"] == "confirm"
    assert "用途：（未填写）" in text_of(out)
