"""All fields answered: the summary, 确认 / 修改 <field> / 取消, and filing the request.

Owns mode ``confirm`` and the payloads ``confirm`` and ``edit[:<field>]`` there. Submission
files the request in the turn's transaction (idempotent per draft), owes the staff desk its
card and the resident the receipt (the form's ``receipt`` template, knowledge/forms/*.yaml).
"""

from __future__ import annotations

import string
from typing import Any

from bot import formflow as ff
from bot.dialog.turn import Capability
from bot.dialog.types import Button, RequestSubmitted
from bot.dialog.words import (
    BACK_WORDS,
    CANCEL_WORDS,
    CONFIRM_WORDS,
    EDIT,
    HELP_WORDS,
    HUMAN_WORDS,
    MENU_FORMS,
    MENU_WORDS,
    RESUME_WORDS,
    STATUS_WORDS,
    cn_date,
    find_reference,
)
from bot.formspec import Form
from bot.knowledge import Service
from bot.workdays import Deadline


class Confirmation(Capability):
    name = "confirm"
    modes = ("confirm",)

    def _buttons(self) -> list[Button]:
        msg = self.t.msg
        return [
            Button(msg("walk.btn_confirm"), "confirm"),
            Button(msg("walk.btn_edit"), "edit"),
            Button(msg("walk.btn_cancel"), "cancel"),
        ]

    def hint(self) -> None:
        """How to submit or change an answer (re-said after a side question)."""
        self.t.say(self.t.msg("walk.confirm_hint"), self._buttons())

    def show_summary(self) -> None:
        t = self.t
        form, draft = t.form(), t.draft
        assert form is not None and draft is not None
        t.mode = "confirm"
        draft["field"] = None
        draft["editing"] = False
        # Full values for the resident to check in their private chat; masked in the buffer
        # that staff see at a handover.
        text = ff.summary_text(form, draft["values"], draft["displays"], owner=True)
        masked = ff.summary_text(form, draft["values"], draft["displays"])
        t.say(text + "\n\n" + t.msg("walk.confirm_hint"), self._buttons(), masked=masked)

    def on_mode(self, text: str, payload: str | None) -> None:
        t = self.t
        walk = t.part("forms")
        form = t.form()
        assert form is not None
        if payload:
            if payload == "confirm":
                self.submit()
            elif payload == "edit" or payload.startswith("edit:"):
                self.edit_request(form, payload[5:], strict=False)
            elif payload in ("cancel", "discard"):
                walk.ask_cancel()
            elif payload == "back":
                walk.go_back()
            elif payload == "menu:human":
                t.part("handover").open("requested")
            elif payload in ("help", "resume"):
                walk.reprompt()
            elif payload in MENU_FORMS:
                t.say(t.msg("walk.not_submitted_yet", title=form.title))
                walk.reprompt()
            elif t.on_button(payload):
                if not payload.startswith("rate:"):
                    walk.reprompt()
            else:
                t.say(t.msg("dialog.expired"))
                walk.reprompt()
            return
        n = ff.norm(text)
        if n in CONFIRM_WORDS:
            self.submit()
        elif m := EDIT.match(n):
            self.edit_request(form, m.group(1), strict=False)
        elif n in CANCEL_WORDS:
            walk.ask_cancel()
        elif n in BACK_WORDS:
            walk.go_back()
        elif n in HUMAN_WORDS:
            t.part("handover").open("requested")
        elif n in STATUS_WORDS or find_reference(text):
            ref = find_reference(text)
            status = t.part("status")
            status.show_reference(ref) if ref else status.show_status()
            walk.reprompt()
        elif n in HELP_WORDS or n in RESUME_WORDS or n in MENU_WORDS or not n:
            walk.reprompt()
        else:
            qa = t.answer_question(text)
            if qa.intent != "decline":
                t.part("questions").handle_qa(qa, in_form=True)
            walk.reprompt()

    def edit_request(self, form: Form, query: str, *, strict: bool) -> bool:
        """修改 <field>: go to that field; with no or an unclear name, offer the fields as buttons.
        With `strict` (typed in the middle of a form) only a clear match counts, so a value that
        happens to start with 修改 is still taken as an answer."""
        t = self.t
        draft = t.draft
        assert draft is not None
        fields = ff.find_fields(form, draft["values"], query) if query else []
        editable = [f for f in fields if f.key in draft["values"]]  # only answered fields
        if len(editable) == 1:
            draft["editing"] = t.mode == "confirm" or bool(draft.get("editing"))
            t.part("forms").ask(editable[0])
            return True
        if strict:
            return False
        options = editable or [f for f in ff.applicable(form, draft["values"]) if f.key in draft["values"]]
        which = t.msg("walk.which_field")
        if query and not fields:
            which = t.msg("walk.field_not_found", query=query) + which
        t.say(which, [Button(ff.bare_label(f), f"edit:{f.key}") for f in options])
        return True

    def _applicant_type(self, prefix: str, data: dict[str, Any]) -> str | None:
        """The annual report's applicant column for a 政府信息公开 application (staff may
        correct it); None for other services."""
        catalogue = self.t.k.extras.get("outcomes")
        return catalogue.applicant_type(data) if prefix == "GK" and catalogue is not None else None

    def submit(self) -> None:
        t = self.t
        form, draft = t.form(), t.draft
        assert form is not None and draft is not None
        missing = ff.next_field(form, draft["values"])
        if missing is not None:
            t.part("forms").ask(missing, t.msg("walk.one_left"))
            return
        values = ff.answered(form, draft["values"])
        data: dict[str, Any] = {"form": form.id, "fields": values}
        calendar = t.calendar
        receipt = calendar.receipt_date(t.today)
        received = receipt.date
        due: Deadline | None = None
        archive = None
        if form.deadline_working_days:
            due = calendar.add_working_days(received, form.deadline_working_days)
        if ff.CHOICES_FROM.get((form.id, "archive")) == "archives" and values.get("archive"):
            archive = t.archives.find(values["archive"])
            if archive is not None:
                data["archive_id"] = archive.id
            own = archive.turnaround_working_days if archive else None
            days = own or t.archives.turnaround_working_days
            if days and due is None:
                due = calendar.add_working_days(received, days)
        if due is not None and receipt.provisional:
            due = Deadline(due.date, True)
        loc = t.k.get(form.service)
        office = loc.entry.office if loc is not None and isinstance(loc.entry, Service) else ""
        department = loc.department.name if loc is not None and loc.department else t.k.chat.office_name
        req = t.store.create_request(
            kind=form.kind,
            prefix=form.prefix,
            resident=t.resident,
            data=data,
            office=office or department,
            received=received,
            due=due.date if due else None,
            due_provisional=bool(due and due.provisional),
            now=t.now,
            idempotency_key=f"{t.resident}:{form.id}:{draft['draft']}",
            applicant_type=self._applicant_type(form.prefix, data),
        )
        t.events.append(RequestSubmitted(req.reference))
        t.owe_card(req.reference)
        received_text = cn_date(received)
        if received != t.today:
            received_text += t.msg("walk.received_non_working")
        due_text = due_note = ""
        if due is not None:
            due_text = cn_date(due.date)
            due_note = due.describe()[len(Deadline(due.date).describe()) :]
        shown = {f.key: ff.shown(f, values.get(f.key), draft["displays"].get(f.key)) for f in form.fields}
        common = {
            "pickup": t.archives.pickup_text(),
            "fee": t.archives.fee_text(),
            "department": department,
        }
        notes = [
            string.Formatter().vformat(note.text, (), _Fill({**shown, **common}))
            for note in form.receipt_notes
            if all(values.get(k) in ([w] if isinstance(w, str) else w) for k, w in note.when.items())
        ]
        fill = _Fill(
            {
                **shown,
                **common,
                "notes": "\n".join(notes),
                "reference": req.reference,
                "received": received_text,
                "due": due_text or t.msg("walk.due_unknown"),
                "due_note": due_note,
                "office": office or t.msg("walk.office_unknown"),
                "turnaround": t.archives.turnaround_text(archive),
                "title": form.title,
            }
        )
        text = string.Formatter().vformat(form.receipt, (), fill)
        text = "\n".join(line for line in text.split("\n") if line.strip())  # unused placeholders
        t.state["form"] = None
        t.mode = "idle"
        t.say_owed(text, [Button(t.msg("dialog.btn_status"), "status")], reference=req.reference)


class _Fill(dict):
    """Receipt placeholders; a field that did not apply is left blank rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""
