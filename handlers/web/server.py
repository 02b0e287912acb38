"""``citizen-bot web``: load knowledge, open the store, serve the page until Ctrl-C."""

from __future__ import annotations

import argparse
import gc
import logging
import sys

from aiohttp import web

log = logging.getLogger("handlers.web")


def mount_console(
    app: web.Application,
    engine,
    store,
    *,
    knowledge_dir,
    behind_tls: bool = False,
    environ: dict[str, str] | None = None,
    roles=None,
):
    """The office's console under /console/ beside the chat, on the same engine and store:
    roles from ``roles`` (``citizen-bot run``'s Settings) or else CITIZEN_BOT_STAFF_IDS /
    CITIZEN_BOT_ADMIN_IDS (or the config file), knowledge edits swapped into this engine as
    /reload does."""
    from bot.console_auth import roles_from_environment
    from handlers.console import setup_console

    return setup_console(
        app,
        store=store,
        knowledge_getter=lambda: engine.knowledge,
        settings=roles if roles is not None else roles_from_environment(environ),
        behind_tls=behind_tls,
        knowledge_dir=knowledge_dir,
        swap_knowledge=engine.swap_knowledge,
        outbox=engine.outbox,
    )


class WebBeside:
    """The web chat and the console served inside another channel's event loop (``citizen-bot
    run`` with a web port: one process, one store, one engine and outbox). ``start`` on the
    running loop (PTB's post_init), ``stop`` before the store closes (post_stop)."""

    def __init__(self, app: web.Application, host: str, port: int) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    @classmethod
    def build(cls, engine, store, settings, *, knowledge_dir=None, clock=None) -> WebBeside:
        """From ``bot.config.Settings`` (web_port, web_listen, web_behind_tls, …): the console's
        roles are the Telegram staff and administrators of these settings."""
        from handlers.web.app import WebConfig, build_app
        from handlers.web.security import Policy

        policy = Policy(
            frame_ancestors=tuple(settings.web_frame_ancestors or ("'self'",)),
            origins=tuple(settings.web_origins),
            behind_tls=settings.web_behind_tls,
        )
        app = build_app(store=store, config=WebConfig(policy=policy), engine=engine, clock=clock)
        mount_console(
            app,
            engine,
            store,
            knowledge_dir=knowledge_dir,
            behind_tls=settings.web_behind_tls,
            roles=settings,
        )
        return cls(app, settings.web_listen, int(settings.web_port))

    async def start(self) -> None:
        runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=5)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        log.info("web chat on http://%s:%s/ (console: /console/)", self.host, self.port)

    async def stop(self) -> None:
        """Close the live streams and the site (idempotent)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()


def serve(args: argparse.Namespace) -> int:
    """Run the web channel in the foreground (the README's "try it" command)."""
    from bot import logfilter
    from bot.config import ConfigError
    from bot.dialog import Engine
    from bot.messages import catalogue_of
    from bot.startup import load_knowledge_or_exit, open_store
    from handlers.web.app import WebConfig, build_app
    from handlers.web.security import Policy

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logfilter.install()
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)  # URLs only, but noisy
    knowledge = load_knowledge_or_exit(args.knowledge)
    store = open_store(args.db)
    if store is None:
        return 1
    try:
        policy = Policy(
            frame_ancestors=tuple(args.frame_ancestors or ["'self'"]),
            origins=tuple(args.origin or ()),
            behind_tls=args.behind_tls,
        )
        config = WebConfig(policy=policy)
        engine = Engine(knowledge, store)
        engine.warm_up()
        gc.collect()
        gc.freeze()  # the knowledge and dictionaries live as long as the process (see handlers.telegram.app)
        app = build_app(store=store, config=config, engine=engine)
        msg = catalogue_of(knowledge)
        try:
            roles = mount_console(
                app, engine, store, knowledge_dir=args.knowledge, behind_tls=args.behind_tls
            ).roles
        except ConfigError as exc:
            print(msg.text("web.console_roles_failed", problems="; ".join(exc.problems)), file=sys.stderr)
            return 2
        if not (roles.staff_ids or roles.admin_ids):
            print(msg.text("web.console_no_staff"), file=sys.stderr)
        address = f"{args.listen}:{args.port}"
        print(msg.text("web.started", address=address), file=sys.stderr)
        print(msg.text("web.console_address", address=address), file=sys.stderr)
        web.run_app(app, host=args.listen, port=args.port, print=None, access_log=None, shutdown_timeout=5)
    finally:
        store.close()
    return 0
