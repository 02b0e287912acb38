"""Choices and counts: one of a form's options, a whole number typed in digits or Chinese numerals."""

from __future__ import annotations

import re

from bot.messages import Catalogue
from bot.validators.base import Invalid, Result, Valid, nfkc, or_bundled


def _key(text: str) -> str:
    """Comparison key of a choice: width folded, simplified (紙質 = 纸质), no spaces, lower-case."""
    from bot.text import to_simplified

    return to_simplified(re.sub(r"\s", "", nfkc(text))).casefold()


def _mentioned(key: str, choices: list[str], aliases: dict[str, str]) -> list[str]:
    """Choices whose name (or an alias) occurs in the typed text, in the order of `choices`.

    An occurrence inside a longer mentioned name does not count on its own (电子 in 电子邮件)."""
    names = [(c, c) for c in choices] + [(a, t) for a, t in aliases.items()]
    found = [(_key(n), t) for n, t in names if len(_key(n)) >= 2 and _key(n) in key]
    longest = [(k, t) for k, t in found if not any(k != k2 and k in k2 for k2, _ in found)]
    return [c for c in choices if any(t == c for _, t in longest)]


def choice(
    text: str, choices: list[str], aliases: dict[str, str] | None = None, *, msgs: Catalogue | None = None
) -> Result:
    """One of `choices`: typed exactly, by its number ('2'), by an alias, or by a unique prefix.

    Raises ValueError for a misconfigured form (no choices, alias to a non-choice).
    """
    if not choices:
        raise ValueError("choice() needs at least one choice")
    aliases = aliases or {}
    for target in aliases.values():
        if target not in choices:
            raise ValueError(f"alias target {target!r} is not one of the choices")
    m = or_bundled(msgs)
    listing = "；".join(f"{i}. {c}" for i, c in enumerate(choices, 1))
    key = _key(text)
    if not key:
        return Invalid(m.text("forms.choice_empty", listing=listing))
    for c in choices:
        if _key(c) == key:
            return Valid(c)
    number = re.fullmatch(r"(?:第)?(\d{1,3})(?:[.、．)）]|项|个)?", key)
    if number:
        i = int(number.group(1))
        if 1 <= i <= len(choices):
            return Valid(choices[i - 1])
        return Invalid(m.text("forms.choice_no_such_number", number=i, listing=listing))
    for alias, target in aliases.items():
        if _key(alias) == key:
            return Valid(target)
    mentioned = _mentioned(key, choices, aliases)
    if len(mentioned) > 1:
        both = m.text("forms.choice_and").join(mentioned)
        return Invalid(m.text("forms.choice_two_at_once", typed=text.strip(), both=both, listing=listing))
    if key.endswith("的") and len(key) > 1:  # 纸的 = 纸, 电子的 = 电子
        return choice(text.strip()[:-1], choices, aliases, msgs=msgs)
    matches = [c for c in choices if _key(c).startswith(key)]
    matches += [t for a, t in aliases.items() if _key(a).startswith(key) and t not in matches]
    if len(matches) == 1:
        return Valid(matches[0])
    if len(matches) > 1:
        return Invalid(
            m.text("forms.choice_ambiguous", typed=text.strip(), matches="、".join(matches), listing=listing)
        )
    return Invalid(m.text("forms.choice_unknown", typed=text.strip(), listing=listing))


_CN_DIGITS = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_WAN = "万"


def chinese_number(s: str) -> int | None:
    """'两百' -> 200, '一千五百' -> 1500, '三万' -> 30000, '一九八五' -> 1985; None if not a number."""
    if not s or any(c not in _CN_DIGITS and c not in _CN_UNITS and c != _WAN for c in s):
        return None
    if not any(c in _CN_UNITS or c == _WAN for c in s):
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    if s.startswith(_WAN) or _WAN * 2 in s:
        return None
    total = section = digit = last_unit = 0
    previous = ""
    for c in s:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        elif c in _CN_UNITS:
            section += (digit if previous in _CN_DIGITS else 1) * _CN_UNITS[c]
            digit, last_unit = 0, _CN_UNITS[c]
        else:  # 万
            total += (section + digit) * 10000
            section = digit = last_unit = 0
        previous = c
    if s[-1] in _CN_DIGITS and len(s) >= 2 and s[-2] in _CN_UNITS and last_unit >= 100:
        digit *= last_unit // 10  # colloquial '一百二' = 120, '一千五' = 1500
    return total + section + digit


def is_chinese_digits(s: str) -> bool:
    return all(c in _CN_DIGITS for c in s)


_UNIT_SUFFIX = re.compile(r"(?:人|个|名|位|次|份|件|场|本|页|户|家)?(?:左右|上下)?$")
_ABOUT_PREFIX = re.compile(r"^(?:大约|大概|约|共|总共|一共)")


def positive_int(
    text: str, min_value: int = 1, max_value: int = 100000, *, msgs: Catalogue | None = None
) -> Result:
    """A whole number such as an audience size: '200', '200人', '约两百人', '1,500', '3万'."""
    m = or_bundled(msgs)
    s = re.sub(r"\s", "", nfkc(text))
    s = _UNIT_SUFFIX.sub("", _ABOUT_PREFIX.sub("", s))
    example = m.text(
        "forms.int_example",
        min_value=min_value,
        max_value=max_value,
        example=max(min_value, min(200, max_value)),
    )
    value: int | None = None
    if len(s) > 20:
        return Invalid(m.text("forms.int_unreadable", example=example))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", s):
        value = int(s.replace(",", ""))
    elif found := re.fullmatch(r"(\d+(?:\.\d+)?)万", s):
        amount = float(found.group(1)) * 10000
        value = int(amount) if amount == int(amount) else None
    elif s.startswith("-") and s[1:].isdigit():
        return Invalid(m.text("forms.int_negative", example=example))
    elif re.fullmatch(r"\d+\.\d+", s):
        return Invalid(m.text("forms.int_decimal", example=example))
    elif re.fullmatch(r"\d+[-~至到]\d+", s):
        return Invalid(m.text("forms.int_range_given", example=example))
    else:
        value = chinese_number(s)
    if value is None:
        return Invalid(m.text("forms.int_unreadable", example=example))
    if value < min_value:
        return Invalid(m.text("forms.int_too_small", min_value=min_value, example=example))
    if value > max_value:
        return Invalid(m.text("forms.int_too_large", max_value=max_value, example=example))
    return Valid(str(value))
