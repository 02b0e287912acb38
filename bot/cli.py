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
            "referral": reply.referral,  # for a decline: who handles it (referrals.yaml id)
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
            ok = reply.intent == "decline"  # a referral is a decline that says who handles it
            counts["oos_declined"] += ok
            counts["oos_referred"] += bool(reply.referral)
            counts["oos_suggested"] += reply.intent == "suggest"
            if not ok:
                misses.append(f"NOT DECLINED  {row['q']!r} -> {reply.intent} {ids[:3]}")
            continue
        counts["in"] += 1
        top1 = bool(ids) and ids[0] in gold
        counts["top1"] += top1
        counts["top3"] += bool(gold & set(ids[:3]))
        counts["wrongly_declined"] += reply.intent == "decline"
        counts["suggested"] += reply.intent == "suggest"
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
        # `suggest` is neither an answer nor a decline: reported on its own
        "in_scope_suggested": counts["suggested"] / n_in,
        "oos_referred": counts["oos_referred"] / n_oos,
        "oos_suggested": counts["oos_suggested"] / n_oos,
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
    return 0


def cmd_knowledge_review(args: argparse.Namespace) -> int:
    """List kept questions grouped by similarity, or attach one to an entry's example questions."""
    from bot import review
    from bot.terminal import open_store

    store = open_store(args.db)
    if store is None:
        return 2
    with store:
        items = store.review_items(limit=args.limit if args.attach is None else 100_000)
    if args.attach is None:
        print(review.format_groups(review.group_items(items)))
        return 0
    number, entry_id = args.attach
    item = next((i for i in items if str(i["id"]) == number), None)
    if item is None:
        print(f"没有编号为 {number} 的待审阅问题。", file=sys.stderr)
        return 1
    try:
        path = review.attach_question(args.knowledge, entry_id, item["text"])
    except review.AttachError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"已把“{item['text']}”加为 {entry_id} 的示例问题（{path}）。重新加载知识库后生效。")
    return 0


def cmd_knowledge_import(args: argparse.Namespace) -> int:
    from bot.seed_import import import_seeds

    written = import_seeds(list(args.seeds), args.knowledge / "departments")
    for path in written:
        print(f"wrote {path}")
    return 0


def cmd_report_foi(args: argparse.Namespace) -> int:
    """Section 三 of the annual 政府信息公开 report from the request log (bot/report.py)."""
    import os

    from bot.knowledge import Problem
    from bot.outcomes import load_outcomes_file
    from bot.report import foi_report, render_text, write_report
    from bot.store import Store, StoreError
    from bot.terminal import default_db_path

    problems: list[Problem] = []
    catalogue = load_outcomes_file(args.knowledge, problems)
    if catalogue is None:
        print("知识库文件有错误 (knowledge files have errors):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    env_db = os.environ.get("CITIZEN_BOT_DB")
    db_path = args.db or (Path(env_db) if env_db else default_db_path())
    if not db_path.exists():
        print(f"数据库 {db_path} 不存在：请用 --db 指定办理记录所在的数据库文件。", file=sys.stderr)
        return 2
    if args.out is not None and args.out.suffix.lower() not in (".csv", ".xlsx"):
        print(f"--out 只支持 .csv 或 .xlsx 文件：{args.out}", file=sys.stderr)
        return 2
    try:
        with Store(db_path) as store:
            report = foi_report(store, args.year, catalogue)
    except StoreError as exc:
        print(f"无法读取数据库 {db_path}：{exc.message}", file=sys.stderr)
        return 2
    print(render_text(report))
    if args.out is not None:
        write_report(report, args.out)
        print(f"已写入 {args.out}")
    return 0


#: Where `citizen-bot console link` points when --base-url is not given.
CONSOLE_URL_ENV = "CITIZEN_BOT_CONSOLE_URL"


def cmd_console_link(args: argparse.Namespace) -> int:
    """Print a one-time console login link (deployments without Telegram, or a first admin)."""
    import os

    from bot.console_auth import create_login_link, user_key
    from bot.terminal import open_store

    user = user_key(args.user)
    if not user or len(user) > 64:
        print("用户标识不能为空，且不超过64个字符。", file=sys.stderr)
        return 2
    base_url = args.base_url or os.environ.get(CONSOLE_URL_ENV) or "http://127.0.0.1:8080"
    store = open_store(args.db)
    if store is None:
        return 1
    try:
        link = create_login_link(store, user, "admin" if args.admin else "staff", base_url, source="cli")
    finally:
        store.close()
    print(link)
    print("登录链接5分钟内有效，只能使用一次。", file=sys.stderr)
    return 0


def cmd_web(args: argparse.Namespace) -> int:
    from handlers.web.server import serve  # the web channel; bot/ never imports handlers/ at load

    return serve(args)


# ---------------------------------------------------------------------- parser


def _web_arguments(p: argparse.ArgumentParser) -> None:
    """`citizen-bot web` options (handlers.web itself is imported only when the command runs)."""
    p.add_argument("--listen", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    p.add_argument(
        "--behind-tls",
        action="store_true",
        help="TLS ends at a reverse proxy: Secure cookies, trust X-Forwarded-Proto/-For/-Host",
    )
    p.add_argument(
        "--frame-ancestors",
        action="append",
        metavar="SOURCE",
        help="a page allowed to embed the chat (CSP frame-ancestors), e.g. https://www.example.gov.cn; "
        "repeatable (default: only this site)",
    )
    p.add_argument(
        "--origin",
        action="append",
        metavar="ORIGIN",
        help="public origin of the page, e.g. https://chat.example.gov.cn (repeatable; default: from Host)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="citizen-bot", description="柏乡县人民政府办公室 政务服务助手")
    sub = parser.add_subparsers(dest="command", required=True)

    from bot import terminal

    terminal.add_parser(sub, _knowledge_arg)

    from bot import config

    config.add_run_parser(sub, _knowledge_arg)  # `citizen-bot run`: the Telegram channel

    p = sub.add_parser("web", help="the chat page for a web browser (no Telegram token needed)")
    p.add_argument("--db", type=Path, default=None, help="SQLite file (default: as for `chat`)")
    _knowledge_arg(p)
    _web_arguments(p)
    p.set_defaults(func=cmd_web)

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
    kp = ksub.add_parser(
        "review", help="questions residents asked that the bot declined, was unsure of, or was rated 没用"
    )
    kp.add_argument(
        "--attach", nargs=2, metavar=("N", "ENTRY_ID"), help="add question N to ENTRY_ID's questions"
    )
    kp.add_argument("--limit", type=int, default=200, help="how many recent questions to list")
    kp.add_argument("--db", type=Path, default=None, help="SQLite file (default: the user data directory)")
    _knowledge_arg(kp)
    kp.set_defaults(func=cmd_knowledge_review)
    kp = ksub.add_parser("import", help="turn seed documents into knowledge/departments/*.yaml")
    kp.add_argument("seeds", nargs="+", type=Path)
    _knowledge_arg(kp)
    kp.set_defaults(func=cmd_knowledge_import)

    from datetime import date

    p = sub.add_parser("report", help="reports for administrators")
    rsub = p.add_subparsers(dest="report_command", required=True)
    rp = rsub.add_parser(
        "foi",
        help="政府信息公开年度报告 第三部分：收到和处理政府信息公开申请情况",
        description="Counts 新收, 上年结转, each outcome and 结转下年度 by applicant type.",
    )
    rp.add_argument(
        "--year", type=int, default=date.today().year - 1, help="report year (default: last year)"
    )
    rp.add_argument("--out", type=Path, default=None, help="also write the table to FILE.csv or FILE.xlsx")
    rp.add_argument(
        "--db",
        type=Path,
        default=None,
        help="SQLite file (default: $CITIZEN_BOT_DB or the user data directory)",
    )
    _knowledge_arg(rp)
    rp.set_defaults(func=cmd_report_foi)

    p = sub.add_parser("console", help="the office's web console")
    csub = p.add_subparsers(dest="console_command", required=True)
    cp = csub.add_parser("link", help="print a one-time login link (valid 5 minutes, single use)")
    cp.add_argument("user", help="who logs in: a Telegram user id (digits) or another staff key")
    cp.add_argument("--admin", action="store_true", help="administrator (default: staff)")
    cp.add_argument("--db", type=Path, default=None, help="SQLite file (default: as for `chat`)")
    cp.add_argument(
        "--base-url", default=None, help=f"the site's address (default: ${CONSOLE_URL_ENV} or http://127.0.0.1:8080)"
    )
    cp.set_defaults(func=cmd_console_link)

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
