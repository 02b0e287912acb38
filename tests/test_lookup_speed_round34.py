"""Round 34: the walked grams' postings are copied run after run (`Neighbours._look`), not
gathered by position; the similarities must stay the cosines of the two questions' tf-idf vectors,
which this test computes the slow, obvious way."""

from __future__ import annotations

import math

import pytest

from bot.matcher import neighbours
from bot.matcher.neighbours import Neighbours, grams
from bot.text import normalize

LABELLED = {
    "a": ["我想查一下我爷爷在外县的档案", "外地的档案能在这里查吗", "查档要带什么"],
    "b": ["防空警报今天为什么响", "警报响了要躲吗", "人防演练什么时候"],
    "c": ["村里修路占地的批文能给我一份吗", "想要一份县政府的文件", "信息公开怎么申请"],
}


def _vectors(questions: list[str]) -> tuple[list[dict[str, float]], dict[str, float]]:
    """Each question's tf-idf vector, unit length, as `Neighbours.build` defines it."""
    counted = [grams(normalize(q)) for q in questions]
    df: dict[str, int] = {}
    for c in counted:
        for g in c:
            df[g] = df.get(g, 0) + 1
    idf = {g: math.log((len(questions) + 1) / (n + 1)) + 1 for g, n in df.items()}
    out = []
    for c in counted:
        v = {g: (1 + math.log(n)) * idf[g] for g, n in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values()))
        out.append({g: x / norm for g, x in v.items()})
    return out, idf


@pytest.mark.parametrize("dense_bar", [10**9, 2])
@pytest.mark.parametrize("asked", ["我爷爷的档案在外县 能查吗", "警报", "想要村里的批文", "今天天气"])
def test_a_lookup_finds_the_cosine_of_the_two_vectors(asked: str, dense_bar: int, monkeypatch) -> None:
    """Whether a gram's postings are walked or read as a dense row, the similarity is the cosine."""
    monkeypatch.setattr(neighbours, "DENSE_POSTINGS", dense_bar)
    questions = [q for qs in LABELLED.values() for q in qs]
    labels = [label for label, qs in LABELLED.items() for _ in qs]
    stored, idf = _vectors(questions)
    asked_grams = {g: n for g, n in grams(normalize(asked)).items() if g in idf}
    query = {g: (1 + math.log(n)) * idf[g] for g, n in asked_grams.items()}
    length = math.sqrt(sum(x * x for x in query.values())) or 1.0
    expected = sorted(
        ((-sum(query[g] / length * v.get(g, 0.0) for g in query), i) for i, v in enumerate(stored)),
    )
    expected = [(labels[i], -s) for s, i in expected if -s > 0]

    found = Neighbours(Neighbours.build(LABELLED)).nearest(normalize(asked), len(questions))

    assert [label for label, _ in found] == [label for label, _ in expected]
    assert [s for _, s in found] == pytest.approx([s for _, s in expected], abs=1e-6)
