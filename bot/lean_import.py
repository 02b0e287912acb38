"""Third-party modules imported without optional imports that cost every bot process and that
the bot never uses through them.

- jieba's ``_compat`` imports setuptools' ``pkg_resources`` only to open its own bundled
  dictionary; importing it scans every installed distribution (0.18 s and 12 MB here). Without
  it, jieba opens the same files by path (``bot.jieba_import``).
- sqlite-utils imports numpy (and pandas) when installed, only to store their number types; the
  store never hands it any (``bot.store``). numpy comes with the matcher instead: the labelled
  questions' neighbours (``bot.matcher.neighbours``) and the province-scale scan (``bot.matcher.scan``)
  import it themselves (0.11 s and 12 MB here).

A module already imported stays as it is; so does an optional one something else imported."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType


def import_without(name: str, *unneeded: str) -> ModuleType:
    """Import `name` with `unneeded` (not yet imported) looking absent: its ``import`` raises
    ImportError, which these libraries treat as "not installed". They import normally later."""
    if name in sys.modules:
        return sys.modules[name]
    blocked = [module for module in unneeded if module not in sys.modules]
    for module in blocked:
        sys.modules[module] = None  # type: ignore[assignment]  # import -> ImportError
    try:
        return importlib.import_module(name)
    finally:
        for module in blocked:
            del sys.modules[module]
