"""`Matcher`: one knowledge version's index and the collaborators that read a question, score the
entries and decide, behind the calls the rest of the bot makes; `matcher_for` keeps one per
loaded knowledge object."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from bot import pos
from bot.knowledge import Knowledge
from bot.knowledge_cache import gc_paused
from bot.labelled import DECLINE
from bot.matcher.analysis import Analyser
from bot.matcher.cache import _index_key, _read_index, _write_index
from bot.matcher.clear_pick import clear_pick, contender
from bot.matcher.county_offices import CountyOffices
from bot.matcher.decide import Decider
from bot.matcher.index import Index, IndexBuilder
from bot.matcher.linear import MODEL_FILE, LinearModel
from bot.matcher.model import MatchResult, _Analysis
from bot.matcher.neighbours import Neighbours, built, readings_of
from bot.matcher.referral_words import ReferralWords
from bot.matcher.scoring import Scorer, strength
from bot.matcher.second_opinion import SecondOpinion
from bot.matcher.tokens import add_words, tokenizer
from bot.passages import answer_texts
from bot.text import normalize

#: A question this short that names an entry's own term is answered, whatever the model says.
SHORT_QUESTION = 8
#: At most this many texts' words are kept with the index (a county has 343; see `_answer_terms`).
ANSWER_TEXTS = 5_000


class Matcher:
    """Ranks knowledge entries for a question. Build once per knowledge version; thread-safe reads.

    Composes `ReferralWords` (another office's business), `Index` (built by `IndexBuilder` or read
    from the on-disk cache), `Analyser` (the question's repaired, weighed words), `Scorer` and
    `Decider` (answer, suggest or decline)."""

    def __init__(self, knowledge: Knowledge):
        self.knowledge = knowledge
        self.tok = tokenizer()
        self.synonyms = {normalize(k): normalize(v) for k, v in knowledge.synonyms.items()}
        self.referrals = ReferralWords(knowledge)
        self.out_of_scope = self.referrals.out_of_scope
        entries = knowledge.entries()
        key = _index_key(knowledge)
        # Reading the index makes millions of objects that all stay: no collector walking them
        # as they are made (`gc_paused`). A build keeps it running (its temporaries are freed).
        with gc_paused():
            data = _read_index(key, [loc.id for loc in entries]) if key else None
        fresh = data is None
        if data is None:
            data = self._build_index()
        else:
            add_words(self.tok, data["curated"])
        with gc_paused():
            self.index = index = Index(entries, data)
        self.docs = index.docs
        self.known_terms = index.known_terms
        self._idf = index.idf
        self._pinyin_terms = index.pinyin_terms
        pos.start_loading(self.tok)
        self.analyser = Analyser(knowledge, self.tok, self.synonyms, index, self.referrals)
        if fresh:  # the labelled questions in English or pinyin are also kept as this analyser reads them
            asked = knowledge.extras.get("labelled") or {}
            data["labelled"] = built(asked, readings_of(asked, self.read))
            data["answer_terms"] = self._answer_terms()
            if key:
                _write_index(key, data)
        self.analyser.prime(data.get("answer_terms") or {})
        self.scorer = Scorer(index)
        self.decider = Decider(knowledge, index, self.analyser, self.scorer, self.referrals)
        #: a county's question answered only by another county's kind of office: the hotline
        self.county_offices = CountyOffices(knowledge, index.docs, self.decider._unknown.catch_all)
        #: how residents asked before (labelled_questions.yaml), for a weak reading
        titles = {loc.id: loc.title for loc in entries}
        labelled = Neighbours(data["labelled"])
        linear = LinearModel.load(knowledge.root / MODEL_FILE)
        self.second_opinion = SecondOpinion(labelled, titles, self._whose_business, linear=linear)
        #: The repeat-question cache (the benchmarks clear it to time the whole pipeline).
        self._analysis_cache = self.analyser.cache

    def _answer_terms(self) -> dict[str, list[str]]:
        """The words of the texts answers read (`answer_texts`), for a county's knowledge: a
        province's (more than `ANSWER_TEXTS` texts) reads each rule's when first answered."""
        texts = answer_texts(self.knowledge)
        return {t: self.analyser.terms_of(t) for t in texts} if len(texts) <= ANSWER_TEXTS else {}

    def _build_index(self) -> dict[str, Any]:
        """Segment the knowledge texts (no usable on-disk index): the plain data `Index` loads."""
        return IndexBuilder(self.knowledge, self.tok, self.synonyms, self.referrals.words).build()

    def match(self, text: str, limit: int = 3, home: str | None = None) -> MatchResult:
        """The decision for a whole message (see `Decider.match`), checked against the county the
        message names (`CountyOffices`). `home`: the department whose county the resident named
        or spoke earlier in the conversation, leaned to when this message names none."""
        result = self.decider.match(text, limit, home)
        if self.second_opinion.neighbours:
            voted = self._second_look(result, text, limit, home)
            # the vote may read "银行中午开吗" as asking our hours: another body's are referred
            if _contact(voted) and not _contact(result) and "contact" not in result.notes:
                # (a decision that weighed the contact card and declined it was overruled knowingly)
                theirs = self.decider.others_contact.referral(self.analyser.analyse(result.query), voted=True)
                voted = voted if theirs is None else _referred_contact(voted, *theirs)
            result = voted
        return self.county_offices.refer(result, self.analyser.department_in(normalize(text)))

    def _second_look(self, result: MatchResult, text: str, limit: int, home: str | None) -> MatchResult:
        """The labelled questions' say: the second opinion on a weak reading, then the linear
        model's clear pick on any (`bot.matcher.clear_pick`)."""
        opinion = self.second_opinion
        read = self.analyser.analyse(result.query).repaired  # as the decision read it (cached)
        if opinion.weighs(result):
            result = opinion.settle(result, read, text, limit, self._county(text, read, home))
        if opinion.linear is None:
            return result
        pick = contender(result, opinion.linear.scores(read))
        if pick is None or (pick[0] == DECLINE and self._names_entry_term(result)):
            return result
        whose = lambda: opinion.whose(text, read)  # noqa: E731 (asked only for a decline)
        picked = clear_pick(result, pick, opinion.titles, whose, self._county(text, read, home), limit)
        if picked is not result and opinion.asked_before(read):
            return result  # a question filed in labelled_questions.yaml keeps its label at once
        return picked

    def _names_entry_term(self, result: MatchResult) -> bool:
        """A short question that names a specific term of the answer's entry ("行政诉讼期限"
        names 行政诉讼): the model's many short declined questions are no reason to decline it."""
        if result.intent != "answer" or not result.top or result.top[0].id.startswith("chat/"):
            return False
        if len(result.normalized) > SHORT_QUESTION:
            return False
        doc = self.decider._by_id.get(result.top[0].id)
        return doc is not None and self.scorer.anchored(self.analyser.analyse(result.query).own_words(), doc)

    def _county(self, text: str, read: str, home: str | None) -> str | None:
        """The department whose county the question names or speaks, else the one remembered."""
        return self.county_in(text) or self.analyser.department_in(read) or home

    def _whose_business(self, text: str) -> tuple[str | None, bool]:
        """The referral for a question that is another office's business: the office its words
        name (True), else the catch-all hotline (False)."""
        named = self.referrals.referral_for(self.referrals.named(normalize(text)))
        return (named, True) if named else (self.decider._unknown.catch_all, False)

    def county_in(self, text: str) -> str | None:
        """The department whose county a message names (湘阴) or speaks (么子), if one: what a
        conversation remembers for the questions after it."""
        normalized = normalize(text)
        return self.analyser.department_in(normalized) or self.decider.dialect.named(normalized)

    def analyse(self, text: str) -> _Analysis:
        return self.analyser.analyse(text)

    def read(self, text: str) -> str:
        """A question as the matcher reads it: normalised, repaired, pinyin and English in Chinese
        (`analyse(text).repaired`, without weighing its words)."""
        normalized = normalize(text)
        return self.analyser.repair(normalized)[0] if normalized else ""

    def words(self, normalized: str) -> list[str]:
        return self.analyser.words(normalized)

    def terms(self, normalized: str) -> list[str]:
        return self.analyser.terms(normalized)

    def terms_of(self, text: str) -> list[str]:
        return self.analyser.terms_of(text)

    def weighted_words(self, text: str) -> dict[str, float]:
        return self.analyser.weighted_words(text)

    def repair(self, normalized: str) -> tuple[str, list[str]]:
        return self.analyser.repair(normalized)

    def focus(self, normalized: str) -> tuple[str, list[str]]:
        return self.analyser.focus(normalized)

    def _words_named(self, text: str) -> list[str]:
        return self.referrals.named(text)

    strength = staticmethod(strength)


_BUILD_LOCK = threading.Lock()
#: id(knowledge) -> its matcher; the two latest (the one answering and, during /reload, the new one).
_MATCHERS: dict[int, Matcher] = {}


def matcher_for(knowledge: Knowledge) -> Matcher:
    """Cache one matcher per loaded knowledge object (a reload builds a new one).

    A ready matcher is returned without taking the build lock, so while /reload builds the
    new knowledge's matcher in a worker thread, residents keep being answered by the old one."""
    m = _MATCHERS.get(id(knowledge))
    if m is not None and m.knowledge is knowledge:
        return m
    with _BUILD_LOCK:
        m = _MATCHERS.get(id(knowledge))
        if m is None or m.knowledge is not knowledge:
            m = Matcher(knowledge)
            _MATCHERS.pop(id(knowledge), None)
            _MATCHERS[id(knowledge)] = m
            while len(_MATCHERS) > 2:
                _MATCHERS.pop(next(iter(_MATCHERS)))
        return m


def _contact(result: MatchResult) -> bool:
    return result.intent == "answer" and bool(result.top) and result.top[0].id == "chat/contact"


def _referred_contact(result: MatchResult, referral: str, why: tuple[str, ...]) -> MatchResult:
    """The labelled questions' contact answer turned into a referral to the body asked about."""
    return replace(result, intent="decline", top=[], notes=result.notes + why, referral=referral)
