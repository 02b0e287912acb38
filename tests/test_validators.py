"""Form field validators and personal-data masking."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import ric
from stdnum.cn import uscc as stdnum_uscc

from bot import masking, validators
from bot.validators import VALIDATORS, Invalid, Valid, validate

TODAY = date(2026, 11, 20)


def make_id(area: str = "130102", birth: str = "19900307", seq: str = "123") -> str:
    """A resident ID with a correct check character (130102 is a real area code)."""
    body = area + birth + seq
    return body + ric.calc_check_digit(body + "0")


GOOD_ID = make_id()
X_ID = next(make_id(seq=f"{n:03d}") for n in range(1000) if make_id(seq=f"{n:03d}").endswith("X"))


def reason(result: validators.Result) -> str:
    assert isinstance(result, Invalid), result
    return result.reason


# --------------------------------------------------------------------------- resident_id


def test_resident_id_valid_and_masked() -> None:
    assert validators.resident_id(GOOD_ID, TODAY) == Valid(GOOD_ID, masking.mask_id(GOOD_ID))
    assert validators.resident_id(GOOD_ID, TODAY).display == GOOD_ID[:3] + "*" * 11 + GOOD_ID[-4:]


def test_resident_id_normalises_full_width_spaces_and_lower_x() -> None:
    full_width = X_ID[:-1].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "ｘ"
    assert validators.resident_id(full_width, TODAY) == Valid(X_ID, masking.mask_id(X_ID))
    spaced = f"{X_ID[:6]} {X_ID[6:14]}-{X_ID[14:-1]}x"
    assert validators.resident_id(spaced, TODAY).value == X_ID  # type: ignore[union-attr]


def test_resident_id_wrong_length() -> None:
    text = reason(validators.resident_id(GOOD_ID[:17], TODAY))
    assert "18位" in text and "您输入了17位" in text
    assert "15位" in reason(validators.resident_id("130102900307123", TODAY))


def test_resident_id_bad_characters() -> None:
    assert "只能包含数字" in reason(validators.resident_id(GOOD_ID[:10] + "A" + GOOD_ID[11:], TODAY))
    assert "X只能出现在最后一位" in reason(validators.resident_id("X" + GOOD_ID[1:], TODAY))


def test_resident_id_checksum() -> None:
    wrong = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")
    assert "校验位不对" in reason(validators.resident_id(wrong, TODAY))


def test_resident_id_impossible_and_future_birth_dates() -> None:
    assert "不是有效的日期" in reason(validators.resident_id(make_id(birth="19900230"), TODAY))
    future = make_id(birth="20270101")
    assert ric.is_valid(future)  # stdnum accepts it, so we must reject it ourselves
    assert "晚于今天" in reason(validators.resident_id(future, TODAY))
    assert isinstance(validators.resident_id(make_id(birth="20261120"), TODAY), Valid)


def test_resident_id_unknown_area_code() -> None:
    assert "地区代码" in reason(validators.resident_id(make_id(area="999999"), TODAY))


# --------------------------------------------------------------------------- uscc


def test_uscc() -> None:
    good = "91110000600037341L"
    assert validators.uscc(good) == Valid(good)
    assert validators.uscc("9111 0000 6000 3734 1l").value == good  # type: ignore[union-attr]
    assert "您输入了17位" in reason(validators.uscc(good[:-1]))
    assert "O" in reason(validators.uscc(good[:-1] + "O"))
    assert "前8位" in reason(validators.uscc("9111000A600037341L"))
    body = "91110000600037341"
    wrong = body + next(c for c in "0123456789" if c != stdnum_uscc.calc_check_digit(body + "0"))
    assert "校验位不对" in reason(validators.uscc(wrong))


# --------------------------------------------------------------------------- phones and e-mail


@pytest.mark.parametrize(
    "raw", ["13812345678", "+86 138-1234-5678", "１３８１２３４５６７８", "138 1234 5678", "8613812345678"]
)
def test_mobile_normalised(raw: str) -> None:
    assert validators.mobile(raw) == Valid("13812345678", "138****5678")


def test_mobile_rejections() -> None:
    assert "您输入了10位" in reason(validators.mobile("1381234567"))
    assert "固定电话" in reason(validators.mobile("0319-1234567"))
    assert "中国大陆" in reason(validators.mobile("+852 91234567"))
    assert "11位" in reason(validators.mobile("电话"))
    assert isinstance(validators.mobile("12345678901"), Invalid)


def test_phone_accepts_mobile_and_fixed_line() -> None:
    assert validators.phone("13812345678").value == "13812345678"  # type: ignore[union-attr]
    assert validators.phone("0319-1234567") == Valid("0319-1234567", "0319-***4567")
    assert validators.phone("03191234567").value == "0319-1234567"  # type: ignore[union-attr]
    assert validators.phone("010 12345678").value == "010-12345678"  # type: ignore[union-attr]
    assert "区号" in reason(validators.phone("1234567"))
    assert isinstance(validators.phone("12345"), Invalid)


def test_email() -> None:
    assert validators.email("ZhangSan@Example.COM") == Valid("ZhangSan@example.com", "Z*******@example.com")
    assert validators.email("abc＠qq。com").value == "abc@qq.com"  # type: ignore[union-attr]
    assert "@" in reason(validators.email("abc.qq.com"))
    for bad in ("a@b", "a..b@x.cn", "a@-x.cn", "a b@x", "@x.cn"):
        assert isinstance(validators.email(bad), Invalid), bad
    assert "254" in reason(validators.email("a" * 60 + "@" + "b" * 200 + ".com"))
    assert isinstance(validators.email("a" * 65 + "@x.cn"), Invalid)


# --------------------------------------------------------------------------- choice

CHOICES = ["纸质", "电子版", "电子邮件"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("纸质", "纸质"),
        ("2", "电子版"),
        ("２", "电子版"),
        ("第3项", "电子邮件"),
        ("纸", "纸质"),
        ("电子邮", "电子邮件"),
        ("打印", "纸质"),
    ],
)
def test_choice_accepts(raw: str, expected: str) -> None:
    assert validators.choice(raw, CHOICES, {"打印": "纸质"}) == Valid(expected)


def test_choice_rejections_list_the_choices() -> None:
    ambiguous = reason(validators.choice("电子", CHOICES))
    assert "电子版" in ambiguous and "电子邮件" in ambiguous
    for raw in ("4", "快递", ""):
        text = reason(validators.choice(raw, CHOICES))
        assert "1. 纸质" in text and "3. 电子邮件" in text
    with pytest.raises(ValueError):
        validators.choice("1", [])
    with pytest.raises(ValueError):
        validators.choice("1", CHOICES, {"x": "不存在"})


# --------------------------------------------------------------------------- years and dates


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1985", "1985"),
        ("1985-1990", "1985-1990"),
        ("1985年至1990年", "1985-1990"),
        ("1985到1990", "1985-1990"),
        ("１９８５～１９９０", "1985-1990"),
        ("一九八五年", "1985"),
        ("1985 - 1990", "1985-1990"),
    ],
)
def test_year_range_accepts(raw: str, expected: str) -> None:
    assert validators.year_range(raw, TODAY) == Valid(expected)


def test_year_range_rejections() -> None:
    assert "晚于" in reason(validators.year_range("1990-1985", TODAY))
    assert "1900" in reason(validators.year_range("1899", TODAY))
    assert "2026" in reason(validators.year_range("2027", TODAY))
    assert isinstance(validators.year_range("八十年代", TODAY), Invalid)
    assert isinstance(validators.year_range("85", TODAY), Invalid)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-12-01", "2026-12-01"),
        ("2026/12/1", "2026-12-01"),
        ("12月1日到12月5日", "2026-12-01..2026-12-05"),
        ("2026年12月1日至2026年12月5日", "2026-12-01..2026-12-05"),
        ("12月1日至5日", "2026-12-01..2026-12-05"),
        ("12月28日到1月3日", "2026-12-28..2027-01-03"),
        ("3月1日", "2027-03-01"),  # passed long ago this year: next occurrence
        ("11月20日", "2026-11-20"),  # today is fine
        ("2026-12-01..2026-12-05", "2026-12-01..2026-12-05"),
    ],
)
def test_date_range_accepts(raw: str, expected: str) -> None:
    result = validators.date_range(raw, TODAY)
    assert isinstance(result, Valid) and result.value == expected


def test_date_range_display_names_the_assumed_year() -> None:
    assert validators.date_range("12月1日到12月5日", TODAY).display == "2026年12月1日至2026年12月5日"  # type: ignore[union-attr]


def test_date_range_rejections() -> None:
    assert "已经过去" in reason(validators.date_range("2026-11-01", TODAY))
    assert "早于" in reason(validators.date_range("2026-12-05至2026-12-01", TODAY))
    assert "不是有效的日期" in reason(validators.date_range("2027-02-30", TODAY))
    assert isinstance(validators.date_range("下周一", TODAY), Invalid)


# --------------------------------------------------------------------------- text and numbers


def test_text_keeps_content_verbatim() -> None:
    raw = "<script>alert(1)</script> 😀 '; DROP TABLE users; --\n第二行"
    assert validators.text(raw) == Valid(raw)
    assert validators.text("a\x00b\x07c\r\nd").value == "abc\nd"  # type: ignore[union-attr]


def test_text_length_bounds_named() -> None:
    assert "不能为空" in reason(validators.text(""))
    assert "5" in reason(validators.text("abc", min_len=5))
    too_long = reason(validators.text("字" * 11, max_len=10))
    assert "10" in too_long and "11" in too_long
    assert isinstance(validators.text("字" * 500), Valid)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("200", "200"),
        ("200人", "200"),
        ("约两百人", "200"),
        ("1,500", "1500"),
        ("３０", "30"),
        ("一百二十人", "120"),
        ("3万", "30000"),
        ("五十名左右", "50"),
    ],
)
def test_positive_int_accepts(raw: str, expected: str) -> None:
    assert validators.positive_int(raw) == Valid(expected)


def test_positive_int_rejections() -> None:
    assert "至少为1" in reason(validators.positive_int("0"))
    assert "负数" in reason(validators.positive_int("-5"))
    assert "整数" in reason(validators.positive_int("2.5"))
    assert "一个数字" in reason(validators.positive_int("100-200人"))
    assert "不能超过100000" in reason(validators.positive_int("200000"))
    assert "至少为10" in reason(validators.positive_int("5", min_value=10))
    assert isinstance(validators.positive_int("很多人"), Invalid)
    assert isinstance(validators.positive_int("9" * 5000), Invalid)


# --------------------------------------------------------------------------- registry


def test_registry_and_entry_point() -> None:
    assert set(VALIDATORS) == {
        "resident_id",
        "identity_document",
        "person_name",
        "contact",
        "uscc",
        "mobile",
        "phone",
        "email",
        "choice",
        "year_range",
        "date_range",
        "text",
        "positive_int",
    }
    assert validate("resident_id", GOOD_ID, today=TODAY).value == GOOD_ID  # type: ignore[union-attr]
    assert validate("choice", "2", today=TODAY, choices=CHOICES) == Valid("电子版")
    assert isinstance(validate("text", "abc", today=TODAY, max_len=2), Invalid)
    assert isinstance(
        validate("mobile", "13812345678", today=TODAY, choices=CHOICES), Valid
    )  # ignored option
    assert validate("date_range", "12月1日", today=TODAY).value == "2026-12-01"  # type: ignore[union-attr]
    with pytest.raises(KeyError):
        validate("postcode", "050000", today=TODAY)
    with pytest.raises(ValueError):
        validate("choice", "1", today=TODAY)


# --------------------------------------------------------------------------- masking


def test_mask_functions() -> None:
    assert masking.mask_id("130102199003071234") == "130***********1234"
    assert masking.mask_uscc("91110000600037341L") == "911***********341L"
    assert masking.mask_phone("13812345678") == "138****5678"
    assert masking.mask_phone("0319-1234567") == "0319-***4567"
    assert masking.mask_name("张三丰") == "张**"
    assert masking.mask_name("张三") == "张*"
    assert masking.mask_name("张") == "*"
    assert masking.mask_name("买买提·艾力") == "买**·**"
    assert masking.mask_address("河北省邢台市柏乡县政府街1号") == "河北省邢台市****"
    assert masking.mask_address("柏乡县") == "柏****"
    assert masking.mask_email("abc@x.cn") == "a**@x.cn"
    assert masking.mask_email("a@x.cn") == "*@x.cn"


def test_masks_never_return_the_whole_value() -> None:
    for fn in (masking.mask_id, masking.mask_uscc, masking.mask_phone, masking.mask_name, masking.mask_email):
        for value in ("1", "12", "1234567", "ab"):
            assert fn(value) != value


def test_scrub_mixed_text() -> None:
    raw = f"我叫张三，身份证{GOOD_ID}，手机13812345678，邮箱zhang.san@example.com，申请2026年的档案。"
    out = masking.scrub(raw)
    assert GOOD_ID not in out and "13812345678" not in out and "zhang.san@" not in out
    assert masking.mask_id(GOOD_ID) in out
    assert "138****5678" in out and "z********@example.com" in out
    assert out.startswith("我叫张三，身份证") and out.endswith("申请2026年的档案。")


def test_scrub_variants() -> None:
    assert masking.scrub("电话+86 138-1234-5678。") == "电话138****5678。"
    assert masking.scrub("１３８１２３４５６７８") == "138****5678"
    assert masking.scrub(f"证号{X_ID.lower()}号") == f"证号{masking.mask_id(X_ID)}号"
    assert masking.scrub("QQ邮箱13812345678@qq.com") == "QQ邮箱1**********@qq.com"
    assert masking.scrub("旧证130102900307123") == "旧证130********7123"


def test_scrub_leaves_other_numbers_alone() -> None:
    for raw in ("编号2026-0001", "20个工作日", "流水号12345678901234567890", "1985-1990年"):
        assert masking.scrub(raw) == raw


# --------------------------------------------------------------------------- issue 10


@pytest.mark.parametrize("number", ["130524194803150025", "130524198802110310", "430624195208082129"])
def test_older_residents_ids_issued_in_an_area_created_later_are_accepted(number: str) -> None:
    # 130524 (柏乡县) exists from 1993; a holder born in 1948 got the number there later.
    assert not ric.is_valid(number)  # python-stdnum ties the area code to the birth year
    assert validators.resident_id(number, TODAY) == Valid(number, masking.mask_id(number))


def test_identity_document_by_kind() -> None:
    ok = {
        "居民身份证": "130524194803150025",
        "港澳台居民居住证": make_id(area="810000", birth="19800101"),
        "港澳/台湾通行证": "H12345678",
        "外国人永久居留身份证": make_id(area="915840", birth="19850505"),
        "护照": "E12345678",
    }
    for kind, number in ok.items():
        assert isinstance(validators.identity_document(number, TODAY, kind), Valid), kind
    assert isinstance(validators.identity_document("12345678", TODAY, "港澳/台湾通行证"), Valid)  # 台湾
    assert isinstance(validators.identity_document("USA123456789012", TODAY, "外国人永久居留身份证"), Valid)
    assert "810000" in reason(validators.identity_document(GOOD_ID, TODAY, "港澳台居民居住证"))
    assert "通行证" in reason(validators.identity_document("X1234", TODAY, "港澳/台湾通行证"))
    assert "护照" in reason(validators.identity_document("护照号", TODAY, "护照"))
    assert validate("identity_document", "e12345678", today=TODAY, kind="护照") == Valid("E12345678")


def test_contact_accepts_mobile_fixed_line_with_area_code_and_email() -> None:
    assert validators.contact("0319-7123456").value == "0319-7123456"  # type: ignore[union-attr]
    assert validators.contact("０３１９ ７１２３４５６").value == "0319-7123456"  # type: ignore[union-attr]
    assert validators.contact("+86 138 1234 5678").value == "13812345678"  # type: ignore[union-attr]
    assert validators.contact("Li@Example.CN").value == "Li@example.cn"  # type: ignore[union-attr]
    assert "区号" in reason(validators.contact("7123456"))
    assert "电子邮箱" in reason(validators.contact("12345"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("我叫陈明", "陈明"),
        ("姓名：陈明", "陈明"),
        ("我是 陈明", "陈明"),
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("王有才", "王有才"),
        ("John Smith", "John Smith"),
    ],
)
def test_person_name_takes_the_name_out_of_a_short_phrase(raw: str, expected: str) -> None:
    assert validators.person_name(raw) == Valid(expected)


@pytest.mark.parametrize(
    "raw", ["你们办公地点在哪", "我不知道怎么填", "陈明的档案", "13812345678", "张三@qq.com"]
)
def test_person_name_refuses_sentences_and_numbers(raw: str) -> None:
    assert isinstance(validators.person_name(raw), Invalid)


def test_choice_accepts_colloquial_and_traditional_and_refuses_two_answers() -> None:
    medium, aliases = ["纸质", "电子"], {"纸": "纸质", "电子版": "电子"}
    assert validators.choice("纸的", medium, aliases) == Valid("纸质")
    assert validators.choice("紙質", medium, aliases) == Valid("纸质")
    assert validators.choice("電子版", medium, aliases) == Valid("电子")
    both = reason(validators.choice("纸质+电子邮件", medium, aliases))
    assert "只能选一项" in both
    # 电子 inside 电子邮件 is not a second answer
    delivery = ["邮寄", "电子邮件", "自行领取"]
    assert validators.choice("电子邮件", delivery) == Valid("电子邮件")
    assert "只能选一项" in reason(validators.choice("邮寄或者电子邮件", delivery))


def test_a_year_less_date_that_just_passed_is_confirmed_not_moved_to_next_year() -> None:
    result = validators.date_range("12月1号", date(2026, 12, 2))
    assert isinstance(result, Invalid)
    assert "2027年12月1日" in result.reason and result.suggestion == "2027-12-01"
    assert validators.date_range("2027-12-01", date(2026, 12, 2)) == Valid("2027-12-01", "2027年12月1日")


def test_date_hint_examples_are_in_the_future() -> None:
    today = date(2027, 3, 10)
    hint = reason(validators.date_range("下周", today))
    assert "2027-03-24" in hint and "2026" not in hint
    assert validators.example_dates(today)["example_range"] == "3月24日到3月28日"
