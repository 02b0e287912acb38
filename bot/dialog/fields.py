"""One answer to one field: validate it, explain a failure, take it, or answer a side question.

No mode of its own: the form walk (``bot.dialog.forms``) hands it the text typed while a field
is asked. Validators (``bot.validators``) say why a value is wrong; after MAX_FIELD_FAILURES
failures on one field the field is explained with an example and a person is offered.
"""

from __future__ import annotations

from bot import formflow as ff
from bot.dialog.turn import Capability
from bot.dialog.types import Button
from bot.dialog.words import MAX_FIELD_FAILURES, SKIP_WORDS
from bot.formspec import Form, FormField
from bot.sanitize import has_visible
from bot.text import ascii_int
from bot.validators import Invalid


class FieldAnswers(Capability):
    name = "fields"

    def answer(self, form: Form, field: FormField, text: str) -> None:
        t = self.t
        walk = t.part("forms")
        draft = t.draft
        assert draft is not None
        if field.optional and ff.norm(text) in SKIP_WORDS:
            self.accept(form, field, "", None)
            return
        choices = walk.offered_choices(form, field)
        if not field.choices and choices and (i := ascii_int(ff.norm(text))) is not None:
            if 1 <= i <= len(choices):
                text = choices[i - 1]
        offered = ff.offered(field, draft["values"]) if field.choices else []
        result = t.validate(
            field.validator,
            text,
            today=t.today,
            choices=offered or None,
            min_len=field.min_len,
            max_len=field.max_len,
            aliases={a: v for a, v in field.aliases.items() if v in offered} or None,
            min_value=field.min_value,
            max_value=field.max_value,
            kind=draft["values"].get(field.kind_from) if field.kind_from else None,
        )
        draft.pop("suggestion", None)
        if isinstance(result, Invalid) and self.number_for_kind(form, field, text):
            return
        if isinstance(result, Invalid):
            if ff.looks_like_question(text) and self.side_question(text):
                return
            if result.suggestion:
                label = result.suggestion_label or result.suggestion
                draft["suggestion"] = {"field": field.key, "value": result.suggestion, "label": label}
            self.fail(form, field, result.reason)
            return
        if ff.asks_question_in_text_field(field) and ff.looks_like_question(text):
            if self.side_question(text):
                return
            if ff.is_clear_question(text):
                t.say(t.msg("walk.cannot_answer"))
                walk.ask(field)
                return
            if field.personal:  # "地址怎么写" is not an address
                self.fail(form, field, t.msg("walk.fill_in_here", label=ff.bare_label(field)))
                return
        reason = ff.implausible(field, result.value)
        free_text = field.validator in ("text", "person_name")
        if not reason and free_text and result.value and not has_visible(result.value):
            reason = t.msg("walk.empty")  # only zero-width marks, bidi overrides or spaces
        if reason:
            self.fail(form, field, reason)
            return
        if ff.is_petition(form, field, text) and not draft.get("petition_warned"):
            draft["petition_warned"] = True
            cancel = Button(t.msg("walk.btn_cancel_application"), "cancel")
            t.say(form.petition_notice, [Button(t.msg("dialog.btn_human"), "menu:human"), cancel])
            return
        self.accept(form, field, result.value, result.display)

    def number_for_kind(self, form: Form, field: FormField, text: str) -> bool:
        """A document number typed where its type (证件类型) is asked: most residents just type
        their 居民身份证 number, so a number valid for the first type answers both fields."""
        t = self.t
        draft = t.draft
        assert draft is not None
        fields = ff.applicable(form, draft["values"])
        follower = next((f for f in fields if f.kind_from == field.key), None)
        if follower is None or not field.choices:
            return False
        kind = field.choices[0]
        result = t.validate(follower.validator, text, today=t.today, kind=kind)
        if isinstance(result, Invalid):
            return False
        draft["values"][field.key] = kind
        draft["history"] = [*(k for k in draft["history"] if k != field.key), field.key]
        self.accept(form, follower, result.value, result.display)
        return True

    def side_question(self, text: str) -> bool:
        """Answer a question asked in the middle of a form, then re-ask the field. False when
        the matcher has nothing for it (the text is then treated as an answer to the field)."""
        t = self.t
        qa = t.answer_question(text)
        if qa.intent == "decline":
            return False
        if qa.entry_id == "chat/human":
            t.part("handover").open("requested")
            return True
        t.part("questions").handle_qa(qa, in_form=True)
        t.part("forms").reprompt()
        return True

    def fail(self, form: Form, field: FormField, reason: str) -> None:
        t = self.t
        walk = t.part("forms")
        draft = t.draft
        assert draft is not None
        failures = draft["failures"]
        failures[field.key] = failures.get(field.key, 0) + 1
        if failures[field.key] >= MAX_FIELD_FAILURES:
            explain = ff.help_text(field, walk.offered_choices(form, field), t.today)
            t.say(t.msg("walk.hard_field", reason=reason, explain=explain), walk.help_buttons())
        else:
            t.say(reason)
        walk.ask(field)

    def accept(self, form: Form, field: FormField, value: str, display: str | None) -> None:
        t = self.t
        walk = t.part("forms")
        draft = t.draft
        assert draft is not None
        lead: list[str] = []
        if ff.CHOICES_FROM.get((form.id, field.key)) == "archives" and value:
            scope = t.archives.check_scope(value)
            if scope.kind in ("home", "outside"):
                # Not what 异地查档 covers: say where to go instead and ask again (or 取消).
                t.say(scope.notice, [Button(t.msg("walk.btn_cancel_filling"), "cancel")])
                walk.ask(field)
                return
            archive = scope.archive
            if archive is not None:
                value = archive.name
                if not archive.accepts_requests:
                    lead.append(t.msg("walk.archive_not_accepting", archive=archive.name))
            elif scope.notice:
                lead.append(scope.notice)
        draft["values"][field.key] = value
        for stale in ff.stale_choices(form, draft["values"]):
            # e.g. 电子邮件 delivery after the form changed to 纸质: asked again, never kept.
            draft["values"].pop(stale.key, None)
            lead.append(t.msg("walk.stale_choice", label=ff.bare_label(stale), changed=ff.bare_label(field)))
        if display and display != value and field.personal is None:
            draft["displays"][field.key] = display
        else:
            draft["displays"].pop(field.key, None)
        draft["failures"].pop(field.key, None)
        history = [k for k in draft["history"] if k != field.key]
        draft["history"] = [*history, field.key]
        notice = field.notices.get(value)
        if notice:
            lead.append(notice)
        editing = draft.get("editing")
        draft["editing"] = False
        upcoming = ff.next_field(form, draft["values"])
        if editing and upcoming is None:
            lead.insert(0, t.msg("walk.edited", label=ff.bare_label(field)))
        elif not editing:
            kept = ff.kept_between(form, draft["values"], field, upcoming)
            if kept:  # after 返回: later answers are kept, not asked again; say so
                lead.append(t.msg("walk.kept_after_back", labels=t.msg("dialog.list_separator").join(kept)))
        walk.advance("\n".join(lead))
