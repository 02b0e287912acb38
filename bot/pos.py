"""Is an unknown word a noun? jieba's dictionary knows, in 3 MB instead of 100.

The matcher weighs a word the knowledge never uses by its part of speech: an unknown noun
(公积金, 驾驶证) usually names another office's business, an unknown verb is mostly how the
question is asked. jieba.posseg's table is a 350,000-entry dict (~100 MB resident); here each
dictionary word becomes one 64-bit integer (its hash with the word class in the low bits) in a
sorted array. The array is kept in the cache folder beside jieba's own cache: read from there
at start-up (3 MB, a few ms); built from jieba's dictionary in the background when missing (0.3 s
of CPU that, under the GIL, the first answer waited for: round 22's cold start 1.08 -> 0.8 s).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from array import array
from bisect import bisect_left
from pathlib import Path
from typing import Literal

from bot.jieba_import import jieba
from bot.knowledge_cache import _cache_dir, write_atomically

log = logging.getLogger(__name__)

WordClass = Literal["unknown", "noun", "other"]

_NOUN, _OTHER = 1, 2
_MASK = ~3
_NOUN_TAGS = ("n", "j")
_NOUN_EXACT = frozenset({"vn", "nz", "eng"})

_ready = threading.Event()
_started = threading.Lock()
_table = array("q")
#: The cached table's name: its key function and jieba's version (a new dictionary, a new file).
_CACHE_NAME = f"jieba-pos-1-{jieba.__version__}.bin"


def _key(word: str) -> int:
    """The word's 64-bit digest, the same in every process (`hash` is salted per process, and
    the table is cached on disk)."""
    digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True) & _MASK


def _cache_path(tok: jieba.Tokenizer) -> Path | None:
    """The cached table, for jieba's own dictionary only (another would need its own key)."""
    return _cache_dir() / _CACHE_NAME if tok.dictionary == jieba.DEFAULT_DICT else None


def _read_cache(path: Path | None) -> bool:
    try:
        raw = path.read_bytes() if path else b""
    except OSError:
        return False
    if not raw or len(raw) % _table.itemsize:
        return False
    _table.frombytes(raw)
    return True


def _load(tok: jieba.Tokenizer) -> None:
    try:
        values = []
        with tok.get_dict_file() as f:
            for raw in f:
                parts = raw.decode("utf-8").split()
                if len(parts) < 3:
                    continue
                word, tag = parts[0], parts[2]
                noun = tag.startswith(_NOUN_TAGS) or tag in _NOUN_EXACT
                values.append(_key(word) | (_NOUN if noun else _OTHER))
        values.sort()
        _table.extend(values)
        path = _cache_path(tok)
        if path:
            try:
                write_atomically(path, _table.tobytes())
            except OSError as exc:  # a read-only or full disk costs start-up time, nothing else
                log.warning("part-of-speech table not cached: %s", type(exc).__name__)
    finally:
        _ready.set()


def start_loading(tok: jieba.Tokenizer) -> None:
    """Read the table once per process from the cache, or build it in a background thread."""
    if _started.acquire(blocking=False):
        if _read_cache(_cache_path(tok)):
            _ready.set()
        else:
            threading.Thread(target=_load, args=(tok,), name="jieba-pos", daemon=True).start()


def wait_ready(timeout: float = 30.0) -> bool:
    return _ready.wait(timeout)


def word_class(word: str) -> WordClass:
    """'unknown' when jieba's dictionary lacks the word (an HMM guess), else noun or other."""
    wait_ready()
    key = _key(word)
    i = bisect_left(_table, key)
    if i < len(_table) and _table[i] & _MASK == key:
        return "noun" if _table[i] & 3 == _NOUN else "other"
    return "unknown"
