"""The office a resident names, for the offices that publish twin rules: 人防办 and 档案局 each
publish 规范案件查处 and 行政处罚裁量权规范, and "被人防办立案了" means 人防办's, even when the
archive bureau's twin shares more of the question's words."""

from __future__ import annotations

import re

from bot.matcher.model import _Doc

#: When the resident names one office's field (人防, 档案), another office's entries' scores count
#: this much, as the other county's count 0.4.
OTHER_OFFICE = 0.7


class NamedOffice:
    """Which office's field a question names, and the scores re-weighed for it."""

    def __init__(self, docs: list[_Doc]):
        #: entry -> the office publishing it (人防办, 档案局; '' for duties)
        self._offices = [getattr(d.loc.entry, "office", "") or "" for d in docs]
        # only offices publishing a rule under the same title as another office: elsewhere naming
        # an office (应急, 法制) decides nothing
        by_title: dict[str, set[str]] = {}
        for d, office in zip(docs, self._offices, strict=True):
            if office:
                by_title.setdefault(d.loc.title, set()).add(office)
        twins = {o for offices in by_title.values() if len(offices) > 1 for o in offices}
        #: office -> the field it names (人防办 -> 人防)
        self.stems = {o: stem for o in sorted(twins) if len(stem := re.sub(r"(办公室|办|局)$", "", o)) >= 2}

    def named(self, normalized: str) -> str | None:
        """The one office whose field the question names, if only one."""
        found = [o for o, stem in self.stems.items() if stem in normalized]
        return found[0] if len(found) == 1 else None

    def within(self, scored: list[tuple[int, float, float]], office: str) -> list[tuple[int, float, float]]:
        """`scored` with the other offices' entries at OTHER_OFFICE of their score, best first.
        Applied to the entries the scorer kept (those reaching the third best score): an entry cut
        there is not brought back, which no question of the evaluation sets hits."""
        out = [
            (i, sc * OTHER_OFFICE if self._offices[i] and self._offices[i] != office else sc, cov)
            for i, sc, cov in scored
        ]
        out.sort(key=lambda r: (-r[1], r[0]))
        return out
