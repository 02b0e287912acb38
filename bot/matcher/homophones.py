"""Homophones and typos -> the knowledge's own words, read by sound: a resident on a phone types
查挡 for 查档, 人房 for 人防, voice input writes 都查 for 督查. Each run of characters is read as
toneless pinyin and compared with the pinyin of the knowledge's terms (exactly, then with the
fuzzy syllables of dialect speakers: in/ing, zh/z); a look-alike is replaced only when it is not
a word in its own right."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.jieba_import import jieba
from bot.matcher.index import Index
from bot.matcher.wordlists import FAMILY_CHARS, FUNCTION_CHARS, NEGATIONS, SURNAMES, TRAILING_PARTICLES
from bot.text import HAN_RUN_RE, fuzzy_syllable, pinyin_syllables

#: A typo is repaired to a word of the knowledge that jieba counts at least this often: a common
#: word the resident meant (申清 -> 申请), not a rare term that only sounds alike.
COMMON_WORD_FREQ = 1000


class Homophones:
    """The look-alike repair for one knowledge version (`tok`: the jieba tokenizer, whose
    dictionary says what is a word in its own right)."""

    def __init__(self, index: Index, tok: jieba.Tokenizer):
        self.tok = tok
        self._vocab = index.vocab
        self._curated = index.curated
        self._pinyin_terms = index.pinyin_terms
        self._fuzzy_pinyin_terms = index.fuzzy_pinyin_terms
        # every beginning of a term's sounds, of its fuzzy sounds, of a word of ours: from a place
        # whose first characters begin none of them, no piece is tried (most places, round 26)
        self._sound_starts = _prefixes(self._pinyin_terms)
        self._fuzzy_sound_starts = _prefixes(self._fuzzy_pinyin_terms)
        self._word_starts = {word[:2] for word in self._vocab}

    def fix(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """`text` with each look-alike of a knowledge term replaced, and the (typed, term) pairs."""
        fixed: list[tuple[str, str]] = []

        def long_term(syllables: list[str]) -> Callable[[int, str, str], str | None]:
            # a term of three characters or more sounding exactly like the typed piece wins over
            # a shorter word the piece starts inside (个人房工程: 人防工程, not 个人 + 房工程)
            def choose(i: int, piece: str, run: str) -> str | None:
                target = self._pinyin_terms.get("".join(syllables[i : i + len(piece)]))
                if not target or target == piece or len(target) != len(piece) or piece in self._vocab:
                    return None
                # a word in its own right (收银机, 卖东西) is what was meant
                if self.tok.FREQ.get(piece) or not self._plausible_typo(piece, target, run):
                    return None
                fixed.append((piece, target))
                return target

            return choose

        def any_term(syllables: list[str], fuzzy: list[str]) -> Callable[[int, str, str], str | None]:
            def choose(i: int, piece: str, run: str) -> str | None:
                if piece in self._vocab:
                    return piece
                n = len(piece)
                target = self._pinyin_terms.get(
                    "".join(syllables[i : i + n])
                ) or self._fuzzy_pinyin_terms.get("".join(fuzzy[i : i + n]))
                if target and len(target) == n and self._plausible_typo(piece, target, run):
                    fixed.append((piece, target))
                    return target
                return None

            return choose

        def repair_run(run: str) -> str:
            syllables = pinyin_syllables(run)
            fuzzy = [fuzzy_syllable(x) for x in syllables]
            # a piece's sounds begin with those of its first three (two) characters
            starts = self._sound_starts
            three = [
                a + b + c in starts for a, b, c in zip(syllables, syllables[1:], syllables[2:], strict=False)
            ]
            run = _walk(run, 3, long_term(syllables), three)  # same sounds: the syllables still hold
            two = [
                a + b in starts or run[i : i + 2] in self._word_starts or c + d in self._fuzzy_sound_starts
                for i, (a, b, c, d) in enumerate(
                    zip(syllables, syllables[1:], fuzzy, fuzzy[1:], strict=False)
                )
            ]
            return _walk(run, 2, any_term(syllables, fuzzy), two)

        return HAN_RUN_RE.sub(lambda m: repair_run(m.group(0)), text), fixed

    def _plausible_typo(self, piece: str, target: str, run: str) -> bool:
        """Replace only look-alikes that are not words in their own right (查挡 -> 查档)."""
        same = sum(a == b for a, b in zip(piece, target, strict=True))
        if same == 0:
            return False
        if any(ch in FUNCTION_CHARS for ch in piece):
            return False
        if len(piece) == 2 and piece[1] in FAMILY_CHARS and piece[0] in SURNAMES:
            return False  # a family (郭家), not 国家
        if len(piece) >= 3:
            # 档案馆里 is "in the archives", not a typo of 档案管理
            return not (piece[:-1] in self._vocab and piece[-1] in TRAILING_PARTICLES)
        if self.tok.FREQ.get(piece, 0):
            return False
        if target in self._curated:
            return True
        # Any common word of the knowledge (申清 -> 申请), when the pair lies inside a word
        # jieba had to guess (申清表): not across two words (对县政府, 不回老家), not inside a
        # dictionary word (上位法).
        freq = self.tok.FREQ
        return (
            freq.get(target, 0) >= COMMON_WORD_FREQ
            and piece[0] not in NEGATIONS
            and any(piece in word and not freq.get(word) for word in self.tok.lcut(run) if len(word) >= 2)
        )


def _prefixes(keys: Iterable[str]) -> set[str]:
    """Every beginning of every one of `keys`."""
    return {key[:end] for key in keys for end in range(1, len(key) + 1)}


def _walk(run: str, shortest: int, choose: Callable[[int, str, str], str | None], tried: list[bool]) -> str:
    """`run` read left to right: at each place the longest piece (up to six characters, at least
    `shortest`) that `choose` gives a replacement for, else the character as typed. `tried`: per
    place, whether a piece from there can be chosen at all (past its end: no)."""
    i, out = 0, []
    while i < len(run):
        for n in range(min(6, len(run) - i) if i < len(tried) and tried[i] else 0, shortest - 1, -1):
            chosen = choose(i, run[i : i + n], run)
            if chosen is not None:
                out.append(chosen)
                i += n
                break
        else:
            out.append(run[i])
            i += 1
    return "".join(out)
