"""What administrators may edit in the knowledge files, and how those files are read and written
as YAML that keeps comments (``bot.knowledge_edit`` builds previews, saves and reverts on it).

- ``editable``/``FieldSpec``: which fields of which lists are editable, with their labels and
  kinds (the office's wording, knowledge/messages/console.yaml); the seed-derived texts (duty
  text, service content, policy sections) stay with ``knowledge import``.
- ``round_trip_yaml``: ruamel.yaml configured so comments, order and quoting survive an edit.
- ``Target``/``targets``: every editable item of a knowledge directory (an entry, a form, a
  message file ...).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import yaml

from bot.knowledge import Problem
from bot.messages import Catalogue

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
    rt.width = 1 << 16  # a long flow list (chat.yaml's patterns) stays on its one line
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
