"""Field validators for guided forms: raw resident text -> normalised value, or a reason in Chinese.

Residents type on phones with Chinese input methods, so every validator accepts full-width
digits and letters, spaces and hyphens, and an `Invalid` reason says what was wrong and how to
type it. Form YAML names a validator; the form engine calls `validate(name, text, today=...)`.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import phonenumbers
from stdnum import exceptions as stdnum_exc
from stdnum.cn import ric
from stdnum.cn import uscc as stdnum_uscc

from bot.areas import area_codes
from bot.masking import mask_email, mask_id, mask_phone


@dataclass(frozen=True)
class Valid:
    """Accepted input: `value` is what is stored; `display` (if set) is what is shown back."""

    value: str
    display: str | None = None


@dataclass(frozen=True)
class Invalid:
    """Rejected input, with a reason the resident can act on.

    `suggestion` (if set) is an answer the resident probably meant ("2027-12-01" for "12月1号"
    typed on 2 December): the engine offers it as a button rather than guessing silently."""

    reason: str
    suggestion: str | None = None
    suggestion_label: str | None = None


Result = Valid | Invalid


def _nfkc(text: str) -> str:
    """Full-width digits, letters and punctuation to ASCII (１２３ -> 123, ＠ -> @)."""
    return unicodedata.normalize("NFKC", text or "").strip()


def _compact(text: str) -> str:
    """NFKC, then spaces and hyphen-like separators removed (for ID-style numbers)."""
    return re.sub(r"[\s\-‐‑–—_.·]", "", _nfkc(text))


# --------------------------------------------------------------------------- identity numbers


def area_code_known(code: str) -> bool:
    """True when `code` names an area in any period of the national table (not tied to the
    birth year: the code is where the number was first issued)."""
    return code in area_codes()


def _id_body(s: str, today: dt.date, label: str) -> Result | None:
    """Shared checks of the 18-character GB 11643 layout: characters, birth date, check digit."""
    if not s:
        return Invalid(f"请输入18位{label}号码。")
    if re.search(r"[^0-9X]", s):
        return Invalid(f"{label}号码只能包含数字，最后一位可以是X，请重新输入。")
    if "X" in s[:-1]:
        return Invalid(f"{label}号码中X只能出现在最后一位，请核对后重新输入。")
    if len(s) != 18:
        return Invalid(f"{label}号码应为18位，最后一位可以是数字或X。您输入了{len(s)}位。")
    try:
        birth = dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        birth = None
    if birth is None or birth.year < 1900:
        return Invalid(f"{label}号码第7-14位是出生日期，{s[6:14]}不是有效的日期，请核对。")
    if birth > today:
        return Invalid(f"{label}号码中的出生日期{birth.isoformat()}晚于今天，请核对。")
    return None


def _check_char_ok(s: str) -> bool:
    return ric.calc_check_digit(s) == s[-1]


def resident_id(text: str, today: dt.date) -> Result:
    """18-character 居民身份证号码 (GB 11643-1999); stored upper-case.

    Checks the characters, the birth date (not in the future) and the check digit; the area
    code only has to exist in some period of the table (see `_area_codes`)."""
    s = _compact(text).upper()
    if len(s) == 15 and s.isdigit():
        return Invalid("您输入的是15位旧身份证号码，请输入现在使用的18位身份证号码。")
    problem = _id_body(s, today, "身份证")
    if problem is not None:
        return problem
    if not area_code_known(s[:6]):
        return Invalid(f"身份证号码前6位是地区代码，{s[:6]}无法识别，请核对。")
    if not _check_char_ok(s):
        return Invalid("身份证号码最后一位校验位不对，请核对号码是否输错。")
    return Valid(s, mask_id(s))


#: Area codes of 港澳台居民居住证 (GB/T 2260 codes of Hong Kong, Macao, Taiwan).
_PERMIT_AREAS = {"810000": "香港", "820000": "澳门", "830000": "台湾"}


def residence_permit(text: str, today: dt.date) -> Result:
    """港澳台居民居住证: 18 digits like a resident ID, area code 810000/820000/830000."""
    s = _compact(text).upper()
    problem = _id_body(s, today, "居住证")
    if problem is not None:
        return problem
    if s[:6] not in _PERMIT_AREAS:
        return Invalid("港澳台居民居住证号码以810000（香港）、820000（澳门）或830000（台湾）开头，请核对。")
    if not _check_char_ok(s):
        return Invalid("居住证号码最后一位校验位不对，请核对号码是否输错。")
    return Valid(s)


def travel_permit(text: str) -> Result:
    """港澳居民来往内地通行证 (H/M + 8 or 10 digits) or 台湾居民来往大陆通行证 (8 or 10 digits)."""
    s = _compact(text).upper()
    if re.fullmatch(r"[HM]\d{8}(?:\d{2})?", s) or re.fullmatch(r"\d{8}(?:\d{2}[A-Z]?)?", s):
        return Valid(s)
    return Invalid(
        "通行证号码格式不对：港澳居民来往内地通行证是H或M加8位数字（旧证10位数字），"
        "台湾居民来往大陆通行证是8位数字，请核对。"
    )


def foreign_permanent_id(text: str, today: dt.date) -> Result:
    """外国人永久居留身份证: 2023 format 18 digits starting with 9 (same check digit), or the
    older 15 characters (3-letter nationality code + 12 digits)."""
    s = _compact(text).upper()
    if re.fullmatch(r"[A-Z]{3}\d{12}", s):
        return Valid(s)
    if len(s) == 18 and s.startswith("9"):
        problem = _id_body(s, today, "永久居留身份证")
        if problem is not None:
            return problem
        if not _check_char_ok(s):
            return Invalid("永久居留身份证号码最后一位校验位不对，请核对号码是否输错。")
        return Valid(s)
    return Invalid(
        "外国人永久居留身份证号码是以9开头的18位号码（2023年版），或3个字母加12位数字（旧版），请核对。"
    )


def passport(text: str) -> Result:
    """Passport number: 5-17 letters and digits with at least one digit (formats vary by country)."""
    s = _compact(text).upper()
    if re.fullmatch(r"[A-Z0-9]{5,17}", s) and re.search(r"\d", s):
        return Valid(s)
    return Invalid("护照号码应为5-17位字母和数字（如 E12345678），请核对。")


#: 证件类型 (the choice a form asks first) -> validator of its number.
ID_DOCUMENTS: dict[str, Callable[..., Result]] = {
    "居民身份证": resident_id,
    "港澳台居民居住证": residence_permit,
    "港澳/台湾通行证": travel_permit,
    "外国人永久居留身份证": foreign_permanent_id,
    "护照": passport,
}


def identity_document(text: str, today: dt.date, kind: str | None = None) -> Result:
    """The number of the identity document `kind` (an answer of the form's 证件类型 field);
    a form without that field means the 居民身份证."""
    check = ID_DOCUMENTS.get(kind or "居民身份证", resident_id)
    if "today" in inspect.signature(check).parameters:
        return check(text, today=today)
    return check(text)


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc(text: str) -> Result:
    """18-character 统一社会信用代码 of an organisation; stored upper-case."""
    s = _compact(text).upper()
    if not s:
        return Invalid("请输入18位统一社会信用代码。")
    if len(s) != 18:
        return Invalid(f"统一社会信用代码应为18位数字或大写字母。您输入了{len(s)}位。")
    bad = sorted({c for c in s if c not in _USCC_ALPHABET})
    if bad:
        return Invalid(
            f"统一社会信用代码中不会出现“{'、'.join(bad)}”（不使用字母I、O、S、V、Z，"
            "请注意区分数字1、0、5、2），请核对。"
        )
    if not s[:8].isdigit():
        return Invalid("统一社会信用代码前8位应全是数字，请核对。")
    if stdnum_uscc.calc_check_digit(s) != s[-1]:
        return Invalid("统一社会信用代码最后一位校验位不对，请核对是否输错。")
    try:
        stdnum_uscc.validate(s)
    except stdnum_exc.ValidationError:
        return Invalid("统一社会信用代码无效，请核对后重新输入。")
    return Valid(s)


# --------------------------------------------------------------------------- contact details

_MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
_FIXED_TYPES = {phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def _parse_cn(text: str) -> phonenumbers.PhoneNumber | None:
    s = _nfkc(text)
    if not s or re.search(r"[^0-9+\-\s()（）]", s):
        return None
    try:
        number = phonenumbers.parse(s, "CN")
    except phonenumbers.NumberParseException:
        return None
    return number if number.country_code == 86 and phonenumbers.is_valid_number(number) else None


def mobile(text: str) -> Result:
    """Mainland mobile number, stored as 11 digits ('+86 138-1234-5678' -> '13812345678')."""
    digits = re.sub(r"\D", "", _nfkc(text))
    number = _parse_cn(text)
    if number is not None:
        value = phonenumbers.national_significant_number(number)
        if phonenumbers.number_type(number) in _MOBILE_TYPES and len(value) == 11:
            return Valid(value, mask_phone(value))
        return Invalid("这是固定电话号码，这里需要填写11位手机号码。")
    if not digits:
        return Invalid("请输入11位手机号码，例如13812345678。")
    if _nfkc(text).startswith("+") and not _nfkc(text).startswith("+86"):
        return Invalid("目前只能登记中国大陆的11位手机号码，请重新输入。")
    national = digits[2:] if digits.startswith("86") and len(digits) == 13 else digits
    if len(national) != 11:
        return Invalid(f"手机号码应为11位数字，以1开头。您输入了{len(national)}位数字。")
    return Invalid("这不是有效的手机号码，请核对后重新输入11位手机号码。")


def phone(text: str) -> Result:
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
    digits = re.sub(r"\D", "", _nfkc(text))
    if not digits:
        return Invalid("请输入联系电话：11位手机号码，或带区号的固定电话，例如0319-1234567。")
    if 7 <= len(digits) <= 8 and not digits.startswith("0"):
        return Invalid("固定电话请加上区号，例如0319-1234567。")
    return Invalid("这不是有效的电话号码。请输入11位手机号码，或带区号的固定电话，例如0319-1234567。")


_EMAIL = re.compile(
    r"^(?P<local>[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})$"
)


def email(text: str) -> Result:
    """local@domain.tld; the domain is lower-cased, the local part kept as typed."""
    s = re.sub(r"\s", "", _nfkc(text)).replace("。", ".")
    if not s:
        return Invalid("请输入电子邮箱地址，例如 zhangsan@example.com。")
    if "@" not in s:
        return Invalid("电子邮箱地址应包含@，例如 zhangsan@example.com，请重新输入。")
    if len(s) > 254:
        return Invalid("电子邮箱地址太长了（最多254个字符），请核对。")
    match = _EMAIL.match(s)
    if not match or len(match.group("local")) > 64:
        return Invalid("电子邮箱地址格式不对，应类似 zhangsan@example.com，请核对后重新输入。")
    value = f"{match.group('local')}@{match.group('domain').lower()}"
    return Valid(value, mask_email(value))


def contact(text: str) -> Result:
    """联系方式 (Art. 29): a mobile, a fixed line with its area code, or an e-mail address."""
    s = _nfkc(text)
    if "@" in s:
        return email(s)
    result = phone(s)
    if isinstance(result, Invalid):
        return Invalid(
            result.reason.rstrip("。") + "。也可以填写电子邮箱，例如 zhangsan@example.com。"
        )
    return result


# --------------------------------------------------------------------------- names

#: What people type before their name: "我叫陈明", "我是陈明", "姓名：陈明".
_NAME_LEAD = re.compile(
    r"^(?:我的名字(?:是|叫)|名字(?:是|叫)|姓名(?:是)?|我叫|我是|本人(?:是|叫)?|叫)[:：\s]*"
)
#: Characters of sentences, not of names (我/你/的/吗 …): "陈明的档案" or "我不知道" is not a name.
_SENTENCE_CHARS = set("我你您她们的了吗呢吧啊么请问怎谁哪啥")
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f"
_HAN_NAME = re.compile(rf"[{_HAN}]{{2,6}}|[{_HAN}]{{1,10}}(?:·[{_HAN}]{{1,10}}){{1,3}}")
_HAN_ONLY = re.compile(rf"[{_HAN}·\s]+")


def person_name(text: str, min_len: int = 2, max_len: int = 30) -> Result:
    """A person's name, kept as typed (any script: 张三, Иванов, names with ·).

    What reads as a sentence is not a name: "我叫陈明" gives 陈明; "你们办公地点在哪" or
    "我不知道" is refused, and so are digits and e-mail signs (a phone number typed here)."""
    kept = globals()["text"](text, min_len=min_len, max_len=max_len)
    if isinstance(kept, Invalid):
        return kept
    s = re.sub(r"\s+", " ", _nfkc(kept.value)).strip(" 。.!！,，")
    s = s.replace("•", "·").replace("・", "·")
    lead = _NAME_LEAD.match(s)
    if lead:
        rest = s[lead.end() :].strip()
        if _HAN_NAME.fullmatch(rest.replace(" ", "")) and not set(rest) & _SENTENCE_CHARS:
            return Valid(rest.replace(" ", ""))
    if re.search(r"[0-9@]", s):
        return Invalid("姓名中不应包含数字或符号，请只填写姓名。")
    if _HAN_ONLY.fullmatch(s) and (set(s) & _SENTENCE_CHARS or not _HAN_NAME.fullmatch(s.replace(" ", ""))):
        return Invalid("这里只需要填写姓名（如“陈明”），不用写成一句话，请重新输入。")
    if re.search(r"[?？]", s) or (set(s) & _SENTENCE_CHARS and len(s) > 4):
        return Invalid("这里只需要填写姓名（如“陈明”），不用写成一句话，请重新输入。")
    return kept


# --------------------------------------------------------------------------- choices and numbers


def _key(text: str) -> str:
    """Comparison key of a choice: width folded, simplified (紙質 = 纸质), no spaces, lower-case."""
    from bot.text import to_simplified

    return to_simplified(re.sub(r"\s", "", _nfkc(text))).casefold()


def _mentioned(key: str, choices: list[str], aliases: dict[str, str]) -> list[str]:
    """Choices whose name (or an alias) occurs in the typed text, in the order of `choices`.

    An occurrence inside a longer mentioned name does not count on its own (电子 in 电子邮件)."""
    names = [(c, c) for c in choices] + [(a, t) for a, t in aliases.items()]
    found = [(_key(n), t) for n, t in names if len(_key(n)) >= 2 and _key(n) in key]
    longest = [(k, t) for k, t in found if not any(k != k2 and k in k2 for k2, _ in found)]
    return [c for c in choices if any(t == c for _, t in longest)]


def choice(text: str, choices: list[str], aliases: dict[str, str] | None = None) -> Result:
    """One of `choices`: typed exactly, by its number ('2'), by an alias, or by a unique prefix.

    Raises ValueError for a misconfigured form (no choices, alias to a non-choice).
    """
    if not choices:
        raise ValueError("choice() needs at least one choice")
    aliases = aliases or {}
    for target in aliases.values():
        if target not in choices:
            raise ValueError(f"alias target {target!r} is not one of the choices")
    listing = "；".join(f"{i}. {c}" for i, c in enumerate(choices, 1))
    key = _key(text)
    if not key:
        return Invalid(f"请选择一项（可以回复序号）：{listing}")
    for c in choices:
        if _key(c) == key:
            return Valid(c)
    number = re.fullmatch(r"(?:第)?(\d{1,3})(?:[.、．)）]|项|个)?", key)
    if number:
        i = int(number.group(1))
        if 1 <= i <= len(choices):
            return Valid(choices[i - 1])
        return Invalid(f"没有第{i}项。请从以下选项中选择（可以回复序号）：{listing}")
    for alias, target in aliases.items():
        if _key(alias) == key:
            return Valid(target)
    mentioned = _mentioned(key, choices, aliases)
    if len(mentioned) > 1:
        both = "和".join(mentioned)
        return Invalid(f"“{text.strip()}”同时提到了{both}，这里只能选一项，请重新选择：{listing}")
    if key.endswith("的") and len(key) > 1:  # 纸的 = 纸, 电子的 = 电子
        return choice(text.strip()[:-1], choices, aliases)
    matches = [c for c in choices if _key(c).startswith(key)]
    matches += [t for a, t in aliases.items() if _key(a).startswith(key) and t not in matches]
    if len(matches) == 1:
        return Valid(matches[0])
    if len(matches) > 1:
        return Invalid(
            f"“{text.strip()}”可以指多个选项：{'、'.join(matches)}。请说得具体一些，或回复序号：{listing}"
        )
    return Invalid(f"没有“{text.strip()}”这个选项。请从以下选项中选择（可以回复序号）：{listing}")


_CN_DIGITS = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _chinese_number(s: str) -> int | None:
    """'两百' -> 200, '一千五百' -> 1500, '三万' -> 30000, '一九八五' -> 1985; None if not a number."""
    if not s or any(c not in _CN_DIGITS and c not in _CN_UNITS and c != "万" for c in s):
        return None
    if not any(c in _CN_UNITS or c == "万" for c in s):
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    if s.startswith("万") or "万万" in s:
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


_UNIT_SUFFIX = re.compile(r"(?:人|个|名|位|次|份|件|场|本|页|户|家)?(?:左右|上下)?$")
_ABOUT_PREFIX = re.compile(r"^(?:大约|大概|约|共|总共|一共)")


def positive_int(text: str, min_value: int = 1, max_value: int = 100000) -> Result:
    """A whole number such as an audience size: '200', '200人', '约两百人', '1,500', '3万'."""
    s = re.sub(r"\s", "", _nfkc(text))
    s = _UNIT_SUFFIX.sub("", _ABOUT_PREFIX.sub("", s))
    example = f"请输入一个{min_value}到{max_value}之间的整数，例如 {max(min_value, min(200, max_value))}。"
    value: int | None = None
    if len(s) > 20:
        return Invalid(f"没能识别出数字。{example}")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", s):
        value = int(s.replace(",", ""))
    elif m := re.fullmatch(r"(\d+(?:\.\d+)?)万", s):
        amount = float(m.group(1)) * 10000
        value = int(amount) if amount == int(amount) else None
    elif s.startswith("-") and s[1:].isdigit():
        return Invalid(f"数量不能是负数。{example}")
    elif re.fullmatch(r"\d+\.\d+", s):
        return Invalid(f"请输入整数，不要带小数点。{example}")
    elif re.fullmatch(r"\d+[-~至到]\d+", s):
        return Invalid(f"请只填一个数字；不确定时填写估计的数字即可。{example}")
    else:
        value = _chinese_number(s)
    if value is None:
        return Invalid(f"没能识别出数字。{example}")
    if value < min_value:
        return Invalid(f"数量至少为{min_value}。{example}")
    if value > max_value:
        return Invalid(f"数量不能超过{max_value}。{example}")
    return Valid(str(value))


# --------------------------------------------------------------------------- years and dates

_RANGE_SEP = r"(?:-|~|至|到|\.\.|—|–|－|～)"


def _year_text(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    return _chinese_number(s) if all(c in _CN_DIGITS for c in s) else None


def year_range(text: str, today: dt.date) -> Result:
    """'1985', '1985-1990', '1985年至1990年', '1985到1990' -> '1985' or '1985-1990'."""
    s = re.sub(r"\s", "", _nfkc(text))
    hint = f"请输入年份或年份范围，例如 1985 或 1985-1990（1900年至{today.year}年之间）。"
    year = r"(\d{4}|[零〇一二三四五六七八九]{4})年?(?:份)?"
    m = re.fullmatch(rf"{year}(?:{_RANGE_SEP}{year})?", s)
    if not m:
        return Invalid(f"没能识别出年份。{hint}")
    start = _year_text(m.group(1))
    end = _year_text(m.group(2)) if m.group(2) else start
    if start is None or end is None:
        return Invalid(f"没能识别出年份。{hint}")
    for y in (start, end):
        if not 1900 <= y <= today.year:
            return Invalid(f"{y}年不在1900年至{today.year}年之间。{hint}")
    if end < start:
        return Invalid(f"起始年份{start}晚于结束年份{end}，请把较早的年份写在前面。")
    value = str(start) if start == end else f"{start}-{end}"
    return Valid(value)


_FULL_DATE = r"(?:(?P<{p}y>\d{{4}})(?:年|[-/.]))?(?P<{p}m>\d{{1,2}})(?:月|[-/.])(?P<{p}d>\d{{1,2}})(?:日|号)?"
_DATE_RANGE = re.compile(
    "^"
    + _FULL_DATE.format(p="a")
    + rf"(?:{_RANGE_SEP}(?:"
    + _FULL_DATE.format(p="b")
    + r"|(?P<bonly>\d{1,2})(?:日|号)))?$"
)


def _on_or_after(month: int, day: int, floor: dt.date) -> dt.date | None:
    """First date with this month/day on or after `floor` (Feb 29 looks ahead to a leap year)."""
    for year in range(floor.year, floor.year + 9):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate >= floor:
            return candidate
    return None


def _cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def date_range(text: str, today: dt.date) -> Result:
    """A date or range from today on: '2026-12-01', '12月1日到12月5日', '12月1日至5日'.

    Without a year the next occurrence is meant; value is ISO 'YYYY-MM-DD' or 'YYYY-MM-DD..YYYY-MM-DD'.
    """
    s = re.sub(r"\s", "", _nfkc(text))
    ex = example_dates(today)
    hint = f"请输入日期，例如 {ex['example_date']}，或日期范围，例如 {ex['example_range']}。"
    m = _DATE_RANGE.match(s)
    if not m:
        return Invalid(f"没能识别出日期。{hint}")
    g = m.groupdict()
    start = _make_date(g["ay"], g["am"], g["ad"], today)
    if isinstance(start, Invalid):
        return start
    if g["bonly"]:
        end: dt.date | Invalid = _make_date(str(start.year), str(start.month), g["bonly"], start)
    elif g["bm"]:
        end = _make_date(g["by"], g["bm"], g["bd"], start)
    else:
        end = start
    if isinstance(end, Invalid):
        return end
    if start < today:
        return Invalid(f"{_cn_date(start)}已经过去了，请输入今天（{_cn_date(today)}）或以后的日期。")
    if not g["ay"] and start.year > today.year:
        this_year = _this_year(start, today)
        if this_year is not None and (today - this_year).days <= RECENT_PAST_DAYS:
            # "12月1号" typed on 2 December: next year's date, or a slip? Ask, never assume.
            shown = _cn_date(start) if start == end else f"{_cn_date(start)}至{_cn_date(end)}"
            value = start.isoformat() if start == end else f"{start.isoformat()}..{end.isoformat()}"
            return Invalid(
                f"{_cn_date(this_year)}已经过去了。您是指{shown}吗？是的话请点按钮或输入完整日期"
                f"（如 {value.replace('..', '到')}）；不是的话请输入今天以后的日期。",
                suggestion=value,
                suggestion_label=shown,
            )
    if end < start:
        return Invalid(f"结束日期{_cn_date(end)}早于开始日期{_cn_date(start)}，请核对。")
    if start == end:
        return Valid(start.isoformat(), _cn_date(start))
    return Valid(f"{start.isoformat()}..{end.isoformat()}", f"{_cn_date(start)}至{_cn_date(end)}")


#: A year-less date that passed at most this many days ago is confirmed, not moved to next year.
RECENT_PAST_DAYS = 90


def _this_year(d: dt.date, today: dt.date) -> dt.date | None:
    try:
        return d.replace(year=today.year)
    except ValueError:
        return None


def example_dates(today: dt.date) -> dict[str, str]:
    """Example dates for prompts and hints, always in the future: two weeks out, and a range."""
    start = today + dt.timedelta(days=14)
    end = start + dt.timedelta(days=4)
    return {
        "example_date": start.isoformat(),
        "example_range": f"{start.month}月{start.day}日到{end.month}月{end.day}日",
    }


def _make_date(year: str | None, month: str, day: str, floor: dt.date) -> dt.date | Invalid:
    """A date from its parts; without a year, the first occurrence on or after `floor`."""
    m, d = int(month), int(day)
    if year:
        try:
            return dt.date(int(year), m, d)
        except ValueError:
            return Invalid(f"{year}年{m}月{d}日不是有效的日期，请核对。")
    found = _on_or_after(m, d, floor)
    if found is None:
        return Invalid(f"{m}月{d}日不是有效的日期，请核对。")
    return found


# --------------------------------------------------------------------------- free text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def text(text: str, min_len: int = 1, max_len: int = 500) -> Result:
    """Free text kept verbatim (HTML, emoji, SQL-looking text are fine); control characters dropped."""
    cleaned = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    cleaned = _CONTROL.sub("", cleaned).strip()
    n = len(cleaned)
    if n == 0 and min_len > 0:
        return Invalid("内容不能为空，请输入文字。")
    if n < min_len:
        return Invalid(f"内容太短了（{n}个字），请至少输入{min_len}个字。")
    if n > max_len:
        return Invalid(f"内容太长了（{n}个字），请控制在{max_len}个字以内。")
    return Valid(cleaned)


# --------------------------------------------------------------------------- registry

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
    }
    wanted = _parameters(name)
    kwargs = {k: v for k, v in offered.items() if k in wanted and v is not None}
    return VALIDATORS[name](text, **kwargs)
