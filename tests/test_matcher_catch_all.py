"""Issue 9 round 4: a question about a topic nothing here knows goes to the 12345 hotline (the
referral directory's catch-all entry), honestly worded; the office's own business, however it is
phrased, is never sent there. Runs on the real bundled knowledge files."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from bot.evaluation import evaluate
from bot.knowledge import load_knowledge
from bot.qa import answer_question
from bot.referrals import load_referrals
from tests.dialog_support import payloads, say

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


@pytest.mark.parametrize("question", ["村里的健身器材坏了好久了找谁修", "楼道里的声控灯坏了好几天"])
def test_an_unknown_topic_is_referred_to_the_hotline(knowledge, question):
    reply = answer_question(knowledge, question)
    assert (reply.intent, reply.referral) == ("decline", "hotline_12345")
    assert "不属于" not in reply.text  # we only know that we found nothing, not whose it is
    assert "没有找到" in reply.text and "12345" in reply.text and "人工" in reply.text


def test_the_hotline_reply_offers_a_person(engine):
    out = say(engine, "村里的健身器材坏了好久了找谁修")
    assert "12345" in out.replies[0].text
    assert "menu:human" in payloads(out)


def test_the_hotline_named_by_its_own_keywords_keeps_the_usual_referral(knowledge):
    reply = answer_question(knowledge, "楼下装修噪音太大扰民")
    assert reply.referral == "hotline_12345"
    assert "由12345政务服务便民热线办理" in reply.text


@pytest.mark.parametrize(
    "question",
    [
        "俺们村那堆老账本想理一理，县里能派人教教不",  # 档案 training, in everyday words
        "外头呜啦呜啦响个不停，要不要躲",  # a siren described
        "我是湘阴县的退休教师，今年七十了。想问已经公开的现行文件在档案馆能查阅吗",
        "这个怎么办理",  # names no topic at all
        "早啊",
    ],
)
def test_the_offices_own_business_in_everyday_words_is_not_declined(knowledge, question):
    reply = answer_question(knowledge, question)
    assert reply.intent != "decline"


def test_the_county_named_in_a_self_introduction_picks_its_department(knowledge):
    reply = answer_question(
        knowledge, "我是湘阴县的退休教师，今年七十了。想问已经公开的现行文件在档案馆能查阅吗"
    )
    assert reply.top[0].id == "xiangyin/duty/5"


def test_courtesy_alone_is_still_small_talk(knowledge):
    reply = answer_question(knowledge, "谢谢啦，帮大忙了")
    assert reply.intent == "answer" and reply.top[0].id == "chat/thanks"


def test_an_unless_word_inside_the_keyword_itself_does_not_void_it(knowledge):
    assert answer_question(knowledge, "退伍档案找不着了").referral == "tuiyi"
    # 档案 beside the keyword still voids it: marriage records in another county are ours
    reply = answer_question(knowledge, "结婚登记档案在外县能查吗")
    assert reply.intent == "answer" and reply.top[0].id == "baixiang/service/9"


def test_only_one_catch_all_entry(tmp_path, knowledge):
    root = tmp_path / "k"
    root.mkdir()
    (root / "referrals.yaml").write_text(
        "referrals:\n"
        "  - {id: a, name: 热线甲, keywords: [甲], catch_all: true}\n"
        "  - {id: b, name: 热线乙, keywords: [乙], catch_all: true}\n"
        "  - {id: c, name: 非政务, keywords: [丙], catch_all: true, government: false}\n",
        encoding="utf-8",
    )
    problems: list = []
    load_referrals(dataclasses.replace(knowledge, root=root), problems)
    fields = [(p.entry, p.field) for p in problems]
    assert ("b", "catch_all") in fields and ("c", "catch_all") in fields


@pytest.mark.parametrize(
    "name, top1, oos, wrongly",
    [("tuning3_train.jsonl", 0.86, 0.93, 0.02), ("tuning3_holdout.jsonl", 0.87, 0.87, 0.01)],
)
def test_round3_sets_hold_their_round4_figures(knowledge, name, top1, oos, wrongly):
    rows = [
        json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    report, _ = evaluate(knowledge, rows)
    assert report["top1"] >= top1
    assert report["oos_declined"] >= oos
    assert report["in_scope_wrongly_declined"] <= wrongly
