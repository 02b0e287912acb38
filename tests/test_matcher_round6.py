"""Issue 9 round 6 (what was kept): long questions keep their suggestions and are not sent to the
catch-all hotline for being mostly story; a close runner-up holding the resident's own specific
term beats a leader that only shares general words; "去县档案馆" is this county's archive, not
异地查档; a resident working 外地 is no 异地查档 question. Runs on the real bundled knowledge
files; examples are written for these tests, not taken from evaluation sets."""

from __future__ import annotations

import pytest

from bot.knowledge import load_knowledge
from bot.matcher import SUGGEST_FLOOR, matcher_for

LONG_STORY = (
    "您好，打扰了，我是村里的妇女主任，村里不少老人说每年夏天有一天上午城里响好几遍那个长长的声音，"
    "吓得不轻，想问问这是干什么的，到时候我们该怎么办"
)


@pytest.fixture(scope="module")
def matcher():
    return matcher_for(load_knowledge())


def test_a_long_unsure_question_still_offers_its_best_entries(matcher):
    """Every score is a share of the question: in a long story the right entry explains a small
    share, so the suggestions' floor shrinks with the question's weight."""
    r = matcher.match(LONG_STORY)
    assert r.intent == "suggest"
    assert r.top and r.top[0].id == "baixiang/duty/14"
    assert r.top[0].score < SUGGEST_FLOOR


def test_a_short_unsure_question_keeps_the_usual_floor(matcher):
    r = matcher.match("档案")
    assert all(c.score >= SUGGEST_FLOOR for c in r.top)


def test_a_long_story_is_not_sent_to_the_hotline(matcher):
    """Little of it explained, most of it the story of who asks: never 12345. Since round 10's
    example questions (a record in another county, the resident unable to travel) it is
    answered as 异地查档, which it is; before, three guesses and 人工."""
    r = matcher.match(
        "俺爹年轻时在衡水一个棉纺厂当过工人，后来回了村，现在办养老认证非要当年进厂的招工底子，"
        "俺腿脚不中用跑不了远道，这边能帮着弄不"
    )
    assert r.referral is None
    assert r.intent == "answer" and r.top[0].id == "baixiang/service/9"


def test_a_short_unknown_topic_still_goes_to_the_hotline(matcher):
    r = matcher.match("县城哪家火锅店好吃")
    assert r.intent == "decline" and r.referral == "hotline_12345"


def test_a_close_runner_up_with_the_residents_own_term_is_preferred(matcher):
    """案卷评查 is the litigation policy's own term; the leader (档案安全监管) only shares how
    often. (Round 6's example, 乡里报上来的人防工程要县里批吗, is led by 人防工程's entry outright
    in the matcher's own reading (`decider`) since round 11's example questions. Since round 21
    the labelled questions settle the whole question otherwise: a township's request that waits
    for the county's approval is 审核乡镇请示事项, whatever it is about. Since round 34, with 6,000
    more of them, they leave it unsure between the two, and both are offered.)"""
    r = matcher.match("案卷评查一年几回")
    assert r.top[0].id == "baixiang/policy/3"
    assert "anchor preferred" in r.notes
    assert matcher.decider.match("乡里报上来的人防工程要县里批吗", 3, None).top[0].id == "baixiang/policy/1"
    r = matcher.match("乡里报上来的人防工程要县里批吗")
    assert r.top[0].id == "baixiang/duty/3" or (
        r.intent == "suggest" and {"baixiang/duty/3", "baixiang/policy/1"} <= {c.id for c in r.top}
    )


def test_a_leader_holding_the_term_keeps_its_place(matcher):
    """The matcher's own reading (`decider`). Since round 20 the labelled questions settle the
    whole question otherwise: asking whether information can be made public is most often an
    application for it (政府信息公开)."""
    r = matcher.decider.match("人防工程的信息能公开吗", 3, None)
    assert r.top[0].id == "baixiang/policy/1" and "anchor preferred" not in r.notes
    assert matcher.match("人防工程的信息能公开吗").top[0].id == "baixiang/service/1"


@pytest.mark.parametrize("question", ["我想去县档案馆查我爷爷的老档案", "国际档案日那天县档案馆开放吗"])
def test_going_to_the_county_archive_is_not_a_cross_archive_request(matcher, question):
    assert matcher.match(question).top[0].id != "baixiang/service/9"


@pytest.mark.parametrize(
    "question", ["隆尧县档案馆的资料能在柏乡查吗", "我人在外省读书，想查户籍所在县档案馆里的材料"]
)
def test_another_countys_archive_is_still_a_cross_archive_request(matcher, question):
    r = matcher.match(question)
    assert (r.intent, r.top[0].id) == ("answer", "baixiang/service/9")


def test_working_elsewhere_is_no_cross_archive_request(matcher):
    """外地 in a self-introduction no longer adds 异地; 外地 beside 档案 still asks for 异地查档."""
    a = matcher.analyse("我儿子在外地打工，县里去年的财政预算能申请公开吗")
    assert "异地" not in a.repaired
    assert matcher.match("我爷爷的档案在外地，能在柏乡查吗").top[0].id == "baixiang/service/9"


@pytest.mark.parametrize("question", ["小区的消防警报老是误报谁来修", "楼下电动车的防盗警报一晚上响个不停"])
def test_a_car_or_fire_alarm_is_not_the_air_raid_alarm(matcher, question):
    r = matcher.match(question)
    assert not r.top or r.top[0].id not in {"baixiang/service/5", "baixiang/duty/14"}


def test_an_air_raid_alarm_still_is(matcher):
    # the 人防办's duty answers a siren (round 14), with the yearly test day and the signals
    assert matcher.match("今天上午拉的防空警报是演习吗").top[0].id == "baixiang/duty/14"


@pytest.mark.parametrize("question", ["游泳馆夏天几点开门", "体育馆的电话是多少"])
def test_another_places_hours_are_not_ours(matcher, question):
    r = matcher.match(question)
    assert (r.intent, r.referral) == ("decline", "hotline_12345")


@pytest.mark.parametrize("question", ["你们几点上班", "周六上班吗", "中午有人吗", "档案馆电话多少"])
def test_our_own_hours_are_still_answered(matcher, question):
    assert matcher.match(question).top[0].id == "chat/contact"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("我们厂有没有必要把这些年的合同整理归档", None),
        ("重点建设项目档案验收需要提供哪些图纸", "baixiang/policy/6"),
    ],
)
def test_needing_a_document_is_not_asking_for_one(matcher, question, entry):
    r = matcher.match(question)
    assert r.top[0].id != "baixiang/service/1"
    assert entry is None or r.top[0].id == entry


@pytest.mark.parametrize("question", ["我要一份县里的预算文件", "能不能提供一下规划图纸"])
def test_asking_for_a_document_still_is(matcher, question):
    assert matcher.match(question).top[0].id == "baixiang/service/1"


def test_the_traffic_police_by_its_everyday_name(matcher):
    r = matcher.match("交警罚款在哪交")
    assert (r.intent, r.referral) == ("decline", "cheguansuo")


def test_a_review_of_a_traffic_fine_is_the_county_s_review_work(matcher):
    """Round 24: the labelled questions' model reads 复议 as the office's own duty (第13项:
    承办县政府行政复议案件) rather than the traffic police's business, as this test asked
    before; the county government's review cases are what the resident asks about."""
    r = matcher.match("交警罚款不服能申请复议吗")
    assert (r.intent, r.top[0].id) == ("answer", "baixiang/duty/13")


def test_records_fetched_here_in_everyday_words(matcher):
    r = matcher.match("我爸以前在邢台机械厂上班的档案能不能在咱们这边给调过来")
    assert r.top[0].id == "baixiang/service/9"
