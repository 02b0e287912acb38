"""jieba, imported without ``pkg_resources`` (see `bot.lean_import`).

Import jieba from here (``from bot.jieba_import import jieba``) so that whichever module comes
first, the process never pays for it."""

from __future__ import annotations

from bot.lean_import import import_without

import_without("jieba", "pkg_resources")

import jieba  # noqa: E402

__all__ = ["jieba"]
