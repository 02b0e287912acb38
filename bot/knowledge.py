"""Load and validate the administrators' knowledge files into typed entries.

Administrators edit YAML, not code, so every problem is reported with the file, the entry id
and the field it concerns, and all problems are collected before failing: one run of
`citizen-bot knowledge check` shows everything that needs fixing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

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
        if any(not str(v).strip() for v in values):
            raise ValueError("must not contain empty items")
        return [str(v).strip() for v in values]

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

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, values: list[str]) -> list[str]:
        for value in values:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"pattern {value!r} is not a valid regular expression: {exc}") from None
        return values


class ChatFile(_Model):
    office_name: str = Field(min_length=1)
    welcome: str = Field(min_length=1)
    decline: str = Field(min_length=1)
    suggest: str = Field(min_length=1)
    intents: list[ChatIntent] = Field(min_length=1)
    #: Phrases that are clearly another office's business; declined without searching.
    out_of_scope: list[str] = Field(default_factory=list)


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


@dataclass
class Knowledge:
    root: Path
    departments: list[Department]
    chat: ChatFile
    synonyms: dict[str, str]
    extras: dict[str, Any] = field(default_factory=dict)

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


# --------------------------------------------------------------------------- loading


#: libyaml's parser when PyYAML was built with it (3x faster: start-up at province scale).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DatesAsText(_SAFE_LOADER):  # type: ignore[misc, valid-type]
    """SafeLoader that leaves dates as text: the models parse them, so an impossible date
    (2027-02-30) is reported with its entry and field instead of crashing the whole load."""


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def read_yaml(path: Path, problems: list[Problem], root: Path) -> Any:
    """Read one YAML file; unreadable or malformed files become problems, not exceptions."""
    rel = _rel(path, root)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(rel, "", "", f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8"))
        return None
    except OSError as exc:
        problems.append(Problem(rel, "", "", f"cannot read: {exc.strerror}"))
        return None
    try:
        return yaml.load(text, Loader=_DatesAsText)  # a SafeLoader: no arbitrary objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problems.append(Problem(rel, "", "", f"YAML syntax error{where}: {getattr(exc, 'problem', exc)}"))
        return None


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def validation_problems(
    exc: ValidationError,
    file: str,
    data: Any,
    list_keys: Iterable[str] = ("duties", "services", "policies", "intents"),
) -> list[Problem]:
    """Turn pydantic's error locations into (entry id, field) pairs an administrator recognises."""
    problems = []
    for err in exc.errors():
        loc = list(err["loc"])
        entry = ""
        if len(loc) >= 2 and loc[0] in list_keys and isinstance(loc[1], int):
            try:
                item = data[loc[0]][loc[1]]
                entry = str(item.get("id") or item.get("key") or f"{loc[0]}[{loc[1]}]")
            except (KeyError, IndexError, TypeError, AttributeError):
                entry = f"{loc[0]}[{loc[1]}]"
            loc = loc[2:]
        fieldname = ".".join(str(p) for p in loc)
        problems.append(Problem(file, entry, fieldname, err["msg"]))
    return problems


def _load_department(path: Path, root: Path, problems: list[Problem]) -> Department | None:
    """Validate entry by entry: one broken entry is reported and left out, the rest still load
    (so links from events and forms to the other entries keep resolving)."""
    data = read_yaml(path, problems, root)
    if data is None:
        return None
    rel = _rel(path, root)
    if not isinstance(data, dict):
        problems.append(Problem(rel, "", "", "must be a mapping with id, name, duties, services, policies"))
        return None
    models = {"duties": (Duty, "duty"), "services": (Service, "service"), "policies": (Policy, "policy")}
    good: dict[str, list[Any]] = {}
    for key, (model, kind) in models.items():
        items = data.get(key) or []
        if not isinstance(items, list):
            problems.append(Problem(rel, "", key, "must be a list of entries"))
            items = []
        good[key] = []
        for item in items:
            try:
                entry = model.model_validate(item)
            except ValidationError as exc:
                entry_id = item.get("id", f"{key}[{items.index(item)}]") if isinstance(item, dict) else key
                problems.extend(
                    Problem(rel, str(entry_id), ".".join(str(x) for x in err["loc"]), err["msg"])
                    for err in exc.errors()
                )
                continue
            expected = f"{data.get('id')}/{kind}/{entry.number}"
            if entry.id != expected:
                problems.append(
                    Problem(rel, entry.id, "id", f"must be {expected!r} (department/kind/number)")
                )
            good[key].append(entry)
    header = {k: v for k, v in data.items() if k not in models}
    try:
        return Department.model_validate(header | good)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, rel, data))
        return None


def load_synonyms(path: Path, root: Path, problems: list[Problem]) -> dict[str, str]:
    data = read_yaml(path, problems, root)
    rel = _rel(path, root)
    if data is None:
        return {}
    mapping = data.get("synonyms") if isinstance(data, dict) else None
    if not isinstance(mapping, dict):
        problems.append(Problem(rel, "", "synonyms", "must be a mapping of colloquial word -> official term"))
        return {}
    result: dict[str, str] = {}
    for word, official in mapping.items():
        if not isinstance(official, str) or not str(word).strip() or not official.strip():
            problems.append(
                Problem(rel, str(word), "synonyms", "both the word and its official term must be text")
            )
            continue
        result[str(word).strip()] = official.strip()
    return result


def load_knowledge(root: Path | str = BUNDLED_KNOWLEDGE) -> Knowledge:
    """Load every knowledge file under `root`, or raise KnowledgeError listing all problems."""
    root = Path(root)
    problems: list[Problem] = []
    if not root.is_dir():
        raise KnowledgeError([Problem(str(root), "", "", "knowledge directory not found")])

    departments: list[Department] = []
    dept_files = sorted((root / "departments").glob("*.yaml"))
    if not dept_files:
        problems.append(Problem(_rel(root / "departments", root), "", "", "no department files (*.yaml)"))
    for path in dept_files:
        dept = _load_department(path, root, problems)
        if dept:
            departments.append(dept)

    chat = _load_chat(root / "chat.yaml", root, problems)
    synonyms = load_synonyms(root / "synonyms.yaml", root, problems)

    seen: dict[str, str] = {}
    for dept, path in zip(departments, dept_files, strict=False):
        for entry in dept.entries():
            if entry.id in seen:
                problems.append(
                    Problem(_rel(path, root), entry.id, "id", f"duplicate id (also in {seen[entry.id]})")
                )
            seen[entry.id] = _rel(path, root)
    if chat:
        for intent in chat.intents:
            if intent.id in seen:
                problems.append(Problem("knowledge/chat.yaml", intent.id, "id", "duplicate id"))
            seen[intent.id] = "knowledge/chat.yaml"

    if chat is None:  # everything downstream needs the chat texts; report what we have
        raise KnowledgeError(problems)
    knowledge = Knowledge(root=root, departments=departments, chat=chat, synonyms=synonyms)
    from bot import extensions  # late import: extension loaders need the base types above

    extensions.load_all(knowledge, problems)
    if problems:
        raise KnowledgeError(problems)
    return knowledge


REQUIRED_CHAT_INTENTS = ("chat/greeting", "chat/thanks", "chat/help", "chat/human", "chat/status")


def _load_chat(path: Path, root: Path, problems: list[Problem]) -> ChatFile | None:
    data = read_yaml(path, problems, root)
    rel = _rel(path, root)
    if data is None:
        return None
    try:
        chat = ChatFile.model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, rel, data))
        return None
    ids = {i.id for i in chat.intents}
    for required in REQUIRED_CHAT_INTENTS:
        if required not in ids:
            problems.append(Problem(rel, required, "intents", "required intent is missing"))
    return chat
