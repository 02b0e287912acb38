"""The jieba tokenizer (one per process) and the folder where it and the built index are cached.

Words are added to jieba's dictionary once per process (`add_words`): adding a word again would
grow jieba's total frequency, and a rebuilt (or cache-loaded) matcher would segment differently
from the first."""

from __future__ import annotations

import logging
import marshal
import mmap
import threading
from pathlib import Path

from bot.jieba_import import jieba
from bot.knowledge_cache import CACHE_ENV, _cache_dir
from bot.matcher.wordlists import STOPWORDS

_JIEBA_LOCK = threading.Lock()
#: Words this process has added to the tokenizer (add_words).
_ADDED_WORDS: set[str] = set()
_TOKENIZER: jieba.Tokenizer | None = None


# Where the built index is kept between restarts: the folder the parsed knowledge shares.
__all__ = ["CACHE_ENV", "_cache_dir", "add_words", "content_words", "tokenizer"]


def tokenizer() -> jieba.Tokenizer:
    """One jieba tokenizer per process; its cache lives in the user's cache dir, not /tmp."""
    global _TOKENIZER
    with _JIEBA_LOCK:
        if _TOKENIZER is None:
            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            cache = _cache_dir()
            tok.tmp_dir = str(cache)
            tok.cache_file = str(cache / "jieba.cache")
            if not _read_jieba_cache(tok, cache / "jieba.cache"):
                tok.initialize()  # builds the prefix dictionary and writes the cache file
            _TOKENIZER = tok
        return _TOKENIZER


def _read_jieba_cache(tok: jieba.Tokenizer, path: Path) -> bool:
    """What `Tokenizer.initialize` does with a cache file of the default dictionary, four times
    faster: jieba unmarshals from the open file, one small read per word (1.5 s of a 2 s start
    at 1x). Mapped rather than read, so no 9 MB buffer is freed before the index is built (that
    raises glibc's mmap threshold and fragments the heap). False: let jieba do it."""
    if tok.dictionary != jieba.DEFAULT_DICT:
        return False
    try:
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            freq, total = marshal.loads(mapped)
    except Exception:  # missing, empty or damaged: jieba rebuilds it
        return False
    if not isinstance(freq, dict) or not isinstance(total, int) or not freq:
        return False
    with tok.lock:
        tok.FREQ, tok.total, tok.initialized = freq, total, True
    return True


def add_words(tok: jieba.Tokenizer, curated: list[str]) -> None:
    """The knowledge's own words into jieba's dictionary, so they segment as one word.
    Each word once per process (see the module docstring)."""
    for word in curated:
        if len(word) >= 2 and word not in _ADDED_WORDS:
            tok.add_word(word, freq=max(2000, 800 * len(word)))
            _ADDED_WORDS.add(word)


def content_words(tok: jieba.Tokenizer, normalized: str) -> list[str]:
    """Content words of already-normalised text (jieba, stopwords removed)."""
    out = []
    for w in tok.lcut(normalized, HMM=True):
        w = w.strip()
        if w and w not in STOPWORDS and not (len(w) == 1 and not w.isalnum()):
            out.append(w)
    return out
