"""Identity documents and organisation codes: 居民身份证, residence and travel permits, passports, USCC."""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable

from stdnum import exceptions as stdnum_exc
from stdnum.cn import ric
from stdnum.cn import uscc as stdnum_uscc

from bot.areas import area_codes
from bot.masking import mask_id
from bot.messages import Catalogue
from bot.validators.base import Invalid, Result, Valid, compact, or_bundled


def area_code_known(code: str) -> bool:
    """True when `code` names an area in any period of the national table (not tied to the
    birth year: the code is where the number was first issued)."""
    return code in area_codes()


def _id_body(s: str, today: dt.date, label: str, m: Catalogue) -> Result | None:
    """Shared checks of the 18-character GB 11643 layout: characters, birth date, check digit."""
    if not s:
        return Invalid(m.text("forms.id_empty", label=label))
    if re.search(r"[^0-9X]", s):
        return Invalid(m.text("forms.id_bad_chars", label=label))
    if "X" in s[:-1]:
        return Invalid(m.text("forms.id_x_inside", label=label))
    if len(s) != 18:
        return Invalid(m.text("forms.id_length", label=label, count=len(s)))
    try:
        birth = dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        birth = None
    if birth is None or birth.year < 1900:
        return Invalid(m.text("forms.id_bad_birth", label=label, digits=s[6:14]))
    if birth > today:
        return Invalid(m.text("forms.id_future_birth", label=label, birth=birth.isoformat()))
    return None


def _check_char_ok(s: str) -> bool:
    return ric.calc_check_digit(s) == s[-1]


def resident_id(text: str, today: dt.date, *, msgs: Catalogue | None = None) -> Result:
    """18-character 居民身份证号码 (GB 11643-1999); stored upper-case.

    Checks the characters, the birth date (not in the future) and the check digit; the area
    code only has to exist in some period of the table (see `area_code_known`)."""
    m = or_bundled(msgs)
    s = compact(text).upper()
    if len(s) == 15 and s.isdigit():
        return Invalid(m.text("forms.id_old_15"))
    label = m.text("forms.doc_resident_id")
    problem = _id_body(s, today, label, m)
    if problem is not None:
        return problem
    if not area_code_known(s[:6]):
        return Invalid(m.text("forms.id_area", area=s[:6]))
    if not _check_char_ok(s):
        return Invalid(m.text("forms.id_check_digit", label=label))
    return Valid(s, mask_id(s))


#: Area codes of 港澳台居民居住证 (GB/T 2260 codes of Hong Kong, Macao, Taiwan).
_PERMIT_AREAS = {"810000", "820000", "830000"}


def residence_permit(text: str, today: dt.date, *, msgs: Catalogue | None = None) -> Result:
    """港澳台居民居住证: 18 digits like a resident ID, area code 810000/820000/830000."""
    m = or_bundled(msgs)
    s = compact(text).upper()
    label = m.text("forms.doc_residence_permit")
    problem = _id_body(s, today, label, m)
    if problem is not None:
        return problem
    if s[:6] not in _PERMIT_AREAS:
        return Invalid(m.text("forms.permit_area"))
    if not _check_char_ok(s):
        return Invalid(m.text("forms.id_check_digit", label=label))
    return Valid(s)


def travel_permit(text: str, *, msgs: Catalogue | None = None) -> Result:
    """港澳居民来往内地通行证 (H/M + 8 or 10 digits) or 台湾居民来往大陆通行证 (8 or 10 digits)."""
    s = compact(text).upper()
    if re.fullmatch(r"[HM]\d{8}(?:\d{2})?", s) or re.fullmatch(r"\d{8}(?:\d{2}[A-Z]?)?", s):
        return Valid(s)
    return Invalid(or_bundled(msgs).text("forms.travel_permit"))


def foreign_permanent_id(text: str, today: dt.date, *, msgs: Catalogue | None = None) -> Result:
    """外国人永久居留身份证: 2023 format 18 digits starting with 9 (same check digit), or the
    older 15 characters (3-letter nationality code + 12 digits)."""
    m = or_bundled(msgs)
    s = compact(text).upper()
    if re.fullmatch(r"[A-Z]{3}\d{12}", s):
        return Valid(s)
    if len(s) == 18 and s.startswith("9"):
        label = m.text("forms.doc_foreign_permanent")
        problem = _id_body(s, today, label, m)
        if problem is not None:
            return problem
        if not _check_char_ok(s):
            return Invalid(m.text("forms.id_check_digit", label=label))
        return Valid(s)
    return Invalid(m.text("forms.foreign_permanent"))


def passport(text: str, *, msgs: Catalogue | None = None) -> Result:
    """Passport number: 5-17 letters and digits with at least one digit (formats vary by country)."""
    s = compact(text).upper()
    if re.fullmatch(r"[A-Z0-9]{5,17}", s) and re.search(r"\d", s):
        return Valid(s)
    return Invalid(or_bundled(msgs).text("forms.passport"))


#: 证件类型 (the choice a form asks first) -> validator of its number. The keys are the choices
#: of the forms' 证件类型 field (knowledge/forms/*.yaml), matched as data, never shown from here.
ID_DOCUMENTS: dict[str, Callable[..., Result]] = {
    "居民身份证": resident_id,
    "港澳台居民居住证": residence_permit,
    "港澳/台湾通行证": travel_permit,
    "外国人永久居留身份证": foreign_permanent_id,
    "护照": passport,
}


def identity_document(
    text: str, today: dt.date, kind: str | None = None, *, msgs: Catalogue | None = None
) -> Result:
    """The number of the identity document `kind` (an answer of the form's 证件类型 field);
    a form without that field means the 居民身份证."""
    check = ID_DOCUMENTS.get(kind or "居民身份证", resident_id)
    if "today" in inspect.signature(check).parameters:
        return check(text, today=today, msgs=msgs)
    return check(text, msgs=msgs)


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc(text: str, *, msgs: Catalogue | None = None) -> Result:
    """18-character 统一社会信用代码 of an organisation; stored upper-case."""
    m = or_bundled(msgs)
    s = compact(text).upper()
    if not s:
        return Invalid(m.text("forms.uscc_empty"))
    if len(s) != 18:
        return Invalid(m.text("forms.uscc_length", count=len(s)))
    bad = sorted({c for c in s if c not in _USCC_ALPHABET})
    if bad:
        return Invalid(m.text("forms.uscc_bad_chars", chars="、".join(bad)))
    if not s[:8].isdigit():
        return Invalid(m.text("forms.uscc_prefix"))
    if stdnum_uscc.calc_check_digit(s) != s[-1]:
        return Invalid(m.text("forms.uscc_check_digit"))
    try:
        stdnum_uscc.validate(s)
    except stdnum_exc.ValidationError:
        return Invalid(m.text("forms.uscc_invalid"))
    return Valid(s)
