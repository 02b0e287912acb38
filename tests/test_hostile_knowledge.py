"""Hostile knowledge files (issue 11 item 7): refused with a clear problem, never a hang.

A thousand nested brackets used to raise RecursionError; a YAML alias bomb used as an entry,
event or form id hung `knowledge check`, start-up and /reload forever (``str(entry_id)`` of a
billion strings); a 10 MB entry passed the check and then made `ask` take 99 s and 1.5 GB. Every
loader reads through ``bot.knowledge.read_yaml``, which now refuses aliases, deep nesting, and
oversized fields and files, naming the file, entry and field. Commands run in a child process
with a timeout, so a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.knowledge import (
    BUNDLED_KNOWLEDGE,
    MAX_DEPTH,
    MAX_FIELD_CHARS,
    MAX_FILE_BYTES,
    KnowledgeError,
    load_knowledge,
)
from bot.knowledge_files import MAX_LABELLED_BYTES

ROOT = Path(__file__).resolve().parents[1]

#: Nine levels of nine: 387,420,489 strings once expanded, a few hundred bytes as written.
BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip(["", "a", "b", "c", "d", "e", "f", "g", "h"], "abcdefghi", strict=True)
)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def hostile_knowledge(tmp: Path, case: str) -> tuple[Path, list[str]]:
    """A copy of the bundled knowledge with one hostile change; the words its problem must name."""
    k = tmp / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, k)
    dept = k / "departments" / "xiangyin.yaml"
    if case == "nested_brackets":
        with dept.open("a", encoding="utf-8") as f:
            f.write("extra: " + "[" * 1000 + "]" * 1000 + "\n")
        return k, ["xiangyin.yaml", "nested"]
    if case == "nested_mappings":
        with dept.open("a", encoding="utf-8") as f:
            f.write("extra: " + "{a: " * 200 + "1" + "}" * 200 + "\n")
        return k, ["xiangyin.yaml", "nested", f"{MAX_DEPTH}"]
    if case == "bomb_entry_id":
        _edit(dept, "id: xiangyin\n", BOMB + "id: xiangyin\n")
        _edit(dept, "  - id: xiangyin/duty/2\n", "  - id: *i\n")
        return k, ["xiangyin.yaml", "alias"]
    if case == "bomb_event_id":
        _edit(k / "events.yaml", "events:\n", BOMB + "events:\n")
        _edit(k / "events.yaml", "  - id: renfang_xuanchuanyue\n", "  - id: *i\n")
        return k, ["events.yaml", "alias"]
    if case == "bomb_form_id":
        _edit(k / "forms" / "drill_booking.yaml", "id: drill_booking\n", BOMB + "id: *i\n")
        return k, ["drill_booking.yaml", "alias"]
    if case == "huge_file":
        _edit(dept, "    title: 全县档案事业统筹规划和宏观管理\n", "    title: " + "档" * 3_500_000 + "\n")
        return k, ["xiangyin.yaml", "bytes", f"{MAX_FILE_BYTES:,}"]
    if case == "huge_labelled":
        with (k / "labelled_questions.yaml").open("a", encoding="utf-8") as f:
            f.write("# " + "档" * (MAX_LABELLED_BYTES // 3) + "\n")
        return k, ["labelled_questions.yaml", "bytes", f"{MAX_LABELLED_BYTES:,}"]
    if case == "huge_field":
        _edit(dept, "    title: 全县档案事业统筹规划和宏观管理\n", "    title: " + "档" * 100_000 + "\n")
        return k, ["xiangyin.yaml", "xiangyin/duty/1", "title", f"{MAX_FIELD_CHARS:,}"]
    raise AssertionError(case)


CASES = [
    "nested_brackets",
    "nested_mappings",
    "bomb_entry_id",
    "bomb_event_id",
    "bomb_form_id",
    "huge_file",
    "huge_labelled",
    "huge_field",
]


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    try:
        return subprocess.run(
            [sys.executable, "-m", "cli", *args],
            cwd=ROOT,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"citizen-bot {' '.join(args[:2])} did not finish in 60 s")


@pytest.mark.parametrize("case", CASES)
def test_knowledge_check_names_the_problem(tmp_path, case):
    knowledge, words = hostile_knowledge(tmp_path, case)
    result = _cli("knowledge", "check", "--knowledge", str(knowledge))
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    first = result.stdout.splitlines()[0]
    assert all(word in first for word in words), first


@pytest.mark.parametrize("case", ["nested_brackets", "bomb_entry_id", "bomb_form_id", "huge_file"])
def test_start_up_refuses_the_knowledge(tmp_path, case):
    knowledge, words = hostile_knowledge(tmp_path, case)
    result = _cli("chat", "--db", str(tmp_path / "bot.db"), "--knowledge", str(knowledge), stdin="你好\n")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert all(word in result.stderr for word in words), result.stderr[-2000:]


RELOAD_CHILD = """
import sys
from bot.knowledge import KnowledgeError, load_knowledge
try:
    load_knowledge(sys.argv[1])
except KnowledgeError as exc:
    print("\\n".join(str(p) for p in exc.problems))
else:
    print("LOADED")
"""


@pytest.mark.parametrize("case", CASES)
def test_reload_loader_raises_a_knowledge_error(tmp_path, case):
    # /reload calls load_knowledge and keeps the old knowledge when it raises KnowledgeError;
    # in a child process so that a hang fails the test instead of stalling the suite
    knowledge, words = hostile_knowledge(tmp_path, case)
    try:
        result = subprocess.run(
            [sys.executable, "-c", RELOAD_CHILD, str(knowledge)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("load_knowledge did not finish in 60 s")
    assert result.returncode == 0, result.stderr[-2000:]
    problems = result.stdout.splitlines()
    assert problems != ["LOADED"]
    assert any(all(word in p for word in words) for p in problems), problems


def test_the_labelled_questions_may_outgrow_an_ordinary_files_limit(tmp_path):
    """Staff file residents' questions for years: the labelled file has its own, larger limit
    (`MAX_LABELLED_BYTES`), and an oversized one is said once, not also as a malformed file."""
    k = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, k)
    labelled = k / "labelled_questions.yaml"
    with labelled.open("a", encoding="utf-8") as f:
        f.write("# " + "档" * (MAX_FILE_BYTES // 3) + "\n")
    assert MAX_FILE_BYTES < labelled.stat().st_size < MAX_LABELLED_BYTES
    assert load_knowledge(k).extras["labelled"]
    knowledge, words = hostile_knowledge(tmp_path / "huge", "huge_labelled")
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(knowledge)
    about = [str(p) for p in raised.value.problems if "labelled_questions.yaml" in str(p)]
    assert len(about) == 1 and all(word in about[0] for word in words), about


def test_the_bundled_knowledge_is_within_the_limits():
    assert load_knowledge(BUNDLED_KNOWLEDGE).entries()
