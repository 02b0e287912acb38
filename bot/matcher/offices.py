"""The office a resident names, for the offices that publish twin rules: 人防办 and 档案局 each
publish 规范案件查处 and 行政处罚裁量权规范, and "被人防办立案了" means 人防办's, even when the
archive bureau's twin shares more of the question's words. Also the county whose residents' words
a question naming no county uses (俺 in 柏乡, 么子 in 湘阴), and this office's own units named."""

from __future__ import annotations

import re

from bot.knowledge import Knowledge
from bot.matcher.model import _Doc
from bot.matcher.wordlists import EITHER, HONORIFIC_YOU, OTHER_ARCHIVES, UNIT_SUFFIX, YOU_PLURAL
from bot.text import normalize

#: When the resident names one office's field (人防, 档案), another office's entries' scores count
#: this much, as the other county's count 0.4.
OTHER_OFFICE = 0.7
#: When the question uses one county's dialect words and names no county, the other counties'
#: entries' scores count this much: a lean, not a claim (a Hebei resident may ask about 湘阴).
OTHER_DIALECT = 0.65


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
        other = [bool(o) and o != office for o in self._offices]
        return _reweighed(scored, OTHER_OFFICE, other)


def _reweighed(
    scored: list[tuple[int, float, float]], factor: float, other: list[bool]
) -> list[tuple[int, float, float]]:
    out = [(i, sc * factor if other[i] else sc, cov) for i, sc, cov in scored]
    out.sort(key=lambda r: (-r[1], r[0]))
    return out


class CountyByDialect:
    """The county whose residents' words a question uses (departments' `dialect` in knowledge/)."""

    def __init__(self, knowledge: Knowledge, docs: list[_Doc]):
        #: dialect word -> the departments listing it (a province's copies share their words)
        self._counties: dict[str, set[str]] = {}
        for dept in knowledge.departments:
            for word in dept.dialect:
                if word:
                    self._counties.setdefault(word, set()).add(dept.id)
        self._departments = [d.loc.department.id if d.loc.department else None for d in docs]

    def named(self, normalized: str) -> str | None:
        """The one county whose dialect words the question uses, if only one."""
        found: set[str] = set()
        for word, depts in self._counties.items():
            if word in normalized:
                found |= depts
        return next(iter(found)) if len(found) == 1 else None

    def within(self, scored: list[tuple[int, float, float]], county: str) -> list[tuple[int, float, float]]:
        """`scored` with the other counties' entries at OTHER_DIALECT of their score, best first."""
        other = [dept is not None and dept != county for dept in self._departments]
        return _reweighed(scored, OTHER_DIALECT, other)


class OwnUnits:
    """This office's own units as residents name them (contacts.yaml names and aliases): a
    question naming one (人防办电话多少) is about us, whatever else it names."""

    def __init__(self, knowledge: Knowledge):
        self._knowledge = knowledge
        self._names: tuple[str, ...] | None = None
        self._units: re.Pattern[str] | None = None

    def names(self) -> tuple[str, ...]:
        """The units' names and aliases, normalised (read from contacts.yaml on first use)."""
        if self._names is None:
            offices = self._knowledge.extras.get("contacts") or []
            self._names = tuple(
                normalize(n) for o in offices for n in [o.name, *o.aliases] if n and n.strip()
            )
        return self._names

    def named(self, text: str) -> bool:
        """Whether `text` names one of the units."""
        return any(n in text for n in self.names())

    def asked_either(self, text: str) -> bool:
        """Whether `text` asks if a matter is another office's or ours ("是找教育局还是找档案局",
        "去派出所还是找你们")."""
        return EITHER.search(text) is not None and (
            YOU_PLURAL.search(text) is not None or self.named(text) or self.spoken_to(text)
        )

    def spoken_to(self, text: str) -> bool:
        """Whether `text` speaks to one of the units by an office's name (档案馆, 政府办), not
        only by the county or a field (湘阴, 人防) that another office's question names too,
        and not as another body's archive (城建档案馆, 医院档案室)."""
        if self._units is None:
            units = "|".join(re.escape(n) for n in self.names() if UNIT_SUFFIX.search(n))
            # one look-behind per body: Python's look-behinds take fixed-width alternatives only
            others = "".join(f"(?<!{re.escape(b)})" for b in OTHER_ARCHIVES)
            self._units = re.compile(f"{others}(?:{units})") if units else re.compile(r"(?!)")
        return self._units.search(text) is not None or HONORIFIC_YOU.search(text) is not None
