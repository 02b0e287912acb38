"""The parsed knowledge files on disk (issue 15, `bot.knowledge_cache`): a load of unchanged files
parses nothing and gives the same knowledge; a changed file is parsed again (its problems named
with file, entry and field), a damaged cache or another parser version is ignored, and a file
that did not read cleanly is never kept."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

from bot import knowledge_cache, knowledge_files
from bot.knowledge import BUNDLED_KNOWLEDGE, KnowledgeError, load_knowledge


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(knowledge_cache.CACHE_ENV, str(folder))
    monkeypatch.delenv(knowledge_cache.PARSE_CACHE_ENV, raising=False)
    return folder


@pytest.fixture
def root(tmp_path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, root)
    return root


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The YAML texts parsed (the first line of each), counted as they are parsed."""
    seen: list[str] = []
    original = knowledge_files.yaml.load

    def counting(text, *args, **kwargs):
        seen.append(text.split("\n", 1)[0])
        return original(text, *args, **kwargs)

    monkeypatch.setattr(knowledge_files.yaml, "load", counting)
    return seen


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("knowledge-*.bin"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unchanged_files_are_not_parsed_again_and_load_the_same(cache_dir, root, parsed):
    first = load_knowledge(root)
    assert parsed and len(cache_files(cache_dir)) == 1
    parsed.clear()
    second = load_knowledge(root)
    assert parsed == []
    assert second.departments == first.departments
    assert second.chat == first.chat and second.synonyms == first.synonyms
    assert sorted(second.extras) == sorted(first.extras)
    assert [loc.id for loc in second.entries()] == [loc.id for loc in first.entries()]


def test_an_edited_file_is_parsed_again_and_its_new_text_used(cache_dir, root, parsed):
    load_knowledge(root)
    dept = root / "departments" / "xiangyin.yaml"
    _edit(dept, "    title: 全县档案事业统筹规划和宏观管理\n", "    title: 全县档案事业统筹规划\n")
    parsed.clear()
    knowledge = load_knowledge(root)
    assert len(parsed) == 1  # only the edited file
    assert knowledge.get("xiangyin/duty/1").title == "全县档案事业统筹规划"


def test_an_edit_that_breaks_an_entry_is_reported_with_file_entry_and_field(cache_dir, root):
    load_knowledge(root)  # the good file is cached
    dept = root / "departments" / "xiangyin.yaml"
    _edit(dept, "    title: 全县档案事业统筹规划和宏观管理\n", "    title: ''\n")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(root)
    (problem,) = err.value.problems
    assert problem.file.endswith("departments/xiangyin.yaml")
    assert (problem.entry, problem.field) == ("xiangyin/duty/1", "title")
    # and again (nothing about the broken file was kept)
    with pytest.raises(KnowledgeError) as again:
        load_knowledge(root)
    assert again.value.problems == err.value.problems


def test_a_file_that_does_not_parse_is_never_kept(cache_dir, root, parsed):
    load_knowledge(root)
    dept = root / "departments" / "xiangyin.yaml"
    with dept.open("a", encoding="utf-8") as f:
        f.write("extra: [unclosed\n")
    for _ in range(2):
        parsed.clear()
        with pytest.raises(KnowledgeError, match="xiangyin.yaml"):
            load_knowledge(root)
        assert len(parsed) == 1  # the others came from the cache, the broken one is parsed again


def test_same_bytes_under_the_same_name_only(cache_dir, root, parsed):
    """The key is the file's bytes: writing back the original text uses the cache again."""
    load_knowledge(root)
    dept = root / "departments" / "baixiang.yaml"
    original = dept.read_bytes()
    dept.write_bytes(original + b"\n# a comment\n")
    parsed.clear()
    load_knowledge(root)
    assert len(parsed) == 1
    dept.write_bytes(original)
    parsed.clear()
    load_knowledge(root)
    assert len(parsed) == 1  # the cache holds the files of the last load only


@pytest.mark.parametrize("damage", [b"", b"not marshal data", b"\xfa\x00\x00"])
def test_a_damaged_cache_is_ignored_and_rewritten(cache_dir, root, parsed, damage):
    expected = load_knowledge(root)
    (path,) = cache_files(cache_dir)
    path.write_bytes(damage)
    parsed.clear()
    assert load_knowledge(root).departments == expected.departments
    assert parsed  # parsed again
    assert path.read_bytes() != damage


def test_a_damaged_entry_is_parsed_again(cache_dir, root, parsed):
    expected = load_knowledge(root)
    (path,) = cache_files(cache_dir)
    blob = bytearray(path.read_bytes())
    blob[100] ^= 0xFF  # inside the first file's data
    path.write_bytes(bytes(blob))
    parsed.clear()
    assert load_knowledge(root).departments == expected.departments
    assert len(parsed) == 1


def test_another_parser_version_discards_the_cache(cache_dir, root, parsed, monkeypatch):
    load_knowledge(root)
    monkeypatch.setattr(knowledge_cache, "_code_key", lambda: "another parser")
    parsed.clear()
    load_knowledge(root)
    assert len(parsed) == len(list(root.rglob("*.yaml")))


def test_switched_off(cache_dir, root, parsed, monkeypatch):
    monkeypatch.setenv(knowledge_cache.PARSE_CACHE_ENV, "0")
    load_knowledge(root)
    parsed.clear()
    load_knowledge(root)
    assert parsed and cache_files(cache_dir) == []


def test_an_unwritable_cache_costs_nothing_but_time(cache_dir, root, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(knowledge_cache.tempfile, "mkstemp", refuse)
    assert load_knowledge(root).get("xiangyin/duty/1") is not None
    assert cache_files(cache_dir) == []


def test_read_yaml_outside_a_load_parses(cache_dir, root, parsed):
    load_knowledge(root)
    parsed.clear()
    problems: list = []
    data = knowledge_files.read_yaml(root / "chat.yaml", problems, root)
    assert isinstance(data, dict) and problems == [] and len(parsed) == 1


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was(cache_dir, root, enabled):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        load_knowledge(root)
        assert gc.isenabled() is enabled
        with pytest.raises(KnowledgeError):
            load_knowledge(root / "missing")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
