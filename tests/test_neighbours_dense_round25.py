"""Round 25: a gram most labelled questions share ("的", "档案") is read as a dense row of weights
instead of walking its postings one by one (`bot.matcher.neighbours.DENSE_POSTINGS`): faster, and
the same nearest questions, similarities and label chances as walking every posting (the rows are
summed in float32 since round 26: similarities agree to 1e-7, the order of the nearest exactly)."""

from __future__ import annotations

import pytest

from bot.knowledge import load_knowledge
from bot.matcher import matcher_for, neighbours
from bot.matcher.neighbours import Neighbours

QUESTIONS = [
    "我想查一下我爷爷在外县的档案",
    "防空警报今天为什么响",
    "村里修路占地的批文能给我一份吗",
    "档案",
    "how do I get a copy of a county document",
    "县政府办的电话多少",
    "今天天气怎么样",
]


@pytest.fixture(scope="module")
def labelled_and_read():
    knowledge = load_knowledge()
    return knowledge.extras["labelled"], matcher_for(knowledge).read


def test_dense_rows_read_the_same_as_walking_every_posting(labelled_and_read, monkeypatch) -> None:
    labelled, read = labelled_and_read
    data = Neighbours.build(labelled)
    monkeypatch.setattr(neighbours, "DENSE_POSTINGS", 10**9)
    walked = Neighbours(data)
    assert len(walked._dense.gram_of) == 0  # the rows are chosen at the first lookup, by the bar then
    monkeypatch.setattr(neighbours, "DENSE_POSTINGS", 50)
    dense = Neighbours(data)
    assert len(dense._dense.gram_of) > 100  # many grams are dense rows at this bar
    for question in QUESTIONS:
        a, b = walked.look(read(question), 10), dense.look(read(question), 10)
        assert [label for label, _ in a.nearest] == [label for label, _ in b.nearest], question
        assert [s for _, s in a.nearest] == pytest.approx([s for _, s in b.nearest], abs=1e-7)
        assert a.likely.keys() == b.likely.keys(), question
        assert [a.likely[k] for k in a.likely] == pytest.approx([b.likely[k] for k in a.likely], abs=1e-12)


def test_a_question_whose_grams_are_all_dense_rows_reads_the_same(labelled_and_read, monkeypatch) -> None:
    """ "档案" alone: every gram a dense row, no posting walked."""
    labelled, read = labelled_and_read
    data = Neighbours.build({label: questions[:30] for label, questions in labelled.items()})
    monkeypatch.setattr(neighbours, "DENSE_POSTINGS", 10**9)
    walked = Neighbours(data)
    assert len(walked._dense.gram_of) == 0
    monkeypatch.setattr(neighbours, "DENSE_POSTINGS", 1)  # every gram a dense row
    dense = Neighbours(data)
    assert len(dense._dense.gram_of) == len(dense._grams)
    for question in ["档案", *QUESTIONS]:
        a, b = walked.look(read(question), 5), dense.look(read(question), 5)
        assert a.nearest and [label for label, _ in a.nearest] == [label for label, _ in b.nearest]
        assert [s for _, s in a.nearest] == pytest.approx([s for _, s in b.nearest], abs=1e-7)
        assert a.likely.keys() == b.likely.keys()
