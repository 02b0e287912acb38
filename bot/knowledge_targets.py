"""What administrators may edit in the knowledge files, and how those files are read and written
as YAML that keeps comments (``bot.knowledge_edit`` builds previews, saves and reverts on it).

- ``EDITABLE``/``FieldSpec``: which fields of which lists are editable, with their labels and
  kinds; the seed-derived texts (duty text, service content, policy sections) stay with
  ``knowledge import``.
- ``round_trip_yaml``: ruamel.yaml configured so comments, order and quoting survive an edit.
- ``Target``/``targets``: every editable item of a knowledge directory (an entry, a form, a
  message file ...).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

Kind = Literal["text", "longtext", "lines", "int", "date", "times"]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: Kind = "text"
    help: str = ""


def _f(name: str, label: str, kind: Kind = "text", help: str = "") -> FieldSpec:
    return FieldSpec(name, label, kind, help)


KEYWORDS = _f("keywords", "关键词", "lines", "居民可能用到的说法，每行一个")
QUESTIONS = _f("questions", "示例问题", "lines", "每行一个问题")
NOTES = _f("notes", "补充说明", "lines", "每行一条")
TIMES = _f("times", "时间段", "times", "每行一段：时间 说明，如 10:00-10:03 预先警报；不知道就留空")

#: (file pattern, list key) -> the fields administrators own there. "*" matches any file name.
EDITABLE: dict[tuple[str, str], tuple[FieldSpec, ...]] = {
    ("departments/*", "duties"): (_f("title", "职责标题"), KEYWORDS, QUESTIONS),
    ("departments/*", "services"): (
        _f("phone", "联系电话", help="留空 = 尚未公布"),
        NOTES,
        KEYWORDS,
        QUESTIONS,
    ),
    ("departments/*", "policies"): (KEYWORDS, QUESTIONS),
    ("chat.yaml", "intents"): (_f("phrases", "示例问题", "lines", "每行一个说法"),),
    ("events.yaml", "events"): (
        _f("title", "活动名称"),
        _f("date", "日期（只办一天）", "date", "如 2026-06-09；留空 = 尚未公布"),
        _f("start", "开始日期", "date", "办几天时填写开始和结束日期"),
        _f("end", "结束日期", "date"),
        TIMES,
        _f("place", "地点", help="留空 = 尚未公布"),
        _f("organiser", "承办科室"),
        _f("booking", "预约办法", help="电话、地点等；留空 = 尚未公布"),
        NOTES,
        KEYWORDS,
    ),
    ("events.yaml", "rules"): (
        _f("title", "活动名称"),
        TIMES,
        _f("place", "地点", help="留空 = 尚未公布"),
        _f("organiser", "承办科室"),
        NOTES,
        KEYWORDS,
    ),
    ("archives.yaml", "archives"): (
        _f("name", "名称"),
        _f("address", "地址", help="留空 = 尚未公布"),
        _f("phone", "电话", help="留空 = 尚未公布"),
        _f("hours", "办公时间", help="留空 = 尚未公布"),
        _f("turnaround_working_days", "办理时限（工作日）", "int", "留空则用统一时限"),
        _f("aliases", "其他叫法", "lines", "每行一个"),
        _f("services", "查档服务简介", "longtext"),
    ),
    ("archives.yaml", ""): (
        _f("turnaround_working_days", "统一办理时限（工作日）", "int", "留空 = 尚未公布"),
        _f("pickup_bring", "领取时携带的材料", "lines", "每行一条"),
    ),
    ("referrals.yaml", "referrals"): (
        _f("name", "部门或窗口"),
        _f("handles", "办理哪些事", "longtext"),
        _f("keywords", "关键词", "lines", "每行一个；用 + 连接的几个词须同时出现"),
        _f("phone", "电话", help="留空 = 不显示"),
        _f("address", "地址", help="留空 = 不显示"),
        _f("hours", "办公时间", help="留空 = 不显示"),
    ),
}

#: Where the example questions of an entry live (what the review loop attaches to).
QUESTION_FIELDS = {
    "duties": "questions",
    "services": "questions",
    "policies": "questions",
    "intents": "phrases",
}

#: The message catalogue: one file per capability (bot/messages.py).
MESSAGES_FOLDER = "messages"

LIST_LABELS = {
    "duties": "部门职责",
    "services": "服务事项",
    "policies": "监管规则",
    "intents": "对话意图",
    "events": "一次性活动",
    "rules": "每年的日子",
    "archives": "档案馆",
    "referrals": "转介部门",
    "": "全局设置",
}


class EditError(Exception):
    """Shown to the administrator as is (Chinese)."""


# --------------------------------------------------------------------------- YAML


def round_trip_yaml(explicit_null: bool = True) -> Any:
    """A ruamel.yaml instance that keeps comments, order and quoting (shared with bot/review.py).

    ``explicit_null``: write ``null`` for a missing value, as the generated department files
    do (``flow: null``); the hand-kept files leave it empty (``date:``). Each mode has its own
    representer class: ruamel's ``add_representer`` changes the class it is called on."""
    from ruamel.yaml import YAML

    rt = YAML()
    rt.Representer = _NullRepresenter if explicit_null else _EmptyRepresenter
    rt.preserve_quotes = True
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)
    return rt


def _representers() -> tuple[type, type]:
    from ruamel.yaml.representer import RoundTripRepresenter

    class Null(RoundTripRepresenter):
        pass

    class Empty(RoundTripRepresenter):
        pass

    Null.add_representer(type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null"))
    Empty.add_representer(type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", ""))
    return Null, Empty


_NullRepresenter, _EmptyRepresenter = _representers()


def yaml_for(file: str) -> Any:
    """The round-trip settings that leave ``file``'s untouched lines as they are."""
    return round_trip_yaml(explicit_null=file.startswith("departments/"))


def dump(rt: Any, data: Any) -> str:
    out = io.StringIO()
    rt.dump(data, out)
    return out.getvalue()


def find_item(data: Any, list_key: str, item_id: str) -> Any:
    """The mapping with ``id == item_id`` in ``data[list_key]`` (or ``data`` itself for "")."""
    if not isinstance(data, dict):
        return None
    if not list_key:
        return data
    for item in data.get(list_key) or []:
        if isinstance(item, dict) and str(item.get("id")) == item_id:
            return item
    return None


def _fast_load(text: str) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """One editable thing: an entry of a list in a file, or a file's own settings (list "")."""

    file: str  # relative to the knowledge root, e.g. "departments/baixiang.yaml"
    list_key: str
    item_id: str
    title: str
    group: str  # what the browse page groups by: the department's name, or the file's topic
    fields: tuple[FieldSpec, ...]

    @property
    def key(self) -> str:
        return f"{self.file}|{self.list_key}|{self.item_id}"


def specs_for(file: str, list_key: str) -> tuple[FieldSpec, ...] | None:
    pattern = "departments/*" if file.startswith("departments/") else file
    return EDITABLE.get((pattern, list_key))


def _messages_targets(root: Path) -> list[Target]:
    """One target per message key (a whole catalogue in one form would be too long to post)."""
    spec = "保留 {占位符}，如 {reference}"
    out: list[Target] = []
    for path in sorted((root / MESSAGES_FOLDER).glob("*.yaml")):
        data = _fast_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            continue
        file = f"{MESSAGES_FOLDER}/{path.name}"
        out += [
            Target(file, "", str(k), f"话术：{k}", "消息目录", (_f(str(k), "文字", "longtext", spec),))
            for k in data
        ]
    return out


def targets(root: Path) -> list[Target]:
    """Everything editable under ``root``, departments first (in file order)."""
    out: list[Target] = []
    for path in sorted((root / "departments").glob("*.yaml")):
        data = _fast_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            continue
        rel = f"departments/{path.name}"
        group = str(data.get("name") or path.stem)
        for list_key in ("duties", "services", "policies"):
            specs = specs_for(rel, list_key) or ()
            for item in data.get(list_key) or []:
                if isinstance(item, dict) and item.get("id"):
                    title = f"{LIST_LABELS[list_key]}：{item.get('title', '')}"
                    out.append(Target(rel, list_key, str(item["id"]), title, group, specs))
    for file, group, list_keys in (
        ("chat.yaml", "对话", ("intents",)),
        ("events.yaml", "活动日历", ("events", "rules")),
        ("archives.yaml", "异地查档", ("", "archives")),
        ("referrals.yaml", "转介目录", ("referrals",)),
    ):
        path = root / file
        if not path.exists():
            continue
        data = _fast_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            continue
        for list_key in list_keys:
            specs = specs_for(file, list_key) or ()
            if not list_key:
                out.append(Target(file, "", "", f"{group}：{LIST_LABELS['']}", group, specs))
                continue
            for item in data.get(list_key) or []:
                if isinstance(item, dict) and item.get("id"):
                    name = item.get("title") or item.get("name") or item["id"]
                    out.append(
                        Target(
                            file, list_key, str(item["id"]), f"{LIST_LABELS[list_key]}：{name}", group, specs
                        )
                    )
    return out + _messages_targets(root)


def find_target(root: Path, file: str, list_key: str, item_id: str) -> Target:
    for t in targets(root):
        if (t.file, t.list_key, t.item_id) == (file, list_key, item_id):
            return t
    raise EditError(f"没有找到要编辑的条目：{file} {item_id or list_key or ''}".strip())


def question_target(root: Path, entry_id: str) -> Target:
    """The target whose example questions belong to ``entry_id`` (for the review loop)."""
    for t in targets(root):
        if t.item_id == entry_id and t.list_key in QUESTION_FIELDS:
            return t
    raise EditError(f"没有编号为 {entry_id} 的条目")
