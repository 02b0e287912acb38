"""The office's web console (issue 14), mounted under /console/ on the web chat's aiohttp app.

``setup_console(app, store=..., knowledge_getter=..., settings=..., now=...)`` mounts it;
``build_app(...)`` makes a standalone application (tests, bench).

Extension points for round 2 (desk actions, annual report, knowledge editing, review loop):
- ``Console.add_page(method, path, handler, role=..., action=..., nav_title=...)``: a route
  under /console behind the session/role check, with the CSRF and same-origin check on POST
  and an audit row per use (``action`` must be a word in ``bot.audit.ACTIONS``);
  ``handler(request, console, session)``.
- ``Console.detail_panels``: callables ``(request, session, full) -> Markup | None`` drawn on a
  request's page (e.g. the claim/reply/补正/extend/close forms); every POST form needs
  ``<input type="hidden" name="csrf" value="{{ session.csrf }}">``.
- Templates extend ``base.html`` (navigation from ``Console.nav``); no inline script or style.

Round 2 pages: ``report_page`` (annual report), ``knowledge_pages`` (editing through
``bot.knowledge_edit``, reload through ``Console.reload`` / ``swap_knowledge``), ``review_page``
(the review loop, ``bot.review_queue``), ``desk_panel`` (the desk's actions on a request's
page, over ``bot.desk``).
"""

from handlers.console.app import Console, build_app, setup_console

__all__ = ["Console", "build_app", "setup_console"]
