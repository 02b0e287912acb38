"""Working-day deadlines: package data for 2026, admin data or a provisional fallback for 2027."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import chinese_calendar
import pytest

from bot.knowledge import BUNDLED_KNOWLEDGE, KnowledgeError, Problem
from bot.workdays import (
    MAX_WORKING_DAYS,
    AdminYear,
    Deadline,
    WorkCalendar,
    load_holidays,
    statutory_holidays,
)

CAL = WorkCalendar.empty()


def _knowledge(tmp_path: Path, yaml_text: str | None) -> SimpleNamespace:
    root = tmp_path / "knowledge"
    root.mkdir()
    if yaml_text is not None:
        (root / "holidays.yaml").write_text(yaml_text, encoding="utf-8")
    return SimpleNamespace(root=root)


# Made-up 2027 schedule: test data only, not the (unpublished) official one.
FAKE_2027 = """
years:
  2027:
    source: test data
    holidays:
      - 2027-01-01
      - 2027-02-05..2027-02-11
    workdays:
      - "2027-02-13"
"""


def test_disclosure_deadline_over_national_day() -> None:
    assert CAL.add_working_days(date(2026, 9, 28), 20) == Deadline(date(2026, 10, 30), False)


def test_weekends_only_would_differ() -> None:
    # Guard that the test above really exercises the holiday data.
    weekends_only = date(2026, 10, 26)
    assert CAL.add_working_days(date(2026, 9, 28), 20).date != weekends_only


def test_national_day_is_not_working() -> None:
    for day in range(1, 8):
        assert not CAL.is_working_day(date(2026, 10, day))
    assert CAL.is_working_day(date(2026, 10, 8))
    assert CAL.add_working_days(date(2026, 9, 30), 1).date == date(2026, 10, 8)
    assert CAL.next_working_day(date(2026, 10, 3)) == date(2026, 10, 8)


def test_make_up_working_days_come_from_the_package() -> None:
    # Looked up in chinese_calendar 1.11.0: 2026's weekend make-up days.
    makeup = [
        d
        for d in chinese_calendar.get_workdays(date(2026, 1, 1), date(2026, 12, 31), include_weekends=True)
        if d.weekday() >= 5
    ]
    assert date(2026, 9, 20) in makeup and date(2026, 10, 10) in makeup
    for d in makeup:
        assert CAL.is_working_day(d)
    assert date(2026, 10, 10).weekday() == 5
    # Friday 10-09 + 1 working day is the make-up Saturday, not Monday.
    assert CAL.add_working_days(date(2026, 10, 9), 1).date == date(2026, 10, 10)
    # Sunday 2026-09-27 is part of the Mid-Autumn break, not a make-up day.
    assert not CAL.is_working_day(date(2026, 9, 27))


def test_online_submission_on_saturday_received_monday() -> None:
    assert CAL.next_working_day(date(2026, 11, 21)) == date(2026, 11, 23)
    assert CAL.next_working_day(date(2026, 11, 23)) == date(2026, 11, 23)
    assert CAL.receipt_date(date(2026, 11, 21)) == Deadline(date(2026, 11, 23), False)


def test_deadline_into_2027_is_provisional_without_admin_data() -> None:
    deadline = CAL.add_working_days(date(2026, 12, 10), 20)
    assert deadline.date.year == 2027 and deadline.date.month == 1
    assert deadline == Deadline(date(2027, 1, 8), True)  # 1 January 2027 (元旦) is skipped
    assert "暂按周末和法定节日计算" in deadline.describe()
    assert CAL.receipt_date(date(2027, 1, 2)) == Deadline(date(2027, 1, 4), True)
    assert CAL.source(date(2027, 1, 4)) == "weekends"


def test_admin_calendar_moves_2027_deadline(tmp_path: Path) -> None:
    problems: list[Problem] = []
    cal = load_holidays(_knowledge(tmp_path, FAKE_2027), problems)
    assert problems == []
    assert cal.years[2027].source == "test data"
    assert cal.add_working_days(date(2026, 12, 10), 20) == Deadline(date(2027, 1, 8), False)
    assert not cal.is_working_day(date(2027, 2, 8))
    assert cal.is_working_day(date(2027, 2, 13))  # a Saturday make-up day
    assert cal.source(date(2027, 2, 13)) == "admin"
    assert "暂按" not in cal.add_working_days(date(2026, 12, 10), 20).describe()


def test_package_wins_over_admin_data_for_its_years() -> None:
    cal = WorkCalendar.from_years({2026: AdminYear(holidays=frozenset({date(2026, 11, 23)}), source="x")})
    assert cal.is_working_day(date(2026, 11, 23))


def test_years_outside_all_data_fall_back_to_weekends_and_fixed_holidays() -> None:
    assert not CAL.is_working_day(date(2003, 1, 1))  # a Wednesday, but 元旦; no 2003 data
    assert CAL.is_working_day(date(2003, 1, 2))
    assert CAL.add_working_days(date(2002, 12, 31), 1) == Deadline(date(2003, 1, 2), True)


def test_from_file_and_empty(tmp_path: Path) -> None:
    path = tmp_path / "holidays.yaml"
    path.write_text(FAKE_2027, encoding="utf-8")
    assert 2027 in WorkCalendar.from_file(path).years
    assert WorkCalendar.empty().years == {}
    path.write_text("years:\n  2027:\n    holidays: [2027-13-01]\n", encoding="utf-8")
    with pytest.raises(KnowledgeError):
        WorkCalendar.from_file(path)


def test_bundled_file_has_no_invented_2027_dates() -> None:
    cal = WorkCalendar.from_file(BUNDLED_KNOWLEDGE / "holidays.yaml")
    assert 2027 not in cal.years


def test_missing_file_is_an_empty_calendar(tmp_path: Path) -> None:
    problems: list[Problem] = []
    assert load_holidays(_knowledge(tmp_path, None), problems) == WorkCalendar.empty()
    assert problems == []


def test_loader_reports_file_year_and_field(tmp_path: Path) -> None:
    bad = """
years:
  abc: {source: x}
  2027:
    holidays:
      - 2027-02-30
      - 2027-10-07..2027-10-01
      - 2028-01-01
      - 2027-05-01
      - not a date
    workdays:
      - 2027-05-01
  2028:
    source: x
    colour: blue
    holidays: 2028-01-01
  2029:
    source: x
    holidays: [2029-01-01..2029-12-31]
"""
    problems: list[Problem] = []
    cal = load_holidays(_knowledge(tmp_path, bad), problems)
    found = {(p.entry, p.field) for p in problems}
    assert all(p.file == "knowledge/holidays.yaml" for p in problems)
    assert ("abc", "years") in found
    assert ("2027", "source") in found
    assert ("2027", "holidays[0]") in found  # impossible date
    assert ("2027", "holidays[1]") in found  # range ends before it starts
    assert ("2027", "holidays[2]") in found  # outside its year
    assert ("2027", "holidays[4]") in found  # not a date
    assert ("2027", "workdays") in found  # 2027-05-01 both holiday and workday
    assert ("2028", "colour") in found
    assert ("2028", "holidays") in found
    assert ("2029", "holidays[0]") in found  # implausibly long range
    assert cal.years == {}  # invalid years are not used
    assert "2027-05-01" in next(p.message for p in problems if p.field == "workdays")


def test_yaml_syntax_error_is_a_problem(tmp_path: Path) -> None:
    problems: list[Problem] = []
    load_holidays(_knowledge(tmp_path, "years: [unclosed\n"), problems)
    assert problems and problems[0].file == "knowledge/holidays.yaml"


def test_working_days_between() -> None:
    start = date(2026, 9, 28)
    assert CAL.working_days_between(start, date(2026, 10, 30)) == 20
    assert CAL.working_days_between(date(2026, 10, 30), start) == -20
    assert CAL.working_days_between(start, start) == 0
    # Overdue check: 3 working days after Friday 2026-11-20 is Wednesday 11-25.
    assert CAL.working_days_between(date(2026, 11, 20), date(2026, 11, 25)) == 3
    for n in (0, 1, 7, 20, 40):
        assert CAL.working_days_between(start, CAL.add_working_days(start, n).date) == n


def test_bounds() -> None:
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2026, 1, 1), MAX_WORKING_DAYS + 1)
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        CAL.working_days_between(date(2020, 1, 1), date(2026, 1, 1))
    assert CAL.add_working_days(date(2026, 1, 1), MAX_WORKING_DAYS).provisional  # reaches 2027
    assert CAL.add_working_days(date(2026, 1, 5), 0) == Deadline(date(2026, 1, 5), False)


def test_provisional_2027_deadline_skips_the_fixed_statutory_holidays() -> None:
    # Issue 10: 2026-12-18 + 20 working days counted 1 January 2027 as a working day.
    assert CAL.add_working_days(date(2026, 12, 18), 20) == Deadline(date(2027, 1, 18), True)
    assert not CAL.is_working_day(date(2027, 1, 1))
    # 春节 2027: 除夕 5 February to 初三 8 February; 国庆 1-3 October; 劳动节 1-2 May.
    for d in (date(2027, 2, 5), date(2027, 2, 8), date(2027, 10, 1), date(2027, 5, 2)):
        assert not CAL.is_working_day(d) or d.weekday() >= 5
    assert CAL.is_working_day(date(2027, 2, 9))


@pytest.mark.parametrize("year", [2025, 2026])
def test_computed_fixed_holidays_agree_with_the_published_schedules(year: int) -> None:
    # The package holds the official 2025/2026 schedules: every fixed day off must be a holiday there.
    for d in statutory_holidays(year):
        assert chinese_calendar.is_holiday(d), d
    assert len(statutory_holidays(year)) == 13
