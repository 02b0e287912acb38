"""The knowledge's typed entries (departments, services, duties, policies, chat intents), the
``Knowledge`` they make up, and ``Problem``: what ``bot.knowledge`` loads them into.

Administrators edit YAML, not code, so every problem is reported with the file, the entry id
and the field it concerns, and all problems are collected before failing: one run of
`citizen-bot knowledge check` shows everything that needs fixing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: Guided flows a service entry may start. Their forms live in knowledge/forms/.
KNOWN_FLOWS = ("disclosure", "archive_lookup", "events", "warnings")

BUNDLED_KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(/[a-z][a-z0-9_]*)*(/\d+)?$")


#: What the assistant says for a fact the office has not published (phone, place, dates).
NOT_PUBLISHED = "尚未公布"


class KnowledgeLike(Protocol):
    """What file loaders need from `Knowledge` (tests pass a small stand-in)."""

    root: Path

    def get(self, entry_id: str) -> Any: ...


def nonblank_items(values: list[Any]) -> list[str]:
    """A list field of an administrator's file: no empty items; each stripped."""
    if any(v is None or not str(v).strip() for v in values):
        raise ValueError("must not contain empty items")
    return [str(v).strip() for v in values]


def entry_link(value: str, example: str) -> str:
    """A ``link`` field: empty, or a knowledge entry id such as ``example``."""
    if value and not ID_PATTERN.match(value):
        raise ValueError(f"link {value!r} must be a knowledge entry id like {example!r}")
    return value


class AdminModel(BaseModel):
    """For files administrators fill in over time: strict about unknown keys (typos), lenient
    about blanks: `phone:` means "", `date: ""` means not set."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_empty(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        fixed = dict(data)
        for name, value in data.items():
            info = cls.model_fields.get(str(name))
            if info is None or info.annotation is str:
                if value is None and info is not None:
                    fixed[name] = ""
            elif value is None and getattr(info.annotation, "__origin__", None) is list:
                fixed[name] = []
            elif isinstance(value, str) and not value.strip():
                fixed[name] = None  # `date: ""` means not set, like `date:`
        return fixed


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Entry(_Model):
    """What every answerable entry has: a stable id and the administrators' matching aids."""

    id: str
    keywords: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)

    @field_validator("keywords", "questions")
    @classmethod
    def _no_blank(cls, values: list[str]) -> list[str]:
        # items arrive as stripped strings (str_strip_whitespace): a blank one is now empty
        if not all(values):
            raise ValueError("must not contain empty items")
        return values

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError(f"id {value!r} must look like 'department/kind/N'")
        return value


class DutyRow(_Model):
    """One 具体工作事项 row with its 责任科室 (empty where the seed names none)."""

    item: str = Field(min_length=1)
    office: str = ""


class Duty(Entry):
    number: int = Field(ge=1)
    title: str = Field(min_length=1)
    text: str = Field(min_length=1)
    rows: list[DutyRow] = Field(min_length=1)


class Service(Entry):
    number: int = Field(ge=1)
    title: str = Field(min_length=1)
    content: str = Field(min_length=1)
    office: str = ""
    #: Empty means "not published yet"; the assistant says so rather than guessing.
    phone: str = ""
    flow: str | None = None
    #: Extra facts an administrator adds to the answer (deadlines, where to apply, ...).
    notes: list[str] = Field(default_factory=list)

    @field_validator("flow")
    @classmethod
    def _known_flow(cls, value: str | None) -> str | None:
        if value is not None and value not in KNOWN_FLOWS:
            raise ValueError(f"unknown flow {value!r} (known: {', '.join(KNOWN_FLOWS)})")
        return value


class PolicySection(_Model):
    """A headed part of a supervision rule (一、监督检查对象 …) and its paragraphs."""

    heading: str = ""
    paragraphs: list[str] = Field(default_factory=list)


class Policy(Entry):
    number: int = Field(ge=1)
    title: str = Field(min_length=1)
    #: The sub-office named on the 部门名称/单位名称 line (人防办, 法制办, 档案局); empty when the
    #: department itself is meant.
    office: str = ""
    intro: str = ""
    sections: list[PolicySection] = Field(min_length=1)


class Department(_Model):
    id: str
    name: str = Field(min_length=1)
    #: Words residents of this county type and the other counties' residents do not (湘阴: 么子,
    #: 冇得; 柏乡: 俺, 中不中): a question naming no county leans to the county whose words it
    #: uses. Administrators' field, kept when the seed import runs again.
    dialect: list[str] = Field(default_factory=list)
    duties: list[Duty] = Field(default_factory=list)
    services: list[Service] = Field(default_factory=list)
    policies: list[Policy] = Field(default_factory=list)

    def entries(self) -> Iterator[Duty | Service | Policy]:
        yield from self.duties
        yield from self.services
        yield from self.policies


class ChatIntent(_Model):
    """Small talk and meta requests (greeting, help, human, status) the engine handles itself."""

    id: str
    title: str = Field(min_length=1)
    phrases: list[str] = Field(min_length=1)
    reply: str = ""
    #: Regular expressions that settle the intent outright ("到哪一步", "工作人员.*回电话"), even
    #: when the message also names a service ("我的信息公开申请到哪一步了").
    patterns: list[str] = Field(default_factory=list)
    #: Regular expressions naming this kind of small talk in any phrasing (谢, 干嘛的, 接电话):
    #: they settle the intent only when the rest of the message names no topic.
    cues: list[str] = Field(default_factory=list)
    #: A courtesy (greeting, thanks) yields to a request (help, a person) named beside it, and
    #: the whole message must be free of topics, the story before it too.
    courtesy: bool = False
    #: The message may name one of this office's units and still be this small talk
    #: ("档案局在县城哪里"); elsewhere a unit named is the topic ("人防办能管啥").
    about_office: bool = False
    #: A courtesy that closes the conversation (thanks): what the resident adds without asking
    #: anything is their story ("谢谢，这些资料对我写论文很有帮助"), not a new topic.
    closing: bool = False

    @field_validator("patterns", "cues")
    @classmethod
    def _compiles(cls, values: list[str]) -> list[str]:
        for value in values:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"pattern {value!r} is not a valid regular expression: {exc}") from None
        return values

    @field_validator("cues")
    @classmethod
    def _cues_join(cls, values: list[str]) -> list[str]:
        # an intent's cues are searched as one pattern: a global flag ((?i)) or a group name used
        # twice compiles alone but not joined
        try:
            re.compile("|".join(f"(?:{v})" for v in values))
        except re.error as exc:
            raise ValueError(
                f"cues cannot be searched together ({exc}): write flags inline, e.g. (?i:hello), "
                "and give each named group its own name"
            ) from None
        return values

    @model_validator(mode="after")
    def _closing_is_a_courtesy(self) -> ChatIntent:
        # `closing` only changes how a courtesy's cues read the rest of a message
        if self.closing and not (self.courtesy and self.cues):
            raise ValueError("closing: true needs courtesy: true and cues (it is read only with them)")
        return self


class ChatFile(_Model):
    office_name: str = Field(min_length=1)
    welcome: str = Field(min_length=1)
    decline: str = Field(min_length=1)
    suggest: str = Field(min_length=1)
    intents: list[ChatIntent] = Field(min_length=1)
    #: Phrases that are clearly another office's business; declined without searching.
    out_of_scope: list[str] = Field(default_factory=list)
    #: Words about the assistant and this office themselves (平台, 机器人, 县城): no topic of a
    #: question, so "这个平台能提供哪些服务" is still a request for help.
    about_us: list[str] = Field(default_factory=list)


EntryKind = Literal["duty", "service", "policy", "chat"]


@dataclass(frozen=True)
class Located:
    """An entry together with the department it belongs to."""

    kind: EntryKind
    entry: Duty | Service | Policy | ChatIntent
    department: Department | None

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def title(self) -> str:
        return self.entry.title


@dataclass(frozen=True)
class Problem:
    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.entry or '-'}: {self.field or '-'}: {self.message}"


class KnowledgeError(Exception):
    """Raised with every problem found, so an administrator can fix them in one pass."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class SynonymPattern:
    """A family of colloquial descriptions (老材料, 旧账本, 早年的记录…) one regular expression in
    synonyms.yaml's `patterns` covers, and the official term it adds (档案), where a word list
    would have to name every variant."""

    match: re.Pattern[str]
    adds: str


@dataclass
class Knowledge:
    root: Path
    departments: list[Department]
    chat: ChatFile
    synonyms: dict[str, str]
    extras: dict[str, Any] = field(default_factory=dict)
    synonym_patterns: tuple[SynonymPattern, ...] = ()

    def entries(self) -> list[Located]:
        found: list[Located] = []
        for dept in self.departments:
            found += [Located("duty", e, dept) for e in dept.duties]
            found += [Located("service", e, dept) for e in dept.services]
            found += [Located("policy", e, dept) for e in dept.policies]
        found += [Located("chat", i, None) for i in self.chat.intents]
        return found

    def get(self, entry_id: str) -> Located | None:
        return self._index().get(entry_id)

    def _index(self) -> dict[str, Located]:
        cached = self.extras.get("_index")
        if cached is None:
            cached = {loc.id: loc for loc in self.entries()}
            self.extras["_index"] = cached
        return cached

    def service_for_flow(self, flow: str) -> Located | None:
        for loc in self.entries():
            if loc.kind == "service" and getattr(loc.entry, "flow", None) == flow:
                return loc
        return None
