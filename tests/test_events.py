"""Event calendar: shipped file, rule expansion, reminders, formatting and loader problems."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bot.events import (
    EventCalendar,
    YearlyRule,
    format_alarm_signals,
    format_event_details,
    format_occurrence,
    format_upcoming,
    load_events,
    nth_weekday,
)
from bot.knowledge import BUNDLED_KNOWLEDGE, Problem

ALARM = "renfang_jingbao_shiming"
ALARM_TIMES = ("10:00-10:03 预先警报", "10:10-10:13 空袭警报", "10:20-10:23 解除警报")


def _knowledge(root: Path, known: set[str] | None = None) -> SimpleNamespace:
    """A stand-in for bot.knowledge.Knowledge: a root and, optionally, known entry ids."""
    ids = known or set()
    return SimpleNamespace(
        root=root, departments=["x"] if known else [], get=lambda i: i if i in ids else None
    )


@pytest.fixture(scope="module")
def shipped() -> EventCalendar:
    problems: list[Problem] = []
    cal = load_events(_knowledge(BUNDLED_KNOWLEDGE), problems)
    assert problems == []
    return cal


def _load(tmp_path: Path, text: str, known: set[str] | None = None) -> tuple[EventCalendar, list[Problem]]:
    root = tmp_path / "knowledge"
    root.mkdir(exist_ok=True)
    (root / "events.yaml").write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    return load_events(_knowledge(root, known), problems), problems


def _fields(problems: list[Problem]) -> set[tuple[str, str, str]]:
    return {(p.file, p.entry, p.field) for p in problems}


# --------------------------------------------------------------------------- shipped file


def test_shipped_file_has_the_expected_events(shipped: EventCalendar) -> None:
    assert {r.id for r in shipped.rules} == {
        ALARM,
        "fangzai_jianzai_ri",
        "guoji_dangan_ri",
        "quanmin_guofang_jiaoyu_ri",
    }
    archives_day = shipped.get("guoji_dangan_ri")
    assert archives_day is not None and archives_day.link == "baixiang/service/6"
    assert archives_day.organiser == "档案局"
    assert [s.name for s in shipped.alarm_signals] == ["预先警报", "空袭警报", "解除警报"]


def test_shipped_links_exist_when_departments_are_loaded(tmp_path: Path) -> None:
    known = {"baixiang/service/4", "baixiang/service/5", "baixiang/service/6", "baixiang/service/7"}
    text = (BUNDLED_KNOWLEDGE / "events.yaml").read_text(encoding="utf-8")
    _, problems = _load(tmp_path, text, known | {"baixiang/duty/14"})
    assert problems == []
    _, problems = _load(tmp_path, text, known)
    assert _fields(problems) == {("knowledge/events.yaml", ALARM, "link")}


def test_upcoming_over_a_year_in_order(shipped: EventCalendar) -> None:
    occs = shipped.upcoming(date(2026, 11, 21), days=365)
    assert [(o.start, o.event_id) for o in occs] == [
        (date(2027, 5, 12), "fangzai_jianzai_ri"),
        (date(2027, 6, 9), "guoji_dangan_ri"),
        (date(2027, 7, 7), ALARM),
        (date(2027, 9, 18), "quanmin_guofang_jiaoyu_ri"),
    ]
    alarm = occs[2]
    assert alarm.times == "；".join(ALARM_TIMES)
    assert alarm.recurring and not alarm.bookable


def test_upcoming_default_window_and_today_included(shipped: EventCalendar) -> None:
    assert shipped.upcoming(date(2026, 11, 21)) == []
    assert [o.event_id for o in shipped.upcoming(date(2027, 7, 7), days=0)] == [ALARM]
    assert [o.event_id for o in shipped.upcoming(date(2027, 4, 20))] == [
        "fangzai_jianzai_ri",
        "guoji_dangan_ri",
    ]


def test_propaganda_month_is_undated_and_bookable(shipped: EventCalendar) -> None:
    undated = {e.id: e for e in shipped.undated()}
    month = undated["renfang_xuanchuanyue"]
    assert month.organiser == "人防办" and month.bookable and month.link == "baixiang/service/5"
    assert month.first_day is None
    assert len(month.activities) == 5
    every_occurrence = shipped.upcoming(date(2026, 1, 1), days=800)
    assert "renfang_xuanchuanyue" not in {o.event_id for o in every_occurrence}


def test_third_saturday_of_september() -> None:
    assert nth_weekday(2026, 9, 3, 6) == date(2026, 9, 19)
    assert nth_weekday(2027, 9, 3, 6) == date(2027, 9, 18)
    assert nth_weekday(2027, 9, -1, 6) == date(2027, 9, 25)
    assert nth_weekday(2026, 9, 1, 2) == date(2026, 9, 1)


def test_defence_education_day_rule(shipped: EventCalendar) -> None:
    rule = shipped.get("quanmin_guofang_jiaoyu_ri")
    assert isinstance(rule, YearlyRule)
    assert rule.date_in(2026) == date(2026, 9, 19)
    assert rule.date_in(2027) == date(2027, 9, 18)
    assert [o.event_id for o in shipped.occurrences_on(date(2026, 9, 19))] == ["quanmin_guofang_jiaoyu_ri"]
    assert shipped.occurrences_on(date(2026, 9, 20)) == []


def test_reminders_due_the_day_before(shipped: EventCalendar) -> None:
    due = shipped.reminders_due(date(2027, 7, 6))
    assert [o.event_id for o in due] == [ALARM]
    assert due[0].start == date(2027, 7, 7)
    assert shipped.reminders_due(date(2027, 7, 7)) == []


def test_next_occurrence_rolls_into_next_year(shipped: EventCalendar) -> None:
    occ = shipped.next_occurrence(ALARM, date(2027, 7, 8))
    assert occ is not None and occ.start == date(2028, 7, 7)


def test_find_by_title_and_keyword(shipped: EventCalendar) -> None:
    assert [e.id for e in shipped.find("警报试鸣是哪天")][:1] == [ALARM]
    assert "guoji_dangan_ri" in {e.id for e in shipped.find("国际档案日有什么活动")}
    assert shipped.find("") == []


# --------------------------------------------------------------------------- formatting


def test_format_alarm_occurrence_has_the_three_times(shipped: EventCalendar) -> None:
    (occ,) = shipped.occurrences_on(date(2027, 7, 7))
    text = format_occurrence(occ)
    assert text.startswith("2027年7月7日（星期三） 人防警报试鸣")
    for slot in ALARM_TIMES:
        assert slot in text
    assert "地点：尚未公布" in text


def test_format_commemorative_day_does_not_claim_missing_place(shipped: EventCalendar) -> None:
    (occ,) = shipped.occurrences_on(date(2027, 5, 12))
    assert format_occurrence(occ) == "2027年5月12日（星期三） 全国防灾减灾日"


def test_format_details_says_not_published(shipped: EventCalendar) -> None:
    month = shipped.get("renfang_xuanchuanyue")
    assert month is not None
    text = format_event_details(month)
    assert "日期：尚未公布" in text and "地点：尚未公布" in text and "时间：尚未公布" in text
    assert "承办：人防办" in text
    assert "预约方式尚未公布，请联系人防办" in text
    assert "学校、社区、企业可预约" in text


def test_format_details_of_alarm_rule(shipped: EventCalendar) -> None:
    alarm = shipped.get(ALARM)
    assert alarm is not None
    text = format_event_details(alarm, today=date(2026, 11, 21))
    assert "每年7月7日，下一次是2027年7月7日（星期三）" in text
    assert "10:10-10:13 空袭警报" in text
    assert "5天" in text and "照常" in text


def test_format_details_uses_booking_when_set() -> None:
    cal = EventCalendar()
    from bot.events import DatedEvent

    event = DatedEvent(
        id="jiangzuo",
        title="讲座",
        date=date(2027, 3, 1),
        times=[{"time": "9:00-11:00"}],
        place="某处",
        bookable=True,
        booking="请到现场报名",
    )
    text = format_event_details(event)
    assert "2027年3月1日（星期一）" in text and "09:00-11:00" in text and "地点：某处" in text
    assert "预约：可预约。请到现场报名" in text
    assert cal.undated() == []


def test_format_alarm_signals(shipped: EventCalendar) -> None:
    text = shipped.format_alarm_signals()
    assert "预先警报：鸣36秒、停24秒，反复3遍" in text
    assert "空袭警报：鸣6秒、停6秒，反复15遍" in text
    assert "解除警报：连续鸣响3分钟" in text
    assert "照常" in text
    assert format_alarm_signals(shipped.alarm_signals) in text


def test_alarm_signal_lasts_as_long_as_its_time_slot(shipped: EventCalendar) -> None:
    # 10:00-10:03 etc.: each signal should fit its three-minute slot.
    assert [s.total_seconds for s in shipped.alarm_signals] == [180, 180, 180]


def test_format_upcoming_lists_undated(shipped: EventCalendar) -> None:
    text = format_upcoming(shipped, date(2027, 6, 1), days=40)
    assert "国际档案日" in text and "人防警报试鸣" in text
    assert "日期尚未公布：人防宣传月" in text


# --------------------------------------------------------------------------- loader problems

BROKEN = """
events:
  - id: a_event
    title: 活动A
    start: 2027-06-10
    end: 2027-06-01
  - id: b_event
    title: 活动B
    date: 2027-02-30
  - id: a_event
    title: 重复
  - id: c_event
    title: 活动C
    date: 2027-01-01
    times: [{time: "25:00"}]
  - id: d_event
    title: 活动D
    date: 2027-01-02
    link: nowhere/service/1
rules:
  - id: r_kind
    title: 规则
    kind: monthly
    month: 1
  - id: r_nth
    title: 规则
    kind: nth_weekday
    month: 9
    nth: 5
    weekday: 6
  - id: r_day
    title: 规则
    kind: fixed
    month: 4
    day: 31
  - id: r_month
    title: 规则
    kind: fixed
    month: 13
    day: 1
"""


def test_loader_names_file_entry_and_field(tmp_path: Path) -> None:
    cal, problems = _load(tmp_path, BROKEN, known={"baixiang/service/5"})
    found = _fields(problems)
    f = "knowledge/events.yaml"
    assert (f, "a_event", "end") in found
    assert (f, "b_event", "date") in found
    assert (f, "a_event", "id") in found  # duplicate
    assert (f, "c_event", "times.0.time") in found
    assert (f, "d_event", "link") in found
    assert (f, "r_kind", "kind") in found
    assert (f, "r_nth", "nth") in found
    assert (f, "r_day", "day") in found
    assert (f, "r_month", "month") in found
    assert all(p.file == f and p.entry and p.field for p in problems)
    assert any("unknown rule kind 'monthly'" in p.message for p in problems)
    assert any("out of range" in p.message for p in problems if p.entry == "r_nth")
    assert cal.get("d_event") is not None and cal.get("c_event") is None  # valid events still load


def test_unknown_link_not_checked_without_departments(tmp_path: Path) -> None:
    text = "events:\n  - id: x\n    title: X\n    link: baixiang/service/99\n"
    _, problems = _load(tmp_path, text)
    assert problems == []


def test_loader_reports_bad_shapes(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, "- just\n- a list\n")
    assert [p.message for p in problems] == ["must be a mapping with events, rules and alarm_signals"]
    _, problems = _load(tmp_path, "events: {id: x}\nextra: 1\n")
    assert _fields(problems) == {
        ("knowledge/events.yaml", "", "events"),
        ("knowledge/events.yaml", "", "extra"),
    }
    _, problems = _load(tmp_path, "events: [\n")
    assert problems and "YAML syntax error" in problems[0].message


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    problems: list[Problem] = []
    cal = load_events(_knowledge(tmp_path), problems)
    assert cal == EventCalendar() and len(problems) == 1 and "cannot read" in problems[0].message


def test_unquoted_times_are_understood(tmp_path: Path) -> None:
    text = "rules:\n  - {id: r, title: R, kind: fixed, month: 7, day: 7, times: [{time: 10:00}]}\n"
    cal, problems = _load(tmp_path, text)
    assert problems == []
    rule: Any = cal.get("r")
    assert rule.times[0].time == "10:00"


def test_end_before_start_and_date_with_range(tmp_path: Path) -> None:
    text = "events:\n  - id: x\n    title: X\n    date: 2027-01-01\n    start: 2027-01-01\n"
    _, problems = _load(tmp_path, text)
    assert _fields(problems) == {("knowledge/events.yaml", "x", "date")}


def test_blank_values_mean_not_set(tmp_path: Path) -> None:
    text = 'events:\n  - id: x\n    title: X\n    date: ""\n    place:\n    notes:\n'
    cal, problems = _load(tmp_path, text)
    assert problems == []
    assert [e.id for e in cal.undated()] == ["x"]
