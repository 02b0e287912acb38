"""Round 26, administrators' rulings in the knowledge (`knowledge/chat.yaml`,
`knowledge/referrals.yaml`), from blind questions the matcher got wrong:

- "号码多少" asked of the assistant is the office's phone (chat/contact), as "电话多少" is; another
  number's 号码 (an ID card's, a number plate's) is still that office's business.
- A traffic fine appealed by 行政复议 is the county government's (第13项 承办县政府行政复议案件),
  whatever 交警 did; a driving licence's points are still 车管所's.
- A film's genre (恐怖片, 抗战片) or a filming location frames the question as a film's, as 电影里
  and 纪录片 did (`non_government_games`); the county's shelters offered for filming, or a film
  shown in the 人防宣传月, stay ours.
- Which shop sells or mends a radio, and the data of one's own phone, till or parcel locker, are
  shopping and repairs (`non_government_shops`), not 无线电管理 or the archives' data backup;
  a unit's archive data, interference and licences stay ours. A question such a word frames
  stays declined whatever the labelled questions' vote (`SecondOpinion.weighs`)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "question", ["号码多少", "你们号码是多少呀", "联系电哈多少", "俺眼神不好 想打电话问问 号码多少"]
)
def test_asking_for_the_number_is_asking_for_the_office_phone(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == "chat/contact", question


@pytest.mark.parametrize(
    ("question", "referral"), [("身份证号码是多少位", "gongan"), ("车牌号码怎么选", "cheguansuo")]
)
def test_another_numbers_number_stays_with_its_office(matcher, question: str, referral: str) -> None:
    result = matcher.match(question)
    assert result.intent == "decline" and result.referral == referral, question


@pytest.mark.parametrize("question", ["交警罚了我三百 能不能复议", "被交警队扣了车 不服 想申请复议"])
def test_a_traffic_fine_appealed_is_the_county_governments_reconsideration(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent != "decline" and result.top[0].id == "baixiang/duty/13", question


def test_a_licence_question_is_still_the_traffic_polices(matcher) -> None:
    result = matcher.match("驾照扣了六分怎么消")
    assert result.intent == "decline" and result.referral == "cheguansuo"


@pytest.mark.parametrize(
    "question",
    ["看了个防空洞的恐怖片 那是在哪拍的", "抗战片里拉的防空警报是真的吗", "这部动画片里的防空洞取景地在哪"],
)
def test_a_films_shelter_or_siren_is_declined(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "decline" and result.referral == "non_government_games", question


@pytest.mark.parametrize("question", ["人防宣传月放不放抗战片", "县里的防空洞能借给剧组拍战争片吗"])
def test_the_countys_own_shelters_and_campaign_stay_ours(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent != "decline" and result.top[0].id.startswith("baixiang/"), question


@pytest.mark.parametrize(
    "question",
    [
        "对讲机老串台 县城哪家店能修好",
        "收银机里的数据全没了能找回来吗",
        "which shop in town sells walkie-talkies",
    ],
)
def test_a_shops_radio_or_ones_own_devices_data_is_declined(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "decline" and result.referral == "non_government_shops", question
    assert not any(note.startswith("labelled:") for note in result.notes)  # the vote did not weigh it


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("单位的档案数据丢了能恢复吗", "baixiang/service/10"),
        ("对讲机老被干扰 哪家店能查出来", "baixiang/duty/9"),
    ],
)
def test_a_units_archive_data_and_interference_stay_ours(matcher, question: str, entry: str) -> None:
    result = matcher.match(question)
    assert result.intent != "decline" and result.top[0].id == entry, question
