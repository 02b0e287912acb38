"""政府信息公开 applications through the dialog engine: a resident's whole conversation, scripted."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from bot.dialog import RequestSubmitted
from bot.store import BUSY_MESSAGE, StoreUnavailable
from tests.dialog_support import (
    BAD_CHECKSUM_ID,
    DISCLOSURE,
    ID,
    MOBILE,
    RESIDENT,
    SATURDAY,
    TZ,
    disclosure_summary,
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


def test_starting_the_form_shows_the_intro_and_asks_the_applicant_type_with_buttons(engine) -> None:
    out = start_disclosure(engine)
    assert "政府信息公开申请" in text_of(out)
    assert pending_field(engine) == "applicant_type"
    assert payloads(out) == ["pick:1", "pick:2"]


def test_summary_shows_the_resident_their_own_data_in_full_and_the_record_keeps_it_masked(engine) -> None:
    # Issue 10 (4): "姓名：刘* 身份证号码：130***…" — the owner could not see a typo in their own data.
    out = disclosure_summary(engine)
    summary = text_of(out)
    assert state(engine)["mode"] == "confirm"
    labels = ("申请人类型", "姓名", "证件类型", "证件号码", "联系方式", "通信地址", "所需信息描述")
    for label in labels:
        assert label in summary
    assert "姓名：张三" in summary
    assert f"证件号码：{ID}" in summary
    assert f"联系方式：{MOBILE}" in summary
    assert "通信地址：柏乡县某某镇某某村1号" in summary
    assert "用途：（未填写）" in summary
    assert payloads(out) == ["confirm", "edit", "cancel"]
    # what a handover would show staff of this conversation stays masked
    recent = " ".join(item["text"] for item in state(engine)["recent"])
    assert "姓名：张*" in recent and ID not in recent and MOBILE not in recent
    assert "某某村1号" not in recent


def test_confirmed_application_gets_a_reference_receipt_and_a_request_in_the_log(engine) -> None:
    disclosure_summary(engine)
    out = press(engine, "confirm")
    receipt = text_of(out)

    assert out.events == (RequestSubmitted("GK-20261123-0001"),)
    assert "申请编号：GK-20261123-0001" in receipt
    assert "收到日期：2026年11月23日" in receipt and "受理日期" not in receipt  # Art. 31
    assert "答复期限：2026年12月21日" in receipt  # 20 working days (Art. 33)
    # fee rule, 7-working-day 补正 rule and remedies, each in one short line (issue 10, 9)
    fee_line = next(line for line in receipt.splitlines() if "不收费" in line)
    assert "7个工作日" in fee_line and "补正" in fee_line
    remedy = next(line for line in receipt.splitlines() if "行政复议" in line)
    assert "柏乡县人民政府办公室" in remedy and "投诉" in remedy
    assert "60日" in remedy and "6个月" in remedy and "行政诉讼" in remedy
    assert "不予公开的，须先申请行政复议" in remedy
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
    assert "收到日期：2026年11月23日（您在非工作日提交" in receipt
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
    assert "证件号码" in out.replies[-1].text  # the field is asked again
    assert pending_field(engine) == "id_number"
    assert "id_number" not in values(engine)


def test_invalid_contact_is_reasked_with_the_reason(engine) -> None:
    start_disclosure(engine)
    fill(engine, DISCLOSURE, stop_at="mobile")
    out = say(engine, "1381234567")
    assert "不是有效的电话号码" in text_of(out) and "电子邮箱" in text_of(out)
    assert pending_field(engine) == "mobile"
    say(engine, "7123456")  # a fixed line without its area code
    assert pending_field(engine) == "mobile"
    say(engine, MOBILE)
    assert pending_field(engine) == "address"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("０３１９－７１２３４５６", "0319-7123456"),
        ("0319-7123456", "0319-7123456"),
        ("chen@example.cn", "chen@example.cn"),
    ],
)
def test_contact_may_be_a_fixed_line_with_area_code_or_an_email(engine, typed: str, stored: str) -> None:
    # Issue 10 (2): Art. 29 asks for 联系方式, not a mobile number.
    start_disclosure(engine)
    fill(engine, DISCLOSURE, stop_at="mobile")
    say(engine, typed)
    assert values(engine)["mobile"] == stored
    assert pending_field(engine) == "address"


@pytest.mark.parametrize(
    ("kind", "number"),
    [
        ("港澳台居民居住证", "810000199001010025"),
        ("港澳/台湾通行证", "H12345678"),
        ("护照", "E12345678"),
        ("外国人永久居留身份证", "USA123456789012"),
    ],
)
def test_other_identity_documents_are_accepted_and_checked_per_type(engine, kind: str, number: str) -> None:
    # Issue 10 (2): Art. 29 asks for 身份证明, not only a 居民身份证.
    from stdnum.cn import ric

    if number[:6] == "810000":
        number = number[:17] + ric.calc_check_digit(number[:17] + "0")
    start_disclosure(engine)
    fill(engine, DISCLOSURE, stop_at="id_type")
    say(engine, kind)
    out = say(engine, ID)  # a 居民身份证 number is not this document's number
    assert pending_field(engine) == "id_number", text_of(out)
    say(engine, number)
    assert values(engine)["id_type"] == kind and values(engine)["id_number"] == number
    assert pending_field(engine) == "mobile"


@pytest.mark.parametrize("number", ["130524194803150025", "130524198802110310", "430624195208082129"])
def test_an_older_resident_with_an_id_issued_in_baixiang_completes_every_form(engine, number: str) -> None:
    # Issue 10 (1): python-stdnum ties 130524 (柏乡县, from 1993) to the birth year.
    from tests.dialog_support import ARCHIVE_OWN, DRILL

    start_disclosure(engine)
    fill(engine, [(k, number if k == "id_number" else v) for k, v in DISCLOSURE])
    assert "GK-" in text_of(press(engine, "confirm"))
    say(engine, "异地查档")
    fill(engine, [(k, number if k == "id_number" else v) for k, v in ARCHIVE_OWN])
    assert "CD-" in text_of(press(engine, "confirm"))
    press(engine, "book")
    fill(engine, DRILL)
    assert "RF-" in text_of(press(engine, "confirm"))
    fields = [r.data["fields"] for r in engine.store.requests_for(RESIDENT)]
    assert [f.get("id_number") for f in fields if "id_number" in f] == [number, number]


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
    out = say(engine, "91130000MA0000000R")
    assert pending_field(engine) == "legal_rep"  # Issue 10 (8): 法定代表人 is asked
    assert "法定代表人" in text_of(out)
    say(engine, "王五")
    assert pending_field(engine) == "contact_name"
    say(engine, "李四")
    # Issue 10 (8): the contact person's ID number is not needed (collect only what is needed)
    assert pending_field(engine) == "mobile"
    assert "name" not in values(engine) and "id_number" not in values(engine)
    say(engine, "0319-7123456")
    say(engine, "柏乡县某某镇某某村1号")
    say(engine, "2025年本县某某道路改造工程的立项批复文件")
    say(engine, "电子")
    say(engine, "邮寄")
    press(engine, "skip")
    press(engine, "confirm")
    req = engine.store.requests_for(RESIDENT)[0]
    from bot.desk import Desk
    from bot.desk.views import masked_lines  # what the staff group sees

    card = "\n".join(masked_lines(Desk(engine.store, engine.knowledge), req))
    assert "91130000MA0000000R" in card  # the public 统一社会信用代码 is not masked


def test_email_is_asked_only_for_email_delivery_and_dropped_when_delivery_changes(engine) -> None:
    start_disclosure(engine)
    fill(engine, DISCLOSURE, stop_at="delivery")
    say(engine, "电子邮件")
    assert pending_field(engine) == "email"
    say(engine, "ZhangSan@Example.COM")
    summary = text_of(say(engine, "跳过"))
    assert "电子邮箱：ZhangSan@example.com" in summary  # domain lower-cased, shown to its owner

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
    assert f"当前填写：{MOBILE}" in text_of(out)  # the owner sees their own value
    say(engine, "13912345678")
    assert pending_field(engine) == "address"
    assert values(engine)["mobile"] == "13912345678"


def test_edit_from_the_summary_by_partial_label_then_back_to_the_summary(engine) -> None:
    disclosure_summary(engine)
    out = say(engine, "修改 联系")
    assert pending_field(engine) == "mobile"
    assert "联系方式" in text_of(out)
    out = say(engine, "13912345678")
    assert state(engine)["mode"] == "confirm"
    assert "已修改“联系方式”" in text_of(out)
    assert "联系方式：13912345678" in text_of(out)
    press(engine, "confirm")
    assert engine.store.requests_for(RESIDENT)[0].data["fields"]["mobile"] == "13912345678"


def test_edit_button_lists_the_fields_and_edit_by_number(engine) -> None:
    disclosure_summary(engine)
    out = press(engine, "edit")
    assert "edit:mobile" in payloads(out) and "edit:email" not in payloads(out)
    say(engine, "修改 5")  # the summary's fifth line is 联系方式
    assert pending_field(engine) == "mobile"
    out = say(engine, "返回")  # back while editing returns to the summary unchanged
    assert state(engine)["mode"] == "confirm"
    assert f"联系方式：{MOBILE}" in text_of(out)


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
