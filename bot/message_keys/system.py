"""Message keys of system (knowledge/messages/system.yaml)."""

from __future__ import annotations

#: key -> names of the placeholders the code passes (empty: a fixed sentence)
KEYS: dict[str, tuple[str, ...]] = {
    "system.apology": (),
}
