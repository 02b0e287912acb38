"""The message keys the code uses and the placeholders it fills in (texts: knowledge/messages.yaml).

Why a list in code: the catalogue is edited by administrators, the placeholders are filled in
by code; this is the contract between the two. ``knowledge check`` reports a file that breaks it,
and tests/test_messages.py reports code that breaks it.
"""

from __future__ import annotations

#: key -> names of the placeholders the code passes (empty: a fixed sentence)
KEYS: dict[str, tuple[str, ...]] = {
    "system.apology": (),
}
