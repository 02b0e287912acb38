"""Round 26: the look-alike repair tries a piece only from a place whose first characters begin
some term's sounds, fuzzy sounds or one of our words (`bot.matcher.homophones`); a long question
tries a few places instead of six pieces at every character. What it repairs is what trying every
piece everywhere repairs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.knowledge import load_knowledge
from bot.matcher import homophones, matcher_for
from bot.text import normalize

DATA = Path(__file__).parent / "data"
FILES = ["resident_questions", "tuning_questions", "tuning2_questions", "tuning188_train", "tuning189_train"]


@pytest.fixture(scope="module")
def repair():
    return matcher_for(load_knowledge()).analyser._homophones.fix


def _questions() -> list[str]:
    return [
        normalize(json.loads(line)["q"])
        for name in FILES
        for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def test_the_places_skipped_hold_no_repair(repair, monkeypatch) -> None:
    questions = _questions()
    assert len(questions) > 900
    quick = [repair(q) for q in questions]
    walk = homophones._walk
    monkeypatch.setattr(
        homophones,
        "_walk",
        lambda run, shortest, choose, tried: walk(run, shortest, choose, [True] * len(run)),
    )
    everywhere = [repair(q) for q in questions]
    assert quick == everywhere
    assert sum(1 for _, fixed in quick if fixed) > 20  # the files hold typos the repair mends


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("查挡", "查档"), ("人房工程在哪", "人防工程"), ("个人房工程", "人防工程"), ("申亲公开", "申请公开")],
)
def test_look_alikes_are_still_repaired(repair, typed: str, meant: str) -> None:
    assert meant in repair(normalize(typed))[0]


@pytest.mark.parametrize("typed", ["俺们郭家在民国时候登的册子", "老王家的地契"])
def test_a_family_named_by_its_surname_is_no_typo(repair, typed: str) -> None:
    """Round 31: 郭家 sounds like 国家, but a surname and 家 is a family."""
    assert repair(normalize(typed)) == (normalize(typed), [])
