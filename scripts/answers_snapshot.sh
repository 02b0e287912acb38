#!/bin/bash
# Record what the matcher answers (intent, top ids and scores, reply text) for the question files,
# to check that a change to index building or scoring leaves every answer unchanged (issue 15).
#   scripts/answers_snapshot.sh OUTDIR [KNOWLEDGE_DIR]     record
#   diff -r BEFORE AFTER                                    compare (no output: unchanged)
# Not a test: the snapshot is of the current knowledge and decision logic, which change.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$1
knowledge=${2:-$root/knowledge}
mkdir -p "$out"
for f in "$root/tests/data/resident_questions.jsonl" "$root/../shared/eval/dev_queries.jsonl" \
         "$root/tests/data/tuning_questions.jsonl"; do
  [ -f "$f" ] || continue
  "$root/.venv/bin/citizen-bot" match --jsonl --knowledge "$knowledge" < "$f" > "$out/$(basename "$f")"
done
wc -l "$out"/*.jsonl
