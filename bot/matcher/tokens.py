"""The jieba tokenizer (one per process) and the folder where it and the built index are cached.

Words are added to jieba's dictionary once per process (`add_words`): adding a word again would
grow jieba's total frequency, and a rebuilt (or cache-loaded) matcher would segment differently
from the first."""

from __future__ import annotations

import logging
import threading
from contextlib import nullcontext

from bot.jieba_import import jieba
from bot.knowledge_cache import CACHE_ENV, _cache_dir
from bot.matcher import jieba_words
from bot.matcher.jieba_words import CompactTokenizer, WordFrequencies
from bot.matcher.wordlists import STOPWORDS

_JIEBA_LOCK = threading.Lock()
#: Words this process has added to the tokenizer (add_words).
_ADDED_WORDS: set[str] = set()
_TOKENIZER: jieba.Tokenizer | None = None


# Where the built index is kept between restarts: the folder the parsed knowledge shares.
__all__ = ["CACHE_ENV", "_cache_dir", "add_words", "content_words", "tokenizer"]


def tokenizer() -> jieba.Tokenizer:
    """One jieba tokenizer per process, with its dictionary in a trie (`bot.matcher.jieba_words`)
    cached in the user's cache dir, not /tmp."""
    global _TOKENIZER
    with _JIEBA_LOCK:
        if _TOKENIZER is None:
            jieba.setLogLevel(logging.WARNING)
            tok = CompactTokenizer()
            cache = _cache_dir()
            tok.tmp_dir = str(cache)
            tok.cache_file = str(cache / "jieba.cache")
            if not jieba_words.load(tok, cache):
                tok.initialize()  # another dictionary: jieba's own dict and cache file
            _TOKENIZER = tok
        return _TOKENIZER


def add_words(tok: jieba.Tokenizer, curated: list[str]) -> None:
    """The knowledge's own words into jieba's dictionary, so they segment as one word.
    Each word once per process (see the module docstring)."""
    words = tok.FREQ
    with words.adding() if isinstance(words, WordFrequencies) else nullcontext():
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
