"""Message keys of handover: 人工服务, the handover to staff (knowledge/messages/handover.yaml)."""

from __future__ import annotations

#: key -> names of the placeholders the code passes (empty: a fixed sentence)
KEYS: dict[str, tuple[str, ...]] = {
    "handover.btn_end": (),
    "handover.opened": ("draft_kept", "reference"),
    "handover.draft_kept": ("title",),
    "handover.in_progress": ("reference",),
    "handover.closed": (),
    "handover.ended": (),
    "handover.not_in_handover": (),
}
