"""Web requests reach the Telegram staff group exactly like Telegram ones.

The web process usually runs without the bot token (or beside the Telegram process, on the same
database). It therefore does not talk to Telegram: the card of a new request (or a 咨询
handover) and a resident's message relayed during a handover are rendered by the staff desk's
own functions (``handlers.staff.post_card`` / ``relay_resident_message``, unchanged) and put in
the store's **outbox**; the Telegram process's outbox job (``Sender.flush``, every few seconds)
sends them and records the card, so staff replies to it find the request.

Integration point: when the transactional outbox ("deliveries" with address prefixes) lands,
``OutboxSender.send_text`` becomes one ``deliveries`` insert with the ``staff`` address.
Without a staff group configured (``--staff-chat-id`` / CITIZEN_BOT_STAFF_CHAT_ID) requests are
still filed in the store and appear in /queue; nothing is queued for the group.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.dialog import Engine, HandoverOpened, RequestSubmitted, ResidentMessage, StaffEvent
from bot.store import Store, StoreError

log = logging.getLogger("handlers.web.staff")


@dataclass(frozen=True)
class _DeskSettings:
    staff_chat_id: int


class OutboxSender:
    """The part of ``handlers.send.Sender`` the staff desk's card functions use, writing to the
    outbox instead of calling Telegram (the Telegram process delivers it)."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    async def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        escape: bool = True,
        buttons: Sequence[tuple[str, str]] = (),
        card: str | None = None,
        main_card: bool = False,
        **_: Any,
    ) -> None:
        from handlers.send import Outgoing, esc, layout, split_text

        chunks = split_text(text) if escape else [text]
        for n, chunk in enumerate(chunks):
            final = n == len(chunks) - 1
            out = Outgoing(int(chat_id), esc(chunk) if escape else chunk)
            if final and buttons:
                out.buttons = [[[label, data] for label, data in row] for row in layout(list(buttons))]
            out.card = card if final else None
            out.main_card = main_card and final
            await asyncio.to_thread(
                self.store.enqueue_outbox, str(out.chat_id), dataclasses.asdict(out), self.clock()
            )


@dataclass
class StaffDesk:
    """Posts a web turn's staff events to the group through the outbox."""

    engine: Engine
    store: Store
    staff_chat_id: int | None
    clock: Callable[[], datetime]

    def __post_init__(self) -> None:
        self.settings = _DeskSettings(self.staff_chat_id or 0)
        self.sender = OutboxSender(self.store, self.clock)

    async def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(fn, *args, **kwargs)

    async def post(self, events: Sequence[StaffEvent]) -> None:
        """Cards and relayed messages for these events (best effort: the request is filed
        whatever happens here, and staff see it in /queue)."""
        if not events:
            return
        if not self.staff_chat_id:
            log.info("staff group not configured: %d web event(s) wait in /queue", len(events))
            return
        from handlers import staff

        for event in events:
            try:
                if isinstance(event, RequestSubmitted | HandoverOpened):
                    await staff.post_card(self, event.reference)  # type: ignore[arg-type]
                elif isinstance(event, ResidentMessage):
                    await staff.relay_resident_message(self, event.reference, event.text)  # type: ignore[arg-type]
            except StoreError as exc:
                log.error("staff card for %s not queued: %s", getattr(event, "reference", "?"), exc)
