"""Masked forms of personal data (个人信息保护法): what anyone but the handling staff may see.

Rule for every function: the whole value is never returned unmasked, however short it is.
`scrub` masks ID numbers, mobile numbers and e-mail addresses inside free text before it is
logged; it errs on the side of masking too much.
"""

from __future__ import annotations

import re
import unicodedata

MASK = "*"


def _keep_ends(value: str, start: int, end: int) -> str:
    """Keep `start` leading and `end` trailing characters, mask the rest (at least one)."""
    if len(value) <= start + end:
        if len(value) <= 1:
            return MASK * len(value)
        return value[0] + MASK * (len(value) - 1)
    return value[:start] + MASK * (len(value) - start - end) + value[len(value) - end :]


def _compact(value: str) -> str:
    """Full-width to ASCII, separators removed: the number as the validators store it."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", value))


def mask_id(value: str) -> str:
    """Resident ID: first 3 and last 4 kept ('130***********1234')."""
    return _keep_ends(_compact(value), 3, 4)


def mask_uscc(value: str) -> str:
    """统一社会信用代码, same convention as the resident ID."""
    return _keep_ends(_compact(value), 3, 4)


def mask_phone(value: str) -> str:
    """Mobile '138****5678'; fixed line keeps its area code: '0319-***4567'."""
    value = unicodedata.normalize("NFKC", value).strip()
    digits = re.sub(r"\D", "", value)
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) == 11 and digits.startswith("1"):
        return digits[:3] + MASK * 4 + digits[7:]
    area, sep, local = value.partition("-")
    if sep and area.isdigit() and local.isdigit() and len(local) > 4:
        return f"{area}-{_keep_ends(local, 0, 4)}"
    return _keep_ends(digits or value, 3, 4)


def mask_name(value: str) -> str:
    """First character kept ('张三丰' -> '张**'); a one-character value becomes '*'.

    Separators in names such as '买买提·艾力' stay visible: they reveal nothing.
    """
    value = value.strip()
    if len(value) <= 1:
        return MASK * len(value)
    return value[0] + "".join(c if c in "·• " else MASK for c in value[1:])


def mask_address(value: str) -> str:
    """First 6 characters (province/city/county level) then '****'."""
    value = value.strip()
    if not value:
        return ""
    keep = 6 if len(value) > 6 else len(value) // 2
    return value[:keep] + MASK * 4


def mask_email(value: str) -> str:
    """First character of the local part kept: 'abc@x.cn' -> 'a**@x.cn'."""
    value = value.strip()
    local, at, domain = value.rpartition("@")
    if not at or not local:
        return _keep_ends(value, 1, 0)
    return _keep_ends(local, 1, 0) + "@" + domain


# --------------------------------------------------------------------------- scrub

_D = "[0-9０-９]"
_NOT_DIGIT_BEFORE = "(?<![0-9０-９])"
_NOT_DIGIT_AFTER = "(?![0-9０-９])"
_SCRUB = re.compile(
    # e-mail first: '13812345678@qq.com' is an address, not a phone number
    r"(?P<email>[A-Za-z0-9._%+\-]+[@＠][A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})"
    # resident ID: 18 (last may be X) or old 15-digit numbers, never part of a longer number
    rf"|(?P<id>{_NOT_DIGIT_BEFORE}(?:{_D}{{17}}[0-9０-９XxＸｘ]|{_D}{{15}})(?![0-9０-９A-Za-z]))"
    # mobile: optional +86, separators between the 3-4-4 groups allowed
    rf"|(?P<mobile>{_NOT_DIGIT_BEFORE}(?:(?:\+|＋)?(?:86|８６)[\s\-]?)?[1１][3-9３-９]{_D}"
    rf"[\s\-]?{_D}{{4}}[\s\-]?{_D}{{4}}{_NOT_DIGIT_AFTER})"
)


def _scrub_match(match: re.Match[str]) -> str:
    if match.group("email"):
        return mask_email(unicodedata.normalize("NFKC", match.group("email")))
    if match.group("id"):
        return mask_id(match.group("id")).upper()
    return mask_phone(match.group("mobile"))


def scrub(text: str) -> str:
    """Mask every resident ID, mobile number and e-mail address found in `text` (for logs)."""
    return _SCRUB.sub(_scrub_match, text)
