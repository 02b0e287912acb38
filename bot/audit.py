"""The console's audit log: who did what, when, to which request (channel-free).

Why it looks like this:
- One row per console action and login attempt, in the store's SQLite file
  (``console_audit``), so every process on the file writes to the same log.
- Personal data never goes in: the actor is a staff key (``tg:<id>``) or ``?`` for someone
  not logged in, the action is a fixed word from ``ACTIONS``, the reference is a request
  number, and ``detail`` is short free text that is scrubbed (ID numbers, phones, e-mail
  addresses masked) and cut to ``DETAIL_CHARS`` in case a caller slips.
- Round 2's desk actions (claim, reply, 补正, extension, close, knowledge edits) record here
  too: add their words to ``ACTIONS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.masking import scrub
from bot.messages import Catalogue
from bot.store import LOCAL_TZ, Store, to_local

#: The actions recorded (the admin page names them: ``action_labels``, knowledge/messages/console.yaml).
ACTIONS: tuple[str, ...] = (
    "login",
    "login_refused",
    "logout",
    "denied",
    "csrf_refused",
    "list",
    "view",
    "view_full",
    "stats",
    "audit",
    "link_issued",
    "report",
    "report_download",
    "knowledge",
    "knowledge_preview",
    "knowledge_save",
    "knowledge_revert",
    "knowledge_try",
    "review",
    "review_attach",
    "review_label",
    "review_referral",
    "review_dismiss",
    "desk_claim",
    "desk_reply",
    "desk_note",
    "desk_extend",
    "desk_close",
    "desk_correct",
    "desk_corrected",
    "desk_applicant",
)


def action_labels(msg: Catalogue) -> dict[str, str]:
    """How the audit page names each action."""
    return {
        "login": msg.text("console.audit_login"),
        "login_refused": msg.text("console.audit_login_refused"),
        "logout": msg.text("console.audit_logout"),
        "denied": msg.text("console.audit_denied"),
        "csrf_refused": msg.text("console.audit_csrf_refused"),
        "list": msg.text("console.audit_list"),
        "view": msg.text("console.audit_view"),
        "view_full": msg.text("console.audit_view_full"),
        "stats": msg.text("console.audit_stats"),
        "audit": msg.text("console.audit_audit"),
        "link_issued": msg.text("console.audit_link_issued"),
        "report": msg.text("console.audit_report"),
        "report_download": msg.text("console.audit_report_download"),
        "knowledge": msg.text("console.audit_knowledge"),
        "knowledge_preview": msg.text("console.audit_knowledge_preview"),
        "knowledge_save": msg.text("console.audit_knowledge_save"),
        "knowledge_revert": msg.text("console.audit_knowledge_revert"),
        "knowledge_try": msg.text("console.audit_knowledge_try"),
        "review": msg.text("console.audit_review"),
        "review_attach": msg.text("console.audit_review_attach"),
        "review_label": msg.text("console.audit_review_label"),
        "review_referral": msg.text("console.audit_review_referral"),
        "review_dismiss": msg.text("console.audit_review_dismiss"),
        "desk_claim": msg.text("console.audit_desk_claim"),
        "desk_reply": msg.text("console.audit_desk_reply"),
        "desk_note": msg.text("console.audit_desk_note"),
        "desk_extend": msg.text("console.audit_desk_extend"),
        "desk_close": msg.text("console.audit_desk_close"),
        "desk_correct": msg.text("console.audit_desk_correct"),
        "desk_corrected": msg.text("console.audit_desk_corrected"),
        "desk_applicant": msg.text("console.audit_desk_applicant"),
    }


DETAIL_CHARS = 200
PAGE_SIZE = 100


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    role: str
    action: str
    reference: str | None
    detail: str


def ensure_schema(store: Store) -> None:
    """Create the audit table and its indexes (idempotent)."""
    with store._write() as db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS console_audit ("
            " id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL,"
            " action TEXT NOT NULL, reference TEXT, detail TEXT NOT NULL DEFAULT '')"
        )
        db.execute("CREATE INDEX IF NOT EXISTS console_audit_at ON console_audit (at)")
        db.execute("CREATE INDEX IF NOT EXISTS console_audit_actor ON console_audit (actor, id)")
        db.execute("CREATE INDEX IF NOT EXISTS console_audit_reference ON console_audit (reference, id)")


def record(
    store: Store,
    actor: str,
    action: str,
    *,
    role: str = "",
    reference: str | None = None,
    detail: str = "",
    now: datetime | None = None,
) -> int:
    """Append one row; ``detail`` is scrubbed and shortened."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; add it to bot.audit.ACTIONS")
    text = scrub(" ".join(detail.split()))[:DETAIL_CHARS]
    at = to_local(now or datetime.now(LOCAL_TZ)).isoformat(timespec="microseconds")
    with store._write() as db:
        cur = db.execute(
            "INSERT INTO console_audit (at, actor, role, action, reference, detail)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [at, actor[:64] or "?", role, action, reference, text],
        )
        return int(cur.lastrowid or 0)


def entries(
    store: Store,
    *,
    actor: str | None = None,
    reference: str | None = None,
    before_id: int | None = None,
    limit: int = PAGE_SIZE,
) -> list[AuditEntry]:
    """Newest first, ``limit`` rows older than ``before_id`` (keyset paging on the primary key)."""
    where, params = [], []
    if actor:
        where.append("actor = ?")
        params.append(actor)
    if reference:
        where.append("reference = ?")
        params.append(reference)
    if before_id is not None:
        where.append("id < ?")
        params.append(before_id)
    sql = "SELECT id, at, actor, role, action, reference, detail FROM console_audit"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC LIMIT ?"
    with store._read() as db:
        rows = db.execute(sql, [*params, limit]).fetchall()
    return [
        AuditEntry(
            id=r[0],
            at=datetime.fromisoformat(r[1]),
            actor=r[2],
            role=r[3],
            action=r[4],
            reference=r[5],
            detail=r[6],
        )
        for r in rows
    ]
