"""Normalise what residents type before anything tries to understand it.

Residents type on phones: full-width digits, traditional characters, emoji, stray punctuation,
sometimes plain pinyin. Everything downstream (segmentation, pinyin keys, fuzzy scores) sees
one canonical form: half-width, simplified, lower-case, punctuation turned into spaces.
"""

from __future__ import annotations

import importlib.util
import marshal
import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RE = re.compile(f"[{_HAN}]")
HAN_RUN_RE = re.compile(f"[{_HAN}]+")
#: What survives normalisation: Han characters, ASCII letters and digits, and a few symbols
#: that carry meaning in questions (5000元, 9月30日 keep their digits).
_DROP_RE = re.compile(f"[^{_HAN}a-z0-9%.]+")
_SPACES_RE = re.compile(r"\s+")
_ASCII_WORD_RE = re.compile(r"[a-z]+")
#: Latin letters with accents (pinyin's tone marks: xiàn zhèng fǔ), read as the plain letter.
_ACCENTED_RE = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff]")
#: A pinyin syllable with its tone as a digit (xian4, ma5), as typed without an input method.
_TONE_NUMBER_RE = re.compile(f"(?<![a-z])([a-z]{{1,6}})[1-5](?![0-9{_HAN}])")
#: Two such syllables at least, one after the other ("xian4 zheng4", "dang4an4").
_TONE_RUN_RE = re.compile(f"(?<![a-z0-9])(?:[a-z]{{1,6}}[1-5] ?){{2,}}(?![a-z0-9{_HAN}])")
#: Letters NFD does not split into a base and a mark (ł, ø): their plain look-alike.
_UNSPLIT_LETTERS = {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe"}
#: ü with or without a tone mark: pinyin's v (绿 -> lv); ů, ű, ư are plain u.
_U_UMLAUT = frozenset("üǖǘǚǜ")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> simplified, so 政府信息公開 and 政府信息公开 are the same question."""
    return _t2s().convert(text)


def normalize(text: str) -> str:
    """Canonical form for matching: NFKC width folding, simplified, lower-case, no punctuation."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = _ACCENTED_RE.sub(_plain_letter, text)
    text = to_simplified(text).lower()
    word_spaced = _typed_word_by_word(text)
    text = _DROP_RE.sub(" ", text)
    text = text.replace(" .", " ").replace(". ", " ").strip(". ")
    text = _SPACES_RE.sub(" ", text).strip()
    return text.replace(" ", "") if word_spaced else text


#: Word-spaced typing ("俺 这 岁数 不会 弄 手机"): this many parts at least, this short on average.
SPACED_PARTS = 6
SPACED_MEAN = 2.2
_HAN_PART_RE = re.compile(f"[{_HAN}]+")


def _typed_word_by_word(text: str) -> bool:
    """A sentence typed a word at a time, spaces between the words (elderly residents, some input
    methods): its spaces part words, not clauses, so the words are joined back into one. Only
    spaces part it: a list typed with commas ("户口,身份证,社保") keeps its parts."""
    parts = text.strip(" ?？!！。.~～").split()
    if len(parts) < SPACED_PARTS or not all(_HAN_PART_RE.fullmatch(p) for p in parts):
        return False
    return sum(map(len, parts)) / len(parts) <= SPACED_MEAN


def _plain_letter(m: re.Match[str]) -> str:
    """ǎ -> a; ü (with or without a tone mark) -> v, as pypinyin writes it (绿 -> lv)."""
    letter = m.group(0)
    if letter.lower() in _U_UMLAUT:
        return "v"
    if letter.lower() in _UNSPLIT_LETTERS:
        return _UNSPLIT_LETTERS[letter.lower()]
    return "".join(c for c in unicodedata.normalize("NFD", letter) if not unicodedata.combining(c))


def without_tone_numbers(text: str) -> str:
    """Pinyin "xian4 zheng4 fu3" -> "xian zheng fu": typed with its tones as digits. Only a run of
    two such syllables at least, each one pinyin, so "a4纸", "5g" and "a4 还是 a3" stay."""
    return _TONE_RUN_RE.sub(_toneless_run, text)


def _toneless_run(m: re.Match[str]) -> str:
    syllables = _TONE_NUMBER_RE.findall(m.group(0))
    if not all(is_pinyin_syllable(s) for s in syllables):
        return m.group(0)
    return _TONE_NUMBER_RE.sub(r"\1", m.group(0))


def has_han(text: str) -> bool:
    return bool(HAN_RE.search(text))


def pinyin_key(text: str) -> str:
    """Toneless pinyin without separators: the key on which homophones (人房/人防) meet."""
    return "".join(pinyin_syllables(text))


_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"))
_FUZZY_FINALS = (("ing", "in"), ("eng", "en"), ("ang", "an"))


#: One line of pypinyin's file: a code point and its readings ("13348": "dān,...").
_READING_LINE = re.compile(r'"(\d+)":\s*"([^"]*)"')


@dataclass(frozen=True)
class _Readings:
    """Each character's first reading without tones, as an index into `syllables` (BMP code
    points in an array, 2 bytes each; the rest in a small dict).

    Kept compact: pypinyin's file parsed as a dict of 40,000 strings stayed 6.6 MB resident."""

    first: array  # per BMP code point: 1 + its first reading's index in `syllables`, 0 if none
    beyond: dict[int, int]  # the same, for code points past the BMP
    syllables: tuple[str, ...]


def _pinyin_path() -> Path:
    """pypinyin's per-character readings ("chá,zhā"): its data file.

    Importing pypinyin itself loads its phrase dictionary (~60 MB resident); matching needs
    only one reading per character, the same for the knowledge and for what residents type."""
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or spec.origin is None:  # pragma: no cover - pypinyin is a dependency
        raise RuntimeError("pypinyin is not installed")
    return Path(spec.origin).with_name("pinyin_dict.json")


def _pinyin_file() -> str:
    return _pinyin_path().read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _readings() -> _Readings:
    """Read from the cache folder (under a millisecond) or built from pypinyin's file (30 ms, at
    the first start after an install: then cached)."""
    from bot.knowledge_cache import _cache_dir, write_atomically

    path: Path | None = None
    try:
        source = _pinyin_path().stat()  # a new pypinyin, a new file
        path = _cache_dir() / f"pinyin-first-1-{source.st_size}-{source.st_mtime_ns}.bin"
        first, beyond, syllables = marshal.loads(path.read_bytes())
        return _Readings(array("H", first), beyond, syllables)
    except (OSError, ValueError, EOFError, TypeError):
        pass  # no cache folder (path None), no file yet, or a damaged one: built
    table = _build_readings()
    if path is not None:
        try:
            write_atomically(path, marshal.dumps((table.first.tobytes(), table.beyond, table.syllables)))
        except OSError:
            pass  # a read-only or full disk costs 30 ms at start, nothing else
    return table


def _build_readings() -> _Readings:
    toned: dict[str, int] = {}  # each character's first reading, with tones: ~1,300 of them
    first, beyond = array("H", bytes(2 * 0x10000)), {}
    for point, readings in _READING_LINE.findall(_pinyin_file()):
        slot = toned.setdefault(readings.partition(",")[0], len(toned)) + 1
        code = int(point)
        if code < 0x10000:
            first[code] = slot
        else:
            beyond[code] = slot
    return _Readings(first, beyond, tuple(_toneless(reading) for reading in toned))


@lru_cache(maxsize=16384)
def _char_pinyin(ch: str) -> str:
    """The first (most common) reading without tones: 档 -> dang, 绿 -> lv (pypinyin's v for ü)."""
    table, point = _readings(), ord(ch)
    slot = table.first[point] if point < 0x10000 else table.beyond.get(point, 0)
    return table.syllables[slot - 1] if slot else ""


def _toneless(reading: str) -> str:
    first = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(c for c in first if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """Every reading of every character, without tones (read when first asked, not at start)."""
    every = {r for _, readings in _READING_LINE.findall(_pinyin_file()) for r in readings.split(",")}
    return frozenset(_toneless(r) for r in every)


def is_pinyin_syllable(word: str) -> bool:
    """Whether `word` is one toneless pinyin syllable (you, can, a), not only an English word."""
    return word in _syllables()


def pinyin_syllables(text: str) -> list[str]:
    """One toneless syllable per character, read character by character: the same reading for
    the knowledge's words and the resident's typing is what lets homophones meet."""
    return [_char_pinyin(ch) for ch in text]


@lru_cache(maxsize=4096)
def fuzzy_syllable(syl: str) -> str:
    """A syllable with the distinctions many dialects blur (zh/z, ing/in, ang/an): 亲 meets 请."""
    for a, b in _FUZZY_INITIALS:
        if syl.startswith(a):
            syl = b + syl[len(a) :]
            break
    for a, b in _FUZZY_FINALS:
        if syl.endswith(a):
            return syl[: -len(a)] + b
    return syl


def fuzzy_pinyin_key(text: str) -> str:
    return "".join(fuzzy_syllable(s) for s in pinyin_syllables(text))


def looks_like_pinyin(text: str) -> bool:
    """A query typed as plain pinyin ("yidi chadang") rather than characters."""
    if has_han(text):
        return False
    letters = sum(len(w) for w in _ASCII_WORD_RE.findall(text))
    return letters >= 4 and letters >= 0.8 * len(text.replace(" ", ""))


#: Longer "numbers" are text: nothing a resident picks by number has more than a handful of options,
#: and int() of thousands of digits is slow (and refused past 4,300 digits).
MAX_INT_DIGITS = 9
_ASCII_INT_RE = re.compile(f"[0-9]{{1,{MAX_INT_DIGITS}}}", re.ASCII)


def ascii_int(text: str) -> int | None:
    """`text` as a whole number if it is only ASCII digits (at most MAX_INT_DIGITS), else None.

    Only ASCII digits are numbers: str.isdigit() is also true for '²', '①', '፩' and '𐩀', on
    which int() raises; those (and Arabic-Indic or full-width digits not folded by the caller)
    are text."""
    if not text or len(text) > MAX_INT_DIGITS or _ASCII_INT_RE.fullmatch(text) is None:
        return None
    return int(text)
