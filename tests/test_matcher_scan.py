"""Scoring every entry at once over arrays (`bot.matcher.scan`, used for a province's knowledge)
gives exactly what the Python walk gives: the same entries, scores, coverage and order, ties
between near-identical copies of one department included (issue 15)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from bot.knowledge import load_knowledge
from bot.matcher import Matcher, scoring
from bot.matcher import index as index_module
from bot.matcher.scan import FullScan

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
QUESTION_FILES = [
    "resident_questions.jsonl",
    "tuning_questions.jsonl",
    "tuning2_questions.jsonl",
    "tuning3_train.jsonl",
    "tuning3_holdout.jsonl",
]


def questions(*names: str) -> list[str]:
    return [
        json.loads(line)["q"]
        for name in names
        for line in (DATA / name).read_text("utf-8").splitlines()
        if line.strip()
    ]


def compare_every_call(matcher: Matcher, asked: list[str], monkeypatch) -> Counter:
    """Answer each question, scoring every `score` call (the whole question, its clauses) both
    ways; returns how many calls were compared, by whether the scan scored every entry ("all")
    or only those the question reaches ("reached")."""
    scan = FullScan(matcher.index)
    walk = scoring.Scorer.score
    calls: Counter = Counter()
    reached = scan._reached

    def tally(found, fuzzy):
        ids = reached(found, fuzzy)
        calls["all" if ids is None else "reached"] += 1
        return ids

    scan._reached = tally

    def both(self, words, weights, department=None):
        expected = walk(self, words, weights, department)
        got = scan.score(words, weights, self._fuzzy(words), department)
        assert got == expected, (words, department)
        return expected

    monkeypatch.setattr(scoring.Scorer, "score", both)
    for q in asked:
        matcher._analysis_cache.clear()
        matcher.match(q)
    return calls


@pytest.fixture
def small_scale(monkeypatch):
    """The Python walk for any size, so that it can be compared with the scan."""
    monkeypatch.setattr(scoring, "SCAN_FROM_ENTRIES", 10**9)


def test_scan_scores_exactly_like_the_walk_on_the_question_files(small_scale, monkeypatch):
    matcher = Matcher(load_knowledge())
    calls = compare_every_call(matcher, questions(*QUESTION_FILES), monkeypatch)
    assert calls["all"] + calls["reached"] > 500
    assert calls["all"] > 50 and calls["reached"] > 50  # both ways of numbering the entries


def test_scan_breaks_ties_between_copies_like_the_walk(small_scale, monkeypatch, tmp_path):
    """Three copies of every department (bench/scale.py's re-worded copies): many entries score
    alike, and which passage counts on a tie decides coverage."""
    monkeypatch.setenv("CITIZEN_BOT_INDEX_CACHE", "0")
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from scale import build_knowledge
    finally:
        sys.path.remove(str(ROOT / "bench"))
    matcher = Matcher(load_knowledge(build_knowledge(3, tmp_path)))
    assert len(matcher.docs) > 150
    calls = compare_every_call(matcher, questions("resident_questions.jsonl"), monkeypatch)
    assert calls["all"] + calls["reached"] > 150 and calls["reached"] > 50


def test_large_knowledge_is_packed_and_scored_by_the_scan(monkeypatch):
    """A province's index (built as from SCAN_FROM_ENTRIES on: packed postings, no walk tiers)
    holds the same units and answers exactly like a county's."""
    monkeypatch.setenv("CITIZEN_BOT_INDEX_CACHE", "0")
    walked = Matcher(load_knowledge())
    assert walked.scorer._scan is None and walked.index.postings is not None
    monkeypatch.setattr(index_module, "SCAN_FROM_ENTRIES", 1)
    monkeypatch.setattr(scoring, "SCAN_FROM_ENTRIES", 1)
    scanned = Matcher(load_knowledge())
    assert isinstance(scanned.scorer._scan, FullScan) and scanned.index.postings is None
    assert scanned.index.unit_ids == walked.index.unit_ids
    assert scanned.index.known_terms == walked.index.known_terms
    terms = sorted(walked.index.postings)[::7]
    n = len(walked.index.docs)
    assert [scanned.index.holds(t, i) for t in terms for i in range(n)] == [
        walked.index.holds(t, i) for t in terms for i in range(n)
    ]
    # the tuning4 files reach the decision's unknown-topic check, which reads `holds`
    for q in questions("resident_questions.jsonl", "tuning_questions.jsonl", "tuning4_train.jsonl"):
        assert scanned.match(q) == walked.match(q), q
