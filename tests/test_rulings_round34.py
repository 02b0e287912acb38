"""Round 34: the labelled questions' vote may read another body's hours as ours ("银行中午开吗"):
a contact answer it gives is referred like one the patterns give, unless the question speaks to
us ("你们在县城哪条街 我坐班车过来"). An administrators' pairing of words ("房东+复议") is their
ruling, and the linear model's clear pick does not overrule it. The air-defence doors of a
garage (密闭门, 人防门) are 人防工程; old tapes to be sold abroad are the archives' export rule,
not a documentary's business.

The questions are the administrators' own, not from any evaluation set."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("question", "referral"),
    [("银行中午开吗", "hotline_12345"), ("学校过年放几天假", "jiaoyu"), ("县医院中午上班吗", "weijian")],
)
def test_another_bodys_hours_are_referred_whoever_read_them(matcher, question: str, referral: str) -> None:
    result = matcher.match(question)
    assert result.intent == "decline" and result.referral == referral, question


@pytest.mark.parametrize("question", ["你们在县城哪条街 我坐班车过来", "档案馆中午开吗", "你们中午开门吗"])
def test_our_own_hours_and_address_stay_the_contact_card(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == "chat/contact", question


def test_a_pairing_of_words_is_a_ruling_the_model_does_not_overrule(matcher) -> None:
    result = matcher.match("房东扣着押金不退，我能申请复议吗")
    assert result.intent == "decline" and result.referral == "fayuan_caipan"
    assert not any(n.startswith("linear:") for n in result.notes)


@pytest.mark.parametrize("question", ["车库里的密闭门坏了该谁修", "小区地下车库的人防门关不上了找谁"])
def test_air_defence_doors_are_civil_air_defence_works(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == "baixiang/policy/1", question


def test_old_tapes_sold_abroad_are_the_archives_export_rule(matcher) -> None:
    result = matcher.match("有人出高价收我家的老录像带，要带到国外拍纪录片，能卖吗")
    assert result.intent == "answer" and result.top[0].id == "baixiang/policy/9"


def test_a_documentarys_siren_is_still_not_ours(matcher) -> None:
    result = matcher.match("纪录片里的防空警报是真的吗")
    assert result.intent == "decline" and result.referral == "non_government_games"
