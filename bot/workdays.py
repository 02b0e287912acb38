"""Deadlines counted in working days (工作日), e.g. the 20-working-day reply to a disclosure request.

Statutory holidays and 调休 make-up working days are set yearly by the State Council. For each
date the source of truth is, in order:

1. the `chinese_calendar` package, for years it has data for (2004-2026 in 1.11.0);
2. the administrators' `knowledge/holidays.yaml`, for years it lists;
3. weekends and the fixed statutory days off of 《全国年节及纪念日放假办法》 (2024 revision):
   元旦, 春节 (除夕 to 初三), 清明, 劳动节 (1-2 May), 端午, 中秋, 国庆 (1-3 Oct), lunar dates and
   the 清明 solar term computed with `lunar_python`. Any deadline that relied on this is marked
   provisional, because the year's 调休 make-up days are not known. Nothing here invents 调休.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import chinese_calendar
from lunar_python import Lunar, Solar

from bot.knowledge import KnowledgeError, Problem, read_yaml

if TYPE_CHECKING:
    from bot.knowledge import Knowledge
    from bot.messages import Catalogue

#: Largest number of working days we count; a bound so a bad input can't spin forever.
MAX_WORKING_DAYS = 400
#: Largest calendar span `working_days_between` walks (a little over 400 working days).
MAX_SPAN_DAYS = 800
#: Longest run of consecutive non-working days we accept before assuming broken data.
_MAX_GAP_DAYS = 60
#: Longest holiday range accepted from the admin file (the longest break, 春节, is 8-9 days).
_MAX_RANGE_DAYS = 31

HOLIDAYS_FILE = "holidays.yaml"
Source = Literal["package", "admin", "weekends"]


@dataclass(frozen=True)
class AdminYear:
    """One year's schedule as an administrator typed it from the State Council notice."""

    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    source: str = ""


@dataclass(frozen=True)
class Deadline:
    """A due date; `provisional` when part of the count assumed weekends-only (schedule unknown)."""

    date: dt.date
    provisional: bool = False

    def describe(self, msgs: Catalogue | None = None) -> str:
        """Chinese text for residents, with the caveat a provisional date needs."""
        from bot.validators import cn_date, or_bundled

        m = or_bundled(msgs)
        text = cn_date(self.date, m)
        if self.provisional:
            text += m.text("forms.deadline_provisional")
        return text


@dataclass(frozen=True)
class WorkCalendar:
    """Working-day arithmetic over the package data plus administrator-supplied years."""

    years: Mapping[int, AdminYear] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def empty(cls) -> WorkCalendar:
        return cls()

    @classmethod
    def from_years(cls, years: Mapping[int, AdminYear]) -> WorkCalendar:
        return cls(MappingProxyType(dict(years)))

    @classmethod
    def from_file(cls, path: Path | str) -> WorkCalendar:
        """Read a holidays.yaml; raise KnowledgeError listing every problem (for tests and CLI)."""
        path = Path(path)
        problems: list[Problem] = []
        data = read_yaml(path, problems, path.parent)
        calendar = parse_holidays(data, str(path), problems) if not problems else cls.empty()
        if problems:
            raise KnowledgeError(problems)
        return calendar

    # ----------------------------------------------------------------- single days

    def source(self, d: dt.date) -> Source:
        """Where the answer for `d` comes from; 'weekends' means it is a guess."""
        if _package_is_workday(d) is not None:
            return "package"
        if d.year in self.years:
            return "admin"
        return "weekends"

    def is_working_day(self, d: dt.date) -> bool:
        known = _package_is_workday(d)
        if known is not None:
            return known
        year = self.years.get(d.year)
        if year is not None:
            if d in year.workdays:
                return True
            if d in year.holidays:
                return False
            return d.weekday() < 5
        return d.weekday() < 5 and d not in statutory_holidays(d.year)

    def is_provisional(self, d: dt.date) -> bool:
        return self.source(d) == "weekends"

    def next_working_day(self, d: dt.date) -> dt.date:
        """Receipt date of an online submission made on `d`: that day if working, else the next."""
        return self.receipt_date(d).date

    def receipt_date(self, d: dt.date) -> Deadline:
        """Like `next_working_day`, but says whether the answer relied on weekends-only data."""
        provisional = self.is_provisional(d)
        current = d
        for _ in range(_MAX_GAP_DAYS):
            if self.is_working_day(current):
                return Deadline(current, provisional)
            current += dt.timedelta(days=1)
            provisional = provisional or self.is_provisional(current)
        raise ValueError(f"no working day within {_MAX_GAP_DAYS} days after {d}; check holidays data")

    # ----------------------------------------------------------------- counting

    def add_working_days(self, start: dt.date, n: int) -> Deadline:
        """The n-th working day after `start` (the start day itself is not counted)."""
        if not 0 <= n <= MAX_WORKING_DAYS:
            raise ValueError(f"n must be between 0 and {MAX_WORKING_DAYS}, got {n}")
        current, counted, provisional, gap = start, 0, False, 0
        while counted < n:
            current += dt.timedelta(days=1)
            provisional = provisional or self.is_provisional(current)
            if self.is_working_day(current):
                counted, gap = counted + 1, 0
            else:
                gap += 1
                if gap > _MAX_GAP_DAYS:
                    raise ValueError(f"no working day for {_MAX_GAP_DAYS} days after {current}; check data")
        return Deadline(current, provisional)

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days after `a` up to and including `b`; negative when b is before a.

        Consistent with `add_working_days`: `working_days_between(s, add_working_days(s, n).date) == n`.
        """
        if a == b:
            return 0
        if b < a:
            return -self.working_days_between(b, a)
        span = (b - a).days
        if span > MAX_SPAN_DAYS:
            raise ValueError(f"span of {span} days is over the limit of {MAX_SPAN_DAYS}")
        return sum(self.is_working_day(a + dt.timedelta(days=i)) for i in range(1, span + 1))


@cache
def statutory_holidays(year: int) -> frozenset[dt.date]:
    """The days off fixed by 《全国年节及纪念日放假办法》 (in force 2025-01-01) for `year`, without
    the yearly 调休 (only the State Council's notice sets those).

    元旦 1 Jan; 春节 农历除夕 and 正月初一 to 初三; 清明 (the solar term); 劳动节 1-2 May;
    端午 五月初五; 中秋 八月十五; 国庆 1-3 Oct."""
    days = {dt.date(year, 1, 1), dt.date(year, 5, 1), dt.date(year, 5, 2)}
    days |= {dt.date(year, 10, d) for d in (1, 2, 3)}
    for lunar_year in (year - 1, year):  # 春节 of lunar year N-1 may fall in January/February of N
        new_year = _solar(Lunar.fromYmd(lunar_year + 1, 1, 1).getSolar())
        days |= {new_year + dt.timedelta(days=k) for k in range(-1, 3)}
    days.add(_solar(Lunar.fromYmd(year, 5, 5).getSolar()))
    days.add(_solar(Lunar.fromYmd(year, 8, 15).getSolar()))
    days.add(_solar(Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"]))
    return frozenset(d for d in days if d.year == year)


def _solar(solar: Solar) -> dt.date:
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _package_is_workday(d: dt.date) -> bool | None:
    """The package's answer, or None for years it has no data for (it raises NotImplementedError)."""
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        return None


# --------------------------------------------------------------------------- loading


def load_holidays(knowledge: Knowledge, problems: list[Problem]) -> WorkCalendar:
    """Extension loader: knowledge/holidays.yaml -> WorkCalendar (a missing file means no data)."""
    path = knowledge.root / HOLIDAYS_FILE
    if not path.exists():
        return WorkCalendar.empty()
    unreadable: list[Problem] = []
    data = read_yaml(path, unreadable, knowledge.root)
    problems.extend(unreadable)
    if unreadable:
        return WorkCalendar.empty()
    return parse_holidays(data, _rel(path, knowledge.root), problems)


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def parse_holidays(data: Any, file: str, problems: list[Problem]) -> WorkCalendar:
    """Validate the parsed YAML; each problem names the file, the year and the field."""
    if data is None:
        return WorkCalendar.empty()
    if not isinstance(data, dict) or set(data) - {"years"}:
        problems.append(Problem(file, "", "", "must be a mapping with a single key 'years'"))
        return WorkCalendar.empty()
    years_data = data.get("years")
    if years_data is None:
        return WorkCalendar.empty()
    if not isinstance(years_data, dict):
        problems.append(
            Problem(file, "", "years", "must be a mapping of year -> {source, holidays, workdays}")
        )
        return WorkCalendar.empty()
    years: dict[int, AdminYear] = {}
    for key, body in years_data.items():
        year = _year_key(key)
        if year is None:
            problems.append(Problem(file, str(key), "years", "year must be a number such as 2027"))
            continue
        parsed = _parse_year(year, body, file, problems)
        if parsed is not None:
            years[year] = parsed
    return WorkCalendar.from_years(years)


def _year_key(key: Any) -> int | None:
    if isinstance(key, bool):
        return None
    if isinstance(key, str) and key.strip().isascii() and key.strip().isdigit():
        key = int(key.strip())
    if isinstance(key, int) and 1900 <= key <= 2100:
        return key
    return None


def _parse_year(year: int, body: Any, file: str, problems: list[Problem]) -> AdminYear | None:
    entry = str(year)
    if not isinstance(body, dict):
        problems.append(Problem(file, entry, "", "must be a mapping with source, holidays and workdays"))
        return None
    before = len(problems)
    for unknown in sorted(set(map(str, body)) - {"source", "holidays", "workdays"}):
        problems.append(Problem(file, entry, unknown, "unknown field (expected source, holidays, workdays)"))
    source = body.get("source")
    if not isinstance(source, str) or not source.strip():
        problems.append(
            Problem(file, entry, "source", "say where the dates come from (the State Council notice)")
        )
    holidays = _parse_dates(year, body.get("holidays"), "holidays", file, problems)
    workdays = _parse_dates(year, body.get("workdays"), "workdays", file, problems)
    for both in sorted(holidays & workdays):
        problems.append(Problem(file, entry, "workdays", f"{both} is listed both as a holiday and a workday"))
    if len(problems) > before:
        return None
    return AdminYear(frozenset(holidays), frozenset(workdays), str(source).strip())


def _parse_dates(year: int, items: Any, name: str, file: str, problems: list[Problem]) -> set[dt.date]:
    entry = str(year)
    if items is None:
        return set()
    if not isinstance(items, list):
        problems.append(Problem(file, entry, name, "must be a list of dates (2027-10-01) or ranges"))
        return set()
    found: set[dt.date] = set()
    for i, item in enumerate(items):
        where = f"{name}[{i}]"
        try:
            first, last = _parse_item(item)
        except ValueError as exc:
            problems.append(Problem(file, entry, where, str(exc)))
            continue
        if first.year != year or last.year != year:
            problems.append(Problem(file, entry, where, f"{_show(item)} is not in {year}"))
            continue
        if (last - first).days >= _MAX_RANGE_DAYS:
            problems.append(
                Problem(file, entry, where, f"range is longer than {_MAX_RANGE_DAYS} days; check it")
            )
            continue
        found.update(first + dt.timedelta(days=k) for k in range((last - first).days + 1))
    return found


def _parse_item(item: Any) -> tuple[dt.date, dt.date]:
    """One list item: a date (YAML may already have parsed it) or 'YYYY-MM-DD..YYYY-MM-DD'."""
    if isinstance(item, dt.datetime):
        raise ValueError(f"{item} has a time of day; write the date only, like 2027-10-01")
    if isinstance(item, dt.date):
        return item, item
    if not isinstance(item, str):
        raise ValueError(f"{item!r} is not a date; write 2027-10-01 or 2027-10-01..2027-10-07")
    text = item.strip()
    if ".." in text:
        left, _, right = text.partition("..")
        first, last = _iso(left), _iso(right)
        if last < first:
            raise ValueError(f"range {text} ends before it starts")
        return first, last
    day = _iso(text)
    return day, day


def _iso(text: str) -> dt.date:
    text = text.strip()
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a valid date; write YYYY-MM-DD, like 2027-10-01") from None


def _show(item: Any) -> str:
    return item.isoformat() if isinstance(item, dt.date) else str(item)
