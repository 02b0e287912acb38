"""What every desk action shares: who acts, where notices can go, what comes back.

Why channel-free: the Telegram group and the web console offer the same actions on the same
requests; the rules (who may claim, when the clock stops, what the resident is told) live here
once, and each channel only renders the result (Telegram cards and buttons, console pages).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from bot import formflow as ff
from bot.dialog import cn_date
from bot.messages import Catalogue, catalogue_of
from bot.outbox import owe as outbox_owe
from bot.outcomes import Catalogue as Outcomes
from bot.store import IN_PROGRESS, LOCAL_TZ, SUBMITTED, Request, Store, UnknownRequest
from bot.workdays import WorkCalendar

if TYPE_CHECKING:
    from bot.outbox import Outbox

#: 条例 Art. 33: one extension of at most 20 working days.
EXTENSION_WORKING_DAYS = 20
DISCLOSURE_PREFIX = "GK-"
#: 条例 Art. 30: the 补正 notice goes out within 7 working days of receipt.
CORRECTION_NOTICE_WORKING_DAYS = 7
#: 条例 Art. 33, when the form does not say (knowledge/forms/disclosure.yaml does).
REPLY_WORKING_DAYS = 20
#: The address of the staff desk in the outbox (the Telegram staff group delivers it).
STAFF_ADDRESS = "staff"

_STAFF_KEY = re.compile(r"\btg:(\d+)\b")


@dataclass(frozen=True)
class Actor:
    """A staff member acting: the key stored with what they do (``tg:<id>``) and the name
    colleagues see."""

    key: str
    name: str


@dataclass(frozen=True)
class Result:
    """What an action says back to the staff member. ``confirm``: nothing was done, the action
    needs a confirmation (claiming a request someone else holds); ``refresh``: references whose
    desk view (the Telegram card) changed; ``owed``: outbox addresses written to, to flush."""

    text: str
    ok: bool = True
    confirm: bool = False
    refresh: tuple[str, ...] = ()
    owed: tuple[str, ...] = ()


def _wall_clock() -> datetime:
    return datetime.now(LOCAL_TZ)


@dataclass(frozen=True)
class Channels:
    """Where the desk's notices can go. ``outbox``: this process's outbox (its registered
    deliverers); ``elsewhere``: routes another process on the same database delivers (the
    console runs in the web process; the Telegram process drains ``tg:`` and ``staff``)."""

    outbox: Outbox | None = None
    elsewhere: tuple[str, ...] = ()

    def serves(self, address: str) -> bool:
        from bot.outbox import route_of

        if self.outbox is not None and self.outbox.serves(address):
            return True
        return route_of(address) in self.elsewhere

    def clock(self) -> Callable[[], datetime]:
        """Outbox items are due on the outbox's clock (wall time), never a test's pinned one."""
        return self.outbox.clock if self.outbox is not None else _wall_clock


@dataclass
class Desk:
    """The desk's dependencies: the store, the knowledge (forms, outcomes, calendar, messages)
    and the channels. Cheap to build per action (the console and Telegram both do)."""

    store: Store
    knowledge: Any
    channels: Channels = field(default_factory=Channels)

    # -- knowledge --------------------------------------------------------------------

    @property
    def extras(self) -> dict[str, Any]:
        return getattr(self.knowledge, "extras", None) or {}

    @property
    def msg(self) -> Catalogue:
        return catalogue_of(self.knowledge)

    def outcomes(self) -> Outcomes:
        """The statutory outcome rows and applicant types (knowledge/outcomes.yaml)."""
        return self.extras["outcomes"]

    def calendar(self) -> WorkCalendar:
        return self.extras.get("holidays") or WorkCalendar.empty()

    def forms(self) -> dict[str, Any]:
        return self.extras.get("forms", {}) or {}

    def request_name(self, req: Request) -> str:
        """The form's title (政府信息公开申请, 异地查档申请 …): one wording in every notice."""
        return ff.request_name(self.forms(), req.kind)

    # -- store helpers (synchronous, inside the caller's transaction) -----------------

    def get(self, reference: str) -> Request:
        req = self.store.get_request(reference)
        if req is None:
            raise UnknownRequest(reference)
        return req

    def owe(
        self,
        address: str,
        kind: str,
        body: dict[str, Any],
        *,
        reference: str | None = None,
        dedup_key: str | None = None,
    ) -> bool:
        """``bot.outbox.owe`` inside the action's transaction."""
        now = self.channels.clock()
        return outbox_owe(
            self.store,
            self.channels.serves,
            now,
            address,
            kind,
            body,
            reference=reference,
            dedup_key=dedup_key,
        )

    def tell_resident(self, req: Request, text: str, *, card: bool = False, staff: bool = False) -> bool:
        """A notice to the request's resident (``card``: their reply to it joins the thread;
        ``staff``: a member of staff wrote it, not an automatic status notice, so a channel that
        tells the two apart, the web chat, shows it as from staff)."""
        body: dict[str, Any] = {"text": text}
        if card:
            body["card"] = req.reference
        if staff:
            body["from_staff"] = True
        return self.owe(req.resident, "notice", body, reference=req.reference)

    def remember(self, actor: Actor) -> None:
        """Colleagues see the actor's name, never the raw key (meta ``staff:<id>``)."""
        uid = actor.key.removeprefix("tg:")
        if actor.name and actor.name != actor.key:
            self.store.set_meta(f"staff:{uid}", actor.name)

    def staff_name(self, assignee: str | None) -> str:
        """The display name of a staff key; one never seen is 工作人员<id>, never a raw key."""
        if not assignee:
            return ""
        uid = assignee.removeprefix("tg:")
        name = self.store.get_meta(f"staff:{uid}")
        if name:
            return name
        return self.msg.text("desk.staff_unnamed", id=uid) if uid.isdigit() else assignee

    def with_names(self, text: str) -> str:
        """Staff keys in stored notes ('指派给 tg:900') as names."""
        return _STAFF_KEY.sub(lambda m: self.staff_name(m.group(0)), text)

    def start_work(self, req: Request, by: str, note: str, now: datetime) -> Request:
        """已提交 -> 处理中 (the first claim, reply or close)."""
        if req.status == SUBMITTED:
            return self.store.set_status(req.reference, IN_PROGRESS, by=by, note=note, now=now)
        return req

    def due_text(self, req: Request) -> str:
        if req.due_date is None:
            return "—"
        text = cn_date(req.due_date)
        return self.msg.text("desk.due_provisional", due=text) if req.due_provisional else text


def is_disclosure(reference: str) -> bool:
    return reference.startswith(DISCLOSURE_PREFIX)


def is_staff_key(key: str) -> bool:
    return bool(_STAFF_KEY.fullmatch(key))


def parse_day(text: str) -> date | None:
    """'2026-03-02', '2026/3/2', '2026年3月2日' -> a date (None if not one)."""
    m = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*", text)
    if m is None:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
