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
from bot.store import LOCAL_TZ, Store, to_local

#: action -> how the admin page names it
ACTIONS: dict[str, str] = {
    "login": "登录",
    "login_refused": "登录被拒绝",
    "logout": "退出",
    "denied": "越权访问被拒绝",
    "csrf_refused": "表单校验失败",
    "list": "查看申请列表",
    "view": "查看申请详情",
    "view_full": "查看申请详情（含完整个人信息）",
    "stats": "查看统计",
    "audit": "查看审计日志",
    "link_issued": "签发登录链接",
    # round 2: the annual report, the knowledge and the review loop
    "report": "查看年度报表",
    "report_download": "下载年度报表",
    "knowledge": "浏览知识库",
    "knowledge_preview": "预览知识库修改",
    "knowledge_save": "保存知识库修改",
    "knowledge_revert": "撤销知识库修改",
    "knowledge_try": "试问助手",
    "review": "查看未能回答的问题",
    "review_attach": "把问题加为示例问题",
    "review_referral": "把问题加入转介目录",
    "review_dismiss": "忽略问题",
    # the desk's actions on a request (handlers/console/desk_panel.py)
    "desk_claim": "认领申请",
    "desk_reply": "答复居民",
    "desk_note": "添加内部备注",
    "desk_extend": "延期",
    "desk_close": "办结",
    "desk_correct": "发出补正告知",
    "desk_corrected": "确认补正已收到",
    "desk_applicant": "登记申请人类型",
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

    @property
    def action_text(self) -> str:
        return ACTIONS.get(self.action, self.action)


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
