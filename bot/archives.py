"""Directory of the archives that take cross-archive (异地查档) requests.

`knowledge/archives.yaml` lists each archive with what an administrator has published about it;
empty fields (address, phone, hours, turnaround) are shown as "尚未公布", never guessed. The
directory matches a place a resident types (柏乡, 湘阴县档案馆, 河北柏乡县) to an archive, and
`check_scope` says whether the cross-archive service covers it: only the archives of its own
province (the seed's "全省"), never the county's own archive (that is not 异地), and other
provinces go to the national 全国档案查询利用服务平台.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from bot.areas import province_of
from bot.knowledge import (
    NOT_PUBLISHED,
    AdminModel,
    KnowledgeLike,
    Problem,
    read_yaml,
    validation_problems,
)
from bot.knowledge_model import entry_link, nonblank_items
from bot.messages import Catalogue, catalogue_of
from bot.validators import or_bundled

ARCHIVES_FILE = "archives.yaml"
ARCHIVE_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")

#: Trailing words residents add or leave out; stripped (repeatedly) before comparing places.
_SUFFIXES = ("综合档案馆", "档案馆", "档案局", "档案", "自治县", "自治州", "县", "市", "区", "省")
_NOISE = re.compile(r"[\s\u3000,，.。、;；:：!！?？()（）\[\]【】\"'“”‘’·\-]")


class Archive(AdminModel):
    id: str
    name: str = Field(min_length=1)
    parent: str = ""
    province: str = ""
    city: str = ""
    county: str = ""
    aliases: list[str] = Field(default_factory=list)
    address: str = ""
    phone: str = ""
    hours: str = ""
    #: Empty = not published; the directory-wide value (if any) is used instead.
    turnaround_working_days: int | None = Field(default=None, ge=1, le=60)
    accepts_requests: bool = True
    services: str = ""
    link: str = ""

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not ARCHIVE_ID_PATTERN.match(value):
            raise ValueError(f"id {value!r} must be lower-case letters, digits and _ (e.g. baixiang)")
        return value

    @field_validator("aliases")
    @classmethod
    def _no_blank(cls, values: list[Any]) -> list[str]:
        return nonblank_items(values)

    @field_validator("link")
    @classmethod
    def _link_shape(cls, value: str) -> str:
        return entry_link(value, "baixiang/service/9")

    def names(self) -> list[str]:
        """Everything a resident might type for this archive."""
        return [n for n in (self.name, *self.aliases, self.county, self.city) if n]

    @property
    def place(self) -> str:
        return "".join(p for p in (self.province, self.city, self.county) if p)


class Scope(AdminModel):
    """Which archives the cross-archive service reaches, and what to say about the others."""

    #: The service covers this province's archives ("全省" in the seed); empty = no limit.
    province: str = ""
    #: The county's own archive (its id): a record held there is asked for directly, not 异地.
    home: str = ""
    #: Said for a place in another province ({place}: the province found).
    outside_notice: str = ""
    #: Said for the home archive ({name}, {address}, {phone}, {hours}: 尚未公布 when empty).
    home_notice: str = ""
    #: Said for a place not in the directory that is (or may be) in the province.
    unknown_notice: str = ""


class ArchivesFile(AdminModel):
    turnaround_working_days: int | None = Field(default=None, ge=1, le=60)
    #: 查档收费标准 as published; empty = 尚未公布.
    fee: str = ""
    pickup_bring: list[str] = Field(default_factory=list)
    scope: Scope = Field(default_factory=Scope)
    archives: list[Archive] = Field(default_factory=list)

    @field_validator("pickup_bring")
    @classmethod
    def _no_blank(cls, values: list[Any]) -> list[str]:
        return nonblank_items(values)


ScopeKind = Literal["in", "home", "outside", "unknown"]


@dataclass(frozen=True)
class ScopeCheck:
    """Whether the service covers a typed place: `kind`, the archive found, what to tell."""

    kind: ScopeKind
    archive: Archive | None = None
    notice: str = ""


@dataclass(frozen=True)
class ArchiveDirectory:
    """The archives of archives.yaml and the shared pick-up rules; pure lookups."""

    archives: tuple[Archive, ...] = ()
    turnaround_working_days: int | None = None
    pickup_bring: tuple[str, ...] = ()
    fee: str = ""
    scope: Scope = dataclass_field(default_factory=Scope)
    #: The catalogue of the knowledge this was loaded with (texts: messages/answers.yaml).
    messages: Catalogue = dataclass_field(default_factory=Catalogue, compare=False, repr=False)

    @property
    def msgs(self) -> Catalogue:
        return or_bundled(self.messages)

    def get(self, archive_id: str) -> Archive | None:
        return next((a for a in self.archives if a.id == archive_id), None)

    def find(self, text: str) -> Archive | None:
        """The archive a typed place means, or None when unknown or ambiguous.

        Exact match of the place stripped of 县/市/档案馆/档案局 first; then an archive whose
        place name occurs inside the text ("河北省柏乡县档案馆", "在柏乡的档案"), longest first.
        """
        key = place_key(text)
        if not key:
            return None
        exact = {a.id: a for a in self.archives if key in _keys(a)}
        if len(exact) == 1:
            return next(iter(exact.values()))
        if exact:
            return None
        best: dict[str, tuple[int, Archive]] = {}
        for archive in self.archives:
            for k in _keys(archive):
                if len(k) >= 2 and k in key:
                    if archive.id not in best or best[archive.id][0] < len(k):
                        best[archive.id] = (len(k), archive)
        if not best:
            return None
        ranked = sorted(best.values(), key=lambda pair: -pair[0])
        if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
            return None
        return ranked[0][1]

    def choices(self) -> list[str]:
        """Names of the archives that take requests and that the service covers, for buttons."""
        return [
            a.name
            for a in self.archives
            if a.accepts_requests and a.id != self.scope.home and self._in_province(a.province)
        ]

    def names_other_province(self, text: str) -> str | None:
        """The province a question names, or the one of a place it names, when the service does
        not cover it ("我爸在湖南的档案", "长沙的老档案"); None otherwise."""
        province = province_of(text)
        return province if province and not self._in_province(province) else None

    def _in_province(self, province: str) -> bool:
        return not self.scope.province or province == self.scope.province

    def check_scope(self, text: str) -> ScopeCheck:
        """Is the archive a resident typed covered by the service? (the home archive is not 异地;
        another province is not ours; an unknown place in — or maybe in — the province is
        kept for staff to confirm)."""
        archive = self.find(text)
        home = self.get(self.scope.home) if self.scope.home else None
        if archive is not None and home is not None and archive.id == home.id:
            return ScopeCheck("home", archive, self._home_notice(home))
        province = archive.province if archive is not None and archive.province else province_of(text)
        if province and not self._in_province(province):
            return ScopeCheck("outside", archive, self.scope.outside_notice.format(place=province))
        if archive is None and home is not None and province_of(text) and _names_home(text, home):
            return ScopeCheck("home", home, self._home_notice(home))
        if archive is not None:
            return ScopeCheck("in", archive)
        return ScopeCheck("unknown", None, self.scope.unknown_notice)

    def _home_notice(self, home: Archive) -> str:
        return self.scope.home_notice.format(
            name=home.name,
            address=home.address or NOT_PUBLISHED,
            phone=home.phone or NOT_PUBLISHED,
            hours=home.hours or NOT_PUBLISHED,
        )

    def fee_text(self) -> str:
        """The published fee rule, or that it is not published (never a guess)."""
        if not self.fee:
            return self.msgs.text("answers.archive_fee_unpublished")
        return self.msgs.text("answers.archive_fee", fee=self.fee)

    def turnaround_text(self, archive: Archive | None = None, msgs: Catalogue | None = None) -> str:
        """How long a request takes, or that the time limit is not published yet."""
        m = msgs if msgs is not None else self.msgs
        days = (archive.turnaround_working_days if archive else None) or self.turnaround_working_days
        if days is None:
            return m.text("answers.archive_days_unpublished")
        return m.text("answers.archive_days", days=days)

    def pickup_text(self) -> str:
        if not self.pickup_bring:
            return self.msgs.text("answers.archive_pickup_unpublished")
        items = "\n".join(f"· {item}" for item in self.pickup_bring)
        return self.msgs.text("answers.archive_pickup", items=items)


def format_archive(archive: Archive, msgs: Catalogue | None = None) -> str:
    """Contact card for one archive; every unpublished field says so."""
    m = or_bundled(msgs)
    lines = [archive.name]
    if archive.place:
        lines.append(m.text("answers.archive_place", place=archive.place))
    lines.append(m.text("answers.archive_address", address=archive.address or NOT_PUBLISHED))
    lines.append(m.text("answers.archive_phone", phone=archive.phone or NOT_PUBLISHED))
    lines.append(m.text("answers.archive_hours", hours=archive.hours or NOT_PUBLISHED))
    if archive.services:
        lines.append(archive.services)
    if not archive.accepts_requests:
        lines.append(m.text("answers.archive_no_requests"))
    return "\n".join(lines)


def _names_home(text: str, home: Archive) -> bool:
    return any(len(k) >= 2 and k in place_key(text) for k in _keys(home))


def place_key(text: str) -> str:
    """Normalise a typed place for comparison: full-width, punctuation and suffixes removed."""
    key = _NOISE.sub("", unicodedata.normalize("NFKC", text or ""))
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[: -len(suffix)]
                changed = True
    return key


def _keys(archive: Archive) -> set[str]:
    keys = {place_key(n) for n in archive.names()}
    return {k for k in keys if k}


# --------------------------------------------------------------------------- loading


def load_archives(knowledge: KnowledgeLike, problems: list[Problem]) -> ArchiveDirectory:
    """Read knowledge.root/archives.yaml; every problem is appended, the valid rest is returned."""
    root = Path(knowledge.root)
    path = root / ARCHIVES_FILE
    rel = _rel(path, root)
    data = read_yaml(path, problems, root)
    if data is None:
        return ArchiveDirectory()
    if not isinstance(data, dict):
        problems.append(Problem(rel, "", "", "must be a mapping with pickup_bring and archives"))
        return ArchiveDirectory()
    return parse_archives(data, rel, problems, knowledge)


def parse_archives(
    data: dict[str, Any], rel: str, problems: list[Problem], knowledge: KnowledgeLike | None = None
) -> ArchiveDirectory:
    """Validate the parsed YAML of archives.yaml (pure: no file access)."""
    try:
        top = ArchivesFile.model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, rel, data, list_keys=("archives",)))
        return ArchiveDirectory()

    archives = top.archives
    seen_ids: set[str] = set()
    owner: dict[str, str] = {}
    for archive in archives:
        if archive.id in seen_ids:
            problems.append(Problem(rel, archive.id, "id", "duplicate id"))
        seen_ids.add(archive.id)
        for key in sorted(_keys(archive)):
            if owner.setdefault(key, archive.id) != archive.id:
                clash = f"{key!r} also names archive {owner[key]!r}; make it unique"
                problems.append(Problem(rel, archive.id, "aliases", clash))
        if archive.link and knowledge is not None and getattr(knowledge, "departments", None):
            if knowledge.get(archive.link) is None:
                problems.append(Problem(rel, archive.id, "link", f"unknown knowledge entry {archive.link!r}"))
    if top.scope.home and top.scope.home not in seen_ids:
        problems.append(Problem(rel, "scope", "home", f"no archive with id {top.scope.home!r}"))
    for name in ("outside_notice", "home_notice", "unknown_notice"):
        allowed = {"outside_notice": {"place"}, "home_notice": {"name", "address", "phone", "hours"}}
        used = {f for _, f, _, _ in string.Formatter().parse(getattr(top.scope, name)) if f}
        if used - allowed.get(name, set()):
            bad = ", ".join(sorted(used - allowed.get(name, set())))
            problems.append(Problem(rel, "scope", name, f"unknown placeholders: {bad}"))
    return ArchiveDirectory(
        tuple(archives),
        top.turnaround_working_days,
        tuple(top.pickup_bring),
        top.fee,
        top.scope,
        catalogue_of(knowledge) if knowledge is not None else Catalogue(),
    )


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)
