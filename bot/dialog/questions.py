"""Idle mode: questions, menus, suggestions, referrals and guidance answers, ratings.

Owns mode ``idle`` and the payloads ``sug:<entry>``, ``menu:faq``, ``rate:<up|down>:<entry>``,
``help``/``menu``, ``resume``/``discard`` outside a form. Typed text in idle mode is routed
here first: fixed words (菜单, 人工, 我的申请, a reference, 预约 …) go to the capability that
does it, the rest to guidance.yaml's direct answers, the events calendar and the matcher.
"""

from __future__ import annotations

import re

from bot import formflow as ff
from bot.answers import compose
from bot.dialog import buttons
from bot.dialog.turn import Capability, Turn
from bot.dialog.types import Button
from bot.dialog.words import (
    CANCEL_WORDS,
    DISCARD_WORDS,
    FORM_MODES,
    HELP_IDLE_WORDS,
    HUMAN_WORDS,
    MAX_MISUNDERSTOOD,
    MENU_FORMS,
    MENU_WORDS,
    RESUME_WORDS,
    ROUTE_OF,
    SIGNAL_QUESTION,
    SIGNAL_TIME,
    STATUS_WORDS,
    SUB_NO_WORDS,
    SUB_YES_WORDS,
    WHEN_QUESTION,
    find_reference,
    has_words,
)
from bot.knowledge import ChatIntent
from bot.masking import scrub
from bot.matcher import matcher_for
from bot.qa import QAReply
from bot.text import ascii_int


class Questions(Capability):
    name = "questions"
    modes = ("idle",)

    def __init__(self, turn: Turn) -> None:
        super().__init__(turn)
        #: Declined questions in a row before this turn; any other turn ends the streak.
        self.streak = int(turn.state.get("misunderstood") or 0)
        turn.state["misunderstood"] = 0

    # ------------------------------------------------------------------ idle text

    def on_mode(self, text: str, payload: str | None) -> None:
        t = self.t
        t.mode = "idle"
        if payload:
            self.idle_payload(payload)
            return
        n = ff.norm(text)
        if not n and not text:
            self.show_help()
            return
        if not has_words(text):  # a lone emoji, punctuation, zero-width or blank characters
            t.say(t.msg("answers.wordless"), t.menu())
            return
        subs = t.part("subscriptions")
        if subs.pending and (n in SUB_YES_WORDS or n in SUB_NO_WORDS):
            subs.answer(subs.pending, n in SUB_YES_WORDS)
            return
        if n in MENU_WORDS:
            t.say(t.k.chat.welcome, t.menu())
            return
        if n in HELP_IDLE_WORDS:
            self.show_help()
            return
        if n in HUMAN_WORDS:
            t.part("handover").open("requested")
            return
        if n in STATUS_WORDS:
            t.part("status").show_status()
            return
        ref = find_reference(text)
        if ref:
            t.part("status").show_reference(ref)
            return
        if n in RESUME_WORDS | DISCARD_WORDS and t.draft:
            drafts = t.part("drafts")
            drafts.resume() if n in RESUME_WORDS else drafts.discard()
            return
        if n in CANCEL_WORDS:
            t.say(t.msg("dialog.nothing_to_cancel_choose"), t.menu())
            return
        route = ROUTE_OF.get(n)
        if route:
            self.idle_payload(route)
            return
        if (i := ascii_int(n)) is not None and t.state["suggestions"]:
            if 1 <= i <= len(t.state["suggestions"]):
                self.show_entry(t.state["suggestions"][i - 1])
                return
        t.state["suggestions"] = []  # numbers refer to the latest suggestions only
        events = t.part("events")
        if SIGNAL_QUESTION.search(n) and not SIGNAL_TIME.search(n):
            events.show_signals()
            return
        event = self._event_asked(text)
        if event is not None:
            event_id, when = event
            events.show_event_when(event_id) if when else events.show_event(event_id)
            return
        if self.direct_answer(text):
            return
        self.handle_qa(t.answer_question(text), in_form=False)

    def _event_asked(self, text: str) -> tuple[str, bool] | None:
        """An event a resident names ("国际档案日": its card) or asks the date of ("警报试鸣是哪天",
        "明天有防空警报吗": the focused when-answer, True)."""
        hits = self.t.event_calendar.find(text)
        if not hits:
            return None
        n = ff.norm(text)
        exact = [e for e in hits if n in {ff.norm(e.title), *(ff.norm(w) for w in e.keywords)}]
        if exact:
            return exact[0].id, False
        return (hits[0].id, True) if WHEN_QUESTION.search(text) else None

    def direct_answer(self, text: str) -> bool:
        """Remedies and unpublished facts, recognised by guidance.yaml's patterns before the
        matcher (which would answer them with a neighbouring passage); True when answered."""
        found = self.t.guidance.answer(text, self.t.archives)
        if found is None:
            return False
        self.t.say(found.text, buttons.flow(self.t.msg, found.flow))
        return True

    # ------------------------------------------------------------------ idle buttons

    def idle_payload(self, payload: str) -> None:
        t = self.t
        if t.on_button(payload):
            return
        if payload in MENU_FORMS:
            t.part("forms").start_form(MENU_FORMS[payload])
        elif payload in ("resume", "discard"):
            if t.draft:
                drafts = t.part("drafts")
                drafts.resume() if payload == "resume" else drafts.discard()
            else:
                t.say(t.msg("dialog.no_draft"), t.menu())
        elif payload in ("help", "menu"):
            self.show_help()
        elif payload == "cancel" or payload.startswith("cancel:"):
            t.say(t.msg("dialog.nothing_to_cancel"), t.menu())
        elif payload == "human:end":
            t.say(t.msg("handover.not_in_handover"), t.menu())
        else:
            t.say(t.msg("dialog.expired"), t.menu())

    def on_button(self, payload: str) -> bool:
        t = self.t
        if payload.startswith("sug:"):
            self.show_entry(payload[4:])
        elif payload == "menu:faq":
            self.show_faq()
        elif payload.startswith("rate:"):
            parts = payload.split(":", 2)
            if len(parts) == 3 and parts[1] in ("up", "down") and t.k.get(parts[2]) is not None:
                t.store.add_rating(parts[2], t.resident, parts[1], t.now)
                if parts[1] == "down":
                    self._review_unhelpful(parts[2])
            t.say(t.msg("dialog.thanks_for_rating"))
        else:
            return False
        return True

    # ------------------------------------------------------------------ answers

    def handle_qa(self, qa: QAReply, *, in_form: bool) -> None:
        t = self.t
        human = [] if in_form else [buttons.human(t.msg)]
        if qa.intent == "answer" and qa.entry_id == "chat/contact":
            # what is published, "尚未公布" for the rest, and a person on offer: no silent handover
            t.say(qa.text, human)
            return
        if qa.intent == "answer" and qa.entry_id:
            if qa.entry_id.startswith("chat/"):
                self.chat_intent(qa.entry_id, in_form=in_form)
            else:
                flow = [] if in_form else buttons.flow(t.msg, qa.flow)
                if qa.other:  # the note in the text names this button, in a form too
                    flow.append(Button(qa.other_button, f"sug:{qa.other}"))
                t.say(qa.text, flow, entry_id=qa.entry_id)
            return
        if qa.intent == "suggest":
            # not sure: up to three entries and a person, never "不属于"
            top = qa.top[:3]
            t.store.log_review(scrub(qa.question), "suggested", scrub(qa.text), t.now, t.resident)
            t.state["suggestions"] = [c.id for c in top]
            t.say(qa.text, [Button(c.title, f"sug:{c.id}") for c in top] + human)
            return
        t.store.log_review(scrub(qa.question), "declined", scrub(qa.text), t.now, t.resident)
        if in_form:
            t.say(qa.text)
            return
        t.state["misunderstood"] = self.streak + 1
        if t.state["misunderstood"] >= MAX_MISUNDERSTOOD:
            t.state["misunderstood"] = 0
            t.say(t.msg("dialog.misunderstood"))
            t.part("handover").open("misunderstood")
            return
        t.say(qa.text, human)

    def _review_unhelpful(self, entry_id: str) -> None:
        """A 没用 rating keeps the question it answered (already scrubbed in ``recent``)."""
        t = self.t
        button_mark = t.msg("dialog.recent_button", payload="\0").split("\0")[0]  # 〔按钮 …〕
        asked = [
            str(r.get("text", ""))
            for r in t.state.get("recent", [])
            if r.get("from") == "resident"
            and not (button_mark and str(r.get("text", "")).startswith(button_mark))
        ]
        if asked:
            t.store.log_review(asked[-1], "unhelpful", f"answered {entry_id}", t.now, t.resident)

    def chat_intent(self, entry_id: str, *, in_form: bool) -> None:
        t = self.t
        loc = t.k.get(entry_id)
        reply = loc.entry.reply if loc is not None and isinstance(loc.entry, ChatIntent) else ""
        if entry_id == "chat/human":
            t.part("handover").open("requested")
        elif entry_id == "chat/status":
            t.part("status").show_status()
        elif entry_id == "chat/help":
            if in_form:
                t.say(reply or t.msg("dialog.help_in_form"))
            else:
                self.show_help()
        else:
            t.say(reply or t.msg("dialog.greeting"))

    def show_entry(self, entry_id: str) -> None:
        t = self.t
        loc = t.k.get(entry_id)
        if loc is None:
            t.say(t.msg("dialog.expired"))
            return
        in_form = t.mode in FORM_MODES
        if isinstance(loc.entry, ChatIntent):
            self.chat_intent(entry_id, in_form=in_form)
            return
        answer = compose(matcher_for(t.k), loc, loc.title)
        flow = [] if in_form else buttons.flow(t.msg, answer.flow)
        t.say(answer.text, flow, entry_id=answer.entry_id)

    def show_help(self) -> None:
        t = self.t
        loc = t.k.get("chat/help")
        text = loc.entry.reply if loc is not None and isinstance(loc.entry, ChatIntent) else ""
        t.say(text or t.k.chat.welcome, t.menu())

    def show_faq(self) -> None:
        t = self.t
        services = [loc for loc in t.k.entries() if loc.kind == "service"]
        faq = [Button(re.sub('[“”"]', "", loc.title), f"sug:{loc.id}") for loc in services[:10]]
        t.say(t.msg("dialog.faq"), faq)
