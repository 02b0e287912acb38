"""Is an unknown word a noun? jieba's dictionary knows, in 3 MB instead of 100.

The matcher weighs a word the knowledge never uses by its part of speech: an unknown noun
(公积金, 驾驶证) usually names another office's business, an unknown verb is mostly how the
question is asked. jieba.posseg's table is a 350,000-entry dict (~100 MB resident); here each
dictionary word becomes one 64-bit integer (its hash with the word class in the low bits) in a
sorted array, loaded in the background so the first answer does not wait for it.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left
from typing import Literal

from bot.jieba_import import jieba

WordClass = Literal["unknown", "noun", "other"]

_NOUN, _OTHER = 1, 2
_MASK = ~3
_NOUN_TAGS = ("n", "j")
_NOUN_EXACT = frozenset({"vn", "nz", "eng"})

_ready = threading.Event()
_started = threading.Lock()
_table = array("q")


def _key(word: str) -> int:
    return hash(word) & _MASK


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
    finally:
        _ready.set()


def start_loading(tok: jieba.Tokenizer) -> None:
    """Build the table once per process, in a background thread."""
    if _started.acquire(blocking=False):
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
