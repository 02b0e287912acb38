"""How the matcher understands residents: typos, traditional characters, pinyin, colloquial
words, and when it must decline. Runs on the real bundled knowledge files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.evaluation import evaluate
from bot.knowledge import load_knowledge
from bot.matcher import matcher_for
from bot.qa import answer_question
from bot.text import fuzzy_pinyin_key, looks_like_pinyin, normalize, pinyin_key

RESIDENT_QUESTIONS = Path(__file__).parent / "data" / "resident_questions.jsonl"


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


def top_id(knowledge, question: str) -> str | None:
    result = matcher_for(knowledge).match(question)
    return result.top[0].id if result.top else None


# ----------------------------------------------------------------------------- normalisation


def test_normalize_folds_width_traditional_case_and_punctuation():
    assert normalize("政府信息公開，怎麼申請？？") == "政府信息公开 怎么申请"
    assert normalize("ＡＢＣ１２３") == "abc123"
    assert normalize("😀😀 。。。") == ""


def test_pinyin_keys_make_homophones_meet():
    assert pinyin_key("人房") == pinyin_key("人防")
    assert fuzzy_pinyin_key("申亲") == fuzzy_pinyin_key("申请")
    assert looks_like_pinyin("yidi chadang")
    assert not looks_like_pinyin("异地查档")


# ----------------------------------------------------------------------------- tolerance


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("異地查檔要怎麼辦", "baixiang/service/9"),  # traditional characters
        ("人房宣传月都搞些啥", "baixiang/service/5"),  # homophone 房 for 防
        ("想办异地查当", "baixiang/service/9"),  # homophone 当 for 档
        ("无限电管理是谁的事", "baixiang/duty/9"),  # 限 for 线
        ("renfang xuanchuanyue", "baixiang/service/5"),  # plain pinyin
        ("xinxi gongkai", "baixiang/service/1"),
        ("两个单位老扯皮谁来处理", "baixiang/duty/4"),  # 扯皮 -> 争议
        ("门口保安归哪个股室管", "baixiang/duty/6"),  # 保安 -> 安全保卫
        ("华侨回乡的事找谁", "baixiang/duty/10"),  # 华侨 -> 侨务
    ],
)
def test_residents_spelling_is_tolerated(knowledge, question, expected):
    assert top_id(knowledge, question) == expected


@pytest.mark.parametrize(
    "question",
    [
        "身份证丢了去哪补",
        "明天会下雨吗",
        "公积金能取出来吗",
        "讲个段子听听",
        "医保卡怎么激活",
    ],
)
def test_other_offices_business_is_declined(knowledge, question):
    reply = answer_question(knowledge, question)
    assert reply.intent == "decline"
    assert reply.top == []
    assert "不属于" in reply.text


@pytest.mark.parametrize("question", ["qwertyuiop", "？？？", "👍👍"])
def test_gibberish_is_not_claimed_to_be_another_offices_business(knowledge, question):
    reply = answer_question(knowledge, question)
    assert reply.intent == "decline" and reply.referral is None
    assert "不属于" not in reply.text and "没看懂" in reply.text


def test_naming_a_county_prefers_its_department(knowledge):
    assert top_id(knowledge, "湘阴的电子档案怎么监管") == "xiangyin/policy/2"
    assert top_id(knowledge, "柏乡的电子档案怎么监管") == "baixiang/policy/7"


# ----------------------------------------------------------------------------- answers


def test_duty_answer_quotes_the_matching_row_and_its_office(knowledge):
    night = answer_question(knowledge, "夜里县政府有值班的吗")
    assert night.entry_id == "baixiang/duty/6"
    assert "秘书股" in night.text and "行管股" not in night.text
    guard = answer_question(knowledge, "政府大院门卫归谁管")
    assert guard.entry_id == "baixiang/duty/6"
    assert "行管股" in guard.text and "秘书股" not in guard.text


def test_policy_answer_is_the_passage_not_the_whole_rule(knowledge):
    reply = answer_question(knowledge, "人防罚款罚到多少要领导集体审议")
    assert reply.entry_id == "baixiang/policy/5"
    assert "5000元" in reply.text and "30000元" in reply.text
    assert len(reply.text) < 400


def test_policy_answer_finds_the_number_asked_for(knowledge):
    assert "75分" in answer_question(knowledge, "重点建设项目档案验收打多少分算合格").text
    assert "9月30日" in answer_question(knowledge, "档案自查报告每年几号之前交").text


def test_service_answer_names_office_deadline_and_unpublished_phone(knowledge):
    reply = answer_question(knowledge, "信息公开申请多久给答复")
    assert reply.entry_id == "baixiang/service/1"
    assert "政务公开办公室" in reply.text
    assert "20个工作日" in reply.text
    assert "尚未公布" in reply.text  # no phone number is published in the seed
    assert reply.flow == "disclosure"


def test_alarm_question_explains_the_signals_from_the_events_file(knowledge):
    reply = answer_question(knowledge, "空袭警报是什么声音")
    assert "6秒" in reply.text and "3分钟" in reply.text


def test_unsure_questions_offer_up_to_three_suggestions(knowledge):
    reply = answer_question(knowledge, "档案检查")
    assert reply.intent in {"suggest", "answer"}
    if reply.intent == "suggest":
        assert 1 <= len(reply.top) <= 3
        assert "不太确定" in reply.text and knowledge.chat.suggest in reply.text
        assert "人工" in reply.text


# ----------------------------------------------------------------------------- accuracy


def test_accuracy_on_resident_questions_written_independently_of_the_knowledge(knowledge):
    """A floor, not a target: the figures are printed by `citizen-bot eval`."""
    rows = [json.loads(line) for line in RESIDENT_QUESTIONS.read_text(encoding="utf-8").splitlines() if line]
    report, _ = evaluate(knowledge, rows)
    assert report["top1"] >= 0.88
    assert report["top3"] >= 0.93
    assert report["oos_declined"] >= 0.9
    assert report["in_scope_wrongly_declined"] <= 0.06
    assert report["facts_in_answer"] >= 0.8


def test_a_stray_word_from_another_field_does_not_decline_an_anchored_question(knowledge):
    reply = answer_question(knowledge, "异地查档需要带身份证吗")
    assert reply.entry_id == "baixiang/service/9"
    assert "授权委托书" in reply.text  # what to bring, from knowledge/archives.yaml
    assert answer_question(knowledge, "身份证丢了怎么补办").intent == "decline"


def test_part_of_speech_table_tells_unknown_nouns_from_question_words():
    from bot import pos
    from bot.matcher import tokenizer

    pos.start_loading(tokenizer())
    assert pos.word_class("公积金") == "noun"  # another office's business
    assert pos.word_class("交给") == "other"  # how the question is asked
    assert pos.word_class("qwertyuiop") == "unknown"


def test_part_of_speech_table_is_read_from_the_cache_folder_at_the_next_start(tmp_path):
    """Built once (0.3 s of CPU the first answer waited for), then read from the cache folder:
    the same classes in a new process, whose salted `hash` differs, and no build thread."""
    probe = (
        "from bot import pos\n"
        "from bot.matcher import tokenizer\n"
        "built, build = [], pos._load\n"
        "pos._load = lambda tok: (built.append(tok), build(tok))\n"
        "pos.start_loading(tokenizer())\n"
        "print(pos.word_class('公积金'), pos.word_class('交给'), pos.word_class('qwertyuiop'), bool(built))\n"
    )
    env = {**os.environ, "CITIZEN_BOT_CACHE_DIR": str(tmp_path), "PYTHONHASHSEED": "random"}

    def run() -> str:
        command = [sys.executable, "-c", probe]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120).stdout.strip()

    assert run() == "noun other unknown True"  # an empty cache folder: built, then kept
    assert list(tmp_path.glob("jieba-pos-*.bin"))
    assert run() == "noun other unknown False"  # read, not built


def test_alarm_test_day_answer_gives_the_times_from_the_events_file(knowledge):
    reply = answer_question(knowledge, "防空警报每年什么时候试鸣")
    assert "7月7日" in reply.text and "10:10-10:13" in reply.text


@pytest.mark.parametrize("vague", ["档案", "人防"])
def test_a_vague_word_offers_choices_rather_than_guessing(knowledge, vague):
    reply = answer_question(knowledge, vague)
    assert reply.intent == "suggest"
    assert len(reply.top) == 3


def test_a_near_tie_with_the_other_departments_twin_rule_still_answers(knowledge):
    reply = answer_question(knowledge, "档案工作情况自查报告什么时候交")
    assert reply.intent == "answer"
    assert "9月30日" in reply.text


@pytest.mark.parametrize(
    ("question", "intent_id"),
    [
        ("我上周交的信息公开申请现在到哪一步了", "chat/status"),  # names a service, asks for status
        ("查档的申请提交好几天了还没消息", "chat/status"),
        ("能让工作人员给我回个电话吗", "chat/human"),
    ],
)
def test_chat_patterns_settle_status_and_human_requests(knowledge, question, intent_id):
    assert top_id(knowledge, question) == intent_id


def test_building_another_matcher_does_not_change_how_questions_are_cut():
    """A /reload builds a new matcher in the same process; jieba's add_word used to grow the
    tokenizer's total each time, so answers drifted after every reload."""
    from bot.knowledge import load_knowledge
    from bot.matcher import Matcher, tokenizer

    first = Matcher(load_knowledge())
    total = tokenizer().total
    before = first.words("政府大院门卫归谁管")
    Matcher(load_knowledge())
    assert tokenizer().total == total
    assert first.words("政府大院门卫归谁管") == before
