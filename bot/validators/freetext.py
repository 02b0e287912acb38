"""Free text and people's names: kept as typed, refused when empty, too long or a sentence."""

from __future__ import annotations

import re

from bot.messages import Catalogue
from bot.validators.base import Invalid, Result, Valid, nfkc, or_bundled

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def text(text: str, min_len: int = 1, max_len: int = 500, *, msgs: Catalogue | None = None) -> Result:
    """Free text kept verbatim (HTML, emoji, SQL-looking text are fine); control characters dropped."""
    cleaned = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    cleaned = _CONTROL.sub("", cleaned).strip()
    n = len(cleaned)
    if n == 0 and min_len > 0:
        return Invalid(or_bundled(msgs).text("forms.text_empty"))
    if n < min_len:
        return Invalid(or_bundled(msgs).text("forms.text_too_short", count=n, min_len=min_len))
    if n > max_len:
        return Invalid(or_bundled(msgs).text("forms.text_too_long", count=n, max_len=max_len))
    return Valid(cleaned)


_free_text = text

#: What people type before their name: "我叫陈明", "我是陈明", "姓名：陈明".
_NAME_LEAD = re.compile(
    r"^(?:我的名字(?:是|叫)|名字(?:是|叫)|姓名(?:是)?|我叫|我是|本人(?:是|叫)?|叫)[:：\s]*"
)
#: Characters of sentences, not of names (我/你/的/吗 …): "陈明的档案" or "我不知道" is not a name.
_SENTENCE_CHARS = set("我你您她们的了吗呢吧啊么请问怎谁哪啥")
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f"
_HAN_NAME = re.compile(rf"[{_HAN}]{{2,6}}|[{_HAN}]{{1,10}}(?:·[{_HAN}]{{1,10}}){{1,3}}")
_HAN_ONLY = re.compile(rf"[{_HAN}·\s]+")


def person_name(text: str, min_len: int = 2, max_len: int = 30, *, msgs: Catalogue | None = None) -> Result:
    """A person's name, kept as typed (any script: 张三, Иванов, names with ·).

    What reads as a sentence is not a name: "我叫陈明" gives 陈明; "你们办公地点在哪" or
    "我不知道" is refused, and so are digits and e-mail signs (a phone number typed here)."""
    kept = _free_text(text, min_len=min_len, max_len=max_len, msgs=msgs)
    if isinstance(kept, Invalid):
        return kept
    s = re.sub(r"\s+", " ", nfkc(kept.value)).strip(" 。.!！,，")
    s = s.replace("•", "·").replace("・", "·")
    lead = _NAME_LEAD.match(s)
    if lead:
        rest = s[lead.end() :].strip()
        if _HAN_NAME.fullmatch(rest.replace(" ", "")) and not set(rest) & _SENTENCE_CHARS:
            return Valid(rest.replace(" ", ""))
    if re.search(r"[0-9@]", s):
        return Invalid(or_bundled(msgs).text("forms.name_has_digits"))
    if _HAN_ONLY.fullmatch(s) and (set(s) & _SENTENCE_CHARS or not _HAN_NAME.fullmatch(s.replace(" ", ""))):
        return Invalid(or_bundled(msgs).text("forms.name_is_sentence"))
    if re.search(r"[?？]", s) or (set(s) & _SENTENCE_CHARS and len(s) > 4):
        return Invalid(or_bundled(msgs).text("forms.name_is_sentence"))
    return kept
