"""jieba's dictionary read from its cache file by `bot.matcher.tokens` (issue 15: jieba's own
read, one small read per word, was most of a 1x start): the same dictionary as jieba's, and a
missing or damaged file left to jieba to rebuild."""

from __future__ import annotations

import shutil
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
