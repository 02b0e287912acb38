"""knowledge/guidance.yaml and the `texts:` of events.yaml: validated on load, problems naming
file, entry and field; the shipped files are complete."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

from bot.archives import ArchiveDirectory
from bot.events import TEXT_KEYS, asked_day, load_events
from bot.guidance import Guidance, load_guidance
from bot.knowledge import BUNDLED_KNOWLEDGE, Problem

SHIPPED_GUIDANCE = (BUNDLED_KNOWLEDGE / "guidance.yaml").read_text(encoding="utf-8")


def _load(tmp_path: Path, text: str) -> tuple[Guidance, list[Problem]]:
    root = tmp_path / "knowledge"
    root.mkdir(exist_ok=True)
    (root / "guidance.yaml").write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    return load_guidance(SimpleNamespace(root=root), problems), problems


def _fields(problems: list[Problem]) -> set[tuple[str, str, str]]:
    return {(p.file, p.entry, p.field) for p in problems}


def test_shipped_guidance_is_valid_and_answers_remedies() -> None:
    problems: list[Problem] = []
    guidance = load_guidance(SimpleNamespace(root=BUNDLED_KNOWLEDGE), problems)
    assert problems == []
    found = guidance.answer("对 答复 不服 怎么办", ArchiveDirectory())
    assert found is not None and "60日" in found.text and found.flow is None
    assert guidance.answer("人防罚款决定不服怎么办", ArchiveDirectory()) is None  # not a disclosure answer
    assert guidance.hours() == "尚未公布"


def test_bad_pattern_unknown_source_and_placeholders_are_named(tmp_path: Path) -> None:
    text = SHIPPED_GUIDANCE.replace("source: archives.fees", "source: archives.price", 1)
    _, problems = _load(tmp_path, text)
    assert _fields(problems) == {("knowledge/guidance.yaml", "archive_fees", "source")}

    text = SHIPPED_GUIDANCE.replace("救济(途径|渠道|方式)", "救济(途径", 1)
    _, problems = _load(tmp_path, text)
    assert _fields(problems) == {("knowledge/guidance.yaml", "remedies", "patterns")}

    text = SHIPPED_GUIDANCE.replace("（编号 {reference}）", "（编号 {ref}）", 1)
    guidance, problems = _load(tmp_path, text)
    messages = {p.message for p in problems}
    assert _fields(problems) == {("knowledge/guidance.yaml", "texts", "handover_ack")}
    assert "placeholder {reference} is missing" in messages and "unknown placeholder {ref}" in messages
    assert guidance == Guidance()  # an invalid file is not installed half-way


def test_missing_guidance_file_is_a_problem(tmp_path: Path) -> None:
    problems: list[Problem] = []
    load_guidance(SimpleNamespace(root=tmp_path), problems)
    assert len(problems) == 1 and "file missing" in problems[0].message


def test_shipped_events_texts_are_complete_and_checked(tmp_path: Path) -> None:
    problems: list[Problem] = []
    cal = load_events(SimpleNamespace(root=BUNDLED_KNOWLEDGE), problems)
    assert problems == [] and set(cal.texts) == set(TEXT_KEYS)
    root = tmp_path / "knowledge"
    root.mkdir()
    text = (BUNDLED_KNOWLEDGE / "events.yaml").read_text(encoding="utf-8")
    text = text.replace("day_is: 是的，{day}是{title}。", "day_is: 是的，{date}是{title}。", 1)
    (root / "events.yaml").write_text(text, encoding="utf-8")
    problems = []
    cal = load_events(SimpleNamespace(root=root), problems)
    assert {(p.entry, p.field) for p in problems} == {("texts", "day_is")}
    assert "day_is" not in cal.texts and "day_is_not" in cal.texts


def test_asked_day_reads_relative_and_calendar_days() -> None:
    today = date(2026, 11, 23)
    assert asked_day("明天有防空警报吗", today) == date(2026, 11, 24)
    assert asked_day("7月7号会拉警报吗", today) == date(2027, 7, 7)  # already past this year
    assert asked_day("１２月１日有活动吗", today) == date(2026, 12, 1)  # full-width digits
    assert asked_day("2月30日", today) is None
    assert asked_day("警报什么时候响", today) is None
