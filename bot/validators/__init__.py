"""Field validators for guided forms: raw resident text -> normalised value, or a reason in Chinese.

Residents type on phones with Chinese input methods, so every validator accepts full-width
digits and letters, spaces and hyphens, and an `Invalid` reason says what was wrong and how to
type it. Form YAML names a validator; the form engine calls `validate(name, text, today=...)`.

The reasons are texts of the message catalogue (knowledge/messages/forms.yaml). Every validator
takes an optional keyword ``msgs`` (the catalogue of the knowledge in use; see `base` for why an
argument rather than a module-level setting); without it the bundled wording is used.

One module per kind of value: `identity` (ID documents, USCC), `contact` (phones, e-mail),
`freetext` (text, names), `choices` (options, counts), `dates` (years, dates).
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from functools import cache
from typing import Any

from bot.messages import Catalogue
from bot.validators.base import Invalid, Result, Valid, bundled_messages, or_bundled
from bot.validators.choices import choice, positive_int
from bot.validators.contact import contact, email, mobile, phone
from bot.validators.dates import RECENT_PAST_DAYS, cn_date, date_range, example_dates, year_range
from bot.validators.freetext import person_name, text
from bot.validators.identity import (
    ID_DOCUMENTS,
    area_code_known,
    foreign_permanent_id,
    identity_document,
    passport,
    residence_permit,
    resident_id,
    travel_permit,
    uscc,
)

__all__ = [
    "ID_DOCUMENTS",
    "RECENT_PAST_DAYS",
    "VALIDATORS",
    "Invalid",
    "Result",
    "Valid",
    "area_code_known",
    "bundled_messages",
    "choice",
    "cn_date",
    "contact",
    "date_range",
    "email",
    "example_dates",
    "foreign_permanent_id",
    "identity_document",
    "mobile",
    "or_bundled",
    "passport",
    "person_name",
    "phone",
    "positive_int",
    "residence_permit",
    "resident_id",
    "text",
    "travel_permit",
    "uscc",
    "validate",
    "year_range",
]

VALIDATORS: dict[str, Callable[..., Result]] = {
    "resident_id": resident_id,
    "identity_document": identity_document,
    "person_name": person_name,
    "contact": contact,
    "uscc": uscc,
    "mobile": mobile,
    "phone": phone,
    "email": email,
    "choice": choice,
    "year_range": year_range,
    "date_range": date_range,
    "text": text,
    "positive_int": positive_int,
}


@cache
def _parameters(name: str) -> frozenset[str]:
    return frozenset(inspect.signature(VALIDATORS[name]).parameters) - {"text"}


def validate(
    name: str,
    text: str,
    *,
    today: dt.date,
    choices: list[str] | None = None,
    min_len: int | None = None,
    max_len: int | None = None,
    aliases: dict[str, str] | None = None,
    min_value: int | None = None,
    max_value: int | None = None,
    kind: str | None = None,
    msgs: Catalogue | None = None,
) -> Result:
    """Run the validator a form names; options it does not take are ignored.

    Raises KeyError for an unknown validator name and ValueError for `choice` without choices:
    both are form-configuration errors a knowledge check should catch.
    """
    if name not in VALIDATORS:
        raise KeyError(f"unknown validator {name!r} (known: {', '.join(VALIDATORS)})")
    if name == "choice" and not choices:
        raise ValueError("the 'choice' validator needs choices")
    offered: dict[str, Any] = {
        "today": today,
        "choices": choices,
        "aliases": aliases,
        "min_len": min_len,
        "max_len": max_len,
        "min_value": min_value,
        "max_value": max_value,
        "kind": kind,
        "msgs": msgs,
    }
    wanted = _parameters(name)
    kwargs = {k: v for k, v in offered.items() if k in wanted and v is not None}
    return VALIDATORS[name](text, **kwargs)
