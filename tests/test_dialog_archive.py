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


@pytest.fixture
def engine(tmp_path: Path):
    engine = make_engine(tmp_path / "bot.db", Clock(MONDAY))
    yield engine
    engine.store.close()


def start(engine) -> None:
    out = say(engine, "异地查档")
    assert "异地查档申请" in text_of(out)


def test_own_record_request_is_filed_with_pickup_list_and_no_invented_turnaround(engine) -> None:
    start(engine)
    summary = text_of(fill(engine, ARCHIVE_OWN))
    assert "与当事人关系" not in summary  # asked only for someone else's record
    assert "保存档案的档案馆：湘阴县档案局" in summary  # "湘阴" matched to the directory

    out = press(engine, "confirm")
    receipt = text_of(out)
    assert out.events == (RequestSubmitted("CD-20261123-0001"),)
    assert "申请编号：CD-20261123-0001" in receipt
    assert "受理日期：2026年11月23日" in receipt
    assert "承办科室：档案局" in receipt
    assert "申请人本人身份证原件" in receipt  # archives.yaml pickup_bring
    assert "办理时限尚未公布" in receipt  # the administrator has not configured one
    assert "工作日内答复" not in receipt

    req = engine.store.get_request("CD-20261123-0001")
    assert req is not None
    assert (req.kind, req.office, req.resident) == ("异地查档", "档案局", RESIDENT)
    assert req.due_date is None
    assert req.data["archive_id"] == "xiangyin"
    assert req.data["fields"]["archive"] == "湘阴县档案局"
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


def test_archive_directory_is_offered_as_buttons(engine) -> None:
    start(engine)
    out = fill(engine, ARCHIVE_OWN, stop_at="archive")
    assert [b.label for b in out.replies[-1].buttons] == ["柏乡县档案局", "湘阴县档案局"]
    press(engine, "pick:1")
    assert values(engine)["archive"] == "柏乡县档案局"
    say(engine, "返回")
    say(engine, "2")  # typing the number works like the button
    assert values(engine)["archive"] == "湘阴县档案局"


def test_a_place_outside_the_directory_is_kept_as_typed(engine) -> None:
    start(engine)
    fill(engine, ARCHIVE_OWN, stop_at="archive")
    out = say(engine, "湖南省某某县")
    assert "不在我们的名录中" in text_of(out)
    assert values(engine)["archive"] == "湖南省某某县"
    fill(engine, ARCHIVE_OWN[ARCHIVE_OWN.index(("purpose", "办理退休手续")) :])
    press(engine, "confirm")
    req = engine.store.requests_for(RESIDENT)[0]
    assert "archive_id" not in req.data and req.due_date is None


def test_postal_delivery_asks_for_an_address_and_masks_it(engine) -> None:
    start(engine)
    fill(engine, ARCHIVE_OWN, stop_at="delivery")
    say(engine, "快递")
    assert pending_field(engine) == "address"
    out = say(engine, "柏乡县某某镇某某村1号")
    assert state(engine)["mode"] == "confirm"
    assert "邮寄地址：柏乡县某某镇****" in text_of(out)


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
