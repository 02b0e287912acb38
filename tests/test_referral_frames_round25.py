"""Issue 9, round 25: a question about a video game or a film is declined even when our words are
in it ("和平精英里的防空警报啥意思" asks about a game's siren, not the county's). A referrals.yaml
entry with `frames: true` says its keywords frame the whole question; other entries' keywords
count only when nothing of ours answers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge import BUNDLED_KNOWLEDGE, KnowledgeError, load_knowledge
from bot.matcher.clear_pick import clear_pick
from bot.qa import answer_question
from tests.dialog_support import say, text_of


@pytest.mark.parametrize(
    "question",
    [
        "和平精英里的防空警报啥意思",
        "我的世界里的防空洞怎么造",
        "刚看完长津湖，里面那个防空警报是真的那么响吗",
        "有没有防空洞主题的密室逃脱推荐",
        "Any good documentary about air-raid shelters in WWII London?",
    ],
)
def test_a_game_or_a_film_is_declined_though_it_names_our_words(matcher, question: str) -> None:
    result = matcher.match(question)
    assert result.intent == "decline" and result.referral == "non_government_games"
    assert "framed" in result.notes


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("防空警报试鸣是哪天", "baixiang/duty/14"),
        ("人防宣传月有没有放电影", "baixiang/service/5"),
        # a real siren heard while playing is still the county's siren
        ("玩游戏的时候听到外面防空警报响了，是演练吗", "baixiang/duty/14"),
        # unless: 档案, 馆里: the archive's own publicity and visitors stay ours (档案宣传、交流,
        # as the writer of a read set who asked the same question answered it; round 30)
        ("有个外国的纪录片团队想来馆里拍素材，要不要特别审批", "xiangyin/duty/9"),
    ],
)
def test_our_own_sirens_films_and_visitors_are_still_answered(knowledge, question: str, entry: str) -> None:
    reply = answer_question(knowledge, question)
    assert reply.intent == "answer" and reply.top[0].id == entry


def test_the_resident_is_told_it_is_no_government_matter(engine) -> None:
    out = say(engine, "和平精英防空警报响了往哪躲")
    text = text_of(out)
    assert "不是政府部门办理的事项" in text and "人工" in text


@pytest.mark.parametrize(
    ("written", "mistaken", "named"),
    [
        ("    frames: true\n", "    frames: 也许\n", "frames"),
        # round 30: a list names some of the entry's own keywords, and nothing else
        ("frames: [急救演练]", "frames: [急救演练, 放烟花]", "放烟花"),
    ],
)
def test_frames_is_yes_no_or_the_entrys_keywords_named_on_error(tmp_path: Path, written, mistaken, named):
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, root)
    path = root / "referrals.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(written, mistaken, 1), encoding="utf-8")
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(root)
    assert "referrals.yaml" in str(raised.value) and "frames" in str(raised.value)
    assert named in str(raised.value)


def test_the_labelled_model_does_not_overturn_a_framed_decline(matcher) -> None:
    """The administrators' `frames` words are their ruling, as an attached example is: the linear
    model's clear pick leaves the decline standing, however sure it is."""
    declined = matcher.match("和平精英里的防空警报啥意思")
    titles = {"baixiang/duty/14": "人民防空工作"}
    kept = clear_pick(declined, ("baixiang/duty/14", 5.0), titles, lambda: (None, False))
    assert kept is declined
