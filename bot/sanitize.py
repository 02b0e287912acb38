"""Incoming text made safe to process and store, whatever a client or a pipe sends.

Telegram only ever delivers valid UTF-8, but the terminal reads pipes (Python turns invalid
bytes into lone surrogates, ``\\udcff``), JSON allows ``"\\ud800"``, and a lone surrogate cannot
be encoded as UTF-8: SQLite, OpenCC and the Telegram client would all fail on it. Everything
else (control characters, HTML, emoji, right-to-left marks) is left alone here: what a form
field keeps is decided by its validator, and every channel escapes what it shows.
"""

from __future__ import annotations

import unicodedata

#: Categories that draw nothing on their own (controls, format marks such as zero-width
#: space and RLO, separators, combining marks).
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})


def clean_text(text: str | None) -> str:
    """``text`` with lone surrogates replaced by U+FFFD (paired surrogates become the character
    they encode); any other text is returned unchanged."""
    if not text:
        return ""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def has_visible(text: str) -> bool:
    """True when ``text`` has at least one character that shows (not only zero-width marks,
    bidi overrides, spaces or combining marks)."""
    return any(unicodedata.category(ch) not in _INVISIBLE for ch in text)
