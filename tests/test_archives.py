"""Archive directory: shipped file, place matching, unpublished facts and loader problems."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.archives import Archive, ArchiveDirectory, format_archive, load_archives, parse_archives, place_key
from bot.knowledge import BUNDLED_KNOWLEDGE, Problem

F = "knowledge/archives.yaml"


def _knowledge(root: Path, known: set[str] | None = None) -> SimpleNamespace:
    ids = known or set()
    return SimpleNamespace(
        root=root, departments=["x"] if known else [], get=lambda i: i if i in ids else None
    )


@pytest.fixture(scope="module")
def shipped() -> ArchiveDirectory:
    problems: list[Problem] = []
    directory = load_archives(_knowledge(BUNDLED_KNOWLEDGE), problems)
    assert problems == []
    return directory


def _load(tmp_path: Path, text: str, known: set[str] | None = None) -> tuple[ArchiveDirectory, list[Problem]]:
    root = tmp_path / "knowledge"
    root.mkdir(exist_ok=True)
    (root / "archives.yaml").write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    return load_archives(_knowledge(root, known), problems), problems


def test_shipped_archives_leave_unknown_facts_empty(shipped: ArchiveDirectory) -> None:
    assert [a.id for a in shipped.archives] == ["baixiang", "xiangyin"]
    for archive in shipped.archives:
        assert archive.accepts_requests
        assert (archive.address, archive.phone, archive.hours, archive.city) == ("", "", "", "")
        assert archive.turnaround_working_days is None
    assert shipped.turnaround_working_days is None
    baixiang = shipped.get("baixiang")
    assert baixiang is not None and baixiang.province == "河北省" and baixiang.county == "柏乡县"
    assert baixiang.link == "baixiang/service/9"


def test_shipped_link_checked_against_knowledge(tmp_path: Path) -> None:
    text = (BUNDLED_KNOWLEDGE / "archives.yaml").read_text(encoding="utf-8")
    assert _load(tmp_path, text, {"baixiang/service/9"})[1] == []
    _, problems = _load(tmp_path, text, {"baixiang/service/1"})
    assert {(p.file, p.entry, p.field) for p in problems} == {(F, "baixiang", "link")}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("柏乡", "baixiang"),
        ("柏乡县", "baixiang"),
        ("柏乡县档案馆", "baixiang"),
        ("柏乡县档案局", "baixiang"),
        ("河北省柏乡县档案馆", "baixiang"),
        (" 柏乡县 档案馆。", "baixiang"),
        ("湘阴县档案馆", "xiangyin"),
        ("湘阴", "xiangyin"),
        ("湖南湘阴县", "xiangyin"),
        ("我的档案在湘阴", "xiangyin"),
    ],
)
def test_find_known_places(shipped: ArchiveDirectory, typed: str, expected: str) -> None:
    found = shipped.find(typed)
    assert found is not None and found.id == expected


@pytest.mark.parametrize("typed", ["北京市档案馆", "邢台", "档案馆", "县", "", "   "])
def test_find_unknown_place(shipped: ArchiveDirectory, typed: str) -> None:
    assert shipped.find(typed) is None


def test_find_ambiguous_is_none(shipped: ArchiveDirectory) -> None:
    assert shipped.find("柏乡还是湘阴") is None


def test_place_key_strips_suffixes() -> None:
    assert place_key("柏乡县档案馆") == "柏乡"
    assert place_key("湘阴县档案局") == "湘阴"
    assert place_key("ＡＢ市") == "AB"


def test_choices_offer_only_archives_the_service_covers(shipped: ArchiveDirectory) -> None:
    # 柏乡 is the home archive (not 异地), 湘阴 is in Hunan (the service covers Hebei only).
    assert shipped.choices() == []
    extra = Archive(id="longyao", name="隆尧县档案馆", province="河北省", county="隆尧县")
    wider = dataclasses.replace(shipped, archives=(*shipped.archives, extra))
    assert wider.choices() == ["隆尧县档案馆"]
    assert wider.check_scope("隆尧").kind == "in"


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("湘阴", "outside"),
        ("河南省新乡县档案馆", "outside"),
        ("北京市", "outside"),
        ("柏乡县", "home"),
        ("柏乡档案局", "home"),
        ("邢台市", "unknown"),
        ("某某县", "unknown"),
    ],
)
def test_scope_of_a_typed_place(shipped: ArchiveDirectory, typed: str, kind: str) -> None:
    check = shipped.check_scope(typed)
    assert check.kind == kind
    if kind == "outside":
        assert "全国档案查询利用服务平台" in check.notice
    if kind == "home":
        assert "尚未公布" in check.notice  # address/phone/hours not published: said, never guessed


def test_fee_is_unpublished_until_an_administrator_fills_it(shipped: ArchiveDirectory) -> None:
    assert "尚未公布" in shipped.fee_text()
    assert dataclasses.replace(shipped, fee="每页1元").fee_text() == "查档费用：每页1元"


def test_scope_home_must_name_an_archive(tmp_path: Path) -> None:
    problems: list[Problem] = []
    parse_archives({"scope": {"home": "nowhere"}, "archives": []}, "knowledge/archives.yaml", problems)
    assert any(p.entry == "scope" and p.field == "home" for p in problems)


def test_turnaround_text_when_empty_and_set(shipped: ArchiveDirectory, tmp_path: Path) -> None:
    assert shipped.turnaround_text().startswith("办理时限尚未公布")
    assert shipped.turnaround_text(shipped.get("baixiang")).startswith("办理时限尚未公布")
    text = (
        "turnaround_working_days: 6\narchives:\n  - {id: a, name: 甲县档案馆}\n"
        "  - {id: b, name: 乙县档案馆, turnaround_working_days: 3}\n"
    )
    directory, problems = _load(tmp_path, text)
    assert problems == []
    assert "6个工作日" in directory.turnaround_text()
    assert "3个工作日" in directory.turnaround_text(directory.get("b"))
    assert "6个工作日" in directory.turnaround_text(directory.get("a"))


def test_pickup_and_card(shipped: ArchiveDirectory) -> None:
    pickup = shipped.pickup_text()
    assert "身份证原件" in pickup and "授权委托书" in pickup and "关系" in pickup
    baixiang = shipped.get("baixiang")
    assert baixiang is not None
    card = format_archive(baixiang)
    assert "地址：尚未公布" in card and "电话：尚未公布" in card and "办公时间：尚未公布" in card
    assert "所在地：河北省柏乡县" in card
    assert ArchiveDirectory().pickup_text().endswith("尚未公布。")


def test_loader_names_file_entry_and_field(tmp_path: Path) -> None:
    text = """
turnaround_working_days: -1
archives:
  - id: a
    name: 甲县档案馆
    phone:
    aliases: [甲]
  - id: b
    name: ""
  - id: a
    name: 另一个
    aliases: [甲县]
  - id: c
    name: 丙
    colour: red
"""
    _, problems = _load(tmp_path, text)
    found = {(p.file, p.entry, p.field) for p in problems}
    assert (F, "", "turnaround_working_days") in found
    assert (F, "b", "name") in found
    assert (F, "c", "colour") in found


def test_loader_duplicates_and_links(tmp_path: Path) -> None:
    text = """
archives:
  - {id: a, name: 甲县档案馆, link: baixiang/service/9}
  - {id: a, name: 另一个档案馆}
  - {id: c, name: 丙县档案馆, link: baixiang/service/99}
  - {id: d, name: 丁县档案馆, aliases: [甲县]}
"""
    _, problems = _load(tmp_path, text, {"baixiang/service/9"})
    found = {(p.file, p.entry, p.field) for p in problems}
    assert found == {(F, "a", "id"), (F, "c", "link"), (F, "d", "aliases")}


def test_loader_bad_shapes(tmp_path: Path) -> None:
    assert _load(tmp_path, "- a\n")[1][0].message.startswith("must be a mapping")
    _, problems = _load(tmp_path, "archives: [\n")
    assert "YAML syntax error" in problems[0].message
    problems = []
    directory = load_archives(_knowledge(tmp_path), problems)
    assert directory == ArchiveDirectory() and "cannot read" in problems[0].message


def test_blank_values_mean_not_set(tmp_path: Path) -> None:
    text = 'turnaround_working_days: ""\narchives:\n  - {id: a, name: 甲县档案馆, phone: , aliases: }\n'
    directory, problems = _load(tmp_path, text)
    assert problems == []
    assert directory.turnaround_working_days is None and directory.archives[0].phone == ""
