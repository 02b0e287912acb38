"""jieba's dictionary in 3 MB instead of 53: a marisa trie of its 349,000 words and an array of
their frequencies, in place of the dict of every word and every prefix of one (498,000 Python
strings) that jieba keeps in memory.

Segmentation is the same, word for word. jieba's DAG walks each position's prefixes while they are
in the dict (which holds every prefix of every word) and keeps those with a frequency: that is
every word the rest of the sentence begins with, which the trie lists in one call. `WordFrequencies`
answers `tok.FREQ`'s other readers (jieba's HMM step and `add_word`, our homophone repair) as the
dict did: a word's frequency, 0 for a prefix of a word, the default for anything else.

The words added at run time (`add_word`: the knowledge's own, a few hundred) are kept beside it in
a small trie of their own, read only where one of them can begin. The dictionary's trie and its
frequencies are built from jieba's file once and kept in the cache folder; a restart maps the trie
(marisa's mmap) and reads 1.4 MB of frequencies.
"""

from __future__ import annotations

import array
import logging
import struct
import threading
import zlib
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from math import log
from pathlib import Path

import marisa_trie

from bot.jieba_import import jieba
from bot.knowledge_cache import write_atomically

log_ = logging.getLogger(__name__)

#: The cached files' names: their layout and jieba's version (a new dictionary, new files).
_NAME = f"jieba-words-3-{jieba.__version__}"
#: Files earlier versions left in the cache folder: jieba's own cache and this module's first layout.
_OLD_FILES = ("jieba.cache", "jieba-words-2-*")
#: Sentences whose DAG is kept (jieba cuts the same short runs of Han characters again and again).
MEMO = 1024
#: Words whose log frequency is kept (a building index cuts many; a resident's questions, few).
LOGS = 50_000
#: The frequencies file: the dictionary's total frequency, its longest word's length, its number of
#: words and the frequencies' CRC-32, then one int32 per word id.
_HEADER = struct.Struct("<qiiI")


class Dictionary:
    """jieba's words (a trie), their frequencies by word id, total and longest word's length."""

    def __init__(self, trie: marisa_trie.Trie, freqs: array.array, total: int, longest: int) -> None:
        self.trie, self.freqs, self.total, self.longest = trie, freqs, total, longest


class _Added:
    """The words `add_word` gave so far, as the DAG reads them, fixed when taken in: a trie of those
    with a frequency, the characters they begin with, all their frequencies, the dictionary's words
    set to 0 (`add_word(word, 0)` hides one), and the DAGs and log frequencies read with them."""

    def __init__(self, entries: dict[str, int], dictionary: marisa_trie.Trie) -> None:
        words = [w for w, f in entries.items() if f]
        self.trie = marisa_trie.Trie(words)
        self.firsts = frozenset(w[0] for w in words)
        self.freqs = dict(entries)
        self.hidden = frozenset(w for w, f in entries.items() if not f and w in dictionary)
        self.longest = max(map(len, words), default=0)
        self.memo: dict[str, tuple[dict[int, list[int]], list[list[float]]]] = {}
        self.logs: dict[str, float] = {}


class WordFrequencies(MutableMapping[str, int]):
    """`Tokenizer.FREQ` for a trie of the dictionary's words and the words added since.

    Reads (`get`, `in`) see an added word at once, as jieba's dict does; the DAG sees the added
    words when a sentence is next cut, and not while a batch is still adding (`adding`)."""

    def __init__(self, dictionary: Dictionary) -> None:
        self._trie, self._freqs, self._longest = dictionary.trie, dictionary.freqs, dictionary.longest
        #: add_word's entries: a word and its frequency, or a prefix of one at 0
        self._entries: dict[str, int] = {}
        self._added = _Added({}, self._trie)  # the entries as the DAG reads them...
        self._stale = False  # ...taken in again when a sentence is next cut after words were added
        self._adding = 0  # batches of words being added (`adding`): taken in when the last ends
        self._lock = threading.Lock()

    def get(self, key: str, default: int | None = None) -> int | None:  # type: ignore[override]
        value = self._entries.get(key)
        if value is not None:
            return value
        at = self._trie.get(key)
        if at is not None:
            return self._freqs[at]
        if key and next(self._trie.iterkeys(key), None) is not None:
            return 0  # a prefix of a word, as jieba's dict holds it
        return default

    def __getitem__(self, key: str) -> int:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __setitem__(self, key: str, value: int) -> None:
        with self._lock:
            self._entries[key] = value
            self._stale = True

    def __delitem__(self, key: str) -> None:
        raise TypeError("jieba never removes a word; add_word(word, 0) hides one")

    def __iter__(self) -> Iterator[str]:
        """The dictionary's words and the entries added (words, and prefixes of added words)."""
        yield from self._trie.iterkeys()
        yield from (w for w in self._entries if w not in self._trie)

    def __len__(self) -> int:
        return len(self._trie) + sum(1 for w in self._entries if w not in self._trie)

    @contextmanager
    def adding(self) -> Iterator[None]:
        """Words added together reach the DAG once, after the last of them: a thread cutting
        meanwhile (a knowledge reload beside a serving matcher) cuts as before the batch."""
        with self._lock:
            self._adding += 1
        try:
            yield
        finally:
            with self._lock:
                self._adding -= 1

    def _taken_in(self) -> _Added:
        """The added words as the DAG reads them: made again, in one piece, after words were
        added (not while a batch is still adding)."""
        if self._stale and not self._adding:
            with self._lock:
                if self._stale and not self._adding:
                    self._added, self._stale = _Added(self._entries, self._trie), False
        return self._added

    def rows(self, sentence: str) -> tuple[dict[int, list[int]], list[list[float]]]:
        """jieba's DAG of `sentence` (where the words each position begins end) and, row by row,
        the log of those words' frequencies (of at least 1, as `Tokenizer.calc` reads them)."""
        added = self._taken_in()  # one state throughout: words, frequencies, memo
        made = added.memo.get(sentence)
        if made is not None:
            return made
        trie, freqs, entries, logs = self._trie, self._freqs, added.freqs, added.logs
        prefixes, longest = trie.prefixes, max(self._longest, added.longest)
        dag: dict[int, list[int]] = {}
        weights: list[list[float]] = []
        for k in range(len(sentence)):
            rest = sentence[k : k + longest]
            found = prefixes(rest)
            if sentence[k] in added.firsts:
                found = sorted(set(found).union(added.trie.prefixes(rest)), key=len)
            if added.hidden:
                found = [w for w in found if w not in added.hidden]
            if found:
                dag[k] = [k + len(w) - 1 for w in found]
                row = []
                for w in found:
                    weight = logs.get(w)
                    if weight is None:
                        weight = logs[w] = log(entries.get(w) or freqs[trie.key_id(w)])
                    row.append(weight)
                weights.append(row)
            else:
                single = entries.get(sentence[k])
                if single is None and (at := trie.get(sentence[k])) is not None:
                    single = freqs[at]
                dag[k] = [k]
                weights.append([log(single or 1)])
        if len(logs) >= LOGS:
            logs.clear()
        if len(added.memo) >= MEMO:
            added.memo.clear()
        added.memo[sentence] = (dag, weights)
        return dag, weights


class CompactTokenizer(jieba.Tokenizer):
    """A jieba tokenizer whose DAG reads `WordFrequencies` (when FREQ is one) a row at a time,
    and whose `calc` reads the frequencies the DAG found rather than looking each word up again."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._last = threading.local()  # the DAG just made and its weights, for `calc`

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:  # noqa: N802 (jieba's name)
        self.check_initialized()
        words = self.FREQ
        if not isinstance(words, WordFrequencies):
            return super().get_DAG(sentence)
        dag, weights = words.rows(sentence)
        self._last.made = (dag, weights)
        return dag

    def calc(self, sentence: str, DAG: dict[int, list[int]], route: dict) -> None:  # noqa: N803
        """jieba's own, with the frequencies `get_DAG` found for this DAG."""
        made = getattr(self._last, "made", None)
        if made is None or made[0] is not DAG:
            return super().calc(sentence, DAG, route)
        self._last.made = None
        weights = made[1]
        n = len(sentence)
        route[n] = (0, 0)
        logtotal = log(self.total)
        for idx in range(n - 1, -1, -1):
            route[idx] = max(
                (w - logtotal + route[x + 1][0], x) for x, w in zip(DAG[idx], weights[idx], strict=True)
            )


def load(tok: jieba.Tokenizer, cache: Path) -> bool:
    """Give `tok` the compact dictionary, from `cache` or built from jieba's dictionary file and
    saved there. False (the caller lets jieba load its own) for another dictionary."""
    if tok.dictionary != jieba.DEFAULT_DICT:
        return False
    dictionary = _read(cache)
    if dictionary is None:
        dictionary = _from_dictionary(tok)
        _write(cache, dictionary)
    with tok.lock:
        tok.FREQ = WordFrequencies(dictionary)
        tok.total, tok.initialized = dictionary.total, True
    return True


def _from_dictionary(tok: jieba.Tokenizer) -> Dictionary:
    """The words and their frequencies as jieba's `gen_pfdict` reads its dictionary (a word's last
    line wins; every line counts towards the total)."""
    freq: dict[str, int] = {}
    total = 0
    with tok.get_dict_file() as f:
        for line in f:
            word, value = line.strip().decode("utf-8").split(" ")[:2]
            freq[word] = int(value)
            total += int(value)
    trie = marisa_trie.Trie(w for w, f in freq.items() if f)
    freqs = array.array("i", bytes(4 * len(trie)))
    for word, i in trie.iteritems():
        freqs[i] = freq[word]
    return Dictionary(trie, freqs, total, max(map(len, freq)))


def _read(cache: Path) -> Dictionary | None:
    """The cached dictionary, or None when a file is missing, damaged or not the other's pair."""
    try:
        raw = (cache / f"{_NAME}.freq").read_bytes()
        total, longest, count, crc = _HEADER.unpack_from(raw)
        body = raw[_HEADER.size :]
        if total <= 0 or longest <= 0 or len(body) != 4 * count or zlib.crc32(body) != crc:
            return None
        trie = marisa_trie.Trie()
        trie.mmap(str(cache / f"{_NAME}.marisa"))
        if len(trie) != count:
            return None
    except Exception:  # missing or damaged: built again
        return None
    freqs = array.array("i")
    freqs.frombytes(body)
    return Dictionary(trie, freqs, total, longest)


def _write(cache: Path, dictionary: Dictionary) -> None:
    """Both files, each written whole (`write_atomically`); earlier versions' files removed."""
    body = dictionary.freqs.tobytes()
    header = _HEADER.pack(dictionary.total, dictionary.longest, len(dictionary.freqs), zlib.crc32(body))
    try:
        write_atomically(cache / f"{_NAME}.marisa", dictionary.trie.tobytes())
        write_atomically(cache / f"{_NAME}.freq", header + body)
    except OSError as exc:  # a read-only or full disk costs start-up time, nothing else
        log_.warning("jieba's words not cached: %s", type(exc).__name__)
        return
    for pattern in _OLD_FILES:
        for old in cache.glob(pattern):
            old.unlink(missing_ok=True)
