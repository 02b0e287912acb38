"""Issue 9, round 22: a linear model of the labelled questions weighs in the second opinion.

The nearest questions and the naive Bayes count how often an answer's questions use a gram; the
linear model (knowledge/labelled_model.npz, one-vs-rest linear SVM on character 1-3-grams,
trained offline by scripts/train_labelled_model.py) weighs each gram by how well it tells one
answer from the others. Alone it picked the right answer of 0.881 of the held-out and unread
sets' questions, where the whole matcher picked 0.827; its scores are three more features of
the model that settles a weak reading (`bot.matcher.combiner`).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.knowledge import BUNDLED_KNOWLEDGE, load_knowledge
from bot.labelled import DECLINE
from bot.matcher import Matcher
from bot.matcher.linear import MODEL_FILE, LinearModel, labelled_digest, linear_model_is_stale
from bot.matcher.second_opinion import evidence
from bot.review import label_question
from bot.text import normalize

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def model() -> LinearModel:
    loaded = LinearModel.load(BUNDLED_KNOWLEDGE / MODEL_FILE)
    assert loaded is not None
    return loaded


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, root)
    return root


def _best(model: LinearModel, text: str) -> str:
    scores = model.scores(normalize(text))
    return max(scores, key=scores.__getitem__)


def test_the_shipped_model_learned_from_the_labelled_questions_the_knowledge_holds(knowledge, model):
    """Filing questions in the repository means retraining the model (scripts/train_labelled_model.py)."""
    assert model.trained_on == labelled_digest(knowledge.extras["labelled"])
    assert not linear_model_is_stale(knowledge)
    assert set(model.labels) == set(knowledge.extras["labelled"])


def test_a_resident_s_own_words_score_the_answer_whose_questions_use_them(model):
    assert _best(model, "收音机一到晚上就串台吱吱响，这归哪个部门管") == "baixiang/duty/9"  # 无线电管理
    assert _best(model, "我想把爷爷留下的老信件捐给档案馆") == "xiangyin/duty/6"  # 征集
    assert _best(model, "社保卡丢了去哪补办") == DECLINE  # another office's business


def test_a_question_sharing_no_gram_with_the_model_has_no_scores(model):
    assert model.scores("") == {}
    assert model.scores(normalize("ʘʘʘ")) == {}


def test_a_saved_model_scores_as_before(model, tmp_path):
    path = tmp_path / MODEL_FILE
    model.save(path)
    again = LinearModel.load(path)
    text = normalize("防空警报试鸣那天要不要躲")
    before, after = model.scores(text), again.scores(text)
    assert before.keys() == after.keys()
    assert all(abs(before[k] - after[k]) < 1e-3 for k in before)  # weights kept as float16


def test_the_second_opinion_reads_the_model_s_scores(matcher):
    """Three features per candidate answer: its score, whether it is the best, its lead."""
    text = "村里那个老防空洞小孩老往里钻，出了事谁负责"
    opinion = matcher.second_opinion
    result = matcher.decider.match(text, 3, None)
    read = matcher.analyser.analyse(result.query).repaired
    seen = evidence(result, opinion.neighbours, read, normalize(text), linear=opinion.linear)
    best, second = seen.linear_ranked
    assert best in seen.candidates()
    lead = seen.linear[best] - seen.linear[second]
    assert seen.features(best)[-3:] == [seen.linear[best], 1.0, lead]
    other = next(label for label in seen.candidates() if label != best)
    assert seen.features(other)[-2] == 0.0 and seen.features(other)[-1] < 0


def test_knowledge_without_a_model_still_answers(knowledge_copy):
    (knowledge_copy / MODEL_FILE).unlink()
    matcher = Matcher(load_knowledge(knowledge_copy))
    assert matcher.second_opinion.linear is None
    assert matcher.match("异地查档怎么办理").intent == "answer"


def test_knowledge_check_says_when_the_model_is_stale_and_retraining_mends_it(knowledge_copy):
    """A question filed (by hand or `knowledge review --label`) leaves the model as it was: still
    used, and `knowledge check` says so; scripts/train_labelled_model.py retrains it."""
    label_question(knowledge_copy, "baixiang/duty/9", "收音机晚上老有杂音谁管")

    def check() -> str:
        command = [sys.executable, "-m", "cli", "knowledge", "check", "--knowledge", str(knowledge_copy)]
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert linear_model_is_stale(load_knowledge(knowledge_copy))
    assert "scripts/train_labelled_model.py" in check()
    command = [sys.executable, "scripts/train_labelled_model.py", "--knowledge", str(knowledge_copy)]
    trained = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert trained.returncode == 0, trained.stderr
    assert "train_labelled_model" not in check()
    assert not linear_model_is_stale(load_knowledge(knowledge_copy))


def test_a_reload_keeps_the_model_already_read_until_its_file_changes(model, tmp_path):
    """A /reload builds the matcher again; the 1 MB model is read again only when its file
    changed (its path, modification time and size name it)."""
    path = tmp_path / MODEL_FILE
    model.save(path)
    first = LinearModel.load(path)
    assert LinearModel.load(path) is first
    trimmed = dataclasses.replace(model, intercept=model.intercept + 1)
    trimmed.save(path)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    again = LinearModel.load(path)
    assert again is not first
    assert abs(again.intercept[0] - model.intercept[0] - 1) < 1e-6
