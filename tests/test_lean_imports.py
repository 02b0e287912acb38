"""A bot process does not load what it never uses (`bot.lean_import`): sqlite-utils comes
without numpy and pandas, which it would import only to store their number types. numpy comes
with the matcher: the labelled questions' vote (`bot.matcher.neighbours`, round 18) and the
province-scale scan use it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CODE = """
import sys
from datetime import date, datetime
from bot.store import Store

store = Store(sys.argv[1])
now = datetime(2026, 12, 3, 9, 0)
store.create_request("disclosure", "GK", "tg:1", {}, "政府办", date(2026, 12, 3), None, False, now)
print("numpy" in sys.modules, "pandas" in sys.modules, len(store.requests_for("tg:1")))
from bot.knowledge import load_knowledge
from bot.qa import answer_question
answered = answer_question(load_knowledge(), "异地查档怎么办理").intent == "answer"
print(answered, "numpy" in sys.modules)
import bot.matcher.scan
print(bot.matcher.scan.np.__name__)
"""


def test_the_store_comes_without_numpy_and_the_matcher_brings_it(tmp_path):
    env = {**os.environ, "CITIZEN_BOT_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run(
        [sys.executable, "-c", CODE, str(tmp_path / "bot.db")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=180,
    )
    assert out.stdout.split() == ["False", "False", "1", "True", "True", "numpy"], out.stderr[-2000:]
