"""Small talk recognised by its cue words when the rest of the message names no topic:
"太巴适了，感谢感谢", "你这个是干嘛的 可以问些么子", "我眼睛不好 打字慢 有冇得人接电话讲".

chat.yaml's patterns settle a message outright but only in the phrasings written down; a cue
(谢, 干嘛的, 接电话) says which kind of small talk a message is in any phrasing, provided nothing
else in it is a topic the resident asks about ("谢谢，人防工程归谁管" is a question, not thanks).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.knowledge import Knowledge
from bot.matcher.index import Index
from bot.matcher.model import Candidate, MatchResult, _Analysis
from bot.matcher.story import WHO_RE
from bot.matcher.wordlists import ASKING, ENGLISH_STOPWORDS

#: A self-introduction inside a clause ("…听得到不我是湘阴的老婆婆"), up to the clause's end.
INTRODUCTION = re.compile(r"(我|俺|本人)(是|叫|姓)[^ ]*")
#: A word weighing at least this share of the highest idf names a topic (二手房, 人防工程), not
#: small talk; scaffolding, particles and everyday verbs weigh less.
TOPIC_SHARE = 0.5
#: An administrators' term (档案法, 培训) at least this share of the highest idf is a topic too,
#: however common a word it is.
TERM_SHARE = 0.4


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
        # later intents in chat.yaml win: "谢谢，能转人工吗" asks for a person
        self._cues = [
            (i.id, i.title, re.compile("|".join(f"(?:{c})" for c in i.cues)), i.courtesy, i.about_office)
            for i in knowledge.chat.intents
            if i.cues
        ]
        #: any cue at all, to leave most questions after one search
        self._any = re.compile("|".join(f"(?:{c[2].pattern})" for c in self._cues)) if self._cues else None
        self._about_us = _alternatives(knowledge.chat.about_us)
        # a question naming one of our units is about it ("人防办能管啥"), except where the
        # intent allows it (`about_office`: "档案局在县城哪里", "找档案馆的工作人员")
        self._own = _alternatives(own_names)

    def match(self, text: str, normalized: str) -> MatchResult | None:
        """The small-talk answer when a cue is in the message and nothing else in it is a topic."""
        if self._any is None or not self._any.search(normalized):
            return None  # a repair adds no cue the resident's own words lack
        whole = self._analyse(normalized)
        if whole.foreign or whole.context:
            return None  # "你好，身份证丢了": another office's business named
        # English is read in its own words: translated, "thanks" and "human" are gone
        english = any(n.startswith("english:") for n in whole.notes)
        repaired = normalized if english else whole.repaired
        found = [c for c in self._cues if c[2].search(repaired)]
        if not found:
            return None
        requests = [f for f in found if not f[3]]
        intent, title, cue, courtesy, about_office = (requests or found)[-1]
        # an English message is one clause: its spaces separate words, not clauses
        clauses = [repaired] if english else [c for c in repaired.split(" ") if c]
        if not courtesy:
            # a request for a person or for what we do may follow a story ("我眼睛不好 打字慢");
            # clauses that ask nothing and hold no cue are that story
            clauses = [c for c in clauses if cue.search(c) or self._asks(c)]
        else:
            # a self-introduction that asks nothing is who greets ("我是去年嫁过来的")
            clauses = [c for c in clauses if cue.search(c) or not WHO_RE.search(c) or ASKING.search(c)]
        residue = " ".join(clauses)
        if courtesy:
            # "你好我是湘阴的一个老婆婆七十岁哒": who greets, unless the introduction asks something
            residue = INTRODUCTION.sub(lambda m: m.group(0) if ASKING.search(m.group(0)) else " ", residue)
        for other in found:
            residue = other[2].sub(" ", residue)
        if self._own is not None and not about_office and self._own.search(residue):
            return None  # "档案局是干啥的" asks what the unit does, not what the assistant does
        for words in (self._about_us, self._own if about_office else None):
            if words is not None:
                residue = words.sub(" ", residue)
        if self._names_topic(residue):
            return None
        return MatchResult(text, normalized, "answer", [Candidate(intent, title, 100.0)], notes=("cue",))

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


def _alternatives(words: list[str] | tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern finding any of `words`, the longest first (人防办公室 before 人防办)."""
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered)) if ordered else None
