"""Reading a question: normalise it, repair it against the knowledge's own vocabulary (English
terms, pinyin, homophones and typos, colloquial synonyms), cut it into content words and weigh
each one; set courtesy and self-introduction clauses aside (`focus`)."""

from __future__ import annotations

import re
import sys

from bot import pos
from bot.jieba_import import jieba
from bot.knowledge import Knowledge
from bot.matcher.cantonese import to_mandarin
from bot.matcher.english import EnglishReader, english_sentence
from bot.matcher.homophones import Homophones
from bot.matcher.index import Index
from bot.matcher.model import BIGRAM, _Analysis, _with_grams
from bot.matcher.referral_words import ASKED_OF_US, ReferralWords, standing
from bot.matcher.tokens import content_words
from bot.matcher.wordlists import (
    ASKING,
    COURTESY_CLAUSE,
    DIRECT_ASK,
    ENGLISH_STOPWORDS,
    LEADING_COURTESY,
    PINYIN_WORDS,
    PROPOSAL_SUBJECT,
    SCAFFOLD_WORDS,
)
from bot.text import (
    HAN_RUN_RE,
    has_han,
    looks_like_pinyin,
    normalize,
    without_tone_numbers,
)

#: An untranslated word of an English question in which three terms of ours were found weighs this share.
ENGLISH_LEFTOVER = 0.3
#: A character pair counts as a dictionary word (for `Analyser._stands`) above this frequency.
SPLIT_FREQ = 20


#: A message is read as pinyin before English when its pinyin words take this share of its letters.
PINYIN_SHARE = 0.6
#: Latin words in a row among characters (a run read as pinyin takes PINYIN_SHARE too).
LATIN_RUN_RE = re.compile(r"[a-z][a-z']*(?: [a-z][a-z']*)*")
#: A word of consonants only (fkd, xxgk): no pinyin syllable, so pinyin initials if anything.
INITIALS_RE = re.compile(r"(?<![a-z])[bcdfghjklmnpqrstwxyz]{2,6}(?![a-z])")
#: The share of its weight a word keeps inside the subject of a proposal or a request.
SUBJECT_SHARE = 0.3


class Analyser:
    """Normalises, repairs and weighs questions for one knowledge version (bounded caches)."""

    def __init__(
        self,
        knowledge: Knowledge,
        tok: jieba.Tokenizer,
        synonyms: dict[str, str],
        index: Index,
        referrals: ReferralWords,
    ):
        self.tok = tok
        self.synonyms = synonyms
        self._synonym_patterns = [(p.match, normalize(p.adds)) for p in knowledge.synonym_patterns]
        self._referrals = referrals
        self._english = EnglishReader(knowledge)
        self._curated = index.curated
        self._idf = index.idf
        self._max_idf = index.max_idf
        self.known_terms = index.known_terms
        self._pinyin_words = {**index.pinyin_terms, **PINYIN_WORDS}
        self._homophones = Homophones(index, tok)
        self._longest_pinyin = max(index.longest_pinyin, *map(len, PINYIN_WORDS))
        #: the first four letters of every word read from pinyin (none is shorter): where the
        #: letters at a place are not among them, no word starts there
        self._pinyin_openings = {key[:4] for key in self._pinyin_words if len(key) >= 4}
        self._departments = _department_aliases(knowledge)
        #: aliases by their first character: a province names hundreds of departments, and a
        #: question is checked only against those starting with one of its own characters
        self._aliases_by_head: dict[str, list[str]] = {}
        for alias in self._departments:
            self._aliases_by_head.setdefault(alias[:1], []).append(alias)
        #: question -> its analysis (the facade exposes it as `_analysis_cache`; cleared in place)
        self.cache: dict[str, _Analysis] = {}
        self._terms_cache: dict[str, list[str]] = {}

    # ------------------------------------------------------------------ tokens

    def words(self, normalized: str) -> list[str]:
        """Content words of already-normalised text (jieba, stopwords removed)."""
        return content_words(self.tok, normalized)

    def terms(self, normalized: str) -> list[str]:
        """Words plus Han character bigrams: bigrams rescue questions jieba segments differently."""
        return _with_grams(self.words(normalized))

    def prime(self, terms: dict[str, list[str]]) -> None:
        """`terms_of` already read for these texts (`bot.passages.answer_texts`, kept with the index);
        each word the one string the index holds (marshal reads a new string per occurrence)."""
        self._terms_cache.update((text, [sys.intern(w) for w in words]) for text, words in terms.items())

    def terms_of(self, text: str) -> list[str]:
        """`terms(normalize(text))` for knowledge text, memoised: answers re-read the same passages."""
        cached = self._terms_cache.get(text)
        if cached is None:
            cached = self._terms_cache[text] = self.terms(normalize(text))
        return cached

    # ------------------------------------------------------------------ query repair

    def repair(self, normalized: str) -> tuple[str, list[str]]:
        """Pinyin input -> characters; homophones/typos -> the knowledge's own words; synonyms."""
        notes: list[str] = []
        text = without_tone_numbers(normalized)
        mandarin = to_mandarin(text)
        if mandarin is not None:
            text = mandarin
            notes.append("cantonese")
        if self._english:
            # pinyin initials bilingual.yaml lists, read before a pinyin question drops them
            # as no syllables ("fkd zai na": 防空洞 在哪)
            text = INITIALS_RE.sub(lambda m: self._english.term(m.group(0)) or m.group(0), text)
        pinyin = self._from_pinyin(text) if looks_like_pinyin(text) else ""
        if not pinyin and has_han(text):
            # pinyin for the words one cannot type among characters ("县里 xinxi gongkai 咋申请")
            text = LATIN_RUN_RE.sub(self._pinyin_run, text)
        if pinyin:
            # a whole question in pinyin (xiangyin dang'an ju dianhua duoshao): read before the
            # English terms take the place names out of it
            notes.append(f"pinyin:{pinyin}")
            text = pinyin
        elif self._english and re.search(r"[a-z]{2,}", text):
            text, found = self._english.read(text)
            if found:
                notes.append("english:" + ",".join(found))
        if not pinyin and looks_like_pinyin(text) and not english_sentence(text):
            converted = self._from_pinyin(text, share=0.0)
            if converted:
                notes.append(f"pinyin:{converted}")
                text = converted
        # pinyin read as the knowledge's own words has no typos left (你会唱歌 is no 会场)
        text, fixed = self._homophones.fix(text) if not pinyin else (text, [])
        notes += [f"homophone:{a}->{b}" for a, b in fixed]
        # a description (存老资料的地方) says whose business it is as plainly as the name would: its
        # term stays in the text `unless` words are read in; a single synonym's does not
        # (both read the resident's own words: 会议纪要 described does not stand for 开会's 会议)
        described = list(
            dict.fromkeys(
                adds for match, adds in self._synonym_patterns if adds not in text and match.search(text)
            )
        )
        extra = list(
            dict.fromkeys(
                o
                for w, o in self.synonyms.items()
                if w in text and o not in text and o not in described and self._stands(w, text)
            )
        )
        if described:
            notes.append("described:" + ",".join(described))
            text = text + " " + " ".join(described)
        if extra:
            notes.append("synonyms:" + ",".join(extra))
            text = text + " " + " ".join(extra)
        return text, notes

    def _stands(self, key: str, text: str) -> bool:
        """Whether a two-character synonym key occurs as a word of its own somewhere in `text`,
        not only straddling two words (议案 inside 复议|案件: a dictionary word ends or starts
        inside it)."""
        if len(key) != 2:
            return True
        freq = self.tok.FREQ
        start = text.find(key)
        while start >= 0:
            left = text[start - 1 : start + 1] if start else ""
            right = text[start + 1 : start + 3]
            if not (freq.get(left, 0) > SPLIT_FREQ and freq.get(right, 0) > SPLIT_FREQ):
                return True
            start = text.find(key, start + 1)
        return False

    def _pinyin_run(self, m: re.Match[str]) -> str:
        """A run of Latin words among characters, read as pinyin when most of its letters are
        knowledge terms or everyday words in pinyin (PINYIN_SHARE) and none of it is English we know."""
        run = m.group(0)
        if any(self._english.lists(w) or w in ENGLISH_STOPWORDS for w in run.split()):
            return run
        read = self._from_pinyin(run, share=PINYIN_SHARE)
        return f" {read} " if read else run

    def _from_pinyin(self, text: str, share: float = PINYIN_SHARE) -> str:
        """The knowledge terms and everyday words typed in pinyin, in order; "" unless they take
        at least `share` of the letters (an English question reads as a few stray syllables)."""
        letters = re.sub(r"[^a-z]", "", text)
        words, i, read = [], 0, 0
        keys = self._pinyin_words
        longest = self._longest_pinyin
        openings = self._pinyin_openings
        while i < len(letters):
            if letters[i : i + 4] not in openings:
                i += 1
                continue
            for j in range(min(len(letters), i + longest), i + 3, -1):  # four letters at least
                if letters[i:j] in keys:
                    words.append(keys[letters[i:j]])
                    read += j - i
                    i = j
                    break
            else:
                i += 1
        return "".join(words) if words and read >= share * len(letters) else ""

    # ------------------------------------------------------------------ analysis

    def analyse(self, text: str) -> _Analysis:
        """Normalise, repair and weigh a question once; answers reuse it (bounded cache)."""
        cached = self.cache.get(text)
        if cached is not None:
            return cached
        normalized = normalize(text)
        repaired, notes = self.repair(normalized) if normalized else ("", [])
        words = split_unknown(self.words(repaired), self.known_terms) if repaired else []
        # `unless` words, passing the buck, asking which unit and a proposal's subject are read
        # in the resident's own text, typos and homophones repaired (当案馆 is 档案馆), not in
        # terms the synonyms added; an English question's own words are its translation
        english = HAN_RUN_RE.search(normalized) is None
        own = without_synonyms(repaired, notes)
        keywords = self._referrals.named(repaired)
        if keywords:
            keywords = standing(keywords, repaired, self.tok.tokenize(repaired), self._idf)
        if english:  # the resident's own English too ("where can i buy")
            keywords += [w for w in self._referrals.named(normalized) if w not in keywords]
        foreign = [w for w in keywords if not self._referrals.voided(w, own)]
        context = self._referrals.context_named(repaired, own)
        elsewhere = foreign + [w for w in context if w not in foreign]
        asked_of_us = tuple(elsewhere) if elsewhere and ASKED_OF_US.search(own) else ()
        if self._referrals.passing_buck(foreign, own):
            # coordinating the offices is our duty, not theirs
            foreign, asked_of_us, context = [], (), ()
        elif asked_of_us:
            foreign, context = [], ()
        foreign = outside_proposals(foreign, own)
        weights = [self._word_weight(w, foreign) for w in words]
        translated = next((n for n in notes if n.startswith("english:")), "")
        if translated.count(",") >= 2:
            # an English question in which three terms of ours were found: the words left
            # untranslated are mostly its wording (company, wants, allowed), not another topic
            weights = [
                x * ENGLISH_LEFTOVER if w.isascii() and w not in self._idf else x
                for w, x in zip(words, weights, strict=True)
            ]
        subjects = " ".join(m.group(0) for m in PROPOSAL_SUBJECT.finditer(own))
        if subjects:
            # what a proposal or a request is about is not what the resident asks
            weights = [
                x * SUBJECT_SHARE if w in subjects and w not in self._curated else x
                for w, x in zip(words, weights, strict=True)
            ]
        result = _Analysis(
            normalized,
            repaired,
            tuple(notes),
            tuple(words),
            tuple(weights),
            tuple(foreign),
            asked_of_us,
            context,
        )
        if len(self.cache) >= 2048:
            self.cache.clear()
        self.cache[text] = result
        return result

    def focus(self, normalized: str) -> tuple[str, list[str]]:
        """The asking part of a message: self-introductions and courtesy clauses dropped, leading
        greetings trimmed. Returns the focused text and its clauses (for a per-clause retry)."""
        clauses = [c for c in normalized.split(" ") if c]
        if len(clauses) <= 1 and len(normalized) <= 12:
            return normalized, []
        kept = []
        for c in clauses:
            if HAN_RUN_RE.match(c) and COURTESY_CLAUSE.search(c) and not _asks(c):
                continue
            c = LEADING_COURTESY.sub("", c)
            if c:
                kept.append(c)
        if not kept:
            return normalized, []
        return " ".join(kept), kept

    def _word_weight(self, word: str, foreign: list[str]) -> float:
        """How much a question word matters. Known words: their idf. Unknown nouns weigh most:
        they usually name a topic this office does not handle (公积金, 驾驶证); unknown verbs and
        question scaffolding (交给, 办到) weigh little. Words common in everyday Chinese (以后,
        孩子) say less about the topic than rare ones, so general frequency damps every weight."""
        if any(word in p or p in word for f in foreign for p in f.split("+")):
            return 2.0 * self._max_idf
        if word in SCAFFOLD_WORDS or word in self._departments or word in ENGLISH_STOPWORDS:
            return 0.15 * self._max_idf
        if len(word) == 1 and word not in self._curated:
            return 0.15 * self._max_idf
        idf = self._idf.get(word)
        if idf is not None:
            base = idf
        elif word.isdigit():
            base = 0.15 * self._max_idf
        elif self._bigram_hits(word) > 0:
            base = 0.8 * self._max_idf
        else:
            kind = pos.word_class(word)
            if kind == "unknown":  # not in jieba's dictionary: an HMM guess, often a fragment
                base = (0.9 if word.isascii() else 0.5) * self._max_idf
            elif kind == "noun":
                base = 1.2 * self._max_idf
            else:
                base = 0.25 * self._max_idf
        if word in self._curated:
            return base
        freq = self.tok.FREQ.get(word, 0)
        return base * (1.0 if freq < 3000 else 0.7 if freq < 12000 else 0.4)

    def _bigram_hits(self, word: str) -> int:
        if len(word) < 2 or not HAN_RUN_RE.fullmatch(word):
            return 0
        return sum(BIGRAM + word[i : i + 2] in self.known_terms for i in range(len(word) - 1))

    def weighted_words(self, text: str) -> dict[str, float]:
        """The question's content words and how much each matters (used to pick passages too)."""
        a = self.analyse(text)
        return dict(zip(a.words, a.weights, strict=True))

    def department_in(self, text: str) -> str | None:
        """A question naming 柏乡 or 湘阴 prefers that department's entries."""
        by_head = self._aliases_by_head
        named = {
            self._departments[alias]
            for ch in set(text).intersection(by_head)
            for alias in by_head[ch]
            if alias in text
        }
        return named.pop() if len(named) == 1 else None


#: A can-or-not question closing a clause ("能查不", "可以办没").
ABLE_NOT = re.compile(r"(能|可以|可|中|行)[^ ]{0,6}(不|没|冇)$")


def _asks(clause: str) -> bool:
    """Whether a clause that opens like a self-introduction asks the question too ("我是外地的能查
    吗"): a long one that asks at all, a short one with a question word."""
    if ABLE_NOT.search(clause):
        return True  # "俺在柏乡能申请查不": a can-or-not question, however short
    return ASKING.search(clause) is not None and (len(clause) > 14 or DIRECT_ASK.search(clause) is not None)


def _department_aliases(knowledge: Knowledge) -> dict[str, str]:
    """Ways residents name a department: 柏乡, 柏乡县, the full name -> department id."""
    aliases: dict[str, str] = {}
    for dept in knowledge.departments:
        name = normalize(dept.name)
        aliases[name] = dept.id
        if "县" in name:
            county = name.split("县")[0]
            aliases[county] = aliases[county + "县"] = dept.id
    return aliases


def split_unknown(words: list[str], known: set[str] | frozenset[str]) -> list[str]:
    """A compound the knowledge never uses (侨务工作) -> its known parts (侨务, 工作)."""
    out: list[str] = []
    for w in words:
        if w in known or len(w) < 3:
            out.append(w)
            continue
        halves = [(w[:i], w[i:]) for i in range(2, len(w) - 1)]
        split = next((h for h in halves if h[0] in known and h[1] in known), None)
        out += list(split) if split else [w]
    return list(dict.fromkeys(out))


def without_synonyms(repaired: str, notes: list[str]) -> str:
    """The repaired text without the terms the synonyms appended (listed in its notes)."""
    added = [t for n in notes if n.startswith("synonyms:") for t in n[len("synonyms:") :].split(",")]
    return repaired.removesuffix(" " + " ".join(added)) if added else repaired


def outside_proposals(foreign: list[str], own: str) -> list[str]:
    """Referral words that are not the subject of a deputy's proposal: in "提了个关于校车安全的
    提案" 校车 is what the proposal is about, and handling proposals is this office's duty."""
    if not foreign or not PROPOSAL_SUBJECT.search(own):
        return foreign
    subjects = " ".join(m.group(0) for m in PROPOSAL_SUBJECT.finditer(own))
    return [w for w in foreign if not all(p in subjects for p in w.split("+"))]
