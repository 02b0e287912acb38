"""The capabilities the engine runs, in order.

Order matters twice: ``intercept`` hooks run in this order before the mode's handler (a
withdrawn form is dropped before data rights, data rights come before a stale draft's offer),
and ``on_button`` is asked in this order for buttons that mean the same in every mode.
"""

from __future__ import annotations

from bot.dialog.confirm import Confirmation
from bot.dialog.drafts import Drafts
from bot.dialog.events import Events
from bot.dialog.fields import FieldAnswers
from bot.dialog.forms import FormWalk
from bot.dialog.handover import Handover
from bot.dialog.questions import Questions
from bot.dialog.rights import Rights
from bot.dialog.status import Status
from bot.dialog.subscriptions import Subscriptions
from bot.dialog.turn import Capability

CAPABILITIES: tuple[type[Capability], ...] = (
    FormWalk,
    Rights,
    Drafts,
    Questions,
    Events,
    Subscriptions,
    Handover,
    Status,
    FieldAnswers,
    Confirmation,
)
