"""`citizen-bot ask|match|eval|knowledge`: the knowledge files and the matcher from a terminal."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.knowledge import KnowledgeError, load_knowledge
from bot.labelled import DECLINE
from bot.matcher.linear import MODEL_FILE, linear_model_is_stale
from bot.startup import load_knowledge_or_exit, say
from cli import KnowledgeArg


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.qa import answer_question
    from bot.sanitize import clean_text

    knowledge = load_knowledge_or_exit(args.knowledge)
    # argv bytes that are not UTF-8 arrive as lone surrogates ('\udcff'): U+FFFD, as in `chat`
    print(answer_question(knowledge, clean_text(" ".join(args.question))).text)
    return 0


def cmd_match(args: argparse.Namespace) -> int:
    from bot.qa import answer_question
    from bot.sanitize import clean_text

    knowledge = load_knowledge_or_exit(args.knowledge)
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
            "referral": reply.referral,  # for a decline: who handles it (referrals.yaml id)
        }
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.evaluation import evaluate

    knowledge = load_knowledge_or_exit(args.knowledge)
    rows = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    report, misses = evaluate(knowledge, rows, conversation=args.conversation)
    if args.verbose:
        for miss in misses:
            print(miss)
    tags = ", ".join(f"{t} {v:.2f}" for t, v in report["per_tag_top1"].items())
    print(f"per tag top-1: {tags}")
    print(
        f"questions: {report['in_scope']} in scope, {report['out_of_scope']} out of scope | "
        f"top-1 {report['top1']:.3f}  top-3 {report['top3']:.3f}  "
        f"top-1 or the other county's entry offered {report['top1_or_offered']:.3f}"
    )
    print(
        f"out-of-scope declined {report['oos_declined']:.3f}  "
        f"in-scope wrongly declined {report['in_scope_wrongly_declined']:.3f}  "
        f"facts in answer {report['facts_in_answer']:.3f}"
        + (f" (in the chat {report['facts_in_chat']:.3f})" if report["facts_in_chat"] else "")
    )
    print(
        f"suggested (neither answer nor decline): in scope {report['in_scope_suggested']:.3f}  "
        f"out of scope {report['oos_suggested']:.3f} | out of scope referred {report['oos_referred']:.3f}"
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
    if linear_model_is_stale(knowledge):
        print(
            f"note: {MODEL_FILE} learned from other labelled questions than the file holds now; it is"
            " still used (the new questions count through the nearest questions): to retrain it,"
            " scripts/train_labelled_model.py"
        )
    return 0


def cmd_knowledge_review(args: argparse.Namespace) -> int:
    """List kept questions grouped by similarity, or attach one to an entry's example questions."""
    from bot import review
    from bot.startup import open_store

    store = open_store(args.db)
    if store is None:
        return 2
    with store:
        chosen = args.attach or args.label
        items = store.review_items(limit=args.limit if chosen is None else 100_000)
    if chosen is None:
        print(review.format_groups(review.group_items(items)))
        return 0
    number, entry_id = chosen
    item = next((i for i in items if str(i["id"]) == number), None)
    if item is None:
        print(say("admin.no_review_item", number=number), file=sys.stderr)
        return 1
    try:
        # "another office's business" is no entry to hold an example question: it is a label
        if args.attach and entry_id != DECLINE:
            path = review.attach_question(args.knowledge, entry_id, item["text"])
            print(say("admin.attached", question=item["text"], entry=entry_id, path=path))
        else:
            path = review.label_question(args.knowledge, entry_id, item["text"])
            print(say("admin.labelled", question=item["text"], entry=entry_id, path=path))
    except review.AttachError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


def cmd_knowledge_import(args: argparse.Namespace) -> int:
    from bot.seed_import import import_seeds

    written = import_seeds(list(args.seeds), args.knowledge / "departments")
    for path in written:
        print(f"wrote {path}")
    return 0


def add_parsers(sub: argparse._SubParsersAction, knowledge_arg: KnowledgeArg) -> None:
    p = sub.add_parser("ask", help="answer one question as a resident would see it")
    p.add_argument("question", nargs="+")
    knowledge_arg(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("match", help='JSON lines in ({"q": ...}), JSON lines out')
    p.add_argument("--jsonl", action="store_true", required=True)
    knowledge_arg(p)
    p.set_defaults(func=cmd_match)

    p = sub.add_parser("eval", help="accuracy on a labelled JSONL file")
    p.add_argument("file", type=Path)
    p.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    p.add_argument(
        "--conversation",
        action="store_true",
        help="read consecutive questions of one persona (first tag) as one conversation",
    )
    knowledge_arg(p)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("knowledge", help="administer the knowledge files")
    ksub = p.add_subparsers(dest="knowledge_command", required=True)
    kp = ksub.add_parser("check", help="validate every knowledge file")
    knowledge_arg(kp)
    kp.set_defaults(func=cmd_knowledge_check)
    kp = ksub.add_parser("review", help=say("admin.cli_review"))
    how = kp.add_mutually_exclusive_group()
    how.add_argument(
        "--attach",
        nargs=2,
        metavar=("N", "ENTRY_ID"),
        help="add question N to ENTRY_ID's questions ('decline': as --label)",
    )
    how.add_argument(
        "--label",
        nargs=2,
        metavar=("N", "ENTRY_ID"),
        help="file question N under ENTRY_ID (or 'decline') in labelled_questions.yaml",
    )
    kp.add_argument("--limit", type=int, default=200, help="how many recent questions to list")
    kp.add_argument("--db", type=Path, default=None, help="SQLite file (default: the user data directory)")
    knowledge_arg(kp)
    kp.set_defaults(func=cmd_knowledge_review)
    kp = ksub.add_parser("import", help="turn seed documents into knowledge/departments/*.yaml")
    kp.add_argument("seeds", nargs="+", type=Path)
    knowledge_arg(kp)
    kp.set_defaults(func=cmd_knowledge_import)
