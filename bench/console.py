"""The web console's pages with 100,000 requests in the store (issue 14: each <= 200 ms).

Run on demand (not a test): `.venv/bin/python bench/console.py [--rows 100000] [--repeat 7]`.
Everything runs on this machine in a temporary directory; nothing leaves it.

Store: 1,000 requests made through the Store API (three services, both channels, assignees,
staff replies, 需补正, closures with history rows, ratings, declined questions), then copied in
SQL with new references and residents, and dates moved back up to three years (copies are
closed requests of earlier years, as in bench/scale.py: the open queue stays the office's),
until `--rows`; 100,000 audit rows too. Each page is fetched over HTTP from the console
(aiohttp's test server on 127.0.0.1, logged in as an administrator, so the audit write of each
page view is included) and timed from request to the last byte: median and worst of `--repeat`.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.store import COMPLETED, IN_PROGRESS, LOCAL_TZ, NEEDS_CORRECTION, Store  # noqa: E402

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=LOCAL_TZ)
TARGET_MS = 200.0


def seed(path: Path, base: int) -> list[str]:
    """`base` requests through the Store API; returns a few references to open."""
    store = Store(path)
    kinds = [("信息公开", "GK", 20), ("异地查档", "CD", 5), ("人防预约", "RF", None), ("咨询", "ZX", None)]
    start = NOW - timedelta(days=120)
    refs = []
    for i in range(base):
        kind, prefix, days = kinds[i % len(kinds)]
        at = start + timedelta(minutes=170 * i)
        resident = f"tg:{100000 + i % 400}" if i % 5 else f"web:bench{i % 97:04d}"
        applicant = "公民" if i % 3 else "法人或其他组织"
        fields = {"applicant_type": applicant, "name": "测试人", "mobile": "13812345678"}
        req = store.create_request(
            kind,
            prefix,
            resident,
            {"form": "disclosure", "fields": fields},
            "县政府办公室",
            at.date(),
            at.date() + timedelta(days=days * 7 // 5) if days else None,
            False,
            at,
            applicant_type="自然人" if i % 3 else "商业企业",
        )
        refs.append(req.reference)
        staff = f"tg:{900 + i % 6}"
        if i % 3 == 0:
            store.assign(req.reference, staff, at + timedelta(hours=1))
            store.add_message(req.reference, "staff", staff, "已收到，正在办理。", at + timedelta(hours=3))
            store.set_status(req.reference, IN_PROGRESS, by=staff, now=at + timedelta(hours=3))
            if i % 9 == 0:
                store.add_note(req.reference, staff, "内部备注", at + timedelta(hours=4))
            if i % 15 == 0:
                store.set_status(req.reference, NEEDS_CORRECTION, by=staff, now=at + timedelta(days=1))
            elif i < base * 0.9:
                store.set_status(req.reference, COMPLETED, by=staff, now=at + timedelta(days=(i % 30) + 1))
        if i % 7 == 0:
            store.add_rating(f"baixiang/service/{i % 9 + 1}", resident, "down" if i % 2 else "up", at)
        if i % 4 == 0:
            store.log_review(f"没有答案的问题{i % 40}", "declined", "", at)
    store.close()
    db = sqlite3.connect(path)  # a log of the past: most Telegram-era requests are closed
    db.execute(
        "UPDATE requests SET status = ? WHERE rowid % 10 != 0 AND created_at < ?",
        [COMPLETED, (NOW - timedelta(days=30)).isoformat()],
    )
    db.commit()
    db.close()
    return [refs[0], refs[len(refs) // 2], refs[-1]]


def grow(path: Path, rows: int) -> None:
    """Copy requests with their history and messages (new references, earlier dates) to `rows`."""
    db = sqlite3.connect(path)
    round_no = 0
    while True:
        (have,) = db.execute("SELECT COUNT(*) FROM requests").fetchone()
        if have >= rows:
            break
        round_no += 1
        take = min(have, rows - have)
        db.execute("DROP TABLE IF EXISTS _pick")
        db.execute(
            "CREATE TEMP TABLE _pick AS SELECT reference, ((rowid * 7919 + ?) % 1000) + 30 AS shift"
            " FROM requests ORDER BY rowid LIMIT ?",
            [round_no, take],
        )
        suffix = f"-{round_no}"
        moved = "strftime('%Y-%m-%dT%H:%M:%f000', {col}, '-' || p.shift || ' days')"
        db.execute(
            "INSERT INTO requests (reference, prefix, kind, status, resident, office, data, created_at,"
            " updated_at, received_date, due_date, due_provisional, assignee, extended, closed_kind,"
            " forgotten, idempotency_key)"
            f" SELECT r.reference || ?, r.prefix, r.kind, ?, r.resident || ?, r.office, r.data,"
            f" {moved.format(col='r.created_at')}, {moved.format(col='r.updated_at')},"
            " date(r.received_date, '-' || p.shift || ' days'), date(r.due_date, '-' || p.shift || ' days'),"
            " r.due_provisional, r.assignee, r.extended, r.closed_kind, r.forgotten, NULL"
            " FROM requests r JOIN _pick p ON p.reference = r.reference",
            [suffix, COMPLETED, suffix],
        )
        for table, cols in (("request_history", "status, actor, note"), ("messages", "sender, author, text")):
            db.execute(
                f"INSERT INTO {table} (reference, {cols}, at) SELECT t.reference || ?, {cols},"
                f" {moved.format(col='t.at')} FROM {table} t JOIN _pick p ON p.reference = t.reference",
                [suffix],
            )
        db.commit()
    db.close()


def fill_audit(path: Path, rows: int) -> None:
    db = sqlite3.connect(path)
    db.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
        " INSERT INTO console_audit (at, actor, role, action, reference, detail)"
        " SELECT strftime('%Y-%m-%dT%H:%M:%f000', '2026-01-01', '+' || (i * 5) || ' minutes'),"
        " 'tg:' || (900 + i % 6), 'staff', 'list', NULL, '' FROM n",
        [rows],
    )
    db.commit()
    db.close()


async def measure(path: Path, refs: list[str], repeat: int) -> list[tuple[str, float, float, int]]:
    from aiohttp.test_utils import TestClient, TestServer

    from bot.console_auth import Roles, create_login_link
    from bot.knowledge import load_knowledge
    from handlers.console import build_app

    knowledge = load_knowledge()
    store = Store(path)
    t = time.perf_counter()
    app = build_app(store=store, knowledge_getter=lambda: knowledge, settings=Roles(), now=lambda: NOW)
    setup_ms = (time.perf_counter() - t) * 1000
    fill_audit(path, 100_000)
    some = refs[1]
    pages = [
        "/console/requests",
        "/console/requests?status=all",
        "/console/requests?status=all&page=1000",
        "/console/requests?service=信息公开&status=all",
        "/console/requests?overdue=1",
        "/console/requests?due_within=10",
        "/console/requests?assignee=tg:900&status=all",
        "/console/requests?assignee=none&status=all",
        "/console/requests?channel=web&status=all",
        "/console/requests?applicant_type=商业企业&status=all",
        "/console/requests?q=GK-2026",
        f"/console/requests/{some}",
        "/console/stats",
        "/console/stats?weeks=52",
        "/console/audit",
        "/console/audit?actor=tg:901",
    ]
    out = []
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        link = create_login_link(store, "bench-admin", "admin", "http://127.0.0.1", source="cli", now=NOW)
        token = link.split("t=", 1)[1]
        response = await client.post("/console/login", data={"t": token}, allow_redirects=False)
        assert response.status == 303, response.status
        for page in pages:
            times = []
            size = 0
            for _ in range(repeat):
                t = time.perf_counter()
                response = await client.get(page)
                body = await response.read()
                times.append((time.perf_counter() - t) * 1000)
                assert response.status == 200, (page, response.status)
                size = len(body)
            out.append((page, statistics.median(times), max(times), size))
    store.close()
    print(f"console set-up (tables, indexes) on the grown store: {setup_ms:.0f} ms")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000, help="requests in the store")
    parser.add_argument("--base", type=int, default=1000, help="requests made through the Store API")
    parser.add_argument("--repeat", type=int, default=7, help="fetches per page")
    parser.add_argument(
        "--keep", type=Path, default=None, help="build the store here and keep it (reused if there)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="console-bench-") as tmp:
        path = Path(tmp) / "console.db"
        t = time.perf_counter()
        if args.keep is not None and args.keep.exists():
            import shutil

            shutil.copy(args.keep, path)
            db = sqlite3.connect(path)
            refs = [r for (r,) in db.execute("SELECT reference FROM requests ORDER BY rowid LIMIT 3")]
            db.close()
        else:
            refs = seed(path, min(args.base, args.rows))
            grow(path, args.rows)
            if args.keep is not None:
                import shutil

                shutil.copy(path, args.keep)
        db = sqlite3.connect(path)
        counts = dict(db.execute("SELECT status, COUNT(*) FROM requests GROUP BY status").fetchall())
        db.close()
        print(f"store: {args.rows:,} requests built in {time.perf_counter() - t:.1f} s; by status {counts}")
        results = asyncio.run(measure(path, refs, args.repeat))
    worst = max(r[1] for r in results)
    print(f"\npage (median of {args.repeat} fetches, ms; worst; bytes)")
    for page, median, top, size in results:
        flag = "" if median <= TARGET_MS else "  OVER TARGET"
        print(f"{median:8.1f} {top:8.1f} {size:8,}  {page}{flag}")
    verdict = "ok" if worst <= TARGET_MS else "MISSED"
    print(f"\nslowest median {worst:.1f} ms (target <= {TARGET_MS:.0f} ms): {verdict}")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
