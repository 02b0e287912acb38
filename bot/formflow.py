"""Pure helpers for walking a guided form: which field comes next, how a value is shown, the summary.

No state, no store, no clock: the dialog engine (`bot.dialog`) owns the conversation and calls
these with the form definition and the values collected so far. Values are always the
validators' normalised values. Personal fields are shown in full only to their owner (the
resident's own summary in a private chat, so a typo can be seen); everywhere else masked.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import unicodedata
from collections.abc import Mapping

from bot.formspec import Form, FormField
from bot.masking import mask_address, mask_email, mask_id, mask_name, mask_phone, mask_uscc
from bot.text import ascii_int
from bot.validators import example_dates

#: Shown in a summary for an optional field the resident skipped.
NOT_FILLED = "（未填写）"

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


def request_name(forms: Mapping[str, Form], kind: str) -> str:
    """What a resident calls a request of `kind` in a message: its form's title
    (政府信息公开申请, 异地查档申请), so every service is worded the same way."""
    for form in forms.values():
        if form.kind == kind:
            return form.title
    return kind if kind.endswith(("申请", "预约", "咨询")) else f"{kind}申请"


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


def shown(field: FormField, value: str | None, display: str | None = None, *, owner: bool = False) -> str:
    """How a stored value appears: masked if personal (unless shown to its `owner`), friendly
    display if any."""
    if value is None or value == "":
        return NOT_FILLED
    if field.personal is not None:
        return value if owner else masked(field, value)
    return display or value


def bare_label(field: FormField) -> str:
    return re.sub(r"[（(][^）)]*[）)]$", "", field.label).strip()


def summary_lines(
    form: Form, values: Mapping[str, str], displays: Mapping[str, str], *, owner: bool = False
) -> list[str]:
    lines = []
    for i, f in enumerate(applicable(form, values), 1):
        lines.append(f"{i}. {bare_label(f)}：{shown(f, values.get(f.key), displays.get(f.key), owner=owner)}")
    return lines


def summary_text(
    form: Form, values: Mapping[str, str], displays: Mapping[str, str], *, owner: bool = False
) -> str:
    """The summary; `owner=True` for the resident's own private chat (full values to check)."""
    return "\n".join([form.summary, *summary_lines(form, values, displays, owner=owner)])


def render(text: str, today: dt.date) -> str:
    """A prompt, help or example with its date placeholders ({example_date}) filled from today."""
    if "{" not in text:
        return text
    fill = example_dates(today)
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


def implausible(field: FormField, value: str) -> str | None:
    """A reason to refuse a value the validator let through but that cannot be what was asked:
    a person's name with digits or an e-mail sign in it (a phone number or a whole sentence)."""
    if field.personal == "name" and re.search(r"[0-9@＠０-９]", value):
        return f"{bare_label(field)}中不应包含数字或符号，请只填写姓名。"
    return None


def asks_question_in_text_field(field: FormField) -> bool:
    """Short free-text fields (names, places) may be interrupted by a question; long
    descriptions are taken as typed, since a description may itself be phrased as a question."""
    return field.validator == "text" and (field.max_len or 500) <= 120


_DEFAULT_HELP = {
    "resident_id": "请输入18位居民身份证号码，最后一位可能是X。",
    "uscc": "统一社会信用代码共18位，由数字和大写字母组成，印在营业执照上。",
    "mobile": "请输入11位手机号码，可以带空格或+86。",
    "contact": "手机号码、带区号的固定电话（如0319-7123456）或电子邮箱都可以。",
    "person_name": "请只填写姓名，例如“陈明”。",
    "identity_document": "请输入所选证件上的号码。",
    "phone": "请输入11位手机号码，或带区号的固定电话，例如0319-1234567。",
    "email": "请输入电子邮箱地址，例如 zhangsan@example.com。",
    "choice": "请从选项中选择一项，可以直接回复序号。",
    "year_range": "请输入年份或年份范围，例如 1985 或 1985-1990。",
    "date_range": "请输入日期或日期范围，例如 {example_date} 或 {example_range}。",
    "positive_int": "请输入一个整数，例如 300。",
    "text": "请用文字填写。",
}


def help_text(field: FormField, choices: list[str] | None = None, today: dt.date | None = None) -> str:
    """What `帮助` says about a field: its help (or a generic one), the options and an example."""
    today = today or dt.date.today()
    helptext = render(field.help or _DEFAULT_HELP.get(field.validator, ""), today)
    lines = [f"【{bare_label(field)}】{helptext}"]
    if choices:
        lines.append("可选：" + "；".join(f"{i}. {c}" for i, c in enumerate(choices, 1)))
    if field.example:
        lines.append(f"示例：{render(field.example, today)}")
    if field.optional:
        lines.append("这一项可以不填，回复“跳过”即可。")
    return "\n".join(lines)
