"""End-to-end speed of the Telegram bot: simulated residents against a local fake Bot API server.

Run on demand (not a test)::

    .venv/bin/python bench/e2e.py                 # 50 residents, about 3,000 updates
    .venv/bin/python bench/e2e.py --soak          # 200 residents, 10,000 updates, 500 forms
    .venv/bin/python bench/e2e.py --profile out.prof   # cProfile of the bot process

The bot runs in its own process, built like the Telegram tests build it (``build_application``
with the bundled knowledge, a fresh SQLite file in a temp dir, a pinned clock, staff group and
staff ids configured, the send rate limit opened up: Telegram's own ~30 messages/s limit is not
what is measured here). FakeTelegram (tests/fake_telegram.py) and the residents
(tests/load_support.py) run in this process on 127.0.0.1; nothing leaves the machine.

Two phases, because a closed loop of residents who answer instantly always saturates the bot
(then latency is just queueing: residents / throughput):

* throughput: every resident sends its next message as soon as the answer arrives;
  figure: updates handled per second;
* latency: the same residents with a think time (default 0.1-0.3 s, i.e. an offered load of
  roughly ``residents / 0.2`` updates/s); figures: p50 / p99 from the push of an update to the
  first sendMessage to that chat.

Targets (issue 5, 2-core machine): >= 300 updates/s, p99 <= 100 ms, peak RSS of the bot <= 200 MB.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_UPS = 300.0
TARGET_P99_MS = 100.0
TARGET_RSS_MB = 200.0


# --------------------------------------------------------------------------- the bot process


def bot_process(
    base_url: str, db: str, conn: Any, profile: str | None, concurrent: int, poll_interval: float
) -> None:
    """Child: the real Application in long polling until the parent says stop; reports figures."""
    import asyncio
    import logging

    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)

    from bot.config import Settings
    from bot.store import Store
    from handlers.telegram.app import build_application, warm_up
    from tests.fake_telegram import polling_app
    from tests.load_support import open_flood_gate
    from tests.telegram_support import ADMIN, STAFF, STAFF_CHAT, TOKEN, Clock, knowledge

    async def main() -> dict[str, Any]:
        store = Store(db)
        settings = Settings(
            token=TOKEN,
            staff_chat_id=STAFF_CHAT,
            staff_ids=frozenset({STAFF}),
            admin_ids=frozenset({ADMIN}),
            base_url=base_url,
            base_file_url=base_url.replace("/bot", "/file/bot"),
            digest_time=None,
            reminder_time=None,
            send_rate=100_000.0,
            send_burst=10_000,
            outbox_interval=1.0,
            max_concurrent=concurrent,
        )
        app = build_application(settings, knowledge(), store, clock=Clock())
        errors: list[str] = []

        async def collect(update: object, context: Any) -> None:
            errors.append(repr(context.error))

        app.add_error_handler(collect)
        open_flood_gate(app)
        # load what loads lazily (matcher, jieba, ID area codes) and freeze it, as `citizen-bot
        # run` does, so it is not counted as load
        warm_up(app)
        # engine CPU, measured in the worker threads that run it (the rest is PTB, HTTP, sends)
        engine_cpu = [0.0, 0]
        svc_engine = app.bot_data["svc"].engine

        def timed(fn: Any) -> Any:
            def inner(*a: Any, **k: Any) -> Any:
                t = time.thread_time()
                try:
                    return fn(*a, **k)
                finally:
                    engine_cpu[0] += time.thread_time() - t
                    engine_cpu[1] += 1

            return inner

        svc_engine.handle = timed(svc_engine.handle)
        svc_engine.start = timed(svc_engine.start)
        loop = asyncio.get_running_loop()
        cpu0, loop0 = time.process_time(), time.thread_time()
        async with polling_app(app, timeout=1, poll_interval=poll_interval):
            conn.send(("ready", time.process_time() - cpu0))
            if prof is not None:
                prof.enable()  # the event loop thread only, from the first update on
            await loop.run_in_executor(None, conn.recv)  # "stop"
            if prof is not None:
                prof.disable()
            cpu = time.process_time() - cpu0
            loop_cpu = time.thread_time() - loop0
        figures = {
            "cpu_s": cpu,
            "engine_cpu_s": engine_cpu[0],
            "loop_cpu_s": loop_cpu,
            "engine_turns": engine_cpu[1],
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "outbox": store.outbox_pending(),
            "errors": errors,
        }
        store.close()
        return figures

    import cProfile

    prof = cProfile.Profile(time.thread_time) if profile else None  # CPU, not GIL waits
    figures = asyncio.run(main())
    if prof is not None:
        prof.dump_stats(profile)
    conn.send(("done", figures))


# --------------------------------------------------------------------------- the driver


def run(args: argparse.Namespace) -> int:
    from bot.store import Store
    from handlers.telegram.common import resident_key
    from tests.fake_telegram import FakeTelegram
    from tests.load_support import Driver, check_log, make_residents

    tmp = tempfile.TemporaryDirectory(prefix="citizen-bench-")
    db = str(Path(tmp.name) / "bench.db")
    ctx = mp.get_context("spawn")
    with FakeTelegram() as fake:
        parent, child = ctx.Pipe()
        proc = ctx.Process(
            target=bot_process,
            args=(fake.base_url, db, child, args.profile, args.concurrent, args.poll_interval),
            daemon=True,
        )
        t0 = time.monotonic()
        proc.start()
        if not parent.poll(120):
            print("bot did not start within 120 s", file=sys.stderr)
            proc.kill()
            return 1
        parent.recv()
        print(f"bot process {proc.pid} started in {time.monotonic() - t0:.1f} s")
        import psutil

        ps = psutil.Process(proc.pid)
        peak = [ps.memory_info().rss]

        def sample() -> None:
            try:
                peak[0] = max(peak[0], ps.memory_info().rss)
            except psutil.Error:
                pass

        results: dict[str, dict[str, Any]] = {}
        phases = [("throughput", 0.0)]
        if not args.soak and args.think > 0:
            phases.append(("latency", args.think))
        first = 20_000
        all_receipts: dict[int, list[str]] = {}
        failures: list[str] = []
        for name, think in phases:
            here0 = time.process_time()
            residents = make_residents(
                args.residents, args.messages, args.forms, seed=len(results) + 1, first=first
            )
            first += args.residents
            driver = Driver(
                fake,
                residents,
                deadline=args.deadline,
                think=think,
                clear_calls=True,
                stall_after=30,
                give_up_after=60,
            ).start()
            while driver._thread is not None and driver._thread.is_alive():
                sample()
                driver._thread.join(0.25)
            sample()
            results[name] = driver.summary()
            results[name]["harness_cpu_s"] = time.process_time() - here0
            all_receipts.update(driver.receipts())
            failures += driver.failures() + driver.errors
        # let the outbox and the last staff cards settle, then stop the bot
        time.sleep(0.5)
        sample()
        parent.send("stop")
        if not parent.poll(60):
            print("bot did not stop within 60 s", file=sys.stderr)
            proc.kill()
            return 1
        _, bot = parent.recv()
        proc.join(10)
        calls = fake.count()
        by_method = {m: fake.count(m) for m in ("getUpdates", "sendMessage", "answerCallbackQuery")}

    with Store(db) as store:
        problems = check_log(store, all_receipts, resident_key)
        requests = store.db.execute("SELECT COUNT(*) FROM requests").fetchone()[0]
        outbox = store.outbox_pending()
    tmp.cleanup()

    rss_mb = max(peak[0] / 2**20, bot["maxrss_mb"])
    tp, lat = results["throughput"], results.get("latency", results["throughput"])
    total_updates = sum(r["updates"] for r in results.values())
    print()
    per = ", ".join(f"{m} {n}" for m, n in by_method.items())
    print(f"residents {args.residents}, updates {total_updates}, Bot API calls {calls} ({per})")
    for name, r in results.items():
        print(
            f"  {name:10s} {r['updates']:6d} updates in {r['seconds']:6.1f} s = {r['updates_per_s']:6.0f}/s;"
            f" latency p50 {r['p50_ms']:6.1f} ms  p99 {r['p99_ms']:6.1f} ms  max {r['max_ms']:6.1f} ms;"
            f" receipts {r['receipts']}; fake server + residents CPU"
            f" {100 * r['harness_cpu_s'] / max(r['seconds'], 1e-9):.0f}% of a core"
        )
        for line in r["stalls"][:5]:
            print(f"    stall: {line}")
        if args.slowest:
            for waited, what, at in r["slowest"]:
                print(f"    slow: {1000 * waited:8.1f} ms at {at:5.1f} s  {what[:90]}")
    print(
        f"  bot CPU {bot['cpu_s']:.1f} s = {1000 * bot['cpu_s'] / max(total_updates, 1):.2f} ms/update;"
        f" of which engine turns {1000 * bot['engine_cpu_s'] / max(bot['engine_turns'], 1):.2f} ms/turn"
        f" ({bot['engine_turns']} turns), event loop {1000 * bot['loop_cpu_s'] / max(total_updates, 1):.2f}"
        f" ms/update; peak RSS {rss_mb:.0f} MB"
    )
    print(
        f"  requests created {requests}, outbox unsent {outbox} (bot saw {bot['outbox']}),"
        f" bot errors {len(bot['errors'])}, resident failures {len(failures)}, log problems {len(problems)}"
    )
    for line in (bot["errors"] + failures + problems)[:10]:
        print(f"    {line}")
    ok = [
        ("throughput >= 300 updates/s", tp["updates_per_s"] >= TARGET_UPS, f"{tp['updates_per_s']:.0f}/s"),
        (
            f"p99 <= 100 ms ({'latency' if 'latency' in results else 'throughput'} phase)",
            lat["p99_ms"] <= TARGET_P99_MS,
            f"{lat['p99_ms']:.1f} ms",
        ),
        ("peak RSS <= 200 MB", rss_mb <= TARGET_RSS_MB, f"{rss_mb:.0f} MB"),
        ("nothing lost (receipts = requests, integrity ok)", not problems and not failures, ""),
    ]
    print()
    for label, met, value in ok:
        print(f"  [{'met' if met else 'MISSED'}] {label}: {value}")
    if args.profile:
        print(f"\nprofile of the bot process: {args.profile} (python -m pstats {args.profile})")
    return 0 if not problems and not failures and not bot["errors"] else 1


def main(argv: list[str] | None = None) -> int:
    from bot.config import Settings

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--residents", type=int, default=50)
    p.add_argument("--messages", type=int, default=1500, help="updates per phase (about)")
    p.add_argument("--forms", type=int, default=50, help="form completions per phase")
    p.add_argument("--think", type=float, default=0.2, help="latency phase: mean think time (s); 0: skip")
    p.add_argument("--deadline", type=float, default=300.0, help="seconds per phase at most")
    p.add_argument("--concurrent", type=int, default=24, help="Settings.max_concurrent of the bot")
    p.add_argument(
        "--poll-interval", type=float, default=Settings.poll_interval, help="Settings.poll_interval (s)"
    )
    p.add_argument("--soak", action="store_true", help="200 residents, 10,000 updates, 500 forms")
    p.add_argument("--slowest", action="store_true", help="print each phase's five slowest replies")
    p.add_argument("--profile", default=None, help="write a cProfile of the bot process here")
    args = p.parse_args(argv)
    if args.soak:
        args.residents, args.messages, args.forms, args.think = 200, 10_000, 500, 0.0
        args.deadline = max(args.deadline, 600.0)
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
