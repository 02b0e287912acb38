"""The form walk: starting a form, asking each field, 返回/帮助/取消, re-asking after a detour.

Owns modes ``form`` (a field is being asked: ``state["form"]["field"]``) and
``confirm_cancel`` ("really cancel?"), the payloads ``pick:<n>``, ``suggest``, ``skip``,
``back``, ``edit[:<field>]``, ``cancel[:yes|no]`` inside a form, and, on every turn, dropping
a draft whose form was removed from the knowledge. Checking an answer is
``bot.dialog.fields``; the summary, 修改 and submission are ``bot.dialog.confirm``.
A draft (``state["form"]``) lives independently of the mode, so it survives a handover or a
question; it is "parked" until the resident resumes or discards it (``bot.dialog.drafts``).
"""

from __future__ import annotations

import uuid

from bot import formflow as ff
from bot.dialog import buttons
from bot.dialog.turn import Capability
from bot.dialog.types import Button
from bot.dialog.words import (
    BACK_WORDS,
    CANCEL_WORDS,
    EDIT,
    FORM_MODES,
    FORM_START_WORDS,
    HELP_WORDS,
    HUMAN_WORDS,
    MENU_FORMS,
    MENU_WORDS,
    NO_WORDS,
    RESUME_WORDS,
    STATUS_WORDS,
    YES_WORDS,
    find_reference,
)
from bot.formspec import Form, FormField
from bot.text import ascii_int


class FormWalk(Capability):
    name = "forms"
    modes = ("form", "confirm_cancel")

    def intercept(self, text: str, payload: str | None) -> bool:
        """The form was removed from the knowledge since the draft began: drop the draft."""
        t = self.t
        if not t.draft or t.form() is not None:
            return False
        t.state["form"] = None
        if t.mode in (*FORM_MODES, "offer"):
            t.mode = "idle"
            t.say(t.msg("dialog.draft_form_withdrawn"), t.menu())
            return True
        return False

    # ------------------------------------------------------------------ start and ask

    def start_form(self, form_id: str) -> None:
        t = self.t
        form = t.forms.get(form_id)
        if form is None:
            t.say(t.msg("walk.unavailable"))
            return
        if t.draft:
            t.part("drafts").offer(after=form_id)
            return
        t.state["form"] = {
            "id": form.id,
            "draft": uuid.uuid4().hex[:12],
            "values": {},
            "displays": {},
            "field": None,
            "history": [],
            "failures": {},
            "editing": False,
            "petition_warned": False,
        }
        if form.intro:
            t.say(form.intro)
        self.advance()

    def offered_choices(self, form: Form, field: FormField) -> list[str]:
        draft = self.t.draft
        if field.choices:
            return ff.offered(field, draft["values"] if draft else {})
        source = ff.CHOICES_FROM.get((form.id, field.key))
        if source == "archives":
            return self.t.archives.choices()
        return []

    def ask(self, field: FormField, lead: str = "") -> None:
        t = self.t
        form, draft = t.form(), t.draft
        assert form is not None and draft is not None
        t.mode = "form"
        draft["field"] = field.key
        text = masked = ff.render(field.prompt, t.today)
        value = draft["values"].get(field.key)
        if value:
            # The resident's own value in their private chat: in full, so a typo can be seen;
            # masked in the recent-conversation buffer staff see at a handover.
            display = draft["displays"].get(field.key)
            text += "\n" + t.msg("walk.current_value", value=ff.shown(field, value, display, owner=True))
            masked += "\n" + t.msg("walk.current_value", value=ff.shown(field, value, display))
        choices = self.offered_choices(form, field)
        shown = [Button(c, f"pick:{i}") for i, c in enumerate(choices, 1)]
        suggestion = draft.get("suggestion") or {}
        if suggestion.get("field") == field.key:
            shown.insert(0, Button(suggestion["label"], "suggest"))
        if field.optional:
            shown.append(Button(t.msg("walk.btn_skip"), "skip"))
        t.say(
            f"{lead}\n{text}" if lead else text,
            shown,
            masked=(f"{lead}\n{masked}" if lead else masked) if masked != text else None,
        )

    def advance(self, lead: str = "") -> None:
        """Ask the first unanswered field, or show the summary when everything is answered."""
        t = self.t
        form, draft = t.form(), t.draft
        assert form is not None and draft is not None
        nxt = ff.next_field(form, draft["values"])
        if nxt is None:
            if lead:
                t.say(lead)
            t.part("confirm").show_summary()
        else:
            self.ask(nxt, lead)

    def reprompt(self) -> None:
        """Re-ask whatever is pending after a side question, so progress is never lost."""
        t = self.t
        if t.form() is None or t.draft is None:
            return
        if t.mode == "confirm":
            t.part("confirm").hint()
            return
        field = t.current_field()
        if field is None:
            self.advance()
        else:
            self.ask(field)

    def busy(self, form: Form) -> None:
        """Another service asked for in the middle of a form."""
        self.t.say(self.t.msg("walk.busy_with_form", title=form.title))
        self.reprompt()

    # ------------------------------------------------------------------ mode form

    def on_mode(self, text: str, payload: str | None) -> None:
        t = self.t
        if t.mode == "confirm_cancel":
            self.on_confirm_cancel(text, payload)
            return
        form, draft = t.form(), t.draft
        field = t.current_field()
        if form is None or draft is None:
            t.mode = "idle"
            t.dispatch(text, payload)
            return
        if field is None:
            self.advance()
            return
        if payload:
            self.form_payload(form, field, payload)
            return
        n = ff.norm(text)
        if n in CANCEL_WORDS:
            self.ask_cancel()
        elif n in BACK_WORDS:
            self.go_back()
        elif n in HELP_WORDS:
            self.field_help(form, field)
        elif n in HUMAN_WORDS:
            t.part("handover").open("requested")
        elif n in STATUS_WORDS or (find_reference(text) and len(n) <= 20):
            ref = find_reference(text)
            status = t.part("status")
            status.show_reference(ref) if ref else status.show_status()
            self.reprompt()
        elif n in FORM_START_WORDS or n in MENU_WORDS:
            self.busy(form)
        elif n in RESUME_WORDS:
            self.reprompt()
        elif (m := EDIT.match(n)) and t.part("confirm").edit_request(form, m.group(1), strict=True):
            return
        else:
            t.part("fields").answer(form, field, text)

    def form_payload(self, form: Form, field: FormField, payload: str) -> None:
        t = self.t
        answers = t.part("fields")
        if payload.startswith("pick:"):
            choices = self.offered_choices(form, field)
            i = ascii_int(payload[5:]) or 0
            if 1 <= i <= len(choices):
                answers.answer(form, field, choices[i - 1])
            else:
                t.say(t.msg("dialog.expired"))
                self.reprompt()
        elif payload == "suggest":
            suggestion = (t.draft or {}).get("suggestion") or {}
            if suggestion.get("field") == field.key:
                answers.answer(form, field, suggestion["value"])
            else:
                t.say(t.msg("dialog.expired"))
                self.reprompt()
        elif payload == "skip":
            if field.optional:
                answers.accept(form, field, "", None)
            else:
                t.say(t.msg("walk.required"))
                self.reprompt()
        elif payload in ("cancel", "discard"):
            self.ask_cancel()
        elif payload == "back":
            self.go_back()
        elif payload == "help":
            self.field_help(form, field)
        elif payload == "edit" or payload.startswith("edit:"):
            t.part("confirm").edit_request(form, payload[5:], strict=False)
        elif payload == "resume":
            self.reprompt()
        elif payload == "menu:human":
            t.part("handover").open("requested")
        elif payload == "confirm":
            t.say(t.msg("walk.unfilled_left"))
            self.reprompt()
        elif payload in MENU_FORMS:
            self.busy(form)
        elif t.on_button(payload):
            if not payload.startswith("rate:"):
                self.reprompt()
        else:
            t.say(t.msg("dialog.expired"))
            self.reprompt()

    def field_help(self, form: Form, field: FormField) -> None:
        self.t.say(ff.help_text(field, self.offered_choices(form, field), self.t.today))
        self.ask(field)

    def go_back(self) -> None:
        t = self.t
        form, draft = t.form(), t.draft
        assert form is not None and draft is not None
        if draft.get("editing"):
            draft["editing"] = False
            t.part("confirm").show_summary()
            return
        current = draft.get("field") if t.mode == "form" else None
        history = [k for k in draft["history"] if k != current]
        while history:
            key = history.pop()
            field = form.field(key)
            if field is not None and field.applies(draft["values"]):
                draft["history"] = history
                self.ask(field)
                return
        draft["history"] = []
        t.say(t.msg("walk.first_field"))
        self.reprompt()

    # ------------------------------------------------------------------ 取消

    def _title(self) -> str:
        form = self.t.form()
        return form.title if form else self.t.msg("walk.untitled")

    def ask_cancel(self) -> None:
        t = self.t
        t.state["cancel_return"] = t.mode if t.mode in ("form", "confirm") else "form"
        t.mode = "confirm_cancel"
        t.say(
            t.msg("walk.cancel_ask", title=self._title()),
            [
                Button(t.msg("walk.btn_cancel_yes"), "cancel:yes"),
                Button(t.msg("walk.btn_cancel_no"), "cancel:no"),
            ],
        )

    def on_confirm_cancel(self, text: str, payload: str | None) -> None:
        t = self.t
        n = ff.norm(text)
        back_to = t.state.get("cancel_return") or "form"
        if payload == "cancel:yes" or (not payload and n in YES_WORDS):
            title = self._title()
            t.state["form"] = None
            t.mode = "idle"
            t.say(t.msg("walk.cancelled", title=title), t.menu())
            return
        t.mode = back_to
        if payload == "cancel:no" or (not payload and n in NO_WORDS):
            t.say(t.msg("walk.continue"))
            self.reprompt()
            return
        # Anything else: the resident carried on instead of answering; treat it as "no".
        t.dispatch(text, payload)

    def help_buttons(self) -> list[Button]:
        """A person or giving up, offered when a field is hard to fill in."""
        return [buttons.human(self.t.msg), Button(self.t.msg("walk.btn_cancel_filling"), "cancel")]
