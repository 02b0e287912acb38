"""Restart to first reply: how long a resident who wrote during a deploy waits (issue 11 item 10).

Run on demand (not a test)::

    .venv/bin/python bench/startup.py            # 5 cold starts, then 5 with the index cache warm
    .venv/bin/python bench/startup.py --runs 10
    .venv/bin/python bench/startup.py --knowledge DIR   # another knowledge (bench/scale.py uses it)

Each run starts the real ``citizen-bot run`` (long polling) against the local fake Bot API
(tests/fake_telegram.py, 127.0.0.1 only) with a resident's question already waiting, as after a
restart, and measures from the spawn of the process to the first sendMessage to that resident.
"cold" runs use a fresh index cache directory (first start after a deploy or a knowledge edit);
"warm" runs reuse it (a plain restart). The figure includes Python's start-up and imports.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fake_telegram import FakeTelegram  # noqa: E402
from tests.telegram_support import CONFIG_ENV, ENV, STAFF, STAFF_CHAT, TOKEN  # noqa: E402

USER = 7001
QUESTION = "政府信息公开申请多久答复"


def one_start(
    fake: FakeTelegram, db: Path, cache: Path, root: Path = ROOT, knowledge: Path | None = None
) -> float:
    """Seconds from spawning `citizen-bot run` (on `knowledge`, else the bundled files) to its
    first reply to a waiting resident."""
    since = fake.mark()
    fake.push_message(USER, USER, QUESTION)
    env = {k: v for k, v in os.environ.items() if k not in ENV.values() and k != CONFIG_ENV}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        CITIZEN_BOT_STAFF_CHAT_ID=str(STAFF_CHAT),
        CITIZEN_BOT_STAFF_IDS=str(STAFF),
        CITIZEN_BOT_DB=str(db),
        CITIZEN_BOT_DIGEST_TIME="off",
        CITIZEN_BOT_REMINDER_TIME="off",
        CITIZEN_BOT_CACHE_DIR=str(cache),
        PYTHONPATH=str(root),
    )
    if knowledge is not None:
        env["CITIZEN_BOT_KNOWLEDGE"] = str(knowledge)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "run", "--base-url", fake.base_url],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        fake.wait_for_message(USER, timeout=120, since=since)
        return time.perf_counter() - start
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--knowledge", type=Path, help="knowledge directory (default: the bundled files)")
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="CHECKOUT",
        help="also start the bot from another checkout (e.g. a worktree of the previous commit), "
        "alternating with this one so both see the same machine load",
    )
    args = parser.parse_args()
    if args.compare:
        compare(args.compare.resolve(), args.runs)
        return
    with tempfile.TemporaryDirectory() as tmp, FakeTelegram() as fake:
        db = Path(tmp) / "bot.db"
        figures: dict[str, list[float]] = {"cold": [], "warm": []}
        warm_cache = Path(tmp) / "warm-cache"
        for i in range(args.runs):
            cold_cache = Path(tmp) / f"cold-cache-{i}"
            figures["cold"].append(one_start(fake, db, cold_cache, knowledge=args.knowledge))
        one_start(fake, db, warm_cache, knowledge=args.knowledge)  # fills the cache
        for _ in range(args.runs):
            figures["warm"].append(one_start(fake, db, warm_cache, knowledge=args.knowledge))
    for name, values in figures.items():
        print(
            f"start to first reply, {name} index cache: median {statistics.median(values):.2f} s, "
            f"min {min(values):.2f} s, max {max(values):.2f} s ({len(values)} runs)"
        )


def compare(other: Path, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, FakeTelegram() as fake:
        figures: dict[str, list[float]] = {str(other): [], "this checkout": []}
        cache = Path(tmp) / "cache"
        one_start(fake, Path(tmp) / "this.db", cache)  # fills this checkout's index cache
        for _ in range(runs):
            figures[str(other)].append(one_start(fake, Path(tmp) / "other.db", Path(tmp) / "c2", other))
            figures["this checkout"].append(one_start(fake, Path(tmp) / "this.db", cache))
    for name, values in figures.items():
        print(
            f"start to first reply, {name}: median {statistics.median(values):.2f} s, "
            f"min {min(values):.2f} s, max {max(values):.2f} s ({len(values)} runs)"
        )


if __name__ == "__main__":
    main()
