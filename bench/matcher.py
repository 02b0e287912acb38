"""Matcher speed and size: per-query latency, throughput, cold start, peak RSS.

Run on demand (not a test): `.venv/bin/python bench/matcher.py [--rounds N]`.
Queries come from the development set and the resident question file; nothing leaves the machine.
Targets (issue 2 and 5): p99 <= 5 ms, >= 2,000 queries/s, cold start to first answer <= 2 s.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# this tree's code, not whatever tree is installed (a worktree's run timed /work/main's until round 26)
sys.path.insert(0, str(ROOT))
QUERY_FILES = [
    ROOT.parent / "shared" / "eval" / "dev_queries.jsonl",
    ROOT / "tests" / "data" / "resident_questions.jsonl",
]

COLD_START = """
import time, sys
t0 = time.perf_counter()
from bot.knowledge import load_knowledge
from bot.qa import answer_question
reply = answer_question(load_knowledge(), "异地查档怎么办理")
print(time.perf_counter() - t0)
"""


def load_queries() -> list[str]:
    queries = []
    for path in QUERY_FILES:
        if path.exists():
            queries += [
                json.loads(line)["q"]
                for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip()
            ]
    return queries


def cold_start_seconds(runs: int = 3) -> list[float]:
    """A fresh interpreter each time: imports, knowledge load, jieba start, matcher build, one answer."""
    out = []
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-c", COLD_START],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        out.append(float(result.stdout.strip().splitlines()[-1]))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20, help="passes over the query list")
    args = parser.parse_args()

    from datetime import date

    from bot.knowledge import load_knowledge
    from bot.matcher import matcher_for
    from bot.qa import answer_question
    from bot.warm_up import warm_up

    knowledge = load_knowledge()
    queries = load_queries()
    # timed in the state the running services answer in (handlers.telegram.app.warm_up, the web
    # server): every table a reply may need read, then the knowledge and the index taken out of the
    # collector's full scans, whose pauses are no question's cost
    warm_up(knowledge, date.today())
    matcher = matcher_for(knowledge)
    gc.collect()
    gc.freeze()

    latencies = []
    start = time.perf_counter()
    for _ in range(args.rounds):
        for q in queries:
            matcher._analysis_cache.clear()  # measure the full pipeline, not the repeat-question cache
            t0 = time.perf_counter()
            answer_question(knowledge, q)
            latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    cold = cold_start_seconds()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"queries: {len(latencies)} ({len(queries)} distinct x {args.rounds} rounds), full replies")
    print(
        f"latency p50 {pct(0.50):.2f} ms  p90 {pct(0.90):.2f} ms  "
        f"p99 {pct(0.99):.2f} ms  max {latencies[-1] * 1000:.2f} ms"
    )
    print(f"throughput {len(latencies) / elapsed:,.0f} queries/s (one core)")
    runs = ", ".join(f"{c:.2f}" for c in cold)
    print(f"cold start to first answer: median {statistics.median(cold):.2f} s (runs: {runs})")
    print(f"peak RSS {rss_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
