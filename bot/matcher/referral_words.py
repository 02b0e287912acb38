"""Words naming another office's business (chat.yaml's out_of_scope and referrals.yaml's keywords):
which of them a question names, and which referral entry they point to."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Container, Iterable

from bot.knowledge import Knowledge
from bot.text import normalize

#: Offices passing a matter to each other ("水利说归住建，住建说归水利"): coordinating them is
#: the county government office's duty, so the offices named are no referral.
PASSING_BUCK = re.compile(
    r"来回推|推来推去|踢皮球|扯皮|互相推|都不管|都说不归|不归自己管|都说不是|谁出面协调|"
    r"([^ ]{2,4})说归([^ ]{2,4}) *\2说归\1|"
    r"各说各的?|说法不一|说法不同|意见不一|(意见|说法)打架|互相矛盾|相互矛盾|"
    r"(部门|局|办|单位|乡镇|镇里|股室)[^ ]{0,24}(?<!没)(存在|有)分歧|职责(划分|不清|交叉)"
)

#: A document or licence asked to be issued, its name right after the verb ("办身份证", "开个
#: 无犯罪记录证明"): the keyword names what the resident wants, not what they bring along.
ISSUED = re.compile(r"(?:办|开|补|换|领|考|办理|开具|申领|补办|换领)(?:个|张|本|一下|一个|一张)?")
#: ...asked of whoever the question speaks to ("能给办", "可以帮我开"), not the resident's own
#: errand told as the reason ("他办优待证要用").
ASKED_TO = re.compile(r"(?:能|可以|可不可以|能不能|管不管|负责|给|帮)(?:给|帮)?(?:我|俺|我们)?")

#: The resident asks which of this office's own units handles the matter ("报到县政府的建议，
#: 县政府办公室是哪个股室承办的", "档案局管不管这个评审"): the other office's words only say
#: what the matter is about, the question is about us.
ASKED_OF_US = re.compile(
    r"(政府办|政府办公室|档案局|档案馆|人防办|政务公开办|法制办|应急办)(这边|那边|里面|内部)?(是|又是)?(由|归)?"
    r"(哪个|哪一个|什么)(股室|股|科室|科)|"
    r"(政府办|政府办公室|档案局|档案馆|人防办|政务公开办|法制办|应急办)(这边|那边)?(管不管|负责不负责|承办不承办)|"
    r"(政府|政府办|政府办公室)(这边|那边|里面|内部)?(是|又是)?(由|归)?(哪个|哪一个|什么|哪块|谁)"
    r"(部门|股室|股|科室|科|单位|来|口)?(负责|受理|办理|承办|牵头|管|审查|协调|登记|收|办|对接|接待)|"
    r"(政府办|政府办公室)(这边|那边|里面|内部)?(归|属于|算)(哪个|哪一个|什么)(股室|股|科室|科|口)|"
    r"(县政府|县里|县人民政府)(能|能不能|可不可以|会不会|可以)(出面)?(协调|调解|出面)|"
    r"(档案局|档案馆|人防办)(会|会不会|能|能不能|管不管|也)(来|派人|上门|下来)?(查|检查|管|指导|监督)|"
    r"(找|向|到|跟)(县政府|县人民政府|政府)(申请|提起|提)?(行政)?复议|"
    r"(是|由)(县政府办公室|县政府办|政府办|政府办公室)(起草|负责|承办|组织|安排|牵头|接待)|"
    r"(是不是|是)?找(你们|您们)?(档案馆|档案局|政府办|人防办)(办|管)?(不|吗|么|啵|不咯)"
)

#: An office's name in a question: 水利局, 派出所, 住建部门.
OFFICE_NAME = re.compile(r"[\u4e00-\u9fff]{2}(?:局|所|委|站|部门)")
#: The note of a question declined by a `frames` entry's word (a game, a film).
FRAMED = "framed"


class ReferralWords:
    """The out-of-scope and referral words of one knowledge version, found by substring lookup."""

    def __init__(self, knowledge: Knowledge):
        #: Words naming another office's business -> the referral entry (None: generic decline).
        self.words: dict[str, str | None] = {normalize(w): None for w in knowledge.chat.out_of_scope}
        #: Referral word -> words that void it (the entry's `unless`: 结婚登记 but not 结婚登记档案).
        self.unless: dict[str, tuple[str, ...]] = {}
        #: Place or organisation word -> the referral entry (`context`: who asks, not what about).
        self.context: dict[str, str] = {}
        #: Keywords that say what the whole question is about (`Referral.frames`).
        self._framing: set[str] = set()
        for ref in knowledge.extras.get("referrals") or []:
            self._framing.update("+".join(normalize(p) for p in w.split("+")) for w in ref.framing_words())
            unless = tuple(normalize(u) for u in ref.unless)
            for word in ref.context:
                self.context[normalize(word)] = ref.id
                if unless:
                    self.unless[normalize(word)] = unless
            for kw in ref.keywords:
                word = "+".join(normalize(part) for part in kw.split("+"))
                self.words[word] = ref.id
                if unless:
                    self.unless[word] = unless
        self.out_of_scope = list(self.words)
        # Referral words are found by looking up the question's substrings (a few hundred set
        # probes) rather than testing each of the hundreds of words against the question.
        self._order = {w: n for n, w in enumerate(self.out_of_scope)}
        self._by_part: dict[str, list[str]] = defaultdict(list)
        for w in self.out_of_scope:
            for part in set(w.split("+")):
                self._by_part[part].append(w)
        self._lengths = sorted({len(p) for p in self._by_part})
        #: the first characters of the words' parts: a position none begins is passed at once
        self._firsts = frozenset(p[0] for p in self._by_part if p)

    def named(self, text: str) -> list[str]:
        """The out-of-scope and referral words (all parts of a 结婚+预约 word) found in `text`."""
        found: set[str] = set()
        n = len(text)
        for i in range(n):
            if text[i] not in self._firsts:
                continue
            for length in self._lengths:
                if i + length > n:
                    break
                if text[i : i + length] in self._by_part:
                    found.add(text[i : i + length])
        if not found:
            return []
        candidates = {w for part in found for w in self._by_part[part]}
        hits = [w for w in candidates if all(part in found for part in w.split("+"))]
        return sorted(hits, key=self._order.__getitem__)

    def voided(self, word: str, text: str) -> bool:
        """Whether an `unless` word of `word` is in `text` besides the keyword itself: 退伍档案
        is the veterans' office's even though 档案 voids its other words, while 户籍档案 (an
        unless phrase holding the keyword 户籍) voids 户籍."""
        unless = self.unless.get(word)
        if not unless:
            return False
        parts = word.split("+")
        if self.asked_to_issue([word], text):
            return False  # "档案馆能给办身份证吗": asked to issue it, whoever is asked
        rest = text
        for part in parts:
            rest = rest.replace(part, " ")
        return any((u in text) if any(p in u for p in parts) else (u in rest) for u in unless)

    def asked_to_issue(self, words: list[str], text: str, of_whom: bool = True) -> bool:
        """Whether one of `words` is named right after a verb asking for it to be issued: of
        whoever is asked ("档案馆能给办身份证吗"), or `of_whom=False` by anyone ("补办结婚证去哪").
        The other office's document is then what the question is about."""
        verb = (ASKED_TO.pattern if of_whom else "") + ISSUED.pattern
        return any(re.search(verb + re.escape(p), text) for w in words for p in w.split("+"))

    def passing_buck(self, words: list[str], text: str) -> bool:
        """Whether `text` says that the offices it names (two or more: its referral `words`, or
        names like 水利局, 农业局) pass the matter to each other."""
        if PASSING_BUCK.search(text) is None:
            return False
        # a school and a hospital disagreeing (`context` words) are no offices passing a matter
        offices = {self.words[w] for w in words if self.words.get(w)}
        names = {n for n in OFFICE_NAME.findall(text) if not any(w in n for w in words)}
        return len(offices) + len(names) >= 2

    def context_named(self, text: str, own: str) -> tuple[str, ...]:
        """The place and organisation words (`context`) in `text`, less those voided in `own`."""
        return tuple(w for w in self.context if w in text and not self.voided(w, own))

    def framing(self, foreign: list[str]) -> str | None:
        """The entry of the first of `foreign` that frames the whole question (a game, a film)."""
        return next((self.words.get(f) for f in foreign if f in self._framing), None)

    def referral_for(self, foreign: list[str]) -> str | None:
        """The referral most of the matched words point to (ties: more characters matched), so
        "邻居占我家宅基地，我想起诉" goes to the court rather than whichever entry is listed first."""
        hits: dict[str, list[int]] = {}
        for f in foreign:
            ref = self.words.get(f) or self.context.get(f)
            if ref:
                n = hits.setdefault(ref, [0, 0])
                n[0] += 1
                n[1] += len(f.replace("+", ""))
        return max(hits, key=lambda r: (hits[r][0], hits[r][1])) if hits else None


def only_foreign(words: list[str], weights: list[float], foreign: list[str], max_idf: float) -> bool:
    """Whether all the weighty words of a question belong to matched referral keywords."""
    parts = [p for f in foreign for p in f.split("+")]
    floor = 0.3 * max_idf
    weighty = [w for w, x in zip(words, weights, strict=True) if x >= floor]
    return all(any(w in p or p in w for p in parts) for w in weighty)


def standing(
    keywords: list[str], text: str, tokens: Iterable[tuple[str, int, int]], known: Container[str]
) -> list[str]:
    """The referral words not read across a word boundary: 用电 in 用电子档案 and 罚单 in 罚单位
    are each half of two words, not the power company's or the traffic police's. `tokens` are
    jieba's (word, start, end) for `text`; `known` the knowledge's vocabulary."""
    cut = list(tokens)
    # only a word of the knowledge's own cut across counts: jieba's guesses at words it does
    # not know (开年|会, 退|货运费) cut referral words wrongly
    cuts = [(s, e) for w, s, e in cut if w in known]

    def stands(part: str) -> bool:
        i = text.find(part)
        while i >= 0:
            j = i + len(part)
            if not any(i < s < j < e or s < i < e < j for s, e in cuts):
                return True
            # a word of its own inside stands however the next one is cut (城建|档案馆)
            if any(i <= s and e <= j and e - s >= 2 for _, s, e in cut):
                return True
            i = text.find(part, i + 1)
        return False

    return [w for w in keywords if all(stands(p) for p in w.split("+"))]
