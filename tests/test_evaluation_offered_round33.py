"""Round 33: `citizen-bot eval` also counts an answer whose reply offers the other county's entry
when that entry is the right one ("top-1 or the other county's entry offered"). Asked with no
county named and in neither county's dialect, 柏乡's archive duty and 湘阴's archive bureau answer
the same question; the reply gives one and a button for the other (`bot.qa`), so a resident of
the other county is one tap from the answer. Top-1 itself is unchanged: the figure is beside it."""

from __future__ import annotations

from bot.evaluation import evaluate
from bot.qa import answer_question

#: Asked with no county named: one county's archive duty answers, the other's is offered (which
#: one answers is the matcher's choice; round 34's labelled questions moved it to 湘阴's).
UNNAMED = "档案局会来检查企业的档案工作吗"


def _answer_and_offer(knowledge) -> tuple[str, str]:
    reply = answer_question(knowledge, UNNAMED)
    assert reply.intent == "answer" and reply.other is not None
    assert reply.top[0].id.split("/")[0] != reply.other.split("/")[0]  # the other county's
    return reply.top[0].id, reply.other


def test_the_other_countys_entry_offered_is_counted_beside_top_1(knowledge):
    answered, offered = _answer_and_offer(knowledge)
    named = "湘阴" if offered.startswith("baixiang/") else "柏乡"  # the answering county named
    rows = [
        # no county named: one county's entry answers, the other's (the gold here) is offered
        {"q": UNNAMED, "gold": [offered]},
        # the answering county named: no other county to offer
        {"q": named + UNNAMED, "gold": [offered]},
    ]
    report, misses = evaluate(knowledge, rows)
    assert report["top1"] == 0.0
    assert report["top1_or_offered"] == 0.5
    assert any(f"(offered: {offered})" in m for m in misses)
    assert not any("offered" in m for m in misses if named in m)


def test_a_right_answer_counts_once(knowledge):
    answered, _ = _answer_and_offer(knowledge)
    report, misses = evaluate(knowledge, [{"q": UNNAMED, "gold": [answered]}])
    assert report["top1"] == report["top1_or_offered"] == 1.0
    assert misses == []
