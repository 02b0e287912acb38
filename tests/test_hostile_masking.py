"""scrub() masks what the validators accept (issue 11 item 3).

The validators fold full-width characters and drop spaces, dashes, dots, underscores and middle
dots between digits, so '130524 19950615 0734' is a resident ID and '136 9988 7766' a mobile; both
used to reach the staff group in full. Property tests: any rendering of a number the validators
accept, embedded in text, comes out of scrub() without its digits in a row.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from bot import validators
from bot.masking import mask_id, scrub

TODAY = dt.date(2026, 11, 23)
#: Real area codes (python-stdnum's table), so the validator accepts the IDs built on them.
AREAS = ["130524", "130102", "110101", "310101", "440305", "430624"]
FIXED_AREAS = ["0319", "0311", "010", "021", "0755"]
SEPARATORS = [" ", "-", ".", "_", "·", "  ", " - ", "\u3000", "－", "．", "—", "–"]
#: Text a number sits in: Chinese and Latin words, never digits (which would make it another number).
SURROUNDINGS = st.sampled_from(
    ["", "身份证号：", "我的号码是", "请联系 ", "ID ", "号码(", "，谢谢", "。", " ok"]
)
settings.register_profile(
    "hostile", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("hostile")


def full_width(text: str, flags: list[bool]) -> str:
    """Some digits typed full-width, as Chinese input methods do."""
    return "".join(
        chr(ord(c) + 0xFEE0) if c.isascii() and c.isdigit() and flags[i % len(flags)] else c
        for i, c in enumerate(text)
    )


def digits_in_a_row(text: str) -> str:
    """The text as a reader could reassemble it: folded, separators and spaces dropped."""
    return re.sub(r"[^0-9A-Za-z]", "", unicodedata.normalize("NFKC", text)).upper()


@st.composite
def resident_ids(draw) -> str:
    area = draw(st.sampled_from(AREAS))
    birth = draw(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2020, 12, 31)))
    seq = f"{draw(st.integers(0, 999)):03d}"
    body = area + birth.strftime("%Y%m%d") + seq
    return body + ric.calc_check_digit(body + "0")


@st.composite
def grouped(draw, digits: str) -> str:
    """`digits` cut into groups at random places, joined by random separators."""
    cuts = sorted(draw(st.sets(st.integers(1, len(digits) - 1), max_size=5)))
    parts = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, len(digits)], strict=True)]
    out = parts[0]
    for part in parts[1:]:
        out += draw(st.sampled_from(SEPARATORS)) + part
    flags = draw(st.lists(st.booleans(), min_size=1, max_size=4))
    return full_width(out, flags)


@given(data=st.data(), value=resident_ids(), before=SURROUNDINGS, after=SURROUNDINGS)
@example(data=None, value="130524199506150734", before="", after="")
def test_every_accepted_id_is_masked(data, value, before, after) -> None:
    typed = data.draw(grouped(value)) if data is not None else "130524 19950615 0734"
    accepted = validators.resident_id(typed, TODAY)
    assume(isinstance(accepted, validators.Valid))
    assert accepted.value == value
    out = scrub(before + typed + after)
    assert value not in digits_in_a_row(out), out
    assert value[6:14] not in digits_in_a_row(out)  # the birth date is never shown
    assert mask_id(value) in out


@given(
    data=st.data(),
    tail=st.integers(0, 10**8 - 1),
    head=st.sampled_from(["130", "136", "138", "150", "177", "186", "199"]),
)
def test_every_accepted_mobile_is_masked(data, tail, head) -> None:
    number = f"{head}{tail:08d}"
    prefix = data.draw(st.sampled_from(["", "+86 ", "+86", "86 ", "+86-", "（+86）", "＋８６ "]))
    typed = prefix + data.draw(grouped(number))
    before, after = data.draw(SURROUNDINGS), data.draw(SURROUNDINGS)
    # every rendering, accepted by validators.mobile/phone or not ('136.9988.7766' is refused there)
    out = scrub(before + typed + after)
    assert number not in digits_in_a_row(out), out
    assert f"{number[:3]}****{number[7:]}" in out


@given(data=st.data(), area=st.sampled_from(FIXED_AREAS), local=st.integers(2_000_000, 89_999_999))
def test_every_accepted_fixed_line_is_masked(data, area, local) -> None:
    typed = data.draw(
        st.sampled_from([f"{area}-{local}", f"{area} {local}", f"({area}){local}", f"（{area}）{local}"])
    )
    typed = full_width(typed, data.draw(st.lists(st.booleans(), min_size=1, max_size=3)))
    # a superset of what validators.phone accepts (it also checks each area's local length)
    out = scrub(data.draw(SURROUNDINGS) + typed + data.draw(SURROUNDINGS))
    # the local number is hidden but its last four digits (compared as typed: with the area code
    # run together the digits may spell it by chance, e.g. 0319 + 0000 for local 3190000)
    assert str(local) not in out and f"***{str(local)[-4:]}" in out, out


def test_the_examples_of_the_issue() -> None:
    assert scrub("130524 19950615 0734") == "130***********0734"
    assert (
        scrub("身份证130524 19950815 0017，手机136.9988.7766") == "身份证130***********0017，手机136****7766"
    )
    assert scrub("130524-19950615-0734") == "130***********0734"
    assert scrub("130524.19950615.0734") == "130***********0734"
    assert scrub("１３０５２４　１９９５０６１５　０７３４") == "130***********0734"
    assert scrub("手机 +86 136 9988 7766") == "手机 136****7766"
    assert scrub("电话0319-1234567") == "电话0319-***4567"
    assert scrub("电话（0319）1234567") == "电话（0319-***4567"


def test_emails_as_the_validator_accepts_them() -> None:
    assert scrub("邮箱 ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ") == "邮箱 z****@example.com"
    assert scrub("a!b#c@x.cn") == "a****@x.cn"  # the whole local part, not just after the '!'
    assert scrub("zhang。san@qq。com") == "z********@qq.com"


def test_numbers_that_are_not_personal_stay() -> None:
    for raw in (
        "编号2026-0001",
        "20个工作日",
        "流水号12345678901234567890",
        "1985-1990年",
        "2025-01-01至2025-12-31",
    ):
        assert scrub(raw) == raw
