"""The message keys the code uses and the placeholders it fills in (texts: knowledge/messages/).

Why a list in code: the catalogue is edited by administrators, the placeholders are filled in
by code; this is the contract between the two. ``knowledge check`` reports a file that breaks it,
and tests/test_messages.py reports code that breaks it. One module per capability, beside its
file in knowledge/messages/; a new capability adds its module here and to ``_PARTS``.
"""

from __future__ import annotations

from bot.message_keys import (
    admin,
    answers,
    console,
    desk,
    dialog,
    forms,
    handover,
    rights,
    subscribe,
    system,
    telegram,
    walk,
    web,
)

_PARTS = (
    system,
    dialog,
    walk,
    handover,
    rights,
    subscribe,
    desk,
    forms,
    answers,
    telegram,
    web,
    console,
    admin,
)

#: key -> names of the placeholders the code passes, over every capability
KEYS: dict[str, tuple[str, ...]] = {}
for _part in _PARTS:
    _clash = set(KEYS) & set(_part.KEYS)
    if _clash:
        raise RuntimeError(f"message keys declared twice: {sorted(_clash)}")
    KEYS.update(_part.KEYS)
