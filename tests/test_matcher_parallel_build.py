"""A province's index is segmented by two processes (issue 15: the cold start at 100x knowledge
is jieba over every passage). The index is the same as one process builds, and whatever happens
to the second process (a crash, a hang, data it cannot send), the build completes without it and
leaves no process behind."""

from __future__ import annotations

import os
import time

import pytest

from bot.knowledge import load_knowledge
from bot.matcher import Matcher, parallel_build
from bot.matcher.parallel_build import segmented


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """Every process `segmented` forks, to check each was reaped; parallel from the first item."""
    monkeypatch.setattr(parallel_build, "PARALLEL_FROM_ENTRIES", 1)
    monkeypatch.setattr(parallel_build, "CHUNK", 3)
    monkeypatch.delenv(parallel_build.WORKERS_ENV, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    real_fork, pids = os.fork, []

    def fork() -> int:
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return pids


def reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_two_processes_build_the_same_index_as_one(forks, monkeypatch):
    monkeypatch.setenv("CITIZEN_BOT_INDEX_CACHE", "0")
    matcher = Matcher(load_knowledge())
    assert len(forks) == 1 and reaped(forks[0])
    monkeypatch.setenv(parallel_build.WORKERS_ENV, "1")
    assert matcher._build_index() == Matcher(load_knowledge())._build_index()
    assert len(forks) == 1  # the one-process builds forked nothing


def test_results_come_in_order_and_the_child_did_its_share(forks):
    parent = os.getpid()
    got = list(segmented(list(range(20)), lambda n: (n * n, os.getpid() == parent)))
    assert [square for square, _ in got] == [n * n for n in range(20)]
    by_parent = [mine for _, mine in got]
    assert by_parent[: 20 - int(20 * parallel_build.CHILD_SHARE)] == [True] * 11
    assert not any(by_parent[11:]), "the second part came from the child"
    assert reaped(forks[0])


def test_a_child_that_crashes_costs_only_time(forks):
    parent = os.getpid()

    def segment(n: int) -> int:
        if os.getpid() != parent and n >= 15:
            raise RuntimeError("the child fails half-way")
        return n + 100

    assert list(segmented(list(range(20)), segment)) == [n + 100 for n in range(20)]
    assert reaped(forks[0])


def test_a_child_that_hangs_is_killed_at_the_deadline(forks, monkeypatch):
    monkeypatch.setattr(parallel_build, "DEADLINE_MIN_S", 0.5)
    monkeypatch.setattr(parallel_build, "DEADLINE_FACTOR", 0.0)
    parent = os.getpid()

    def segment(n: int) -> int:
        if os.getpid() != parent and n >= 15:
            time.sleep(60)  # killed long before
        return -n

    started = time.monotonic()
    assert list(segmented(list(range(20)), segment)) == [-n for n in range(20)]
    assert time.monotonic() - started < 30
    assert reaped(forks[0])


def test_data_marshal_cannot_carry_is_computed_here(forks):
    marker = object()
    assert list(segmented([1, 2, 3, 4], lambda n: (n, marker))) == [(n, marker) for n in [1, 2, 3, 4]]
    assert reaped(forks[0])


def test_a_reader_that_stops_early_leaves_no_process(forks, monkeypatch):
    parent = os.getpid()

    def segment(n: int) -> int:
        if os.getpid() != parent:
            time.sleep(60)
        return n

    results = segmented(list(range(20)), segment)
    assert next(results) == 0
    results.close()
    assert reaped(forks[0])


def test_small_knowledge_and_the_setting_keep_one_process(monkeypatch):
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked"))
    assert list(segmented(list(range(10)), str)) == [str(n) for n in range(10)]
    monkeypatch.setattr(parallel_build, "PARALLEL_FROM_ENTRIES", 1)
    monkeypatch.setenv(parallel_build.WORKERS_ENV, "1")
    assert list(segmented(list(range(10)), str)) == [str(n) for n in range(10)]
