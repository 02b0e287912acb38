"""Homophones and typos -> the knowledge's own words, read by sound: a resident on a phone types
查挡 for 查档, 人房 for 人防, voice input writes 都查 for 督查. Each run of characters is read as
toneless pinyin and compared with the pinyin of the knowledge's terms (exactly, then with the
fuzzy syllables of dialect speakers: in/ing, zh/z); a look-alike is replaced only when it is not
a word in its own right."""

from __future__ import annotations

from bot.jieba_import import jieba
from bot.matcher.index import Index
from bot.matcher.wordlists import FUNCTION_CHARS, NEGATIONS, TRAILING_PARTICLES
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

    def fix(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """`text` with each look-alike of a knowledge term replaced, and the (typed, term) pairs."""
        fixed: list[tuple[str, str]] = []

        def repair_long(run: str, syllables: list[str]) -> str:
            # a term of three characters or more sounding exactly like the typed piece wins over
            # a shorter word the piece starts inside (个人房工程: 人防工程, not 个人 + 房工程)
            i, out = 0, []
            while i < len(run):
                for n in range(min(6, len(run) - i), 2, -1):
                    piece = run[i : i + n]
                    target = self._pinyin_terms.get("".join(syllables[i : i + n]))
                    if target and target != piece and len(target) == n and piece not in self._vocab:
                        # a word in its own right (收银机, 卖东西) is what was meant
                        if not self.tok.FREQ.get(piece) and self._plausible_typo(piece, target, run):
                            out.append(target)
                            fixed.append((piece, target))
                            i += n
                            break
                else:
                    out.append(run[i])
                    i += 1
            return "".join(out)

        def repair_run(run: str) -> str:
            syllables = pinyin_syllables(run)
            run = repair_long(run, syllables)  # same sounds: the syllables still hold
            fuzzy = [fuzzy_syllable(x) for x in syllables]
            i, out = 0, []
            while i < len(run):
                for n in range(min(6, len(run) - i), 1, -1):
                    piece = run[i : i + n]
                    if piece in self._vocab:
                        out.append(piece)
                        i += n
                        break
                    target = self._pinyin_terms.get(
                        "".join(syllables[i : i + n])
                    ) or self._fuzzy_pinyin_terms.get("".join(fuzzy[i : i + n]))
                    if target and len(target) == n and self._plausible_typo(piece, target, run):
                        out.append(target)
                        fixed.append((piece, target))
                        i += n
                        break
                else:
                    out.append(run[i])
                    i += 1
            return "".join(out)

        return HAN_RUN_RE.sub(lambda m: repair_run(m.group(0)), text), fixed

    def _plausible_typo(self, piece: str, target: str, run: str) -> bool:
        """Replace only look-alikes that are not words in their own right (查挡 -> 查档)."""
        same = sum(a == b for a, b in zip(piece, target, strict=True))
        if same == 0:
            return False
        if any(ch in FUNCTION_CHARS for ch in piece):
            return False
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
