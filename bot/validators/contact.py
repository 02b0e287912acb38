"""Contact details: mainland mobiles, fixed lines with their area code, e-mail addresses."""

from __future__ import annotations

import re

import phonenumbers

from bot.masking import mask_email, mask_phone
from bot.messages import Catalogue
from bot.validators.base import Invalid, Result, Valid, nfkc, or_bundled

_MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
_FIXED_TYPES = {phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def _parse_cn(text: str) -> phonenumbers.PhoneNumber | None:
    s = nfkc(text)
    if not s or re.search(r"[^0-9+\-\s()（）]", s):
        return None
    try:
        number = phonenumbers.parse(s, "CN")
    except phonenumbers.NumberParseException:
        return None
    return number if number.country_code == 86 and phonenumbers.is_valid_number(number) else None


def mobile(text: str, *, msgs: Catalogue | None = None) -> Result:
    """Mainland mobile number, stored as 11 digits ('+86 138-1234-5678' -> '13812345678')."""
    m = or_bundled(msgs)
    digits = re.sub(r"\D", "", nfkc(text))
    number = _parse_cn(text)
    if number is not None:
        value = phonenumbers.national_significant_number(number)
        if phonenumbers.number_type(number) in _MOBILE_TYPES and len(value) == 11:
            return Valid(value, mask_phone(value))
        return Invalid(m.text("forms.mobile_is_fixed"))
    if not digits:
        return Invalid(m.text("forms.mobile_empty"))
    if nfkc(text).startswith("+") and not nfkc(text).startswith("+86"):
        return Invalid(m.text("forms.mobile_foreign"))
    national = digits[2:] if digits.startswith("86") and len(digits) == 13 else digits
    if len(national) != 11:
        return Invalid(m.text("forms.mobile_length", count=len(national)))
    return Invalid(m.text("forms.mobile_invalid"))


def phone(text: str, *, msgs: Catalogue | None = None) -> Result:
    """Mobile or fixed-line number; fixed lines stored with area code: '0319-1234567'."""
    number = _parse_cn(text)
    if number is not None:
        kind = phonenumbers.number_type(number)
        nsn = phonenumbers.national_significant_number(number)
        if kind in _MOBILE_TYPES and len(nsn) == 11 and nsn.startswith("1"):
            return Valid(nsn, mask_phone(nsn))
        area_len = phonenumbers.length_of_geographical_area_code(number)
        if kind in _FIXED_TYPES and area_len:
            value = f"0{nsn[:area_len]}-{nsn[area_len:]}"
            return Valid(value, mask_phone(value))
    m = or_bundled(msgs)
    digits = re.sub(r"\D", "", nfkc(text))
    if not digits:
        return Invalid(m.text("forms.phone_empty"))
    if 7 <= len(digits) <= 8 and not digits.startswith("0"):
        return Invalid(m.text("forms.phone_area_code"))
    return Invalid(m.text("forms.phone_invalid"))


_EMAIL = re.compile(
    r"^(?P<local>[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})$"
)


def email(text: str, *, msgs: Catalogue | None = None) -> Result:
    """local@domain.tld; the domain is lower-cased, the local part kept as typed."""
    m = or_bundled(msgs)
    s = re.sub(r"\s", "", nfkc(text)).replace("。", ".")
    if not s:
        return Invalid(m.text("forms.email_empty"))
    if "@" not in s:
        return Invalid(m.text("forms.email_no_at"))
    if len(s) > 254:
        return Invalid(m.text("forms.email_too_long"))
    match = _EMAIL.match(s)
    if not match or len(match.group("local")) > 64:
        return Invalid(m.text("forms.email_invalid"))
    value = f"{match.group('local')}@{match.group('domain').lower()}"
    return Valid(value, mask_email(value))


def contact(text: str, *, msgs: Catalogue | None = None) -> Result:
    """联系方式 (Art. 29): a mobile, a fixed line with its area code, or an e-mail address."""
    s = nfkc(text)
    if "@" in s:
        return email(s, msgs=msgs)
    result = phone(s, msgs=msgs)
    if isinstance(result, Invalid):
        return Invalid(or_bundled(msgs).text("forms.contact_or_email", reason=result.reason.rstrip("。")))
    return result
