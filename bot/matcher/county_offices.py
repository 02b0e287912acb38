"""A question naming one county, answered by an office only another county publishes ("湘阴的防空
警报什么时候响": only 柏乡 publishes a 人防办): nothing here says what that county's office does,
so such entries are dropped from the answer, and when none of the named county's are left the
catch-all hotline says nothing was found rather than answer with the other county's facts. The
kinds of office each county publishes come from contacts.yaml (湘阴县档案局 -> 档案局); an
entry's office from its `office` field or its rows' (人防办, 应急办)."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.knowledge import Knowledge
from bot.matcher.model import MatchResult, _Doc
from bot.referrals import other_county_office

#: A department's or an office's name: the county, then what it is (柏乡县 / 人防办).
COUNTY_NAME = re.compile(r"^(.+?县)(.*)$")
#: The contact entry: its answer is the card of the office the question names (contacts.yaml).
CONTACT = "chat/contact"
#: The named county's entries stay in the answer when they score at least this share of the top.
KEPT_SHARE = 0.75


class CountyOffices:
    """Which kinds of office each county publishes, and each entry's office."""

    def __init__(self, knowledge: Knowledge, docs: list[_Doc], catch_all: str | None):
        counties = {d.id: m.group(1) for d in knowledge.departments if (m := COUNTY_NAME.match(d.name))}
        names = [o.name for o in knowledge.extras.get("contacts") or []]
        #: department -> the kinds of office it publishes (档案局, 人防办, 人民政府办公室)
        self._kinds = {
            dept: {m.group(2) for n in names if (m := COUNTY_NAME.match(n)) and m.group(1) == county}
            for dept, county in counties.items()
        }
        self._entries = {
            d.loc.id: (d.loc.department.id if d.loc.department else None, _offices(d)) for d in docs
        }
        self._catch_all = catch_all
        self._offices = knowledge.extras.get("contacts") or []

    def refer(self, result: MatchResult, named: str | None) -> MatchResult:
        """`result` without the entries that are another county's office of a kind the named
        county does not publish; the hotline when none is left."""
        if named is None or self._catch_all is None or result.intent == "decline" or not result.top:
            return result
        if result.top[0].id == CONTACT and other_county_office(self._offices, result.normalized):
            # "湘阴县政府办公室电话多少": the card would be 柏乡's 政府办, the wrong office
            notes = result.notes + ("unknown topic", "other county's office")
            return replace(result, intent="decline", top=[], notes=notes, referral=self._catch_all)
        kinds = self._kinds.get(named)
        if not kinds or not self._foreign(result.top[0].id, named, kinds):
            return result
        # the named county's own entries, unless they are far weaker guesses (湘阴's duties for a siren)
        floor = KEPT_SHARE * result.top[0].score
        kept = [c for c in result.top if not self._foreign(c.id, named, kinds) and c.score >= floor]
        if kept:
            return replace(
                result, intent="suggest", top=kept, notes=result.notes + ("other county's office",)
            )
        notes = result.notes + ("unknown topic", "other county's office")
        return replace(result, intent="decline", top=[], notes=notes, referral=self._catch_all)

    def _foreign(self, entry: str, named: str, kinds: set[str]) -> bool:
        department, offices = self._entries.get(entry, (None, set()))
        if department is None or department == named or not offices:
            return False
        return not any(o in kinds for o in offices)


def _offices(doc: _Doc) -> set[str]:
    entry = doc.loc.entry
    own = getattr(entry, "office", "") or ""
    rows = {r.office for r in getattr(entry, "rows", []) or [] if r.office}
    return ({own} if own else set()) | rows
