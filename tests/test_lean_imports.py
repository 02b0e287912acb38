"""A county's bot process does not load what it never uses (`bot.lean_import`): sqlite-utils
comes without numpy (12 MB of every process), while the province-scale scan, which needs
numpy, still imports it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CODE = """
import sys
from datetime import date, datetime
import handlers.telegram.app
from bot.store import Store
from bot.knowledge import load_knowledge
from bot.qa import answer_question

store = Store(sys.argv[1])
now = datetime(2026, 12, 3, 9, 0)
store.create_request("disclosure", "GK", "tg:1", {}, "政府办", date(2026, 12, 3), None, False, now)
answered = answer_question(load_knowledge(), "异地查档怎么办理").intent == "answer"
print("numpy" in sys.modules, answered, len(store.requests_for("tg:1")))
import bot.matcher.scan
print(bot.matcher.scan.np.__name__)
"""


def test_a_county_bot_never_imports_numpy_and_the_province_scan_still_can(tmp_path):
    env = {**os.environ, "CITIZEN_BOT_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run(
        [sys.executable, "-c", CODE, str(tmp_path / "bot.db")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=180,
    )
    assert out.stdout.split() == ["False", "True", "1", "numpy"], out.stderr[-2000:]
