"""Years and dates as residents type them: '1985-1990', '12月1日到5日', '2026-12-01'."""

from __future__ import annotations

import datetime as dt
import re

from bot.messages import Catalogue
from bot.validators.base import Invalid, Result, Valid, nfkc, or_bundled
from bot.validators.choices import chinese_number, is_chinese_digits

_RANGE_SEP = r"(?:-|~|至|到|\.\.|—|–|－|～)"
_YEAR = r"(\d{4}|[零〇一二三四五六七八九]{4})年?(?:份)?"

#: A year-less date that passed at most this many days ago is confirmed, not moved to next year.
RECENT_PAST_DAYS = 90


def _year_text(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    return chinese_number(s) if is_chinese_digits(s) else None


def year_range(text: str, today: dt.date, *, msgs: Catalogue | None = None) -> Result:
    """'1985', '1985-1990', '1985年至1990年', '1985到1990' -> '1985' or '1985-1990'."""
    m = or_bundled(msgs)
    s = re.sub(r"\s", "", nfkc(text))
    hint = m.text("forms.year_hint", this_year=today.year)
    found = re.fullmatch(rf"{_YEAR}(?:{_RANGE_SEP}{_YEAR})?", s)
    if not found:
        return Invalid(m.text("forms.year_unreadable", hint=hint))
    start = _year_text(found.group(1))
    end = _year_text(found.group(2)) if found.group(2) else start
    if start is None or end is None:
        return Invalid(m.text("forms.year_unreadable", hint=hint))
    for y in (start, end):
        if not 1900 <= y <= today.year:
            return Invalid(m.text("forms.year_out_of_range", year=y, this_year=today.year, hint=hint))
    if end < start:
        return Invalid(m.text("forms.year_reversed", start=start, end=end))
    value = str(start) if start == end else f"{start}-{end}"
    return Valid(value)


_FULL_DATE = r"(?:(?P<{p}y>\d{{4}})(?:年|[-/.]))?(?P<{p}m>\d{{1,2}})(?:月|[-/.])(?P<{p}d>\d{{1,2}})(?:日|号)?"
_DATE_RANGE = re.compile(
    "^"
    + _FULL_DATE.format(p="a")
    + rf"(?:{_RANGE_SEP}(?:"
    + _FULL_DATE.format(p="b")
    + r"|(?P<bonly>\d{1,2})(?:日|号)))?$"
)


def _on_or_after(month: int, day: int, floor: dt.date) -> dt.date | None:
    """First date with this month/day on or after `floor` (Feb 29 looks ahead to a leap year)."""
    for year in range(floor.year, floor.year + 9):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate >= floor:
            return candidate
    return None


def cn_date(d: dt.date, msgs: Catalogue | None = None) -> str:
    """A date as residents write it: 2026年12月1日."""
    return or_bundled(msgs).text("forms.date", year=d.year, month=d.month, day=d.day)


def date_range(text: str, today: dt.date, *, msgs: Catalogue | None = None) -> Result:
    """A date or range from today on: '2026-12-01', '12月1日到12月5日', '12月1日至5日'.

    Without a year the next occurrence is meant; value is ISO 'YYYY-MM-DD' or 'YYYY-MM-DD..YYYY-MM-DD'.
    """
    m = or_bundled(msgs)
    s = re.sub(r"\s", "", nfkc(text))
    ex = example_dates(today, msgs=m)
    hint = m.text("forms.date_hint", example_date=ex["example_date"], example_range=ex["example_range"])
    found = _DATE_RANGE.match(s)
    if not found:
        return Invalid(m.text("forms.date_unreadable", hint=hint))
    g = found.groupdict()
    start = _make_date(g["ay"], g["am"], g["ad"], today, m)
    if isinstance(start, Invalid):
        return start
    if g["bonly"]:
        end: dt.date | Invalid = _make_date(str(start.year), str(start.month), g["bonly"], start, m)
    elif g["bm"]:
        end = _make_date(g["by"], g["bm"], g["bd"], start, m)
    else:
        end = start
    if isinstance(end, Invalid):
        return end
    if start < today:
        return Invalid(m.text("forms.date_past", date=cn_date(start, m), today=cn_date(today, m)))
    if not g["ay"] and start.year > today.year:
        this_year = _this_year(start, today)
        if this_year is not None and (today - this_year).days <= RECENT_PAST_DAYS:
            # "12月1号" typed on 2 December: next year's date, or a slip? Ask, never assume.
            if start == end:
                shown, value, typed = cn_date(start, m), start.isoformat(), start.isoformat()
            else:
                shown = m.text("forms.date_span", start=cn_date(start, m), end=cn_date(end, m))
                value = f"{start.isoformat()}..{end.isoformat()}"
                typed = m.text("forms.date_span_typed", start=start.isoformat(), end=end.isoformat())
            return Invalid(
                m.text("forms.date_next_year", passed=cn_date(this_year, m), shown=shown, typed=typed),
                suggestion=value,
                suggestion_label=shown,
            )
    if end < start:
        return Invalid(m.text("forms.date_end_before_start", end=cn_date(end, m), start=cn_date(start, m)))
    if start == end:
        return Valid(start.isoformat(), cn_date(start, m))
    span = m.text("forms.date_span", start=cn_date(start, m), end=cn_date(end, m))
    return Valid(f"{start.isoformat()}..{end.isoformat()}", span)


def _this_year(d: dt.date, today: dt.date) -> dt.date | None:
    try:
        return d.replace(year=today.year)
    except ValueError:
        return None


def example_dates(today: dt.date, *, msgs: Catalogue | None = None) -> dict[str, str]:
    """Example dates for prompts and hints, always in the future: two weeks out, and a range."""
    start = today + dt.timedelta(days=14)
    end = start + dt.timedelta(days=4)
    example_range = or_bundled(msgs).text(
        "forms.example_range",
        start_month=start.month,
        start_day=start.day,
        end_month=end.month,
        end_day=end.day,
    )
    return {"example_date": start.isoformat(), "example_range": example_range}


def _make_date(year: str | None, month: str, day: str, floor: dt.date, m: Catalogue) -> dt.date | Invalid:
    """A date from its parts; without a year, the first occurrence on or after `floor`."""
    mo, d = int(month), int(day)
    if year:
        try:
            return dt.date(int(year), mo, d)
        except ValueError:
            return Invalid(m.text("forms.date_invalid_full", year=year, month=mo, day=d))
    found = _on_or_after(mo, d, floor)
    if found is None:
        return Invalid(m.text("forms.date_invalid", month=mo, day=d))
    return found
