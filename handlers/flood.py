"""Per-resident flood control: a token bucket per Telegram user, checked before the engine runs.

Policy (issue 5):

* Every resident **message** (text, commands, media, edits) costs one token. A bucket holds
  ``burst`` tokens and refills at ``rate`` tokens per second; with the defaults (burst 10, one
  per second) a person typing answers, or pasting a few lines as separate messages, never
  notices it, while 30 messages in a second get 10 engine turns, not 30.
* A message without a token is **dropped**: it never reaches the engine (so it costs no matcher
  or database work and is not relayed to staff). The first dropped message gets one polite
  notice (the channel sends ``telegram.flood`` from the catalogue); further drops are silent
  until ``cooldown`` seconds have passed since that notice. The notice tells the resident to
  send again, so nothing is lost silently.
* **Button presses are never limited.** They answer a question the bot asked (确认提交, 是，删除,
  a choice), each is acknowledged by Telegram's callback answer, and dropping one could leave a
  form unconfirmed. Their rate is bounded by the buttons the bot itself sends.
* Staff replying to request cards in private chats are not limited (they are handled before
  this check).

The guard is in-process and self-contained (no Telegram imports, monotonic clock injectable),
so it also serves another channel or a pre-check in an update processor::

    guard = FloodGuard()
    verdict = guard.check(user_id)     # Verdict.ALLOW / Verdict.NOTICE / Verdict.DROP

Memory is bounded: buckets that have refilled completely are the same as no bucket and are
pruned when the table grows past ``max_keys``.
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

DEFAULT_BURST = 10
DEFAULT_RATE = 1.0
DEFAULT_COOLDOWN = 10.0


class Verdict(enum.Enum):
    ALLOW = "allow"
    #: Dropped; tell the resident (once per cooldown).
    NOTICE = "notice"
    #: Dropped silently (already told).
    DROP = "drop"


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    noticed_at: float | None = None


class FloodGuard:
    """Token bucket per key (a Telegram user id). Thread-safe; O(1) per check."""

    def __init__(
        self,
        burst: int = DEFAULT_BURST,
        rate: float = DEFAULT_RATE,
        cooldown: float = DEFAULT_COOLDOWN,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 50_000,
    ) -> None:
        self.burst = float(max(1, burst))
        self.rate = max(float(rate), 1e-6)
        self.cooldown = float(cooldown)
        self.clock = clock
        self.max_keys = max(1, max_keys)
        self._buckets: dict[Hashable, _Bucket] = {}
        self._lock = threading.Lock()
        #: Messages dropped since start (for /stats or logs).
        self.dropped = 0

    def check(self, key: Hashable) -> Verdict:
        """Take a token for one message of ``key``; the verdict says what to do with it."""
        now = self.clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= self.max_keys:
                    self._prune(now)
                bucket = self._buckets[key] = _Bucket(self.burst, now)
            else:
                bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.rate)
                bucket.stamp = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return Verdict.ALLOW
            self.dropped += 1
            if bucket.noticed_at is None or now - bucket.noticed_at >= self.cooldown:
                bucket.noticed_at = now
                return Verdict.NOTICE
            return Verdict.DROP

    def _prune(self, now: float) -> None:
        full = [
            k
            for k, b in self._buckets.items()
            if b.tokens + (now - b.stamp) * self.rate >= self.burst
            and (b.noticed_at is None or now - b.noticed_at >= self.cooldown)
        ]
        for k in full:
            del self._buckets[k]
        if len(self._buckets) >= self.max_keys:  # everyone is busy: forget the oldest
            oldest = sorted(self._buckets, key=lambda k: self._buckets[k].stamp)
            for k in oldest[: len(oldest) // 2 + 1]:
                del self._buckets[k]

    def __len__(self) -> int:
        return len(self._buckets)
