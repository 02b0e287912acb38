"""The per-character pinyin table (bot/text.py): one toneless first reading per character, kept
as a 2-byte array (not pypinyin's file as a dict of 40,000 strings: 6 MB less resident) and read
from the cache folder after the first start (the build takes 30 ms of the cold start)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot import text

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str, cache: Path) -> str:
    env = {**os.environ, "CITIZEN_BOT_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_each_character_reads_its_first_reading_without_tones():
    assert [text._char_pinyin(c) for c in "档案绿"] == ["dang", "an", "lv"]
    assert text._char_pinyin("A") == ""  # not a character pypinyin reads
    assert text.is_pinyin_syllable("dang") and not text.is_pinyin_syllable("dangx")


def test_the_cached_table_is_the_built_one():
    built, used = text._build_readings(), text._readings()
    assert built.syllables == used.syllables
    assert built.first.tobytes() == used.first.tobytes() and built.beyond == used.beyond


def test_a_new_process_reads_the_table_from_the_cache_folder(tmp_path):
    """The first start builds and writes it; the next reads it without building."""
    assert _run("from bot import text; print(text._char_pinyin('档'))", tmp_path) == "dang"
    assert len(list(tmp_path.glob("pinyin-first-1-*.bin"))) == 1
    no_build = (
        "from bot import text\n"
        "def fail(): raise AssertionError('built again')\n"
        "text._build_readings = fail\n"
        "print(text._char_pinyin('防'))"
    )
    assert _run(no_build, tmp_path) == "fang"


def test_a_damaged_cache_file_is_built_again(tmp_path):
    _run("from bot import text; text._readings()", tmp_path)
    (cached,) = tmp_path.glob("pinyin-first-1-*.bin")
    cached.write_bytes(b"\x00not marshal")
    assert _run("from bot import text; print(text._char_pinyin('档'))", tmp_path) == "dang"


def test_a_cache_folder_that_cannot_be_made_costs_only_the_build(tmp_path):
    """A file where the folder should be: the table is built each start, the answer the same."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    assert _run("from bot import text; print(text._char_pinyin('档'))", blocked / "cache") == "dang"
