"""Data rights: 我的数据 (/mydata) shows what is kept, 删除我的数据 (/forget) erases it.

Available in every mode. Owns mode ``confirm_forget`` ("really delete my data?") and the
payloads ``mydata``, ``forget``, ``forget:yes|no``. Forgetting deletes the session (draft,
recent conversation), subscriptions and answer ratings and erases the personal content of
submitted requests, which stay as the office's record (see ``Store.forget_resident``); the
turn is then marked ``forgotten`` and its state is not saved again.
State: ``forget_return`` (the mode to go back to when the resident says no).
"""

from __future__ import annotations

from typing import Any

from bot import formflow as ff
from bot.dialog.turn import Capability
from bot.dialog.types import Button
from bot.dialog.words import (
    FORGET_NO_WORDS,
    FORGET_WORDS,
    FORGET_YES_WORDS,
    FORM_MODES,
    HANDOVER_KIND,
    MYDATA_WORDS,
)
from bot.formspec import FormField
from bot.masking import scrub

#: Requests listed in full on 我的数据; older ones are counted.
SHOWN = 20
#: Longest value shown for a field that is not personal data.
VALUE_CHARS = 60


class Rights(Capability):
    name = "rights"
    modes = ("confirm_forget",)

    def intercept(self, text: str, payload: str | None) -> bool:
        return self.t.mode != "confirm_forget" and self.data_rights(text, payload)

    def data_rights(self, text: str, payload: str | None) -> bool:
        """我的数据 / 删除我的数据 (and their buttons) in any mode; True when handled."""
        t = self.t
        if payload:
            if payload == "mydata":
                self.show_my_data()
            elif payload == "forget":
                self.ask_forget()
            elif payload in ("forget:yes", "forget:no"):
                # Only answers the question while it is being asked: an old button never deletes.
                t.say(t.msg("rights.expired"))
                if t.mode in FORM_MODES:
                    t.part("forms").reprompt()
            else:
                return False
            return True
        n = ff.norm(text)
        if n in MYDATA_WORDS:
            self.show_my_data()
        elif n in FORGET_WORDS:
            self.ask_forget()
        else:
            return False
        return True

    # ------------------------------------------------------------------ 我的数据

    def show_my_data(self) -> None:
        """What the store keeps about this resident (``Store.resident_data``): in full to its
        owner, so a typo can be seen and corrected; masked in anything kept or seen by others."""
        t = self.t
        full, masked = self._my_data_text(owner=True), self._my_data_text(owner=False)
        t.say(full, [Button(t.msg("rights.btn_forget"), "forget")], masked=masked)
        if t.mode in FORM_MODES:
            t.part("forms").reprompt()

    def _my_data_text(self, *, owner: bool) -> str:
        t = self.t
        msg = t.msg
        data = t.store.resident_data(t.resident)
        # The session on disk is the state before this turn; the draft is the same object.
        lines = [msg("rights.mydata_head"), ""]
        form, draft = t.form(), t.draft
        if form is not None and draft is not None:
            filled = ff.count_filled(form, draft["values"])
            lines.append(msg("rights.mydata_draft", title=form.title, filled=filled))
            for f in ff.applicable(form, draft["values"]):
                if f.key in draft["values"]:
                    value = self._my_value(f, draft["values"][f.key], owner)
                    lines.append(msg("rights.mydata_field", label=ff.bare_label(f), value=value))
        else:
            lines.append(msg("rights.mydata_no_draft"))
        recent = [item for item in t.state.get("recent") or [] if item.get("from") == "resident"]
        if recent:
            lines.append(msg("rights.mydata_recent", count=len(t.state["recent"])))
        requests = data.get("requests") or []
        lines.append("")
        if requests:
            lines.append(msg("rights.mydata_requests", count=len(requests)))
            for req in requests[:SHOWN]:
                item = msg(
                    "dialog.status_item", reference=req["reference"], kind=req["kind"], status=req["status"]
                )
                lines.append(item)
                lines += self._my_request_lines(req, owner)
            if len(requests) > SHOWN:
                lines.append(msg("rights.mydata_more", count=len(requests) - SHOWN))
        else:
            lines.append(msg("rights.mydata_no_requests"))
        subs = [t.part("subscriptions").topic_name(topic) for topic in data.get("subscriptions") or []]
        lines.append("")
        lines.append(
            msg(
                "rights.mydata_subscriptions",
                topics=msg("dialog.list_separator").join(subs) or msg("rights.none"),
            )
        )
        votes = data.get("ratings") or []
        if votes:
            up = sum(1 for v in votes if v.get("value") == "up")
            lines.append(msg("rights.mydata_ratings", count=len(votes), up=up, down=len(votes) - up))
        else:
            lines.append(msg("rights.mydata_no_ratings"))
        lines.append("")
        lines.append(msg("rights.mydata_tail"))
        return "\n".join(lines)

    def _my_value(self, field: FormField, value: str, owner: bool) -> str:
        if field.personal is not None:
            return ff.shown(field, value, owner=owner)
        text = scrub(str(value)).replace("\n", " ")
        return text if len(text) <= VALUE_CHARS else text[:VALUE_CHARS] + "……"

    def _my_request_lines(self, req: dict[str, Any], owner: bool) -> list[str]:
        msg = self.t.msg
        if req.get("forgotten"):
            return [msg("rights.mydata_request_forgotten")]
        data = req.get("data") or {}
        if req["kind"] == HANDOVER_KIND:
            return [msg("rights.mydata_request_handover")]
        form = self.t.forms.get(str(data.get("form")))
        values = data.get("fields") or {}
        lines = []
        for key, value in values.items():
            if value in (None, ""):
                continue
            field = form.field(key) if form is not None else None
            if field is None:
                lines.append(msg("rights.mydata_field", label=key, value=scrub(str(value))[:VALUE_CHARS]))
            else:
                lines.append(
                    msg(
                        "rights.mydata_field",
                        label=ff.bare_label(field),
                        value=self._my_value(field, str(value), owner),
                    )
                )
        return lines

    # ------------------------------------------------------------------ 删除我的数据

    def ask_forget(self) -> None:
        t = self.t
        if t.mode != "confirm_forget":
            t.state["forget_return"] = t.mode
        t.mode = "confirm_forget"
        kept = [r for r in t.store.requests_for(t.resident) if not r.forgotten]
        lines = [t.msg("rights.forget_ask"), t.msg("rights.forget_ask_deleted")]
        if kept:
            lines.append(t.msg("rights.forget_ask_kept", count=len(kept)))
        t.say(
            "\n".join(lines),
            [Button(t.msg("rights.btn_yes"), "forget:yes"), Button(t.msg("rights.btn_no"), "forget:no")],
        )

    def on_mode(self, text: str, payload: str | None) -> None:
        t = self.t
        n = ff.norm(text)
        back_to = t.state.get("forget_return") or "idle"
        if payload == "forget:yes" or (not payload and n in FORGET_YES_WORDS):
            self.forget()
            return
        if payload == "forget" or (not payload and n in FORGET_WORDS):
            self.ask_forget()
            return
        t.state["forget_return"] = None
        t.mode = back_to
        if payload == "forget:no" or (not payload and n in FORGET_NO_WORDS):
            t.say(t.msg("rights.kept"))
            if t.mode in FORM_MODES:
                t.part("forms").reprompt()
            elif t.mode == "human":
                t.part("handover").remind()
            return
        # Anything else: the resident carried on; not a yes, so nothing is deleted.
        if self.data_rights(text, payload):
            return
        t.dispatch(text, payload)

    def forget(self) -> None:
        t = self.t
        result = t.store.forget_resident(t.resident, t.now)
        t.forgotten = True
        lines = [t.msg("rights.forgotten")]
        if result.kept_requests:
            refs = t.msg("dialog.list_separator").join(result.kept_requests)
            lines.append(t.msg("rights.forgotten_kept", references=refs))
        lines.append(t.msg("rights.forgotten_tail"))
        t.say("\n".join(lines), t.menu())
