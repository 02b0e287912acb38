"""Issue 9 round 8 (what was kept): an example question staff attached repeats the resident's
wording and so outweighs the referral words in it; attaching leaves out the clauses that carried
masked personal data. Examples are written for these tests, not taken from evaluation sets."""

from __future__ import annotations

import shutil

import pytest

from bot.knowledge import BUNDLED_KNOWLEDGE, load_knowledge
from bot.matcher import matcher_for
from bot.review import attach_question, example_text


@pytest.mark.parametrize(
    ("kept", "example"),
    [
        ("卫生院的病案谁指导归档？我电话139****1234", "卫生院的病案谁指导归档？"),
        ("我手机139****1234，卫生院的病案谁指导归档", "卫生院的病案谁指导归档"),
        ("卫生院的病案谁指导归档", "卫生院的病案谁指导归档"),
    ],
)
def test_attached_example_leaves_out_masked_personal_data(kept, example):
    assert example_text(kept) == example


@pytest.fixture
def attached(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, root)
    attach_question(root, "baixiang/duty/15", "卫生院门诊室的档案谁指导？我电话139****1234")
    return matcher_for(load_knowledge(root))


def test_short_question_with_referral_words_read_by_the_labelled_model_before_attaching():
    """Declined in round 8 for 门诊 (卫健's word); since round 24 the labelled questions' model
    reads it as the archive guidance staff attach it to below (its clear pick)."""
    r = matcher_for(load_knowledge()).match("卫生院门诊室的档案谁指导")
    assert (r.intent, r.top[0].id) == ("answer", "baixiang/duty/15")
    assert any(note.startswith("linear:") for note in r.notes)


def test_attached_wording_outweighs_referral_words(attached):
    r = attached.match("卫生院门诊室的档案谁指导")
    assert r.intent == "answer" and r.top[0].id == "baixiang/duty/15"
    assert "attached example" in r.notes


@pytest.mark.parametrize("question", ["卫生院挂号怎么预约", "病历复印去哪里办"])
def test_other_wordings_with_the_referral_words_still_referred(attached, question):
    r = attached.match(question)
    assert r.intent == "decline" and r.referral == "weijian"


@pytest.fixture(scope="module")
def matcher():
    return matcher_for(load_knowledge())


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("镇里发来一份关于河道采砂的文电，县政府办公室是哪个股室收文办理", "baixiang/duty/1"),
        ("政协委员关于农村公交的提案交到县里，县政府办公室由哪个股室承办", "baixiang/duty/7"),
    ],
)
def test_asked_which_of_our_units_handles_it_is_answered(matcher, question, entry):
    r = matcher.match(question)
    assert r.intent == "answer" and r.top[0].id == entry


def test_asked_of_us_about_another_office_business_and_unsure_is_referred(matcher):
    r = matcher.match("人防办管不管社保缴费")
    assert r.intent == "decline" and r.referral == "renshe_tuixiu"  # 人社局, pensions


@pytest.mark.parametrize(
    ("question", "referral"),
    [
        ("我爸的档案工资当年是怎么定的", "renshe_tuixiu"),
        ("村委会的村务公开多久公布一次", "hotline_12345"),
        ("厂子的环评批下来没有", "huanbao"),
    ],
)
def test_other_bodies_words_round8_are_referred(matcher, question, referral):
    r = matcher.match(question)
    assert r.intent == "decline" and r.referral == referral


def test_permit_obtained_by_bribery_is_the_permits_rule_not_a_corruption_report(matcher):
    r = matcher.match("靠行贿拿到的档案出卖许可会不会被撤销")
    assert r.intent == "answer" and r.top[0].id == "baixiang/policy/9"


def test_asking_clause_naming_its_entry_outweighs_a_longer_story(matcher):
    r = matcher.match("我们厂去年扩建时没按要求配建防空地下室，被查了，人防罚款的额度怎么算")
    assert r.intent == "answer" and r.top[0].id == "baixiang/policy/5"


def test_synonym_key_straddling_two_words_is_not_read():
    a = matcher_for(load_knowledge()).analyser
    assert "人大代表建议" not in a.analyse("行政复议案件多长时间审结").repaired  # 复议|案件, not 议案
    assert "人大代表建议" in a.analyse("我们提的议案谁来办").repaired


def test_misspelt_appeal_case_goes_to_the_legal_duty(matcher):
    r = matcher.match("告县政府的行政复意案件归哪个股室")
    assert r.intent == "answer" and r.top[0].id == "baixiang/duty/13"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("今年六月九号档案馆有什么活动", "baixiang/service/6"),
    ],
)
def test_everyday_words_for_archive_day_and_training(matcher, question, entry):
    r = matcher.match(question)
    assert r.intent == "answer" and r.top[0].id == entry


def test_teaching_a_community_archivist_offers_training_and_guidance(matcher):
    """Since round 10 the guidance duty's own examples (业务指导 of units' archives) fit this as
    well as the training service: both are offered, neither is declined."""
    r = matcher.match("社区的档案员不会归档，县里能派人来教教吗")
    assert r.intent in ("answer", "suggest")
    assert "baixiang/service/8" in [c.id for c in r.top[:2]]


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # selling as waste paper is unlawful (enforcement), not the permit to sell (policy/9)
        ("镇上有家企业把旧档案当废品卖了，谁来查处", {"baixiang/policy/10", "xiangyin/duty/2"}),
        ("馆里的老档案能扫描成电子的吗", {"xiangyin/duty/4"}),
    ],
)
def test_everyday_words_for_unlawful_selling_and_digitising(matcher, question, entry):
    r = matcher.match(question)
    assert r.intent == "answer" and r.top[0].id in entry


def test_english_question_about_tasks_the_leaders_assign(matcher):
    r = matcher.match("Does the Baixiang government office deal with tasks the county leaders assign?")
    assert r.intent == "answer" and r.top[0].id == "baixiang/duty/12"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("中考成绩公开查询在哪个网站", "decline"),  # a school's business that happens to say 公开
        ("想申请公开县里给学校拨的经费", "answer"),  # a disclosure request about schools
    ],
)
def test_education_words_beside_disclosure(matcher, question, intent):
    r = matcher.match(question)
    assert r.intent == intent
    if intent == "decline":
        assert r.referral == "jiaoyu"
    else:
        assert r.top[0].id == "baixiang/service/1"


def test_archives_into_homes_said_briefly(matcher):
    r = matcher.match("奶奶有一箱老信件，听说有个档案进家庭的咨询活动，在哪里")
    assert r.intent == "answer" and r.top[0].id == "baixiang/service/6"


def test_evacuation_place_means_the_evacuation_base(matcher):
    r = matcher.match("万一打仗，咱县的疏散点设在哪儿")
    assert r.intent == "answer" and r.top[0].id == "baixiang/service/3"
