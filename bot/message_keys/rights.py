"""Message keys of rights: data rights: /mydata and /forget (knowledge/messages/rights.yaml)."""

from __future__ import annotations

#: key -> names of the placeholders the code passes (empty: a fixed sentence)
KEYS: dict[str, tuple[str, ...]] = {
    "rights.btn_forget": (),
    "rights.btn_yes": (),
    "rights.btn_no": (),
    "rights.expired": (),
    "rights.none": (),
    "rights.mydata_head": (),
    "rights.mydata_draft": ("filled", "title"),
    "rights.mydata_no_draft": (),
    "rights.mydata_field": ("label", "value"),
    "rights.mydata_recent": ("count",),
    "rights.mydata_requests": ("count",),
    "rights.mydata_more": ("count",),
    "rights.mydata_no_requests": (),
    "rights.mydata_request_forgotten": (),
    "rights.mydata_request_handover": (),
    "rights.mydata_subscriptions": ("topics",),
    "rights.mydata_ratings": ("count", "down", "up"),
    "rights.mydata_no_ratings": (),
    "rights.mydata_tail": (),
    "rights.forget_ask": (),
    "rights.forget_ask_deleted": (),
    "rights.forget_ask_kept": ("count",),
    "rights.kept": (),
    "rights.forgotten": (),
    "rights.forgotten_kept": ("references",),
    "rights.forgotten_tail": (),
}
