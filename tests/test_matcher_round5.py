"""Issue 9 round 5 (what was kept): English phrases found in their plural and the counties spelt
in English; contact questions in everyday and dialect phrasings. Runs on the real bundled
knowledge files; examples are written for these tests, not taken from evaluation sets."""

from __future__ import annotations

import pytest

from bot.knowledge import load_knowledge
from bot.matcher import matcher_for


@pytest.fixture(scope="module")
def matcher():
    return matcher_for(load_knowledge())


def test_a_listed_english_phrase_is_found_in_its_plural(matcher):
    a = matcher.analyse("who checks that key construction projects keep their records")
    assert "重点建设项目" in a.repaired


def test_the_county_spelt_in_english_picks_its_department(matcher):
    a = matcher.analyse("where is the baixiang air raid shelter")
    assert "柏乡" in a.repaired and "防空洞" in a.repaired


@pytest.mark.parametrize(
    "question",
    [
        "湘阴档案局的号码是好多",
        "柏乡人防办联系电话",
        "档案馆电话一直打不通",
        "政府办在哪儿",
        "有没有别的联系方式",
    ],
)
def test_contact_in_everyday_phrasings(matcher, question):
    r = matcher.match(question)
    assert (r.intent, r.top[0].id) == ("answer", "chat/contact")


@pytest.mark.parametrize("question", ["防空洞在哪", "外地的档案馆在哪能查到我爷爷的档案"])
def test_a_place_of_ours_is_not_a_contact_question(matcher, question):
    assert matcher.match(question).top[0].id != "chat/contact"
