"""Speed of the web chat: simulated browsers over the HTTP API on 127.0.0.1.

Run on demand (not a test)::

    .venv/bin/python bench/web.py                  # 50 browsers, about 3,000 messages
    .venv/bin/python bench/web.py --browsers 100 --messages 5000

The server runs in its own process, built like ``citizen-bot web`` builds it (bundled knowledge,
a fresh SQLite file in a temp dir, the engine warmed up and the start-up heap frozen), with the
per-session and per-IP rate limits opened (50 browsers from one address stand in for many
people). Each browser has its own cookie, opens the page's history and keeps a live stream
(Server-Sent Events) open, then works through a plan like a person: questions, menu buttons,
and 信息公开 applications from the menu to the receipt, sending the next message only when the
previous POST answered. Two phases, as in bench/e2e.py:

* throughput: no think time; figure: messages handled per second;
* latency: a think time (default 0.1-0.3 s); figures: p50 / p99 of the POST round trip (the
  engine's reply is in the response).

Also: live delivery latency (a message delivered with ``deliver_web`` in the server process to
one browser's open stream) and the server's peak RSS.
Targets (issue 13, 2-core machine): >= 300 messages/s, p99 <= 100 ms, peak RSS <= 250 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import random
import resource
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_MPS = 300.0
TARGET_P99_MS = 100.0
TARGET_RSS_MB = 250.0


# --------------------------------------------------------------------------- the server process


def server_process(db: str, port: int, conn: Any) -> None:
    import gc
    import logging

    logging.basicConfig(level=logging.WARNING)
    from aiohttp import web

    from bot.dialog import Engine
    from bot.knowledge import BUNDLED_KNOWLEDGE, load_knowledge
    from bot.store import Store
    from handlers.web.app import CHAT, WebConfig, build_app

    store = Store(db)
    engine = Engine(load_knowledge(BUNDLED_KNOWLEDGE), store)
    engine.warm_up()
    gc.collect()
    gc.freeze()
    config = WebConfig(session_burst=10**6, session_rate=10**6, ip_burst=10**9, ip_rate=10**9)
    app = build_app(store=store, engine=engine, config=config)
    hub = app[CHAT].hub

    async def deliver(request: web.Request) -> web.Response:
        """Bench only: a staff-style message to one browser (as the Telegram process would)."""
        from handlers.web.history import deliver_web

        key = request.query["key"]
        row = await asyncio.to_thread(deliver_web, store, key, f"【工作人员回复】{time.monotonic()}")
        hub.wake()
        return web.json_response({"id": row})

    app.router.add_post("/bench/deliver", deliver)

    async def stats(request: web.Request) -> web.Response:
        return web.json_response({"maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})

    app.router.add_get("/bench/stats", stats)
    conn.send("ready")
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None, shutdown_timeout=1)
    store.close()


# --------------------------------------------------------------------------- browsers


class Browser:
    def __init__(self, n: int, base: str, plan: list[str], think: float, rng: random.Random) -> None:
        self.n = n
        self.base = base
        self.plan = plan
        self.think = think
        self.rng = rng
        self.rows: list[dict[str, Any]] = []
        self.latencies: list[float] = []
        self.errors = 0
        self.receipts = 0
        self.key = ""
        self.session: Any = None
        self.stream_events = 0
        self.why: list[str] = []

    async def post(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        if self.think:
            await asyncio.sleep(self.rng.uniform(self.think * 0.5, self.think * 1.5))
        t0 = time.perf_counter()
        async with self.session.post(
            self.base + "api/message", json=body, headers={"Origin": self.base.rstrip("/")}
        ) as resp:
            data = await resp.json()
            ok = resp.status == 200
        self.latencies.append(time.perf_counter() - t0)
        if not ok:
            self.errors += 1
            self.why.append(f"HTTP {resp.status}: {data.get('error')}")
            return []
        self.rows += data.get("messages", [])
        self.rows = self.rows[-20:]
        return data.get("messages", [])

    async def press(self, label: str) -> list[dict[str, Any]]:
        for row in reversed(self.rows):
            for button_label, payload in row.get("buttons", []):
                if button_label == label:
                    return await self.post({"payload": payload, "label": label})
        self.errors += 1
        last = self.rows[-1]["text"][:60] if self.rows else ""
        self.why.append(f"no button {label!r} after {last!r}")
        return []

    async def form(self) -> None:
        from tests.load_support import MOBILE, SURNAMES, valid_id

        out = await self.post({"start": True})
        if any("人工服务中" in m["text"] for m in out):  # an earlier question brought in a person
            await self.post({"payload": "human:end", "label": "结束人工"})
        await self.press("信息公开申请")
        await self.press("公民")
        await self.post({"text": SURNAMES[self.n % len(SURNAMES)] + "三"})
        await self.post({"text": valid_id(self.n)})
        await self.post({"text": MOBILE})
        await self.post({"text": "柏乡县某某镇某某村1号"})
        await self.post({"text": "2025年本县道路改造工程的立项批复文件"})
        await self.press("电子")
        await self.press("邮寄")
        await self.press("跳过")
        out = await self.press("确认提交")
        self.receipts += any("申请编号" in m["text"] for m in out)

    async def listen(self) -> None:
        try:
            async with self.session.get(self.base + "api/events", timeout=None) as resp:
                async for line in resp.content:
                    if line.startswith(b"data:"):
                        self.stream_events += 1
        except (asyncio.CancelledError, Exception):
            return

    async def run(self, questions: list[str]) -> None:
        from tests.load_support import MENU_BUTTONS

        for task in self.plan:
            if task == "form":
                await self.form()
            elif task == "menu":
                await self.post({"start": True})
                await self.press(self.rng.choice(MENU_BUTTONS))
            else:
                await self.post({"text": self.rng.choice(questions)})


async def phase(
    base: str, browsers: int, messages: int, forms: int, think: float, seed: int
) -> dict[str, Any]:
    import aiohttp

    from tests.load_support import percentile, plan_for, questions

    per = max(1, messages // browsers)
    per_forms = forms // browsers
    extra_forms = forms % browsers
    crowd = [
        Browser(
            n + seed * 1000,
            base,
            plan_for(n, per, per_forms + (n < extra_forms), random.Random(seed * 7919 + n)),
            think,
            random.Random(seed + n),
        )
        for n in range(browsers)
    ]
    qs = questions()
    connector = aiohttp.TCPConnector(limit=0)
    sessions = []
    listeners = []
    for b in crowd:
        b.session = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True), connector=connector, connector_owner=False
        )
        sessions.append(b.session)
        async with b.session.get(base + "api/history") as resp:
            await resp.json()
        listeners.append(asyncio.create_task(b.listen()))
    await asyncio.sleep(0.2)
    t0 = time.perf_counter()
    await asyncio.gather(*(b.run(qs) for b in crowd))
    elapsed = time.perf_counter() - t0
    # live delivery: one message to each of 20 browsers' open streams, time to arrival
    live: list[float] = []
    for b in crowd[:20]:
        before = b.stream_events
        key = next((c.value for c in b.session.cookie_jar if c.key == "citizen_web"), "").partition(".")[0]
        s0 = time.perf_counter()
        async with b.session.post(base + "bench/deliver", params={"key": key}) as resp:
            await resp.json()
        while b.stream_events == before and time.perf_counter() - s0 < 5:
            await asyncio.sleep(0.002)
        live.append(time.perf_counter() - s0)
    for task in listeners:
        task.cancel()
    await asyncio.gather(*listeners, return_exceptions=True)
    for s in sessions:
        await s.close()
    await connector.close()
    lat = sorted(x for b in crowd for x in b.latencies)
    live.sort()
    return {
        "messages": len(lat),
        "seconds": elapsed,
        "mps": len(lat) / elapsed if elapsed else 0.0,
        "p50_ms": percentile(lat, 50) * 1000,
        "p99_ms": percentile(lat, 99) * 1000,
        "errors": sum(b.errors for b in crowd),
        "why": [w for b in crowd for w in b.why][:8],
        "receipts": sum(b.receipts for b in crowd),
        "forms": forms,
        "live_p50_ms": percentile(live, 50) * 1000,
        "live_max_ms": (live[-1] if live else 0.0) * 1000,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args: argparse.Namespace) -> int:
    import psutil

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        port = free_port()
        parent, child = mp.Pipe()
        ctx = mp.get_context("spawn")
        proc = ctx.Process(target=server_process, args=(db, port, child), daemon=True)
        proc.start()
        parent.poll(120)
        parent.recv()
        base = f"http://127.0.0.1:{port}/"
        ps = psutil.Process(proc.pid)
        peak = [ps.memory_info().rss]
        stop = [False]

        async def sample() -> None:
            while not stop[0]:
                try:
                    peak[0] = max(peak[0], ps.memory_info().rss)
                except psutil.Error:
                    return
                await asyncio.sleep(0.05)

        async def main() -> tuple[dict[str, Any], dict[str, Any] | None, float]:
            import aiohttp

            for _ in range(100):  # the port opens a moment after "ready"
                try:
                    async with aiohttp.ClientSession() as s, s.get(base + "healthz") as r:
                        if r.status == 200:
                            break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.1)
            sampler = asyncio.create_task(sample())
            fast = await phase(base, args.browsers, args.messages, args.forms, 0.0, 1)
            slow = (
                await phase(base, args.browsers, args.messages, args.forms, args.think, 2)
                if args.think
                else None
            )
            async with aiohttp.ClientSession() as s, s.get(base + "bench/stats") as r:
                maxrss = (await r.json())["maxrss_mb"]
            stop[0] = True
            await sampler
            return fast, slow, maxrss

        fast, slow, maxrss = asyncio.run(main())
        proc.terminate()
        proc.join(10)
    rss_mb = max(peak[0] / 2**20, maxrss)
    print(
        f"throughput: {fast['messages']} messages by {args.browsers} browsers in {fast['seconds']:.1f} s"
        f" = {fast['mps']:.0f} messages/s; p50 {fast['p50_ms']:.1f} ms, p99 {fast['p99_ms']:.1f} ms"
        " (saturated); "
        f"errors {fast['errors']}; receipts {fast['receipts']}/{fast['forms']}"
    )
    if slow:
        print(
            f"latency (think {args.think:.2f} s): {slow['messages']} messages, "
            f"{slow['mps']:.0f} messages/s offered; "
            f"p50 {slow['p50_ms']:.1f} ms, p99 {slow['p99_ms']:.1f} ms; errors {slow['errors']}; "
            f"receipts {slow['receipts']}/{slow['forms']}"
        )
    for why in fast["why"] + (slow["why"] if slow else []):
        print("  error:", why)
    print(
        f"live delivery to an open page: p50 {fast['live_p50_ms']:.0f} ms, max {fast['live_max_ms']:.0f} ms"
    )
    print(f"peak RSS of the server: {rss_mb:.0f} MB")
    checks = [
        (">= 300 messages/s", fast["mps"] >= TARGET_MPS, f"{fast['mps']:.0f}"),
        (
            "p99 <= 100 ms",
            slow is not None and slow["p99_ms"] <= TARGET_P99_MS,
            f"{slow['p99_ms']:.1f} ms" if slow else "not measured",
        ),
        ("peak RSS <= 250 MB", rss_mb <= TARGET_RSS_MB, f"{rss_mb:.0f} MB"),
        (
            "no errors, every form receipted",
            fast["errors"] == 0
            and fast["receipts"] == fast["forms"]
            and (slow is None or (slow["errors"] == 0 and slow["receipts"] == slow["forms"])),
            "",
        ),
    ]
    for name, ok, value in checks:
        print(f"  {'met ' if ok else 'MISS'} {name} {value}")
    return 0 if all(ok for _, ok, _ in checks) else 1


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--browsers", type=int, default=50)
    p.add_argument("--messages", type=int, default=1500, help="messages per phase (about)")
    p.add_argument("--forms", type=int, default=50, help="form completions per phase")
    p.add_argument("--think", type=float, default=0.2, help="latency phase: mean think time (s); 0: skip")
    return run(p.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
