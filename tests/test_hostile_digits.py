"""Digit-like characters are text, not numbers (issue 11 item 5).

``str.isdigit()`` is true for '²', '①', '፩' (Ethiopic) and '𐩀' (Kharoshthi), on which ``int()``
raises, and ``int()`` of a 5,000-digit string is refused; each used to crash the terminal or give
the internal-error apology where a number picks a button, a suggestion or a field.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import bot.dialog as dialog
from bot import formflow
from bot.dialog import APOLOGY
from bot.matcher import Candidate
from bot.qa import QAReply
from bot.terminal import BLOCK_END
from bot.text import MAX_INT_DIGITS, ascii_int
from tests.dialog_support import (
    ARCHIVE_OWN,
    DISCLOSURE,
    MONDAY,
    Clock,
    fill,
    make_engine,
    pending_field,
    press,
    say,
    text_of,
    values,
)
from tests.test_terminal import chat

#: Characters for which str.isdigit() is true and int() raises (after NFKC, which the engine applies).
DIGIT_LIKE = ["፩", "𐩀", "፩፪", "𐩀𐩁𐩂", "1፩"]
HUGE = "7" * 5000


@pytest.fixture
def engine(tmp_path: Path):
    engine = make_engine(tmp_path / "bot.db", Clock(MONDAY))
    yield engine
    engine.store.close()


def test_ascii_int_accepts_only_short_ascii_digit_strings() -> None:
    assert ascii_int("3") == 3 and ascii_int("012") == 12
    for text in [
        "²",
        "①",
        "፩",
        "𐩀",
        "٣",
        "５",
        "",
        " 3",
        "3 ",
        "-3",
        "+3",
        "3.0",
        HUGE,
        "1" * (MAX_INT_DIGITS + 1),
    ]:
        assert ascii_int(text) is None, text


@pytest.mark.parametrize("text", [*DIGIT_LIKE, HUGE, "²", "①"])
def test_after_numbered_suggestions(engine, monkeypatch, text) -> None:
    top = [
        Candidate("baixiang/service/9", "异地查档、跨馆服务", 9.0),
        Candidate("baixiang/service/1", "政府信息公开", 8.0),
    ]
    fixed = QAReply("查东西", "suggest", "您是不是想问：\n1. …\n2. …", top)
    real = dialog.answer_question
    monkeypatch.setattr(
        dialog,
        "answer_question",
        lambda knowledge, q, home=None: fixed if q == "查东西" else real(knowledge, q, home=home),
    )
    say(engine, "查东西")
    out = say(engine, text)
    assert out.replies and APOLOGY not in text_of(out)


@pytest.mark.parametrize("text", [*DIGIT_LIKE, HUGE])
def test_in_the_archive_field(engine, text) -> None:
    say(engine, "异地查档")
    fill(engine, ARCHIVE_OWN, stop_at="archive")
    out = say(engine, text)
    assert out.replies and APOLOGY not in text_of(out)
    assert values(engine).get("archive") != "柏乡县档案局"  # not taken for button 1


def test_a_forged_pick_button_with_digit_likes_is_expired(engine) -> None:
    say(engine, "异地查档")
    fill(engine, ARCHIVE_OWN, stop_at="archive")
    for payload in ["pick:²", "pick:፩", "pick:٢", f"pick:{HUGE}"]:
        out = press(engine, payload)
        assert "失效" in text_of(out) and APOLOGY not in text_of(out)
        assert pending_field(engine) == "archive"


@pytest.mark.parametrize("text", ["修改 ፩", "修改 𐩀", f"修改 {HUGE}"])
def test_editing_a_field_by_a_digit_like_number(engine, text) -> None:
    press(engine, "menu:disclosure")
    fill(engine, DISCLOSURE)
    out = say(engine, text)
    assert out.replies and APOLOGY not in text_of(out)


def test_find_fields_by_digit_like_is_no_field(engine) -> None:
    form = engine.knowledge.extras["forms"]["disclosure"]
    assert formflow.find_fields(form, {}, "1")
    assert formflow.find_fields(form, {}, "፩") == []


def test_the_terminal_takes_digit_likes_as_text(tmp_path: Path) -> None:
    lines = ["信息公开申请", *DIGIT_LIKE, HUGE, "²"]
    result = chat(tmp_path / "chat.db", lines)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.count(f"\n{BLOCK_END}\n") == len(lines)


def test_terminal_press_ignores_digit_likes() -> None:
    from bot.dialog import Button
    from bot.terminal import press as terminal_press

    buttons = [Button("甲", "a"), Button("乙", "b")]
    assert terminal_press("2", buttons) == "b"
    assert terminal_press("２", buttons) == "b"  # full-width, as typed on a phone
    for text in [*DIGIT_LIKE, HUGE]:
        assert terminal_press(text, buttons) is None


def test_a_staff_outcome_or_applicant_type_typed_as_a_digit_like_is_none() -> None:
    from bot.desk import parse_applicant_type as _applicant_type
    from bot.knowledge import load_knowledge
    from bot.outcomes import APPLICANT_TYPES

    outcomes = load_knowledge().extras["outcomes"]
    assert _applicant_type("1") == APPLICANT_TYPES[0]
    assert outcomes.parse("3.1") is not None
    for text in [*DIGIT_LIKE, HUGE, "²"]:
        assert _applicant_type(text) is None
    for text in [*DIGIT_LIKE, HUGE]:  # a code is folded like full-width ３．１ (NFKC), never int()'d
        assert outcomes.parse(text) is None
