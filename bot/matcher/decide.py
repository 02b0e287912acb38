"""Deciding what to do with a question: answer the best entry, suggest up to three, or decline
(naming who handles it when a referral word says so); chat patterns, contact questions and named
services first; courtesy set aside and, when unsure, the question's clauses tried one by one.

Declining is a feature: a question about ID cards or the weather must get "not this office's
business", never the least-bad entry. The decision therefore looks not only at the best score
but at how much of the question the best entry actually explains (coverage)."""

from __future__ import annotations

from dataclasses import replace
from itertools import islice

from bot.knowledge import Knowledge
from bot.matcher.analysis import Analyser
from bot.matcher.attached import AttachedExamples
from bot.matcher.chat_cues import ChatCues
from bot.matcher.chat_patterns import ChatPatterns
from bot.matcher.english import names_other_body
from bot.matcher.index import Index
from bot.matcher.model import Candidate, Intent, MatchResult, _Analysis
from bot.matcher.offices import CountyByDialect, NamedOffice, OwnUnits
from bot.matcher.others_contact import OthersContact
from bot.matcher.referral_words import ASKED_OF_US, FRAMED, ReferralWords, only_foreign
from bot.matcher.scoring import Scorer
from bot.matcher.story import story as told
from bot.matcher.unknown_topic import LONG_QUESTION, UnknownTopic
from bot.matcher.wordlists import ASKING, OUR_APPLICATION, OUR_COUNTY, WHICH_OFFICE
from bot.text import HAN_RUN_RE, normalize

#: The resident speaking to this office ("你们几点上班"): a contact question about us.
#: Why another body's contact question is referred (FRAMED: the model does not reopen it).
OTHER_BODY = ("contact", "unknown topic", "another body", FRAMED)
#: Asked whether another office's or ours, and our entries explain less than this share: theirs.
EITHER_COVERAGE = 0.4
#: Below this score an entry is not worth offering as a suggestion.
SUGGEST_FLOOR = 8.0
#: A question only partly explained is still answered when its best entry leads clearly:
#: at least this share of the question explained, this score, and this ratio to the runner-up.
CLEAR_LEAD_COVERAGE = 0.25
CLEAR_LEAD_SCORE = 20.0
CLEAR_LEAD_RATIO = 1.35

#: A clause that carries less than this share of the question's weight may only confirm an
#: entry the whole question already pointed at, never bring a new one.
CLAUSE_ALONE_SHARE = 0.4
#: A question spoken to one of our units (档案馆, 贵馆) with another office's word in it is
#: suggested rather than declined when its best entry reaches this score and coverage.
ADDRESSED_SCORE = 15.0
ADDRESSED_COVERAGE = 0.15
#: The last asking clause, when it names a specific term of its entry in the resident's own
#: words ("…，人防罚款的额度是咋定的"), counts as carrying at least this share of the question.
ASK_SHARE = 0.5
#: An administrators' term at least this share of the highest idf names this office's business.
OWN_TERM_IDF = 0.9
#: ... and one at least this share names a matter an entry handles (not 县政府 or 办理).
MATTER_IDF = 0.4


def _referred(
    text: str, normalized: str, words: tuple[str, ...], notes: list[str], referral: str | None
) -> MatchResult:
    """A decline that names who handles it (`referral`: a referrals.yaml entry)."""
    return MatchResult(text, normalized, "decline", [], tuple(words), 0.0, tuple(notes), referral)


class Decider:
    """Turns a question's analysis and scores into a `MatchResult` for one knowledge version."""

    def __init__(
        self,
        knowledge: Knowledge,
        index: Index,
        analyser: Analyser,
        scorer: Scorer,
        referrals: ReferralWords,
    ):
        self.knowledge = knowledge
        self.docs = index.docs
        self._index = index
        self._by_id = {d.loc.id: d for d in index.docs}
        self._max_idf = index.max_idf
        self._analyser = analyser
        self._scorer = scorer
        self._referrals = referrals
        self._intents = knowledge.extras.get("intents")
        self._chat = ChatPatterns(knowledge)
        self._own_units = own_units = OwnUnits(knowledge)
        #: this office's units, by name (contacts.yaml names and aliases)
        self._names_own_office = own_units.named
        self._spoken_to_unit = own_units.spoken_to
        #: small talk by its cue words, when nothing else in the message is a topic
        self._cues = ChatCues(knowledge, analyser.analyse, index, own_units.names())
        #: the catch-all hotline for topics nothing here knows (bot/matcher/unknown_topic.py)
        self._unknown = UnknownTopic(knowledge, index)
        #: another body's contact details asked for (also read by the facade after the vote)
        self.others_contact = OthersContact(referrals, self._unknown, own_units.named)
        #: example questions (administrators' or attached by staff): repeating one outweighs referral words
        self._attached = AttachedExamples(index)
        #: entry -> its department id (read for every entry a province's vague question scores)
        self._departments = [d.loc.department.id if d.loc.department else None for d in self.docs]
        #: the office a question names, for twin rules (bot/matcher/offices.py)
        self._office = NamedOffice(index.docs)
        #: the county whose residents' words a question uses (departments' `dialect`)
        self.dialect = CountyByDialect(knowledge, index.docs)

    def match(self, text: str, limit: int = 3, home: str | None = None) -> MatchResult:
        """The decision for a whole message: courtesy and self-introduction set aside, then the
        focused question; when that is unsure, its clauses are tried one by one.

        A clause's answer counts by how much of the question it carries plus the support its
        entry already had from the whole question: "小区的人防车位被开发商卖了，人防办管不管"
        is about the parking spaces, not about what the short "人防办管不管" alone would match."""
        normalized = normalize(text)
        focused, clauses = self._analyser.focus(normalized) if normalized else (normalized, [])
        whole = focused if focused != normalized else text
        # the county may be named only in the self-introduction set aside ("我是湘阴县…退休职工")
        named = self._analyser.department_in(normalized)
        office = self._office.named(normalized)
        # no county named: the one whose residents' words the message uses, if any, else the one
        # the resident named earlier in the conversation (`home`): a lean, not a claim
        county = (self.dialect.named(normalized) or home) if named is None else None
        result = self._match_one(text, whole, limit, named, office, county)
        if result.top and result.top[0].id.startswith("chat/") and {"pattern", "contact"} & set(result.notes):
            return result
        # small talk in words no pattern lists ("太巴适了，感谢感谢"), the whole message read; never
        # over an answer to a question ("你好，公开的文件在哪里看" is asked, not a greeting)
        cue = self._cues.match(
            text, normalized, answered=not _open_to_small_talk(result), matched=result.intent == "answer"
        )
        if cue is not None:
            if cue.top and cue.top[0].id == "chat/contact" and self._names_other_body(normalized):
                # "征收办的电话有没有": the cue asks for a card, another body's
                return _referred(text, normalized, result.tokens, list(OTHER_BODY), self._unknown.catch_all)
            return cue
        if result.intent == "answer" or result.referral:
            return result
        if whole is not text:
            # "多谢多谢，帮大忙了": the courtesy set aside was the whole message
            chat = self._chat.match(text, normalized, normalized)
            if chat is not None:
                return chat
        if len(clauses) < 2 or HAN_RUN_RE.search(normalized) is None:
            # English or pinyin: its spaces part words, not clauses ("chinese" is no question)
            return self._unsure_whole(result, text, normalized, whole)
        support = {c.id: c.score for c in result.top}
        mass = {c: sum(self._analyser.analyse(c).weights) for c in clauses}
        total = sum(mass.values()) or 1.0
        department = self._analyser.department_in(self._analyser.analyse(focused).repaired) or named
        # another office's business named, and asked whose it is: a clause's entry needs its own
        # evidence ("退休金算得不对 想问问找哪个部门核对": 核对 alone is no reason to answer)
        others_named = bool(self._analyser.analyse(whole).foreign) and bool(WHICH_OFFICE.search(normalized))
        best, best_value = result, 0.0
        asking = [c for c in clauses if ASKING.search(c)]
        last_ask = asking[-1] if asking else None
        for clause in clauses:
            if len(clause) < 4:
                continue
            r = self._match_one(text, clause, limit, department, office, county)
            if r.intent != "answer" or not r.top or r.top[0].id.startswith("chat/"):
                continue  # "谢谢" at the end is no answer to the question before it
            share = mass[clause] / total
            # the question itself names the entry's own term in the resident's words
            anchored = clause == last_ask and self._scorer.anchored(
                self._analyser.analyse(clause).own_words(), self._by_id[r.top[0].id]
            )
            if anchored:
                share = max(share, ASK_SHARE)  # the question itself, however short beside its story
            entry = r.top[0].id
            if (entry not in support or others_named) and share < CLAUSE_ALONE_SHARE and not anchored:
                # a side remark alone ("人在柏乡") is no evidence for a new entry, nor is a short
                # follow-up ask in general words ("有没有不让看的" after 老档案是不是都可以看)
                continue
            value = r.top[0].score * share + support.get(entry, 0.0)
            if value > best_value:
                best, best_value = r, value
        return best if best is not result else self._unsure_whole(result, text, normalized, whole)

    def _unsure_whole(self, result: MatchResult, text: str, normalized: str, whole: str) -> MatchResult:
        """An unsure question: another office's business named in the part set aside as the
        resident's story ("我在厂里的职工档案被公司弄丢了，能告吗") is the better bet than our
        guesses; otherwise the catch-all hotline when the topic is unknown here."""
        story = told(text, normalized, whole)
        asked = self._analyser.analyse(whole)
        ours = any(self._scorer.anchored(list(asked.words), self._by_id[c.id]) for c in result.top)
        told_a = self._analyser.analyse(story) if story else None
        referral = _whose(told_a, asked, normalized, self._referrals, ours)
        if result.intent == "suggest" and referral is not None:
            notes = result.notes + ("referral in story",)
            return replace(result, intent="decline", top=[], notes=notes, referral=referral)
        if result.intent == "suggest" and not result.top and self._unknown.catch_all is not None:
            # not one entry to suggest: "不太确定" over an empty list helps nobody; the hotline does
            notes = result.notes + ("unknown topic", "nothing to suggest")
            return replace(result, intent="decline", notes=notes, referral=self._unknown.catch_all)
        county = self._analyser.department_in(normalized) is not None
        return self._unknown.refer(result, asked, county)

    def _names_other_body(self, normalized: str) -> bool:
        """Another body named in a contact question, in English or Chinese (`OthersContact`)."""
        if self._unknown.catch_all is None:
            return False
        # a slip in our own unit's name ("档按局") is read right in the repaired text
        ours = bool(self._names_own_office(self._analyser.analyse(normalized).repaired))
        return names_other_body(normalized) or self.others_contact.names_chinese_body(normalized, ours)

    def _match_one(
        self,
        text: str,
        focused: str,
        limit: int = 3,
        department: str | None = None,
        office: str | None = None,
        county: str | None = None,
    ) -> MatchResult:
        a = self._analyser.analyse(focused)
        normalized, notes = a.normalized, list(a.notes)
        if not normalized:  # "안녕하세요": chat.yaml's patterns may still know it as written
            return self._chat.match_as_written(text) or MatchResult(text, "", "decline", [], notes=("empty",))
        referral = self._referrals.referral_for(list(a.foreign))
        # a place or organisation named (学校, 医院) says whose only when nothing of ours answers
        # or when its contact details are asked for
        place = self._referrals.referral_for(list(a.context))
        # English is read in chat.yaml's English patterns: translated, "thanks, how do I apply"
        # would lose its question words and read as 谢谢 + 申请
        english = any(n.startswith("english:") for n in a.notes)
        chat = self._chat.match(text, normalized, normalized if english else a.repaired)
        if (
            chat is not None
            and referral
            and chat.top[0].id == "chat/status"
            and not (OUR_APPLICATION.search(normalized) or self._spoken_to_unit(normalized))
        ):
            # "房产证办下来没有，去哪查进度": the progress of another office's business; not when
            # the application is ours ("向贵办提交的信息公开申请…以挂号信方式")
            return MatchResult(
                text, normalized, "decline", [], tuple(a.words), 0.0, ("status", "referral"), referral
            )
        if chat is not None and chat.top[0].id == "chat/contact" and self._names_other_body(normalized):
            # "the opening hours of the county hospital", "征收办的电话有没有": another body's card
            return _referred(text, normalized, a.words, list(OTHER_BODY), self._unknown.catch_all)
        if chat is not None:
            return chat
        framed = self._referrals.framing(list(a.foreign))
        if framed is not None:
            # "和平精英里的防空警报啥意思": a game's siren, not the county's; our words in it say nothing
            return _referred(text, normalized, a.words, notes + [FRAMED], framed)
        intents = self._intents
        # the resident's own words too: a repair may cut a phrase (档案馆礼拜天 -> 档案管理 拜天)
        if intents is not None and (intents.asks_contact(a.repaired) or intents.asks_contact(normalized)):
            loc = self.knowledge.get("chat/contact")
            # "医院值班电话多少", "游泳馆几点开门": another body's details, referred
            theirs = self.others_contact.referral(a)
            if theirs is not None:
                return _referred(text, normalized, a.words, list(theirs[1]), theirs[0])
            if loc is not None:
                return MatchResult(
                    text, normalized, "answer", [Candidate(loc.id, loc.title, 100.0)], notes=("contact",)
                )
        # "公司内部开会的会议纪要怎么写": an organisation's own affairs, not this office's
        others = (
            intents is not None
            and self._unknown.catch_all is not None
            and intents.others_affair(normalized)
            and not self._names_own_office(normalized)
            and not _names_own_term(a, self._index)
            # 厂里当年的工资单 described as a record is the archives' (synonyms.yaml patterns)
            and not a.described
        )
        department = self._analyser.department_in(a.repaired) or department
        # the county named keeps the other county's services out (湘阴's 公开文件查阅 is no 柏乡
        # application)
        service = intents.service_for(a.repaired, department) if intents is not None else None
        words, weights, foreign = list(a.words), list(a.weights), list(a.foreign)
        decline_on = foreign + list(a.context)  # what an unsure question may be declined on
        if not words and service is None:
            return MatchResult(text, normalized, "decline", [], notes=tuple(notes + ["no content words"]))
        attached = (
            self._attached.answer(text, normalized, words, notes, department) if foreign or others else None
        )
        if attached is not None and (service is None or others):
            return attached  # staff attached this very wording to an entry: not a referral
        if others:
            # the hotline, not a claim of whose it is (an office the question names is referred to)
            why = notes + ["others' affairs"] + ([] if referral else ["unknown topic"])
            return _referred(text, normalized, a.words, why, referral or self._unknown.catch_all)
        if referral and service is None and only_foreign(words, weights, foreign, self._max_idf):
            # "我想入党": every word that says what the question is about names another office's
            # business; a shared word in one of our example questions is no reason to answer.
            return MatchResult(
                text, normalized, "decline", [], tuple(words), 0.0, tuple(notes + ["referral only"]), referral
            )
        scored = self._scorer.score(words, weights, department) if words else []
        if office and scored:
            scored = self._office.within(scored, office)
        if county and department is None and scored:
            scored = self.dialect.within(scored, county)
        if service is not None and not _outweighs(self, scored, a.own_words(), foreign, department):
            loc = self.knowledge.get(service)
            assert loc is not None  # validated on load
            # the next best entries (a province's vague question scores thousands: take two)
            rest = (
                Candidate(self.docs[i].loc.id, self.docs[i].loc.title, round(sc, 1))
                for i, sc, _ in scored
                if self.docs[i].loc.id != service
            )
            top = [Candidate(loc.id, loc.title, 100.0)] + list(islice(rest, max(limit - 1, 0)))
            return MatchResult(text, normalized, "answer", top, tuple(words), 1.0, tuple(notes + ["service"]))
        if not scored:
            why = notes + ["no overlap"]
            return _unsure(self._max_idf, text, normalized, [], words, why, referral or place, decline_on)
        preferred = self._scorer.prefer_anchored(words, normalized, scored, department)
        if preferred[0] is not scored[0]:
            notes.append("anchor preferred")
            scored = preferred
        _, best, coverage = scored[0]
        # a place asked about ("驾校的档案，档案局能上门指导不") says who asks, not whose it is
        asked_of_us = [w for w in a.asked_of_us if w not in self._referrals.context]
        if asked_of_us and not any(
            # the matter may be named in the self-introduction set aside (我是县人大代表，…)
            _names_our_matter(b, i, self._index)
            for b in (a, self._analyser.analyse(normalize(text)))
            for i, _, _ in scored[:3]
        ):
            # "县政府这边谁负责办身份证": asked of us, about nothing of ours
            theirs = self._referrals.referral_for(asked_of_us)
            return _referred(text, normalized, a.words, notes + ["asked of us"], theirs)
        top = [
            Candidate(self.docs[i].loc.id, self.docs[i].loc.title, round(s, 1)) for i, s, _ in scored[:limit]
        ]
        anchored = self._scorer.anchored(words, self.docs[scored[0][0]])
        if foreign:
            coverage -= _held_foreign(words, weights, foreign, self._index, scored[0][0])
        # spoken to this county or one of our units (read only when another office's word is there)
        addressed = bool(foreign) and (
            self._names_own_office(normalized)
            or bool(OUR_COUNTY.search(normalized))
            or self._analyser.department_in(normalized) is not None
        )
        # ...by an office's name, and not asked to issue another office's document (办身份证)
        to_unit = bool(foreign) and self._spoken_to_unit(normalized)
        to_unit = to_unit and not self._referrals.asked_to_issue(foreign, a.repaired)
        intent = intent_for(best, scored, coverage, foreign, self._departments, anchored, addressed, to_unit)
        notes += [f"coverage:{coverage:.2f}"] + ([f"foreign:{','.join(foreign)}"] if foreign else [])
        if intent == "decline":
            if not foreign and anchored:
                # "俺们驾校的学员档案…档案局能上门指导不": the place says who asks; one of our
                # terms says what about, so it is no reason to decline
                decline_on = []
            ours = self._names_own_office(normalized) or self._spoken_to_unit(normalized)
            said = (self._max_idf, text, normalized, top, words, notes, referral or place, decline_on)
            unsure = _unsure(*said, coverage, sum(weights), ours=ours)
            return _either(unsure, a, self._referrals, self._own_units)
        result = MatchResult(text, normalized, intent, top, tuple(words), coverage, tuple(notes))
        if intent == "suggest" and not referral:
            return _either(result, a, self._referrals, self._own_units)
        if intent == "suggest" and referral and not to_unit:
            # Unsure between our entries and another office's named business: the referral is
            # the better bet (a wrong referral still names who to ask; a wrong suggestion does not).
            return MatchResult(
                text, normalized, "decline", [], tuple(words), coverage, tuple(notes + ["unsure"]), referral
            )
        return result


def _outweighs(
    decider: Decider,
    scored: list[tuple[int, float, float]],
    words: list[str],
    foreign: list[str],
    department: str | None,
) -> bool:
    """Whether the best scored entry outweighs the service a question asks for: only on one of
    its own terms (县政府的预算数据 is an application, though 县政府 and 数据 fill an archives
    duty), never as small talk, and never as another county's entry when the question names one
    (老信件捐给柏乡档案局: 湘阴's 征集 holds every word, and is still 湘阴's)."""
    if not scored:
        return False
    i, best, coverage = scored[0]
    doc = decider.docs[i]
    anchored = decider._scorer.anchored(words, doc)
    confident = intent_for(best, scored, coverage, foreign, decider._departments, anchored)
    home = doc.loc.department
    return (
        confident == "answer"
        and coverage >= 0.75
        and anchored
        and doc.loc.kind != "chat"
        and (department is None or home is None or home.id == department)
    )


def _whose(
    story: _Analysis | None, asked: _Analysis, normalized: str, referrals: ReferralWords, ours: bool
) -> str | None:
    """The other office an unsure question is better referred to, if any: one named in the story
    set aside ("我在厂里的职工档案被公司弄丢了，能告吗"); one asked of our units ("档案局管不管办
    身份证"); or, asked whose it is, the only other office named ("退休金算得不对，找哪个部门核对"),
    unless one of our own terms anchors an answer (`ours`: "招工表在档案馆，是不是档案馆管")."""
    referral = referrals.referral_for(list(story.foreign)) if story is not None else None
    referral = referral or referrals.referral_for(list(asked.asked_of_us))
    if referral is None and WHICH_OFFICE.search(normalized) and not ours:
        referral = referrals.referral_for(list(asked.foreign))
    return referral


def _either(result: MatchResult, a: _Analysis, referrals: ReferralWords, own: OwnUnits) -> MatchResult:
    """Unsure, and asked whether it is another office's or ours ("是找教育局还是找档案局",
    "是去派出所还是找你们"): the office the resident names is the better bet, whatever word of
    ours (档案) voided it as a referral word; a wrong referral still names who to ask."""
    if result.intent != "suggest" or result.coverage >= EITHER_COVERAGE:
        return result  # "复议是找法院还是找你们": much of it is ours (复议)
    if not own.asked_either(result.normalized):
        return result
    either = referrals.referral_for(referrals.named(a.repaired))
    if not either:
        return result
    notes = result.notes + ("either office",)
    return replace(result, intent="decline", top=[], notes=notes, referral=either)


def _open_to_small_talk(result: MatchResult) -> bool:
    """Whether a cue word may make `result` small talk with other words beside it: not over a
    service recognised or an anchored entry ("你好，公开的文件在哪里看" asks for a document)."""
    if result.intent != "answer" or not result.top or result.top[0].id.startswith("chat/"):
        return True
    return not {"service", "anchor preferred"} & set(result.notes)


def _unsure(
    max_idf: float,
    text: str,
    normalized: str,
    top: list[Candidate],
    words: list[str],
    notes: list[str],
    referral: str | None,
    foreign: list[str],
    coverage: float = 0.0,
    mass: float = 0.0,
    ours: bool = False,
) -> MatchResult:
    """No entry explains the question. Decline only when it names another office's
    business (a referral word); otherwise say we are not sure and offer entries + 人工 (`ours`:
    the question names one of our units, so even weak guesses are shown rather than none)."""
    if foreign:
        return MatchResult(
            text, normalized, "decline", [], tuple(words), coverage, tuple(notes), referral=referral
        )
    if not top and not HAN_RUN_RE.search(normalized):
        return MatchResult(text, normalized, "decline", [], tuple(words), 0.0, tuple(notes + ["gibberish"]))
    # A score is the share of the question an entry explains: in a long question even the
    # right entry explains a small share, so the floor is what a short question's would be.
    floor = SUGGEST_FLOOR * min(1.0, LONG_QUESTION * max_idf / mass) if mass > 0 else SUGGEST_FLOOR
    shown = [c for c in top if c.score >= floor][:3] or (top[:3] if ours else [])
    return MatchResult(text, normalized, "suggest", shown, tuple(words), coverage, tuple(notes + ["unsure"]))


def _names_own_term(a: _Analysis, index: Index) -> bool:
    """Whether the resident's own words hold a specific term an administrator gave an entry
    (外宾, 收音机, 红头文件): then the organisation named beside it (公司的外宾来访) is not
    asking about its own affairs."""
    floor = OWN_TERM_IDF * index.max_idf
    return any(
        len(w) >= 2 and w in index.curated and index.idf.get(w, 0.0) >= floor and w in a.normalized
        for w in a.words
    )


def _names_our_matter(a: _Analysis, entry: int, index: Index) -> bool:
    """Asked which of our units handles something ("县政府这边谁受理"), whether the rest of the
    question names, in an administrator's term, a matter entry `entry` holds (行政复议, 人大代表
    建议): "县政府这边谁负责办身份证" or "公司拖欠我三个月工资，县政府能出面协调吗" name none,
    so the other office's words still say whose it is."""
    asked = ASKED_OF_US.search(a.repaired)
    rest = a.repaired[: asked.start()] + " " + a.repaired[asked.end() :] if asked else a.repaired
    floor = MATTER_IDF * index.max_idf
    return any(
        len(w) >= 2
        and w in rest
        and w in index.curated
        and index.idf.get(w, 0.0) >= floor
        and index.holds(w, entry)
        for w in a.words
    )


def _held_foreign(
    words: list[str], weights: list[float], foreign: list[str], index: Index, entry: int
) -> float:
    """The share of the question's weight in another office's words that entry `entry` holds
    only because an example question happens to (起诉, 法院 in a question about suing the
    county): no evidence that the question is ours."""
    held = sum(
        x
        for w, x in zip(words, weights, strict=True)
        if any(w in p or p in w for f in foreign for p in f.split("+")) and index.holds(w, entry)
    )
    return held / (sum(weights) or 1.0)


def intent_for(
    best: float,
    scored: list[tuple[int, float, float]],
    coverage: float,
    foreign: list[str],
    departments: list[str | None],
    anchored: bool = False,
    addressed: bool = False,
    to_unit: bool = False,
) -> Intent:
    """Answer, suggest or decline, from the scores alone (`departments`: entry -> its department)."""
    # Another office's word in the question: only what the entry itself explains counts
    # (an anchor term or a synonym the repair added is no evidence against the referral).
    if foreign and coverage < 0.6 and not (addressed and anchored and best >= 25 and coverage >= 0.3):
        if to_unit and best >= ADDRESSED_SCORE and coverage >= ADDRESSED_COVERAGE:
            return "suggest"
        return "decline"
    if anchored and best >= 25 and coverage >= 0.3:
        coverage = max(coverage, 0.6)
    # The two departments publish parallel rules (档案安全监管 in both): a near-tie with the
    # other department's twin is no reason to hesitate; a near-tie within one department is.
    home = departments[scored[0][0]]
    second = next((sc for i, sc, _ in scored[1:] if departments[i] == home), 0.0)
    if coverage < 0.4 and coverage >= CLEAR_LEAD_COVERAGE and best >= CLEAR_LEAD_SCORE:
        # Much of the question is unexplained (a story around it, dialect), but what is
        # explained points clearly at one entry: answer rather than make the resident choose.
        return "answer" if best >= CLEAR_LEAD_RATIO * second else "decline"
    if coverage < 0.4 or best < 15:
        return "decline"
    third = scored[2][1] if len(scored) > 2 else 0.0
    fully_explained = sum(1 for _, _, c in scored[:5] if c >= 0.99)
    if fully_explained >= 3 and third >= 0.75 * best:
        return "suggest"  # a vague question (档案, 人防): several entries are equally about it
    if best >= 25 and coverage >= 0.5 and best - second >= max(4.0, 0.06 * best):
        return "answer"
    if best >= 20 and best >= 1.6 * second:
        return "answer"  # a clear winner, even for a long, rambling question
    return "suggest"
