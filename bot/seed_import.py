"""Seed documents (the offices' published duty lists) -> knowledge/departments/*.yaml.

The seeds are text dumps of Word tables and they are messy: tab-indented cells, continuation
rows with an empty 序号, merged 承办科室 cells, the table header repeated mid-table, cell text
broken across lines in the middle of a word, two bracket styles in headings. ``bot.seed_parse``
turns them into `Department` data; this module writes one YAML file per department.

What the importer owns and what administrators own:

* seed-derived fields (number, text, rows, content, office, intro, sections, and the titles of
  services and policies) are refreshed on every import;
* administrators own `keywords`, `questions`, `flow`, `notes`, a filled-in `phone` and an edited
  duty `title`; a re-import keeps them for every entry whose id is already in the file, and
  the department's `dialect` words.

Usage: ``python -m bot.seed_import ../shared/seeds/*.txt --out knowledge/departments``
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge import Department
from bot.seed_parse import SEED_NAMES, parse_seed
from bot.seed_parse import department_id as department_id
from bot.seed_parse import duty_title as duty_title

log = logging.getLogger(__name__)

HEADER_COMMENT = """\
# {name}: generated from the seed document {seed} by bot/seed_import.py.
#
# Re-running the import refreshes the seed-derived fields: number, text, rows, content, office,
# intro, sections, and the titles of services and policies. Do not edit those here; correct the
# seed instead.
# Administrators own: keywords, questions, flow, notes, phone (once filled in), duty titles and
# the department's dialect words. Edits to these are kept when the import runs again.
# phone: '' means "not published yet"; the assistant says so instead of guessing a number.
# dialect: words this county's residents type and the other counties' residents do not; a
# question naming no county leans to the county whose words it uses.
"""


# --------------------------------------------------------------------------- YAML output


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, multi-line strings as `|` blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str_representer(dumper: yaml.SafeDumper, data: str):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_representer)

#: Field order in the YAML: id, number, title, the seed's content, then administrators' fields.
FIELD_ORDER = {
    "duty": ("id", "number", "title", "text", "rows", "keywords", "questions"),
    "service": (
        "id",
        "number",
        "title",
        "content",
        "office",
        "phone",
        "flow",
        "notes",
        "keywords",
        "questions",
    ),
    "policy": ("id", "number", "title", "office", "intro", "sections", "keywords", "questions"),
}
SEED_FIELDS = {
    "duty": ("number", "text", "rows"),
    "service": ("number", "title", "content", "office"),
    "policy": ("number", "title", "office", "intro", "sections"),
}
ADMIN_FIELDS = {
    "duty": ("keywords", "questions"),
    "service": ("keywords", "questions", "flow", "notes"),
    "policy": ("keywords", "questions"),
}
_KINDS = (("duty", "duties"), ("service", "services"), ("policy", "policies"))


def department_to_data(dept: Department) -> dict[str, Any]:
    """The department as plain data in the YAML field order."""
    data: dict[str, Any] = {"id": dept.id, "name": dept.name}
    for kind, key in _KINDS:
        entries = []
        for entry in getattr(dept, key):
            dumped = entry.model_dump()
            entries.append({f: dumped[f] for f in FIELD_ORDER[kind]})
        data[key] = entries
    return data


def _merge_entry(kind: str, fresh: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    """Keep what an administrator added to `old`; take the seed's fields from `fresh`."""
    merged = dict(fresh)
    for field in ADMIN_FIELDS[kind]:
        if old.get(field) not in (None, [], ""):
            merged[field] = old[field]
    if kind == "service" and str(old.get("phone") or "").strip():
        merged["phone"] = old["phone"]
    old_title = str(old.get("title") or "").strip()
    if old_title and old_title != fresh["title"]:
        if kind == "duty":
            # Edited iff it differs from what the importer derives from the text it was made from.
            edited = old_title != duty_title(str(old.get("text") or ""))
        else:
            # A changed seed title comes with the seed; otherwise the administrator changed it.
            edited = all(old.get(f) == fresh[f] for f in SEED_FIELDS[kind] if f != "title")
        if edited:
            merged["title"] = old_title
    return merged


def merge_existing(fresh: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    """Fresh seed data with the administrators' fields from the existing file carried over."""
    if not old:
        return fresh
    merged = dict(fresh)
    if old.get("dialect"):
        merged = {"id": fresh["id"], "name": fresh["name"], "dialect": old["dialect"], **fresh}
    for kind, key in _KINDS:
        by_id = {e.get("id"): e for e in old.get(key) or [] if isinstance(e, dict)}
        merged[key] = [_merge_entry(kind, e, by_id[e["id"]]) if e["id"] in by_id else e for e in fresh[key]]
        dropped = set(by_id) - {e["id"] for e in fresh[key]}
        for entry_id in sorted(str(i) for i in dropped):
            log.warning("%s is no longer in the seed; dropped from %s", entry_id, fresh["id"])
    return merged


def dump_department(data: dict[str, Any], seed_name: str) -> str:
    body = yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10**6
    )
    return HEADER_COMMENT.format(name=data["name"], seed=seed_name) + "\n" + body


def import_seeds(
    seed_paths: list[Path], departments_dir: Path, names: Mapping[str, str] | None = None
) -> list[Path]:
    """Parse every seed and write `<department id>.yaml` into `departments_dir`.

    An existing file is merged, not overwritten: administrators' fields are kept (see module
    docstring). `names` maps a seed's file stem to its department name for seeds that do not
    name it (defaults to SEED_NAMES). Returns the written paths, in seed order.
    """
    names = {**SEED_NAMES, **(names or {})}
    departments_dir = Path(departments_dir)
    departments_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    seen: dict[str, Path] = {}
    for seed_path in map(Path, seed_paths):
        dept = parse_seed(seed_path.read_text(encoding="utf-8"), name=names.get(seed_path.stem))
        if dept.id in seen:
            raise ValueError(f"{seed_path.name} and {seen[dept.id].name} are both department {dept.id!r}")
        seen[dept.id] = seed_path
        target = departments_dir / f"{dept.id}.yaml"
        old = None
        if target.exists():
            try:
                old = yaml.safe_load(target.read_text(encoding="utf-8"))
            except yaml.YAMLError as exc:  # never overwrite an administrator's file we cannot read
                raise ValueError(f"{target}: cannot read the existing file to keep its edits: {exc}") from exc
            if old is not None and not isinstance(old, dict):
                raise ValueError(f"{target}: existing file is not a mapping; fix or remove it first")
        data = merge_existing(department_to_data(dept), old)
        Department.model_validate(data)
        target.write_text(dump_department(data, seed_path.name), encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("seeds", nargs="+", type=Path, help="seed .txt files")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent.parent / "knowledge" / "departments"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for path in import_seeds(args.seeds, args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
