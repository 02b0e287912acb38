"""Round 31: `patterns` in synonyms.yaml, for residents who describe what they mean because they do
not know its name. 老材料, 旧账本, 民国时候的册子, 五十年代的记录 are all 档案; 存老资料的地方 is the
档案馆; 写咱县历史的人 is the 地方志 office. A word list would have to name every variant, so one
regular expression (`match`) adds the official term (`adds`), the resident's words kept.

The questions here are the administrators' own, not from any evaluation set."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge import BUNDLED_KNOWLEDGE, KnowledgeError, load_knowledge
from bot.text import normalize


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # 写咱县历史的人: the local chronicle (职责第9项)
        ("编咱县历史的那些人还要老照片不", "baixiang/duty/9"),
        # a class teaching how to sort old ledgers: archive training, not a stranger's business
        ("有没有教村里会计收拾旧账本的培训班", "baixiang/service/8"),
        # practising hiding when the siren sounds: the drill
        ("孩子学校说要练躲，跟着警报往操场跑，这是啥活动", "baixiang/service/4"),
    ],
)
def test_a_description_finds_the_entry_its_name_would(matcher, question: str, entry: str) -> None:
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == entry, question


@pytest.mark.parametrize(
    ("question", "added"),
    [
        ("俺家翻出来一摞五十年代的老账本", "档案"),
        ("民国时候的旧地图县里还有没有", "档案"),
        ("县城里保存旧资料的那个地方在哪", "档案馆"),
        ("厂子被一个局查封了，俺觉得冤", "行政复议"),
    ],
)
def test_the_official_term_is_added_and_the_words_kept(matcher, question: str, added: str) -> None:
    repaired, notes = matcher.analyser.repair(normalize(question))
    assert repaired.startswith(normalize(question))
    assert any(n.startswith("synonyms:") and added in n.split(":", 1)[1].split(",") for n in notes)


@pytest.mark.parametrize(
    "question",
    [
        "老师让交的材料是什么",  # 老师, not 老材料
        "我以前申请的材料审到哪了",  # one's own earlier papers are no archive
        "老家的房子要过户",
    ],
)
def test_words_that_only_look_alike_add_nothing(matcher, question: str) -> None:
    _, notes = matcher.analyser.repair(normalize(question))
    added = [t for n in notes if n.startswith("synonyms:") for t in n.split(":", 1)[1].split(",")]
    assert "档案" not in added and "档案馆" not in added, notes


@pytest.mark.parametrize(
    ("entry", "field", "told"),
    [
        ("  - match: '[老'\n    adds: 档案\n", "match", "not a valid regular expression"),
        ("  - match: '(老)?'\n    adds: 档案\n", "match", "empty question"),
        ("  - match: '老材料'\n    adds: ''\n", "adds", "must be text"),
        ("  - match: '老材料'\n    adds: 档案\n    add: 档案馆\n", "add", "unknown field"),
    ],
)
def test_a_broken_pattern_is_named_by_file_position_and_field(tmp_path: Path, entry, field, told) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, root)
    path = root / "synonyms.yaml"
    path.write_text(path.read_text(encoding="utf-8") + entry, encoding="utf-8")
    count = path.read_text(encoding="utf-8").split("\npatterns:", 1)[1].count("\n  - match:")
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(root)
    problem = next(p for p in raised.value.problems if p.file.endswith("synonyms.yaml"))
    assert problem.entry == f"patterns[{count - 1}]" and problem.field == field
    assert told in problem.message
