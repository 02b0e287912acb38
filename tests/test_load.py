"""Load (issue 5): many residents at once through the real Application; nothing is lost.

The full soak (200 residents, 10,000 updates, 500 forms) is ``bench/e2e.py --soak`` (about
two minutes on the 2-core machine). This test runs a reduced size (``SIZE``: 200 residents,
5,000 updates, 250 forms) that keeps it under a minute in CI, with the same checks: every
receipt's reference is in the request log exactly once and for the right resident, no
request without a receipt, references unique, ``integrity_check() == 'ok'``, nothing left in
the outbox, no errors.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from handlers.telegram.common import resident_key
from tests.fake_telegram import FakeTelegram
from tests.load_support import Driver, check_log, make_residents, open_flood_gate
from tests.telegram_support import running, until

#: residents, updates, completed forms
SIZE = (200, 5_000, 250)

pytestmark = pytest.mark.slow


async def test_many_residents_at_once_lose_nothing(tmp_path):
    residents_n, messages, forms = SIZE
    with FakeTelegram() as fake:
        async with running(fake, tmp_path / "bot.db", send_rate=100_000.0, send_burst=10_000) as h:
            open_flood_gate(h.app)
            residents = make_residents(residents_n, messages, forms, seed=3)
            driver = Driver(fake, residents, deadline=150, stall_after=30, give_up_after=60, clear_calls=True)
            started = time.monotonic()
            driver.start()
            while driver._thread.is_alive():
                await asyncio.sleep(0.1)
            elapsed = time.monotonic() - started
            await until(lambda: h.store.outbox_pending() == 0, 30)  # the last staff cards
            summary = driver.summary()
            print(f"load: {summary['updates']} updates in {elapsed:.1f} s, p99 {summary['p99_ms']:.0f} ms")

            assert driver.errors == [] and driver.failures() == []
            assert summary["updates"] >= messages * 0.9
            receipts = driver.receipts()
            assert sum(len(refs) for refs in receipts.values()) == forms
            assert check_log(h.store, receipts, resident_key) == []
            assert h.store.outbox_pending() == 0
            assert h.store.integrity_check() == "ok"
    assert h.errors == []
