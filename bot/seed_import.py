"""Seed documents (the offices' published duty lists) -> knowledge/departments/*.yaml.

The seeds are text dumps of Word tables and they are messy: tab-indented cells, continuation
rows with an empty 序号, merged 承办科室 cells, the table header repeated mid-table, cell text
broken across lines in the middle of a word, two bracket styles in headings. This module turns
them into `Department` data and writes one YAML file per department.

What the importer owns and what administrators own:

* seed-derived fields (number, text, rows, content, office, intro, sections, and the titles of
  services and policies) are refreshed on every import;
* administrators own `keywords`, `questions`, `flow`, `notes`, a filled-in `phone` and an edited
  duty `title`; a re-import keeps them for every entry whose id is already in the file.

Usage: ``python -m bot.seed_import ../shared/seeds/*.txt --out knowledge/departments``
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pypinyin import lazy_pinyin

from bot.knowledge import Department, Duty, DutyRow, Policy, PolicySection, Service

log = logging.getLogger(__name__)

#: Seeds whose text never names the department (no 部门名称 line), by file stem.
SEED_NAMES: dict[str, str] = {"003_55a77c63e350dfbb": "湘阴县档案局"}

_NUM = "一二三四五六七八九十"
#: 一、监督检查对象: the top-level headings a policy is split on.
_TOP_HEADING = re.compile(rf"^[{_NUM}]+、")
#: Any numbered line: 一、 / （一） / (1) / 1. / 1．/ 1、 — a heading or list item, never a continuation.
_MARKER = re.compile(rf"^(?:[{_NUM}]+、|[（(][{_NUM}\d]+[)）]|\d+\s*[.．、](?!\d))")
_BRACKET_NUMBER = re.compile(rf"^[（(][{_NUM}]+[)）]\s*")
_NAME_LINE = re.compile(r"^(?:部门名称|单位名称)\s*[:：]\s*(.+)$")
_SUB_OFFICE = re.compile(r"[（(]\s*([^（）()]+?)\s*[)）]\s*$")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_INNER_SPACE = re.compile(rf"(?<=[{_CJK}，。；：、“”《》（）])[ \t\u3000]+(?=[{_CJK}，。；：、“”《》（）])")

#: A line ending in one of these is a complete sentence (or heading) and is never joined.
_TERMINAL = "。；;：:！!？?）)」』”】"
#: A line ending in one of these certainly continues on the next line.
_OPEN_END = "、，,（(《“‘—"
#: In a duty's 具体工作事项 cell, a line ending in one of these ends one work item.
_ITEM_END = "。；;，,！!？?"

_TABLE_HEADERS = {
    "序号",
    "主要职责",
    "具体工作事项",
    "责任科室",
    "备注",
    "服务事项",
    "主要内容",
    "承办科室",
    "联系电话",
}
_SECTION_MARKERS = {"部门职责", "公共服务事项", "事中事后监督管理制度"}

TITLE_MAX = 20

HEADER_COMMENT = """\
# {name}: generated from the seed document {seed} by bot/seed_import.py.
#
# Re-running the import refreshes the seed-derived fields: number, text, rows, content, office,
# intro, sections, and the titles of services and policies. Do not edit those here; correct the
# seed instead.
# Administrators own: keywords, questions, flow, notes, phone (once filled in) and duty titles.
# Edits to these are kept when the import runs again.
# phone: '' means "not published yet"; the assistant says so instead of guessing a number.
"""


# --------------------------------------------------------------------------- text helpers


def clean(text: str) -> str:
    """One line/cell of seed text: NBSPs and full-width spaces folded, stray spaces inside
    Chinese text dropped (予以指正并 责令 -> 予以指正并责令; 部  门 -> 部门), ends stripped."""
    text = text.replace("\xa0", " ").replace("\u3000", " ")
    return _INNER_SPACE.sub("", text).strip()


@dataclass
class _Line:
    text: str
    #: The source line ended with (non-breaking) whitespace: in the xiangyin seed every table
    #: cell ends with an NBSP, so such a line is a complete cell even without punctuation.
    hard_end: bool = False


def _lines(raw_lines: Iterable[str]) -> list[_Line]:
    found = []
    for raw in raw_lines:
        text = clean(raw)
        if text:
            raw = raw.rstrip("\r\n")
            found.append(_Line(text, hard_end=raw != raw.rstrip(" \t\xa0\u3000")))
    return found


def _continues(prev: _Line, nxt: _Line, items: bool) -> bool:
    """Does `nxt` continue the sentence `prev` (a line broken mid-sentence or mid-word)?"""
    last = prev.text[-1]
    if items and last in _ITEM_END:
        return False
    if last in _OPEN_END:
        return True
    if last in _TERMINAL or prev.hard_end:
        return False
    # A short unpunctuated numbered line is a sub-heading ((一)发现违法行为); a numbered next
    # line starts something new.
    return not (_MARKER.match(prev.text) or _MARKER.match(nxt.text))


def join_lines(lines: list[_Line], items: bool = False) -> list[str]:
    """Glue lines broken mid-sentence back together; return the paragraphs (or work items).

    Blank lines are ignored: the seeds put them both between paragraphs and inside words
    (`企\\n\\n业员工`), so only the punctuation at the end of a line decides. With `items=True`
    (a duty's 具体工作事项 cell) a line ending in ，；。 ends one item.
    """
    out: list[_Line] = []
    for line in lines:
        if out and _continues(out[-1], line, items):
            out[-1] = _Line(out[-1].text + line.text, line.hard_end)
        else:
            out.append(_Line(line.text, line.hard_end))
    return [p.text for p in out]


def _item_text(item: str) -> str:
    """A work item without the separator that ended its line (；，), keeping a final 。."""
    return item.rstrip("；;，,、 ")


def duty_title(text: str) -> str:
    """A short title from a 主要职责 text: its first clause, without a leading 负责, at most
    TITLE_MAX characters (cut on a 、 where possible). Administrators may edit it."""
    first = re.split(r"[。；;，,：:]", text, maxsplit=1)[0].strip()
    first = re.sub(r"^负责", "", first).strip() or text.strip()
    if len(first) <= TITLE_MAX:
        return first
    cut = first.rfind("、", 0, TITLE_MAX)
    if cut >= TITLE_MAX // 2:
        return first[:cut] + "等"
    return first[: TITLE_MAX - 1] + "…"


def department_id(name: str) -> str:
    """柏乡县人民政府办公室 -> baixiang: the pinyin of the county name."""
    county = name.split("县", 1)[0] if "县" in name else name
    ident = "".join(lazy_pinyin(county)).lower()
    ident = re.sub(r"[^a-z0-9_]", "", ident)
    if not ident or not ident[0].isalpha():
        raise ValueError(f"cannot derive a department id from {name!r}")
    return ident


def _sub_office(value: str) -> str:
    """柏乡县人民政府办公室(人防办) -> 人防办; no bracket -> ''."""
    match = _SUB_OFFICE.search(value)
    return match.group(1).strip() if match else ""


def _find_name(lines: list[str]) -> str | None:
    for raw in lines:
        match = _NAME_LINE.match(clean(raw))
        if match:
            return _SUB_OFFICE.sub("", clean(match.group(1))).strip()
    return None


def _known_name(text: str) -> str | None:
    """A department from SEED_NAMES whose county the text mentions (湘阴 -> 湘阴县档案局)."""
    for known in SEED_NAMES.values():
        county = known.split("县", 1)[0]
        if county and county in text:
            return known
    return None


def _key(raw: str) -> str:
    return re.sub(r"\s+", "", raw.replace("\xa0", " ").replace("\u3000", " "))


# --------------------------------------------------------------------------- duties / services


def _cells(raw_lines: list[str]) -> list[list[str]]:
    """Tab-indented table cells: a line starting with a tab opens a cell, any other line
    (including blank ones) belongs to the cell above it."""
    cells: list[list[str]] = []
    for raw in raw_lines:
        if raw.startswith("\t"):
            cells.append([raw[1:]])
        elif cells:
            cells[-1].append(raw)
    return cells


def _table_rows(raw_lines: list[str]) -> list[list[list[str]]]:
    """Group the cell stream into rows of the header's width (header rows included)."""
    cells = _cells(raw_lines)
    if not cells:
        return []
    if clean(cells[0][0]) != "序号":
        raise ValueError(f"table does not start with a 序号 header: {clean(cells[0][0])!r}")
    width = 0
    for cell in cells:
        width += 1
        if len(cell) > 1 and not "".join(cell[1:]).strip():  # the header's last cell ends the row
            break
    if len(cells) % width:
        raise ValueError(f"table has {len(cells)} cells, not a multiple of its {width} columns")
    return [cells[i : i + width] for i in range(0, len(cells), width)]


def _cell_text(cell: list[str]) -> str:
    return "".join(join_lines(_lines(cell)))


def _is_header(row: list[list[str]]) -> bool:
    return clean(row[0][0]) == "序号"


def _parse_duty_table(dept: str, raw_lines: list[str]) -> list[Duty]:
    duties: list[dict[str, Any]] = []
    for row in _table_rows(raw_lines):
        if _is_header(row):
            continue
        number, text, items, office = _cell_text(row[0]), _cell_text(row[1]), row[2], _cell_text(row[3])
        rows = [{"item": _item_text(i), "office": office} for i in join_lines(_lines(items), items=True)]
        if number:
            duties.append({"number": int(number), "text": text, "rows": rows})
        elif duties:
            duties[-1]["rows"] += rows
        else:
            raise ValueError("continuation row before the first duty")
    return [_duty(dept, d["number"], d["text"], d["rows"]) for d in duties]


def _duty(dept: str, number: int, text: str, rows: list[dict[str, str]]) -> Duty:
    rows = [r for r in rows if r["item"] and r["item"] != "无"] or [{"item": text, "office": ""}]
    return Duty(
        id=f"{dept}/duty/{number}",
        number=number,
        title=duty_title(text),
        text=text,
        rows=[DutyRow(**r) for r in rows],
    )


def _parse_duty_blocks(dept: str, raw_lines: list[str]) -> list[Duty]:
    """The xiangyin layout: one `部门职责` block per duty, its first line the 主要职责, the
    following lines its 具体工作事项 (no 责任科室; `无` means none)."""
    blocks: list[list[str]] = []
    for raw in raw_lines:
        if _key(raw) == "部门职责":
            blocks.append([])
        elif blocks and _key(raw) not in _TABLE_HEADERS:
            blocks[-1].append(raw)
    duties = []
    for number, block in enumerate(blocks, 1):
        parts = join_lines(_lines(block), items=True)
        if not parts:
            raise ValueError(f"duty block {number} is empty")
        rows = [{"item": _item_text(p), "office": ""} for p in parts[1:]]
        duties.append(_duty(dept, number, parts[0], rows))
    return duties


def _parse_services(dept: str, raw_lines: list[str]) -> list[Service]:
    services = []
    office = ""
    for row in _table_rows(raw_lines):
        if _is_header(row):
            continue
        number, title, content = _cell_text(row[0]), _cell_text(row[1]), _cell_text(row[2])
        office = _cell_text(row[3]) or office  # merged cell: empty means "same as above"
        phone = _cell_text(row[4]) if len(row) > 4 else ""
        services.append(
            Service(
                id=f"{dept}/service/{number}",
                number=int(number),
                title=title,
                content=content,
                office=office,
                phone=phone,
            )
        )
    return services


# --------------------------------------------------------------------------- policies


def _title_like(text: str) -> bool:
    return len(text) <= 30 and not re.search(r"[。，；：,;:]", text) and not _TOP_HEADING.match(text)


def _policy_starts(lines: list[str]) -> list[int]:
    """Line index of each supervision section's heading.

    Each section has exactly one `一、` heading; walking back from it over the intro
    paragraph(s) and the 部门名称 line reaches the section's title. The list of headings
    before the sections is never reached, so it is not mistaken for sections.
    """
    starts = []
    for k, raw in enumerate(lines):
        if not clean(raw).startswith("一、"):
            continue
        j = k - 1
        while j >= 0:
            text = clean(lines[j])
            if text and not _NAME_LINE.match(text) and _title_like(text):
                break
            j -= 1
        if j < 0:
            raise ValueError(f"no section title above line {k + 1}: {clean(raw)!r}")
        starts.append(j)
    return starts


def _parse_policy(dept: str, number: int, lines: list[str]) -> Policy:
    title = _BRACKET_NUMBER.sub("", clean(lines[0])).strip()
    office = ""
    intro: list[str] = []
    sections: list[dict[str, Any]] = []
    for raw in lines[1:]:
        text = clean(raw)
        name = _NAME_LINE.match(text)
        if name and not sections:
            office = _sub_office(name.group(1))
        elif _TOP_HEADING.match(text):
            sections.append({"heading": text, "lines": []})
        elif sections:
            sections[-1]["lines"].append(raw)
        else:
            intro.append(raw)
    return Policy(
        id=f"{dept}/policy/{number}",
        number=number,
        title=title,
        office=office,
        intro="\n".join(join_lines(_lines(intro))),
        sections=[
            PolicySection(heading=s["heading"], paragraphs=join_lines(_lines(s["lines"]))) for s in sections
        ],
    )


# --------------------------------------------------------------------------- parse_seed


def parse_seed(text: str, name: str | None = None) -> Department:
    """Parse one seed document into a Department (pure: no files read or written).

    The department's name comes from the first 部门名称/单位名称 line; a seed without one gets
    `name`, or else the SEED_NAMES department whose county the text mentions.
    """
    lines = text.splitlines()
    name = _find_name(lines) or name or _known_name(text)
    if not name:
        raise ValueError("the seed names no department (no 部门名称/单位名称 line): pass name=")
    dept = department_id(name)

    starts = _policy_starts(lines)
    end_of_tables = starts[0] if starts else len(lines)
    policies = [
        _parse_policy(dept, n, lines[start : (starts[n] if n < len(starts) else len(lines))])
        for n, start in enumerate(starts, 1)
    ]

    # Before the supervision sections: the duty table, then 公共服务事项 (when there is one).
    regions: dict[str, list[str]] = {"部门职责": []}
    current = "部门职责"
    for raw in lines[:end_of_tables]:
        key = _key(raw)
        if key in _SECTION_MARKERS - {"部门职责"} and not raw.startswith("\t"):
            current = key
            regions[current] = []
        else:
            regions[current].append(raw)

    duty_lines = regions["部门职责"]
    if any(_key(raw) == "序号" for raw in duty_lines):
        duties = _parse_duty_table(dept, duty_lines)
    else:
        duties = _parse_duty_blocks(dept, duty_lines)
    services = _parse_services(dept, regions.get("公共服务事项", []))
    return Department(id=dept, name=name, duties=duties, services=services, policies=policies)


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
