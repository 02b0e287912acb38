"""What the law counts about a 政府信息公开 application: its outcome and its applicant's type.

The annual report (条例 Art. 50, format 国办公开办函〔2021〕30号) has a fixed table whose rows
are outcome categories (some split into numbered reasons) and whose columns are applicant
types. `knowledge/outcomes.yaml` holds both lists and how outcome values stored by older
versions (条例 Art. 36 reply kinds) map onto the statutory rows; the staff desk's wording is
in knowledge/messages/desk.yaml.

A closed request stores its outcome as its statutory label ("不予公开：属于国家秘密"), readable
in exports and history without this module; `Catalogue.resolve` reads both that and the
legacy values. The codes ("3.1") are what staff type and what buttons carry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator

from bot.knowledge import AdminModel, KnowledgeLike, Problem, read_yaml, validation_problems

OUTCOMES_FILE = "outcomes.yaml"
SEPARATOR = "："

#: The report's columns (DOMAIN.md): fixed by the statutory format, so the file must match them.
NATURAL_PERSON = "自然人"
ORGANISATION_TYPES = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
APPLICANT_TYPES = (NATURAL_PERSON, *ORGANISATION_TYPES)
OTHER_ORGANISATION = "其他"

#: The form's applicant_type answers (knowledge/forms/disclosure.yaml).
FORM_PERSON = "公民"
FORM_ORGANISATION = "法人或其他组织"

# --------------------------------------------------------------------------- file models


class _Reason(AdminModel):
    code: str = Field(pattern=r"^[1-9]$")
    label: str = Field(min_length=1)
    short: str = Field(min_length=1, max_length=12)
    only_when_correcting: bool = False


class _Category(AdminModel):
    code: str = Field(pattern=r"^[1-9]$")
    label: str = Field(min_length=1)
    short: str = Field(min_length=1, max_length=12)
    note: str = ""
    reasons: list[_Reason] = Field(default_factory=list)


class _Organisation(AdminModel):
    label: str
    name_words: list[str] = Field(default_factory=list)


class _ApplicantTypes(AdminModel):
    natural: str
    organisations: list[_Organisation]


class _OutcomesFile(BaseModel):
    model_config = {"extra": "forbid"}

    categories: list[_Category] = Field(min_length=1)
    legacy: dict[str, str] = Field(default_factory=dict)
    applicant_types: _ApplicantTypes

    @field_validator("legacy", mode="before")
    @classmethod
    def _codes_as_text(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): "" if v is None else str(v) for k, v in value.items()}
        return value


# --------------------------------------------------------------------------- public data


@dataclass(frozen=True)
class Outcome:
    """One row of the report's section 三 (a category, or one reason of a category)."""

    code: str  # "1", "3.1"
    category: str  # 不予公开
    reason: str  # 属于国家秘密 ("" for 予以公开 / 部分公开)
    short: str
    only_when_correcting: bool = False

    @property
    def label(self) -> str:
        """What is stored on the request and shown to people."""
        return f"{self.category}{SEPARATOR}{self.reason}" if self.reason else self.category


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    short: str
    note: str
    reasons: tuple[Outcome, ...]  # empty: the category itself is the outcome

    @property
    def outcome(self) -> Outcome | None:
        return None if self.reasons else Outcome(self.code, self.label, "", self.short)


@dataclass(frozen=True)
class Resolved:
    """A stored value read back: the row it counts in, or only its category (legacy values
    without a reason), or nothing (an unknown value)."""

    outcome: Outcome | None
    category: Category | None


@dataclass(frozen=True)
class Catalogue:
    categories: tuple[Category, ...]
    legacy: dict[str, str]
    organisations: tuple[tuple[str, tuple[str, ...]], ...]

    # -- lookups ---------------------------------------------------------------

    def outcomes(self) -> list[Outcome]:
        """Every countable row, in report order."""
        rows: list[Outcome] = []
        for cat in self.categories:
            rows += [cat.outcome] if cat.outcome else list(cat.reasons)
        return rows

    def category(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)

    def by_code(self, code: str) -> Outcome | None:
        return next((o for o in self.outcomes() if o.code == code), None)

    def resolve(self, stored: str | None) -> Resolved:
        """A request's stored ``closed_kind`` -> its report row (current labels and legacy)."""
        if not stored:
            return Resolved(None, None)
        for o in self.outcomes():
            if o.label == stored:
                return Resolved(o, self.category(o.code.split(".")[0]))
        code = self.legacy.get(stored)
        if code is None:
            cat = next((c for c in self.categories if c.label == stored), None)
            return Resolved(None, cat)
        outcome = self.by_code(code)
        cat = self.category(code.split(".")[0])
        return Resolved(outcome, cat)

    def parse(self, text: str) -> Outcome | Category | None:
        """What a staff member typed after ``/close REF``: a code (3 / 3.1 / ３．１), a category
        or reason label, or "类别 情形" / "类别：情形". A category that has reasons comes back as
        the Category (the caller asks for the reason)."""
        raw = _fold(text)
        if not raw:
            return None
        if re.fullmatch(r"\d(\.\d)?", raw):
            if "." in raw:
                return self.by_code(raw)
            cat = self.category(raw)
            if cat is None:
                return None
            return cat.outcome or cat
        for o in self.outcomes():
            if raw in (_fold(o.label), _fold(o.reason), _fold(o.short), _fold(o.category + o.reason)):
                if raw == _fold(o.category) and o.reason:
                    continue
                return o
        for cat in self.categories:
            if raw in (_fold(cat.label), _fold(cat.short)):
                return cat.outcome or cat
        legacy = self.legacy.get(text.strip())
        if legacy:
            found = self.by_code(legacy)
            if found is not None:
                return found
            return self.category(legacy)
        return None

    def choices(self, cat: Category | None = None) -> str:
        """'1 予以公开、2 部分公开、…' for help texts."""
        if cat is None:
            return "、".join(f"{c.code} {c.label}" for c in self.categories)
        return "、".join(f"{o.code} {o.reason}" for o in cat.reasons)

    # -- applicant type --------------------------------------------------------

    def applicant_type(self, data: dict[str, Any]) -> str:
        """The report column a submitted form's answers put the applicant in (a guess for
        organisations, which staff may correct)."""
        fields = data.get("fields") or {}
        kind = str(fields.get("applicant_type") or "")
        if kind != FORM_ORGANISATION and not fields.get("org_name") and not fields.get("uscc"):
            return NATURAL_PERSON
        name = str(fields.get("org_name") or "")
        for label, words in self.organisations:
            if any(w and w in name for w in words):
                return label
        return OTHER_ORGANISATION


def _fold(text: str) -> str:
    """Width, spaces and separators folded, so "３．１", "3.1 ", "不予公开 属于国家秘密" match."""
    import unicodedata

    folded = unicodedata.normalize("NFKC", text or "")
    folded = folded.replace("。", ".").replace("、", ".")
    return re.sub(r"[\s:：,，\-—]+", "", folded)


# --------------------------------------------------------------------------- loading


def parse_outcomes(data: Any, rel: str, problems: list[Problem]) -> Catalogue | None:
    """Validate the parsed YAML (pure: no file access); problems name file, entry and field."""
    if not isinstance(data, dict):
        problems.append(Problem(rel, "", "", "must be a mapping with categories, legacy, applicant_types"))
        return None
    if "texts" in data:  # an older file: the wording moved to the message catalogue
        message = "the desk's wording is now in knowledge/messages/desk.yaml (desk.* keys): remove it"
        problems.append(Problem(rel, "texts", "", message))
        data = {k: v for k, v in data.items() if k != "texts"}
    try:
        top = _OutcomesFile.model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, rel, data, list_keys=("categories",)))
        return None
    before = len(problems)
    categories: list[Category] = []
    seen: set[str] = set()
    labels: set[str] = set()
    for cat in top.categories:
        entry = f"category {cat.code}"
        if cat.code in seen:
            problems.append(Problem(rel, entry, "code", "duplicate code"))
        seen.add(cat.code)
        if SEPARATOR in cat.label:
            problems.append(Problem(rel, entry, "label", f"must not contain {SEPARATOR!r}"))
        reasons: list[Outcome] = []
        reason_codes: set[str] = set()
        for r in cat.reasons:
            if r.code in reason_codes:
                problems.append(Problem(rel, f"{entry} reason {r.code}", "code", "duplicate code"))
            reason_codes.add(r.code)
            if r.label in labels:
                problems.append(Problem(rel, f"{entry} reason {r.code}", "label", "label used twice"))
            labels.add(r.label)
            reasons.append(
                Outcome(f"{cat.code}.{r.code}", cat.label, r.label, r.short, r.only_when_correcting)
            )
        categories.append(Category(cat.code, cat.label, cat.short, cat.note, tuple(reasons)))
    catalogue_codes = {o.code for c in categories for o in ((c.outcome,) if c.outcome else c.reasons)}
    for old, code in top.legacy.items():
        if code not in catalogue_codes and code not in seen:
            problems.append(Problem(rel, f"legacy {old}", "", f"unknown outcome code {code!r}"))
    types = top.applicant_types
    if types.natural != NATURAL_PERSON:
        problems.append(
            Problem(rel, "applicant_types", "natural", f"must be {NATURAL_PERSON!r} (the report's column)")
        )
    org_labels = tuple(o.label for o in types.organisations)
    if sorted(org_labels) != sorted(ORGANISATION_TYPES) or len(set(org_labels)) != len(org_labels):
        problems.append(
            Problem(
                rel,
                "applicant_types",
                "organisations",
                f"labels must be exactly {'、'.join(ORGANISATION_TYPES)}",
            )
        )
    if len(problems) > before:
        return None
    return Catalogue(
        categories=tuple(categories),
        legacy=dict(top.legacy),
        organisations=tuple((o.label, tuple(o.name_words)) for o in types.organisations),
    )


def load_outcomes(knowledge: KnowledgeLike, problems: list[Problem]) -> Catalogue | None:
    """Read knowledge.root/outcomes.yaml (registered in `bot.extensions.LOADERS`)."""
    return load_outcomes_file(Path(knowledge.root), problems)


def load_outcomes_file(root: Path, problems: list[Problem]) -> Catalogue | None:
    path = root / OUTCOMES_FILE
    rel = f"{root.name}/{OUTCOMES_FILE}"
    data = read_yaml(path, problems, root)
    if data is None:
        if not any(p.file.endswith(OUTCOMES_FILE) for p in problems):
            problems.append(Problem(rel, "", "", "missing or empty"))
        return None
    return parse_outcomes(data, rel, problems)
