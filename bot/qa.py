"""One question in, one reply out: the matcher's decision turned into what a resident reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.answers import compose, suggestion_text
from bot.knowledge import Knowledge
from bot.matcher import Candidate, Intent, matcher_for

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


def answer_question(knowledge: Knowledge, question: str) -> QAReply:
    matcher = matcher_for(knowledge)
    read = question[:MATCH_CHARS]
    result = matcher.match(read)
    if result.intent == "decline":
        return QAReply(question, "decline", knowledge.chat.decline)
    if result.intent == "suggest":
        text = suggestion_text(knowledge, [c.title for c in result.top])
        return QAReply(question, "suggest", text, result.top)
    loc = knowledge.get(result.top[0].id)
    assert loc is not None
    answer = compose(matcher, loc, read)
    return QAReply(question, "answer", answer.text, result.top, answer.entry_id, answer.flow)
