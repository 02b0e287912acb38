"""One question in, one reply out: the matcher's decision turned into what a resident reads."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from bot.answers import compose, suggestion_text
from bot.knowledge import Knowledge, Located
from bot.matcher import Candidate, Intent, Matcher, matcher_for
from bot.messages import catalogue_of
from bot.twins import county_of, twin_of
from bot.validators import or_bundled

#: What the matcher reads of one message. A question is a sentence or two; a 4,096-character
#: message (or 100,000 characters in the terminal) must not cost everyone else seconds of CPU.
#: Only understanding is bounded: the whole text is still stored, relayed and shown to staff.
MATCH_CHARS = 500


@dataclass(frozen=True)
class QAReply:
    question: str
    intent: Intent
    text: str
    top: list[Candidate] = field(default_factory=list)
    entry_id: str | None = None
    flow: str | None = None
    #: For a decline: the referrals.yaml entry id naming who handles it.
    referral: str | None = None
    #: The department whose county this question names or speaks (湘阴, 么子), for the
    #: conversation to remember; and the one remembered from before that it was read with.
    county: str | None = None
    home: str | None = None
    #: For an answer asked with no county named: the other county's rule that says nearly the
    #: same (`bot.twins`), else the other county's entry among the runners-up; its id, and the
    #: button offering it.
    other: str | None = None
    other_button: str = ""


def answer_question(knowledge: Knowledge, question: str, home: str | None = None) -> QAReply:
    """The reply to one question; `home`: the department whose county the resident named or
    spoke earlier in the conversation (a question naming no county leans to it)."""
    matcher = matcher_for(knowledge)
    read = question[:MATCH_CHARS]
    reply = _reply(knowledge, matcher, question, read, home)
    county = matcher.county_in(read)
    if reply.intent == "answer" and reply.entry_id and county is None and home is None:
        reply = _with_twin(knowledge, reply) or _with_other_county(knowledge, reply)
    return replace(reply, county=county, home=home)


def _with_twin(knowledge: Knowledge, reply: QAReply) -> QAReply | None:
    """`reply` saying whose rule it is and offering the other county's, when there is one."""
    assert reply.entry_id is not None  # an answer's
    twin = twin_of(knowledge, reply.entry_id)
    if twin is None:
        return None
    here, there = knowledge.get(reply.entry_id), knowledge.get(twin)
    assert here is not None and there is not None and there.department is not None  # as twin_of found them
    msgs = or_bundled(catalogue_of(knowledge))
    button = msgs.text("answers.twin_button", county=county_of(there.department))
    note = msgs.text("answers.twin_note", name=_publisher(here), other=_publisher(there), button=button)
    return replace(reply, text=f"{reply.text}\n\n{note}", other=there.id, other_button=button)


def _with_other_county(knowledge: Knowledge, reply: QAReply) -> QAReply:
    """`reply` offering the other county's entry when one is among the runners-up: asked with no
    county named, "档案局给村干部培训过没" is answered from 湘阴's duty, and a 柏乡 resident meant
    柏乡's (of round 29's read answers with such a runner-up, it was the right one 6 to 9 times
    in 100, where the answer given was not)."""
    here = knowledge.get(reply.entry_id or "")
    if here is None or here.department is None:
        return reply
    there = next(
        (
            loc
            for c in reply.top[1:3]
            if (loc := knowledge.get(c.id)) is not None
            and loc.department is not None
            and loc.department.id != here.department.id
        ),
        None,
    )
    if there is None:
        return reply
    assert there.department is not None  # as found above
    msgs = or_bundled(catalogue_of(knowledge))
    county = county_of(there.department)
    button = msgs.text("answers.other_county_button", county=county)
    note = msgs.text("answers.other_county_note", name=here.department.name, county=county, button=button)
    return replace(reply, text=f"{reply.text}\n\n{note}", other=there.id, other_button=button)


def _reply(knowledge: Knowledge, matcher: Matcher, question: str, read: str, home: str | None) -> QAReply:
    result = matcher.match(read, home=home)
    if result.intent == "decline":
        return QAReply(
            question,
            "decline",
            decline_text(knowledge, result.referral, result.notes),
            referral=result.referral,
        )
    if result.intent == "suggest":
        text = suggestion_text(knowledge, [c.title for c in result.top])
        return QAReply(question, "suggest", text, result.top)
    loc = knowledge.get(result.top[0].id)
    assert loc is not None
    if loc.id == "chat/contact":
        from bot.referrals import contact_reply

        msgs = or_bundled(catalogue_of(knowledge))
        text = contact_reply(knowledge.extras.get("contacts") or [], result.normalized, msgs)
        return QAReply(question, "answer", text, result.top, loc.id)
    answer = compose(matcher, loc, read)
    return QAReply(question, "answer", answer.text, result.top, answer.entry_id, answer.flow)


def decline_text(knowledge: Knowledge, referral: str | None, notes: tuple[str, ...] = ()) -> str:
    """Who handles it (from referrals.yaml), or the generic decline for a named non-topic."""
    msgs = or_bundled(catalogue_of(knowledge))
    if referral:
        ref = next((r for r in knowledge.extras.get("referrals") or [] if r.id == referral), None)
        if ref is not None:
            return ref.reply(knowledge.chat.office_name, msgs, unknown_topic="unknown topic" in notes)
    if "gibberish" in notes or "empty" in notes or "no content words" in notes:
        # a message that names nothing we know (gibberish, emoji): no claim about whose business it is
        return msgs.text("answers.not_understood")
    return knowledge.chat.decline


def _publisher(loc: Located) -> str:
    """Who publishes a rule, as its answer's heading says (柏乡县人民政府办公室（档案局）)."""
    office = getattr(loc.entry, "office", "") or ""
    name = loc.department.name if loc.department else ""
    return f"{name}（{office}）" if office else name
