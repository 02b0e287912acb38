"""jieba, imported without ``pkg_resources``.

jieba's ``_compat`` imports setuptools' ``pkg_resources`` only to open its own bundled
dictionary; importing it scans every installed distribution (0.18 s and 12 MB of every bot
process here). When it cannot be imported, jieba opens the same files by path. Import jieba
from here (``from bot.jieba_import import jieba``) so that whichever module comes first, the
process never pays for it; if something else already imported ``pkg_resources``, nothing
changes."""

from __future__ import annotations

import sys

if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import -> ImportError
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]

import jieba  # noqa: E402

__all__ = ["jieba"]
