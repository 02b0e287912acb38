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
import os
import struct
import threading
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from math import log
from pathlib import Path

import marisa_trie

from bot.jieba_import import jieba
from bot.knowledge_cache import write_atomically

log_ = logging.getLogger(__name__)

#: The cached files' names: their layout and jieba's version (a new dictionary, new files).
_NAME = f"jieba-words-2-{jieba.__version__}"
#: Sentences whose DAG is kept (jieba cuts the same short runs of Han characters again and again).
MEMO = 1024
#: Words whose log frequency is kept (a building index cuts many; a resident's questions, few).
LOGS = 50_000
#: A frequencies file: the longest word's length, then one int32 per word id.
_HEADER = struct.Struct("<i")

#: A trie of words with a frequency, their frequencies by word id, and the longest word's length.
Words = tuple[marisa_trie.Trie, array.array, int]


class _Added:
    """The words `add_word` gave a frequency, as the DAG reads them: a trie, the characters they
    begin with, and the dictionary's words it set to 0 (`add_word(word, 0)` hides one)."""

    def __init__(self, entries: dict[str, int]) -> None:
        words = [w for w, f in entries.items() if f]
        self.trie = marisa_trie.Trie(words)
        self.firsts = frozenset(w[0] for w in words)
        self.hidden = frozenset(w for w, f in entries.items() if not f)
        self.longest = max(map(len, words), default=0)


_EMPTY = _Added({})


class WordFrequencies(MutableMapping[str, int]):
    """`Tokenizer.FREQ` for a trie of the dictionary's words and the words added since."""

    def __init__(self, words: Words, cache: Path | None = None) -> None:
        self._trie, self._freqs, self._longest = words
        #: add_word's entries: a word and its frequency, or a prefix of one at 0
        self._entries: dict[str, int] = {}
        self._added = _EMPTY  # as the DAG reads the entries...
        self._stale = False  # ...made again when a sentence is next cut after words were added
        self._adding = 0  # batches of words being added (`adding`): taken in when the last ends
        self._lock = threading.Lock()
        self._memo: dict[str, tuple[dict[int, list[int]], list[list[float]]]] = {}
        #: the log frequencies of the words cut so far (a few thousand: residents use few words)
        self._logs: dict[str, float] = {}

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

    @contextmanager
    def adding(self) -> Iterator[None]:
        """Words added together are taken in once, after the last of them: a thread cutting
        meanwhile (a knowledge reload beside a serving matcher) reads the words as they were."""
        with self._lock:
            self._adding += 1
        try:
            yield
        finally:
            with self._lock:
                self._adding -= 1

    def __delitem__(self, key: str) -> None:
        raise TypeError("jieba never removes a word; add_word(word, 0) hides one")

    def __iter__(self) -> Iterator[str]:
        """The dictionary's words and the entries added (not the prefixes: nothing reads them)."""
        yield from self._trie.iterkeys()
        yield from (w for w in self._entries if w not in self._trie)

    def __len__(self) -> int:
        return len(self._trie) + sum(1 for w in self._entries if w not in self._trie)

    def _taken_in(self) -> _Added:
        """The added words as the DAG reads them; made again after words were added (not while
        a batch is still adding: until it ends, the words as they were)."""
        if self._stale and not self._adding:
            with self._lock:
                if self._stale and not self._adding:
                    self._added = _Added(self._entries)
                    self._memo, self._logs = {}, {}
                    self._stale = False
        return self._added

    def rows(self, sentence: str) -> tuple[dict[int, list[int]], list[list[float]]]:
        """jieba's DAG of `sentence` (where the words each position begins end) and, row by row,
        the log of those words' frequencies (of at least 1, as `Tokenizer.calc` reads them)."""
        added = self._taken_in()
        memo = self._memo
        made = memo.get(sentence)
        if made is not None:
            return made
        trie, freqs, entries, logs = self._trie, self._freqs, self._entries, self._logs
        prefixes, longest = trie.prefixes, max(self._longest, added.longest)
        dag: dict[int, list[int]] = {}
        weights: list[list[float]] = []
        for k in range(len(sentence)):
            rest = sentence[k : k + longest]
            found = prefixes(rest)
            if sentence[k] in added.firsts:
                found = sorted(set(found).union(added.trie.prefixes(rest)), key=len)
            if found and added.hidden:
                found = [w for w in found if w not in added.hidden]
            if found:
                dag[k] = [k + len(w) - 1 for w in found]
                row = []
                for w in found:
                    weight = logs.get(w)
                    if weight is None:
                        at = entries.get(w)
                        weight = logs[w] = log(at if at else freqs[trie.key_id(w)])
                    row.append(weight)
                weights.append(row)
            else:
                dag[k] = [k]
                weights.append([log(self.get(sentence[k]) or 1)])
        if len(logs) >= LOGS:
            logs.clear()
        if len(memo) >= MEMO:
            memo.clear()
        memo[sentence] = (dag, weights)  # a dict a reload replaced meanwhile is dropped with it
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
    words, total = _read(cache, _NAME), None
    total_path = cache / f"{_NAME}.total"
    try:
        total = int(total_path.read_text())
    except (OSError, ValueError):
        words = None
    if words is None:
        words, total = _from_dictionary(tok)
        _write(cache, _NAME, words)
        try:
            write_atomically(total_path, str(total).encode())
        except OSError:
            pass  # counted again next time
    with tok.lock:
        tok.FREQ = WordFrequencies(words)
        tok.total, tok.initialized = total, True
    return True


def _from_dictionary(tok: jieba.Tokenizer) -> tuple[Words, int]:
    """The words and their frequencies as jieba's `gen_pfdict` reads its dictionary (a word's last
    line wins; every line counts towards the total)."""
    freq: dict[str, int] = {}
    total = 0
    with tok.get_dict_file() as f:
        for line in f:
            word, value = line.strip().decode("utf-8").split(" ")[:2]
            freq[word] = int(value)
            total += int(value)
    return _made({w: f for w, f in freq.items() if f}, max(map(len, freq))), total


def _made(freq: dict[str, int], longest: int) -> Words:
    trie = marisa_trie.Trie(freq)
    freqs = array.array("i", bytes(4 * len(trie)))
    for word, i in trie.iteritems():
        freqs[i] = freq[word]
    return trie, freqs, max(longest, max(map(len, freq), default=0))


def _read(cache: Path, name: str) -> Words | None:
    try:
        raw = (cache / f"{name}.freq").read_bytes()
        trie = marisa_trie.Trie()
        trie.mmap(str(cache / f"{name}.marisa"))
    except Exception:  # missing or damaged: built again
        return None
    freqs = array.array("i")
    freqs.frombytes(raw[_HEADER.size :])
    if len(freqs) != len(trie):
        return None
    (longest,) = _HEADER.unpack_from(raw)
    return trie, freqs, longest


def _write(cache: Path, name: str, words: Words) -> None:
    trie, freqs, longest = words
    try:
        tmp = cache / f"{name}.marisa.tmp{os.getpid()}"
        trie.save(str(tmp))
        os.replace(tmp, cache / f"{name}.marisa")
        write_atomically(cache / f"{name}.freq", _HEADER.pack(longest) + freqs.tobytes())
    except OSError as exc:  # a read-only or full disk costs start-up time, nothing else
        log_.warning("jieba's words not cached: %s", type(exc).__name__)
