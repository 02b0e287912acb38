"""Who else handles what, how to reach this office, and what a question is asking for.

Four small administrator files, each validated with errors naming file, entry and field:

- ``referrals.yaml``: the county's other departments and the words that name their business.
  A decline ("不属于本单位业务范围") is a claim that the question is someone else's business;
  the matcher makes it only when one of these entries says whose.
- ``contacts.yaml``: this office's own units with the phone, address and hours published so far
  (empty -> "尚未公布"), for "你们电话多少" / "几点上班" / "在哪办公".
- ``intents.yaml``: service intents as patterns (asking for any government document -> 政府信息
  公开; records held in another archive -> 异地查档; sirens, drills, shelters -> 人防) and the
  contact patterns. Data, not code, so staff can widen them.
- ``bilingual.yaml``: English words residents mix in -> the knowledge's Chinese terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import Field, ValidationError, ValidationInfo, field_validator

from bot.areas import mark_places
from bot.knowledge import (
    NOT_PUBLISHED,
    AdminModel,
    Knowledge,
    Problem,
    _rel,
    read_yaml,
    validation_problems,
)
from bot.knowledge_model import nonblank_items
from bot.messages import Catalogue
from bot.validators import or_bundled

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(f"id {value!r} must be lower-case letters, digits and _ (e.g. gongan)")
    return value


def _no_blank(values: list[str]) -> list[str]:
    return nonblank_items(values)


def _compiles(values: list[str]) -> list[str]:
    for value in values:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"pattern {value!r} is not a valid regular expression: {exc}") from None
    return values


class Referral(AdminModel):
    id: str
    name: str = Field(min_length=1)
    handles: str = ""
    keywords: list[str] = Field(min_length=1)
    #: Words that void this entry's keywords (结婚登记 is 民政's, 结婚登记档案在外县 is 异地查档).
    unless: list[str] = Field(default_factory=list)
    #: Places and organisations of this office's field (学校, 医院, 合作社): they say who asks or
    #: where, not what about. They point here only when nothing of ours answers the question.
    context: list[str] = Field(default_factory=list)
    phone: str = ""
    address: str = ""
    hours: str = ""
    #: False for things no government office does (jokes, shares): declined without a referral.
    government: bool = True
    #: True: the keywords say what the whole question is about (a video game, a film), even when
    #: this office's words are in it too ("和平精英里的防空警报啥意思"): declined before any entry
    #: is weighed, where other keywords only count when nothing of ours answers. A list: only
    #: those of the keywords do (火警: a shop's fire alarm is the fire brigade's, whatever else
    #: the question says about sirens and drills; 消防 alone still lets our drills answer).
    frames: bool | list[str] = False
    #: The hotline for everything else (12345): where a question goes whose topic neither this
    #: office's knowledge nor any other entry's keywords know. At most one entry.
    catch_all: bool = False

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        return _check_id(v)

    @field_validator("keywords", "unless", "context")
    @classmethod
    def _kw(cls, v: list[str]) -> list[str]:
        return _no_blank(v)

    @field_validator("frames")
    @classmethod
    def _framing_words_are_keywords(cls, v: bool | list[str], info: ValidationInfo) -> bool | list[str]:
        if isinstance(v, list):
            v = _no_blank(v)
            stray = [w for w in v if w not in (info.data.get("keywords") or [])]
            if stray:
                raise ValueError(f"{'、'.join(stray)} is not one of this entry's keywords")
        return v

    def framing_words(self) -> list[str]:
        """The keywords that frame the whole question (`frames`)."""
        if self.frames is True:
            return list(self.keywords)
        return list(self.frames) if isinstance(self.frames, list) else []

    def reply(self, office_name: str, msgs: Catalogue | None = None, *, unknown_topic: bool = False) -> str:
        """Who handles it and how to reach them. `unknown_topic`: the catch-all hotline for a
        question nothing here knows about, which must not claim it is another office's business
        (we only know that we found nothing), only that the hotline forwards it."""
        m = or_bundled(msgs)
        if not self.government:
            return m.text("answers.referral_not_government", office=office_name)
        if unknown_topic:
            lines = [m.text("answers.referral_unknown_topic", name=self.name)]
        else:
            lines = [m.text("answers.referral_elsewhere", office=office_name, name=self.name)]
            if self.handles:
                lines.append(m.text("answers.referral_handles", name=self.name, handles=self.handles))
        contact = [m.text("answers.referral_phone", phone=self.phone)] if self.phone else []
        contact += [m.text("answers.referral_address", address=self.address)] if self.address else []
        contact += [m.text("answers.referral_hours", hours=self.hours)] if self.hours else []
        if contact:
            lines.append(m.text("answers.referral_contact", contact="；".join(contact)))
        lines.append(m.text("answers.referral_more"))
        return "\n".join(lines)


#: An office's county: 柏乡县人防办 -> 柏乡.
COUNTY_OF = re.compile(r"^(.+?)县")


class Office(AdminModel):
    id: str
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    phone: str = ""
    address: str = ""
    hours: str = ""

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        return _check_id(v)

    @field_validator("aliases")
    @classmethod
    def _al(cls, v: list[str]) -> list[str]:
        return _no_blank(v)

    def card(self, msgs: Catalogue | None = None) -> str:
        return or_bundled(msgs).text(
            "answers.office_card",
            name=self.name,
            phone=self.phone or NOT_PUBLISHED,
            address=self.address or NOT_PUBLISHED,
            hours=self.hours or NOT_PUBLISHED,
        )


class ServiceIntent(AdminModel):
    entry: str = Field(min_length=1)
    patterns: list[str] = Field(min_length=1)
    #: Patterns that veto the intent (征信档案 is no 异地查档).
    unless: list[str] = Field(default_factory=list)

    @field_validator("patterns", "unless")
    @classmethod
    def _p(cls, v: list[str]) -> list[str]:
        return _compiles(v)


class IntentsFile(AdminModel):
    services: list[ServiceIntent] = Field(default_factory=list)
    contact: list[str] = Field(default_factory=list)
    contact_unless: list[str] = Field(default_factory=list)
    #: An organisation's own affairs (a school's own drill plan, a shop's order data): not ours.
    others_affairs: list[str] = Field(default_factory=list)
    others_affairs_unless: list[str] = Field(default_factory=list)

    @field_validator("contact", "contact_unless", "others_affairs", "others_affairs_unless")
    @classmethod
    def _p(cls, v: list[str]) -> list[str]:
        return _compiles(v)


#: In intents.yaml patterns, `{elsewhere}` stands for a place other than this office's counties
#: (邯郸, 唐山市, 宁晋县: bot/areas.py); the text is searched with such places replaced by PLACE.
ELSEWHERE = "{elsewhere}"
PLACE = "〇"
#: `{county:xiangyin}` stands for that department's county named or spoken: its name with and
#: without 县 and its residents' words (the department file's `dialect`).
COUNTY_WORDS = re.compile(r"\{county:([a-z0-9_]+)\}")


@dataclass(frozen=True)
class IntentPattern:
    """One pattern of an intent; `places`: written with `{elsewhere}`, so searched in the text
    with places marked (the others keep seeing 县 and 市: "隆尧县档案馆")."""

    pattern: re.Pattern[str]
    places: bool = False

    def search(self, text: str, marked: str) -> bool:
        return self.pattern.search(marked if self.places else text) is not None


@dataclass(frozen=True)
class CompiledIntent:
    entry: str
    patterns: tuple[IntentPattern, ...]
    unless: tuple[IntentPattern, ...]
    #: the department publishing `entry` (None for chat entries)
    department: str | None = None

    def fires(self, text: str, marked: str) -> bool:
        """Whether a pattern fires and no `unless` does (`marked`: `text` with places marked)."""
        return any(p.search(text, marked) for p in self.patterns) and not any(
            u.search(text, marked) for u in self.unless
        )


@dataclass(frozen=True)
class Intents:
    services: tuple[CompiledIntent, ...] = ()
    contact: tuple[re.Pattern[str], ...] = ()
    contact_unless: tuple[re.Pattern[str], ...] = ()
    others_affairs: tuple[re.Pattern[str], ...] = ()
    others_affairs_unless: tuple[re.Pattern[str], ...] = ()
    #: this office's counties with and without 县 (柏乡县, 柏乡): never `{elsewhere}`
    own_places: frozenset[str] = frozenset()
    #: whether any service pattern names `{elsewhere}` (else no text is marked)
    uses_places: bool = False

    def service_for(self, text: str, department: str | None = None) -> str | None:
        """The first service the text asks for, whatever its subject; with a `department` (the
        county the question names), only that department's services and the shared ones: a
        question about 湘阴's archive goes on to 湘阴's entries, not stop at 柏乡's 异地查档."""
        marked = mark_places(text, self.own_places, PLACE) if self.uses_places else text
        return next(
            (
                i.entry
                for i in self.services
                if (department is None or i.department in (None, department)) and i.fires(text, marked)
            ),
            None,
        )

    def asks_contact(self, text: str) -> bool:
        return any(p.search(text) for p in self.contact) and not any(
            u.search(text) for u in self.contact_unless
        )

    def others_affair(self, text: str) -> bool:
        """An organisation's own internal matter that names neither a government body nor this
        office's business ("公司内部开会的会议纪要怎么写"): no entry here is its answer."""
        return any(p.search(text) for p in self.others_affairs) and not any(
            u.search(text) for u in self.others_affairs_unless
        )


def _read_list(knowledge: Knowledge, problems: list[Problem], name: str, key: str) -> tuple[str, Any]:
    path = knowledge.root / name
    rel = _rel(path, knowledge.root)
    if not path.exists():
        return rel, None
    data = read_yaml(path, problems, knowledge.root)
    if data is None:
        return rel, None
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        problems.append(Problem(rel, "", key, f"must be a mapping with a list under {key!r}"))
        return rel, None
    return rel, data


def _validate_items(model, items: list[Any], rel: str, key: str, problems: list[Problem]) -> list[Any]:
    good, seen = [], set()
    for n, item in enumerate(items):
        label = f"{key}[{n}]"
        if isinstance(item, dict):
            label = str(item.get("id") or item.get("entry") or label)
        try:
            parsed = model.model_validate(item)
        except ValidationError as exc:
            problems.extend(
                Problem(rel, label, ".".join(str(x) for x in err["loc"]), err["msg"]) for err in exc.errors()
            )
            continue
        ident = getattr(parsed, "id", None)
        if ident is not None:
            if ident in seen:
                problems.append(Problem(rel, ident, "id", "duplicate id"))
            seen.add(ident)
        good.append(parsed)
    return good


def load_referrals(knowledge: Knowledge, problems: list[Problem]) -> list[Referral]:
    rel, data = _read_list(knowledge, problems, "referrals.yaml", "referrals")
    if data is None:
        return []
    referrals = _validate_items(Referral, data["referrals"], rel, "referrals", problems)
    catch_all = [r.id for r in referrals if r.catch_all]
    if len(catch_all) > 1:
        problems.append(
            Problem(rel, catch_all[1], "catch_all", f"only one entry may be catch_all ({catch_all[0]} is)")
        )
    for ref in referrals:
        if ref.catch_all and not ref.government:
            problems.append(
                Problem(rel, ref.id, "catch_all", "the catch-all entry must be a government office")
            )
    owner: dict[str, str] = {}
    for ref in referrals:
        for field, words in (("keywords", ref.keywords), ("context", ref.context)):
            for kw in words:
                if kw in owner and owner[kw] != ref.id:
                    problems.append(Problem(rel, ref.id, field, f"{kw!r} is also a word of {owner[kw]}"))
                elif kw in owner and field == "context":
                    problems.append(Problem(rel, ref.id, field, f"{kw!r} is also one of its keywords"))
                owner.setdefault(kw, ref.id)
    return referrals


def office_hours(offices: list[Office]) -> str:
    """This office's published working hours: the first entry of contacts.yaml is the office
    itself (its handover acknowledgement quotes them); "" when not published."""
    return offices[0].hours if offices else ""


def load_contacts(knowledge: Knowledge, problems: list[Problem]) -> list[Office]:
    rel, data = _read_list(knowledge, problems, "contacts.yaml", "offices")
    if data is None:
        return []
    return _validate_items(Office, data["offices"], rel, "offices", problems)


def load_intents(knowledge: Knowledge, problems: list[Problem]) -> Intents:
    path = knowledge.root / "intents.yaml"
    if not path.exists():
        return Intents()
    rel = _rel(path, knowledge.root)
    data = read_yaml(path, problems, knowledge.root)
    if data is None:
        return Intents()
    try:
        parsed = IntentsFile.model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, rel, data, list_keys=("services",)))
        return Intents()
    for n, si in enumerate(parsed.services):
        if knowledge.get(si.entry) is None:
            problems.append(Problem(rel, f"services[{n}]", "entry", f"no knowledge entry {si.entry!r}"))
    spoken = _county_words(knowledge)

    def compiled(pattern: str, n: int, field: str) -> IntentPattern:
        def words(m: re.Match[str]) -> str:
            if m.group(1) not in spoken:
                problems.append(Problem(rel, f"services[{n}]", field, f"no department {m.group(1)!r}"))
                return "(?!)"
            return "(" + "|".join(re.escape(w) for w in spoken[m.group(1)]) + ")"

        text = COUNTY_WORDS.sub(words, pattern.replace(ELSEWHERE, PLACE))
        return IntentPattern(re.compile(text), places=ELSEWHERE in pattern)

    def department(entry: str) -> str | None:
        loc = knowledge.get(entry)
        return loc.department.id if loc is not None and loc.department else None

    services = tuple(
        CompiledIntent(
            si.entry,
            tuple(compiled(p, n, "patterns") for p in si.patterns),
            tuple(compiled(u, n, "unless") for u in si.unless),
            department(si.entry),
        )
        for n, si in enumerate(parsed.services)
    )
    return Intents(
        services=services,
        own_places=frozenset(name for names in spoken.values() for name in names[:2]),
        uses_places=any(p.places for i in services for p in i.patterns + i.unless),
        contact=tuple(map(re.compile, parsed.contact)),
        contact_unless=tuple(map(re.compile, parsed.contact_unless)),
        others_affairs=tuple(map(re.compile, parsed.others_affairs)),
        others_affairs_unless=tuple(map(re.compile, parsed.others_affairs_unless)),
    )


def _county_words(knowledge: Knowledge) -> dict[str, list[str]]:
    """Department id -> its county's name with and without 县, then its residents' words."""
    out: dict[str, list[str]] = {}
    for d in knowledge.departments:
        m = COUNTY_OF.match(d.name)
        names = [m.group(0), m.group(1)] if m else []
        out[d.id] = names + [w for w in d.dialect if w]
    return out


#: A key of the English word lists: lower-case words, spaces and apostrophes.
ENGLISH_WORD = re.compile(r"[a-z][a-z' ]*")


def load_bilingual(knowledge: Knowledge, problems: list[Problem]) -> dict[str, str]:
    return _english_terms(knowledge, problems, "bilingual.yaml")


def load_english_unread(knowledge: Knowledge, problems: list[Problem]) -> frozenset[str]:
    """english_unread.yaml: English words the dictionary must not read, because other offices'
    questions use them as much as ours ("illegal", "open": 违法, 公开)."""
    path = knowledge.root / "english_unread.yaml"
    if not path.exists():
        return frozenset()
    data = read_yaml(path, problems, knowledge.root)
    words = data.get("unread") if isinstance(data, dict) else None
    if not isinstance(words, list) or not all(
        isinstance(w, str) and ENGLISH_WORD.fullmatch(w) for w in words
    ):
        problems.append(
            Problem(_rel(path, knowledge.root), "", "unread", "a list of lower-case English words")
        )
        return frozenset()
    return frozenset(words)


def load_english_terms(knowledge: Knowledge, problems: list[Problem]) -> dict[str, str]:
    """english_terms.yaml: the dictionary's words (scripts/english_terms.py), after bilingual.yaml's,
    less the words english_unread.yaml lists (taking effect without writing the file again)."""
    unread = knowledge.extras.get("english_unread") or frozenset()
    terms = _english_terms(knowledge, problems, "english_terms.yaml")
    return {word: term for word, term in terms.items() if word not in unread}


def _english_terms(knowledge: Knowledge, problems: list[Problem], name: str) -> dict[str, str]:
    path = knowledge.root / name
    if not path.exists():
        return {}
    rel = _rel(path, knowledge.root)
    data = read_yaml(path, problems, knowledge.root)
    terms = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(terms, dict):
        problems.append(Problem(rel, "", "terms", "must be a mapping of English word -> Chinese term"))
        return {}
    out: dict[str, str] = {}
    for word, term in terms.items():
        if not isinstance(term, str) or not term.strip() or not ENGLISH_WORD.fullmatch(str(word)):
            problems.append(Problem(rel, str(word), "terms", "lower-case English word -> Chinese text"))
            continue
        out[str(word)] = term.strip()
    return out


def _named_offices(offices: list[Office], text: str) -> list[Office]:
    """The offices whose longest name or alias `text` holds (县政府办公室 over 县政府)."""
    named = [(len(a), o) for o in offices for a in o.aliases + [o.name] if a and a in text]
    if not named:
        return []
    longest = max(n for n, _ in named)
    ids = list(dict.fromkeys(o.id for n, o in named if n == longest))
    return [o for o in offices if o.id in ids]


def _county_named(offices: list[Office], text: str) -> str | None:
    """The one county (柏乡, 湘阴) the text names, if only one."""
    counties = {m.group(1) for o in offices if (m := COUNTY_OF.match(o.name))}
    named = [c for c in counties if c in text]
    return named[0] if len(named) == 1 else None


def _of_county_by_kind(offices: list[Office], county: str, text: str) -> list[Office]:
    """The county's offices whose kind (档案馆, 人防办: a name less the county) the text holds,
    wherever the county is said ("档案馆在湘阴哪里")."""
    ours = [o for o in offices if o.name.startswith(county)]
    return [o for o in ours if any((k := _kind(n, county)) and k in text for n in [o.name, *o.aliases])]


def _kind(name: str, county: str) -> str:
    """柏乡县人防办 -> 人防办; 柏乡档案馆 -> 档案馆 (a name less its county)."""
    m = COUNTY_OF.match(name)
    if m and m.group(1) == county:
        return name[m.end() :]
    return name.removeprefix(county)


def other_county_office(offices: list[Office], text: str) -> bool:
    """Whether `text` names one county and, by its kind, an office only another county publishes
    ("湘阴县政府办公室电话多少": we publish 柏乡's 政府办 and 湘阴's 档案局): its contact is not ours
    to give, and 柏乡's card would be the wrong office's."""
    county = _county_named(offices, text)
    if county is None or all(o.name.startswith(county) for o in _named_offices(offices, text)):
        return False  # "湘阴 查档 电话": the county's own office, or none named by its kind
    return not _of_county_by_kind(offices, county, text)


def contact_reply(offices: list[Office], text: str, msgs: Catalogue | None = None) -> str:
    """The published contact facts of the office the question names, or of all of them."""
    county = _county_named(offices, text)
    own = _of_county_by_kind(offices, county, text) if county else []
    chosen = own or _named_offices(offices, text) or list(offices)
    m = or_bundled(msgs)
    body = "\n".join(o.card(m) for o in chosen)
    missing = any(not (o.phone and o.address and o.hours) for o in chosen)
    tail = m.text("answers.contact_unpublished_note") if missing else ""
    return "\n".join(x for x in (body, tail, m.text("answers.contact_human")) if x)
