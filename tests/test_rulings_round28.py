"""Round 28, administrators' rulings in the knowledge (`knowledge/intents.yaml`, `chat.yaml`,
`referrals.yaml`, `bilingual.yaml`) and one word list (`bot.matcher.unknown_topic`), from blind
questions the matcher got wrong:

- Records kept in a neighbouring county (存在邻县、隔壁县) are looked up in another archive.
- Suing a county bureau (跟局里打官司) is an administrative lawsuit, ours; a civil case is the court's.
- Whether the office works on a holiday or a market day (国庆节上班不, 大年初六开门吗), when a
  reading room opens, whether an office has an enquiry line: contact questions.
- "转给…的同志" asks for a person.
- A room or a box of unclaimed records (一屋子档案, 一箱子档案) is how many, not a kind of record
  another body keeps.
- "想申请…的预算明细" asks for government information, whatever the subject.
- A 柏乡 resident asking whether the county archive (县档案馆) holds a record asks about 柏乡's
  archive, not a lookup elsewhere.
- "Bank" is a bank, not a bank card; a factory's data handed over (移交) is archive business.
- A pre-sale permit (预售许可证) is the housing bureau's; a house's records (房产档案) are the
  real-estate registry's.
- Old papers donated to 柏乡's archive are 柏乡's (第15项): 湘阴's collection entry holds every word
  of such a question, and a scored entry of the other county no longer outweighs the service
  the question asks for when it names a county (`bot.matcher.decide`).
- Pinyin initials of the office's terms (xxgk, xzfy, ydcd) are read as the terms
  (`bilingual.yaml`); "what time … close" and "tel no" ask for contact details; a month without
  an answer to an application asks its progress; "想查下…的红头文件" asks for a document; a
  greeting followed by "any …?" is a question; 垃圾分类 and 工商档案 are other offices'.
- A speech for a wedding, a graduation or a company's year-end party, and a bank's, a company's
  or a property manager's own disclosures, are not the office's business, whatever our words
  they share (two `frames` referrals); the county head's speech and a company's application to
  the government stay ours.
- An ID card used to look up a parent's records (拿我的身份证帮他查) or a fraud feared in passing
  (别是骗子吧) leaves an archive question ours (`gongan`'s `unless`).
- In English, a marriage record kept in another city's archives is an archive question (not a
  marriage registration), and a shop's burglar alarm is not an air-raid siren (`bilingual.yaml`)."""

from __future__ import annotations

import pytest


def test_records_kept_in_a_neighbouring_county_are_looked_up_elsewhere(matcher) -> None:
    result = matcher.match("我家老宅子的分地材料好像存在隔壁县，当年归那边管，咋查")
    assert result.intent == "answer" and result.top[0].id == "baixiang/service/9"


def test_suing_a_county_bureau_is_an_administrative_lawsuit(matcher) -> None:
    result = matcher.match("我们公司跟县里一个局打官司，判下来了他们不执行，谁来监督")
    assert result.intent != "decline" and result.top[0].id == "baixiang/policy/3"


def test_a_civil_appeal_is_still_the_courts(matcher) -> None:
    result = matcher.match("他打官司输了不服判决，要上诉")
    assert result.intent == "decline" and result.referral == "fayuan"


@pytest.mark.parametrize(
    "question",
    ["国庆节县政府上班不", "大年初六档案馆开门吗", "湘阴档案馆阅览室几点开门", "人防办有咨询电话吗"],
)
def test_holiday_hours_reading_rooms_and_enquiry_lines_are_contact_questions(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == "chat/contact", question


def test_forward_me_to_a_colleague_asks_for_a_person(matcher) -> None:
    result = matcher.match("帮我转给信息公开的同志，我电话说")
    assert result.top[0].id == "chat/human"


def test_a_box_of_unclaimed_records_is_the_archives_business(matcher) -> None:
    result = matcher.match("拆迁的老房子里翻出一箱子档案，没人要，咋办")
    assert result.intent != "decline" and result.top[0].id == "baixiang/duty/15"


def test_applying_for_a_budgets_details_is_an_information_request(matcher) -> None:
    result = matcher.match("想申请县里今年修路的预算明细")
    assert result.intent == "answer" and result.top[0].id == "baixiang/service/1"


def test_a_baixiang_resident_asking_the_county_archive_asks_baixiangs(matcher) -> None:
    result = matcher.match("我娘是柏乡人，当年的招工登记县档案馆里查得着吗")
    assert result.top[0].id == "baixiang/duty/15"


def test_a_banks_records_asked_about_as_electronic_records_are_not_referred(matcher) -> None:
    result = matcher.match("Bank的流水单算电子档案吗")
    assert result.intent != "decline" and result.top[0].id in {"baixiang/policy/7", "xiangyin/policy/2"}


def test_a_lost_bank_card_is_still_the_banks(matcher) -> None:
    result = matcher.match("I lost my bank card")
    assert result.intent == "decline" and result.referral == "yinhang"


def test_a_factorys_data_handed_over_is_archive_business(matcher) -> None:
    result = matcher.match("厂里系统里的电子数据要不要一起移交")
    assert result.intent != "decline"


def test_an_organisations_own_minutes_are_still_its_own_affair(matcher) -> None:
    result = matcher.match("公司内部开会的会议纪要怎么写")
    assert result.intent == "decline"


def test_a_pre_sale_permit_is_the_housing_bureaus(matcher) -> None:
    result = matcher.match("预售许可证怎么办")
    assert result.intent == "decline" and result.referral == "zhujian"


@pytest.mark.parametrize(
    "question", ["奶奶留下的老书信想捐给柏乡档案局", "柏乡老照相馆关门了，几千张老底片想捐给县档案馆"]
)
def test_a_donation_to_baixiangs_archive_is_baixiangs(matcher, question: str) -> None:
    # 柏乡 publishes no collection entry of its own; 湘阴's 征集 holds every word and is still 湘阴's
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == "baixiang/duty/15", question


def test_a_donation_to_xiangyins_archive_stays_xiangyins(matcher) -> None:
    result = matcher.match("奶奶留下的老书信想捐给湘阴档案馆")
    assert result.top[0].id == "xiangyin/duty/6"


def test_a_houses_records_are_the_real_estate_registrys(matcher) -> None:
    result = matcher.match("买二手房前想看看房产档案，去哪查")
    assert result.intent == "decline" and result.referral == "budongchan"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("xxgk怎么办", "baixiang/service/1"),
        ("xzfy归哪个部门管", "baixiang/duty/13"),
        ("我想问下ydcd的事", "baixiang/service/9"),
    ],
)
def test_pinyin_initials_of_the_offices_terms_are_read(matcher, question: str, entry: str) -> None:
    result = matcher.match(question)
    assert result.intent != "decline" and result.top[0].id == entry, question


@pytest.mark.parametrize(
    "question",
    ["what time does the archives bureau close on saturdays", "can you give me the tel no of the office"],
)
def test_english_opening_hours_and_phone_numbers_are_contact_questions(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.top[0].id == "chat/contact", question


def test_a_month_without_an_answer_to_an_application_asks_its_progress(matcher) -> None:
    result = matcher.match("我交的公开申请都两个多月了怎么还没答复")
    assert result.top[0].id == "chat/status"


def test_asking_to_look_up_a_government_document_is_an_information_request(matcher) -> None:
    result = matcher.match("想查下县里管电动车上牌的红头文件")
    assert result.intent == "answer" and result.top[0].id == "baixiang/service/1"


def test_a_greeting_then_an_english_question_is_the_question(matcher) -> None:
    result = matcher.match("Hello, any records of my grandfather's land in the Baixiang archives?")
    assert result.top and not result.top[0].id.startswith("chat/")


def test_a_greeting_with_small_talk_is_still_a_greeting(matcher) -> None:
    assert matcher.match("hello, got a minute?").top[0].id == "chat/greeting"


@pytest.mark.parametrize(
    ("question", "referral"), [("垃圾分类几月份开始", "chengguan"), ("公司的工商档案去哪调", "shichang")]
)
def test_waste_sorting_and_company_registration_files_are_referred(
    matcher, question: str, referral: str
) -> None:
    result = matcher.match(question)
    assert result.intent == "decline" and result.referral == referral, question


def test_an_english_application_never_answered_asks_its_progress(matcher) -> None:
    assert (
        matcher.match("I applied for the records a month ago and nobody has replied").top[0].id
        == "chat/status"
    )


@pytest.mark.parametrize(
    "question", ["闺女结婚，婚礼上我要讲几句，讲话稿你们能帮着写吗", "孩子毕业典礼上的发言稿能帮忙写不"]
)
def test_a_speech_for_a_private_occasion_is_not_the_county_leaders(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "decline" and result.referral == "non_government_speeches", question


def test_the_county_heads_speech_is_still_ours(matcher) -> None:
    assert matcher.match("县长在大会上的讲话稿是谁起草的").top[0].id == "baixiang/duty/5"


@pytest.mark.parametrize("question", ["银行有没有信息披露的义务", "小区物业的账目我能申请信息公开吗"])
def test_a_companys_or_a_banks_own_disclosure_is_not_government_information(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "decline" and result.referral == "non_government_disclosure", question


@pytest.mark.parametrize(
    "question", ["我们公司想向县政府申请公开一份批文", "以单位名义申请信息公开要带营业执照吗"]
)
def test_a_company_applying_to_the_government_is_still_an_application(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == "baixiang/service/1", question


@pytest.mark.parametrize(
    "question",
    [
        "我妈腿脚不好，我拿自己的身份证能帮她查当年的招工档案吗",
        "有人说县里要来检查村里的老档案归档，别是骗子吧",
    ],
)
def test_an_id_card_or_a_fraud_mentioned_in_passing_leaves_an_archive_question_ours(
    matcher, question: str
) -> None:
    result = matcher.match(question)
    assert result.intent != "decline", question


@pytest.mark.parametrize("question", ["身份证丢了怎么补", "我被骗子骗了钱怎么办"])
def test_an_id_card_or_a_fraud_asked_about_is_still_the_polices(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "decline" and result.referral == "gongan", question


def test_an_english_marriage_record_kept_elsewhere_is_an_archive_question(matcher) -> None:
    result = matcher.match("My parents' marriage record is kept in the Changsha archives, can you fetch it?")
    assert result.intent != "decline" and result.top[0].id in {"xiangyin/duty/5", "baixiang/service/9"}


def test_an_english_marriage_registration_is_still_civil_affairs(matcher) -> None:
    result = matcher.match("Where do I register my marriage?")
    assert result.intent == "decline" and result.referral == "minzheng"


def test_a_shops_burglar_alarm_is_not_an_air_raid_siren(matcher) -> None:
    result = matcher.match("the burglar alarm in my shop keeps going off at night, who can fix it")
    assert result.intent == "decline"
