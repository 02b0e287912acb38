"""``citizen-bot web``: load knowledge, open the store, serve the page until Ctrl-C."""

from __future__ import annotations

import argparse
import gc
import logging
import sys

from aiohttp import web

log = logging.getLogger("handlers.web")


def serve(args: argparse.Namespace) -> int:
    """Run the web channel in the foreground (the README's "try it" command)."""
    from bot import logfilter
    from bot.cli import _load
    from bot.dialog import Engine
    from bot.terminal import open_store
    from handlers.web.app import WebConfig, build_app
    from handlers.web.security import Policy

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logfilter.install()
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)  # URLs only, but noisy
    knowledge = _load(args.knowledge)
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
        gc.freeze()  # the knowledge and dictionaries live as long as the process (see handlers.app)
        app = build_app(store=store, config=config, engine=engine)
        print(f"网页版对话已启动：http://{args.listen}:{args.port}/  （Ctrl-C 退出）", file=sys.stderr)
        web.run_app(app, host=args.listen, port=args.port, print=None, access_log=None, shutdown_timeout=5)
    finally:
        store.close()
    return 0
