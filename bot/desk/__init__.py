"""The staff desk, channel-free: the actions staff take on requests and what they read.

- ``base``: ``Desk`` (store, knowledge, channels), ``Actor`` (staff key + name), ``Result``
  (text for the actor, whether it needs a confirmation, what to redraw, what to flush).
- ``actions``: claim (asks first when someone else holds it), reply, note, extend, close with
  the statutory outcome.
- ``correction``: 补正 notice, 补正已收到, the applicant type (政府信息公开 only).
- ``views``: masked/full content, 详情 with thread and history, the queue's lines.

Every action is synchronous (run it in a worker thread), takes ``(desk, actor, reference, …,
now)``, does its work and the outbox items it owes in ONE store transaction, and raises
``StatusError`` / ``UnknownRequest`` (safe Chinese messages) when refused. The Telegram
adapter (``handlers/telegram/staff.py``) and the web console (``handlers/console/desk_panel.py``)
only render: cards and buttons, pages and forms. Texts: ``knowledge/messages/desk.yaml``.
"""

from bot.desk.actions import claim, close, extend, note, reply
from bot.desk.base import Actor, Channels, Desk, Result, is_disclosure
from bot.desk.correction import (
    correction_received,
    parse_applicant_type,
    request_correction,
    set_applicant_type,
)

__all__ = [
    "Actor",
    "Channels",
    "Desk",
    "Result",
    "claim",
    "close",
    "correction_received",
    "extend",
    "is_disclosure",
    "note",
    "parse_applicant_type",
    "reply",
    "request_correction",
    "set_applicant_type",
]
