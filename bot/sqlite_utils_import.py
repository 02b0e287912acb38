"""sqlite-utils, imported without numpy and pandas (see `bot.lean_import`).

Import it from here (``from bot.sqlite_utils_import import sqlite_utils``) so that whichever
module comes first, a county's bot process never loads numpy."""

from __future__ import annotations

from bot.lean_import import import_without

import_without("sqlite_utils", "numpy", "pandas")

import sqlite_utils  # noqa: E402

__all__ = ["sqlite_utils"]
