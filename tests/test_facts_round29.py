"""Round 29: facts as the chat shows them. `citizen-bot eval` also measures the facts in what the
dialog engine replies (the events calendar and guidance.yaml answer some questions before the
matcher), and the chat's answers gained what a blind set of fact questions found missing:

- a siren question asking the time ("试鸣那天头一声几点响") gets the day's schedule, not the
  signals' meaning;
- a refused disclosure said in other words ("不给俺公开", "被拒了") gets the remedies, and a county
  decision one disagrees with does not (that is an administrative review, the 法制办's);
- on a day without the test, whoever heard a siren is told whom to ask;
- the passage of a rule that states how many times or how many officers, or which decree, is
  the one shown when that is asked."""

from __future__ import annotations

from bot.dialog import Engine
from bot.evaluation import evaluate
from bot.knowledge import Knowledge
from bot.qa import answer_question
from tests.dialog_support import say, text_of


def test_evaluation_measures_facts_in_the_chat_as_well(knowledge: Knowledge) -> None:
    rows = [
        {"q": "政府不给俺公开，俺不服，复议得多少天内提", "gold": ["baixiang/duty/13"], "expect": ["60日内"]},
        {"q": "怎么申请政府信息公开", "gold": ["baixiang/service/1"], "expect": ["政务公开办公室"]},
    ]
    report, misses = evaluate(knowledge, rows)
    assert report["facts_in_chat"] == 1.0  # the chat answers the remedies from guidance.yaml
    assert report["facts_in_answer"] == 0.5  # the matcher's answer alone is the 法制办's duty
    assert any(m.startswith("FACTS '政府不给俺公开") for m in misses)


def test_asking_the_time_of_the_siren_test_gets_its_schedule(engine: Engine) -> None:
    text = text_of(say(engine, "试鸣那天头一声几点响"))
    assert "10:00-10:03 预先警报" in text and "鸣36秒" not in text


def test_asking_what_a_siren_sound_means_still_gets_the_signals(engine: Engine) -> None:
    assert "鸣36秒" in text_of(say(engine, "警报声音代表什么"))


def test_a_refused_disclosure_in_other_words_gets_the_remedies(engine: Engine) -> None:
    for question in ("政府不给俺公开村里的账，俺不服，复议得多少天内提", "申请公开被拒了，能直接去法院告吗"):
        assert "60日内" in text_of(say(engine, question)), question


def test_disagreeing_with_a_county_decision_is_not_a_disclosure_remedy(engine: Engine) -> None:
    text = text_of(say(engine, "对县政府的决定不服，想申请行政复议去哪"))
    assert "政府信息公开的答复" not in text and "法制办" in text


def test_a_siren_heard_on_a_day_without_the_test_names_whom_to_ask(engine: Engine) -> None:
    text = text_of(say(engine, "明天有防空警报吗"))
    assert "没有安排人防警报试鸣" in text and "可以向人防办了解" in text


def test_how_many_times_a_month_picks_the_passage_that_says_so(knowledge: Knowledge) -> None:
    assert "2次" in answer_question(knowledge, "人防工程的日常巡查一个月最少几回").text


def test_how_many_officers_picks_the_passage_that_says_so(knowledge: Knowledge) -> None:
    assert "二名以上" in answer_question(knowledge, "湘阴档案局查电子档案，一个人来查算数吗，得几个人").text


def test_a_lookup_for_someone_else_says_what_to_bring(knowledge: Knowledge) -> None:
    text = answer_question(knowledge, "我在外地，能让柏乡的表妹帮我查一下异地的档案吗").text
    assert "授权委托书" in text


def test_records_in_another_province_are_pointed_to_the_national_platform(knowledge: Knowledge) -> None:
    text = answer_question(knowledge, "我爸年轻时在湖南长沙的厂里干过，那边的招工档案在柏乡能查吗").text
    assert "全国档案查询利用服务平台" in text and "河北省内" in text


def test_records_in_this_province_get_no_such_note(knowledge: Knowledge) -> None:
    text = answer_question(knowledge, "我爷爷的档案在邢台市档案馆，在柏乡能查吗").text
    assert "全国档案查询利用服务平台" not in text
