"""The annual report page: section 三 of the 政府信息公开工作年度报告 for a chosen year, on screen
and as CSV/XLSX, counted by ``bot.report.foi_report`` (the numbers of ``citizen-bot report foi``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from aiohttp import web

from bot.console_auth import Session
from bot.report import DISCLOSURE_PREFIX, foi_report, header_rows, write_report
from bot.store import Store
from handlers.console.app import Console

FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def first_year(store: Store, prefix: str = DISCLOSURE_PREFIX) -> int | None:
    """The year of the oldest 信息公开 request (the chooser starts there)."""
    with store._read() as db:
        row = db.execute(
            "SELECT MIN(COALESCE(first_received_date, received_date)) FROM requests WHERE prefix = ?",
            [prefix],
        ).fetchone()
    return int(row[0][:4]) if row and row[0] else None


def _year(console: Console, request: web.Request) -> int | None:
    raw = request.query.get("year", "")
    if not raw:
        return console.today().year - 1
    if raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= console.today().year:
        return int(raw)
    return None


def _catalogue(console: Console):
    extras = getattr(console.knowledge(), "extras", None) or {}
    return extras.get("outcomes")


async def report(request: web.Request, console: Console, session: Session) -> web.StreamResponse:
    year = _year(console, request)
    if year is None:
        return console.error(
            400, console.msg().text("console.report_bad_year", last=console.today().year), session=session
        )
    catalogue = _catalogue(console)
    if catalogue is None:
        return console.error(503, console.msg().text("console.report_no_outcomes"), session=session)
    result = await console.call(foi_report, console.store, year, catalogue)
    first = await console.call(first_year, console.store)
    this_year = console.today().year
    years = list(range(this_year, min(first or this_year - 1, this_year - 1) - 1, -1))
    await console.record(session.user, "report", role=session.role, detail=f"year={year}")
    return console.render(
        "report.html",
        session=session,
        report=result,
        year=year,
        years=years,
        heading=header_rows(),
    )


async def download(request: web.Request, console: Console, session: Session) -> web.StreamResponse:
    year = _year(console, request)
    fmt = request.query.get("format", "")
    if year is None or fmt not in FORMATS:
        return console.error(400, console.msg().text("console.report_choose"), session=session)
    catalogue = _catalogue(console)
    if catalogue is None:
        return console.error(503, console.msg().text("console.report_no_outcomes"), session=session)
    result = await console.call(foi_report, console.store, year, catalogue)

    def write() -> bytes:
        with tempfile.TemporaryDirectory(prefix="foi-report-") as tmp:
            path = Path(tmp) / f"report.{fmt}"
            write_report(result, path)
            return path.read_bytes()

    body = await console.call(write)
    await console.record(session.user, "report_download", role=session.role, detail=f"year={year} {fmt}")
    response = web.Response(body=body, content_type=FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="foi-report-{year}.{fmt}"'
    return response


def install(console: Console) -> None:
    console.add_page("GET", "/report", report, nav_title=console.msg().text("console.nav_report"))
    console.add_page("GET", "/report/download", download)
