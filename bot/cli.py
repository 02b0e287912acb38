"""`citizen-bot`: the terminal entry point for residents, administrators and developers."""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from bot.knowledge import BUNDLED_KNOWLEDGE, KnowledgeError, load_knowledge


def _knowledge_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--knowledge", type=Path, default=BUNDLED_KNOWLEDGE, help="knowledge directory")


def _load(path: Path):
    try:
        return load_knowledge(path)
    except KnowledgeError as exc:
        print("知识库文件有错误 (knowledge files have errors):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        raise SystemExit(2) from None


# ---------------------------------------------------------------------- commands


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.qa import answer_question
    from bot.sanitize import clean_text

    knowledge = _load(args.knowledge)
    # argv bytes that are not UTF-8 arrive as lone surrogates ('\udcff'): U+FFFD, as in `chat`
    print(answer_question(knowledge, clean_text(" ".join(args.question))).text)
    return 0


def cmd_match(args: argparse.Namespace) -> int:
    from bot.qa import answer_question
    from bot.sanitize import clean_text

    knowledge = _load(args.knowledge)
    stream = getattr(sys.stdin, "buffer", None)
    for number, raw in enumerate(stream if stream is not None else sys.stdin, 1):
        try:
            line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError as exc:
            error = f"line {number} is not valid UTF-8 (byte {exc.start})"
            print(json.dumps({"error": error, "line": number}), flush=True)
            continue
        line = line.strip()
        if not line:
            continue
        try:
            query = json.loads(line)["q"]
        except RecursionError:  # '[[[[…' thousands deep: one bad line, not the end of the stream
            print(json.dumps({"error": f"line {number} is nested too deeply", "line": number}), flush=True)
            continue
        except (ValueError, KeyError, TypeError):
            print(json.dumps({"error": 'each line must be a JSON object with a "q" field'}), flush=True)
            continue
        if not isinstance(query, str | int | float) or isinstance(query, bool):
            print(json.dumps({"error": f'line {number}: "q" must be a string', "line": number}), flush=True)
            continue
        query = clean_text(str(query))  # "\ud800" in JSON is a lone surrogate
        try:
            reply = answer_question(knowledge, query)
        except Exception as exc:  # one failed line is reported, the stream goes on
            error = f"line {number} could not be answered ({type(exc).__name__})"
            print(json.dumps({"error": error, "line": number}), flush=True)
            continue
        out = {
            "q": query,
            "intent": reply.intent,
            "top": [{"id": c.id, "title": c.title, "score": c.score} for c in reply.top],
            "answer": reply.text,
        }
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0


def evaluate(knowledge, rows: list[dict]) -> tuple[dict, list[str]]:
    """Accuracy figures for a labelled question file; also the misses, for `-v`."""
    from bot.qa import answer_question

    counts: dict[str, float] = defaultdict(float)
    tags: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: list[str] = []
    for row in rows:
        gold = set(row["gold"])
        reply = answer_question(knowledge, row["q"])
        ids = [c.id for c in reply.top]
        if gold == {"none"}:
            counts["oos"] += 1
            ok = reply.intent == "decline"
            counts["oos_declined"] += ok
            if not ok:
                misses.append(f"NOT DECLINED  {row['q']!r} -> {reply.intent} {ids[:3]}")
            continue
        counts["in"] += 1
        top1 = bool(ids) and ids[0] in gold
        counts["top1"] += top1
        counts["top3"] += bool(gold & set(ids[:3]))
        counts["wrongly_declined"] += reply.intent == "decline"
        for tag in row.get("tags", ["plain"]):
            tags[tag][0] += top1
            tags[tag][1] += 1
        if not top1:
            misses.append(f"MISS  {row['q']!r} gold={sorted(gold)} got={reply.intent} {ids[:3]}")
        if row.get("expect"):
            counts["facts_total"] += 1
            found = all(fact in reply.text for fact in row["expect"])
            counts["facts_found"] += found
            if not found:
                misses.append(f"FACTS {row['q']!r} expected {row['expect']} in: {reply.text[:120]!r}")
    n_in, n_oos = counts["in"] or 1, counts["oos"] or 1
    report = {
        "in_scope": int(counts["in"]),
        "out_of_scope": int(counts["oos"]),
        "top1": counts["top1"] / n_in,
        "top3": counts["top3"] / n_in,
        "oos_declined": counts["oos_declined"] / n_oos,
        "in_scope_wrongly_declined": counts["wrongly_declined"] / n_in,
        "facts_in_answer": counts["facts_found"] / (counts["facts_total"] or 1),
        "per_tag_top1": {t: v[0] / v[1] for t, v in sorted(tags.items())},
    }
    return report, misses


def cmd_eval(args: argparse.Namespace) -> int:
    knowledge = _load(args.knowledge)
    rows = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    report, misses = evaluate(knowledge, rows)
    if args.verbose:
        for miss in misses:
            print(miss)
    tags = ", ".join(f"{t} {v:.2f}" for t, v in report["per_tag_top1"].items())
    print(f"per tag top-1: {tags}")
    print(
        f"questions: {report['in_scope']} in scope, {report['out_of_scope']} out of scope | "
        f"top-1 {report['top1']:.3f}  top-3 {report['top3']:.3f}"
    )
    print(
        f"out-of-scope declined {report['oos_declined']:.3f}  "
        f"in-scope wrongly declined {report['in_scope_wrongly_declined']:.3f}  "
        f"facts in answer {report['facts_in_answer']:.3f}"
    )
    return 0


def cmd_knowledge_check(args: argparse.Namespace) -> int:
    try:
        knowledge = load_knowledge(args.knowledge)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{len(exc.problems)} problem(s) found.", file=sys.stderr)
        return 1
    n = len(knowledge.entries())
    print(f"OK: {len(knowledge.departments)} departments, {n} entries, all files valid.")
    return 0


def cmd_knowledge_import(args: argparse.Namespace) -> int:
    from bot.seed_import import import_seeds

    written = import_seeds(list(args.seeds), args.knowledge / "departments")
    for path in written:
        print(f"wrote {path}")
    return 0


# ---------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="citizen-bot", description="柏乡县人民政府办公室 政务服务助手")
    sub = parser.add_subparsers(dest="command", required=True)

    from bot import terminal

    terminal.add_parser(sub, _knowledge_arg)

    from bot import config

    config.add_run_parser(sub, _knowledge_arg)  # `citizen-bot run`: the Telegram channel

    p = sub.add_parser("ask", help="answer one question as a resident would see it")
    p.add_argument("question", nargs="+")
    _knowledge_arg(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("match", help='JSON lines in ({"q": ...}), JSON lines out')
    p.add_argument("--jsonl", action="store_true", required=True)
    _knowledge_arg(p)
    p.set_defaults(func=cmd_match)

    p = sub.add_parser("eval", help="accuracy on a labelled JSONL file")
    p.add_argument("file", type=Path)
    p.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    _knowledge_arg(p)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("knowledge", help="administer the knowledge files")
    ksub = p.add_subparsers(dest="knowledge_command", required=True)
    kp = ksub.add_parser("check", help="validate every knowledge file")
    _knowledge_arg(kp)
    kp.set_defaults(func=cmd_knowledge_check)
    kp = ksub.add_parser("import", help="turn seed documents into knowledge/departments/*.yaml")
    kp.add_argument("seeds", nargs="+", type=Path)
    _knowledge_arg(kp)
    kp.set_defaults(func=cmd_knowledge_import)

    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
