"""English words read as the knowledge's Chinese ones: the hand-written list (bilingual.yaml)
first, then the dictionary's (english_terms.yaml, from CC-CEDICT), word by word.

The hand-written list is one regular expression in `Analyser`; the dictionary holds thousands of
words, which one expression would make slow to compile at every start, so it is looked up here a
phrase at a time, the longest listed phrase first.
"""

from __future__ import annotations

import re

from bot.matcher.wordlists import ENGLISH_STOPWORDS
from bot.text import is_pinyin_syllable, normalize

#: Runs of English words: what a phrase may span.
_RUN = re.compile(r"[a-z]+(?:'[a-z]+)?(?: [a-z]+(?:'[a-z]+)?)*")
#: A single dictionary word shorter than this is no evidence ("re", "ok").
MIN_LETTERS = 3


def base_forms(word: str) -> list[str]:
    """The forms a listed word may stand in: checks -> check, companies -> company,
    destroyed -> destroy, flooding -> flood (the word itself first)."""
    forms = [word]
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if word.endswith("es"):
        forms.append(word[:-2])
    if word.endswith("s"):
        forms.append(word[:-1])
    if word.endswith("ing"):
        forms += [word[:-3], word[:-3] + "e"]
    if word.endswith("ed"):
        forms += [word[:-2], word[:-1]]
    return forms


class EnglishDictionary:
    """english_terms.yaml's words, for the English words bilingual.yaml does not list."""

    def __init__(self, terms: dict[str, str]):
        self._terms = {normalize(k): v for k, v in terms.items()}
        self._longest = max((len(k.split()) for k in self._terms), default=0)
        #: the first words of the phrases of two words or more: no other word starts one
        self._opens = {k.split()[0] for k in self._terms if " " in k}

    def __bool__(self) -> bool:
        return bool(self._terms)

    def read(self, text: str, english: bool = True) -> tuple[str, list[str]]:
        """`text` less the English words found, and their Chinese, in order of the text. Not
        `english` (no English sentence around them): a lone word that is also a pinyin syllable
        is left for the pinyin reading ("lou ding jifang li fan" is no fan of anything)."""
        if not self._terms:
            return text, []
        found: list[str] = []

        def run(m: re.Match[str]) -> str:
            words = m.group(0).split()
            kept: list[str] = []
            i = 0
            while i < len(words):
                size, chinese = self._phrase(words, i, english)
                if chinese:
                    found.append(chinese)
                    i += size
                else:
                    kept.append(words[i])
                    i += 1
            return " ".join(kept)

        rest = _RUN.sub(run, text)
        return rest, list(dict.fromkeys(found))

    def _phrase(self, words: list[str], start: int, english: bool) -> tuple[int, str | None]:
        """The longest listed phrase at `start` (its last word in any of its forms)."""
        longest = min(self._longest, len(words) - start) if words[start] in self._opens else 1
        for size in range(longest, 0, -1):
            head = words[start : start + size - 1]
            last = words[start + size - 1]
            if size == 1 and (
                len(last) < MIN_LETTERS
                or last in ENGLISH_STOPWORDS
                or (not english and is_pinyin_syllable(last))
            ):
                continue
            for form in base_forms(last):
                chinese = self._terms.get(" ".join([*head, form]))
                if chinese:
                    return size, chinese
        return 0, None
