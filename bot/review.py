"""Staff learn from real residents: kept questions grouped, and one attached to an entry.

Every declined, suggested and 没用-rated question is kept scrubbed in the store's ``review``
table. `citizen-bot knowledge review` groups them by similarity (newest group first) so staff see
which phrasings keep failing; `--attach N ENTRY_ID` adds question N to that entry's example
questions in its YAML file, keeping the file's comments and order (ruamel.yaml round trip), and
checks that the knowledge still loads, restoring the file otherwise. `--label N ENTRY_ID` files
it in `labelled_questions.yaml` instead (`bot.labelled`: no limit on how many an entry holds;
the matcher asks them for a second opinion), or under ``decline`` for another office's business.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from bot.knowledge import KnowledgeError, load_knowledge
from bot.messages import Catalogue
from bot.text import normalize

#: A clause of a kept question: up to and including its closing punctuation.
CLAUSE_RE = re.compile(r"[^，。？！；,.?!;\s]+[，。？！；,.?!;\s]*")
#: What `bot.masking.scrub` left of a phone number, ID or e-mail address ("138****5678").
MASKED_RE = re.compile(r"\*{2,}")

#: Two kept questions this similar (rapidfuzz token-set ratio on normalised text) share a group.
SIMILAR = 60.0


@dataclass
class ReviewGroup:
    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def newest(self) -> str:
        return self.items[0]["at"]


def group_items(items: list[dict[str, Any]]) -> list[ReviewGroup]:
    """Greedy grouping of newest-first items: each joins the first group it resembles."""
    groups: list[tuple[str, ReviewGroup]] = []
    for item in items:
        key = normalize(item["text"])
        for rep, group in groups:
            if fuzz.token_set_ratio(" ".join(key), " ".join(rep)) >= SIMILAR:
                group.items.append(item)
                break
        else:
            groups.append((key, ReviewGroup([item])))
    return [g for _, g in groups]


def kind_labels(msg: Catalogue) -> dict[str, str]:
    """Why a question was kept (the ``review`` table's kind), in words."""
    return {
        "declined": msg.text("console.review_kind_declined"),
        "suggested": msg.text("console.review_kind_suggested"),
        "unhelpful": msg.text("console.review_kind_unhelpful"),
    }


def format_groups(groups: list[ReviewGroup], msg: Catalogue | None = None) -> str:
    """The groups as text for the terminal (``msg``: the office's wording; the bundled one if None)."""
    from bot.knowledge_edit import BUNDLED_KNOWLEDGE, catalogue_at

    msg = msg or catalogue_at(BUNDLED_KNOWLEDGE)
    if not groups:
        return msg.text("console.review_empty")
    kinds = kind_labels(msg)
    lines = []
    for n, group in enumerate(groups, 1):
        lines.append(msg.text("console.review_group", number=n, count=len(group.items), newest=group.newest))
        for item in group.items:
            reply = item["reply"].replace("\n", " ")[:60]
            kind = kinds.get(item["kind"], item["kind"])
            lines.append(f"  [{item['id']}] {item['text']}  ({kind}: {reply})")
    lines.append(msg.text("console.review_attach_hint"))
    return "\n".join(lines)


class AttachError(Exception):
    """Shown to the administrator as is (Chinese, names the file/entry)."""


def example_text(question: str) -> str:
    """A kept question as an example question: the clauses carrying masked personal data
    ("我电话138****5678") left out, they say nothing about what was asked."""
    kept = [c for c in CLAUSE_RE.findall(question) if not MASKED_RE.search(c)]
    return "".join(kept).strip() or question


def attach_question(root: Path, entry_id: str, question: str) -> Path:
    """Append `question` (`example_text`) to the example questions (chat intents: phrases) of
    `entry_id`."""
    from bot.knowledge_edit import catalogue_at, round_trip_yaml

    question = example_text(question)

    msg = catalogue_at(root)
    yaml = round_trip_yaml()  # round trip: comments, order and quoting survive
    candidates = sorted((root / "departments").glob("*.yaml")) + [root / "chat.yaml"]
    for path in candidates:
        original = path.read_text(encoding="utf-8")
        data = yaml.load(original)
        target, key = _find(data, entry_id)
        if target is None:
            continue
        values = target.get(key)
        if values is None:
            target[key] = values = []
        if question in values:
            raise AttachError(
                msg.text("console.review_already_there", file=path.name, entry=entry_id, field=key)
            )
        values.append(question)
        out = io.StringIO()
        yaml.dump(data, out)
        path.write_text(out.getvalue(), encoding="utf-8")
        try:
            load_knowledge(root)
        except KnowledgeError as exc:
            path.write_text(original, encoding="utf-8")
            raise AttachError(msg.text("console.review_restored", problems=str(exc))) from None
        return path
    raise AttachError(msg.text("console.ke_no_entry", entry=entry_id))


def labelled_text(original: str, label: str, question: str) -> str:
    """labelled_questions.yaml's text with `question` filed under `label`: a line added at the end
    of the label's list (a new list at the end of the file), so comments and order stay."""
    lines = original.splitlines() or ["questions:"]
    item = "    - " + json.dumps(question, ensure_ascii=False)
    head = f"  {label}:"
    if head in lines:
        at = lines.index(head) + 1
        while at < len(lines) and lines[at].startswith("    "):
            at += 1
        lines.insert(at, item)
    else:
        lines += [head, item]
    return "\n".join(lines) + "\n"


def label_question(root: Path, label: str, question: str) -> Path:
    """File `question` (`example_text`) under `label` in labelled_questions.yaml
    (`labelled_text`); the knowledge must still load, or the file is restored."""
    from bot.knowledge_edit import catalogue_at
    from bot.labelled import FILE

    msg = catalogue_at(root)
    path = root / FILE
    existed = path.exists()
    original = path.read_text(encoding="utf-8") if existed else ""
    path.write_text(labelled_text(original, label, example_text(question)), encoding="utf-8")
    try:
        load_knowledge(root)
    except KnowledgeError as exc:
        if existed:
            path.write_text(original, encoding="utf-8")
        else:
            path.unlink()
        raise AttachError(msg.text("console.review_restored", problems=str(exc))) from None
    return path


def _find(data: Any, entry_id: str) -> tuple[Any, str]:
    if not isinstance(data, dict):
        return None, ""
    for list_key, field_name in (
        ("duties", "questions"),
        ("services", "questions"),
        ("policies", "questions"),
        ("intents", "phrases"),
    ):
        for item in data.get(list_key) or []:
            if isinstance(item, dict) and item.get("id") == entry_id:
                return item, field_name
    return None, ""
