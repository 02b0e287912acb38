"""The web chat channel (issue 13): the same engine and store as Telegram, in a browser.

``build_app`` makes the aiohttp application, ``serve`` is ``citizen-bot web``, and
``deliver_web`` is the channel's delivery function (a message for ``web:<key>`` lands in that
resident's history and on their open page).
"""

from handlers.web.app import WebConfig, build_app
from handlers.web.history import deliver_web, is_web_resident
from handlers.web.server import serve

__all__ = ["WebConfig", "build_app", "deliver_web", "is_web_resident", "serve"]
