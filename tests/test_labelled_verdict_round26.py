"""Round 26: a labelled questions file checked clean once (no question filed under two labels, no
unknown label) is not checked again while its bytes, the entries it may name and the checking
code stay the same (`bot.labelled`): 31,000 questions cost 45 ms of every start. Any change to
the file or to the entries is checked again, so a mistake still names file, label and question."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import knowledge_cache, labelled
from bot.knowledge import KnowledgeError, load_knowledge
from tests.knowledge_support import copied_knowledge

FILE = labelled.FILE


@pytest.fixture
def knowledge_copy(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv(knowledge_cache.CACHE_ENV, str(tmp_path / "cache"))  # a cache of its own
    return copied_knowledge(tmp_path)


@pytest.fixture
def checks(monkeypatch) -> list[int]:
    """How many times a question's duplicate key is computed (the check itself)."""
    calls: list[int] = []
    key = labelled.duplicate_key
    monkeypatch.setattr(labelled, "duplicate_key", lambda text: calls.append(1) or key(text))
    return calls


def test_a_clean_file_is_checked_once_and_loads_the_same(knowledge_copy: Path, checks: list[int]) -> None:
    first = load_knowledge(knowledge_copy).extras["labelled"]
    assert len(checks) > 30_000
    checks.clear()
    again = load_knowledge(knowledge_copy).extras["labelled"]
    assert checks == [] and again == first


def test_an_edited_file_is_checked_again(knowledge_copy: Path, checks: list[int]) -> None:
    load_knowledge(knowledge_copy)
    path = knowledge_copy / FILE
    text = path.read_text(encoding="utf-8")
    # the same question under two labels
    for label in ("chat/thanks", "baixiang/duty/5"):
        text = text.replace(f"  {label}:\n", f"  {label}:\n    - 讲话稿谁写？\n", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    assert any(FILE in str(p) and "讲话稿谁写？" in str(p) for p in caught.value.problems)


def test_the_verdict_is_keyed_by_the_bytes_and_the_entries_it_may_name() -> None:
    labels = {"baixiang/duty/5", "chat/thanks", labelled.DECLINE}
    read = knowledge_cache.file_digest(b"questions: {}")
    key = labelled._verdict_key(read, labels)
    assert key == labelled._verdict_key(read, set(labels))
    assert key != labelled._verdict_key(read, labels - {"baixiang/duty/5"})  # an entry gone
    assert key != labelled._verdict_key(knowledge_cache.file_digest(b"questions: {}\n"), labels)
