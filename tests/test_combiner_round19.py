"""Issue 9, round 19: when the matcher's reading and the labelled questions disagree, a model
trained on blind sets weighs how sure each side is (`bot.matcher.combiner`,
`bot.matcher.second_opinion`, `scripts/train_combiner.py`)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from bot.labelled import DECLINE
from bot.matcher.combiner import FEATURES, Evidence, fit, shipped
from bot.matcher.model import Candidate, MatchResult
from bot.matcher.neighbours import Neighbours
from bot.matcher.second_opinion import SecondOpinion
from tests.test_labelled_round18 import MEASURING, UNREAD

ROOT = Path(__file__).resolve().parents[1]


def _script():
    spec = importlib.util.spec_from_file_location("train_combiner", ROOT / "scripts" / "train_combiner.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _opinion(matcher, labelled: dict[str, list[str]]) -> SecondOpinion:
    titles = {loc.id: loc.title for loc in matcher.knowledge.entries()}
    return SecondOpinion(Neighbours(Neighbours.build(labelled)), titles, matcher._whose_business)


def test_the_shipped_weights_fit_the_features_and_come_from_blind_training_sets():
    weights = shipped()
    assert len(weights.weights) == len(weights.mean) == len(weights.scale) == len(FEATURES)
    training = _script().TRAINING
    assert len(training) >= 10
    measuring = {p.stem for p in MEASURING} | {name.removesuffix(".jsonl") for name in UNREAD}
    assert not measuring & set(training)  # a set that measures the matcher never trains it
    assert all((ROOT / "tests" / "data" / f"{name}.jsonl").is_file() for name in training)


def test_every_candidate_is_described_by_every_feature():
    result = MatchResult(
        "q",
        "q",
        "suggest",
        [Candidate("a/1", "A", 30.0), Candidate("b/2", "B", 20.0)],
        coverage=0.4,
        notes=("coverage:0.40",),
    )
    seen = Evidence(result, "a/1", [("b/2", 0.5), ("c/3", 0.4), ("b/2", 0.3)])
    assert seen.candidates() == ["a/1", "b/2", "c/3", DECLINE]
    rows = {label: dict(zip(FEATURES, seen.features(label), strict=True)) for label in seen.candidates()}
    assert rows["a/1"]["ours_suggest"] == 1 and rows["a/1"]["share_5"] == 0
    assert rows["b/2"]["matcher_second"] == 1 and rows["b/2"]["share_3"] == pytest.approx(0.8 / 1.2)
    assert rows["b/2"]["nearest_is"] == 1 and rows["c/3"]["closest_behind"] == pytest.approx(-0.1)
    assert rows[DECLINE]["decline"] == 1 and rows[DECLINE]["decline_coverage"] == pytest.approx(0.4)


def test_the_model_learns_which_signal_says_right():
    """Rows where the first feature is high are right: the trained model ranks them first."""
    rows = [[float(i % 2), float(i % 3)] + [0.0] * (len(FEATURES) - 2) for i in range(60)]
    weights = fit(rows, [row[0] == 1.0 for row in rows], steps=500)
    chances = weights.probabilities([[1.0, 0.0] + [0.0] * (len(FEATURES) - 2), [0.0] * len(FEATURES)])
    assert chances[0] > 0.9 > 0.1 > chances[1]


def test_a_sure_answer_stands_whatever_others_asked(matcher):
    """Covered word for word and scored high: the knowledge's own words settle it."""
    question = "县领导的讲话稿都是谁写的"
    result = matcher.decider.match(question, 3, None)
    assert result.intent == "answer" and result.top[0].id == "baixiang/duty/5" and result.coverage >= 0.9
    others = {"baixiang/duty/1": ["县领导的讲话稿是谁审的", "领导讲话稿谁审核", "讲话稿都是谁写谁审的"]}
    settled = _opinion(matcher, others).settle(result, matcher.analyser.analyse(question).repaired, question)
    assert settled == result


def test_many_residents_asking_alike_outweigh_a_weak_suggestion(matcher):
    """Not the question asked again, but five residents who asked alike and were answered by
    the archive's cross-archive lookup: the model takes their answer over the matcher's guess."""
    question = "她本人回不来 我替她去查 要带么子证件"
    result = matcher.decider.match(question, 3, None)
    assert result.top[0].id != "xiangyin/duty/5"
    alike = [
        "她人回不来 我替她去查要带么子证件",
        "我娘回不来 我替她去查档案要带么子",
        "本人回不来 家里人替她去查 要带么子证件",
        "她在外地回不来 我帮她去查 要带么子",
        "替屋里人去查 要带么子证件咯",
    ]
    settled = _opinion(matcher, {"xiangyin/duty/5": alike}).settle(
        result, matcher.analyser.analyse(question).repaired, question
    )
    assert settled.intent == "answer" and settled.top[0].id == "xiangyin/duty/5"
    assert any(note.startswith("labelled:") for note in settled.notes)


def test_training_on_blind_sets_beats_the_matcher_on_a_set_left_out(matcher, tmp_path):
    """The script end to end on three sets: trained on two, the model's picks on the third are
    right more often than the matcher's own; the weights file it writes loads back."""
    script = _script()
    sets = {name: script.rows_of(name, matcher)[0] for name in script.TRAINING[:3]}
    first, *rest = sets
    weights = script.train([row for name in rest for row in sets[name]])
    ours, model = script.measure(weights, sets[first])
    assert model > ours
    target = tmp_path / "combiner_weights.py"
    script.write(weights, tuple(rest), target)
    namespace: dict = {}
    exec(target.read_text(encoding="utf-8"), namespace)
    assert tuple(namespace["FEATURES"]) == FEATURES and tuple(namespace["WEIGHTS"]) == weights.weights
    assert rest[0] in target.read_text(encoding="utf-8")  # what it was trained on
