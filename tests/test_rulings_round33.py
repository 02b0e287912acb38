"""Round 33: paperwork another errand needs is not a disclosure request ("办证要交哪些文件"); a
private party's act is no administrative reconsideration (a landlord keeping a deposit, a court
freezing an account; the linear model still reads "申请行政复议" as ours when the other party is
only a company); a speech for a temple fair is the resident's own, a memoir offered to the county
annals is ours; "县政府咋走" asks the way; the record of something done back then ("当年…的底子",
"当年招工的存根") is an archive's, whatever office did it. A township leader's speech is the
township's (`xiangzhen`), a school's or a factory's own drill the education or emergency bureau's,
a broken walkie-talkie a repair shop's, unless the county's sirens or shelters are named. A
greeting followed by who one is and what one does ("负责学校的安全教育") is a greeting, not a
school's matter to decline; so is "是柏乡政府办的智能助手吧". The county's thick book of its
history is the annals; papers nobody looks after, and whether a road project's papers are filed,
are the archive's, not the transport bureau's. A greeting or thanks in a script normalisation
drops (안녕하세요, ありがとう, спасибо) is read by chat.yaml's patterns as written, not declined as
empty.

The questions are the administrators' own, not from any evaluation set."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "question",
    [
        "办个渔业捕捞证要交哪些文件",
        "劳动仲裁需要什么材料，去哪交",
        "房子过户的公证文件在哪办",
    ],
)
def test_paperwork_for_another_errand_is_not_a_disclosure_request(matcher, question):
    r = matcher.match(question)
    assert not (r.top and r.top[0].id == "baixiang/service/1")


@pytest.mark.parametrize(
    "question",
    [
        "我想要县里去年的财政预算文件",
        "申请政府信息公开要交什么材料",
    ],
)
def test_a_government_document_is_still_a_disclosure_request(matcher, question):
    r = matcher.match(question)
    assert r.intent == "answer" and r.top[0].id == "baixiang/service/1"


@pytest.mark.parametrize(
    "question",
    [
        "房东不退押金 可以复议不",
        "物业乱收停车费，能不能复议",
        "法院执行局冻结了我的账户，能复议吗",
    ],
)
def test_a_private_partys_act_is_no_administrative_reconsideration(matcher, question):
    r = matcher.match(question)
    assert r.intent == "decline" and r.referral is not None


@pytest.mark.parametrize(
    "question",
    [
        "市场监管局罚了我们公司，能申请行政复议吗",
        "我们公司对县政府不予公开的答复不服，能复议吗",
    ],
)
def test_a_county_bodys_decision_is_still_reconsidered_here(matcher, question):
    r = matcher.match(question)
    assert r.intent != "decline"
    assert r.top[0].id in {"baixiang/duty/13", "baixiang/policy/2", "baixiang/service/1"}


def test_a_temple_fairs_opening_speech_is_the_residents_own(matcher):
    r = matcher.match("村里庙会的开幕词，你们能帮俺写一份不")
    assert r.intent == "decline" and r.referral == "non_government_speeches"


def test_a_memoir_offered_to_the_county_annals_is_ours(matcher):
    r = matcher.match("我写了本回忆录，讲的都是咱县的老事，县志办要不要")
    assert r.intent != "decline"


@pytest.mark.parametrize(
    "question",
    [
        "当年粮站收粮的底子还在吗",
        "我爸当年招工的存根县里还有吗",
    ],
)
def test_the_record_of_something_done_back_then_is_an_archives(matcher, question):
    r = matcher.match(question)
    assert r.intent != "decline"


def test_a_township_leaders_speech_is_the_townships(matcher):
    r = matcher.match("镇长在丰收节上的讲话稿能要一份吗")
    assert r.intent == "decline" and r.referral == "xiangzhen"


def test_a_county_leaders_speech_in_a_township_is_still_ours(matcher):
    r = matcher.match("县长来乡里开会的讲话稿谁写")
    assert r.intent == "answer" and r.top[0].id in {"baixiang/duty/5", "baixiang/duty/17"}


@pytest.mark.parametrize(
    ("question", "referral"),
    [
        ("学校的疏散演练是教育局布置的吗", "jiaoyu_yanlian"),
        ("厂里的安全生产应急演练要报哪里备案", "yingji_yanlian"),
    ],
)
def test_a_schools_or_factorys_own_drill_is_another_offices(matcher, question, referral):
    r = matcher.match(question)
    assert r.intent == "decline" and r.referral == referral


def test_an_air_defence_drill_with_the_education_bureau_is_ours(matcher):
    r = matcher.match("人防办和教育局一起在学校搞防空演练，怎么报名")
    assert r.intent == "answer" and r.top[0].id.startswith("baixiang/")


@pytest.mark.parametrize(
    ("question", "declined"),
    [
        ("家里的对讲机坏了去哪修", True),
        ("电视机坏了去哪修", True),
        ("防空洞的门坏了找谁修", False),
        ("县里的防空警报器坏了找谁修", False),
    ],
)
def test_a_broken_device_is_a_repair_shops_unless_it_is_the_countys(matcher, question, declined):
    r = matcher.match(question)
    assert (r.intent == "decline") is declined


def test_an_identity_card_to_bring_is_no_police_matter(matcher):
    assert matcher.match("让我儿子拿我的身份证去帮我查招工档案行不行").intent != "decline"
    r = matcher.match("身份证丢了去哪补办")
    assert r.intent == "decline" and r.referral == "gongan"


def test_a_job_named_then_a_question_is_the_question(matcher):
    r = matcher.match("你好，我是老师，负责学校的事，学生的学籍怎么转")
    assert r.top == [] or r.top[0].id != "chat/greeting"


def test_papers_nobody_looks_after_are_an_archives_matter(matcher):
    r = matcher.match("单位管资料的人退休了，资料没人管，县里能派人来指导吗")
    assert r.intent != "decline"


def test_filing_a_road_projects_papers_is_no_transport_matter(matcher):
    r = matcher.match("村里修桥的项目资料要不要建档")
    assert r.referral != "jiaotong"


@pytest.mark.parametrize(
    ("message", "entry"),
    [
        ("안녕하세요", "chat/greeting"),
        ("ありがとうございます", "chat/thanks"),
        ("Спасибо!", "chat/thanks"),
        ("selamat pagi", "chat/greeting"),
    ],
)
def test_courtesy_in_scripts_normalisation_drops_is_read_as_written(matcher, message, entry):
    r = matcher.match(message)
    assert r.intent == "answer" and r.top[0].id == entry


def test_a_message_with_nothing_to_read_is_still_empty(matcher):
    r = matcher.match("😀")
    assert r.intent == "decline" and "empty" in r.notes


def test_an_enlistment_medical_form_kept_by_the_county_is_a_record(matcher):
    r = matcher.match("当兵走的时候的体检表，县里还留着吗")
    assert r.referral != "weijian"


def test_a_wheelchair_to_repair_is_still_the_disabled_persons_federations(matcher):
    r = matcher.match("轮椅坏了去哪修")
    assert r.intent == "decline" and r.referral == "canlian"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # a greeting, who one is and the job one does; "is this the office's assistant"
        ("您好，我是中学老师，负责学校的安全教育", "chat/greeting"),
        ("你好 我是医院的护士 负责病历管理", "chat/greeting"),
        ("你好，请问是柏乡政府办的智能助手吧", "chat/greeting"),
        ("您好，这是人防办的智能客服吗", "chat/greeting"),
        # the county's book of its history is the annals
        ("县里写咱柏乡历史的那本厚书在哪能买到", "baixiang/duty/9"),
        ("有没有讲全县历史的书，想给孩子看看", "baixiang/duty/9"),
        # a compensation notice asked in full is 湘阴's open files; an archive's own standards its guidance
        ("前些年湘阴县里发过一个征地补偿标准的通知，想找原文看看", "xiangyin/duty/5"),
        ("湘阴档案馆保管档案的标准是什么", "xiangyin/duty/3"),
        # the way to the county government
        ("问一下 县政府咋走", "chat/contact"),
    ],
)
def test_answered_by(matcher, question, entry):
    r = matcher.match(question)
    assert r.intent == "answer" and r.top[0].id == entry
