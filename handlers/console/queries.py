"""The console's reads: the filtered request table, one request's timeline, the statistics.

Why it looks like this:
- Every filter is a WHERE clause an index serves (``ensure_indexes`` adds the ones the store
  does not have: service, assignee, creation time, applicant type), and the table reads the
  narrow columns only, never the request's JSON ``data``, so a page costs the same at 100,000
  requests as at 1,000 (``bench/console.py``).
- "Overdue" and "due within N working days" count as the Telegram desk does: open requests
  past their due date, except 需补正, whose clock is stopped until the correction arrives.
- Statistics read the requests created in a window of weeks through the creation-time index
  and look each one's first staff reply and first final status up by reference (indexed).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from bot.outcomes import APPLICANT_TYPES
from bot.store import (
    FINAL_STATUSES,
    NEEDS_CORRECTION,
    OPEN_STATUSES,
    STATUSES,
    Message,
    Note,
    Request,
    StatusChange,
    Store,
)
from bot.workdays import WorkCalendar

PAGE_SIZE = 50
MAX_DUE_WITHIN = 60
#: The channels a resident key can come from (``tg:<chat>``, ``web:<id>``); their names are
#: in the catalogue (console.channel_*).
CHANNELS = ("tg", "web")
#: Open statuses whose deadline is running (需补正 waits for the resident).
CLOCK_RUNNING = tuple(s for s in OPEN_STATUSES if s != NEEDS_CORRECTION)

_LIST_COLUMNS = (
    "reference, kind, status, office, resident, received_date, due_date, due_provisional,"
    " assignee, extended, closed_kind, created_at, forgotten"
)


#: The table's order; the console's indexes end with these, so a page is read in index order
#: (no sort of the matching rows) and OFFSET walks index entries only.
ORDER = "due_date IS NULL, due_date, created_at, reference"
#: The channel of a request: its resident key's prefix with the colon ('tg:', 'web:').
CHANNEL = "substr(resident, 1, instr(resident, ':'))"


def ensure_indexes(store: Store) -> None:
    """Indexes for the console's filters and statistics (idempotent; the store's own cover
    status + due date, resident + creation time, and the reference)."""
    with store._write() as db:
        db.execute(f"CREATE INDEX IF NOT EXISTS console_requests_order ON requests ({ORDER})")
        db.execute(f"CREATE INDEX IF NOT EXISTS console_requests_kind_order ON requests (kind, {ORDER})")
        db.execute(
            f"CREATE INDEX IF NOT EXISTS console_requests_assignee_order ON requests (assignee, {ORDER})"
        )
        db.execute(
            f"CREATE INDEX IF NOT EXISTS console_requests_channel_order ON requests ({CHANNEL}, {ORDER})"
        )
        # statistics: the window's requests, staff replies and closures, each a covering range
        db.execute(
            "CREATE INDEX IF NOT EXISTS console_requests_created"
            " ON requests (created_at, kind, status, due_date, reference)"
        )
        db.execute(
            "CREATE INDEX IF NOT EXISTS console_messages_sender_at ON messages (sender, at, reference)"
        )
        db.execute(
            "CREATE INDEX IF NOT EXISTS console_history_status_at ON request_history (status, at, reference)"
        )
        db.execute(
            "CREATE INDEX IF NOT EXISTS console_requests_applicant_order"
            f" ON requests (applicant_type, {ORDER})"
        )


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Filters:
    """The request table's filters, from the query string (unknown values are dropped)."""

    service: str = ""
    status: str = "open"
    assignee: str = ""
    channel: str = ""
    due_within: int | None = None
    overdue: bool = False
    applicant_type: str = ""
    q: str = ""
    page: int = 1

    @classmethod
    def parse(cls, query: Any) -> Filters:
        def get(name: str) -> str:
            return str(query.get(name, "") or "").strip()[:64]

        status = get("status") or "open"
        if status not in ("open", "all", *STATUSES):
            status = "open"
        channel = get("channel")
        due_within: int | None = None
        raw = get("due_within")
        if raw.isascii() and raw.isdigit():
            due_within = min(int(raw), MAX_DUE_WITHIN)
        page_raw = get("page")
        page = int(page_raw) if page_raw.isascii() and page_raw.isdigit() and int(page_raw) > 0 else 1
        return cls(
            service=get("service"),
            status=status,
            assignee=get("assignee"),
            channel=channel if channel in CHANNELS else "",
            due_within=due_within,
            overdue=get("overdue") in ("1", "on", "true"),
            applicant_type=kind if (kind := get("applicant_type")) in APPLICANT_TYPES else "",
            q=get("q").upper(),
            page=min(page, 100_000),
        )

    def query(self, **changes: Any) -> str:
        """This filter set as a query string (with ``changes``), for links and paging."""
        f = replace(self, **changes)
        pairs = {
            "service": f.service,
            "status": f.status if f.status != "open" else "",
            "assignee": f.assignee,
            "channel": f.channel,
            "due_within": "" if f.due_within is None else str(f.due_within),
            "overdue": "1" if f.overdue else "",
            "applicant_type": f.applicant_type,
            "q": f.q,
            "page": str(f.page) if f.page > 1 else "",
        }
        return urlencode({k: v for k, v in pairs.items() if v})


@dataclass(frozen=True)
class Row:
    reference: str
    kind: str
    status: str
    office: str
    channel: str
    received_date: date
    due_date: date | None
    due_provisional: bool
    assignee: str | None
    extended: bool
    closed_kind: str | None
    overdue: bool
    forgotten: bool


@dataclass
class Page:
    rows: list[Row]
    total: int
    filters: Filters
    pages: int = 1
    #: The holiday data did not cover the "due within" range: it was estimated in calendar days.
    estimated: bool = False


def channel_of(resident: str) -> str:
    prefix = resident.split(":", 1)[0] if ":" in resident else ""
    return prefix


def _prefix_range(column: str, prefix: str) -> tuple[str, list[str]]:
    """``column`` starts with ``prefix``, as a range the column's index serves."""
    return f"{column} >= ? AND {column} < ?", [prefix, prefix + "\U0010ffff"]


def list_requests(
    store: Store, filters: Filters, *, viewer: str, today: date, calendar: WorkCalendar
) -> Page:
    """One page of the table, sorted by due date (none last), then by creation."""
    where: list[str] = []
    params: list[Any] = []
    estimated = False

    def statuses_in(values: tuple[str, ...] | list[str]) -> None:
        where.append(f"status IN ({', '.join('?' for _ in values)})")
        params.extend(values)

    if filters.status == "open":
        statuses_in(OPEN_STATUSES)
    elif filters.status in STATUSES:
        where.append("status = ?")
        params.append(filters.status)
    if filters.service:
        where.append("kind = ?")
        params.append(filters.service)
    if filters.assignee == "none":
        where.append("assignee IS NULL")
    elif filters.assignee == "me":
        where.append("assignee = ?")
        params.append(viewer)
    elif filters.assignee:
        where.append("assignee = ?")
        params.append(filters.assignee)
    if filters.channel:
        where.append(f"{CHANNEL} = ?")
        params.append(filters.channel + ":")
    if filters.overdue or filters.due_within is not None:
        statuses_in(CLOCK_RUNNING)
    if filters.overdue:
        where.append("due_date IS NOT NULL AND due_date < ?")
        params.append(today.isoformat())
    if filters.due_within is not None:
        try:
            limit = calendar.add_working_days(today, filters.due_within).date
        except ValueError:
            limit = today + timedelta(days=filters.due_within * 2)
            estimated = True
        where.append("due_date IS NOT NULL AND due_date >= ? AND due_date <= ?")
        params += [today.isoformat(), limit.isoformat()]
    if filters.q:
        clause, args = _prefix_range("reference", filters.q)
        where.append(clause)
        params += args
    with store._read() as db:
        if filters.applicant_type:
            where.append("applicant_type = ?")
            params.append(filters.applicant_type)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        total = int(db.execute(f"SELECT COUNT(*) FROM requests{clause}", params).fetchone()[0])
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(filters.page, pages)
        # the page's references first (from an index, skipping OFFSET entries cheaply), then
        # only those 50 rows are read from the table
        rows = db.execute(
            f"SELECT {_LIST_COLUMNS} FROM requests WHERE reference IN"
            f" (SELECT reference FROM requests{clause} ORDER BY {ORDER} LIMIT ? OFFSET ?)"
            f" ORDER BY {ORDER}",
            [*params, PAGE_SIZE, (page - 1) * PAGE_SIZE],
        ).fetchall()
    out = []
    for r in rows:
        due = date.fromisoformat(r[6]) if r[6] else None
        out.append(
            Row(
                reference=r[0],
                kind=r[1],
                status=r[2],
                office=r[3],
                channel=channel_of(r[4]),
                received_date=date.fromisoformat(r[5]),
                due_date=due,
                due_provisional=bool(r[7]),
                assignee=r[8],
                extended=bool(r[9]),
                closed_kind=r[10],
                overdue=due is not None and due < today and r[2] in CLOCK_RUNNING,
                forgotten=bool(r[12]),
            )
        )
    return Page(out, total, replace(filters, page=page), pages, estimated)


def assignees(store: Store) -> list[str]:
    """Everyone who has been assigned a request (the assignee index, not the table)."""
    with store._read() as db:
        rows = db.execute(
            "SELECT DISTINCT assignee FROM requests WHERE assignee IS NOT NULL ORDER BY assignee"
        ).fetchall()
    return [r[0] for r in rows]


def applicant_types() -> list[str]:
    """Applicant types to filter by: the statutory ones of the annual report (DOMAIN.md), which
    is what the ``applicant_type`` column holds (``bot.outcomes``), not the form's 公民/法人 answer."""
    return list(APPLICANT_TYPES)


def staff_names(store: Store, keys: list[str | None]) -> dict[str, str]:
    """Display names the Telegram desk remembered (meta ``staff:<id>``), else the key."""
    out: dict[str, str] = {}
    wanted = sorted({k for k in keys if k})
    if not wanted:
        return out
    metas = {f"staff:{k.removeprefix('tg:')}": k for k in wanted}
    with store._read() as db:
        marks = ", ".join("?" for _ in metas)
        rows = db.execute(f"SELECT key, value FROM meta WHERE key IN ({marks})", list(metas)).fetchall()
    named = {metas[key]: value for key, value in rows}
    return {k: named.get(k, k) for k in wanted}


# --------------------------------------------------------------------------- one request


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    order: int
    kind: str  # 'history' | 'resident' | 'staff' | 'bot' | 'note'
    who: str
    text: str


@dataclass
class Detail:
    request: Request
    history: list[StatusChange]
    thread: list[Message]
    notes: list[Note]


def load_detail(store: Store, reference: str) -> Detail | None:
    with store._snapshot():
        req = store.get_request(reference)
        if req is None:
            return None
        return Detail(req, store.history(reference), store.thread(reference), store.notes(reference))


# --------------------------------------------------------------------------- statistics


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100) of ``values``; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


@dataclass
class Stats:
    weeks: list[date]  # Mondays, oldest first
    per_week: dict[str, list[int]]  # kind -> count per week
    total: int
    first_reply_hours: tuple[float | None, float | None, int]  # median, p90, n
    close_days: tuple[float | None, float | None, int]
    by_kind: dict[str, dict[str, Any]]
    on_time: int
    late: int
    open_overdue: int
    ratings: list[tuple[str, str, int, int]]  # entry id, title, up, down
    declined: list[tuple[str, int]]

    @property
    def on_time_rate(self) -> float | None:
        n = self.on_time + self.late + self.open_overdue
        return self.on_time / n if n else None


def _summary(values: list[float]) -> tuple[float | None, float | None, int]:
    if not values:
        return None, None, 0
    return statistics.median(values), percentile(values, 90), len(values)


def compute_stats(store: Store, *, today: date, weeks: int, knowledge: Any) -> Stats:
    """Figures for the requests created in the last ``weeks`` weeks (this week included)."""
    monday = today - timedelta(days=today.weekday())
    start = monday - timedelta(weeks=weeks - 1)
    mondays = [start + timedelta(weeks=i) for i in range(weeks)]
    since = start.isoformat()
    finals = sorted(FINAL_STATUSES)
    final_marks = ", ".join(f":f{i}" for i in range(len(finals)))
    with store._snapshot(), store._read() as db:
        per_day = db.execute(
            "SELECT substr(created_at, 1, 10), kind, COUNT(*) FROM requests WHERE created_at >= ?"
            " GROUP BY 1, 2",
            [since],
        ).fetchall()
        # Replies and closures come after a request is made: those in the window, grouped by
        # request, joined to the window's requests (three index range scans, no per-row lookups).
        rows = db.execute(
            "WITH win AS (SELECT reference, kind, created_at, due_date, status FROM requests"
            " WHERE created_at >= :since),"
            " fr AS (SELECT reference, MIN(at) AS at FROM messages WHERE sender = 'staff' AND at >= :since"
            " GROUP BY reference),"
            f" cl AS (SELECT reference, MIN(at) AS at FROM request_history WHERE status IN ({final_marks})"
            " AND at >= :since GROUP BY reference)"
            " SELECT w.kind, (julianday(fr.at) - julianday(w.created_at)) * 24,"
            " julianday(cl.at) - julianday(w.created_at), substr(cl.at, 1, 10), w.due_date, w.status"
            " FROM win w LEFT JOIN fr ON fr.reference = w.reference"
            " LEFT JOIN cl ON cl.reference = w.reference",
            {"since": since, **{f"f{i}": s for i, s in enumerate(finals)}},
        ).fetchall()
    per_week: dict[str, list[int]] = defaultdict(lambda: [0] * weeks)
    total = 0
    for day, kind, n in per_day:
        index = (date.fromisoformat(day) - start).days // 7
        if 0 <= index < weeks:
            per_week[kind][index] += n
            total += n
    replies: list[float] = []
    closes: list[float] = []
    kinds: dict[str, dict[str, list[float]]] = defaultdict(lambda: {"reply": [], "close": []})
    on_time = late = open_overdue = 0
    today_text = today.isoformat()
    for kind, reply_hours, close_days, closed_day, due, status in rows:
        if reply_hours is not None:
            reply_hours = round(reply_hours, 4)  # julianday() is exact to about a millisecond
            replies.append(reply_hours)
            kinds[kind]["reply"].append(reply_hours)
        if close_days is not None:
            close_days = round(close_days, 6)
            closes.append(close_days)
            kinds[kind]["close"].append(close_days)
        if due:
            if closed_day:
                if closed_day <= due:
                    on_time += 1
                else:
                    late += 1
            elif status in CLOCK_RUNNING and due < today_text:
                open_overdue += 1
    by_kind = {
        kind: {"reply": _summary(v["reply"]), "close": _summary(v["close"])}
        for kind, v in sorted(kinds.items())
    }
    ratings = []
    for entry_id, (up, down) in store.rating_totals().items():
        located = knowledge.get(entry_id) if hasattr(knowledge, "get") else None
        title = located.title if located is not None else entry_id
        ratings.append((entry_id, title, up, down))
    ratings.sort(key=lambda r: (-r[3], -r[2], r[0]))
    return Stats(
        weeks=mondays,
        per_week=dict(sorted(per_week.items())),
        total=total,
        first_reply_hours=_summary(replies),
        close_days=_summary(closes),
        by_kind=by_kind,
        on_time=on_time,
        late=late,
        open_overdue=open_overdue,
        ratings=ratings[:20],
        declined=store.top_declined(15),
    )
