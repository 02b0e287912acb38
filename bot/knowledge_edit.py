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
- Which fields are editable is declared here (``editable``): the seed-derived texts (duty
  text, service content, policy sections) stay with ``knowledge import``.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import yaml

from bot.knowledge import KnowledgeError, Problem, load_knowledge
from bot.messages import Catalogue
from bot.store import LOCAL_TZ, Store, to_local

Kind = Literal["text", "longtext", "lines", "int", "date", "times"]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: Kind = "text"
    help: str = ""


def _f(name: str, label: str, kind: Kind = "text", help: str = "") -> FieldSpec:
    return FieldSpec(name, label, kind, help)


def editable(msg: Catalogue) -> dict[tuple[str, str], tuple[FieldSpec, ...]]:
    """(file pattern, list key) -> the fields administrators own there ("*" matches any file
    name); the labels and hints are the office's wording (knowledge/messages/console.yaml)."""
    text = msg.text
    keywords = _f("keywords", text("console.ke_keywords"), "lines", text("console.ke_keywords_help"))
    questions = _f("questions", text("console.ke_questions"), "lines", text("console.ke_questions_help"))
    notes = _f("notes", text("console.ke_notes"), "lines", text("console.ke_one_per_line_item"))
    times = _f("times", text("console.ke_times"), "times", text("console.ke_times_help"))
    unpublished = text("console.ke_blank_unpublished")
    hidden = text("console.ke_blank_hidden")
    return {
        ("departments/*", "duties"): (_f("title", text("console.ke_duty_title")), keywords, questions),
        ("departments/*", "services"): (
            _f("phone", text("console.ke_contact_phone"), help=unpublished),
            notes,
            keywords,
            questions,
        ),
        ("departments/*", "policies"): (keywords, questions),
        ("chat.yaml", "intents"): (
            _f("phrases", text("console.ke_questions"), "lines", text("console.ke_phrases_help")),
        ),
        ("events.yaml", "events"): (
            _f("title", text("console.ke_event_title")),
            _f("date", text("console.ke_event_date"), "date", text("console.ke_event_date_help")),
            _f("start", text("console.ke_event_start"), "date", text("console.ke_event_start_help")),
            _f("end", text("console.ke_event_end"), "date"),
            times,
            _f("place", text("console.ke_place"), help=unpublished),
            _f("organiser", text("console.ke_organiser")),
            _f("booking", text("console.ke_booking"), help=text("console.ke_booking_help")),
            notes,
            keywords,
        ),
        ("events.yaml", "rules"): (
            _f("title", text("console.ke_event_title")),
            times,
            _f("place", text("console.ke_place"), help=unpublished),
            _f("organiser", text("console.ke_organiser")),
            notes,
            keywords,
        ),
        ("archives.yaml", "archives"): (
            _f("name", text("console.ke_archive_name")),
            _f("address", text("console.ke_address"), help=unpublished),
            _f("phone", text("console.ke_phone"), help=unpublished),
            _f("hours", text("console.ke_hours"), help=unpublished),
            _f(
                "turnaround_working_days",
                text("console.ke_turnaround"),
                "int",
                text("console.ke_turnaround_help"),
            ),
            _f("aliases", text("console.ke_aliases"), "lines", text("console.ke_one_per_line")),
            _f("services", text("console.ke_archive_services"), "longtext"),
        ),
        ("archives.yaml", ""): (
            _f("turnaround_working_days", text("console.ke_turnaround_all"), "int", unpublished),
            _f(
                "pickup_bring", text("console.ke_pickup_bring"), "lines", text("console.ke_one_per_line_item")
            ),
        ),
        ("referrals.yaml", "referrals"): (
            _f("name", text("console.ke_referral_name")),
            _f("handles", text("console.ke_referral_handles"), "longtext"),
            _f("keywords", text("console.ke_keywords"), "lines", text("console.ke_referral_keywords_help")),
            _f("phone", text("console.ke_phone"), help=hidden),
            _f("address", text("console.ke_address"), help=hidden),
            _f("hours", text("console.ke_hours"), help=hidden),
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
#: The knowledge shipped with the code: its wording when a directory's own catalogue has problems.
BUNDLED_KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


def list_labels(msg: Catalogue) -> dict[str, str]:
    """What each editable list is called on the browse page ("" is a file's own settings)."""
    return {
        "duties": msg.text("console.ke_list_duties"),
        "services": msg.text("console.ke_list_services"),
        "policies": msg.text("console.ke_list_policies"),
        "intents": msg.text("console.ke_list_intents"),
        "events": msg.text("console.ke_list_events"),
        "rules": msg.text("console.ke_list_rules"),
        "archives": msg.text("console.ke_list_archives"),
        "referrals": msg.text("console.ke_list_referrals"),
        "": msg.text("console.ke_list_settings"),
    }


def catalogue_at(root: Path) -> Catalogue:
    """The wording of the knowledge directory ``root`` (only its messages/ files, not the whole
    knowledge); the bundled one when that catalogue has problems (``knowledge check`` names them)."""
    from types import SimpleNamespace

    from bot.messages import load_messages

    problems: list[Problem] = []
    catalogue = load_messages(SimpleNamespace(root=Path(root)), problems)
    if problems and Path(root).resolve() != BUNDLED_KNOWLEDGE:
        return catalogue_at(BUNDLED_KNOWLEDGE)
    return catalogue


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
    #: The wording of the directory the target is in (its problems and labels).
    msg: Catalogue = field(default_factory=Catalogue, compare=False, repr=False)

    @property
    def key(self) -> str:
        return f"{self.file}|{self.list_key}|{self.item_id}"


def specs_for(file: str, list_key: str, msg: Catalogue) -> tuple[FieldSpec, ...] | None:
    pattern = "departments/*" if file.startswith("departments/") else file
    return editable(msg).get((pattern, list_key))


def _messages_targets(root: Path, msg: Catalogue) -> list[Target]:
    """One target per message key (a whole catalogue in one form would be too long to post)."""
    spec = _f("", msg.text("console.ke_message_text"), "longtext", msg.text("console.ke_message_help"))
    group = msg.text("console.ke_messages_group")
    out: list[Target] = []
    for path in sorted((root / MESSAGES_FOLDER).glob("*.yaml")):
        data = _fast_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            continue
        file = f"{MESSAGES_FOLDER}/{path.name}"
        out += [
            Target(
                file,
                "",
                str(k),
                msg.text("console.ke_message_title", key=k),
                group,
                (replace(spec, name=str(k)),),
                msg,
            )
            for k in data
        ]
    return out


def targets(root: Path) -> list[Target]:
    """Everything editable under ``root``, departments first (in file order)."""
    msg = catalogue_at(root)
    labels = list_labels(msg)
    out: list[Target] = []
    for path in sorted((root / "departments").glob("*.yaml")):
        data = _fast_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            continue
        rel = f"departments/{path.name}"
        group = str(data.get("name") or path.stem)
        for list_key in ("duties", "services", "policies"):
            specs = specs_for(rel, list_key, msg) or ()
            for item in data.get(list_key) or []:
                if isinstance(item, dict) and item.get("id"):
                    title = msg.text(
                        "console.ke_target_title", kind=labels[list_key], name=item.get("title", "")
                    )
                    out.append(Target(rel, list_key, str(item["id"]), title, group, specs, msg))
    for file, group, list_keys in (
        ("chat.yaml", msg.text("console.ke_group_chat"), ("intents",)),
        ("events.yaml", msg.text("console.ke_group_events"), ("events", "rules")),
        ("archives.yaml", msg.text("console.ke_group_archives"), ("", "archives")),
        ("referrals.yaml", msg.text("console.ke_group_referrals"), ("referrals",)),
    ):
        path = root / file
        if not path.exists():
            continue
        data = _fast_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            continue
        for list_key in list_keys:
            specs = specs_for(file, list_key, msg) or ()
            if not list_key:
                title = msg.text("console.ke_target_title", kind=group, name=labels[""])
                out.append(Target(file, "", "", title, group, specs, msg))
                continue
            for item in data.get(list_key) or []:
                if isinstance(item, dict) and item.get("id"):
                    name = item.get("title") or item.get("name") or item["id"]
                    title = msg.text("console.ke_target_title", kind=labels[list_key], name=name)
                    out.append(Target(file, list_key, str(item["id"]), title, group, specs, msg))
    return out + _messages_targets(root, msg)


def find_target(root: Path, file: str, list_key: str, item_id: str) -> Target:
    for t in targets(root):
        if (t.file, t.list_key, t.item_id) == (file, list_key, item_id):
            return t
    what = f"{file} {item_id or list_key or ''}".strip()
    raise EditError(catalogue_at(root).text("console.ke_no_target", what=what))


def question_target(root: Path, entry_id: str) -> Target:
    """The target whose example questions belong to ``entry_id`` (for the review loop)."""
    for t in targets(root):
        if t.item_id == entry_id and t.list_key in QUESTION_FIELDS:
            return t
    raise EditError(catalogue_at(root).text("console.ke_no_entry", entry=entry_id))


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


def apply_edit(text: str, target: Target, values: dict[str, str]) -> tuple[str, list[str]]:
    """The file's text with the form's values applied (only changed fields are touched) and
    problems with the form itself (not numbers where numbers go)."""
    rt = yaml_for(target.file)
    data = rt.load(text)
    item = find_item(data, target.list_key, target.item_id)
    if item is None:
        raise EditError(target.msg.text("console.ke_item_gone", file=target.file, item=target.item_id))
    problems: list[str] = []
    for spec in target.fields:
        if spec.name not in values:
            continue
        new = _parse(spec, values[spec.name], problems, target.msg)
        old = item.get(spec.name)
        if spec.name in item and _same(old, new, spec.kind):
            continue
        if spec.name not in item and new in (None, "", []):
            continue
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
