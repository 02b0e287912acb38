"""Pure helpers for walking a guided form: which field comes next, how a value is shown, the summary.

No state, no store, no clock: the dialog engine (`bot.dialog`) owns the conversation and calls
these with the form definition and the values collected so far. Values are always the
validators' normalised values. Personal fields are shown in full only to their owner (the
resident's own summary in a private chat, so a typo can be seen); everywhere else masked.

Sentences come from the message catalogue (knowledge/messages/forms.yaml): functions that say
something take an optional ``msgs`` (the catalogue of the knowledge in use; bundled wording
without it), like the validators.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import unicodedata
from collections.abc import Callable, Mapping

from bot.formspec import Form, FormField
from bot.masking import mask_address, mask_email, mask_id, mask_name, mask_phone, mask_uscc
from bot.messages import Catalogue
from bot.text import ascii_int
from bot.validators import example_dates, or_bundled

#: Fields whose buttons come from a knowledge file rather than the form's own choices.
#: (form id, field key) -> extras name; the engine fills in the names.
CHOICES_FROM: dict[tuple[str, str], str] = {("archive_lookup", "archive"): "archives"}

#: The free-text field checked for complaint/petition wording (条例 Art. 39).
PETITION_FIELD = "description"

_MASKERS = {
    "name": mask_name,
    "id": mask_id,
    "phone": mask_phone,
    "address": mask_address,
    "email": mask_email,
    "uscc": mask_uscc,
    "contact": lambda v: mask_email(v) if "@" in v else mask_phone(v),
}

_PUNCT = "。.!！?？~～，,、;；:：…\"'“”‘’()（）[]【】<>《》"


#: Kinds already named like a request are used as they are (matched, not shown on their own).
_REQUEST_SUFFIXES = ("申请", "预约", "咨询")


def request_name(forms: Mapping[str, Form], kind: str, msgs: Catalogue | None = None) -> str:
    """What a resident calls a request of `kind` in a message: its form's title
    (政府信息公开申请, 异地查档申请), so every service is worded the same way."""
    for form in forms.values():
        if form.kind == kind:
            return form.title
    if kind.endswith(_REQUEST_SUFFIXES):
        return kind
    return or_bundled(msgs).text("forms.request_name", kind=kind)


def norm(text: str) -> str:
    """Command key: width folded, spaces and surrounding punctuation removed, lower-case."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(folded.split()).strip(_PUNCT)


def applicable(form: Form, values: Mapping[str, str]) -> list[FormField]:
    """The fields this resident is asked, given earlier answers (`when` conditions)."""
    return [f for f in form.fields if f.applies(dict(values))]


def next_field(form: Form, values: Mapping[str, str]) -> FormField | None:
    """First applicable field without an answer; None when the form is complete."""
    return next((f for f in applicable(form, values) if f.key not in values), None)


def answered(form: Form, values: Mapping[str, str]) -> dict[str, str]:
    """Only the answers that apply (a changed choice may make an earlier answer irrelevant)."""
    return {f.key: values[f.key] for f in applicable(form, values) if f.key in values}


def count_filled(form: Form, values: Mapping[str, str]) -> int:
    return sum(1 for v in answered(form, values).values() if v != "")


def masked(field: FormField, value: str) -> str:
    """The value as anyone but the handling staff may see it."""
    if field.personal is None or not value:
        return value
    return _MASKERS[field.personal](value)


def not_filled(msgs: Catalogue | None = None) -> str:
    """Shown in a summary for an optional field the resident skipped."""
    return or_bundled(msgs).text("forms.not_filled")


def shown(
    field: FormField,
    value: str | None,
    display: str | None = None,
    *,
    owner: bool = False,
    msgs: Catalogue | None = None,
) -> str:
    """How a stored value appears: masked if personal (unless shown to its `owner`), friendly
    display if any."""
    if value is None or value == "":
        return not_filled(msgs)
    if field.personal is not None:
        return value if owner else masked(field, value)
    return display or value


def bare_label(field: FormField) -> str:
    return re.sub(r"[（(][^）)]*[）)]$", "", field.label).strip()


def summary_lines(
    form: Form,
    values: Mapping[str, str],
    displays: Mapping[str, str],
    *,
    owner: bool = False,
    msgs: Catalogue | None = None,
) -> list[str]:
    lines = []
    for i, f in enumerate(applicable(form, values), 1):
        value = shown(f, values.get(f.key), displays.get(f.key), owner=owner, msgs=msgs)
        lines.append(f"{i}. {bare_label(f)}：{value}")
    return lines


def summary_text(
    form: Form,
    values: Mapping[str, str],
    displays: Mapping[str, str],
    *,
    owner: bool = False,
    msgs: Catalogue | None = None,
) -> str:
    """The summary; `owner=True` for the resident's own private chat (full values to check)."""
    return "\n".join([form.summary, *summary_lines(form, values, displays, owner=owner, msgs=msgs)])


def render(text: str, today: dt.date, msgs: Catalogue | None = None) -> str:
    """A prompt, help or example with its date placeholders ({example_date}) filled from today."""
    if "{" not in text:
        return text
    fill = example_dates(today, msgs=msgs)
    return "".join(
        literal + (fill.get(name, "{" + name + "}") if name is not None else "")
        for literal, name, _, _ in string.Formatter().parse(text)
    )


def offered(field: FormField, values: Mapping[str, str]) -> list[str]:
    """The field's own choices that apply given earlier answers."""
    return field.choices_for(dict(values))


def stale_choices(form: Form, values: Mapping[str, str]) -> list[FormField]:
    """Answered choice fields whose answer is no longer offered (纸质 chosen after 电子邮件)."""
    return [
        f
        for f in applicable(form, values)
        if f.choices_when and f.key in values and values[f.key] not in offered(f, values)
    ]


def kept_between(
    form: Form, values: Mapping[str, str], done: FormField, upcoming: FormField | None
) -> list[str]:
    """Labels of answered fields skipped over after going back: between `done` and the next
    field asked (or the end), so the resident is told they were kept rather than lost."""
    fields = applicable(form, values)
    keys = [f.key for f in fields]
    if done.key not in keys:
        return []
    start = keys.index(done.key) + 1
    end = keys.index(upcoming.key) if upcoming is not None and upcoming.key in keys else len(keys)
    return [bare_label(f) for f in fields[start:end] if f.key in values]


def find_fields(form: Form, values: Mapping[str, str], query: str) -> list[FormField]:
    """Fields a resident means by "修改 <query>": number in the summary, label, key, or part of a label."""
    fields = applicable(form, values)
    q = norm(query)
    if not q:
        return []
    if q.isdigit():  # '²' or '፩' too: a number only if ASCII, otherwise matches no label
        i = ascii_int(q) or 0
        return [fields[i - 1]] if 1 <= i <= len(fields) else []
    exact = [f for f in fields if q in (norm(f.label), norm(bare_label(f)), f.key)]
    if exact:
        return exact
    inside = [f for f in fields if q in norm(f.label)]
    if inside:
        return inside
    return [f for f in fields if norm(bare_label(f)) in q]


def is_petition(form: Form, field: FormField, text: str) -> bool:
    """A description that reads as a complaint, report or petition rather than a request for a document."""
    if field.key != PETITION_FIELD or not form.petition_words:
        return False
    return any(word in text for word in form.petition_words)


_QUESTION = re.compile(
    r"[?？]\s*$|吗[。！!]*$|呢[。！!]*$|在哪|哪[。！!]*$|什么|怎么|怎样|如何|多久|多长时间|多少|哪里|哪个|哪些|哪儿|哪天|"
    r"为什么|为啥|能不能|可不可以|是否|是不是|有没有|几天|几个工作日|咋"
)


def looks_like_question(text: str) -> bool:
    """True when the text reads as a question rather than an answer to a form field."""
    return bool(_QUESTION.search(unicodedata.normalize("NFKC", text or "")))


def is_clear_question(text: str) -> bool:
    """Ends like a question (？, 吗, 呢): never taken as the answer to a field."""
    return bool(re.search(r"([?？]|吗|呢)[。！!]*$", unicodedata.normalize("NFKC", text or "").strip()))


def implausible(field: FormField, value: str, msgs: Catalogue | None = None) -> str | None:
    """A reason to refuse a value the validator let through but that cannot be what was asked:
    a person's name with digits or an e-mail sign in it (a phone number or a whole sentence)."""
    if field.personal == "name" and re.search(r"[0-9@＠０-９]", value):
        return or_bundled(msgs).text("forms.name_field_has_digits", label=bare_label(field))
    return None


def asks_question_in_text_field(field: FormField) -> bool:
    """Short free-text fields (names, places) may be interrupted by a question; long
    descriptions are taken as typed, since a description may itself be phrased as a question."""
    return field.validator == "text" and (field.max_len or 500) <= 120


def default_help(validator: str, today: dt.date, msgs: Catalogue | None = None) -> str:
    """What `帮助` says about a field whose form gives no help of its own ("" for none)."""
    m = or_bundled(msgs)
    ex = example_dates(today, msgs=m)
    helps: dict[str, Callable[[], str]] = {
        "resident_id": lambda: m.text("forms.help_resident_id"),
        "uscc": lambda: m.text("forms.help_uscc"),
        "mobile": lambda: m.text("forms.help_mobile"),
        "contact": lambda: m.text("forms.help_contact"),
        "person_name": lambda: m.text("forms.help_person_name"),
        "identity_document": lambda: m.text("forms.help_identity_document"),
        "phone": lambda: m.text("forms.help_phone"),
        "email": lambda: m.text("forms.help_email"),
        "choice": lambda: m.text("forms.help_choice"),
        "year_range": lambda: m.text("forms.help_year_range"),
        "date_range": lambda: m.text(
            "forms.help_date_range", example_date=ex["example_date"], example_range=ex["example_range"]
        ),
        "positive_int": lambda: m.text("forms.help_positive_int"),
        "text": lambda: m.text("forms.help_text"),
    }
    say = helps.get(validator)
    return say() if say is not None else ""


def help_text(
    field: FormField,
    choices: list[str] | None = None,
    today: dt.date | None = None,
    msgs: Catalogue | None = None,
) -> str:
    """What `帮助` says about a field: its help (or a generic one), the options and an example."""
    today = today or dt.date.today()
    m = or_bundled(msgs)
    helptext = render(field.help, today, m) if field.help else default_help(field.validator, today, m)
    lines = [f"【{bare_label(field)}】{helptext}"]
    if choices:
        listing = "；".join(f"{i}. {c}" for i, c in enumerate(choices, 1))
        lines.append(m.text("forms.help_choices", choices=listing))
    if field.example:
        lines.append(m.text("forms.help_example", example=render(field.example, today, m)))
    if field.optional:
        lines.append(m.text("forms.help_optional"))
    return "\n".join(lines)
