"""jieba's dictionary read from its cache file by `bot.matcher.tokens` (issue 15: jieba's own
read, one small read per word, was most of a 1x start): the same dictionary as jieba's, and a
missing or damaged file left to jieba to rebuild. jieba itself is imported without
pkg_resources (`bot.jieba_import`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import jieba
import pytest

from bot.matcher.tokens import _read_jieba_cache, tokenizer


@pytest.fixture
def cache_file(tmp_path) -> Path:
    ready = tokenizer()  # the process's tokenizer: its cache file exists once it has started
    path = tmp_path / "jieba.cache"
    shutil.copy(ready.cache_file, path)
    return path


def fresh(path: Path) -> jieba.Tokenizer:
    tok = jieba.Tokenizer()
    tok.tmp_dir, tok.cache_file = str(path.parent), str(path)
    return tok


def test_the_same_dictionary_as_jiebas_own_read(cache_file):
    ours, theirs = fresh(cache_file), fresh(cache_file)
    assert _read_jieba_cache(ours, cache_file)
    theirs.initialize()
    assert ours.initialized and ours.total == theirs.total and ours.FREQ == theirs.FREQ
    text = "我想查一下异地查档怎么办理，人防工程多久检查一次"
    assert ours.lcut(text) == theirs.lcut(text)


@pytest.mark.parametrize("damage", [None, b"", b"not marshal data", b"\xe9\x00\x00"])
def test_missing_or_damaged_is_left_to_jieba(cache_file, damage):
    if damage is None:
        cache_file.unlink()
    else:
        cache_file.write_bytes(damage)
    tok = fresh(cache_file)
    assert not _read_jieba_cache(tok, cache_file)
    assert not tok.initialized


def test_another_dictionary_is_left_to_jieba(cache_file, tmp_path):
    words = tmp_path / "dict.txt"
    words.write_text("档案馆 10 n\n", encoding="utf-8")
    tok = jieba.Tokenizer(str(words))
    assert not _read_jieba_cache(tok, cache_file)


def test_jieba_is_imported_without_pkg_resources_and_still_finds_its_dictionary(tmp_path):
    """A fresh process with an empty cache folder: the bot's modules never import pkg_resources
    (0.18 s, 12 MB), and jieba builds its dictionary from its own bundled file by path."""
    code = (
        "import sys, handlers.telegram.app\n"
        "from bot.matcher.tokens import tokenizer\n"
        "words = tokenizer().lcut('我想申请政府信息公开')\n"
        "print('pkg_resources' in sys.modules, words == ['我', '想', '申请', '政府', '信息', '公开'])\n"
    )
    env = {**os.environ, "CITIZEN_BOT_CACHE_DIR": str(tmp_path)}
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=root, timeout=120
    )
    assert out.stdout.split() == ["False", "True"], out.stderr[-2000:]
    assert (tmp_path / "jieba.cache").exists()
