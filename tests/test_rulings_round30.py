"""Round 30, administrators' rulings in the knowledge (`knowledge/chat.yaml`, `intents.yaml`,
`referrals.yaml`, `synonyms.yaml`, `departments/baixiang.yaml`), from blind questions the matcher
got wrong, each tested here in other words:

- "喂 您好 这里是人防办吧 我想咨询个事" and "zai bu zai, xiang wen xia" only greet; "我能找你们办些啥"
  and "what sort of documents can you help me get" ask what the assistant does; "给我回个电话"
  and "找个管事的人" ask for a person, not for the phone numbers.
- A phone's own alert switch (地震预警开关, 紧急警报怎么关掉) and a trading app's price alert are
  the phone's or the app's settings, not the county's warning messages or sirens; the county's
  siren and its warning texts stay ours.
- A speech at a reunion, a company's annual report on its website, a court's preservation ruling
  "appealed by 复议", a guard's wages, a hospital's case notes and social-insurance records moved
  to another city are another office's or nobody's.
- A school's or a kindergarten's archive room (档案室) is archive work, not the education bureau's;
  where another office's archive is (城建档案馆在哪) is no question for our address.
- Papers handed over to or sold from an archive (交给县档案馆, 卖给造纸厂) are no request for a
  government document; a backup kept in another place (异地备份) is no cross-archive lookup.
- A fine under the air-defence basement rules (防空地下室) is no traffic ticket; a car radio
  (车载台) is radio administration.
- The cross-archive service says which records may be looked up: those open to the public
  (normally after 25 years, 档案法 Art. 27, DOMAIN.md) or one's own; asked when records open,
  the chat answers that from `guidance.yaml` (a fact with `source: text`, `bot.guidance`).
- A shop's fire alarm (火警), a fire or extinguishing drill (消防演练, 灭火演练) and a hospital's
  first-aid drill (急救演练) frame the whole question as the fire brigade's or the health
  bureau's, whatever it says of alarms and drills: `frames` may list some of an entry's keywords
  rather than all of them. With air defence or disaster prevention named, the drill is ours."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("喂 您好 这里是人防办吧 我想咨询个事", "chat/greeting"),
        ("zai bu zai, xiang wen xia", "chat/greeting"),
        ("我能找你们办些啥", "chat/help"),
        ("What sort of documents can you help me get?", "chat/help"),
        ("麻烦让档案馆的同志给我回个电话", "chat/human"),
        ("找个管事的人跟我说", "chat/human"),
    ],
)
def test_chat_in_other_words(matcher, question: str, entry: str) -> None:
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == entry, question


def test_a_greeting_with_the_question_is_the_question(matcher) -> None:
    result = matcher.match("喂 您好 这里是人防办吧 我想咨询个事，防空洞在哪")
    assert result.top and not result.top[0].id.startswith("chat/")


@pytest.mark.parametrize(
    ("question", "referral"),
    [
        ("华为手机的预警开关在哪里", "non_government_phone_alerts"),
        ("手机老弹紧急警报，怎么关掉", "non_government_phone_alerts"),
        ("同学聚会让我讲几句，有现成的讲话稿吗", "non_government_speeches"),
        ("公司年报要在官网公开哪些内容", "non_government_disclosure"),
        ("法院下的财产保全裁定，不服能复议吗", "fayuan_caipan"),
        ("门卫一个月能挣多少钱", "non_government"),
        ("老家县医院的病历能异地调吗", "weijian"),
        ("社保档案转到外地怎么办", "renshe_tuixiu"),
    ],
)
def test_others_business_sharing_our_words_is_referred(matcher, question: str, referral: str) -> None:
    result = matcher.match(question)
    assert result.intent == "decline" and result.referral == referral, question


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("预警短信怎么关掉", "baixiang/service/2"),
        ("县里的防空警报怎么关掉，太吵了", "baixiang/duty/14"),
    ],
)
def test_the_countys_warning_texts_and_sirens_stay_ours(matcher, question: str, entry: str) -> None:
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == entry, question


def test_a_kindergartens_archive_room_is_archive_work(matcher) -> None:
    result = matcher.match("幼儿园档案室怎么建，县里有人指导吗")
    assert result.intent != "decline" and result.referral != "jiaoyu"


@pytest.mark.parametrize(
    "question", ["家里翻出一摞老公文，能交给县档案馆吗", "我收来一袋盖公章的旧文件，能卖给造纸厂吗"]
)
def test_papers_handed_over_or_sold_are_no_information_request(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.top and result.top[0].id != "baixiang/service/1", question


def test_a_backup_kept_elsewhere_is_no_cross_archive_lookup(matcher) -> None:
    result = matcher.match("电子档案要做异地备份吗，档案局怎么要求")
    assert result.top and result.top[0].id != "baixiang/service/9"


def test_a_fine_under_the_air_defence_basement_rules_is_no_traffic_ticket(matcher) -> None:
    result = matcher.match("人防办依据防空地下室的规定开的罚单，不服怎么办")
    assert result.intent != "decline" and result.referral != "cheguansuo"


def test_another_offices_archive_asked_where_is_not_our_address(matcher) -> None:
    result = matcher.match("竣工资料要交城建档案馆一份，城建档案馆在哪")
    assert result.intent == "decline" and result.referral == "zhujian"


def test_a_car_radio_is_radio_administration(matcher) -> None:
    result = matcher.match("车载电台要办什么手续")
    assert result.intent == "answer" and result.top[0].id == "baixiang/duty/9"


def test_the_lookup_service_says_which_records_are_open(knowledge) -> None:
    from bot.qa import answer_question

    reply = answer_question(knowledge, "异地查档能查哪些档案")
    assert reply.entry_id == "baixiang/service/9" and "25年" in reply.text and "档案法" in reply.text


@pytest.mark.parametrize(
    "question", ["别人家的老档案是不是要满25年才能查", "县档案馆的档案多少年以后对外开放"]
)
def test_the_chat_answers_when_records_open_from_the_law(engine, question: str) -> None:
    from tests.dialog_support import say, text_of

    text = text_of(say(engine, question))
    assert "满25年向社会开放" in text and "《档案法》第二十七条" in text, question


@pytest.mark.parametrize(
    ("question", "referral"),
    [
        ("超市里火警铃一直在响，是不是演习啊", "xiaofang"),
        ("我们酒店下个月搞灭火演练，员工都要到场吗", "xiaofang"),
        ("The fire alarm in our hotel keeps going off, is it a drill?", "xiaofang"),
        ("镇卫生院搞急救演练，村医要不要去", "weijian"),
    ],
)
def test_another_bodys_alarm_or_drill_is_theirs_whatever_else_it_says(matcher, question, referral) -> None:
    result = matcher.match(question)
    assert result.intent == "decline" and result.referral == referral, question


@pytest.mark.parametrize(
    "question",
    [
        "工厂想和县里一起搞防空加消防的疏散演练，怎么报名",
        "我们厂想参加 fire drill，就是县里的防灾演习，怎么报名",
    ],
)
def test_a_drill_with_air_defence_or_disaster_prevention_named_stays_ours(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == "baixiang/service/4", question
