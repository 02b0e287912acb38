"""The linear model's clear pick (bot/matcher/clear_pick.py): where the labelled questions' linear
model prefers another answer than the matcher's by a clear margin, its pick answers, a rule's
reading included; what stands is a word alone, courtesy (chat.yaml's to tell), a service or chat
the model would decline, a question all of whose words are the knowledge's, and the county named
or remembered. What staff decided stands at once: an example question attached (tests/
test_review_loop.py), a question filed in labelled_questions.yaml."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge import BUNDLED_KNOWLEDGE, load_knowledge
from bot.labelled import DECLINE, FILE
from bot.matcher import Matcher
from bot.matcher.clear_pick import CLEAR_LEAD, clear_pick, contender
from bot.matcher.model import Candidate, MatchResult

TITLES = {"baixiang/duty/9": "县政府地方志、无线电管理等方面的工作", "chat/status": "查询申请进度"}


def _result(
    intent="answer", top=("baixiang/duty/2",), coverage=0.6, notes=("coverage:0.60",), text="县志啥时候修好"
):
    return MatchResult(
        query=text,
        normalized=text,
        intent=intent,
        top=[Candidate(one, TITLES.get(one, one), 60.0) for one in top],
        coverage=coverage,
        notes=notes,
    )


def _nobody() -> tuple[str | None, bool]:
    return ("hotline_12345", False)


def _clear_pick(result, scores, titles, whose, county=None):
    """As the matcher asks: the model's contender on its scores, then whether it replaces."""
    pick = contender(result, scores)
    return result if pick is None else clear_pick(result, pick, titles, whose, county)


@pytest.fixture(scope="module")
def matcher():
    return Matcher(load_knowledge())


# ------------------------------------------------------------------ the rule, on made-up scores


def test_a_clear_lead_replaces_the_matcher_s_pick_and_keeps_its_others_as_choices():
    scores = {"baixiang/duty/9": 1.2, "baixiang/duty/2": 0.1, DECLINE: -0.5}
    r = _clear_pick(_result(top=("baixiang/duty/2", "baixiang/service/1")), scores, TITLES, _nobody)
    assert r.intent == "answer"
    assert [c.id for c in r.top] == ["baixiang/duty/9", "baixiang/duty/2", "baixiang/service/1"]
    assert r.notes[-1] == "linear:1.10"
    assert contender(_result(), {"baixiang/duty/2": 1.0, "baixiang/duty/9": 0.2}) is None  # ours


def test_a_lead_below_the_bar_leaves_the_matcher_s_pick():
    scores = {"baixiang/duty/9": 0.2 + CLEAR_LEAD - 0.01, "baixiang/duty/2": 0.2}
    before = _result()
    assert _clear_pick(before, scores, TITLES, _nobody) is before


def test_a_rule_s_reading_is_weighed_too():
    """A chat pattern's status reading of "县志进展到哪一步了" is no application's status."""
    before = _result(top=("chat/status",), notes=("pattern",))
    r = _clear_pick(before, {"baixiang/duty/9": 2.0, "chat/status": 0.0}, TITLES, _nobody)
    assert (r.intent, r.top[0].id) == ("answer", "baixiang/duty/9")


def test_a_decline_names_the_hotline_and_says_the_topic_is_unknown():
    before = _result(top=("baixiang/service/2", "baixiang/duty/14"), coverage=0.4, notes=("coverage:0.40",))
    r = _clear_pick(before, {DECLINE: 1.5, "baixiang/service/2": 0.2}, TITLES, _nobody)
    assert (r.intent, r.top, r.referral) == ("decline", [], "hotline_12345")
    assert "unknown topic" in r.notes


def test_a_decline_for_an_office_named_says_so():
    before = _result(coverage=0.3, notes=("coverage:0.30",))
    r = _clear_pick(before, {DECLINE: 1.5, "baixiang/duty/2": 0.2}, TITLES, lambda: ("gongan", True))
    assert (r.intent, r.referral) == ("decline", "gongan")
    assert "unknown topic" not in r.notes


@pytest.mark.parametrize(
    ("before", "best"),
    [
        # courtesy is chat.yaml's to tell, both ways
        (_result(), "chat/greeting"),
        (_result(top=("chat/greeting",), notes=("pattern",)), "baixiang/duty/9"),
        # a word alone keeps the choices it was offered
        (
            _result(intent="suggest", top=("xiangyin/duty/4", "xiangyin/duty/7"), text="档案"),
            "xiangyin/duty/9",
        ),
        # a service's pattern and chat are never declined by the model
        (_result(top=("baixiang/service/1",), notes=("service", "coverage:0.60")), DECLINE),
        (_result(top=("chat/help",), notes=("pattern",)), DECLINE),
        # an example question repeated (staff attached it from the review queue)
        (_result(top=("baixiang/duty/15",), coverage=1.0, notes=("attached example",)), DECLINE),
        # every word of the question is the knowledge's own
        (
            _result(top=("baixiang/service/9",), coverage=1.0, notes=("coverage:1.00",), text="哪里查档"),
            DECLINE,
        ),
    ],
)
def test_what_stands_against_the_model(before, best):
    scores = {best: 2.0, before.top[0].id if before.top else "x": 0.0}
    assert _clear_pick(before, scores, TITLES, _nobody) is before


def test_a_question_read_from_english_may_still_be_declined():
    """Coverage of a question put in Chinese from English says little ("remote work" -> 事务)."""
    before = _result(top=("xiangyin/duty/7",), coverage=1.0, notes=("english:事务", "coverage:1.00"))
    assert _clear_pick(before, {DECLINE: 2.0, "xiangyin/duty/7": 0.0}, TITLES, _nobody).intent == "decline"


def test_the_model_does_not_move_a_question_to_another_county_than_the_one_known():
    before = _result(top=("baixiang/policy/7",))
    scores = {"xiangyin/policy/2": 2.0, "baixiang/policy/7": 0.0}
    assert _clear_pick(before, scores, TITLES, _nobody, county="baixiang") is before
    assert _clear_pick(before, scores, TITLES, _nobody).top[0].id == "xiangyin/policy/2"


# ------------------------------------------------------------------ the shipped model


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # the status pattern read "进度" and "到哪一步" as the resident's own application
        ("柏乡县志编到什么进度了，啥时候能出版", "baixiang/duty/9"),
        ("县志修到哪一步了", "baixiang/duty/9"),
    ],
)
def test_the_shipped_model_sets_right_what_a_rule_read_wrong(matcher, question, entry):
    r = matcher.match(question)
    assert r.intent == "answer" and r.top[0].id == entry, r
    assert any(note.startswith("linear:") for note in r.notes)


@pytest.mark.parametrize("question", ["档案", "人防"])
def test_the_shipped_model_leaves_a_word_alone_to_the_choices(matcher, question):
    assert matcher.match(question).intent == "suggest"


def test_a_question_filed_by_staff_keeps_its_label_though_the_model_was_trained_before(tmp_path: Path):
    """The review loop's promise: filed, reloaded, answered, before anyone retrains the model."""
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, root)
    question = "老房子拆了以后当年的房产底子还能去哪看"
    path = root / FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  xiangyin/duty/5:\n", f'  xiangyin/duty/5:\n    - "{question}"\n', 1), "utf-8"
    )
    r = Matcher(load_knowledge(root)).match(question)
    assert (r.intent, r.top[0].id) == ("answer", "xiangyin/duty/5")
    assert not any(note.startswith("linear:") for note in r.notes)
