"""The engine's layout (issue 12): a dispatcher plus one module per capability, sentences by key.

Checks what the package docstring promises: capabilities are found through the registry and
reach each other by name (no imports between them), modules and classes stay small, the
sentences residents read are in the catalogue, a new capability is one class registered, and
a turn that erased the resident's data says so in ``Outcome.forgotten``.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

from bot.dialog import Engine
from bot.dialog.registry import CAPABILITIES
from bot.dialog.turn import Capability
from bot.knowledge import BUNDLED_KNOWLEDGE, load_knowledge
from bot.store import Store
from tests.dialog_support import RESIDENT, Clock, bundled, make_engine, press, say, text_of

PACKAGE = Path(__file__).resolve().parents[1] / "bot" / "dialog"
#: Modules every capability may import: the dispatcher's plumbing and shared vocabulary.
SHARED = {"bot.dialog.turn", "bot.dialog.types", "bot.dialog.words", "bot.dialog.buttons"}
CJK = re.compile(r"[\u3400-\u9fff]")


def _capability_modules() -> set[str]:
    return {cls.__module__ for cls in CAPABILITIES}


def test_capabilities_do_not_import_each_other():
    capabilities = _capability_modules()
    wrong = []
    for module in capabilities:
        tree = ast.parse((PACKAGE / f"{module.rsplit('.', 1)[1]}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
                if names & (capabilities - {module}):
                    wrong.append(f"{module} imports {node.module}")
    assert wrong == []


def test_modules_and_classes_stay_small():
    big = []
    for path in PACKAGE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > 500:
            big.append(path.name)
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > 300:
                big.append(f"{path.name}:{node.name}")
    assert big == []


def test_every_mode_has_one_owner():
    owners: dict[str, str] = {}
    for cls in CAPABILITIES:
        for mode in cls.modes:
            assert mode not in owners, f"{mode} owned by {owners[mode]} and {cls.__name__}"
            owners[mode] = cls.__name__
    assert set(owners) == {"idle", "form", "confirm", "confirm_cancel", "offer", "human", "confirm_forget"}


def test_no_sentence_is_written_in_the_engine_code():
    """Chinese text in the engine is only in words.py (what typed text is recognised by)."""
    found = []
    for path in PACKAGE.glob("*.py"):
        if path.name == "words.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and ast.get_docstring(node)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                if CJK.search(node.value):
                    found.append(f"{path.name}:{node.lineno}: {node.value[:30]}")
    assert found == []


def test_an_edited_catalogue_sentence_is_what_the_resident_reads(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, root)
    path = root / "messages" / "handover.yaml"
    text = path.read_text(encoding="utf-8")
    assert "handover.ended: 已结束人工服务" in text
    path.write_text(
        text.replace("handover.ended: 已结束人工服务", "handover.ended: 人工服务到此结束"), "utf-8"
    )
    engine = Engine(load_knowledge(root), Store(tmp_path / "bot.sqlite3"), clock=Clock())
    say(engine, "人工")
    assert text_of(say(engine, "结束人工")).startswith("人工服务到此结束")


class _Echo(Capability):
    """A capability added by a test: 复读 enters its mode, which repeats until 停."""

    name = "echo"
    modes = ("echo",)

    def intercept(self, text: str, payload: str | None) -> bool:
        if self.t.mode == "idle" and text == "复读":
            self.t.mode = "echo"
            self.t.say("echo on")
            return True
        return False

    def on_mode(self, text: str, payload: str | None) -> None:
        if text == "停":
            self.t.mode = "idle"
            self.t.say("echo off", self.t.menu())
        else:
            self.t.say(f"echo: {text}")


def test_a_capability_is_added_by_registering_it(tmp_path):
    engine = Engine(
        bundled(), Store(tmp_path / "bot.sqlite3"), clock=Clock(), capabilities=(*CAPABILITIES, _Echo)
    )
    assert text_of(say(engine, "复读")) == "echo on"
    assert text_of(say(engine, "人工")) == "echo: 人工"  # the mode's owner gets the message
    assert "我的数据" not in text_of(say(engine, "停"))
    assert "人工" in text_of(say(engine, "人工"))  # back in idle: a handover opens


def test_forget_marks_the_outcome_forgotten(tmp_path):
    engine = make_engine(tmp_path / "bot.sqlite3", Clock())
    assert not say(engine, "我的数据").forgotten
    asked = say(engine, "删除我的数据")
    assert not asked.forgotten
    done = press(engine, "forget:yes")
    assert done.forgotten and "已删除" in text_of(done)
    assert not say(engine, "你好").forgotten


def test_a_redelivered_forget_does_not_erase_twice(tmp_path):
    engine = make_engine(tmp_path / "bot.sqlite3", Clock())
    say(engine, "删除我的数据")
    first = engine.handle(RESIDENT, payload="forget:yes", turn_key="u-1")
    assert first.forgotten
    # the session was deleted, so a redelivery is a fresh (expired) button, never a second erase
    again = engine.handle(RESIDENT, payload="forget:yes", turn_key="u-1")
    assert not again.forgotten and "失效" in text_of(again)
