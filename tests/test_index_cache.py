"""The matcher's index cached on disk between restarts (issue 11 item 10; figures: bench/startup.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import index_cache
from bot.knowledge import BUNDLED_KNOWLEDGE, load_knowledge
from bot.matcher import Matcher


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(index_cache.CACHE_ENV, str(folder))
    return folder


def _plain(docs) -> list[tuple]:
    return [
        (
            d.loc.id,
            [(u.terms, u.weight) for u in d.head],
            [(u.terms, u.weight) for u in d.body],
            d.examples,
            d.terms,
        )
        for d in docs
    ]


def test_a_restart_reads_the_index_instead_of_segmenting_again(cache, monkeypatch):
    knowledge = load_knowledge(BUNDLED_KNOWLEDGE)
    built = Matcher(knowledge)
    assert len(list(cache.glob("index-*.json"))) == 1

    def no_segmenting(self, loc):
        raise AssertionError("the cached index should have been used")

    monkeypatch.setattr(Matcher, "_build_doc", no_segmenting)
    again = Matcher(load_knowledge(BUNDLED_KNOWLEDGE))
    assert _plain(again.docs) == _plain(built.docs)
    for question in ("政府信息公开申请多久答复", "异地查档怎么办", "防空警报是什么声音"):
        assert [c.id for c in again.match(question).top] == [c.id for c in built.match(question).top]


def test_an_edited_knowledge_file_builds_afresh(cache, tmp_path):
    copy = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, copy)
    Matcher(load_knowledge(copy))
    first = {p.name for p in cache.glob("index-*.json")}
    path = copy / "synonyms.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    Matcher(load_knowledge(copy))
    second = {p.name for p in cache.glob("index-*.json")}
    assert len(first) == len(second) == 1 and first != second


def test_a_broken_cache_file_is_rebuilt_not_fatal(cache):
    knowledge = load_knowledge(BUNDLED_KNOWLEDGE)
    Matcher(knowledge)
    (path,) = cache.glob("index-*.json")
    path.write_text("{not json", encoding="utf-8")
    assert Matcher(load_knowledge(BUNDLED_KNOWLEDGE)).match("政府信息公开").top
    assert path.read_text(encoding="utf-8").startswith("[")
