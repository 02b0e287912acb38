"""Every pattern applied to resident text runs in linear time (issue 11 item 9).

The e-mail part of the old scrub() pattern was quadratic: a 4,096-character Latin/digit message
took most of a second of CPU under the GIL and a 100,000-character token 273 s; the reference and
alarm-signal patterns of the engine were quadratic too. Timing assertions do not belong in unit
tests, so the 100,000-character inputs run in a child process with a generous timeout: linear
code finishes them in well under a second each, quadratic code not in hours.
The corpus is tests/data/hostile/regex_inputs.jsonl; bench figures: bench/regex.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.dialog import find_reference
from bot.masking import scrub
from bot.qa import MATCH_CHARS

ROOT = Path(__file__).resolve().parents[1]
CORPUS_FILE = ROOT / "tests" / "data" / "hostile" / "regex_inputs.jsonl"
CORPUS = [json.loads(line) for line in CORPUS_FILE.read_text("ascii").splitlines() if line.strip()]


def build(row: dict[str, str], size: int) -> str:
    """The corpus row repeated to exactly `size` characters (head and tail kept)."""
    head, tail, unit = row.get("head", ""), row.get("tail", ""), row["unit"]
    body = unit * ((size - len(head) - len(tail)) // len(unit) + 1)
    return head + body[: size - len(head) - len(tail)] + tail


CHILD = """
import json, sys
sys.setrecursionlimit(10000)
from bot.masking import scrub
from bot.dialog import _SIGNAL_QUESTION, find_reference
from bot import formflow
from bot.text import normalize
from tests.test_hostile_regex import CORPUS, build
for row in CORPUS:
    text = build(row, int(sys.argv[1]))
    scrub(text); find_reference(text); _SIGNAL_QUESTION.search(normalize(text))
    formflow.looks_like_question(text); formflow.is_clear_question(text)
    print(row["id"], flush=True)
"""


def run_child(code: str, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as exc:
        done = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        pytest.fail(f"patterns did not finish in {timeout:.0f} s; finished: {done.split()}")


@pytest.mark.parametrize("size", [4096, 100_000])
def test_patterns_on_resident_text_finish_on_adversarial_input(size) -> None:
    # Each input takes milliseconds when linear; the quadratic scrub() needed 273 s for one.
    result = run_child(CHILD, str(size), timeout=90)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [row["id"] for row in CORPUS]


def test_the_corpus_is_built_to_size() -> None:
    for row in CORPUS:
        assert len(build(row, 4096)) == 4096 and len(build(row, 100_000)) == 100_000


def test_linear_patterns_still_find_what_they_did() -> None:
    assert scrub("mail zhang.san@example.com, 13812345678") == "mail z********@example.com, 138****5678"
    assert find_reference("编号 GK - 20261123 - 0001 进度") == "GK-20261123-0001"
    assert find_reference("gk20261123_0001") == "GK-20261123-0001"
    from bot.dialog import _SIGNAL_QUESTION

    assert _SIGNAL_QUESTION.search("防空警报三种信号有什么区别")
    assert _SIGNAL_QUESTION.search("警报警报响几声")
    assert not _SIGNAL_QUESTION.search("信号警报")


MATCHER_CHILD = """
import sys
from bot.knowledge import BUNDLED_KNOWLEDGE, load_knowledge
from bot.qa import answer_question
knowledge = load_knowledge(BUNDLED_KNOWLEDGE)
for unit in ("ab", "a1 ", "我想申请政府信息公开"):
    text = (unit * 100_000)[:100_000]
    reply = answer_question(knowledge, text)
    assert reply.question == text
    print(reply.intent, flush=True)
"""


def test_the_matcher_reads_a_bounded_part_of_a_huge_message() -> None:
    # Before the bound, "ab" * 50,000 alone took 37 s in the matcher.
    result = run_child(MATCHER_CHILD, timeout=90)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.split()) == 3


def test_the_matcher_sees_at_most_match_chars_and_the_reply_keeps_the_whole_question(monkeypatch) -> None:
    from bot import qa
    from tests.dialog_support import bundled

    knowledge = bundled()
    matcher = qa.matcher_for(knowledge)
    seen: list[int] = []
    real = type(matcher).match

    def spy(self, text, *args, **kwargs):
        seen.append(len(text))
        return real(self, text, *args, **kwargs)

    monkeypatch.setattr(type(matcher), "match", spy)
    question = "我想申请政府信息公开" * 1000
    reply = qa.answer_question(knowledge, question)
    assert seen and max(seen) <= MATCH_CHARS
    assert reply.question == question
