"""Staff learn from real residents: kept questions grouped, and one attached to an entry.

Every declined, suggested and 没用-rated question is kept scrubbed in the store's ``review``
table. `citizen-bot knowledge review` groups them by similarity (newest group first) so staff see
which phrasings keep failing; `--attach N ENTRY_ID` adds question N to that entry's example
questions in its YAML file, keeping the file's comments and order (ruamel.yaml round trip), and
checks that the knowledge still loads, restoring the file otherwise.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from bot.knowledge import KnowledgeError, load_knowledge
from bot.text import normalize

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


def format_groups(groups: list[ReviewGroup]) -> str:
    if not groups:
        return "没有待审阅的问题。"
    kinds = {"declined": "已拒答", "suggested": "不确定", "unhelpful": "评为没用"}
    lines = []
    for n, group in enumerate(groups, 1):
        lines.append(f"第{n}组（{len(group.items)}条，最近 {group.newest}）")
        for item in group.items:
            reply = item["reply"].replace("\n", " ")[:60]
            lines.append(
                f"  [{item['id']}] {item['text']}  ({kinds.get(item['kind'], item['kind'])}: {reply})"
            )
    lines.append("把某条问题加为条目的示例问题：citizen-bot knowledge review --attach 编号 条目编号")
    return "\n".join(lines)


class AttachError(Exception):
    """Shown to the administrator as is (Chinese, names the file/entry)."""


def attach_question(root: Path, entry_id: str, question: str) -> Path:
    """Append `question` to the example questions (chat intents: phrases) of `entry_id`."""
    from bot.knowledge_edit import round_trip_yaml

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
            raise AttachError(f"{path.name}: {entry_id}: {key}: 已经有这个问题了")
        values.append(question)
        out = io.StringIO()
        yaml.dump(data, out)
        path.write_text(out.getvalue(), encoding="utf-8")
        try:
            load_knowledge(root)
        except KnowledgeError as exc:
            path.write_text(original, encoding="utf-8")
            raise AttachError(f"加入后知识库校验失败，已恢复原文件：{exc}") from None
        return path
    raise AttachError(f"没有编号为 {entry_id} 的条目")


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
