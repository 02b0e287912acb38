"""The transactional outbox: what the bot owes anyone, and the sender that delivers it.

Why: a channel confirms an update long before its replies are sent (Telegram's next poll
comes milliseconds after the update arrived). A process killed in between used to lose the
resident's receipt and the staff card for good. Now whatever a state change owes someone is a
row in the store's ``outbox`` table, written in the SAME transaction as the change
(``Store.transaction``): the engine's turn (receipt, staff card, handover card, relayed
message) and the staff desk's actions (replies and status notices to residents). Either both
are committed or neither is; a committed item is delivered later even if the process dies now.

Delivery guarantee: **at least once, in order per address**. ``Outbox.drain`` hands out only
the oldest undelivered item of each address (``Store.outbox_heads``, leased so a second process
does not send it too); it is marked sent after the channel accepted it. A crash between the
two sends it again (a resident may see a receipt twice, never not at all). Duplicates are
suppressed by ``dedup_key`` where one exists (one staff card per request: ``card:<reference>``;
the Telegram deliverer also skips a card when the store already records one for the request).

Addresses and deliverers. An item's address says where it goes; the part up to and including
the first ":" (or the whole address when it has none) picks the deliverer::

    tg:<chat id>    Telegram private chat (resident or staff member)  handlers/telegram/deliver.py
    staff           the staff desk (the Telegram staff group today)   handlers/telegram/deliver.py
    web:<key>       the resident web chat (registered by the web channel when it exists)

A channel registers its deliverer with ``Outbox.register(route, deliverer)`` (``"tg:"``,
``"staff"``, ``"web:"``). The engine writes an item only for an address some deliverer serves
(``Outbox.serves``): the terminal chat registers none, so it keeps its plain replies and no
rows pile up for it. Rendering stays in the channel: items carry data (``kind`` + JSON body),
not channel markup:

    reply   {"text", "buttons": [[label, payload]…], "entry_id"}   a reply the resident must get
    card    {"reference"}                                          a request card for the desk
    relay   {"reference", "text"}                                  a resident's message to the desk
    notice  {"text", "html"?: bool, "buttons"?: [[label, payload]…], "card"?}  a plain message
    reassigned {"reference", "previous", "by"}  the previous assignee told (bot.desk.claim)
    refresh {"reference"}                                         redraw the desk's card of it
    raw     a message the channel already rendered (its own retry queue)

Deliverers raise ``Retry`` (try again later: network, 429) or ``Refused`` (the address refuses:
blocked bot, missing chat; retried hourly for a day when ``retry_later``, else a dead letter).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.store import LOCAL_TZ, OutboxItem, Store, StoreError

log = logging.getLogger(__name__)

#: Refusals a person can fix (a blocked bot, a missing group) are retried this many times, hourly.
RETRY_LATER_ATTEMPTS = 24
#: At start the outbox sends what is due within this horizon: items leased by a process that
#: died come due again at once instead of after their lease.
START_HORIZON = timedelta(minutes=15)
LEASE = timedelta(seconds=60)
#: Items of one address taken (in order) per round: a busy staff group is not one query per card.
PER_ADDRESS = 20


class Retry(Exception):
    """Not delivered now; try again (after ``retry_after`` seconds when the far side said so)."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class Refused(Exception):
    """The far side refuses this item; ``retry_later`` when a person can fix it."""

    def __init__(self, reason: str, retry_later: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_later = retry_later


class Deliverer(Protocol):
    async def deliver(self, item: OutboxItem) -> None:
        """Deliver one item (raise ``Retry`` or ``Refused``); returning means delivered."""


def owe(
    store: Store,
    serves: Callable[[str], bool],
    now: Callable[[], datetime],
    address: str,
    kind: str,
    body: dict[str, Any],
    *,
    reference: str | None = None,
    dedup_key: str | None = None,
) -> bool:
    """Write an outbox item for ``address`` if some channel delivers there (``serves``); True if
    written (False also when ``dedup_key`` was used before). Called inside the transaction of the
    change that causes it (an engine turn, a staff action), so both are committed together."""
    if not serves(address):
        return False
    item = store.enqueue_outbox(address, body, now(), kind=kind, reference=reference, dedup_key=dedup_key)
    return item is not None


def route_of(address: str) -> str:
    """``tg:123`` -> ``tg:``; ``staff`` -> ``staff``."""
    head, sep, _ = address.partition(":")
    return head + sep


def _wall_clock() -> datetime:
    return datetime.now(LOCAL_TZ)


class Outbox:
    """The address-prefix -> deliverer registry, and the loop that drains the store's outbox."""

    def __init__(
        self, store: Store, clock: Callable[[], datetime] = _wall_clock, retry_interval: float = 10.0
    ) -> None:
        self.store = store
        self.clock = clock
        self.retry_interval = retry_interval
        self._routes: dict[str, Deliverer] = {}
        #: addresses whose head item failed and waits for a retry (newer messages queue behind)
        self.stalled: set[str] = set()

    # ------------------------------------------------------------------ registry

    def register(self, route: str, deliverer: Deliverer) -> None:
        """``route``: an address prefix ending in ":" (``tg:``) or a whole address (``staff``)."""
        self._routes[route] = deliverer

    def routes(self) -> list[str]:
        return sorted(self._routes)

    def serves(self, address: str) -> bool:
        return route_of(address) in self._routes

    # ------------------------------------------------------------------ sending

    async def drain(
        self, addresses: Sequence[str] | None = None, *, start: bool = False, rounds: int = 1000
    ) -> int:
        """Deliver what is due (only for ``addresses`` if given), head by head, until nothing
        due is left; ``start``: also what is leased or due soon (at start-up). Returns how many
        items were delivered. Never raises for a delivery problem."""
        if not self._routes:
            return 0
        routes = self.routes()
        sent = 0
        tried: set[int] = set()
        delivered: set[str] = set()
        failed: set[str] = set()
        for _ in range(rounds):
            now = self.clock()
            horizon = now + START_HORIZON if start else now
            try:
                heads = await asyncio.to_thread(
                    self.store.outbox_heads,
                    horizon,
                    routes,
                    addresses=addresses,
                    per_address=PER_ADDRESS,
                    lease=LEASE,
                )
            except StoreError as exc:
                log.error("outbox unavailable: %s", exc)
                break
            fresh = [item for item in heads if item.id not in tried]
            if not fresh:  # nothing due, or only heads that failed in this call
                break
            blocked: set[str] = set()
            untried: list[int] = []
            for item in fresh:
                if item.address in blocked:  # keep the order: wait behind the failed one
                    untried.append(item.id)
                    continue
                tried.add(item.id)
                result = await self._deliver_one(item)
                sent += result == "sent"
                if result == "held":
                    failed.add(item.address)
                    blocked.add(item.address)
                else:
                    delivered.add(item.address)
            if untried:
                await self._mark(self.store.release_outbox, untried, self.clock())
        # an address is no longer held once what was due for it went out
        self.stalled -= delivered - failed
        return sent

    async def _deliver_one(self, item: OutboxItem) -> str:
        """'sent', 'dead' (given up: the address's next item may go) or 'held' (retry later)."""
        deliverer = self._routes.get(route_of(item.address))
        if deliverer is None:  # served when it was picked; a route never goes away in a process
            return "held"
        now = self.clock()
        try:
            await deliverer.deliver(item)
        except Retry as exc:
            delay = exc.retry_after or min(self.retry_interval * 2 ** min(item.attempts, 6), 600)
            self.stalled.add(item.address)
            await self._mark(self.store.mark_retry, item.id, now + timedelta(seconds=delay), exc.reason)
            return "held"
        except Refused as exc:
            if exc.retry_later and item.attempts < RETRY_LATER_ATTEMPTS:
                self.stalled.add(item.address)
                await self._mark(self.store.mark_retry, item.id, now + timedelta(hours=1), exc.reason)
                return "held"
            # a dead letter: the next item of the address is free to go
            log.error("outbox #%d for %s abandoned (%s): %s", item.id, item.address, item.kind, exc.reason)
            await self._mark(self.store.mark_failed, item.id, exc.reason, now)
            return "dead"
        except Exception as exc:  # a bug in rendering: keep the item, try again later
            log.error("outbox #%d (%s) failed: %s", item.id, item.kind, type(exc).__name__)
            self.stalled.add(item.address)
            await self._mark(self.store.mark_retry, item.id, now + timedelta(minutes=5), type(exc).__name__)
            return "held"
        await self._mark(self.store.mark_sent, item.id, self.clock())
        return "sent"

    @staticmethod
    async def _mark(fn: Callable[..., None], *args: object) -> None:
        try:
            await asyncio.to_thread(fn, *args)
        except (StoreError, LookupError) as exc:
            # sent but not marked: it goes again (at least once); never lost
            log.error("outbox item not marked: %s", exc)
