"""`citizen-bot chat`: the engine in a terminal, driven from a pipe as a newcomer's script would."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from bot.dialog import Button, Engine, HandoverOpened, Outcome, Reply
from bot.startup import default_db_path
from bot.store import Store
from bot.terminal import BLOCK_END, converse, press, render
from tests.dialog_support import ID, MONDAY, Clock, bundled

REFERENCE = re.compile(r"GK-\d{8}-\d{4}")

#: A whole application: buttons pressed by number (1 = 公民, 2 = 电子, 1 = 邮寄, 1 = 确认提交).
APPLICATION = [
    "信息公开申请",
    "1",
    "张三",
    ID,
    "13812345678",
    "柏乡县某某镇某某村1号",
    "2025年本县某某道路改造工程的立项批复文件",
    "2",
    "1",
    "跳过",
    "1",
]


def citizen_bot() -> list[str]:
    exe = shutil.which("citizen-bot", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "cli"]


def chat(db: Path, lines: list[str], resident: str = "x") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [*citizen_bot(), "chat", "--db", str(db), "--resident", resident],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=env,
    )


def test_a_piped_script_completes_an_application_and_prints_the_reference(tmp_path: Path) -> None:
    db = tmp_path / "data" / "chat.db"
    result = chat(db, APPLICATION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(f"\n{BLOCK_END}\n")
    blocks = result.stdout.split(f"\n{BLOCK_END}\n")[:-1]
    assert len(blocks) == len(APPLICATION)  # one reply block per input line
    assert "  [1] 公民" in blocks[0]
    assert "姓名：张三" in blocks[-2]  # the summary, in full to its owner (issue 10)
    receipt = blocks[-1]
    match = REFERENCE.search(receipt)
    assert match and f"申请编号：{match.group()}" in receipt

    again = chat(db, ["我的申请"])  # the same database remembers it
    assert match.group() in again.stdout
    other = chat(db, ["我的申请"], resident="someone-else")
    assert match.group() not in other.stdout and "暂无申请" in other.stdout


def test_numbers_press_the_buttons_of_the_last_reply() -> None:
    buttons = [Button("公民", "pick:1"), Button("法人或其他组织", "pick:2")]
    assert press("2", buttons) == "pick:2"
    assert press("3", buttons) is None
    assert press("13812345678", buttons) is None
    assert press("1", []) is None


def test_render_numbers_buttons_across_replies_and_notes_staff_events() -> None:
    outcome = Outcome(
        (Reply("第一条", (Button("甲", "a"),)), Reply("第二条", (Button("乙", "b"),))),
        (HandoverOpened("ZX-20261123-0001"),),
    )
    text, buttons = render(outcome)
    assert text.splitlines() == [
        "第一条",
        "  [1] 甲",
        "",
        "第二条",
        "  [2] 乙",
        "〔已通知工作人员：人工服务 ZX-20261123-0001〕",
    ]
    assert [b.payload for b in buttons] == ["a", "b"]


def test_interactive_mode_greets_and_prompts(tmp_path: Path) -> None:
    store = Store(tmp_path / "bot.db")
    try:
        out = io.StringIO()
        converse(
            Engine(bundled(), store, clock=Clock(MONDAY)),
            "t",
            io.StringIO("3\n/quit\n"),
            out,
            interactive=True,
        )
        text = out.getvalue()
        assert "您好！这里是柏乡县人民政府办公室" in text
        assert "> " in text
        assert "人防警报试鸣" in text  # "3" pressed the 人防活动 button of the welcome
    finally:
        store.close()


def test_default_database_lives_in_the_user_data_directory() -> None:
    path = default_db_path()
    assert path.name == "citizen-bot.db" and "citizen-bot" in str(path.parent)
