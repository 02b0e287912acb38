"""草稿: a form left half-filled is offered back (继续填写 / 放弃草稿).

Owns mode ``offer`` and, on every turn, the check that a draft left idle for DRAFT_IDLE is
offered back before anything else. State: ``after_offer`` (a form to start once the old draft is discarded).
"""

from __future__ import annotations

from bot import formflow as ff
from bot.dialog.turn import Capability
from bot.dialog.types import Button
from bot.dialog.words import DISCARD_WORDS, FORM_MODES, RESUME_WORDS


class Drafts(Capability):
    name = "drafts"
    modes = ("offer",)

    def intercept(self, text: str, payload: str | None) -> bool:
        t = self.t
        if t.draft and t.mode in FORM_MODES and t.stale():
            self.offer()
            return True
        return False

    def offer(self, after: str | None = None) -> None:
        t = self.t
        form, draft = t.form(), t.draft
        if form is None or draft is None:
            return
        t.mode = "offer"
        t.state["after_offer"] = after
        n = ff.count_filled(form, draft["values"])
        t.say(
            t.msg("dialog.draft_offer", title=form.title, filled=n),
            [Button(t.msg("dialog.btn_resume"), "resume"), Button(t.msg("dialog.btn_discard"), "discard")],
        )

    def on_mode(self, text: str, payload: str | None) -> None:
        t = self.t
        n = ff.norm(text)
        if payload == "resume" or (not payload and n in RESUME_WORDS):
            self.resume()
        elif payload == "discard" or (not payload and n in DISCARD_WORDS):
            self.discard()
        else:
            # Not answered: the draft stays parked and the message is handled as usual.
            t.state["after_offer"] = None
            t.mode = "idle"
            t.dispatch(text, payload)

    def resume(self) -> None:
        t = self.t
        t.state["after_offer"] = None
        form, draft = t.form(), t.draft
        if form is None or draft is None:
            t.mode = "idle"
            t.say(t.msg("dialog.no_draft"), t.menu())
            return
        t.say(t.msg("dialog.draft_resumed", title=form.title))
        t.part("forms").reprompt()

    def discard(self) -> None:
        t = self.t
        after = t.state.get("after_offer")
        t.state["form"] = None
        t.state["after_offer"] = None
        t.mode = "idle"
        t.say(t.msg("dialog.draft_discarded"))
        if after:
            t.part("forms").start_form(after)
        else:
            t.say(t.msg("dialog.choose_below"), t.menu())
