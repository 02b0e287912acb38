"""What a message to Telegram looks like: an engine ``Reply`` or a text as one or more
``Outgoing`` messages (HTML-escaped: a name typed as ``<b>x</b>`` shows as typed; split at
Telegram's length; buttons on the last one; answers to a knowledge entry get 有用 / 没用), and
button payloads longer than Telegram's 64 bytes kept in store meta behind a short token.
Sending them is ``handlers.telegram.send.Sender``'s job."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Sequence

from bot.dialog import Button, Reply
from bot.messages import Catalogue
from bot.store import Store
from handlers.telegram.outgoing import CALLBACK_LIMIT, LONG_PAYLOAD_PREFIX, Outgoing, esc, layout, split_text


class Composer:
    def __init__(self, store: Store, messages: Callable[[], Catalogue]) -> None:
        self.store = store
        #: The running catalogue (the engine's: /reload swaps it), for the rating buttons.
        self.messages = messages
        self._long_payloads: dict[str, str] = {}

    async def callback_data(self, payload: str) -> str:
        """Telegram allows 1-64 bytes of callback data; longer payloads are kept in store meta."""
        if 1 <= len(payload.encode("utf-8")) <= CALLBACK_LIMIT:
            return payload
        token = LONG_PAYLOAD_PREFIX + hashlib.sha1(payload.encode("utf-8")).hexdigest()[:24]
        if token not in self._long_payloads:
            await asyncio.to_thread(self.store.set_meta, f"cb:{token}", payload)
            self._long_payloads[token] = payload
        return token

    async def resolve_payload(self, data: str) -> str | None:
        if not data.startswith(LONG_PAYLOAD_PREFIX):
            return data
        if data in self._long_payloads:
            return self._long_payloads[data]
        return await asyncio.to_thread(self.store.get_meta, f"cb:{data}")

    async def render(self, chat_id: int, reply: Reply, *, rating: bool = True) -> list[Outgoing]:
        """A Reply as one or more messages; the buttons go with the last one."""
        pairs = [(b.label, await self.callback_data(b.payload)) for b in reply.buttons]
        rows = layout(pairs)
        if rating and reply.entry_id:
            msg = self.messages()
            rows.append(
                [
                    (msg.text("telegram.btn_rate_up"), await self.callback_data(f"rate:up:{reply.entry_id}")),
                    (
                        msg.text("telegram.btn_rate_down"),
                        await self.callback_data(f"rate:down:{reply.entry_id}"),
                    ),
                ]
            )
        chunks = split_text(reply.text)
        outs = [Outgoing(chat_id, esc(chunk)) for chunk in chunks]
        if rows:
            outs[-1].buttons = [[[label, data] for label, data in row] for row in rows]
        return outs

    async def outgoing(
        self,
        chat_id: int,
        text: str,
        *,
        escape: bool = True,
        buttons: Sequence[Button] | Sequence[tuple[str, str]] | Sequence[list[str]] = (),
        reply_to: int | None = None,
        card: str | None = None,
        main_card: bool = False,
        force_reply: bool = False,
    ) -> list[Outgoing]:
        """Text (escaped unless ``escape=False``: then it is our own HTML) as the messages to send."""
        pairs = [(b.label, b.payload) if isinstance(b, Button) else (b[0], b[1]) for b in buttons]
        pairs = [(label, await self.callback_data(data)) for label, data in pairs]
        body = esc(text) if escape else text
        chunks = split_text(body) if escape else [body]
        outs = []
        for i, chunk in enumerate(chunks):
            final = i == len(chunks) - 1
            outs.append(
                Outgoing(
                    chat_id,
                    chunk,
                    buttons=[[[label, data] for label, data in row] for row in layout(pairs)]
                    if final and pairs
                    else None,
                    force_reply=force_reply and final,
                    reply_to=reply_to if i == 0 else None,
                    card=card if final else None,
                    main_card=main_card and final,
                )
            )
        return outs
