"""A question naming one county, answered by an office only another county publishes ("湘阴的防空
警报什么时候响": only 柏乡 publishes a 人防办): nothing here says what that county's office does,
so the catch-all hotline says nothing was found rather than answer with the other county's
facts. The kinds of office each county publishes come from contacts.yaml (湘阴县档案局 ->
档案局); an entry's office from its `office` field or its rows' (人防办, 应急办)."""

from __future__ import annotations

from dataclasses import replace

from bot.knowledge import Knowledge
from bot.matcher.model import MatchResult, _Doc


class CountyOffices:
    """Which kinds of office each county publishes, and each entry's office."""

    def __init__(self, knowledge: Knowledge, docs: list[_Doc]):
        counties = {d.id: d.name.split("县")[0] for d in knowledge.departments if "县" in d.name}
        names = [o.name for o in knowledge.extras.get("contacts") or []]
        #: department -> the kinds of office it publishes (档案局, 人防办, 人民政府办公室)
        self._kinds = {
            dept: {n.split("县", 1)[1] for n in names if n.startswith(county + "县")}
            for dept, county in counties.items()
        }
        self._entries = {
            d.loc.id: (d.loc.department.id if d.loc.department else None, _offices(d)) for d in docs
        }
        self._catch_all = next(
            (r.id for r in knowledge.extras.get("referrals") or [] if r.catch_all and r.government), None
        )

    def refer(self, result: MatchResult, named: str | None) -> MatchResult:
        """`result` unchanged, or the hotline when every entry it offers is another county's
        office of a kind the named county does not publish."""
        if named is None or self._catch_all is None or result.intent == "decline" or not result.top:
            return result
        kinds = self._kinds.get(named)
        if not kinds:
            return result
        if not all(self._foreign(c.id, named, kinds) for c in result.top[:1]):
            return result
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
