"""Small talk recognised by its cue words when the rest of the message names no topic:
"太巴适了，感谢感谢", "你这个是干嘛的 可以问些么子", "我眼睛不好 打字慢 有冇得人接电话讲".

chat.yaml's patterns settle a message outright but only in the phrasings written down; a cue
(谢, 干嘛的, 接电话) says which kind of small talk a message is in any phrasing, provided nothing
else in it is a topic the resident asks about ("谢谢，人防工程归谁管" is a question, not thanks).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from bot.knowledge import Knowledge
from bot.matcher.index import Index
from bot.matcher.model import Candidate, MatchResult, _Analysis
from bot.matcher.story import WHO_RE
from bot.matcher.wordlists import ASKING, DISSENT, ENGLISH_STOPWORDS

#: A self-introduction inside a clause ("…听得到不我是湘阴的老婆婆"): who, in a few characters.
INTRODUCTION = re.compile(r"(我|俺|本人)(是|叫|姓)[^ ]{0,8}")
#: A clause that only says who the resident is ("俺是县里养老院的护工"), not what they came for
#: ("我是来办身份证的", "我是要查档案的").
IDENTITY = re.compile(
    r"^(我|俺|本人|我们|俺们)(是|叫|姓)(?!.*(来|要|想|办|找|查|问|申请|吗|呢|么|了|丢|坏|过期|断))"
)
#: What a resident does, said right after who they are ("负责学校的安全教育", "在县医院上班").
JOB = re.compile(r"^(负责|分管|主管|从事|在[^ ]{0,10}(工作|上班|任职|干活|打工))")
#: A greeting or thanks followed by a question is the question ("谢谢，可以改时间吗",
#: "thanks, what documents do I need"): the courtesy answers nothing of it.
COURTESY_THEN_ASKS = re.compile(
    r"吗|呢|什么|啥|多少|多久|多长|哪|怎|咋|几|能不能|可不可以|可以|能否|要不要|么子|撒子|还是"
    r"|(?<![a-z])(what|how|where|when|which|who|why|can|could|do|does|is|are|need|should|any)(?![a-z])"
    r"|(?<![a-z])(comment|pourquoi|quand|combien|como|donde|cuando|wie|wann)(?![a-z])"  # after merci
)
#: ...but not a question word closing the matter: "谢谢，没什么问题了", "好的知道怎么办了", "可以了谢谢".
SETTLED_BEFORE = re.compile(r"没|冇|不用|知道|晓得|明白|懂|清楚")
SETTLED_AFTER = re.compile(r"^[了啦哒]")
#: A word weighing at least this share of the highest idf names a topic (二手房, 人防工程), not
#: small talk; scaffolding, particles and everyday verbs weigh less.
TOPIC_SHARE = 0.5
#: An administrators' term (档案法, 培训) at least this share of the highest idf is a topic too,
#: however common a word it is.
TERM_SHARE = 0.4


class Cue(NamedTuple):
    """One chat.yaml intent's cue words, searched as one pattern."""

    intent: str
    title: str
    pattern: re.Pattern[str]
    courtesy: bool
    about_office: bool
    closing: bool


class ChatCues:
    """chat.yaml's intents' `cues` and `about_us` words for one knowledge version."""

    def __init__(
        self,
        knowledge: Knowledge,
        analyse: Callable[[str], _Analysis],
        index: Index,
        own_names: tuple[str, ...],
    ):
        self._analyse = analyse
        self._floor = TOPIC_SHARE * index.max_idf
        self._term_floor = TERM_SHARE * index.max_idf
        self._curated, self._idf = index.curated, index.idf
        # later intents in chat.yaml win: "谢谢，能转人工吗" asks for a person. Each intent's cues
        # are one pattern (chat.yaml's validation checks they join); intents are searched apart.
        self._cues = [
            Cue(
                i.id,
                i.title,
                re.compile("|".join(f"(?:{c})" for c in i.cues)),
                i.courtesy,
                i.about_office,
                i.closing,
            )
            for i in knowledge.chat.intents
            if i.cues
        ]
        self._about_us = _alternatives(knowledge.chat.about_us)
        # a question naming one of our units is about it ("人防办能管啥"), except where the
        # intent allows it (`about_office`: "档案局在县城哪里", "找档案馆的工作人员")
        self._own = _alternatives(own_names)
        #: a unit's short name inside a longer term of ours is that term (人防 in 人防工程)
        self._own_inside = {n: tuple(t for t in index.curated if n in t and t != n) for n in own_names if n}

    def match(
        self, text: str, normalized: str, answered: bool = False, matched: bool = False
    ) -> MatchResult | None:
        """The small-talk answer when a cue is in the message and nothing else in it is a topic;
        over an answer to the message (`answered`), only when nothing but cue words is left
        ("档案馆搬了吗" is about the office's address, whatever entry names 档案馆). `matched`: an
        entry answers the message, so a greeting's remark is its matter ("你好 我家的档案丢了")."""
        if not any(c.pattern.search(normalized) for c in self._cues):
            return None  # a repair adds no cue the resident's own words lack
        whole = self._analyse(normalized)
        if (whole.foreign or whole.context) and self._names_others(normalized):
            return None  # "你好，身份证丢了": another office's business named
        # English is read in its own words: translated, "thanks" and "human" are gone
        english = any(n.startswith("english:") for n in whole.notes)
        repaired = normalized if english else whole.repaired
        found = [c for c in self._cues if c.pattern.search(repaired)]
        if not found:
            return None
        requests = [f for f in found if not f.courtesy]
        intent, title, cue, courtesy, about_office, closing = (requests or found)[-1]
        # an English message is one clause: its spaces separate words, not clauses
        clauses = [repaired] if english else [c for c in repaired.split(" ") if c]
        if not courtesy:
            # a request for a person or for what we do may follow a story ("我眼睛不好 打字慢");
            # clauses that ask nothing and hold no cue are that story
            clauses = [c for c in clauses if cue.search(c) or self._asks(c)]
        else:
            # a self-introduction that asks nothing is who greets ("我是去年嫁过来的"), and so is the
            # job it goes on to name ("我是小学老师 负责学校的安全教育")
            clauses = [
                c
                for i, c in enumerate(clauses)
                if cue.search(c)
                or ASKING.search(c)
                or not (WHO_RE.search(c) or (i and WHO_RE.search(clauses[i - 1]) and self._job(c)))
            ]
        residue = " ".join(clauses)
        if courtesy:
            # "你好我是湘阴的一个老婆婆七十岁哒": who greets, unless the introduction asks something
            # or names our business ("你好我是来查人防工程资料的")
            residue = INTRODUCTION.sub(self._who, residue)
        for other in found:
            residue = other.pattern.sub(" ", residue)
        if self._own is not None and not about_office and self._own.search(residue):
            return None  # "档案局是干啥的" asks what the unit does, not what the assistant does
        if self._about_us is not None:
            residue = self._about_us.sub(" ", residue)
        if courtesy and _asks_more(residue) and self._has_words(residue):
            return None  # "你好，需要什么材料": the question, not the greeting ("你好，你是机器人吗" is)
        if about_office and self._own is not None:
            residue = self._own.sub(self._unit_name, residue)
        # thanks with a remark that asks nothing and reports no trouble: the remark is the story;
        # so is a greeting's, unless it names one of our terms ("你好 我家的档案丢了" is the matter)
        story = (
            courtesy
            and not answered
            and not ASKING.search(residue)
            and not DISSENT.search(residue)
            and (closing or not (matched or self._names_topic(residue, terms_only=True)))
        )
        if not story and (self._names_topic(residue) or (answered and self._has_words(residue))):
            return None
        return MatchResult(text, normalized, "answer", [Candidate(intent, title, 100.0)], notes=("cue",))

    def _names_others(self, normalized: str) -> bool:
        """Whether another office's business is named outside a clause saying who the resident
        is ("你好 俺是县里养老院的护工": where one works is who greets, not what is asked), or
        what their job is, right after it ("我是小学老师 负责学校的安全教育"), asking nothing."""
        clauses = [c for c in normalized.split(" ") if c]
        told = [
            c
            for i, c in enumerate(clauses)
            if not IDENTITY.search(c) and not (i and IDENTITY.search(clauses[i - 1]) and self._job(c))
        ]
        if not told:
            return True
        a = self._analyse(" ".join(told))
        return bool(a.foreign or a.context)

    def _who(self, m: re.Match[str]) -> str:
        """A self-introduction set aside, unless it asks or names our business."""
        said = m.group(0)
        return said if ASKING.search(said) or self._names_topic(said, terms_only=True) else " "

    def _job(self, clause: str) -> bool:
        """Whether a clause names a job ("负责学校的安全教育"), asks nothing and holds none of our
        terms: "负责村里的档案" is what the resident came about."""
        if not JOB.search(clause) or ASKING.search(clause):
            return False
        a = self._analyse(clause)
        return not any(w in self._curated and self._idf.get(w, 0.0) >= self._term_floor for w in a.words)

    def _unit_name(self, m: re.Match[str]) -> str:
        """One of our units' names set aside, but not when it is part of a longer term of ours
        ("人防工程在哪里" asks where the works are, not where the 人防 office is)."""
        start, end, text = m.start(), m.end(), m.string
        for term in self._own_inside.get(m.group(0), ()):
            at = text.find(term, max(0, start - len(term) + 1), end + len(term))
            if at != -1 and at <= start and at + len(term) >= end:
                return m.group(0)
        return " "

    def _has_words(self, residue: str) -> bool:
        """Whether anything but particles and English function words is left."""
        return bool(residue.strip()) and any(
            w not in ENGLISH_STOPWORDS for w in self._analyse(residue.strip()).words
        )

    def _asks(self, clause: str) -> bool:
        """Whether a clause asks something, or names one of our terms: no story set aside."""
        return bool(ASKING.search(clause) and not WHO_RE.search(clause)) or self._names_topic(
            clause, terms_only=True
        )

    def _names_topic(self, residue: str, terms_only: bool = False) -> bool:
        """Whether `residue` holds a weighty word or an administrators' term (`terms_only`:
        only the latter; a story's 眼睛, 打字 are no topic, its 档案法 is)."""
        residue = residue.strip()
        if not residue:
            return False
        a = self._analyse(residue)
        if a.foreign or a.context:
            return True
        for w, x in zip(a.words, a.weights, strict=True):
            if w in ENGLISH_STOPWORDS:
                continue  # "what can you do for me": for and me are no topic
            if w in self._curated and self._idf.get(w, 0.0) >= self._term_floor:
                return True
            if x > self._floor and not terms_only:
                return True
        return False


def _asks_more(residue: str) -> bool:
    """Whether what follows a greeting or thanks asks something still open."""
    for m in COURTESY_THEN_ASKS.finditer(residue):
        before, after = residue[max(0, m.start() - 4) : m.start()], residue[m.end() :]
        if not SETTLED_BEFORE.search(before) and not SETTLED_AFTER.match(after):
            return True
    return False


def _alternatives(words: list[str] | tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern finding any of `words`, the longest first (人防办公室 before 人防办)."""
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered)) if ordered else None
