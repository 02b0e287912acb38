"""Edit the fields administrators own in the knowledge files, safely (channel-free).

Why it looks like this:
- The YAML files are the source of truth and carry the administrators' comments; edits go
  through a ruamel.yaml round trip (``round_trip_yaml``) so comments, order and quoting
  survive, and only the fields that changed are touched.
- An edit is previewed before it is saved: applied to the text, written into a temporary copy
  of the whole knowledge directory and loaded with ``load_knowledge`` (exactly what
  ``citizen-bot knowledge check`` runs), so a bad phone list or an impossible date shows its
  problems, naming file, entry and field, and nothing is written. The preview carries a hash of
  the file it was made from: saving refuses when someone changed the file in between.
- Every save keeps the previous text in the store's ``knowledge_versions`` table, so one click
  reverts it (again only if the file still holds what was saved).
- Which fields are editable, and the YAML round trip, live in ``bot.knowledge_targets``
  (re-exported here for the console).
"""

from __future__ import annotations

import difflib
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.knowledge import KnowledgeError, Problem, load_knowledge
from bot.knowledge_targets import (
    BUNDLED_KNOWLEDGE as BUNDLED_KNOWLEDGE,
)
from bot.knowledge_targets import (
    MESSAGES_FOLDER as MESSAGES_FOLDER,
)
from bot.knowledge_targets import (
    QUESTION_FIELDS as QUESTION_FIELDS,
)
from bot.knowledge_targets import (
    EditError as EditError,
)
from bot.knowledge_targets import (
    FieldSpec as FieldSpec,
)
from bot.knowledge_targets import (  # noqa: F401 - re-exported for the console
    Kind as Kind,
)
from bot.knowledge_targets import (
    Target as Target,
)
from bot.knowledge_targets import (
    _f as _f,
)
from bot.knowledge_targets import (
    _fast_load as _fast_load,
)
from bot.knowledge_targets import (
    _messages_targets as _messages_targets,
)
from bot.knowledge_targets import (
    _representers as _representers,
)
from bot.knowledge_targets import (
    catalogue_at as catalogue_at,
)
from bot.knowledge_targets import (
    dump as dump,
)
from bot.knowledge_targets import (
    editable as editable,
)
from bot.knowledge_targets import (
    find_item as find_item,
)
from bot.knowledge_targets import (
    find_target as find_target,
)
from bot.knowledge_targets import (
    list_labels as list_labels,
)
from bot.knowledge_targets import (
    question_target as question_target,
)
from bot.knowledge_targets import (
    round_trip_yaml as round_trip_yaml,
)
from bot.knowledge_targets import (
    specs_for as specs_for,
)
from bot.knowledge_targets import (
    targets as targets,
)
from bot.knowledge_targets import (
    yaml_for as yaml_for,
)
from bot.messages import Catalogue
from bot.store import LOCAL_TZ, Store, to_local

# --------------------------------------------------------------------------- values


def _as_form(value: Any, kind: Kind) -> str:
    if value is None:
        return ""
    if kind == "lines":
        return "\n".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if kind == "times":
        if not isinstance(value, list):
            return ""
        rows = []
        for t in value:
            if isinstance(t, dict):
                rows.append(f"{t.get('time', '')} {t.get('label', '') or ''}".strip())
            else:
                rows.append(str(t))
        return "\n".join(rows)
    return str(value)


def current_text(root: Path, file: str) -> str:
    path = _path(root, file)
    return path.read_text(encoding="utf-8")


def _path(root: Path, file: str) -> Path:
    path = (root / file).resolve()
    if root.resolve() not in path.parents:
        raise EditError(catalogue_at(root).text("console.ke_bad_path"))
    return path


def form_values(root: Path, target: Target) -> dict[str, str]:
    """The target's fields as the form shows them (lists one item per line)."""
    data = _fast_load(current_text(root, target.file))
    item = find_item(data, target.list_key, target.item_id)
    if item is None:
        raise EditError(target.msg.text("console.ke_item_missing", file=target.file, item=target.item_id))
    return {f.name: _as_form(item.get(f.name), f.kind) for f in target.fields}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]


def _parse(spec: FieldSpec, raw: str, problems: list[str], msg: Catalogue) -> Any:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    text = raw.replace("\r", "")
    if spec.kind == "lines":
        return _lines(text)
    if spec.kind == "int":
        text = text.strip()
        if not text:
            return None
        if not (text.isascii() and text.isdigit()):
            problems.append(msg.text("console.ke_not_integer", label=spec.label))
            return None
        return int(text)
    if spec.kind == "date":
        text = text.strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text  # kept as text: the knowledge check names the entry and field
    if spec.kind == "times":
        out = []
        for line in _lines(text):
            time, _, label = line.partition(" ")
            item = CommentedMap()
            item["time"] = DoubleQuotedScalarString(time.strip())
            if label.strip():
                item["label"] = label.strip()
            out.append(item)
        return out
    if spec.kind == "longtext" and "\n" in text.strip():
        return LiteralScalarString(text.strip() + "\n")
    return text.strip()


def _same(old: Any, new: Any, kind: Kind) -> bool:
    return _as_form(old, kind).strip() == _as_form(new, kind).strip()


def _changes(item: Any, spec: FieldSpec, new: Any) -> bool:
    """Whether ``new`` differs from the item's field (a missing field left empty does not)."""
    if spec.name in item:
        return not _same(item.get(spec.name), new, spec.kind)
    return new not in (None, "", [])


def apply_edit(text: str, target: Target, values: dict[str, str]) -> tuple[str, list[str]]:
    """The file's text with the form's values applied (only changed fields are touched) and
    problems with the form itself (not numbers where numbers go).

    A form saved without changes gives the text back as it was, read with the fast loader
    only: the round-trip parser costs a tenth of a second on the larger message files."""
    problems: list[str] = []
    plain = find_item(_fast_load(text), target.list_key, target.item_id)
    if plain is not None and not any(
        _changes(plain, spec, _parse(spec, values[spec.name], problems, target.msg))
        for spec in target.fields
        if spec.name in values
    ):
        return text, problems
    rt = yaml_for(target.file)
    data = rt.load(text)
    item = find_item(data, target.list_key, target.item_id)
    if item is None:
        raise EditError(target.msg.text("console.ke_item_gone", file=target.file, item=target.item_id))
    problems = []
    for spec in target.fields:
        if spec.name not in values:
            continue
        new = _parse(spec, values[spec.name], problems, target.msg)
        if not _changes(item, spec, new):
            continue
        old = item.get(spec.name)
        if isinstance(new, list) and spec.kind == "lines" and hasattr(old, "extend"):
            del old[:]  # keep the sequence (and its flow or block style)
            old.extend(new)
        else:
            item[spec.name] = new
    return dump(rt, data), problems


def append_to_list(text: str, target: Target, field_name: str, value: str) -> str:
    """``value`` added to a list field (the review loop's attach and add-to-referrals)."""
    spec = next((f for f in target.fields if f.name == field_name), None)
    if spec is None or spec.kind != "lines":
        raise EditError(target.msg.text("console.ke_not_a_list", item=target.item_id, field=field_name))
    data = _fast_load(text)
    item = find_item(data, target.list_key, target.item_id) or {}
    current = [str(v) for v in (item.get(field_name) or [])]
    if value in current:
        raise EditError(
            target.msg.text(
                "console.ke_already_there",
                file=target.file,
                item=target.item_id,
                field=field_name,
                value=value,
            )
        )
    new, problems = apply_edit(text, target, {field_name: "\n".join([*current, value])})
    if problems:
        raise EditError("；".join(problems))
    return new


# --------------------------------------------------------------------------- preview / save


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Preview:
    file: str
    base: str  # digest of the text the edit was applied to
    old: str
    new: str
    diff: str
    problems: list[Problem] = field(default_factory=list)
    form_problems: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def ok(self) -> bool:
        return self.changed and not self.problems and not self.form_problems


def check_with(root: Path, file: str, new_text: str) -> list[Problem]:
    """``knowledge check`` on a temporary copy of ``root`` with ``file`` replaced."""
    with tempfile.TemporaryDirectory(prefix="knowledge-edit-") as tmp:
        copy = Path(tmp) / root.name
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".*", "__pycache__"))
        (copy / file).write_text(new_text, encoding="utf-8")
        try:
            load_knowledge(copy)
        except KnowledgeError as exc:
            return list(exc.problems)
    return []


def make_diff(file: str, old: str, new: str, msg: Catalogue) -> str:
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            msg.text("console.ke_diff_old", file=file),
            msg.text("console.ke_diff_new", file=file),
            n=2,
        )
    )


def preview_text(
    root: Path, file: str, old: str, new: str, form_problems: list[str] | None = None
) -> Preview:
    problems = check_with(root, file, new) if new != old and not form_problems else []
    return Preview(
        file,
        digest(old),
        old,
        new,
        make_diff(file, old, new, catalogue_at(root)),
        problems,
        list(form_problems or []),
    )


def preview(root: Path, target: Target, values: dict[str, str]) -> Preview:
    old = current_text(root, target.file)
    new, form_problems = apply_edit(old, target, values)
    return preview_text(root, target.file, old, new, form_problems)


# --------------------------------------------------------------------------- versions


@dataclass(frozen=True)
class Version:
    id: int
    at: datetime
    actor: str
    file: str
    item: str
    summary: str
    reverted_at: datetime | None


def ensure_schema(store: Store) -> None:
    with store._write() as db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS knowledge_versions ("
            " id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, file TEXT NOT NULL,"
            " item TEXT NOT NULL DEFAULT '', summary TEXT NOT NULL DEFAULT '',"
            " before TEXT NOT NULL, after TEXT NOT NULL, reverted_at TEXT)"
        )


def _problem_list(msg: Catalogue, problems: list[Problem]) -> str:
    """The first few problems, joined as the office's texts join lists."""
    return msg.text("console.list_separator").join(str(p) for p in problems[:5])


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def save(
    store: Store,
    root: Path,
    file: str,
    base: str,
    new: str,
    *,
    actor: str,
    item: str = "",
    summary: str = "",
    now: datetime | None = None,
) -> int:
    """Write ``new`` over ``file`` if it still is the text the preview was made from (``base``),
    after checking again; the previous text is kept as a version. Returns the version id."""
    path = _path(root, file)
    old = path.read_text(encoding="utf-8")
    msg = catalogue_at(root)
    if digest(old) != base:
        raise EditError(msg.text("console.ke_changed_since_preview"))
    problems = check_with(root, file, new)
    if problems:
        raise EditError(msg.text("console.ke_check_failed", problems=_problem_list(msg, problems)))
    at = to_local(now or datetime.now(LOCAL_TZ)).isoformat(timespec="seconds")
    with store._write() as db:
        cur = db.execute(
            "INSERT INTO knowledge_versions (at, actor, file, item, summary, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [at, actor, file, item, summary[:200], old, new],
        )
        version = int(cur.lastrowid or 0)
    _write_atomic(path, new)
    return version


def versions(store: Store, limit: int = 30) -> list[Version]:
    with store._read() as db:
        rows = db.execute(
            "SELECT id, at, actor, file, item, summary, reverted_at FROM knowledge_versions"
            " ORDER BY id DESC LIMIT ?",
            [limit],
        ).fetchall()
    return [Version(r[0], datetime.fromisoformat(r[1]), r[2], r[3], r[4], r[5], _dt(r[6])) for r in rows]


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def revert(store: Store, root: Path, version_id: int, *, now: datetime | None = None) -> str:
    """Put back the text a save replaced; refused when the file changed since that save."""
    with store._read() as db:
        row = db.execute(
            "SELECT file, before, after, reverted_at FROM knowledge_versions WHERE id = ?", [version_id]
        ).fetchone()
    msg = catalogue_at(root)
    if row is None:
        raise EditError(msg.text("console.ke_no_version"))
    file, before, after, reverted_at = row
    if reverted_at:
        raise EditError(msg.text("console.ke_already_reverted"))
    path = _path(root, file)
    if path.read_text(encoding="utf-8") != after:
        raise EditError(msg.text("console.ke_changed_since_save"))
    problems = check_with(root, file, before)
    if problems:
        raise EditError(msg.text("console.ke_revert_check_failed", problems=_problem_list(msg, problems)))
    _write_atomic(path, before)
    at = to_local(now or datetime.now(LOCAL_TZ)).isoformat(timespec="seconds")
    with store._write() as db:
        db.execute("UPDATE knowledge_versions SET reverted_at = ? WHERE id = ?", [at, version_id])
    return file
