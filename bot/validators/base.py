"""What every validator shares: the result types, width folding, and the catalogue they speak from.

Why an optional ``msgs`` argument rather than a module-level catalogue: the validators stay pure
functions of their arguments. A module-level catalogue set when knowledge loads would let a
knowledge copy that is only being checked or previewed (``knowledge check``, the console's
preview, a test's edited copy) change what the live assistant says. The form engine passes the
catalogue of the knowledge it runs with; callers that pass nothing get the bundled wording.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace

from bot.messages import Catalogue


@dataclass(frozen=True)
class Valid:
    """Accepted input: `value` is what is stored; `display` (if set) is what is shown back."""

    value: str
    display: str | None = None


@dataclass(frozen=True)
class Invalid:
    """Rejected input, with a reason the resident can act on.

    `suggestion` (if set) is an answer the resident probably meant ("2027-12-01" for "12月1号"
    typed on 2 December): the engine offers it as a button rather than guessing silently."""

    reason: str
    suggestion: str | None = None
    suggestion_label: str | None = None


Result = Valid | Invalid


@cache
def bundled_messages() -> Catalogue:
    """The catalogue shipped in knowledge/messages/ (for callers that do not pass their own)."""
    from bot.knowledge import BUNDLED_KNOWLEDGE
    from bot.messages import load_messages

    return load_messages(SimpleNamespace(root=BUNDLED_KNOWLEDGE), [])  # type: ignore[arg-type]


def or_bundled(msgs: Catalogue | None) -> Catalogue:
    """`msgs` if it holds texts, else the bundled catalogue (stand-in knowledge in tests has none)."""
    return msgs if msgs is not None and msgs.texts else bundled_messages()


def nfkc(text: str) -> str:
    """Full-width digits, letters and punctuation to ASCII (１２３ -> 123, ＠ -> @)."""
    return unicodedata.normalize("NFKC", text or "").strip()


def compact(text: str) -> str:
    """NFKC, then spaces and hyphen-like separators removed (for ID-style numbers)."""
    return re.sub(r"[\s\-‐‑–—_.·]", "", nfkc(text))
