"""Simulated residents for load tests, fault tests and ``bench/e2e.py``.

A ``Driver`` runs in its own thread next to a ``FakeTelegram`` in the same process; the bot may
run anywhere (this process's event loop, or another process such as ``citizen-bot run``). Each
``Resident`` works through a plan of tasks, one message at a time, the way a person does: it
sends the next message only after the bot answered the previous one.

* ``ask``: one free-text question (from tests/data/resident_questions.jsonl).
* ``menu``: /start, then a main-menu button (常见问题, 人防活动, 预警订阅).
* ``form``: the 信息公开 application from /start to the receipt. The resident answers whatever
  the bot's latest message asks for (not a fixed script), so a form that resumes after a
  restart, a validation message or a repeated prompt is answered correctly.

Latency is measured from the push of an update to the first sendMessage to that chat recorded
by FakeTelegram after it (``Call.time`` is time.monotonic() at arrival; the push time is taken
in this process, and CLOCK_MONOTONIC is system-wide). Everything is bounded: a resident that
gets no answer within ``stall_after`` seconds re-sends once (the update may have been lost in a
crash), and gives up after ``give_up_after``; the whole run stops at ``deadline``.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from stdnum.cn import ric

from tests.fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = re.compile(r"\b(?:GK|CD|RF|ZX)-\d{8}-\d{4}\b")
RECEIPT_MARK = "申请编号"
MOBILE = "13812345678"
FIRST_RESIDENT = 20_000

#: (text in the bot's latest message, what the resident does), checked in this order.
FORM_ANSWERS: list[tuple[str, tuple[str, str]]] = [
    ("请核对", ("press", "确认提交")),
    ("申请人类型", ("press", "公民")),
    ("什么形式", ("press", "电子")),
    ("什么方式", ("press", "邮寄")),
    ("用途", ("press", "跳过")),
    ("通信地址", ("text", "柏乡县某某镇某某村1号")),
    ("手机号码", ("text", MOBILE)),
    ("身份证号码", ("text", "{id}")),
    ("请描述", ("text", "2025年本县道路改造工程的立项批复文件")),
    ("姓名", ("text", "{name}")),
    ("继续填写", ("press", "继续填写")),
]
MENU_BUTTONS = ["常见问题", "人防活动", "预警订阅"]
SURNAMES = "张王李赵刘陈杨黄周吴"


def open_flood_gate(app: Any) -> None:
    """A handful of simulated residents stand in for thousands of people who each type at most
    a message a second: lift the per-resident flood guard (handlers/flood.py) for them."""
    try:
        from handlers.flood import FloodGuard
    except ImportError:  # older tree without flood control
        return
    app.bot_data["flood"] = FloodGuard(burst=10**9, rate=10**9)


def valid_id(n: int) -> str:
    body = f"130102{1986 + n % 18:04d}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


@cache
def questions() -> list[str]:
    path = ROOT / "tests" / "data" / "resident_questions.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row["q"] for row in rows if row.get("gold")]  # in scope: declines lead to a person


def plan_for(n: int, messages: int, forms: int, rng: random.Random) -> list[str]:
    """About ``messages`` updates with ``forms`` form completions (a form is about 12 updates)."""
    tasks = ["form"] * forms
    budget = messages - 12 * forms
    while budget > 0:
        if rng.random() < 0.6:
            tasks.append("ask")
            budget -= 1
        else:
            tasks.append("menu")
            budget -= 2
    rng.shuffle(tasks)
    return tasks


@dataclass
class Received:
    index: int
    message_id: int
    text: str
    buttons: dict[str, str]  # label -> callback_data
    time: float


@dataclass
class Resident:
    user: int
    tasks: list[str]
    rng: random.Random
    name: str = ""
    id_number: str = ""
    # progress
    task: str | None = None
    step: int = 0
    waiting_since: float | None = None  # push time of the unanswered update
    stuck_since: float | None = None  # answered, but nothing to do yet (a prompt still to come)
    last_action: tuple[str, str] | None = None
    resent: bool = False
    inbox: list[Received] = field(default_factory=list)
    consumed: int = 0  # inbox items already looked at
    receipts: list[str] = field(default_factory=list)
    done: bool = False
    failed: str | None = None
    sent: int = 0
    pressed_end: set[int] = field(default_factory=set)  # 结束人工 pressed on these messages

    def latest(self) -> Received | None:
        return self.inbox[-1] if self.inbox else None

    def button(self, label: str) -> Received | None:
        for msg in reversed(self.inbox):
            if label in msg.buttons:
                return msg
        return None


class Driver:
    """Drives ``residents`` against ``fake`` from a background thread (``start`` / ``join``)."""

    def __init__(
        self,
        fake: FakeTelegram,
        residents: list[Resident],
        *,
        deadline: float = 120.0,
        stall_after: float = 10.0,
        give_up_after: float = 30.0,
        think: float = 0.0,
        settle: float = 0.015,
        clear_calls: bool = False,
    ) -> None:
        self.fake = fake
        self.residents = {r.user: r for r in residents}
        self.deadline = deadline
        self.stall_after = stall_after
        self.give_up_after = give_up_after
        self.think = think
        self.settle = settle
        self.clear_calls = clear_calls
        self.latencies: list[float] = []
        #: the slowest replies: (seconds, what the resident did, seconds since the run started)
        self.slowest: list[tuple[float, str, float]] = []
        self.pushed = 0
        self.started = 0.0
        self.finished = 0.0
        self.staff_messages: list[str] = []
        self.errors: list[str] = []
        #: residents who waited past ``stall_after`` and acted again (lost updates show up here)
        self.stalls: list[str] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._due: dict[int, float] = {}  # user -> when to act next (settle / think time)
        self.cursor = 0

    # ---------------------------------------------------------------- running

    def start(self) -> Driver:
        self._thread = threading.Thread(target=self._run, name="load-driver", daemon=True)
        self._thread.start()
        return self

    def join(self, timeout: float | None = None) -> None:
        assert self._thread is not None
        self._thread.join(timeout if timeout is not None else self.deadline + 5)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    @property
    def active(self) -> list[Resident]:
        return [r for r in self.residents.values() if not r.done]

    def _run(self) -> None:
        try:
            self._loop()
        except Exception as exc:  # reported, never silent
            self.errors.append(f"driver crashed: {exc!r}")
        finally:
            self.finished = time.monotonic()

    def _loop(self) -> None:
        self.started = time.monotonic()
        end = self.started + self.deadline
        self.cursor = self.fake.mark()
        for resident in self.residents.values():
            self._advance(resident)
        while self.active and not self._stop.is_set():
            now = time.monotonic()
            if now > end:
                self.errors.append(f"deadline: {len(self.active)} residents unfinished")
                break
            wait = 0.2
            if self._due:
                wait = max(0.0, min(wait, min(self._due.values()) - now))
            if wait > 0:
                try:
                    self.fake.wait_for(method="sendMessage", since=self.cursor, timeout=wait)
                except TimeoutError:
                    pass
            self._collect()
            self._fire_due()
            self._check_stalls()

    def _collect(self) -> None:
        if self.clear_calls:
            taken, self.cursor = self.fake.take_calls(since=self.cursor)
        else:
            taken = self.fake.calls(since=self.cursor)
            self.cursor = taken[-1].index + 1 if taken else self.cursor
        calls = [c for c in taken if c.method == "sendMessage"]
        for call in calls:
            if not call.ok or call.message is None:
                continue
            chat = call.message["chat"]["id"]
            resident = self.residents.get(chat)
            if resident is None:
                self.staff_messages.append(call.text or "")
                continue
            buttons = {b["text"]: b.get("callback_data", "") for row in call.buttons() for b in row}
            resident.inbox.append(
                Received(call.index, call.message["message_id"], call.text or "", buttons, call.time)
            )
            if resident.waiting_since is not None:
                waited = call.time - resident.waiting_since
                self.latencies.append(waited)
                if len(self.slowest) < 5 or waited > self.slowest[-1][0]:
                    what = f"{resident.task}: {resident.last_action}"
                    self.slowest = sorted([*self.slowest, (waited, what, call.time - self.started)])[::-1][:5]
                resident.waiting_since = None
            if not resident.done:
                # a turn may send several messages: act once none came for ``settle`` seconds
                pause = self.settle + (self.think * resident.rng.uniform(0.5, 1.5) if self.think else 0.0)
                self._due[chat] = time.monotonic() + pause

    def _fire_due(self) -> None:
        if not self._due:
            return
        now = time.monotonic()
        ready = [u for u, t in self._due.items() if t <= now]
        for user in ready:
            del self._due[user]
            self._advance(self.residents[user])

    def _check_stalls(self) -> None:
        now = time.monotonic()
        for r in self.active:
            if r.waiting_since is None and r.stuck_since is not None and r.user not in self._due:
                stuck = now - r.stuck_since
                if stuck > self.give_up_after:
                    latest = r.latest()
                    r.failed = f"stuck in {r.task} after {(latest.text if latest else '')[:40]!r}"
                    r.done = True
                elif stuck > self.stall_after and not r.resent and r.last_action is not None:
                    r.resent = True  # "please send again" (busy, flood notice): do so once
                    self.stalls.append(f"resident {r.user} stuck in {r.task} for {stuck:.0f}s: sent again")
                    self._do(r, r.last_action, resend=True)
                continue
            if r.waiting_since is None:
                continue
            waited = now - r.waiting_since
            if waited > self.give_up_after:
                r.failed = f"no answer to {r.last_action} after {waited:.0f}s (task {r.task})"
                r.done = True
            elif waited > self.stall_after and not r.resent and r.last_action is not None:
                r.resent = True  # the update may have been lost (a crash): say it again once
                self.stalls.append(f"resident {r.user} unanswered {waited:.0f}s ({r.last_action}): resent")
                self._do(r, r.last_action, resend=True)

    # ---------------------------------------------------------------- residents

    def _advance(self, r: Resident) -> None:
        """Look at what arrived since the last action and do the next thing (or wait)."""
        if r.waiting_since is not None or r.done:
            return
        fresh = r.inbox[r.consumed :]
        r.consumed = len(r.inbox)
        if r.task == "form":
            for msg in fresh:
                for ref in REFERENCE.findall(msg.text) if RECEIPT_MARK in msg.text else []:
                    if ref not in r.receipts:
                        r.receipts.append(ref)
            if fresh and RECEIPT_MARK in fresh[-1].text:
                r.task = None
            else:
                action = self._form_action(r)
                if action is None:
                    r.stuck_since = r.stuck_since or time.monotonic()
                    return  # the prompt has not arrived yet
                self._do(r, action)
                return
        if r.task is not None and r.task != "form":
            action = self._simple_action(r)
            if action is not None:
                self._do(r, action)
                return
            r.task = None
        if r.task is None:
            for msg in r.inbox[-4:]:
                if "结束人工" in msg.buttons and msg.message_id not in r.pressed_end:
                    # handed over to a person (questions now go to staff, unanswered): end it
                    r.pressed_end.add(msg.message_id)
                    self._do(r, ("press", "结束人工"))
                    return
            if not r.tasks:
                r.done = True
                return
            r.task, r.step = r.tasks.pop(0), 0
            if r.task == "form":
                self._do(r, ("text", "/start"))
                r.step = 1
                return
            self._advance(r)

    def _form_action(self, r: Resident) -> tuple[str, str] | None:
        if r.step == 1:  # after /start
            r.step = 2
            return ("press", "信息公开申请")
        latest = r.latest()
        if latest is None:
            return None
        for mark, (kind, value) in FORM_ANSWERS:
            if kind == "press" and value not in latest.buttons:
                continue  # e.g. "请核对" in a validation message: only the summary has 确认提交
            # a message may carry a notice before the question: typed answers go to its last part
            where = latest.text if kind == "press" else latest.text.split("\n\n")[-1]
            if mark in where or mark in latest.buttons:
                return kind, value.format(name=r.name, id=r.id_number)
        return None

    def _simple_action(self, r: Resident) -> tuple[str, str] | None:
        r.step += 1
        if r.task == "ask":
            return ("text", r.rng.choice(questions())) if r.step == 1 else None
        if r.task == "menu":
            if r.step == 1:
                return ("text", "/start")
            if r.step == 2:
                return ("press", r.rng.choice(MENU_BUTTONS))
        return None

    def _do(self, r: Resident, action: tuple[str, str], *, resend: bool = False) -> None:
        kind, value = action
        r.stuck_since = None
        if not resend:
            r.resent = False
        r.last_action = action
        if kind == "press":
            msg = r.button(value)
            if msg is None:
                r.failed = f"no button {value!r} (task {r.task})"
                r.done = True
                return
            r.waiting_since = time.monotonic()
            self.fake.push_callback(r.user, r.user, msg.buttons[value], msg.message_id)
        else:
            r.waiting_since = time.monotonic()
            self.fake.push_message(r.user, r.user, value)
        r.sent += 1
        self.pushed += 1

    # ---------------------------------------------------------------- results

    def receipts(self) -> dict[int, list[str]]:
        return {r.user: list(r.receipts) for r in self.residents.values()}

    def failures(self) -> list[str]:
        return [f"resident {r.user}: {r.failed}" for r in self.residents.values() if r.failed]

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies)
        elapsed = (self.finished or time.monotonic()) - self.started
        return {
            "updates": self.pushed,
            "seconds": elapsed,
            "updates_per_s": self.pushed / elapsed if elapsed else 0.0,
            "p50_ms": 1000 * percentile(lat, 50),
            "p99_ms": 1000 * percentile(lat, 99),
            "max_ms": 1000 * (lat[-1] if lat else 0.0),
            "mean_ms": 1000 * (statistics.fmean(lat) if lat else 0.0),
            "receipts": sum(len(r.receipts) for r in self.residents.values()),
            "tasks": Counter(t for r in self.residents.values() for t in r.tasks),
            "failures": len(self.failures()),
            "staff_messages": len(self.staff_messages),
            "stalls": list(self.stalls),
            "slowest": list(self.slowest),
        }


def percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, round(pct / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


def make_residents(
    count: int, messages: int, forms: int, *, seed: int = 5, first: int = FIRST_RESIDENT
) -> list[Resident]:
    """``count`` residents sharing about ``messages`` updates and ``forms`` form completions."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        my_forms = forms // count + (1 if i < forms % count else 0)
        my_messages = messages // count + (1 if i < messages % count else 0)
        user = first + i
        out.append(
            Resident(
                user=user,
                tasks=plan_for(i, my_messages, my_forms, rng),
                rng=random.Random(seed * 100_003 + i),
                name=SURNAMES[i % len(SURNAMES)] + "某" + "一二三四五六七八九十"[i % 10],
                id_number=valid_id(i),
            )
        )
    return out


def check_log(
    store: Any, receipts: dict[int, list[str]], resident_key: Any, *, exact: bool = True
) -> list[str]:
    """Every receipt's reference is in the store once, for its resident; references unique;
    integrity ok; with ``exact`` also no request without a receipt (after a crash a request may
    be filed while its receipt was never sent). Returns the problems (empty = all good)."""
    problems = []
    rows = list(store.db.query("SELECT reference, resident FROM requests WHERE prefix = 'GK'"))
    by_ref = Counter(row["reference"] for row in rows)
    owner = {row["reference"]: row["resident"] for row in rows}
    dupes = [ref for ref, n in by_ref.items() if n > 1]
    if dupes:
        problems.append(f"duplicate references: {dupes[:5]}")
    told = {ref: user for user, refs in receipts.items() for ref in refs}
    for ref, user in told.items():
        if ref not in owner:
            problems.append(f"receipt {ref} (resident {user}) not in the log")
        elif owner[ref] != resident_key(user):
            problems.append(f"receipt {ref} belongs to {owner[ref]}, told to {user}")
    per_resident = Counter(row["resident"] for row in rows)
    for user, refs in receipts.items():
        filed = per_resident.get(resident_key(user), 0)
        if filed != len(set(refs)) if exact else filed < len(set(refs)):
            problems.append(f"resident {user}: {len(set(refs))} receipts, {filed} requests")
    integrity = store.integrity_check()
    if integrity != "ok":
        problems.append(f"integrity_check: {integrity}")
    return problems
