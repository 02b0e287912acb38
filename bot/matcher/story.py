"""The resident's story: the clauses `Analyser.focus` set aside as context before the question,
self-introductions ("我是执业律师", "今年七十二了") left out (who the resident is, not what the
question is about)."""

from __future__ import annotations

import re

from bot.matcher.wordlists import AGE, TRADE_INTRO

#: A self-introduction ("我是执业律师"): who the resident is, not what the question is about.
WHO_RE = re.compile(r"^(我|俺|本人|我们|俺们)(是|叫|姓)|" + AGE + "|退休|" + TRADE_INTRO)


def story(text: str, normalized: str, whole: str) -> str:
    """The clauses `focus` set aside (`whole` is what was kept; `text` itself: nothing was),
    self-introductions left out."""
    dropped = [] if whole is text else [c for c in normalized.split(" ") if c and c not in whole]
    return " ".join(c for c in dropped if not WHO_RE.search(c))
