"""Round 33: the same answers, found with less work.

- The nearest labelled questions are the largest similarities of some 47,000; they are picked by
  block maxima first (`neighbours._most`) instead of partitioning the whole array.
- One message is looked up by the labelled questions and scored by the linear model up to three
  times (the second opinion, "asked before", the clear pick): the last question's are kept.
- A place name is looked for only where a name can begin (`areas.mark_places`).
The figures are in bench/matcher.py and the README; these tests hold the results the same."""

from __future__ import annotations

import numpy as np
import pytest

from bot.areas import mark_places, place_names
from bot.knowledge import load_knowledge
from bot.matcher import matcher_for
from bot.matcher.neighbours import TOP_BLOCK, _most


def _reference(values: np.ndarray, take: int) -> np.ndarray:
    """Largest first, ties by position: a full sort."""
    return np.lexsort((np.arange(len(values)), -values))[:take]


@pytest.mark.parametrize("size", [1, 5, TOP_BLOCK - 1, TOP_BLOCK, TOP_BLOCK * 3 + 7, 47_118])
@pytest.mark.parametrize("kind", ["distinct", "many ties", "all zero"])
def test_the_largest_values_are_those_a_full_sort_puts_first(size: int, kind: str) -> None:
    rng = np.random.default_rng(size)
    values = {
        "distinct": rng.random(size),
        "many ties": rng.integers(0, 4, size) / 3.0,
        "all zero": np.zeros(size),
    }[kind]
    for take in (1, 3, 10):
        take = min(take, size)
        assert _most(values, take).tolist() == _reference(values, take).tolist()


def test_nothing_taken_is_nothing_found() -> None:
    assert _most(np.ones(10), 0).tolist() == []


@pytest.fixture(scope="module")
def matcher():
    return matcher_for(load_knowledge())


QUESTIONS = ["我想查一下我爷爷在外县的档案", "防空警报今天为什么响", "县政府办的电话多少", "档案"]


def test_a_question_looked_up_again_finds_what_it_found_the_first_time(matcher) -> None:
    neighbours = matcher.second_opinion.neighbours
    for question in QUESTIONS:
        read = matcher.read(question)
        first = neighbours.look(read, 10)
        again = neighbours.look(read, 10)
        assert again == first
        assert neighbours.nearest(read, 1) == first.nearest[:1]
        neighbours.look("别的问题", 10)  # another question in between
        assert neighbours.look(read, 1).nearest == first.nearest[:1]


def test_what_a_caller_changes_in_a_lookup_is_not_what_the_next_caller_gets(matcher) -> None:
    neighbours = matcher.second_opinion.neighbours
    read = matcher.read(QUESTIONS[0])
    first = neighbours.look(read, 10)
    first.nearest.clear()
    first.likely.clear()
    again = neighbours.look(read, 10)
    assert again.nearest and again.likely


def test_the_linear_model_scores_a_question_again_the_same(matcher) -> None:
    linear = matcher.second_opinion.linear
    assert linear is not None  # the bundled knowledge ships knowledge/labelled_model.npz
    read = matcher.read(QUESTIONS[1])
    first = linear.scores(read)
    first["baixiang/duty/14"] = 99.0  # the caller's copy
    assert linear.scores(read)["baixiang/duty/14"] != 99.0
    assert linear.scores(read) == linear._scores(read)


def test_place_names_are_marked_wherever_they_begin() -> None:
    own = frozenset({"柏乡", "柏乡县", "湘阴", "湘阴县"})
    assert mark_places("邯郸", own, "〇") == "〇"
    assert mark_places("我在邯郸打工，档案在宁晋县", own, "〇") == "我在〇打工，档案在〇"
    assert mark_places("河北柏乡的档案", own, "〇") == "河北柏乡的档案"
    # every name (of up to eight characters, the longest looked for) is found alone and inside
    for name in sorted(place_names()):
        if name in own or len(name) > 8:
            continue
        assert mark_places(f"{name}", own, "〇").count("〇") >= 1, name
        assert "〇" in mark_places(f"问{name}的事", own, "〇"), name
