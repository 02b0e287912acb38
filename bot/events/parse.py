"""The day a resident's question names: 今天/明天/后天, or "7月7日" (a parser; its words stay in code)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

#: A day named in a question: 今天/明天/后天, or "7月7日" / "7月7号".
_DAY_ASKED = re.compile(r"(今天|今日|明天|明日|后天)|(\d{1,2})月(\d{1,2})[日号]")
_RELATIVE_DAYS = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2}


def asked_day(text: str, today: date) -> date | None:
    """The day a question names ("明天有防空警报吗", "7月7号会拉警报吗"); a month/day already past
    this year means next year's. None when no day is named or the date does not exist."""
    m = _DAY_ASKED.search("".join(unicodedata.normalize("NFKC", text or "").split()))
    if not m:
        return None
    if m[1]:
        return today + timedelta(days=_RELATIVE_DAYS[m[1]])
    for year in (today.year, today.year + 1):
        try:
            day = date(year, int(m[2]), int(m[3]))
        except ValueError:
            return None
        if day >= today:
            return day
    return None
