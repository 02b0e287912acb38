"""English words read as the knowledge's Chinese ones (`EnglishReader`): the hand-written list
(bilingual.yaml) first, then the dictionary's (english_terms.yaml, from CC-CEDICT), word by word;
english_unread.yaml's words are no evidence either way.

The hand-written list is one regular expression in `Analyser`; the dictionary holds thousands of
words, which one expression would make slow to compile at every start, so it is looked up here a
phrase at a time, the longest listed phrase first.
"""

from __future__ import annotations

import re

from bot.knowledge import Knowledge
from bot.matcher.wordlists import ENGLISH_STOPWORDS
from bot.text import HAN_RUN_RE, is_pinyin_syllable, normalize

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


def english_sentence(text: str) -> bool:
    """English, not pinyin: two words at least that are English function words and no pinyin
    syllable ("where to buy a bicycle in shijiazhuang" is no 石家庄 question)."""
    return sum(1 for w in text.split() if w in ENGLISH_STOPWORDS and not is_pinyin_syllable(w)) >= 2


class EnglishReader:
    """A question's English words in the knowledge's Chinese: what `Analyser.repair` reads."""

    def __init__(self, knowledge: Knowledge):
        bilingual = knowledge.extras.get("bilingual") or {}
        # keyed as questions are read, normalised: driver's license -> driver s license
        self._bilingual = {normalize(k): v for k, v in bilingual.items()}
        self._listed = (
            re.compile(
                # a listed phrase in its plural too: construction projects, foreign visitors; bounded
                # by what is not a Latin letter, so "radio干扰" finds radio (\b would not: 干 is a
                # word character)
                r"(?<![a-z])("
                + "|".join(re.escape(w) for w in sorted(self._bilingual, key=len, reverse=True))
                + r")(?:e?s)?(?![a-z])"
            )
            if self._bilingual
            else None
        )
        self._dictionary = EnglishDictionary(knowledge.extras.get("english_terms") or {})
        #: english_unread.yaml's words: no evidence of whose business, in any form (enforces)
        self._unread: frozenset[str] = knowledge.extras.get("english_unread") or frozenset()

    def __bool__(self) -> bool:
        return self._listed is not None or bool(self._dictionary)

    def lists(self, word: str) -> bool:
        """Whether bilingual.yaml lists `word` (as written)."""
        return word in self._bilingual

    def term(self, word: str) -> str | None:
        """bilingual.yaml's Chinese for `word` as written (fkd -> 防空洞), if it lists it."""
        return self._bilingual.get(word)

    def read(self, text: str) -> tuple[str, list[str]]:
        """`text` with its English words read: the rest of it, then their Chinese; and the
        Chinese found (none: `text` as it was)."""
        found: list[str] = []
        rest = text
        if self._listed is not None:
            text = re.sub(r"[a-z]{3,}", self._base, text)
            found = list(dict.fromkeys(self._bilingual[m] for m in self._listed.findall(text)))
            rest = self._listed.sub(" ", text) if found else text
        rest, looked = self._dictionary.read(rest, english=english_sentence(text))
        found += [c for c in looked if c not in found]
        if not found:
            return text, []
        # the words left are English scaffolding, or no evidence of whose business
        rest = " ".join(w for w in rest.split() if w not in ENGLISH_STOPWORDS and not self._no_evidence(w))
        return (rest + " " + " ".join(found)).strip(), found

    def _no_evidence(self, word: str) -> bool:
        return any(form in self._unread for form in base_forms(word))

    def _base(self, m: re.Match[str]) -> str:
        """An English word in the form the bilingual list holds it: checks -> check,
        companies -> company, destroyed -> destroy (only when that form is listed)."""
        return next((f for f in base_forms(m.group(0)) if f in self._bilingual), m.group(0))


#: An English contact question naming another body ("the phone number of the county propaganda
#: department"); ours (archives, the government office, civil air defence) are told apart below.
ENGLISH_OTHER_BODY = re.compile(
    r"(?<![a-z])(of|for|at|to) (the |a |an )?([a-z'-]+ ){0,4}?"
    r"(department|bureau|hospital|police|court|school|university|bank|station|library|museum"
    r"|hotel|embassy|consulate)s?(?![a-z])"
)
ENGLISH_OURS = re.compile(
    r"archiv|government office|general office|civil air|air.raid|air defen|(?<![a-z])your(?![a-z])"
)


def names_other_body(normalized: str) -> bool:
    """An English question naming a body not ours (a hospital, the propaganda department)."""
    return (
        HAN_RUN_RE.search(normalized) is None
        and ENGLISH_OTHER_BODY.search(normalized) is not None
        and ENGLISH_OURS.search(normalized) is None
    )
