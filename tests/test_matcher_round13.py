"""Issue 9 round 13: small talk in any phrasing when it names no topic (chat.yaml's `cues`), and
referral words not read across the knowledge's own words. Questions are written for these
tests, not taken from evaluation sets."""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeError, load_knowledge
from bot.matcher import matcher_for
from bot.qa import answer_question
from tests.knowledge_support import edited_knowledge


@pytest.fixture(scope="module")
def matcher():
    return matcher_for(load_knowledge())


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        # thanks in words no pattern lists, dialect and Cantonese included
        ("好得很，多谢多谢", "chat/thanks"),
        ("晓得哒 谢谢你咯", "chat/thanks"),
        ("唔该你", "chat/thanks"),
        ("问完了，谢谢你们", "chat/thanks"),
        # greeting after a self-introduction and a first-time remark
        ("你好呀，我是刚从外省嫁过来的，头回用这个，有人在不", "chat/greeting"),
        # what the assistant is for, in dialect, after a story that asks nothing
        ("俺家是种大棚的 俺不懂这些 你们这是干啥的", "chat/help"),
        ("这个小程序能帮我办点啥", "chat/help"),
        ("hello, what can you do for me", "chat/help"),
        # a greeting after who greets, in one breath, or a greeting said in other words
        ("喂喂 能听见不 我是村东头的老李头", "chat/greeting"),
        ("今天不忙，来跟你打个招呼", "chat/greeting"),
        ("承蒙指点，不胜感激", "chat/thanks"),
        ("这个bot能干嘛", "chat/help"),
        # a person, after a story that asks nothing
        ("我年纪大了 看不清字 有没有人接个电话", "chat/human"),
        ("please transfer me to a human", "chat/human"),
        # where and when our own unit is, in words the contact patterns do not list
        ("档案馆搬家了吗 现在在哪儿", "chat/contact"),
        ("人防办有没有邮箱", "chat/contact"),
    ],
)
def test_small_talk_is_known_by_its_cue_when_nothing_else_is_a_topic(matcher, message, intent):
    r = matcher.match(message)
    assert r.intent == "answer"
    assert r.top[0].id == intent


@pytest.mark.parametrize(
    ("message", "not_intent"),
    [
        # the thanks comes with a question about our business
        ("谢谢，人防工程被人占了归谁管", "chat/thanks"),
        # a story naming our business, then "what is it": the business is asked about
        ("墙上贴着档案法宣传的海报，说有个纪念周，那是干嘛的", "chat/help"),
        # a self-introduction that asks something is the question
        ("你好，我是退休职工，想查我当年的档案", "chat/greeting"),
        # where published documents are read: since round 20 湘阴's reading room of the county's
        # published documents (档案局职责5), as residents asking so were filed; not the greeting
        ("你好，公开的文件在哪里看", "chat/greeting"),
        # one of our units named: what it handles, not what the assistant does
        ("人防办能管啥", "chat/help"),
        # an English question that also asks about email
        ("How do I apply for government information, and can I send it by email?", "chat/contact"),
    ],
)
def test_a_cue_beside_a_topic_is_no_small_talk(matcher, message, not_intent):
    r = matcher.match(message)
    assert r.intent != "decline"
    assert r.top and not r.top[0].id.startswith("chat/"), (not_intent, r.top)


@pytest.mark.parametrize(
    ("message", "entry"),
    [
        # a greeting before a request for a document: the service, not the greeting
        ("你好，我想申请公开一份县政府的文件", "baixiang/service/1"),
        # 人防 in 人防工程 is the works asked about, not the office's address
        ("人防工程在哪里", "baixiang/policy/1"),
        # thanks with a question still open, in Chinese and in English
        ("谢谢你，公开申请多久能答复", "baixiang/service/1"),
        ("thanks, what documents do I need to apply", "baixiang/service/1"),
        # the story names our business, and "what is it" asks about that
        ("墙上贴着档案法宣传的海报，说有个纪念周，那是干嘛的", "baixiang/service/7"),
    ],
)
def test_a_question_beside_a_cue_word_gets_its_own_answer(matcher, message, entry):
    r = matcher.match(message)
    assert r.top[0].id == entry


@pytest.mark.parametrize(
    "message",
    [
        # a greeting or thanks, then a short question: the question is asked, not the courtesy
        "你好，需要什么材料",
        "谢谢，可以改时间吗",
        # 还在吗 asks whether something still exists, it greets nobody
        "我的档案还在吗",
        # words that sound like small talk inside a question about our business
        "手续怎么走",  # 怎么走: the procedure, not the way to the office
        "当面交材料可以吗",  # 当面: handing in, not asking for a person
        "我搬家了，档案要转吗",  # 搬家: the resident moved, not the office
        "我可以查哪些档案",  # 可以查哪些 + a noun: what records, not what the assistant does
        "这个回执是干嘛的",  # 干嘛的 of a receipt, not of the assistant
        "你好我是来查人防工程资料的",  # the self-introduction says what is wanted
    ],
)
def test_a_cue_word_inside_a_question_is_no_small_talk(matcher, message):
    r = matcher.match(message)
    assert "cue" not in r.notes
    assert not (r.intent == "answer" and r.top[0].id.startswith("chat/")), r.top


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        # nothing but cue words, our unit's name and words about the assistant
        ("档案馆搬了吗", "chat/contact"),
        ("What is this?", "chat/help"),
        # a greeting with a question about the assistant itself is still a greeting
        ("你好，你是机器人吗", "chat/greeting"),
        # 唔该 closing a message thanks; opening a request it is "please"
        ("好的，唔该", "chat/thanks"),
        ("唔该", "chat/thanks"),
    ],
)
def test_small_talk_with_nothing_else_in_it_is_still_small_talk(matcher, message, intent):
    r = matcher.match(message)
    assert r.intent == "answer"
    assert r.top[0].id == intent


def test_a_lone_mm_is_no_cantonese():
    from bot.matcher.cantonese import to_mandarin

    assert to_mandarin("唔 好的") is None  # "唔，好的": Mandarin "mm, fine", not "不，好的"
    assert to_mandarin("好的 唔该") == "好的 谢谢"
    assert to_mandarin("唔该问下边度查档") == "请问下哪里查档"


def test_a_driving_schools_enrolment_is_the_traffic_polices_but_its_radios_are_ours(matcher):
    r = matcher.match("驾校怎么报名")
    assert r.intent == "decline"
    assert r.referral == "cheguansuo"
    r = matcher.match("驾校的教练车装了对讲机，频率要找谁报")
    assert r.top[0].id == "baixiang/duty/9"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # a global flag compiles alone but not joined with the intent's other cues
        ("cues: ['谢", "cues: ['(?i)谢"),
        # a group name used twice in one intent's cues
        ("'感恩', '感激'", "'(?P<x>感恩)', '(?P<x>感激)'"),
    ],
)
def test_cues_that_cannot_be_searched_together_are_refused_naming_the_field(tmp_path, old, new):
    path = edited_knowledge(tmp_path, "chat.yaml", old, new)
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(path)
    assert "chat.yaml" in str(err.value)
    assert "cues" in str(err.value)


def test_a_greeting_beside_another_offices_business_still_names_that_office(matcher):
    r = matcher.match("你好，我的身份证丢了")
    assert r.intent == "decline"
    assert r.referral == "gongan"


def test_a_request_beside_a_greeting_wins(matcher):
    assert matcher.match("你好，谢谢，能不能找个工作人员跟我说").top[0].id == "chat/human"


def test_a_cue_that_is_no_regular_expression_is_refused_naming_the_field(tmp_path):
    path = edited_knowledge(tmp_path, "chat.yaml", "cues: ['谢(", "cues: ['谢((")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(path)
    assert "chat.yaml" in str(err.value)
    assert "cues" in str(err.value)


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # 用电 is half of 用 + 电子档案, not the power company's
        ("我们单位现在都用电子档案了，档案局检查时看哪些方面", {"baixiang/policy/7", "xiangyin/policy/2"}),
        # 罚单 is half of 罚 + 单位, not the traffic police's
        ("人防办罚单位的钱超过多少要集体讨论", {"baixiang/policy/4", "baixiang/policy/5"}),
    ],
)
def test_a_referral_word_cut_across_the_knowledges_own_words_is_not_read(matcher, question, entry):
    r = matcher.match(question)
    assert r.intent != "decline"
    assert r.top[0].id in entry


def test_a_referral_word_standing_as_a_word_is_still_read(matcher):
    r = matcher.match("孩子上学要开居住证明，去哪开")
    assert r.intent == "decline"
    assert r.referral == "gongan"


@pytest.mark.parametrize(
    "message",
    [
        "上周给县政府交了份公开申请，说是二十个工作日，现在到哪一步了",
        "帮邻居递的信息公开申请，现在处理到哪了",
        "I sent a disclosure request, what's the status",
        "我前几天递的申请到底处理到哪里了",
    ],
)
def test_the_progress_of_my_application_in_more_phrasings(matcher, message):
    assert matcher.match(message).top[0].id == "chat/status"


def test_where_to_apply_is_no_progress_question(matcher):
    r = matcher.match("申请公开现在到哪里去申请")
    assert not (r.top and r.top[0].id == "chat/status")


def test_a_deputys_suggestion_in_progress_is_the_suggestions_duty_whatever_it_is_about(matcher):
    r = matcher.match("代表把群众反映的村道坑洼问题写成了建议，县里说在办，办到哪一步了")
    assert r.intent == "answer"
    assert r.top[0].id == "baixiang/duty/7"


def test_a_driving_school_says_who_asks_not_what_about(matcher):
    r = matcher.match("我们驾校的教练车装了对讲机，要不要报无线电频率，县里谁管")
    assert r.top[0].id == "baixiang/duty/9"
    r = matcher.match("我们驾校的学员档案一团乱，柏乡档案局能上门指导不")
    assert r.intent != "decline"
    assert r.top[0].id == "baixiang/duty/15"
    # the school's own business is still the traffic police's
    r = matcher.match("驾校学费一般多少钱")
    assert r.intent == "decline"
    assert r.referral == "cheguansuo"


@pytest.mark.parametrize(
    ("question", "entries"),
    [
        ("档案局 audit 我们的 electronic records 主要看哪些", {"baixiang/policy/7", "xiangyin/policy/2"}),
        ("湘阴档案馆的 digitization 做到哪了，是 outsourcing 的吗", {"xiangyin/duty/4"}),
    ],
)
def test_a_records_technicians_english_terms_are_read(matcher, question, entries):
    r = matcher.match(question)
    assert r.intent != "decline"
    assert r.top[0].id in entries


def test_cantonese_function_words_are_read_as_mandarin_not_repaired_as_typos(matcher):
    a = matcher.analyse("我阿妈嘅老资料喺边度查")
    assert "cantonese" in a.notes
    assert not any(n.startswith("homophone:") for n in a.notes)  # 边度查 is no 督查
    assert "哪里" in a.repaired
    assert matcher.match("唔该晒").top[0].id == "chat/thanks"


def test_putting_records_on_a_computer_or_online_is_digitisation(matcher):
    r = matcher.match("湘阴档案馆的老档案会扫进电脑吗，以后能不能放到网上查")
    assert r.top[0].id == "xiangyin/duty/4"


def test_one_of_our_units_asked_what_it_does_is_no_request_for_help(matcher):
    r = matcher.match("柏乡人防办是干啥的")
    assert not (r.top and r.top[0].id == "chat/help")
    assert matcher.match("你能帮我干撒").top[0].id == "chat/help"


@pytest.mark.parametrize(
    "question",
    [
        # whoever's record it once was, asking whether the county archive holds it is a lookup
        "我年轻时在公社卫生院当过护士，那几年的名单湘阴县档案馆里有冇",
        "学校的老学籍名册，湘阴档案馆能查到吗",
    ],
)
def test_asking_whether_the_xiangyin_archive_holds_a_record_is_the_lookup_duty(matcher, question):
    r = matcher.match(question)
    assert r.intent == "answer"
    assert r.top[0].id == "xiangyin/duty/5"


def test_what_the_archive_does_with_its_records_is_not_a_lookup(matcher):
    r = matcher.match("湘阴档案馆里的老档案有没有做异地备份")
    assert r.top[0].id != "xiangyin/duty/5"


def test_an_errand_a_county_leader_hands_down_is_the_assigned_matters_duty(matcher):
    r = matcher.match("县领导临时交代下来让我们帮着送通知，这种事在县政府办归哪个口")
    assert r.intent == "answer"
    assert r.top[0].id == "baixiang/duty/12"


def test_dialect_fillers_and_kin_words_weigh_as_little_as_question_scaffolding(matcher):
    """啥时候, 寻思 (Hebei) and 堂客, 伢子 (Hunan) say how and for whom a question is asked; as
    unknown nouns they weighed most and sank the entry the question names."""
    asked = [("俺寻思问问人防演练啥时候搞", "寻思"), ("我堂客想查下湘阴档案馆的老照片", "堂客")]
    for question, word in asked:
        a = matcher.analyse(question)
        weights = dict(zip(a.words, a.weights, strict=True))
        assert word not in weights or weights[word] < max(weights.values()) / 3


def test_meetings_of_the_peoples_congress_and_mass_organisations_are_theirs(matcher):
    r = matcher.match("县妇联下周开会在哪开")
    assert r.intent == "decline"
    assert r.referral == "renda_zhengxie"
    # a deputy's suggestion the county government handles stays ours
    r = matcher.match("人大代表的建议交到县政府，哪个股室承办")
    assert r.intent == "answer"
    assert r.top[0].id == "baixiang/duty/7"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # how much an air-defence fine is and who decides it: the discretion rule
        ("我家地下室被人防办说违规，要罚钱，罚多少有个准头没有", "baixiang/policy/5"),
        # how an air-defence case is opened and heard: the case-handling rule
        ("人防办说我们违规要立案，立了案以后能不能要求听证", "baixiang/policy/4"),
    ],
)
def test_what_is_asked_of_an_air_defence_case_picks_the_rule_not_the_works(matcher, question, entry):
    r = matcher.match(question)
    assert r.intent == "answer"
    assert r.top[0].id == entry


@pytest.mark.parametrize("question", ["哪里查档", "请问下哪里查档"])
def test_where_to_look_up_a_record_is_the_lookup_service_not_my_application(matcher, question):
    """chat/status's example phrases once held 查档 (我的查档申请); its patterns still catch a
    progress question about a lookup ("我的查档申请到哪一步了"). The matcher's own reading is the
    lookup service. Since round 21 the labelled questions, where 查档 as often means an
    inspection of records (来查档案安全), leave the bare question unsure: the lookup service
    among the choices offered, never an answer for one side (overruling a reading whose words the
    knowledge covers whole was right 38 times and wrong once on the round's sets). Since round 34
    the labelled questions may answer the bare question with 湘阴's own lookups (its residents ask
    it so); the reply then offers 柏乡's lookup service with a button (`bot.qa`)."""
    assert matcher.decider.match(question, 3, None).top[0].id == "baixiang/service/9"
    r = matcher.match(question)
    assert "baixiang/service/9" in [c.id for c in r.top]
    reply = answer_question(matcher.knowledge, question)
    assert reply.intent == "suggest" or "baixiang/service/9" in (reply.top[0].id, reply.other)
    assert matcher.match("我的查档申请到哪一步了").top[0].id == "chat/status"
