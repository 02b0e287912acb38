"""Accuracy of the matcher on a labelled question file (`citizen-bot eval`, the tests' figures)."""

from __future__ import annotations

from collections import defaultdict

from bot.knowledge import Knowledge


def evaluate(knowledge: Knowledge, rows: list[dict], conversation: bool = False) -> tuple[dict, list[str]]:
    """Accuracy figures for a labelled question file; also the misses, for `-v`.

    `conversation`: consecutive rows with the same `conversation` field (else the same first
    tag, the writer's persona) are one resident's conversation, and the county a question names
    or speaks is remembered for the questions after it, as the dialog engine does. Each question
    alone is the default: the figure a question gets without its conversation."""
    from bot.qa import answer_question

    counts: dict[str, float] = defaultdict(float)
    tags: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: list[str] = []
    asked_for_facts: list[dict] = []
    speaker: object = None
    home: str | None = None
    for row in rows:
        gold = set(row["gold"])
        who = row.get("conversation") or next(iter(row.get("tags") or []), None)
        if not conversation or who != speaker:
            speaker, home = who, None
        reply = answer_question(knowledge, row["q"], home=home)
        home = reply.county or home
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
        # asked with no county named, the reply offers the other county's entry (`QAReply.other`):
        # the answer a resident of that county meant is one tap away
        offered = not top1 and reply.other in gold
        counts["top1_or_offered"] += top1 or offered
        counts["wrongly_declined"] += reply.intent == "decline"
        counts["suggested"] += reply.intent == "suggest"
        for tag in row.get("tags", ["plain"]):
            tags[tag][0] += top1
            tags[tag][1] += 1
        if not top1:
            offer = f" (offered: {reply.other})" if offered else ""
            misses.append(f"MISS  {row['q']!r} gold={sorted(gold)} got={reply.intent} {ids[:3]}{offer}")
        if row.get("expect"):
            counts["facts_total"] += 1
            found = all(fact in reply.text for fact in row["expect"])
            counts["facts_found"] += found
            if not found:
                misses.append(f"FACTS {row['q']!r} expected {row['expect']} in: {reply.text[:120]!r}")
            asked_for_facts.append(row)
    n_in, n_oos = counts["in"] or 1, counts["oos"] or 1
    report = {
        "in_scope": int(counts["in"]),
        "out_of_scope": int(counts["oos"]),
        "top1": counts["top1"] / n_in,
        "top3": counts["top3"] / n_in,
        "top1_or_offered": counts["top1_or_offered"] / n_in,
        "oos_declined": counts["oos_declined"] / n_oos,
        "in_scope_wrongly_declined": counts["wrongly_declined"] / n_in,
        # `suggest` is neither an answer nor a decline: reported on its own
        "in_scope_suggested": counts["suggested"] / n_in,
        "oos_referred": counts["oos_referred"] / n_oos,
        "oos_suggested": counts["oos_suggested"] / n_oos,
        "facts_in_answer": counts["facts_found"] / (counts["facts_total"] or 1),
        "facts_in_chat": _facts_in_chat(knowledge, asked_for_facts, misses),
        "per_tag_top1": {t: v[0] / v[1] for t, v in sorted(tags.items())},
    }
    return report, misses


def _facts_in_chat(knowledge: Knowledge, rows: list[dict], misses: list[str]) -> float:
    """The share of `rows` whose facts are in what the chat shows a resident who asks it first
    thing: the dialog engine answers the siren's date from the events calendar and remedies
    from guidance.yaml before the matcher, which `answer_question` alone does not see. Each
    question is a new resident's, in a throwaway SQLite file."""
    if not rows:
        return 0.0
    import tempfile
    from pathlib import Path

    from bot.dialog import Engine
    from bot.store import Store

    found = 0
    with tempfile.TemporaryDirectory(prefix="citizen-bot-eval-") as tmp:
        store = Store(Path(tmp) / "eval.db")
        try:
            engine = Engine(knowledge, store)
            for n, row in enumerate(rows):
                outcome = engine.handle(f"eval-{n}", text=row["q"])
                shown = "\n".join(r.text for r in outcome.replies)
                ok = all(fact in shown for fact in row["expect"])
                found += ok
                if not ok:
                    misses.append(f"CHAT FACTS {row['q']!r} expected {row['expect']} in: {shown[:120]!r}")
        finally:
            store.close()
    return found / len(rows)
