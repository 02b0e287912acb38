"""Issue 9 round 10: a typo of a common word the knowledge uses is repaired even when the word
is not one of the curated keywords (申清 -> 申请), but only where jieba had to guess a word
around the pair; pairs across two words or inside a dictionary word stay as typed. Examples
are written for these tests, not taken from evaluation sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.knowledge import load_knowledge
from bot.matcher import matcher_for
from bot.text import normalize


@pytest.fixture(scope="module")
def matcher():
    return matcher_for(load_knowledge())


def repairs(matcher, question: str) -> list[str]:
    return [
        n.removeprefix("homophone:")
        for n in matcher.repair(normalize(question))[1]
        if n.startswith("homophone:")
    ]


@pytest.mark.parametrize(
    ("question", "repair"),
    [
        ("我想申清一下这个文件", "申清->申请"),
        ("备桉的材料交给谁", "备桉->备案"),
        ("这个事想归哪个股管", "事想->事项"),
    ],
)
def test_typo_of_a_common_knowledge_word_is_repaired(matcher, question, repair):
    assert repair in repairs(matcher, question)


@pytest.mark.parametrize(
    "question",
    [
        "对县政府的决定不服",  # 对县 spans two words: not 对象
        "不回老家能查档案吗",  # 不回 is a negation, not 不会
        "规范性文件的上位法是哪部",  # 位法 inside the dictionary word 上位法: not 违法
    ],
)
def test_pairs_that_are_not_typos_stay_as_typed(matcher, question):
    assert repairs(matcher, question) == []


def test_repaired_typo_reaches_the_service(matcher):
    r = matcher.match("政府信息公开的申清表在哪下载")
    assert r.intent == "answer"
    assert r.top[0].id == "baixiang/service/1"


def _example_questions(knowledge) -> set[str]:
    out: set[str] = set()
    for loc in knowledge.entries():
        out.update(normalize(q) for q in getattr(loc.entry, "questions", ()) or ())
    return out


def test_no_evaluation_question_is_an_example_question():
    """The evaluation sets measure questions the matcher has not seen: none of them may sit in
    the knowledge as an example question (the development set too, when it is beside us)."""
    data = Path(__file__).parent / "data"
    sets = sorted(data.glob("*.jsonl"))
    dev = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev_queries.jsonl"
    if dev.is_file():
        sets.append(dev)
    examples = _example_questions(load_knowledge())
    assert len(examples) > 600  # the administrators' examples, rounds 1-10
    copied = [
        (path.name, row["q"])
        for path in sets
        for row in map(json.loads, path.read_text(encoding="utf-8").splitlines())
        if normalize(row["q"]) in examples
    ]
    assert copied == []


def test_an_english_phrase_with_an_apostrophe_is_translated(matcher):
    """Questions are read normalised (driver's -> driver s): the bilingual list is too."""
    r = matcher.match("Where do I renew my driver's license?")
    assert "驾照" in matcher.analyse("Where do I renew my driver's license?").repaired
    assert r.intent == "decline" and r.referral == "cheguansuo"


@pytest.mark.parametrize(
    ("message", "intent_id"),
    [
        ("泥好", "chat/greeting"),
        ("好的好的", "chat/thanks"),
        ("非常感谢您这么耐心，祝您工作顺利", "chat/thanks"),
        ("你都能办些么子事", "chat/help"),
        ("有没有活人", "chat/human"),
        ("我的预约受理了没", "chat/status"),
    ],
)
def test_small_talk_in_residents_own_words(matcher, message, intent_id):
    r = matcher.match(message)
    assert r.intent == "answer" and r.top[0].id == intent_id


@pytest.mark.parametrize(
    "question",
    [
        "公开申请交上去一个多月没答复，能申请行政复议吗",  # a remedy, not "where is my application"
        "人防工程建设进度谁来监管",  # a duty's progress, not the resident's application
        "Good morning, what is the weather like tomorrow?",  # a greeting around another office's business
    ],
)
def test_questions_around_small_talk_words_are_not_small_talk(matcher, question):
    r = matcher.match(question)
    assert not (r.top and r.top[0].id.startswith("chat/"))
