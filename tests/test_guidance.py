"""knowledge/guidance.yaml, and the sentences it and events.yaml once kept under `texts:` (now keys
of the message catalogue): validated on load, problems naming file, entry and field."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.archives import ArchiveDirectory
from bot.events import asked_day, load_events
from bot.guidance import Guidance, load_guidance
from bot.knowledge import BUNDLED_KNOWLEDGE, KnowledgeError, Problem, load_knowledge
from bot.messages import catalogue_of

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


def test_bad_pattern_unknown_source_and_placeholders_are_named(tmp_path: Path) -> None:
    text = SHIPPED_GUIDANCE.replace("source: archives.fees", "source: archives.price", 1)
    _, problems = _load(tmp_path, text)
    assert _fields(problems) == {("knowledge/guidance.yaml", "archive_fees", "source")}

    text = SHIPPED_GUIDANCE.replace("救济(途径|渠道|方式)", "救济(途径", 1)
    _, problems = _load(tmp_path, text)
    assert _fields(problems) == {("knowledge/guidance.yaml", "remedies", "patterns")}

    text = SHIPPED_GUIDANCE.replace("source: archives.fees", "source: archives.price", 1)
    guidance, problems = _load(tmp_path, text)
    assert guidance == Guidance()  # an invalid file is not installed half-way


def test_a_fact_stated_once_for_all_answers_from_its_own_text(tmp_path: Path) -> None:
    """`source: text`: the law's answer, the same in every county (档案 open after 25 years)."""
    problems: list[Problem] = []
    guidance = load_guidance(SimpleNamespace(root=BUNDLED_KNOWLEDGE), problems)
    found = guidance.answer("档案是不是满25年才能查", ArchiveDirectory())
    assert found is not None and "25年" in found.text and "《档案法》第二十七条" in found.text
    assert found.flow == "archive_lookup"
    assert guidance.answer("会计凭证要保存多少年", ArchiveDirectory()) is None  # keeping, not opening

    without_text = SHIPPED_GUIDANCE[: SHIPPED_GUIDANCE.index("    text: |-\n      档案馆保存的档案")]
    _, problems = _load(tmp_path, without_text)
    assert [(p.entry, "`text`" in p.message) for p in problems] == [("archive_open_years", True)]


def test_a_leftover_texts_section_is_named(tmp_path: Path) -> None:
    """The sentences moved to messages/answers.yaml; an old `texts:` section is reported, not ignored."""
    _, problems = _load(tmp_path, SHIPPED_GUIDANCE + "texts:\n  wordless: 看不懂\n")
    assert _fields(problems) == {("knowledge/guidance.yaml", "texts", "")}
    root = tmp_path / "events"
    root.mkdir()
    text = (BUNDLED_KNOWLEDGE / "events.yaml").read_text(encoding="utf-8") + "texts:\n  day_is: 是\n"
    (root / "events.yaml").write_text(text, encoding="utf-8")
    problems = []
    load_events(SimpleNamespace(root=root), problems)
    assert [(p.field, "messages/answers.yaml" in p.message) for p in problems] == [("texts", True)]


def test_handover_placeholders_are_checked_in_the_catalogue(tmp_path: Path) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, root)
    path = root / "messages" / "answers.yaml"
    text = path.read_text(encoding="utf-8")
    assert "（编号 {reference}）" in text
    path.write_text(text.replace("（编号 {reference}）", "（编号 {ref}）", 1), encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(root)
    found = [str(p) for p in caught.value.problems]
    assert any("answers.handover_ack: text: placeholder {reference} is missing" in p for p in found)
    assert any("answers.handover_ack: text: unknown placeholder {ref}" in p for p in found)


def test_missing_guidance_file_is_a_problem(tmp_path: Path) -> None:
    problems: list[Problem] = []
    load_guidance(SimpleNamespace(root=tmp_path), problems)
    assert len(problems) == 1 and "file missing" in problems[0].message


def test_event_and_guidance_sentences_come_from_the_loaded_catalogue(tmp_path: Path) -> None:
    """The sentences follow the office's edits of messages/answers.yaml (what /reload installs)."""
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, root)
    path = root / "messages" / "answers.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "answers.event_day_is: 是的，{day}是{title}。", "answers.event_day_is: 对，{day}有{title}。"
    )
    text = text.replace(
        "answers.warnings_already: 您已经订阅了预警信息。", "answers.warnings_already: 已订阅过了。"
    )
    text = text.replace("answers.hours_unpublished: 尚未公布", "answers.hours_unpublished: 请留意公告")
    path.write_text(text, encoding="utf-8")
    knowledge = load_knowledge(root)
    msg = catalogue_of(knowledge)
    assert msg.text("answers.event_day_is", day="明天", title="试鸣") == "对，明天有试鸣。"
    assert knowledge.extras["events"].msgs.text("answers.warnings_already") == "已订阅过了。"
    assert knowledge.extras["guidance"].msgs.text("answers.hours_unpublished") == "请留意公告"
    shipped = load_knowledge()
    assert shipped.extras["events"].msgs.text("answers.warnings_already") == "您已经订阅了预警信息。"


def test_asked_day_reads_relative_and_calendar_days() -> None:
    today = date(2026, 11, 23)
    assert asked_day("明天有防空警报吗", today) == date(2026, 11, 24)
    assert asked_day("7月7号会拉警报吗", today) == date(2027, 7, 7)  # already past this year
    assert asked_day("１２月１日有活动吗", today) == date(2026, 12, 1)  # full-width digits
    assert asked_day("2月30日", today) is None
    assert asked_day("警报什么时候响", today) is None
