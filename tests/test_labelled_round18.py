"""Issue 9, round 18: questions residents asked before, filed under their answer, settle what the
matcher's own reading left weak (`knowledge/labelled_questions.yaml`, `bot.matcher.neighbours`)."""

from __future__ import annotations

import json
import marshal
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from bot.knowledge import BUNDLED_KNOWLEDGE, KnowledgeError, load_knowledge
from bot.labelled import DECLINE, FILE
from bot.matcher.neighbours import Neighbours
from bot.matcher.second_opinion import SecondOpinion
from bot.qa import answer_question, decline_text
from bot.store import Store
from bot.text import normalize
from cli.main import main as cli_main
from tests.dialog_support import Clock, make_engine, say, text_of

DATA = Path(__file__).parent / "data"
#: Sets that measure the matcher: never in the labelled file (the training sets are its source).
MEASURING = [p for p in sorted(DATA.glob("*.jsonl")) if not p.name.endswith("_train.jsonl")]
#: Blind sets kept unread as measures (41, 43: round 18's; 52-55: written at its end, for round 19;
#: 67, 68: written during round 19, measured at its end; 69-72: written at its end, measured at
#: the start and end of rounds 20 and 21): not in the labelled file either. (146-157, kept unread
#: in rounds 23 and 24, and 160, 161 joined the labelled file in round 25 with 164-177: with four
#: sets frozen that round, 158, 159, 162 and 163, to measure it.)
UNREAD = tuple(f"tuning{n}_train.jsonl" for n in (41, 43, 52, 53, 54, 55, 67, 68, 69, 70, 71, 72))


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, root)
    return root


def _settle(matcher, labelled: dict[str, list[str]], text: str, county: str | None = None):
    """The matcher's own reading of `text`, then the vote of `labelled` on it."""
    titles = {loc.id: loc.title for loc in matcher.knowledge.entries()}
    opinion = SecondOpinion(Neighbours(Neighbours.build(labelled)), titles, matcher._whose_business)
    result = matcher.decider.match(text, 3, None)
    return result, opinion.settle(result, matcher.analyser.analyse(text).repaired, text, 3, county)


def test_the_labelled_questions_load_under_known_labels(knowledge):
    labelled = knowledge.extras["labelled"]
    ids = {loc.id for loc in knowledge.entries()} | {DECLINE}
    assert set(labelled) <= ids
    assert sum(map(len, labelled.values())) > 6000
    assert len(labelled[DECLINE]) > 500  # other offices' business, asked in our words


def test_no_measuring_question_is_a_labelled_question(knowledge):
    """Held-out sets, the project's own sets, the unread sets and the development set measure
    questions the matcher has not seen: none of them may be filed in the labelled file."""
    sets = MEASURING + [DATA / name for name in UNREAD]
    dev = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev_queries.jsonl"
    if dev.is_file():
        sets.append(dev)
    filed = {normalize(q) for questions in knowledge.extras["labelled"].values() for q in questions}
    copied = [
        (path.name, row["q"])
        for path in sets
        for row in map(json.loads, path.read_text(encoding="utf-8").splitlines())
        if normalize(row["q"]) in filed
    ]
    assert copied == []


def test_a_bad_labelled_file_names_file_label_and_question(knowledge_copy):
    (knowledge_copy / FILE).write_text(
        "questions:\n"
        "  baixiang/duty/99:\n    - 这条不存在\n"
        "  baixiang/duty/1:\n    - 讲话稿谁写\n    - ''\n"
        "  baixiang/duty/5:\n    - 讲话稿谁写？\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    problems = [str(p) for p in caught.value.problems]
    assert any(FILE in p and "baixiang/duty/99" in p for p in problems)
    assert any(FILE in p and "empty" in p for p in problems)
    assert any("讲话稿谁写？" in p and "baixiang/duty/1" in p for p in problems)


def test_the_closest_labelled_questions_come_first():
    neighbours = Neighbours(
        marshal.loads(  # what the matcher's index cache stores and reads back
            marshal.dumps(
                Neighbours.build(
                    {
                        "a/duty/1": ["爷爷的招工档案怎么查", "查我爸当年的招工档案"],
                        "b/duty/2": ["警报响了要躲吗", "今天拉警报是演习吗"],
                    }
                )
            )
        )
    )
    nearest = neighbours.nearest(normalize("我想查奶奶的招工档案"), 3)
    assert [label for label, _ in nearest[:2]] == ["a/duty/1", "a/duty/1"]
    assert nearest[0][1] > nearest[1][1] > 0.1
    (label, similarity), *_ = neighbours.nearest(normalize("今天拉警报是演习吗"), 1)
    assert label == "b/duty/2" and similarity == pytest.approx(1.0)
    assert neighbours.nearest("xyz", 3) == []  # nothing in common: no neighbours


def test_a_weak_reading_is_settled_by_how_residents_asked(matcher):
    """Asking on someone's behalf names no record and no office: the matcher's words lead to case
    handling; the residents who asked like this were answered with the archive's lookups."""
    question = "她本人回不来 我替她去查 要带么子证件"
    assert matcher.decider.match(question, 3, None).top[0].id != "xiangyin/duty/5"
    result = matcher.match(question)
    assert result.intent == "answer" and result.top[0].id == "xiangyin/duty/5"
    assert any(note.startswith("labelled:") for note in result.notes)


def test_a_reading_made_by_a_rule_is_not_second_guessed(matcher):
    result, settled = _settle(matcher, {"baixiang/duty/1": ["你好", "你好呀", "你好啊"]}, "你好")
    assert result.top[0].id == "chat/greeting" and settled == result


def test_a_clear_vote_overrules_a_reading_of_weighed_words(matcher):
    labelled = {"baixiang/duty/9": ["她本人回不来 我替她去查 要带么子证件"]}
    result, settled = _settle(matcher, labelled, "她本人回不来 我替她去查 要带么子证件")
    assert result.top[0].id != "baixiang/duty/9"
    assert settled.intent == "answer" and settled.top[0].id == "baixiang/duty/9"
    assert len(settled.top) <= 3 and len({c.id for c in settled.top}) == len(settled.top)


def test_the_county_named_outweighs_the_vote(matcher):
    labelled = {"xiangyin/duty/9": ["她本人回不来 我替她去查 要带么子证件"]}
    question = "她本人回不来 我替她去查 要带么子证件"
    result, settled = _settle(matcher, labelled, question, county="baixiang")
    assert settled == result


def test_a_vote_for_another_office_names_who_handles_it(matcher):
    question = "档案馆门口的路灯坏了好几天了"
    result, settled = _settle(matcher, {DECLINE: [question]}, question)
    assert result.intent != "decline"
    assert settled.intent == "decline" and settled.referral == "hotline_12345"
    assert "不属于" in decline_text(matcher.knowledge, settled.referral, settled.notes)  # 路灯: the hotline's


def test_a_vote_for_another_office_naming_none_makes_no_claim_whose(matcher):
    """Nothing in the question names an office: the hotline forwards it, and the reply does not
    say it is another office's business."""
    question = "村里开会的记录本子找不着了"
    result, settled = _settle(matcher, {DECLINE: [question]}, question)
    assert result.intent != "decline"
    assert settled.intent == "decline" and "unknown topic" in settled.notes
    text = decline_text(matcher.knowledge, settled.referral, settled.notes)
    assert "12345" in text and "不属于" not in text


def test_a_declined_question_labelled_by_staff_is_answered_after_reload(tmp_path, knowledge_copy, capsys):
    """The review loop with `--label`: a question declined for lack of words is filed under its
    entry in labelled_questions.yaml (a line added, the file's comments kept) and answered."""
    question = "老家拆迁以后旧房子的底子还能看到不"
    db = tmp_path / "bot.db"
    engine = make_engine(db, Clock(), load_knowledge(knowledge_copy))
    before_reply = text_of(say(engine, question))
    assert answer_question(load_knowledge(knowledge_copy), question).intent == "decline", before_reply
    engine.store.close()
    with Store(db) as store:
        (item,) = [i for i in store.review_items() if i["kind"] == "declined"]

    path = knowledge_copy / FILE
    before = path.read_text(encoding="utf-8").splitlines()
    args = ["knowledge", "review", "--db", str(db), "--knowledge", str(knowledge_copy)]
    assert cli_main([*args, "--label", str(item["id"]), "xiangyin/duty/5"]) == 0
    assert "xiangyin/duty/5" in capsys.readouterr().out
    after = path.read_text(encoding="utf-8").splitlines()
    assert after[:8] == before[:8]  # the file's comments
    added = [line for line in after if line not in before]
    assert added == ["    - " + json.dumps(question, ensure_ascii=False)]
    at = after.index(added[0])
    assert after[: at + 1][-1] == added[0] and "  xiangyin/duty/5:" in after[:at]

    reply = answer_question(load_knowledge(knowledge_copy), question)
    assert reply.intent == "answer" and reply.entry_id == "xiangyin/duty/5"


def test_labelling_under_an_unknown_entry_restores_the_file(tmp_path, knowledge_copy, capsys):
    db = tmp_path / "bot.db"
    with Store(db) as store:
        store.log_review("随便问问", "suggested", "不太确定", datetime(2026, 1, 1))
        n = store.review_items()[0]["id"]
    path = knowledge_copy / FILE
    before = path.read_text(encoding="utf-8")
    args = ["knowledge", "review", "--db", str(db), "--knowledge", str(knowledge_copy)]
    assert cli_main([*args, "--label", str(n), "baixiang/duty/999"]) == 1
    assert "baixiang/duty/999" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == before
