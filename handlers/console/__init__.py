"""The office's web console (issue 14), mounted under /console/ on the web chat's aiohttp app."""

from handlers.console.app import Console, build_app, setup_console

__all__ = ["Console", "build_app", "setup_console"]
