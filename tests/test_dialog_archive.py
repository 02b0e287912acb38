"""异地查档 requests through the dialog engine: whose record, which archive, receipt and pick-up."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.dialog import RequestSubmitted
from bot.knowledge import BUNDLED_KNOWLEDGE, load_knowledge
from tests.dialog_support import (
    ARCHIVE_OWN,
    MONDAY,
    RESIDENT,
    Clock,
    fill,
    make_engine,
    payloads,
    pending_field,
    press,
    say,
    state,
    text_of,
    values,
)


def start(engine) -> None:
    out = say(engine, "异地查档")
    assert "异地查档申请" in text_of(out)


def test_own_record_request_is_filed_with_pickup_list_and_no_invented_turnaround(engine) -> None:
    start(engine)
    summary = text_of(fill(engine, ARCHIVE_OWN))
    assert "与当事人关系" not in summary  # asked only for someone else's record
    assert "保存档案的档案馆：隆尧县" in summary  # a Hebei place outside the directory, kept as typed

    out = press(engine, "confirm")
    receipt = text_of(out)
    assert out.events == (RequestSubmitted("CD-20261123-0001"),)
    assert "申请编号：CD-20261123-0001" in receipt
    assert "收到日期：2026年11月23日" in receipt
    assert "承办科室：档案局" in receipt
    assert "申请人本人身份证原件" in receipt  # archives.yaml pickup_bring (本地领取)
    assert "办理时限尚未公布" in receipt  # the administrator has not configured one
    assert "查档收费标准尚未公布" in receipt  # issue 10 (12): fees unpublished, said so
    assert "工作日内答复" not in receipt

    req = engine.store.get_request("CD-20261123-0001")
    assert req is not None
    assert (req.kind, req.office, req.resident) == ("异地查档", "档案局", RESIDENT)
    assert req.due_date is None
    assert "archive_id" not in req.data
    assert req.data["fields"]["archive"] == "隆尧县"
    assert req.data["fields"]["whose"] == "本人"


def test_someone_elses_record_needs_relationship_and_tells_about_the_authorisation(engine) -> None:
    start(engine)
    fill(engine, ARCHIVE_OWN, stop_at="whose")
    out = say(engine, "父母")  # alias of 他人
    assert "授权委托书" in text_of(out)
    assert "身份证" in text_of(out)
    assert pending_field(engine) == "relationship"
    say(engine, "父子")
    assert pending_field(engine) == "record_kind"


@pytest.mark.parametrize("typed", ["湘阴", "湘阴县档案局", "河南省新乡县", "新乡县"])
def test_an_archive_in_another_province_is_pointed_to_the_national_platform(engine, typed: str) -> None:
    # Issue 10 (6): the service covers Hebei's archives ("全省"); 湘阴 (Hunan) and 新乡 (Henan) are not.
    start(engine)
    fill(engine, ARCHIVE_OWN, stop_at="archive")
    out = say(engine, typed)
    assert "全国档案查询利用服务平台" in text_of(out)
    assert pending_field(engine) == "archive" and "archive" not in values(engine)
    assert "cancel" in payloads(out)


@pytest.mark.parametrize("typed", ["柏乡", "柏乡县档案馆", "河北省柏乡县"])
def test_the_countys_own_archive_is_not_a_cross_archive_request(engine, typed: str) -> None:
    start(engine)
    fill(engine, ARCHIVE_OWN, stop_at="archive")
    out = say(engine, typed)
    assert "不需要异地查档" in text_of(out) and "直接向柏乡县档案局" in text_of(out)
    assert "电话：尚未公布" in text_of(out)  # how to ask it directly, nothing invented
    assert pending_field(engine) == "archive" and "archive" not in values(engine)


def test_no_out_of_scope_archive_is_offered_as_a_button(engine) -> None:
    start(engine)
    out = fill(engine, ARCHIVE_OWN, stop_at="archive")
    labels = [b.label for b in out.replies[-1].buttons]
    assert "湘阴县档案局" not in labels and "柏乡县档案局" not in labels


def test_a_place_outside_the_directory_is_kept_as_typed(engine) -> None:
    start(engine)
    fill(engine, ARCHIVE_OWN, stop_at="archive")
    out = say(engine, "邢台市某某县")
    assert "不在我们的名录中" in text_of(out)
    assert values(engine)["archive"] == "邢台市某某县"
    fill(engine, ARCHIVE_OWN[ARCHIVE_OWN.index(("purpose", "办理退休手续")) :])
    press(engine, "confirm")
    req = engine.store.requests_for(RESIDENT)[0]
    assert "archive_id" not in req.data and req.due_date is None


def test_electronic_delivery_asks_for_an_email_and_the_receipt_does_not_say_bring_id(engine) -> None:
    # Issue 10 (7): 电子 never asked for an e-mail; 邮寄/电子 receipts said "领取时请携带身份证原件".
    start(engine)
    fill(engine, ARCHIVE_OWN, stop_at="delivery")
    say(engine, "电子")
    assert pending_field(engine) == "email"
    say(engine, "wang@example.com")
    receipt = text_of(press(engine, "confirm"))
    assert "电子邮箱" in receipt
    assert "身份证原件" not in receipt and "领取时请携带" not in receipt
    assert engine.store.requests_for(RESIDENT)[0].data["fields"]["email"] == "wang@example.com"


def test_someone_elses_record_by_post_asks_about_and_explains_the_authorisation(engine) -> None:
    start(engine)
    answers = dict(ARCHIVE_OWN)
    fill(engine, ARCHIVE_OWN, stop_at="whose")
    say(engine, "他人")
    say(engine, "父子")
    for key in ("record_kind", "person_named", "years", "origin", "archive", "purpose"):
        say(engine, answers[key])
    say(engine, "邮寄")
    out = say(engine, "柏乡县某某镇某某村1号")
    assert pending_field(engine) == "authorisation"
    assert "授权委托书" in text_of(out)
    out = say(engine, "还没有")
    assert "工作人员" in text_of(out) and state(engine)["mode"] == "confirm"
    receipt = text_of(press(engine, "confirm"))
    assert "授权委托书" in receipt and "邮寄" in receipt
    assert "领取时请携带" not in receipt


def test_postal_delivery_asks_for_an_address_and_the_receipt_says_it_is_posted(engine) -> None:
    start(engine)
    fill(engine, ARCHIVE_OWN, stop_at="delivery")
    say(engine, "快递")
    assert pending_field(engine) == "address"
    out = say(engine, "柏乡县某某镇某某村1号")
    assert state(engine)["mode"] == "confirm"
    assert "邮寄地址：柏乡县某某镇某某村1号" in text_of(out)  # shown in full to its owner
    receipt = text_of(press(engine, "confirm"))
    assert "邮寄到您填写的地址" in receipt and "身份证原件" not in receipt


def test_years_are_validated(engine) -> None:
    start(engine)
    fill(engine, ARCHIVE_OWN, stop_at="years")
    out = say(engine, "1978-1975")
    assert "起始年份" in text_of(out)
    say(engine, "1975年到1978年")
    assert values(engine)["years"] == "1975-1978"


def test_configured_turnaround_gives_a_due_date_and_says_so(tmp_path: Path) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, root)
    archives = root / "archives.yaml"
    text = archives.read_text(encoding="utf-8").replace(
        "\nturnaround_working_days:\n", "\nturnaround_working_days: 5\n"
    )
    archives.write_text(text, encoding="utf-8")
    engine = make_engine(tmp_path / "bot.db", Clock(MONDAY), load_knowledge(root))
    try:
        start(engine)
        fill(engine, ARCHIVE_OWN)
        receipt = text_of(press(engine, "confirm"))
        assert "一般在5个工作日内答复" in receipt
        req = engine.store.requests_for(RESIDENT)[0]
        assert req.due_date == date(2026, 11, 30)  # five working days after Monday 23rd
    finally:
        engine.store.close()


def test_menu_button_starts_the_archive_form(engine) -> None:
    out = press(engine, "menu:archive")
    assert pending_field(engine) == "name"
    assert "查档人" in text_of(out)
    assert "pick:1" not in payloads(out)
