"""The message catalogue: administrators change the words, the code fills the placeholders.

`knowledge/messages/*.yaml` is checked against the keys the code declares (bot/message_keys/),
and the code is checked against the same declarations by walking its calls.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from bot.knowledge import BUNDLED_KNOWLEDGE, KnowledgeError, load_knowledge
from bot.message_keys import KEYS
from bot.messages import Catalogue, MessageError, catalogue_of

ROOT = Path(__file__).resolve().parents[1]


def copy_knowledge(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, root)
    return root


def edit_messages(root: Path, old: str, new: str) -> None:
    path = root / "messages" / "system.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems_after(root: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(root)
    return [str(p) for p in caught.value.problems]


def test_bundled_catalogue_has_every_declared_key():
    catalogue = catalogue_of(load_knowledge())
    assert set(catalogue.texts) == set(KEYS)


def test_an_edited_sentence_is_what_the_assistant_says(tmp_path):
    root = copy_knowledge(tmp_path)
    edit_messages(root, "system.apology: 抱歉，系统出了点问题", "system.apology: 人多稍等")
    assert catalogue_of(load_knowledge(root)).text("system.apology").startswith("人多稍等")


def test_unknown_key_is_reported_with_file_and_key(tmp_path):
    root = copy_knowledge(tmp_path)
    with (root / "messages" / "system.yaml").open("a", encoding="utf-8") as f:
        f.write("system.bussy: 拼错的键\n")
    assert any(
        "messages/system.yaml: system.bussy: key: unknown message key" in p for p in problems_after(root)
    )


def test_missing_key_is_reported(tmp_path):
    root = copy_knowledge(tmp_path)
    edit_messages(root, "system.apology: ", "# system.apology: ")
    assert any("system.apology: key: message missing" in p for p in problems_after(root))


def test_missing_and_extra_placeholders_are_reported(tmp_path, monkeypatch):
    monkeypatch.setitem(KEYS, "system.apology", ("minutes",))
    root = copy_knowledge(tmp_path)
    found = problems_after(root)
    assert any("system.apology: text: placeholder {minutes} is missing" in p for p in found)
    edit_messages(root, "system.apology: 抱歉", "system.apology: 请{minutes}分钟后{who}再试 抱歉")
    found = problems_after(root)
    assert any("system.apology: text: unknown placeholder {who} (allowed: {minutes})" in p for p in found)
    assert not any("{minutes} is missing" in p for p in found)


def test_a_text_starting_with_a_brace_must_be_quoted(tmp_path):
    root = copy_knowledge(tmp_path)
    edit_messages(root, "system.apology: 抱歉，系统出了点问题，请稍后再试。", "system.apology: {x}")
    found = problems_after(root)
    assert any("system.apology: text: a text that starts with { or [ must be in quotes" in p for p in found)


def test_a_key_defined_in_two_files_is_reported(tmp_path):
    root = copy_knowledge(tmp_path)
    (root / "messages" / "zz.yaml").write_text("system.apology: 又一个\n", encoding="utf-8")
    assert any("messages/zz.yaml: system.apology: key: defined twice" in p for p in problems_after(root))


def test_positional_placeholders_are_refused(tmp_path):
    root = copy_knowledge(tmp_path)
    edit_messages(root, "system.apology: 抱歉", "system.apology: 抱歉{0}")
    found = problems_after(root)
    assert any("system.apology: text: placeholder {0} must be a plain name" in p for p in found)


def test_code_cannot_ask_for_an_undeclared_key_or_wrong_placeholders():
    catalogue = Catalogue({"system.apology": "忙"})
    with pytest.raises(MessageError):
        catalogue.text("system.bussy")
    with pytest.raises(MessageError):
        catalogue.text("system.apology", minutes=3)


def _catalogue_calls() -> list[tuple[Path, int, str, set[str]]]:
    """Every `<x>.text("key", ...)` / `messages("key", ...)` call with a literal dotted key."""
    calls = []
    groups = {k.split(".")[0] for k in KEYS}
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/**/*.py"), *ROOT.glob("cli/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
                continue
            key = node.args[0].value
            if not (isinstance(key, str) and "." in key and key.split(".")[0] in groups):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in {"text", "messages", "msg", "say_msg", "say", "store_text"}:
                calls.append((path, node.lineno, key, {kw.arg for kw in node.keywords if kw.arg}))
    return calls


def test_every_call_in_the_code_uses_a_declared_key_with_its_placeholders():
    calls = _catalogue_calls()
    assert calls, "the catalogue is used somewhere"
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: {key} {sorted(given)}"
        for path, line, key, given in calls
        if key not in KEYS or given != set(KEYS[key])
    ]
    assert wrong == []


def test_every_declared_key_is_used_by_the_code():
    used = {key for _path, _line, key, _given in _catalogue_calls()}
    assert sorted(set(KEYS) - used) == []


def test_start_up_sentences_come_from_the_bundled_catalogue_and_still_say_what_failed_without_it(
    monkeypatch,
):
    """Start-up errors are printed before (or because) the knowledge in use cannot be loaded."""
    from bot import startup, validators

    locked = startup.say("admin.db_locked", path="/srv/bot.db")
    assert locked.startswith("数据库 /srv/bot.db 正被另一个进程锁定：请确认没有另一个 citizen-bot 在使用它")
    monkeypatch.setattr(validators, "bundled_messages", lambda: Catalogue())
    assert startup.say("admin.db_locked", path="/srv/bot.db") == "admin.db_locked path=/srv/bot.db"
