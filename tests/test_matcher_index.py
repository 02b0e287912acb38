"""The matcher's on-disk index (issue 15): a start-up that reads it answers exactly like one that
built it from the knowledge texts; a corrupt, foreign or stale file is ignored and rebuilt; and a
ready matcher keeps answering while another one is being built (/reload)."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest

from bot import matcher as matcher_module
from bot.knowledge import BUNDLED_KNOWLEDGE, load_knowledge
from bot.matcher import Matcher, matcher_for
from bot.passages import answer_texts
from bot.qa import answer_question
from bot.text import normalize

QUESTIONS = [
    json.loads(line)["q"]
    for line in (Path(__file__).parent / "data" / "resident_questions.jsonl").read_text("utf-8").splitlines()
    if line.strip()
]


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    """An empty user cache dir (the jieba tokenizer already started keeps its own)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CITIZEN_BOT_INDEX_CACHE", raising=False)
    return tmp_path / "cache" / "citizen-bot"


def index_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("matcher-index-*.bin"))


def no_build(self):  # pragma: no cover - called only when a test fails
    raise AssertionError("the index was rebuilt although a valid cached one exists")


def test_cached_index_answers_exactly_like_a_fresh_build(cache_home, monkeypatch):
    fresh = Matcher(load_knowledge())
    assert len(index_files(cache_home)) == 1
    monkeypatch.setattr(Matcher, "_build_index", no_build)
    cached = Matcher(load_knowledge())
    assert [d.head for d in cached.docs] == [d.head for d in fresh.docs]
    assert [d.body for d in cached.docs] == [d.body for d in fresh.docs]
    assert cached._idf == fresh._idf and cached._pinyin_terms == fresh._pinyin_terms
    for q in QUESTIONS:
        assert cached.match(q) == fresh.match(q), q


def test_answers_from_the_cache_are_the_composed_replies_of_a_fresh_build(cache_home, monkeypatch):
    first = load_knowledge()
    replies = [answer_question(first, q) for q in QUESTIONS]
    monkeypatch.setattr(Matcher, "_build_index", no_build)
    second = load_knowledge()
    assert [answer_question(second, q) for q in QUESTIONS] == replies


def test_a_rules_first_answer_reads_its_passages_from_the_index(cache_home, monkeypatch):
    """The texts answers read word by word (duty rows, a rule's passages) are segmented when the
    index is built and kept with it: a rule's first answer after a restart segments none of its
    passages (1,000+ characters for 人防工程's), and reads the same words a fresh build does."""
    Matcher(load_knowledge())  # builds and writes the index
    monkeypatch.setattr(Matcher, "_build_index", no_build)
    knowledge = load_knowledge()
    restarted = Matcher(knowledge)
    read: list[str] = []
    segment = restarted.analyser.terms
    monkeypatch.setattr(restarted.analyser, "terms", lambda text: read.append(text) or segment(text))
    monkeypatch.setattr("bot.qa.matcher_for", lambda _knowledge: restarted)
    for question in ["人防工程多久检查一次", "档案行政处罚案件的立案条件", "县政府值班归哪个股"]:
        answer_question(knowledge, question)
    assert not [text for text in read if len(text) > 40], read
    texts = answer_texts(knowledge)
    assert texts and all(restarted.terms_of(t) == segment(normalize(t)) for t in texts)


@pytest.mark.parametrize("damage", [b"", b"not marshal data", b"\xfa\x00\x00"])
def test_corrupt_cache_is_ignored_and_rebuilt(cache_home, damage):
    expected = Matcher(load_knowledge()).match("异地查档怎么办理")
    (path,) = index_files(cache_home)
    path.write_bytes(damage)
    rebuilt = Matcher(load_knowledge())
    assert rebuilt.match("异地查档怎么办理") == expected
    assert path.read_bytes() != damage  # rewritten with a good index


def test_truncated_cache_is_ignored(cache_home):
    expected = Matcher(load_knowledge()).match("人防工程多久检查一次")
    (path,) = index_files(cache_home)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert Matcher(load_knowledge()).match("人防工程多久检查一次") == expected


def test_an_edited_knowledge_file_gets_a_new_index(cache_home, tmp_path, monkeypatch):
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, root)
    Matcher(load_knowledge(root))
    synonyms = root / "synonyms.yaml"
    synonyms.write_text(synonyms.read_text("utf-8") + "\n# edited\n", encoding="utf-8")
    built = []
    original = Matcher._build_index

    def counting(self):
        built.append(True)
        return original(self)

    monkeypatch.setattr(Matcher, "_build_index", counting)
    Matcher(load_knowledge(root))
    assert built == [True]
    assert len(index_files(cache_home)) == 2


def test_unwritable_cache_costs_nothing_but_time(cache_home, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(matcher_module.tempfile, "mkstemp", refuse)
    assert Matcher(load_knowledge()).match("异地查档怎么办理").intent == "answer"
    assert index_files(cache_home) == []


def test_ready_matcher_answers_while_another_is_being_built():
    knowledge = load_knowledge()
    ready = matcher_for(knowledge)
    got: list[Matcher] = []
    with matcher_module._BUILD_LOCK:  # as while /reload builds the new knowledge's matcher
        reader = threading.Thread(target=lambda: got.append(matcher_for(knowledge)), daemon=True)
        reader.start()
        reader.join(timeout=30)
        finished = not reader.is_alive()
    reader.join()
    assert finished and got == [ready]
