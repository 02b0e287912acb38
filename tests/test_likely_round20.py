"""Issue 9, round 20: beside the nearest labelled questions, the model weighs how likely each
answer is by all of its labelled questions together (`Neighbours.look`, a naive Bayes over their
grams). The nearest questions say who asked alike; the chance says which answer's questions, all
together, use the resident's words (the blind training sets in three folds, each read by a model
trained on the other two: 3,584 -> 3,668 of 4,559 weighed readings right)."""

from __future__ import annotations

import pytest

from bot.labelled import DECLINE
from bot.matcher.combiner import FEATURES, Evidence
from bot.matcher.neighbours import Neighbours
from bot.matcher.second_opinion import evidence
from bot.text import normalize


def _neighbours(labelled: dict[str, list[str]]) -> Neighbours:
    return Neighbours(Neighbours.build(labelled))


SIRENS = ["警报响了要躲吗", "今天拉警报是演习吗", "防空警报试鸣在几号", "听见警报声该往哪跑"]


def test_the_label_whose_questions_use_the_words_is_the_likely_one():
    neighbours = _neighbours({"rf/警报": SIRENS, "ar/查档": ["外县的档案怎么查", "去别的县查档要带啥"]})
    look = neighbours.look(normalize("早上拉的警报是咋回事"), 3)
    assert look.nearest[0][0] == "rf/警报"
    assert max(look.likely, key=look.likely.__getitem__) == "rf/警报"
    assert look.likely["rf/警报"] > 0.9
    assert sum(look.likely.values()) == pytest.approx(1.0, abs=0.01)
    assert look.nearest == neighbours.nearest(normalize("早上拉的警报是咋回事"), 3)


def test_a_question_sharing_nothing_has_no_neighbours_and_no_likely_label():
    neighbours = _neighbours({"rf/警报": SIRENS})
    assert neighbours.look("xyz", 3).nearest == []
    assert neighbours.look("xyz", 3).likely == {}


def test_the_model_reads_both_as_features_of_every_candidate(matcher):
    """`likely` is the label's chance; `likely_first` says whether no label is likelier."""
    neighbours = matcher.second_opinion.neighbours
    result = matcher.decider.match("今天拉警报是演习吗", 3, None)
    read = normalize("今天拉警报是演习吗")
    seen = evidence(result, neighbours, read, read)
    best = max(seen.likely, key=seen.likely.__getitem__)
    first, chance = FEATURES.index("likely_first"), FEATURES.index("likely")
    for label in seen.candidates():
        row = seen.features(label)
        assert len(row) == len(FEATURES)
        assert row[chance] == seen.likely.get(label, 0.0)
        assert row[first] == float(label == best)
    # evidence built by hand (no labelled questions looked up) reads as no chance at all
    bare = Evidence(result, DECLINE, [("b/2", 0.5)])
    assert bare.features("b/2")[chance] == 0.0 and bare.features("b/2")[first] == 0.0
