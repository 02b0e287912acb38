"""Round 36: a contact question that names another body by its kind (老干局, 图书馆, 中院, 重点办) or one
of our kinds of office in another place (省档案馆, 市档案馆) asks for that body's details, which
are not on our card: it is referred. Our own offices, named or spoken to, keep the card. Small
talk in a few more phrasings: who the assistant is, a goodbye, nobody answering, "still there?",
when someone is in, a promised extension, thanks in French.

The questions are the administrators' own, not from any evaluation set."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "question",
    [
        "县老干局电话多少",
        "县图书馆周末几点开门",
        "邢台中院立案庭电话",
        "湖南省档案馆在长沙哪条街",
        "县重点办在哪个楼",
        "征收办的电话有没有",
    ],
)
def test_another_bodys_details_are_referred(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "decline" and result.referral == "hotline_12345", question


@pytest.mark.parametrize(
    ("question", "referral"), [("县公安局电话多少", "gongan"), ("县信访办在哪个楼", "xinfang")]
)
def test_a_body_the_referrals_name_goes_to_that_body(matcher, question: str, referral: str) -> None:
    result = matcher.match(question)
    assert result.intent == "decline" and result.referral == referral, question


@pytest.mark.parametrize(
    "question", ["档案馆礼拜六开门吗", "人防办电话多少", "你们单位在哪栋楼", "档按局在哪 坐几路车"]
)
def test_our_own_details_stay_the_contact_card(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == "chat/contact", question


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("你叫什么名字", "chat/help"),
        ("俺走了啊", "chat/thanks"),
        ("咋没人回", "chat/human"),
        ("还在不", "chat/greeting"),
        ("什么时候有人", "chat/contact"),
        ("说好的延期到几号", "chat/status"),
        ("Merci, très utile", "chat/thanks"),
    ],
)
def test_small_talk_in_a_few_more_phrasings(matcher, question: str, entry: str) -> None:
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == entry, question
