"""Round 33: `citizen-bot eval` also counts an answer whose reply offers the other county's entry
when that entry is the right one ("top-1 or the other county's entry offered"). Asked with no
county named and in neither county's dialect, 柏乡's archive duty and 湘阴's archive bureau answer
the same question; the reply gives one and a button for the other (`bot.qa`), so a resident of
the other county is one tap from the answer. Top-1 itself is unchanged: the figure is beside it."""

from __future__ import annotations

from bot.evaluation import evaluate


def test_the_other_countys_entry_offered_is_counted_beside_top_1(knowledge):
    rows = [
        # no county named: 柏乡's duty answers, 湘阴's is offered
        {"q": "档案局会来检查企业的档案工作吗", "gold": ["xiangyin/duty/2"]},
        # 湘阴 named: no other county to offer
        {"q": "湘阴档案局会来检查企业的档案工作吗", "gold": ["baixiang/duty/15"]},
    ]
    report, misses = evaluate(knowledge, rows)
    assert report["top1"] == 0.0
    assert report["top1_or_offered"] == 0.5
    assert any("(offered: xiangyin/duty/2)" in m for m in misses)
    assert not any("offered" in m for m in misses if "湘阴档案局" in m)


def test_a_right_answer_counts_once(knowledge):
    rows = [{"q": "档案局会来检查企业的档案工作吗", "gold": ["baixiang/duty/15"]}]
    report, misses = evaluate(knowledge, rows)
    assert report["top1"] == report["top1_or_offered"] == 1.0
    assert misses == []
