"""A province's entries segmented by two processes at once (issue 15: at 100x knowledge the
cold start is jieba over every passage, single-threaded, on a machine with two cores).

The second part of the entries goes to a forked child, which writes its results (plain data,
marshalled in chunks) to an unnamed temporary file while this process segments the first part.
The child shares nothing back but that file and runs no code of ours but `segment`; it leaves with
`os._exit`, so no atexit handler, buffer flush or finaliser of the parent runs twice. Whatever
goes wrong with it (no fork on this platform, a crash, a kill, a hang past the deadline), this
process segments what the child did not deliver: the result is the same, only slower.
"""

from __future__ import annotations

import logging
import marshal
import os
import signal
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

#: From this many entries on, a second process segments part of them. Below it, forking a
#: bot of ~150 MB costs more than the segmentation it saves.
PARALLEL_FROM_ENTRIES = 400
#: Set to "1" to segment in this process only.
WORKERS_ENV = "CITIZEN_BOT_BUILD_WORKERS"
#: Entries per marshalled chunk: what a killed child has delivered is used up to its last chunk.
CHUNK = 64
#: The child's share: a little under half, because this process also builds the postings from
#: each entry as it goes.
CHILD_SHARE = 0.45
#: How long this process waits for the child after its own part: a multiple of its own time.
DEADLINE_FACTOR = 4.0
DEADLINE_MIN_S = 30.0


def _parallel_wanted(count: int) -> bool:
    if count < PARALLEL_FROM_ENTRIES or not hasattr(os, "fork"):
        return False
    if os.environ.get(WORKERS_ENV, "").strip() == "1":
        return False
    return (os.cpu_count() or 1) >= 2


def segmented(items: Sequence[T], segment: Callable[[T], Any]) -> Iterator[Any]:
    """`segment(item)` for every item, in order. `segment` must return plain data (what marshal
    writes) and depend on nothing but its item and what existed before the call."""
    if not _parallel_wanted(len(items)):
        yield from map(segment, items)
        return
    split = len(items) - int(len(items) * CHILD_SHARE)
    out = None
    try:
        out = tempfile.TemporaryFile(prefix="citizen-bot-build-")
        with warnings.catch_warnings():  # Python 3.12+ warns when a process with threads forks:
            warnings.simplefilter("ignore", DeprecationWarning)  # the child runs `segment` only
            pid = os.fork()
    except OSError as exc:  # no temp folder, no memory for a second process: one process
        log.warning("index built in one process: %s", type(exc).__name__)
        if out is not None:
            out.close()
        yield from map(segment, items)
        return
    if pid == 0:  # pragma: no cover - runs in the child (its coverage is not collected)
        _child(items, split, segment, out)
    started = time.monotonic()
    try:
        for item in items[:split]:
            yield segment(item)
        own = time.monotonic() - started
        raw = _collect(pid, out, deadline=max(DEADLINE_MIN_S, DEADLINE_FACTOR * own))
    finally:
        _reap(pid)
        out.close()
    delivered = 0
    for chunk in _chunks(raw):  # one chunk's entries unmarshalled at a time: a province's terms
        delivered += len(chunk)  # are never all held at once
        yield from chunk
    if split + delivered < len(items):
        log.warning("index build: a second process delivered %d of %d", delivered, len(items) - split)
        yield from map(segment, items[split + delivered :])


def _child(items: Sequence[T], split: int, segment: Callable[[T], Any], out: Any) -> None:  # pragma: no cover
    code = 1
    try:
        # a signal meant for the bot ends the child; the parent's event loop never hears of it
        try:
            signal.set_wakeup_fd(-1)
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, signal.SIG_DFL)
        except (ValueError, OSError):  # not the main thread: the parent's handlers stay
            pass
        fd = out.fileno()
        for start in range(split, len(items), CHUNK):
            blob = marshal.dumps([segment(item) for item in items[start : start + CHUNK]])
            data = memoryview(len(blob).to_bytes(8, "little") + blob)
            while data:
                data = data[os.write(fd, data) :]
        code = 0
    finally:
        os._exit(code)


def _collect(pid: int, out: Any, deadline: float) -> bytes:
    """What the child wrote, once it has exited (or, past the deadline, been killed)."""
    until = time.monotonic() + deadline
    while time.monotonic() < until:
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.005)
    else:
        log.warning("index build: the second process did not finish in %.0f s", deadline)
        _kill(pid)
    out.seek(0)
    return out.read()


def _chunks(raw: bytes) -> Iterator[list[Any]]:
    """Every whole chunk in order, up to the first one cut short (by a kill) or damaged."""
    at = 0
    while at + 8 <= len(raw):
        size = int.from_bytes(raw[at : at + 8], "little")
        if at + 8 + size > len(raw):
            return
        try:
            chunk = marshal.loads(raw[at + 8 : at + 8 + size])
        except (EOFError, ValueError, TypeError):
            return
        if not isinstance(chunk, list):
            return
        yield chunk
        at += 8 + size


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _reap(pid: int) -> None:
    """No zombie left behind, whatever happened (also when the caller stopped reading early)."""
    try:
        done, _status = os.waitpid(pid, os.WNOHANG)
        if not done:
            _kill(pid)
            os.waitpid(pid, 0)
    except ChildProcessError:
        pass
