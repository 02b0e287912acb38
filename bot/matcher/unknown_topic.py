"""Questions about a topic nothing here knows ("暖气不热找谁", "游泳馆几点开门"): referred to the
catch-all hotline (referrals.yaml ``catch_all``, 12345) instead of three guesses. The reply says
that nothing was found here and that the hotline forwards it, never "不属于".

A question is about an unknown topic when it names none of the office's vocabulary (an
administrators' word, a character pair common in their words, a rare part of two of them:
``bot.matcher.vocabulary``) and its best entry explains little of what it is specifically
about; a long question is mostly the resident's story, and how little is explained then says
little."""

from __future__ import annotations

import re

from bot import pos
from bot.knowledge import Knowledge
from bot.matcher.index import Index
from bot.matcher.model import BIGRAM, MatchResult, _Analysis
from bot.matcher.wordlists import RECORD_WORDS

#: Words at least this share of the highest idf say what a question is specifically about.
SPECIFIC_IDF = 0.4
#: An unsure question that names none of the office's vocabulary, and whose best entry explains
#: less than this share of its weight in specific words, is about a topic nothing here knows.
UNKNOWN_TOPIC_EXPLAINED = 0.4
#: ... and only when its words weigh at least this many times the highest idf: a question that
#: names no topic at all ("早啊", "帮大忙了") is no evidence of someone else's business.
UNKNOWN_TOPIC_WEIGHT = 0.5
#: ... but a family's papers (先祖档案, 家族档案) are what the archives collect, and 一屋子档案,
#: 一箱子档案 are how many, not what kind.
KIN_OR_COUNT = re.compile(
    r"[祖爷奶父母族家]|^[一两几半满整]|^(屋子|房间|箱子|柜子|车|堆|摞|捆|袋子|麻袋|仓库)$"
)
#: Kinds of archives every unit keeps and the archives bureau supervises (声像档案, 会计档案).
ARCHIVE_GENRES = re.compile(r"声像|音像|实物|照片|科技|会计|文书|基建|业务|纸质|电子|历史|革命|珍贵|重要")
#: Records of any kind are the archives' to place, however unknown the rest of the question.
RECORDS = re.compile(r"档案")
#: A question naming an archives asks about records this office supervises.
OUR_ARCHIVES = re.compile(r"档案馆|档案局|档案室")
#: An unsure question whose words no entry has carry at least this share of its weight, whose
#: best guess scores under MOSTLY_UNKNOWN_SCORE and explains under MOSTLY_UNKNOWN_EXPLAINED of it,
#: is about a topic nothing here knows though one of our common words is in it (tuned on the
#: training sets' unsure questions: 40 out of scope referred, 10 right guesses lost).
MOSTLY_UNKNOWN_SHARE = 0.5
MOSTLY_UNKNOWN_SCORE = 18.0
MOSTLY_UNKNOWN_EXPLAINED = 0.3
#: A question weighing more than this many times the highest idf is long (see above; the
#: decision also shrinks a long question's suggestion floor by it).
LONG_QUESTION = 6.0


class UnknownTopic:
    """The catch-all referral for one knowledge version and its index."""

    def __init__(self, knowledge: Knowledge, index: Index):
        self._index = index
        self._idf, self._curated, self._max_idf = index.idf, index.curated, index.max_idf
        self._core, self._own_parts = index.core, index.own_parts
        self._doc_at = {d.loc.id: i for i, d in enumerate(index.docs)}
        #: the catch-all referral's id (None: the directory has none, nothing is referred)
        self.catch_all: str | None = next(
            (r.id for r in knowledge.extras.get("referrals") or [] if r.catch_all and r.government), None
        )

    def refer(self, result: MatchResult, a: _Analysis, names_county: bool = False) -> MatchResult:
        """`result` (an unsure question, analysed as `a`) referred to the hotline when its topic
        is unknown here; otherwise `result` unchanged. `names_county`: the question names one of
        the departments' counties (its records may well be the ones this office supervises)."""
        if self.catch_all is None or result.intent != "suggest":
            return result
        if a.described:
            # an administrator's pattern says what the question describes is ours (老底子 is
            # 档案): unsure of the entry, not of whose business it is
            return result
        if self.foreign(a, result.top[0].id if result.top else None):
            why: tuple[str, ...] = ("unknown topic",)
        elif self.mostly_unknown(a, result):
            # the reply says nothing was found here, as for any unknown topic (never "不属于")
            why = ("unknown topic", "mostly unknown words")
        elif not names_county and self.others_record(a):
            why = ("unknown topic", "others' record")
        else:
            return result
        return MatchResult(
            result.query,
            result.normalized,
            "decline",
            [],
            result.tokens,
            result.coverage,
            result.notes + why,
            self.catch_all,
        )

    def mostly_unknown(self, a: _Analysis, result: MatchResult) -> bool:
        """Whether most of an unsure question's weight is in words no entry has (房贷利率,
        安全帽, 广场舞) and its best guess is weak and explains little of the rest: a topic
        nothing here knows, though a common word of ours is in it."""
        if not result.top or result.top[0].score >= MOSTLY_UNKNOWN_SCORE:
            return False
        if RECORDS.search(a.repaired) or any(n.startswith(("english:", "pinyin:")) for n in a.notes):
            return False  # records are ours to place; English or pinyin words are unknown by their script
        total = sum(a.weights)
        if total < UNKNOWN_TOPIC_WEIGHT * self._max_idf:
            return False
        unknown = sum(
            x
            for w, x in zip(a.words, a.weights, strict=True)
            if len(w) >= 2 and w not in self._idf and w not in self._curated
        )
        if unknown < MOSTLY_UNKNOWN_SHARE * total:
            return False
        return self._explained(a, result.top[0].id) < MOSTLY_UNKNOWN_EXPLAINED * total

    def _explained(self, a: _Analysis, entry: str) -> float:
        """The weight of the question's specific words that entry `entry` holds."""
        i = self._doc_at.get(entry)
        if i is None:
            return 0.0
        floor = SPECIFIC_IDF * self._max_idf
        return sum(
            x
            for w, x in zip(a.words, a.weights, strict=True)
            if self._idf.get(w, 0.0) >= floor
            and (self._index.holds(w, i) or (len(w) == 2 and self._index.holds(BIGRAM + w, i)))
        )

    def others_record(self, a: _Analysis) -> bool:
        """Whether an unsure question is about a kind of record the office never mentions
        (从业资格档案, 土地承包经营权档案, 预防接种档案): such records are kept by whoever made
        them, not by the archives this office supervises."""
        words = a.words
        for i in range(1, len(words)):
            kind = words[i - 1]
            if (
                words[i] in RECORD_WORDS
                and len(kind) >= 2
                and kind not in self._idf
                and kind + words[i] in a.repaired
                and pos.word_class(kind) == "noun"
                and not KIN_OR_COUNT.search(kind)
                and not ARCHIVE_GENRES.search(kind)
                and not OUR_ARCHIVES.search(a.repaired)
            ):
                return True
        return False

    def foreign(self, a: _Analysis, entry: str | None) -> bool:
        """Whether the question names none of the office's vocabulary and `entry` (the best
        guess, None: none) explains less than UNKNOWN_TOPIC_EXPLAINED of its weight in specific
        words."""
        core, curated, parts = self._core, self._curated, self._own_parts
        for w in a.words:
            if len(w) < 2:
                continue
            if w in curated or w in parts or any(w[i : i + 2] in core for i in range(len(w) - 1)):
                return False
        total = sum(a.weights)
        if total < UNKNOWN_TOPIC_WEIGHT * self._max_idf:
            return False  # "早啊", "帮大忙了": no topic named at all
        if total > LONG_QUESTION * self._max_idf:
            return False  # a long question is mostly its story: how little is explained says little
        if entry is None or entry not in self._doc_at:
            return True
        return self._explained(a, entry) / total < UNKNOWN_TOPIC_EXPLAINED

    def names_unknown_place(self, a: _Analysis) -> bool:
        """Whether the question names a thing the knowledge never mentions (a noun not in any
        entry, not even as a character pair): 游泳馆, 图书馆, not 周六 or 上班."""
        return any(
            len(w) >= 2
            and w not in self._idf
            and w not in self._curated
            and not any(BIGRAM + w[j : j + 2] in self._index.known_terms for j in range(len(w) - 1))
            and pos.word_class(w) == "noun"
            for w in a.words
        )
