"""A copy of the bundled knowledge with one file edited: how tests show that a broken
administrators' file is refused on load with an error naming the file and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.knowledge import BUNDLED_KNOWLEDGE


def copied_knowledge(tmp_path: Path) -> Path:
    """The bundled knowledge copied to `tmp_path`/knowledge, for a test to edit."""
    copy = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, copy)
    return copy


def edited_knowledge(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """The knowledge copied under `tmp_path` with the first `old` in file `name` replaced by `new`."""
    copy = copied_knowledge(tmp_path)
    path = copy / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{name} no longer holds {old!r}: the test edits nothing"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return copy
