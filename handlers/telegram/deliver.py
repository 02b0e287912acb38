"""The Telegram deliverer of ``bot.outbox``: renders an outbox item for Telegram and sends it.

Registered by app.py for the addresses ``tg:`` (a private chat: resident or staff member) and
``staff`` (the staff group). What each kind becomes (see ``bot.outbox`` for the bodies):

* ``reply``: the engine's Reply, as the resident would have got it in the turn (buttons,
  有用/没用 when it answers an entry).
* ``card``: the request's card in the staff group, drawn from the request as it is NOW (so a
  card owed to a request whose resident has since asked to be forgotten shows no personal
  data). Not sent again when the store already records the request's main card.
* ``relay``: a resident's message while with a person, scrubbed, in numbered parts.
* ``notice``: a plain text (escaped unless ``html``), optionally with buttons.
* ``reassigned``: ``{"reference", "previous", "by"}``: the previous assignee of a request,
  mentioned in the group, is told someone else claimed it (``bot.desk.claim``).
* ``refresh``: ``{"reference"}``: redraw the request's card (a console action changed it).
* ``raw``: a message Sender already rendered that could not be sent at once.

A multi-part item whose later part fails is sent again whole: at least once.
"""

from __future__ import annotations

import logging

from bot.dialog import Button, Reply
from bot.outbox import Refused
from bot.store import OutboxItem
from handlers.telegram import cards
from handlers.telegram.common import Services, resident_chat
from handlers.telegram.send import Outgoing, esc

log = logging.getLogger("handlers.telegram.deliver")


class TelegramDeliverer:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    def chat_of(self, address: str) -> int:
        if address == "staff":
            return self.svc.settings.staff_chat_id
        chat = resident_chat(address)
        if chat is None:
            raise Refused(f"not a Telegram address: {address}")
        return chat

    async def deliver(self, item: OutboxItem) -> None:
        for out in await self.render(item):
            await self.svc.sender.deliver(out)

    async def render(self, item: OutboxItem) -> list[Outgoing]:
        sender, body = self.svc.sender, item.payload
        chat = self.chat_of(item.address)
        if item.kind == "raw":
            try:
                return [Outgoing(**body)]
            except TypeError:
                raise Refused("unknown payload") from None
        if item.kind == "reply":
            buttons = tuple(Button(label, payload) for label, payload in body.get("buttons") or ())
            reply = Reply(str(body.get("text", "")), buttons, body.get("entry_id"))
            return await sender.compose.render(chat, reply)
        if item.kind == "notice":
            text, buttons = str(body.get("text", "")), body.get("buttons") or ()
            # a notice that is a card of a request: the resident's reply to it joins its thread
            card = str(body["card"]) if body.get("card") else None
            escape = not body.get("html")
            return await sender.compose.outgoing(chat, text, escape=escape, buttons=buttons, card=card)
        if item.kind == "reassigned":
            return await self._reassigned(chat, body)
        if item.kind == "refresh":  # a desk action elsewhere (the web console) changed the request
            await cards.refresh_card(self.svc, str(body.get("reference", "")))
            return []
        if item.kind == "card":
            return await self._card(chat, str(body.get("reference", "")))
        if item.kind == "relay":
            return cards.relay_outgoings(
                self.svc, chat, str(body.get("reference", "")), str(body.get("text", ""))
            )
        raise Refused(f"unknown outbox kind {item.kind!r}")

    async def _reassigned(self, chat: int, body: dict) -> list[Outgoing]:
        """The previous assignee, mentioned in the group: someone else took their request."""
        svc = self.svc
        who = await svc.call(cards.staff_mention, svc, str(body.get("previous", "")))
        text = cards.msg_of(svc).text(
            "desk.reassigned",
            who=who,
            ref=esc(str(body.get("reference", ""))),
            name=esc(str(body.get("by", ""))),
        )
        return await svc.sender.compose.outgoing(chat, text, escape=False)

    async def _card(self, chat: int, reference: str) -> list[Outgoing]:
        svc = self.svc
        if await svc.call(svc.store.get_meta, f"card:{reference}"):
            return []  # the card was posted (a crash before the item was marked sent)
        req = await svc.call(svc.store.get_request, reference)
        if req is None:
            raise Refused(f"card for unknown request {reference}")
        text = await svc.call(cards.card_text, svc, req)
        return await svc.sender.compose.outgoing(
            chat, text, escape=False, buttons=cards.card_buttons(svc, req), card=reference, main_card=True
        )
