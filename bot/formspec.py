"""Guided forms as data: knowledge/forms/*.yaml describe fields, wording, order and receipts.

Administrators change prompts, order and choices without touching code; the dialog engine
only walks whatever the file says. Everything a typo could break (unknown validator, a
condition on a field that does not exist, a receipt placeholder nobody fills) is caught at
load time with the file, form id and field named.
"""

from __future__ import annotations

import string
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.knowledge import Knowledge, Problem, read_yaml, validation_problems
from bot.validators import VALIDATORS

PersonalKind = Literal["name", "id", "phone", "address", "email", "uscc", "contact"]

#: Placeholders a prompt, help or example may use; filled from today's date (never stale).
PROMPT_FIELDS = frozenset({"example_date", "example_range"})

#: Placeholders every receipt may use; filled by the dialog engine at submission.
RECEIPT_FIELDS = frozenset(
    {
        "reference",
        "received",
        "due",
        "due_note",
        "office",
        "department",
        "turnaround",
        "pickup",
        "fee",
        "title",
        "notes",
    }
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class FormField(_Model):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    prompt: str = Field(min_length=1)
    validator: str
    choices: list[str] = Field(default_factory=list)
    aliases: dict[str, str] = Field(default_factory=dict)
    optional: bool = False
    help: str = ""
    example: str = ""
    min_len: int | None = None
    max_len: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    #: Ask this field only when earlier answers match, e.g. {applicant_type: 公民}.
    when: dict[str, str | list[str]] = Field(default_factory=dict)
    #: Personal data kind: masked in summaries, staff cards and anything but the full record.
    personal: PersonalKind | None = None
    #: Told to the resident after an answer, keyed by the answer (e.g. 他人 -> 授权委托书).
    notices: dict[str, str] = Field(default_factory=dict)
    #: An earlier choice field whose answer selects how this one is validated (证件类型 ->
    #: the number's format); only for the identity_document validator.
    kind_from: str | None = None
    #: A choice offered only when earlier answers match, e.g. {电子邮件: {medium: 电子}}:
    #: paper cannot be e-mailed. An answer no longer offered is dropped and asked again.
    choices_when: dict[str, dict[str, str | list[str]]] = Field(default_factory=dict)

    def applies(self, values: dict[str, str]) -> bool:
        return _matches(self.when, values)

    def choices_for(self, values: dict[str, str]) -> list[str]:
        """The choices offered given earlier answers (`choices_when`)."""
        return [c for c in self.choices if _matches(self.choices_when.get(c, {}), values)]


def _matches(when: dict[str, str | list[str]], values: dict[str, str]) -> bool:
    for key, wanted in when.items():
        options = [wanted] if isinstance(wanted, str) else wanted
        if values.get(key) not in options:
            return False
    return True


class ReceiptNote(_Model):
    """A receipt line for some answers only, e.g. how a 邮寄 result arrives; fills {notes}."""

    when: dict[str, str | list[str]] = Field(default_factory=dict)
    text: str = Field(min_length=1)


class Form(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1)
    #: Reference prefix (GK, CD, RF): references read PREFIX-YYYYMMDD-NNNN.
    prefix: str = Field(pattern=r"^[A-Z]{2}$")
    kind: str = Field(min_length=1)
    #: The catalogue entry whose 承办科室 becomes the responsible office.
    service: str
    intro: str = ""
    #: Statutory reply deadline in working days from receipt; none when no rule applies.
    deadline_working_days: int | None = Field(default=None, ge=1, le=120)
    #: Descriptions containing these words read as complaints/petitions (Art. 39).
    petition_words: list[str] = Field(default_factory=list)
    petition_notice: str = ""
    fields: list[FormField] = Field(min_length=1)
    summary: str = Field(min_length=1)
    receipt: str = Field(min_length=1)
    #: Lines for {notes} in the receipt, each for the answers its `when` names.
    receipt_notes: list[ReceiptNote] = Field(default_factory=list)

    def field(self, key: str) -> FormField | None:
        return next((f for f in self.fields if f.key == key), None)


def _check_form(form: Form, rel: str, knowledge: Knowledge, problems: list[Problem]) -> None:
    seen: dict[str, FormField] = {}
    for f in form.fields:
        where = f"fields.{f.key}"
        if f.key in seen:
            problems.append(Problem(rel, form.id, where, "duplicate field key"))
        if f.validator not in VALIDATORS:
            problems.append(
                Problem(
                    rel,
                    form.id,
                    f"{where}.validator",
                    f"unknown validator {f.validator!r} (known: {', '.join(VALIDATORS)})",
                )
            )
        if f.validator == "choice" and not f.choices:
            problems.append(Problem(rel, form.id, f"{where}.choices", "a choice field needs choices"))
        for key, wanted in f.when.items():
            earlier = seen.get(key)
            if earlier is None:
                problems.append(
                    Problem(
                        rel, form.id, f"{where}.when", f"refers to {key!r}, which is not an earlier field"
                    )
                )
                continue
            options = [wanted] if isinstance(wanted, str) else wanted
            bad = [o for o in options if earlier.choices and o not in earlier.choices]
            if bad:
                problems.append(Problem(rel, form.id, f"{where}.when", f"{bad} not among {key}'s choices"))
        for answer in f.notices:
            if f.choices and answer not in f.choices:
                problems.append(
                    Problem(rel, form.id, f"{where}.notices", f"{answer!r} is not one of the choices")
                )
        if f.kind_from is not None:
            earlier = seen.get(f.kind_from)
            if earlier is None or earlier.validator != "choice":
                problems.append(
                    Problem(
                        rel, form.id, f"{where}.kind_from", f"{f.kind_from!r} is not an earlier choice field"
                    )
                )
        for answer, condition in f.choices_when.items():
            if answer not in f.choices:
                problems.append(
                    Problem(rel, form.id, f"{where}.choices_when", f"{answer!r} is not one of the choices")
                )
            for key in condition:
                if key not in seen:
                    problems.append(
                        Problem(rel, form.id, f"{where}.choices_when", f"{key!r} is not an earlier field")
                    )
        for part in ("prompt", "help", "example"):
            used = {name for _, name, _, _ in string.Formatter().parse(getattr(f, part)) if name}
            if used - PROMPT_FIELDS:
                bad = ", ".join(sorted(used - PROMPT_FIELDS))
                problems.append(Problem(rel, form.id, f"{where}.{part}", f"unknown placeholders: {bad}"))
        seen[f.key] = f
    used = {name for _, name, _, _ in string.Formatter().parse(form.receipt) if name}
    for i, note in enumerate(form.receipt_notes):
        used |= {name for _, name, _, _ in string.Formatter().parse(note.text) if name}
        for key in note.when:
            if key not in seen:
                problems.append(Problem(rel, form.id, f"receipt_notes[{i}].when", f"{key!r} is not a field"))
    unknown = used - RECEIPT_FIELDS - set(seen)
    if unknown:
        problems.append(
            Problem(rel, form.id, "receipt", f"unknown placeholders: {', '.join(sorted(unknown))}")
        )
    if knowledge.departments and knowledge.get(form.service) is None:
        problems.append(Problem(rel, form.id, "service", f"no knowledge entry {form.service!r}"))


def load_forms(knowledge: Knowledge, problems: list[Problem]) -> dict[str, Form]:
    forms: dict[str, Form] = {}
    for path in sorted((knowledge.root / "forms").glob("*.yaml")):
        rel = str(path.relative_to(knowledge.root.parent))
        data = read_yaml(path, problems, knowledge.root)
        if data is None:
            continue
        try:
            form = Form.model_validate(data)
        except ValidationError as exc:
            for p in validation_problems(exc, rel, data, list_keys=("fields",)):
                entry = data.get("id", path.stem) if isinstance(data, dict) else path.stem
                problems.append(
                    Problem(p.file, str(entry), (p.entry + "." if p.entry else "") + p.field, p.message)
                )
            continue
        if form.id != path.stem:
            problems.append(Problem(rel, form.id, "id", f"must match the file name {path.stem!r}"))
        if form.id in forms:
            problems.append(Problem(rel, form.id, "id", "duplicate form id"))
        _check_form(form, rel, knowledge, problems)
        forms[form.id] = form
    for required in ("disclosure", "archive_lookup", "drill_booking"):
        if required not in forms and not any(p.entry == required for p in problems):
            problems.append(Problem("knowledge/forms", required, "", "required form is missing"))
    return forms
