"""Section 三 of the 政府信息公开工作年度报告: "收到和处理政府信息公开申请情况", counted from
the request log (条例 Art. 50; table format 国办公开办函〔2021〕30号).

Channel-free: `foi_report(store, year, catalogue)` returns a `FoiReport` the CLI prints or
writes (CSV/XLSX) and a web console can render. How a request is counted for year Y:

- 新收: first received (``first_received_date``, not moved by 补正) within Y;
- 上年结转: received before Y and not closed before 1 January of Y;
- 办理结果: closed within Y (the first final status in its history), in the row of its
  recorded outcome; old Art. 36 reply kinds are mapped by ``knowledge/outcomes.yaml``;
- 结转下年度: received by 31 December of Y and not closed by then.

So 新收 + 上年结转 = (七)总计 + 结转下年度, except for requests closed without an outcome the
table can place (e.g. an old "不予公开" without its reason): those are listed in
``unclassified`` for staff to reclassify, never silently put in a row.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from bot.messages import Catalogue as Messages
from bot.outcomes import APPLICANT_TYPES, NATURAL_PERSON, ORGANISATION_TYPES, OTHER_ORGANISATION, Catalogue
from bot.store import Request, Store

DISCLOSURE_PREFIX = "GK"
TOTAL = "总计"
COLUMNS = (*APPLICANT_TYPES, TOTAL)
ORGANISATIONS_HEADER = "法人或其他组织"
ITEM_HEADER = "项目"

_CN_NUMERALS = "一二三四五六七八九十"

NEW = "new"
CARRIED_IN = "carried_in"
RESULTS = "results"
RESULTS_TOTAL = "results_total"
CARRIED_OUT = "carried_out"

#: The statutory table's own labels (DOMAIN.md, section 三 of the annual report): fixed by the
#: published format, like the outcome rows in knowledge/outcomes.yaml, so not office wording.
SECTION_LABELS = {
    NEW: "一、本年新收政府信息公开申请数量",
    CARRIED_IN: "二、上年结转政府信息公开申请数量",
    RESULTS: "三、本年度办理结果",
    CARRIED_OUT: "四、结转下年度继续办理",
}
TABLE_TITLE = "{year}年度 收到和处理政府信息公开申请情况"
SHEET_TITLE = "{year}年度"


@dataclass(frozen=True)
class ReportRow:
    """One line of the table; ``counts`` is None for a heading line (三、 and the categories
    that are split into reasons), else one number per ``COLUMNS`` entry."""

    key: str
    label: str
    counts: tuple[int, ...] | None
    level: int = 0


@dataclass(frozen=True)
class Unclassified:
    reference: str
    stored: str  # what the request recorded ("" if nothing)


@dataclass(frozen=True)
class FoiReport:
    year: int
    rows: tuple[ReportRow, ...]
    unclassified: tuple[Unclassified, ...] = ()
    columns: tuple[str, ...] = COLUMNS

    def row(self, key: str) -> ReportRow:
        return next(r for r in self.rows if r.key == key)

    def count(self, key: str, column: str = TOTAL) -> int:
        counts = self.row(key).counts
        if counts is None:
            raise KeyError(f"{key} is a heading without counts")
        return counts[self.columns.index(column)]

    @property
    def balanced(self) -> bool:
        """新收 + 上年结转 = 办理结果总计 + 结转下年度 (+ unclassified closures)."""
        return self.count(NEW) + self.count(CARRIED_IN) == (
            self.count(RESULTS_TOTAL) + self.count(CARRIED_OUT) + len(self.unclassified)
        )


@dataclass
class _Tally:
    by_key: dict[str, list[int]] = field(default_factory=dict)

    def add(self, key: str, column: str) -> None:
        counts = self.by_key.setdefault(key, [0] * len(APPLICANT_TYPES))
        counts[APPLICANT_TYPES.index(column)] += 1

    def row(self, key: str, label: str, level: int = 0) -> ReportRow:
        counts = self.by_key.get(key, [0] * len(APPLICANT_TYPES))
        return ReportRow(key, label, (*counts, sum(counts)), level)


def applicant_column(req: Request, catalogue: Catalogue) -> str:
    """The column a request counts in: as recorded, else derived from its form answers."""
    kind = req.applicant_type or catalogue.applicant_type(req.data)
    return kind if kind in APPLICANT_TYPES else OTHER_ORGANISATION


def count_foi(log: Iterable[tuple[Request, datetime | None]], year: int, catalogue: Catalogue) -> FoiReport:
    """The table for ``year`` from ``(request, closed_at)`` pairs (``Store.request_log``)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    tally = _Tally()
    unclassified: list[Unclassified] = []
    for req, closed_at in log:
        received = req.first_received_date or req.received_date
        if received > end:
            continue
        column = applicant_column(req, catalogue)
        # closed before its own (next-working-day) receipt date: counts as closed on receipt
        closed = max(closed_at.date(), received) if closed_at else None
        if received >= start:
            tally.add(NEW, column)
        elif closed is None or closed >= start:
            tally.add(CARRIED_IN, column)
        else:
            continue  # received and closed in earlier years
        if closed is None or closed > end:
            tally.add(CARRIED_OUT, column)
            continue
        if closed < start:
            continue
        outcome = catalogue.resolve(req.closed_kind).outcome
        if outcome is None:
            unclassified.append(Unclassified(req.reference, req.closed_kind or ""))
            continue
        tally.add(outcome.code, column)
        tally.add(RESULTS_TOTAL, column)
    rows = [
        tally.row(NEW, SECTION_LABELS[NEW]),
        tally.row(CARRIED_IN, SECTION_LABELS[CARRIED_IN]),
        ReportRow(RESULTS, SECTION_LABELS[RESULTS], None),
    ]
    for i, cat in enumerate(catalogue.categories):
        numeral = _CN_NUMERALS[i] if i < len(_CN_NUMERALS) else str(i + 1)
        label = f"（{numeral}）{cat.label}" + (f"（{cat.note}）" if cat.note else "")
        if cat.outcome is not None:
            rows.append(tally.row(cat.code, label, 1))
            continue
        rows.append(ReportRow(f"category:{cat.code}", label, None, 1))
        for reason in cat.reasons:
            rows.append(tally.row(reason.code, f"{reason.code.split('.')[1]}.{reason.reason}", 2))
    numeral = _CN_NUMERALS[len(catalogue.categories)] if len(catalogue.categories) < 10 else ""
    rows.append(tally.row(RESULTS_TOTAL, f"（{numeral}）{TOTAL}", 1))
    rows.append(tally.row(CARRIED_OUT, SECTION_LABELS[CARRIED_OUT]))
    return FoiReport(year, tuple(rows), tuple(unclassified))


def foi_report(store: Store, year: int, catalogue: Catalogue, prefix: str = DISCLOSURE_PREFIX) -> FoiReport:
    """The table for ``year`` from the store's request log (what the web console calls)."""
    return count_foi(store.request_log(prefix), year, catalogue)


# --------------------------------------------------------------------------- output


def header_rows() -> list[list[str]]:
    """The official two-line heading: 法人或其他组织 spans its five kinds."""
    first = (
        [ITEM_HEADER, NATURAL_PERSON, ORGANISATIONS_HEADER] + [""] * (len(ORGANISATION_TYPES) - 1) + [TOTAL]
    )
    second = ["", ""] + list(ORGANISATION_TYPES) + [""]
    return [first, second]


def table_rows(report: FoiReport) -> list[list[str | int]]:
    """Heading plus one list per row (headings of sections have empty cells)."""
    out: list[list[str | int]] = [list(r) for r in header_rows()]
    for row in report.rows:
        cells: list[str | int] = ["　" * row.level + row.label]
        cells += list(row.counts) if row.counts is not None else [""] * len(report.columns)
        out.append(cells)
    return out


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def render_text(report: FoiReport, msg: Messages | None = None) -> str:
    """A fixed-width table for the terminal, then the balance check and what needs reclassifying
    (``msg``: the office's wording; the bundled catalogue when None)."""
    from bot.knowledge_edit import BUNDLED_KNOWLEDGE, catalogue_at

    msg = msg or catalogue_at(BUNDLED_KNOWLEDGE)
    columns = list(report.columns)
    labels = ["　" * r.level + r.label for r in report.rows]
    label_width = max(_width(x) for x in [ITEM_HEADER, *labels])
    widths = [max(_width(c), 4) for c in columns]
    # 法人或其他组织 over its five kinds, as in the published table
    org_start = label_width + 2 + widths[0] + 2
    lines = [
        TABLE_TITLE.format(year=report.year),
        " " * org_start + ORGANISATIONS_HEADER,
        "  ".join(
            [_pad(ITEM_HEADER, label_width)] + [_pad(c, w) for c, w in zip(columns, widths, strict=True)]
        ),
    ]
    for row, label in zip(report.rows, labels, strict=True):
        cells = [_pad(label, label_width)]
        if row.counts is not None:
            cells += [_pad(str(n), w, right=True) for n, w in zip(row.counts, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    unclassified = (
        msg.text("console.report_check_unclassified", count=len(report.unclassified))
        if report.unclassified
        else ""
    )
    check = msg.text("console.report_balanced") if report.balanced else msg.text("console.report_unbalanced")
    lines.append(
        msg.text(
            "console.report_check",
            new=report.count(NEW),
            carried_in=report.count(CARRIED_IN),
            total=report.count(RESULTS_TOTAL),
            carried_out=report.count(CARRIED_OUT),
            unclassified=unclassified,
            check=check,
        )
    )
    if report.unclassified:
        lines.append(msg.text("console.report_unclassified_head"))
        for u in report.unclassified:
            stored = u.stored or msg.text("console.report_not_recorded")
            lines.append("  " + msg.text("console.report_unclassified", ref=u.reference, stored=stored))
    return "\n".join(lines)


def write_csv(report: FoiReport, path: Path) -> None:
    """UTF-8 with a byte-order mark, so spreadsheet programs show the Chinese correctly."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(table_rows(report))


def write_xlsx(report: FoiReport, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE.format(year=report.year)
    ws.append([TABLE_TITLE.format(year=report.year)])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(report.columns) + 1)
    ws["A1"].font = Font(bold=True)
    for row in table_rows(report):
        ws.append(row)
    # 法人或其他组织 over its five kinds; 项目, 自然人 and 总计 over both heading lines
    ws.merge_cells(start_row=2, start_column=3, end_row=2, end_column=2 + len(ORGANISATION_TYPES))
    for col in (1, 2, len(report.columns) + 1):
        ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    for cells in ws.iter_rows(min_row=2, max_row=3):
        for cell in cells:
            cell.alignment = Alignment(horizontal="center", vertical="center")
            cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 60
    wb.save(path)


def write_report(report: FoiReport, path: Path) -> None:
    """By the file's suffix: .csv or .xlsx (ValueError for anything else)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        write_csv(report, path)
    elif suffix == ".xlsx":
        write_xlsx(report, path)
    else:
        raise ValueError(f"unsupported output {path.name!r}: use .csv or .xlsx")
