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
#
# scrub() masks what the validators accept, whatever the grouping: validators fold full-width
# characters (NFKC) and drop spaces, dashes, dots, underscores and middle dots between digits, so
# '130524 19950615 0734', '１３６.９９８８.７７６６' and '+86 138-1234-5678' are an ID and mobiles.
# Linear time by construction (a resident's message is up to 4,096 characters, and the terminal
# takes any length): no pattern with nested or overlapping repetition is searched from every
# position; digit groups and e-mail parts are found once each with simple runs.


class _Fold(dict[int, int]):
    """str.translate table: a character whose NFKC form is one ASCII character becomes it
    ('１' -> '1', '＠' -> '@', '．' -> '.'), everything else stays. One character for one, so a
    position in the folded text is the same position in the original."""

    def __missing__(self, code: int) -> int:
        folded = unicodedata.normalize("NFKC", chr(code))
        value = ord(folded) if len(folded) == 1 and folded.isascii() else code
        self[code] = value
        return value


_FOLD = _Fold({ord("。"): ord(".")})
#: What the validators drop between the digits of an ID or phone number, plus phone brackets.
_SEPARATORS = frozenset(" \t\n\r\f\v\u3000\u00a0-‐‑–—_.·()（）")
#: Separator characters allowed between two groups of digits ('138 - 1234', '(0319) 1234567').
_MAX_GAP = 3
#: A run of digits, or the check character X of an ID typed apart ("... 0096 X").
_GROUP = re.compile(r"[0-9]+[Xx]?|(?<![A-Za-z])[Xx]")
_LOCAL_RUN = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]+")
_DOMAIN = re.compile(r"[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_ID_LIKE = re.compile(r"[0-9]{17}[0-9X]|[0-9]{15}")
_MOBILE_LIKE = re.compile(r"(?:86)?1[3-9][0-9]{9}")
_FIXED_LIKE = re.compile(r"0[1-9][0-9]{8,10}|86[1-9][0-9]{8,10}")
#: Longest run of digits any masked number has (an ID; +86 and a fixed line are shorter).
_LONGEST = 18


def _emails(folded: str) -> list[tuple[int, int, str]]:
    """(start, end, masked) of each e-mail address: one pass over local-part runs, one anchored
    domain match per '@' (a domain never crosses the next '@')."""
    if "@" not in folded:
        return []
    runs = {m.end(): m.start() for m in _LOCAL_RUN.finditer(folded)}
    found: list[tuple[int, int, str]] = []
    last_end = 0
    at = folded.find("@")
    while at != -1:
        start = runs.get(at)
        if start is not None:
            start = max(start, last_end)
            domain = _DOMAIN.match(folded, at + 1)
            if start < at and domain:
                found.append((start, domain.end(), mask_email(folded[start : domain.end()])))
                last_end = domain.end()
        at = folded.find("@", at + 1)
    return found


def _number_kind(digits: str) -> str | None:
    if _ID_LIKE.fullmatch(digits):
        return "id"
    if _MOBILE_LIKE.fullmatch(digits) or _FIXED_LIKE.fullmatch(digits):
        return "phone"
    return None


def _numbers(folded: str, emails: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """(start, end, masked) of each ID or phone number, however its digits are grouped.

    Groups of digits joined by up to three separator characters form a chain; within a chain the
    longest run of consecutive groups that spells an ID or a phone number is masked, from the
    left. A run spans at most 18 digits, so the work is linear in the text."""
    taken = iter(emails)
    next_email = next(taken, None)
    chains: list[list[re.Match[str]]] = []
    for m in _GROUP.finditer(folded):
        while next_email is not None and next_email[1] <= m.start():
            next_email = next(taken, None)
        if next_email is not None and next_email[0] < m.end():
            chains.append([])  # digits inside an e-mail address are the address's
            continue
        chain = chains[-1] if chains else None
        if chain:
            prev = chain[-1]
            if (
                0 < m.start() - prev.end() <= _MAX_GAP
                and all(c in _SEPARATORS for c in folded[prev.end() : m.start()])
                and not prev.group().endswith(("X", "x"))
            ):
                chain.append(m)
                continue
        chains.append([m])
    found: list[tuple[int, int, str]] = []
    for chain in chains:
        i = 0
        while i < len(chain):
            best: tuple[int, str, str] | None = None
            digits = ""
            for j in range(i, len(chain)):
                digits += chain[j].group()
                if len(digits) > _LONGEST + 2:  # +86 before a mobile is 13; an ID is 18
                    break
                kind = _number_kind(digits.upper())
                if kind:
                    best = (j, kind, digits.upper())
                if digits[-1] in "Xx":
                    break
            if best is None:
                i += 1
                continue
            j, kind, digits = best
            start, end = chain[i].start(), chain[j].end()
            if kind == "id":
                masked = mask_id(digits)
            else:
                if start and folded[start - 1] == "+":
                    start -= 1
                area = chain[i].group()
                if j > i and digits.startswith("0") and 3 <= len(area) <= 4:
                    masked = mask_phone(f"{area}-{digits[len(area) :]}")  # '0319-***4567'
                else:
                    masked = mask_phone(digits)
            found.append((start, end, masked))
            i = j + 1
    return found


def scrub(text: str) -> str:
    """Mask every resident ID, phone number and e-mail address found in `text` (for logs and
    for texts shown to staff who do not need them in full), however the digits are grouped."""
    folded = text.translate(_FOLD)
    emails = _emails(folded)
    spans = sorted(emails + _numbers(folded, emails))
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for start, end, masked in spans:
        if start < pos:  # pragma: no cover - spans never overlap; kept as a guard
            continue
        out.append(text[pos:start])
        out.append(masked)
        pos = end
    out.append(text[pos:])
    return "".join(out)
