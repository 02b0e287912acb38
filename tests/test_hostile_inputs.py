"""Hostile and broken input through the engine, the terminal and the command line (issue 5).

The corpus is ``tests/data/hostile/inputs.jsonl`` (ASCII JSON, so NUL, control characters and
lone surrogates survive any editor). Every input is answered without a crash (no apology, the
turn is saved) as a free question and typed into the name and description fields. What a form
keeps is exactly the validator's documented normalisation of the text as received
(``validators.text``: CR LF -> LF, TAB -> space, C0/C1 control characters dropped, trimmed) after
``sanitize.clean_text`` (lone surrogates -> U+FFFD); markup, SQL and emoji are kept verbatim.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot import terminal
from bot.dialog import APOLOGY, Engine
from bot.sanitize import clean_text
from bot.validators import Valid
from bot.validators import text as text_validator
from tests.dialog_support import (
    DISCLOSURE,
    MONDAY,
    Clock,
    fill,
    make_engine,
    pending_field,
    press,
    say,
    state,
    text_of,
    values,
)

ROOT = Path(__file__).resolve().parents[1]
CORPUS_FILE = ROOT / "tests" / "data" / "hostile" / "inputs.jsonl"
CORPUS: list[dict[str, str]] = [json.loads(line) for line in CORPUS_FILE.read_text("ascii").splitlines()]
BY_ID = {row["id"]: row["text"] for row in CORPUS}
IDS = [row["id"] for row in CORPUS]

#: Must be accepted as a name and kept exactly as typed.
NAMES_KEPT = [
    "html_bold",
    "name_html",
    "md_bold",
    "md_link",
    "sql_drop",
    "emoji_zwj",
    "arabic",
    "hebrew",
    "rlo",
    "mixed_scripts",
    "cjk_ext_b",
    "combining",
]
#: Must be accepted as a description and kept exactly as typed.
DESCRIPTIONS_KEPT = [
    "html_script",
    "html_img",
    "html_entities",
    "html_tg_link",
    "html_pre",
    "md_v2_specials",
    "md_code",
    "sql_drop",
    "sql_union",
    "json_like",
    "format_braces",
    "url",
    "path",
    "long_number",
    "id_like_19",
    "arabic",
    "emoji_zwj",
    "yaml_like",
]


def normalised(raw: str, min_len: int, max_len: int) -> str | None:
    """What a text field keeps for ``raw`` (None: refused)."""
    result = text_validator(clean_text(raw), min_len=min_len, max_len=max_len)
    return result.value if isinstance(result, Valid) else None


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    return make_engine(tmp_path_factory.mktemp("hostile") / "bot.db", Clock(MONDAY))


def test_corpus_covers_the_brief():
    assert len(CORPUS) >= 50
    assert len(set(IDS)) == len(IDS)
    texts = [row["text"] for row in CORPUS]
    assert any(len(t) == 4096 for t in texts)
    assert any("\x00" in t for t in texts)
    assert any("\u202e" in t for t in texts) and any("\u200b" in t for t in texts)
    assert any("<script>" in t for t in texts) and any("DROP TABLE" in t for t in texts)
    assert any(t.strip() == "" and t for t in texts)
    assert any(clean_text(t) != t for t in texts)  # lone surrogates


@pytest.mark.parametrize("case", IDS)
def test_free_question_is_answered(engine, case):
    resident = f"q:{case}"
    outcome = say(engine, BY_ID[case], resident)
    assert outcome.replies, case
    assert APOLOGY not in text_of(outcome)
    assert all(isinstance(r.text, str) and r.text.strip() for r in outcome.replies)
    assert state(engine, resident).get("mode") == "idle"  # the turn completed and was saved


@pytest.mark.parametrize("case", IDS)
def test_typed_as_a_name(engine, case):
    resident = f"n:{case}"
    press(engine, "menu:disclosure", resident)
    say(engine, "公民", resident)
    assert pending_field(engine, resident) == "name"
    outcome = say(engine, BY_ID[case], resident)
    assert APOLOGY not in text_of(outcome) and outcome.replies
    stored = values(engine, resident).get("name")
    if stored is not None:
        assert stored == normalised(BY_ID[case], 2, 30)
        assert pending_field(engine, resident) == "id_type"
    else:
        assert pending_field(engine, resident) == "name" or state(engine, resident)["mode"] != "form"
    if case in NAMES_KEPT:
        assert stored == BY_ID[case], case


@pytest.mark.parametrize("case", IDS)
def test_typed_as_a_description(engine, case):
    resident = f"d:{case}"
    press(engine, "menu:disclosure", resident)
    fill(engine, DISCLOSURE, resident, stop_at="description")
    outcome = say(engine, BY_ID[case], resident)
    assert APOLOGY not in text_of(outcome) and outcome.replies
    stored = values(engine, resident).get("description")
    if stored is not None:
        assert stored == normalised(BY_ID[case], 5, 1000)
    if case in DESCRIPTIONS_KEPT:
        assert stored == BY_ID[case], case


def test_control_characters_are_dropped_from_fields_and_nothing_else(engine):
    resident = "d:controls-kept"
    press(engine, "menu:disclosure", resident)
    fill(engine, DISCLOSURE, resident, stop_at="description")
    say(engine, "第一行\r\n第二\x00行\t<b>x</b>\x1b[0m", resident)
    assert values(engine, resident)["description"] == "第一行\n第二行 <b>x</b>[0m"


def test_invisible_only_name_is_refused(engine):
    for case in ("zero_width_only", "whitespace_only", "nul", "del"):
        resident = f"inv:{case}"
        press(engine, "menu:disclosure", resident)
        say(engine, "公民", resident)
        outcome = say(engine, BY_ID[case], resident)
        assert "name" not in values(engine, resident), case
        assert "内容不能为空" in text_of(outcome)


def test_lone_surrogates_are_replaced_not_fatal(engine):
    resident = "sur"
    press(engine, "menu:disclosure", resident)
    say(engine, "公民", resident)
    say(engine, "名字\udcff", resident)
    assert values(engine, resident)["name"] == "名字\ufffd"
    outcome = press(engine, "pick:\ud800", resident)
    assert APOLOGY not in text_of(outcome)


def test_a_submitted_request_keeps_hostile_text_verbatim(tmp_path):
    engine = make_engine(tmp_path / "bot.db", Clock(MONDAY))
    name, description = (
        "<b>x</b>",
        "<script>alert('x')</script> '; DROP TABLE requests; -- *bold* [l](http://x)",
    )
    answers = [(k, name if k == "name" else description if k == "description" else v) for k, v in DISCLOSURE]
    press(engine, "menu:disclosure")
    fill(engine, answers)
    outcome = press(engine, "confirm")
    assert "申请编号" in text_of(outcome)
    (req,) = engine.store.requests_for("tg:1001")
    assert req.data["fields"]["name"] == name
    assert req.data["fields"]["description"] == description
    assert engine.store.get_request(req.reference) is not None  # the table is still there


def test_terminal_pipe_survives_the_corpus(tmp_path):
    engine = make_engine(tmp_path / "bot.db", Clock(MONDAY))
    lines = [clean_text(row["text"]).replace("\r", " ").replace("\n", " ") for row in CORPUS]
    out = io.StringIO()
    assert (
        terminal.converse(engine, "terminal", io.StringIO("\n".join(lines) + "\n"), out, interactive=False)
        == 0
    )
    blocks = out.getvalue().split(terminal.BLOCK_END + "\n")
    assert len(blocks) - 1 == sum(1 for line in lines if line.strip())
    assert APOLOGY not in out.getvalue()


def _cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args], input=stdin, capture_output=True, cwd=ROOT, timeout=120
    )


def test_match_jsonl_with_invalid_utf8_reports_the_line():
    stdin = (
        b'{"q": "\xe4\xbd\xa0\xe5\xa5\xbd"}\n'  # 你好
        b'{"q": "\xff\xfe broken"}\n'
        b'{"q": "\\ud800 lone"}\n'
        b"\x00\x00\n"
        b'{"q": "<script>alert(1)</script>"}\n'
    )
    result = _cli("match", "--jsonl", stdin=stdin)
    assert result.returncode == 0, result.stderr.decode()
    assert b"Traceback" not in result.stderr
    rows = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert len(rows) == 5
    assert rows[0]["intent"] == "answer"
    assert rows[1] == {"error": "line 2 is not valid UTF-8 (byte 7)", "line": 2}
    assert rows[2]["q"] == "\ufffd lone" and rows[2]["intent"] in {"answer", "suggest", "decline"}
    assert "error" in rows[3]
    assert rows[4]["q"] == "<script>alert(1)</script>"


def test_knowledge_check_reports_a_file_with_invalid_utf8(tmp_path):
    import shutil

    from bot.knowledge import BUNDLED_KNOWLEDGE

    knowledge = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, knowledge)
    with (knowledge / "synonyms.yaml").open("ab") as f:
        f.write(b"\n# \xff\xfe\xc3\x28 broken bytes\n")
    result = _cli("knowledge", "check", "--knowledge", str(knowledge))
    assert result.returncode != 0
    out = (result.stdout + result.stderr).decode("utf-8")
    assert "synonyms.yaml" in out and "UTF-8" in out
    assert "Traceback" not in out


def test_match_jsonl_answers_the_lines_after_a_deeply_nested_one():
    deep_array = "[" * 100_000 + "]" * 100_000
    deep_object = '{"a":' * 5_000 + "1" + "}" * 5_000
    stdin = "\n".join(
        [
            '{"q": "你好"}',
            deep_array,
            f'{{"q": {deep_array}}}',
            deep_object,
            '{"q": ' + "[" * 900 + "]" * 900 + "}",
            '{"q": "政府信息公开"}',
        ]
    ).encode("utf-8")
    result = _cli("match", "--jsonl", stdin=stdin)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert b"Traceback" not in result.stderr
    rows = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert len(rows) == 6
    assert rows[0]["intent"] == "answer" and rows[5]["intent"] == "answer"
    assert rows[1] == {"error": "line 2 is nested too deeply", "line": 2}
    assert rows[2] == {"error": "line 3 is nested too deeply", "line": 3}
    assert "error" in rows[3] and "error" in rows[4]


def test_ask_with_invalid_utf8_in_its_argument():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "ask",
            b"\xff\xfe\xe6\x94\xbf\xe5\xba\x9c\xe4\xbf\xa1\xe6\x81\xaf\xe5\x85\xac\xe5\xbc\x80",
        ],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert b"Traceback" not in result.stderr
    assert result.stdout.decode("utf-8").strip()
