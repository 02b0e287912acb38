"""Issue 9, round 20: what the model weighing the matcher against the labelled questions reads.

- How likely each answer is by all of its labelled questions together (`Neighbours.look`, a naive
  Bayes over their grams). The nearest questions say who asked alike; the chance says which
  answer's questions, all together, use the resident's words (the blind training sets in three
  folds, each read by a model trained on the other two: 3,584 -> 3,668 of 4,559 weighed readings).
- Readings made by a service's pattern (`intents.yaml`), told apart by a feature of their own and
  replaced only when the model is near sure (`SERVICE_OVERRULE`; unguarded, 366 -> 428 of 529
  right).
- A decline is a claim about another office: the office an English question names once read in
  Chinese counts as named, and an answer the knowledge's words chose clearly is not declined on
  a likely guess."""

from __future__ import annotations

import pytest

from bot.labelled import DECLINE
from bot.matcher.combiner import FEATURES, Evidence
from bot.matcher.decide import SUGGEST_FLOOR
from bot.matcher.neighbours import Neighbours
from bot.matcher.second_opinion import CLEAR_LEAD, evidence
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


# ---------------------------------------------------------------- service readings


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("我要政府的文件", "baixiang/service/1"),
        ("村里修路占地的批文俺想要一份", "baixiang/service/1"),
        ("查外县档案", "baixiang/service/9"),
    ],
)
def test_a_service_the_words_ask_for_stands_unless_clearly_otherwise(matcher, question, entry):
    raw = matcher.decider.match(question, 3, None)
    assert "service" in raw.notes and matcher.second_opinion.weighs(raw)
    r = matcher.match(question)
    assert (r.intent, r.top[0].id) == ("answer", entry)


def test_a_service_reading_filed_otherwise_by_residents_takes_their_label(matcher):
    """The 人防 pattern reads 警报 as the office's air-defence work; a resident asking for the
    siren test's date was filed under the drills and sirens entry, and a question asked again in
    (almost) the same words takes it."""
    question = "咱县今年还拉防空警报不，几号？"
    assert matcher.decider.match(question, 3, None).top[0].id == "baixiang/duty/14"
    r = matcher.match(question)
    assert (r.intent, r.top[0].id) == ("answer", "baixiang/service/4")


# ---------------------------------------------------------------- declining


def test_an_english_question_naming_an_office_once_read_keeps_its_referral(matcher):
    r = matcher.match("my company is restructuring, what happens to my pension")
    assert r.intent == "decline" and r.referral == "renshe_tuixiu"


def test_a_clear_answer_is_not_declined_on_a_likely_guess(matcher):
    """Labelled questions about phone plans (欠费预警短信) make declining likely; the matcher's
    answer leads by more than CLEAR_LEAD, and the chance is short of DECLINE_CLEAR_ANSWER."""
    raw = matcher.decider.match("预警短信到期了怎么续订", 3, None)
    assert raw.top[0].score - raw.top[1].score >= CLEAR_LEAD
    r = matcher.match("预警短信到期了怎么续订")
    assert (r.intent, r.top[0].id) == ("answer", "baixiang/service/2")


def test_unsure_suggestions_leave_out_what_the_matcher_would_not_offer(matcher):
    r = matcher.match("档案")
    assert r.intent == "suggest" and all(c.score >= SUGGEST_FLOOR for c in r.top)
