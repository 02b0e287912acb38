"""Round 27: the labelled questions' postings number their questions in 16 bits while they fit
(a county's 40,000 rows: 6 MB instead of 12 for 3.2M postings), and in 32 beyond: the same
nearest questions and label chances either way."""

from __future__ import annotations

import marshal

import numpy as np
import pytest

from bot.knowledge import load_knowledge
from bot.matcher import neighbours as module
from bot.matcher.neighbours import Neighbours
from bot.text import normalize

QUESTIONS = ["异地查档怎么办", "防空警报今天为什么响", "我想要一份村里修路占地的批文", "档案局来检查罚款多少"]


def stored(labelled: dict[str, list[str]]) -> Neighbours:
    return Neighbours(marshal.loads(marshal.dumps(Neighbours.build(labelled))))  # as the cache keeps it


@pytest.fixture(scope="module")
def labelled() -> dict[str, list[str]]:
    return {label: questions[:60] for label, questions in load_knowledge().extras["labelled"].items()}


def test_a_countys_questions_are_numbered_in_16_bits(labelled) -> None:
    assert stored(labelled)._questions.dtype == np.uint16


def test_wider_numbers_read_the_same_neighbours(labelled, monkeypatch) -> None:
    narrow = stored(labelled)
    monkeypatch.setattr(module, "_question_dtype", lambda count: np.int32)  # a province's width
    wide = stored(labelled)
    assert wide._questions.dtype == np.int32
    for question in QUESTIONS:
        asked = normalize(question)
        assert narrow.look(asked, 5) == wide.look(asked, 5), question


@pytest.mark.parametrize(("rows", "dtype"), [(65535, np.uint16), (65536, np.int32)])
def test_the_width_follows_the_count(rows, dtype) -> None:
    assert module._question_dtype(rows) is dtype
