"""Message keys of web: the web chat's own sentences (knowledge/messages/web.yaml)."""

from __future__ import annotations

#: key -> names of the placeholders the code passes (empty: a fixed sentence)
KEYS: dict[str, tuple[str, ...]] = {
    "web.err_cookie": (),
    "web.err_origin": (),
    "web.err_body": (),
    "web.err_empty": (),
    "web.err_long": ("max",),
    "web.err_too_big": (),
    "web.err_streams": (),
    "web.err_not_found": (),
    "web.err_method": (),
    "web.console_roles_failed": ("problems",),
    "web.console_no_staff": (),
    "web.started": ("address",),
    "web.console_address": ("address",),
}
