"""Seed documents (the offices' published duty lists) -> ``Department`` data.

The seeds are text dumps of Word tables and they are messy: tab-indented cells, continuation
rows with an empty 序号, merged 承办科室 cells, the table header repeated mid-table, cell text
broken across lines in the middle of a word, two bracket styles in headings. ``parse_seed``
turns one into a ``Department``; ``bot.seed_import`` writes the YAML and keeps what
administrators added.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

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

#: The words of the seed documents the parser looks for (headings, table headers, markers).
_SERIAL = "序号"
_DUTIES = "部门职责"
_SERVICES = "公共服务事项"
_SUPERVISION = "事中事后监督管理制度"
_FIRST_HEADING = "一、"
_NO_ITEMS = "无"
_COUNTY = "县"
_NAME_LABELS = ("部门名称", "单位名称")
#: Ends a duty title cut on a 、 (the titles are written into knowledge files, which administrators edit).
_ETC = "等"

_TABLE_HEADERS = {
    _SERIAL,
    "主要职责",
    "具体工作事项",
    "责任科室",
    "备注",
    "服务事项",
    "主要内容",
    "承办科室",
    "联系电话",
}
_SECTION_MARKERS = {_DUTIES, _SERVICES, _SUPERVISION}

TITLE_MAX = 20


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
        return first[:cut] + _ETC
    return first[: TITLE_MAX - 1] + "…"


def department_id(name: str) -> str:
    """柏乡县人民政府办公室 -> baixiang: the pinyin of the county name."""
    county = name.split(_COUNTY, 1)[0] if _COUNTY in name else name
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
        county = known.split(_COUNTY, 1)[0]
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
    if clean(cells[0][0]) != _SERIAL:
        raise ValueError(f"table does not start with a {_SERIAL} header: {clean(cells[0][0])!r}")
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
    return clean(row[0][0]) == _SERIAL


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
    rows = [r for r in rows if r["item"] and r["item"] != _NO_ITEMS] or [{"item": text, "office": ""}]
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
        if _key(raw) == _DUTIES:
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
        if not clean(raw).startswith(_FIRST_HEADING):
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
        raise ValueError(f"the seed names no department (no {'/'.join(_NAME_LABELS)} line): pass name=")
    dept = department_id(name)

    starts = _policy_starts(lines)
    end_of_tables = starts[0] if starts else len(lines)
    policies = [
        _parse_policy(dept, n, lines[start : (starts[n] if n < len(starts) else len(lines))])
        for n, start in enumerate(starts, 1)
    ]

    # Before the supervision sections: the duty table, then 公共服务事项 (when there is one).
    regions: dict[str, list[str]] = {_DUTIES: []}
    current = _DUTIES
    for raw in lines[:end_of_tables]:
        key = _key(raw)
        if key in _SECTION_MARKERS - {_DUTIES} and not raw.startswith("\t"):
            current = key
            regions[current] = []
        else:
            regions[current].append(raw)

    duty_lines = regions[_DUTIES]
    if any(_key(raw) == _SERIAL for raw in duty_lines):
        duties = _parse_duty_table(dept, duty_lines)
    else:
        duties = _parse_duty_blocks(dept, duty_lines)
    services = _parse_services(dept, regions.get(_SERVICES, []))
    return Department(id=dept, name=name, duties=duties, services=services, policies=policies)
