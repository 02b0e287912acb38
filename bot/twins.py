"""The other county's version of a rule. 柏乡 and 湘阴 publish some archive-supervision rules
(电子档案, 档案安全, 处罚裁量) almost word for word; a resident who names no county gets one of
them, and the reply then says whose it is and offers the other, rather than silently giving a
柏乡 resident 湘阴's rule."""

from __future__ import annotations

import re
import weakref

from rapidfuzz import fuzz, process

from bot.knowledge import Knowledge, Located
from bot.knowledge_model import Department, Policy

#: Titles at least this similar (rapidfuzz ratio, 事项 left out) may name one rule published
#: twice: a cheap filter before the texts are compared.
TITLE_SIMILARITY = 75.0
#: Texts at least this similar (ratio of their first TEXT_CHARS characters) are one rule
#: published twice. On the bundled knowledge the three twins measure 63-72; the other pair whose
#: titles pass the filter (人防办's 行政处罚裁量权规范 / 湘阴's 规范行政处罚裁量权) measures 17.
TEXT_SIMILARITY = 55.0
TEXT_CHARS = 1500


class _Rules:
    """One knowledge version's rules, their titles read once; each rule's twin as found."""

    def __init__(self, knowledge: Knowledge):
        #: the rules published by a department (every rule, in a valid knowledge)
        self.locs: list[Located] = [
            loc for loc in knowledge.entries() if isinstance(loc.entry, Policy) and loc.department is not None
        ]
        self.titles = [_title(loc.entry) for loc in self.locs]
        self.found: dict[str, str | None] = {}


#: id(knowledge) -> (the knowledge, weakly; its rules)
_RULES: dict[int, tuple[weakref.ref[Knowledge], _Rules]] = {}


def twin_of(knowledge: Knowledge, entry_id: str) -> str | None:
    """The id of the one rule another department publishes as the same rule as `entry_id`;
    None when there is none, or more than one (a province's many counties: no one to offer)."""
    held = _RULES.get(id(knowledge))
    if held is None or held[0]() is not knowledge:
        key = id(knowledge)
        held = _RULES[key] = (weakref.ref(knowledge, lambda _: _RULES.pop(key, None)), _Rules(knowledge))
    rules = held[1]
    if entry_id not in rules.found:
        rules.found[entry_id] = _find(knowledge, rules, entry_id)
    return rules.found[entry_id]


#: A word some titles add (电子档案事项监管 / 电子档案监管) that says nothing of the rule.
TITLE_FILLER = re.compile("事项")


def _title(policy: Policy) -> str:
    return TITLE_FILLER.sub("", policy.title)


def _text(policy: Policy) -> str:
    return "".join(p for s in policy.sections for p in s.paragraphs)[:TEXT_CHARS]


def _find(knowledge: Knowledge, rules: _Rules, entry_id: str) -> str | None:
    loc = knowledge.get(entry_id)
    if loc is None or not isinstance(loc.entry, Policy) or loc.department is None:
        return None
    text, home = _text(loc.entry), loc.department.id
    # the titles compared in one C call (a province: 1,500 rules), the texts only of those alike
    alike = process.extract(
        _title(loc.entry), rules.titles, scorer=fuzz.ratio, score_cutoff=TITLE_SIMILARITY, limit=None
    )
    twins: list[str] = []
    for _, _, i in alike:
        other = rules.locs[i]
        if other.department.id != home and fuzz.ratio(text, _text(other.entry)) >= TEXT_SIMILARITY:
            twins.append(other.id)
            if len(twins) > 1:
                break  # more than one: no one to offer, however many more there are
    return twins[0] if len(twins) == 1 else None


def county_of(department: Department) -> str:
    """The county a department serves, as residents say it (柏乡县人民政府办公室 -> 柏乡县)."""
    m = re.match(r"^(.+?[县市区旗])", department.name)
    return m.group(1) if m else department.name
