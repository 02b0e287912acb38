"""Round 26: the naive Bayes over the labelled questions (`Neighbours._likely`) reads, per gram,
each label's summed weight from (gram, label) pairs made when the index is built, not from every
posting of the gram at every lookup: the same weights (to float32's precision, as the postings are
kept), a few labels per gram to read."""

from __future__ import annotations

import marshal

import numpy as np
import pytest

from bot.knowledge import load_knowledge
from bot.matcher.neighbours import Neighbours, grams
from bot.text import normalize


@pytest.fixture(scope="module")
def neighbours() -> Neighbours:
    labelled = load_knowledge().extras["labelled"]
    some = {label: questions[:40] for label, questions in labelled.items()}
    return Neighbours(marshal.loads(marshal.dumps(Neighbours.build(some))))  # as the cache stores it


def _used_by_walking_postings(n: Neighbours, gram: int) -> np.ndarray:
    postings = slice(n._ends[gram - 1] if gram > 0 else 0, n._ends[gram])
    labels = n._label_of[n._questions[postings]]
    return np.bincount(labels, weights=n._weights[postings], minlength=len(n.labels))


def test_each_grams_label_weights_are_its_postings_summed(neighbours: Neighbours) -> None:
    counts = np.diff(neighbours._ends, prepend=0)
    # a gram in one question, a gram in a few, and the grams most questions share ("的", "档案")
    chosen = [int(np.argmin(counts)), int(np.flatnonzero(counts == 5)[0]), *np.argsort(counts)[-3:].tolist()]
    chosen.append(0)  # the first gram: its pairs start at the array's start
    used = neighbours._used(np.array(chosen))
    for row, gram in zip(used, chosen, strict=True):
        assert row == pytest.approx(_used_by_walking_postings(neighbours, gram), rel=1e-6, abs=1e-9)
    assert (used > 0).sum(axis=1).tolist() == [
        int((_used_by_walking_postings(neighbours, g) > 0).sum()) for g in chosen
    ]


def test_a_question_reads_the_label_chances_its_grams_postings_give(neighbours: Neighbours) -> None:
    question = normalize("我想查一下我爷爷在外县的档案")
    asked = np.array(list(grams(question)), dtype=neighbours._grams.dtype)
    at = np.minimum(np.searchsorted(neighbours._grams, asked), len(neighbours._grams) - 1)
    at = at[neighbours._grams[at] == asked]  # the grams the labelled questions hold
    assert len(at) > 10
    walked = np.vstack([_used_by_walking_postings(neighbours, g) for g in at])
    assert neighbours._used(at) == pytest.approx(walked, rel=1e-6, abs=1e-9)
    chances = neighbours.look(question, 5).likely
    assert max(chances, key=chances.get) in {"baixiang/service/9", "xiangyin/duty/5", "baixiang/duty/15"}
