"""Issue 9 round 11: an organisation's own affairs are not this office's business; English
questions keep their content words, not their grammar; small talk in a few more phrasings.
Questions are written for these tests, not taken from evaluation sets."""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeError, load_knowledge
from bot.matcher import matcher_for
from tests.knowledge_support import edited_knowledge


@pytest.fixture(scope="module")
def matcher():
    return matcher_for(load_knowledge())


@pytest.mark.parametrize(
    "question",
    [
        "我们公司内部的周例会记录该用什么格式？",
        "网店后台的客户数据多久备份一次合适",
        "工地的夜班值班表怎么排合理",
        "小区业委会的收支明细业主能要求看吗",
    ],
)
def test_an_organisations_own_affairs_go_to_the_hotline(matcher, question):
    r = matcher.match(question)
    assert r.intent == "decline"
    assert r.referral == "hotline_12345"
    assert "others' affairs" in r.notes


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # the office's business named beside the organisation: not its own affair
        ("我们公司的档案堆成山了，柏乡档案局能派人来指导吗", None),
        ("学校想搞一次防空疏散演练，能请人防办来指导吗", "baixiang/service/"),
    ],
)
def test_the_office_business_named_beside_an_organisation_is_ours(matcher, question, entry):
    r = matcher.match(question)
    assert "others' affairs" not in r.notes
    assert r.intent != "decline"
    if entry:
        assert r.top[0].id.startswith(entry)


def test_others_affairs_patterns_are_validated_on_load(tmp_path):
    copy = edited_knowledge(tmp_path, "intents.yaml", "others_affairs:\n", "others_affairs:\n  - '(未闭合'\n")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(copy)
    assert "intents.yaml" in str(err.value) and "others_affairs" in str(err.value)


def test_english_grammar_words_do_not_count(matcher):
    words = matcher.analyse("Can I send the originals overseas, or does that need approval?").words
    assert not {"or", "that", "does", "can", "the"} & set(words)
    assert "出境" in words and "原件" in words


def test_english_question_about_foreign_guests_finds_the_reception_duty(matcher):
    r = matcher.match("Which office looks after foreign visitors to the county government?")
    assert r.top and r.top[0].id == "baixiang/duty/10"


def test_a_shelter_turned_sightseeing_spot_is_not_the_shelter_service(matcher):
    r = matcher.match("县里那个防空洞改的纪念馆能去参观吗，要门票不")
    assert "service" not in r.notes
    assert not (r.intent == "answer" and r.top[0].id == "baixiang/policy/1")


def test_question_scaffolding_does_not_pull_another_offices_record(matcher):
    r = matcher.match("退伍档案找不着了咋办")
    assert r.intent == "decline" and r.referral == "tuiyi"


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("Thank you so much, that really helped", "chat/thanks"),
        ("谢射，你们真好", "chat/thanks"),
        ("你是干啥用的", "chat/help"),
        ("现在有没有工作人员在线", "chat/human"),
        ("How is my request going?", "chat/status"),
        ("我交的查档申请到哪了", "chat/status"),
        ("我的申请办得怎么样了", "chat/status"),
    ],
)
def test_small_talk_phrasings(matcher, message, intent):
    r = matcher.match(message)
    assert r.intent == "answer" and r.top[0].id == intent


@pytest.mark.parametrize(
    "message",
    [
        "Thanks, how do I apply for government information?",  # a question after the thanks
        "信息公开申请到哪里交",  # where to hand it in, not its progress
    ],
)
def test_questions_are_not_taken_for_small_talk(matcher, message):
    r = matcher.match(message)
    assert not (r.top and r.top[0].id.startswith("chat/"))


def test_the_office_the_resident_names_picks_its_twin_rule(matcher):
    """人防办 and 档案局 each publish 行政处罚裁量权规范; a resident who names 人防办 means its rule,
    even when the archive's twin shares more of the question's words."""
    assert matcher.match("人防办罚款有没有标准，罚多少要集体讨论").top[0].id == "baixiang/policy/5"
    assert matcher.match("档案局罚款有没有标准，罚多少要集体讨论").top[0].id == "baixiang/policy/11"


def test_how_a_case_proceeds_is_no_question_of_the_way_to_the_office(matcher):
    r = matcher.match("被人防办查了，后面怎么走流程，可以申请听证不")
    assert "contact" not in r.notes and r.top[0].id == "baixiang/policy/4"
    assert "contact" in matcher.match("人防办怎么走").notes


def test_an_english_question_reads_its_unless_words_in_its_own_translation(matcher):
    """The synonyms add 人防工程 for 防空洞; that addition must not void 文旅's 人防 `unless`."""
    r = matcher.match("Can tourists visit the old air-raid shelter museum? Is there a ticket?")
    assert r.intent == "decline" and r.referral == "wenlv"


@pytest.mark.parametrize("clause", ["我开修车铺的", "俺家做豆腐的", "我们开了个小饭馆的"])
def test_what_the_resident_does_for_a_living_is_no_topic(matcher, clause):
    """The trade in a self-introduction is who asks; its words (修车, 饭馆) name no referral."""
    focused, _ = matcher.focus(clause + " 县里谁管无线电干扰")
    assert clause not in focused


def test_interference_asked_by_a_car_mechanic_is_the_radio_duty(matcher):
    r = matcher.match("我开修车铺的，对面装了个大天线，一开机我这收音机就滋滋响，县里谁管")
    assert r.intent == "answer" and r.top[0].id == "baixiang/duty/9"


def test_the_subject_of_a_proposal_is_no_referral(matcher):
    """校车 is the education bureau's word, but a proposal about school buses is handled here."""
    r = matcher.match("我是县人大代表，写了一份关于校车接送的代表建议，县政府哪个股承办？")
    assert r.intent == "answer" and r.top[0].id == "baixiang/duty/7"
    assert matcher.match("校车接送时间怎么安排的").referral == "jiaoyu"


def test_an_english_word_written_against_chinese_is_translated(matcher):
    """ "radio干扰": \\b finds no boundary between o and 干 (both word characters)."""
    r = matcher.match("radio干扰归哪个股管")
    assert "english:无线电" in r.notes and r.top[0].id == "baixiang/duty/9"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("公司的外宾来访接待找谁", "baixiang/duty/10"),  # an administrators' term (外宾) of a duty
        ("厂里的收音机被天线干扰了找谁", "baixiang/duty/9"),  # the radio duty's everyday words
        ("村里的红头文件在哪看", "baixiang/duty/1"),
    ],
)
def test_an_organisations_question_about_this_offices_duty_is_answered(matcher, question, entry):
    r = matcher.match(question)
    assert "others' affairs" not in r.notes
    assert r.top and r.top[0].id == entry


def test_only_offices_with_twin_rules_are_told_apart_by_name(matcher):
    """应急 (应急办) and 法制 (法制办) publish no twin rule: naming them favours no office."""
    assert set(matcher.decider._office.stems.values()) == {"人防", "档案"}
    assert "anchor preferred" in matcher.match("应急避难场所在哪里").notes


@pytest.mark.parametrize("clause", ["我们搞不清楚的", "我开的证明是假的"])
def test_clauses_ending_in_de_that_are_no_trade_stay(matcher, clause):
    focused, _ = matcher.focus(clause + " 找谁问")
    assert clause in focused


@pytest.mark.parametrize("message", ["Thank you, it is very helpful", "ok thanks", "thx 你们真好"])
def test_english_thanks_with_a_remark(matcher, message):
    r = matcher.match(message)
    assert r.intent == "answer" and r.top[0].id == "chat/thanks"


def test_an_example_question_outweighs_others_affairs(tmp_path):
    """Staff fix a wrong referral through the review loop by attaching the wording to an entry:
    the example's words become an entry's own terms and the repeated example is checked before
    the others' affairs patterns decline (either alone keeps the question answered)."""
    question = "工地的夜班值班表怎么排合理"
    assert "others' affairs" in matcher_for(load_knowledge()).match(question).notes
    anchor = "      - 夜里和节假日县政府有值班人员吗？\n"
    copy = edited_knowledge(tmp_path, "departments/baixiang.yaml", anchor, anchor + f"      - {question}\n")
    r = matcher_for(load_knowledge(copy)).match(question)
    assert r.intent == "answer" and r.top[0].id == "baixiang/duty/6"
