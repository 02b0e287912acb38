"""The console's pages: the request table and its filters, a request's timeline with personal data
masked as the Telegram desk masks it, the statistics, and the audit log."""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from bot import audit
from bot.store import ANSWERED, IN_PROGRESS, Store
from handlers.console import queries
from tests.console_support import (
    ADDRESS,
    ADMIN,
    ID_NUMBER,
    KNOWLEDGE,
    MOBILE,
    NAME,
    NOW,
    OTHER_STAFF,
    RESIDENT,
    STAFF,
    console_client,
    login,
    seed,
)

REF = re.compile(r'href="/console/requests/([A-Z]{2}-\d{8}-\d{4,})"')


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "console.db") as s:
        yield s


async def refs_on(client, query: str = "") -> list[str]:
    response = await client.get("/console/requests" + (f"?{query}" if query else ""))
    assert response.status == 200
    return REF.findall(await response.text())


# --------------------------------------------------------------------------- the table


async def test_table_defaults_to_open_requests_by_due_date(store: Store) -> None:
    refs = seed(store)
    async with console_client(store) as client:
        await login(client, store, f"tg:{STAFF}")
        shown = await refs_on(client)
    # due: correction (yesterday), overdue (3 days ago) ... sorted by date, none last; closed left out
    assert shown == [refs.overdue, refs.correction, refs.assigned, refs.forgotten, refs.handover]
    assert refs.closed not in shown


async def test_table_filters(store: Store) -> None:
    refs = seed(store)
    async with console_client(store) as client:
        await login(client, store, f"tg:{STAFF}")
        assert await refs_on(client, "status=all") == [
            refs.overdue,
            refs.closed,
            refs.correction,
            refs.assigned,
            refs.forgotten,
            refs.handover,
        ]
        assert await refs_on(client, "status=已办结") == [refs.closed]
        assert await refs_on(client, "service=异地查档") == [refs.correction]
        assert await refs_on(client, "service=咨询") == [refs.handover]
        assert await refs_on(client, "assignee=me") == [refs.assigned, refs.forgotten]
        assert await refs_on(client, f"assignee=tg:{STAFF}&status=all") == [refs.assigned, refs.forgotten]
        assert await refs_on(client, "assignee=none") == [refs.overdue, refs.correction, refs.handover]
        assert await refs_on(client, "channel=web") == [refs.overdue]
        assert refs.overdue not in await refs_on(client, "channel=tg")
        # 需补正 is past its date but its clock is stopped: not overdue, as on the Telegram desk
        assert await refs_on(client, "overdue=1") == [refs.overdue]
        assert await refs_on(client, "applicant_type=商业企业") == [refs.overdue]
        assert await refs_on(client, f"q={refs.assigned}") == [refs.assigned]
        assert await refs_on(client, f"q={refs.assigned[:3].lower()}&status=all") == [
            refs.overdue,
            refs.closed,
            refs.assigned,
            refs.forgotten,
        ]
        assert await refs_on(client, "q=ZZ-1") == []
        assert await refs_on(client, "service=异地查档&overdue=1") == []


async def test_applicant_type_filter_offers_the_statutory_types(store: Store) -> None:
    """The column holds the annual report's types (自然人, 商业企业…), not the form's 公民/法人
    answer: only those are offered, and a form answer in the query is ignored."""
    refs = seed(store)
    async with console_client(store) as client:
        await login(client, store, f"tg:{STAFF}")
        page = await (await client.get("/console/requests")).text()
        select = re.search(r'<select name="applicant_type">(.*?)</select>', page, re.S)
        assert select is not None
        options = re.findall(r'<option value="([^"]*)"', select.group(1))
        assert options == ["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
        assert await refs_on(client, "applicant_type=法人或其他组织") == await refs_on(client)
        assert await refs_on(client, "applicant_type=商业企业") == [refs.overdue]


async def test_an_older_request_without_a_recorded_type_shows_the_derived_one(store: Store) -> None:
    refs = seed(store)  # the assigned request was stored without the applicant_type column
    assert store.get_request(refs.assigned).applicant_type is None
    async with console_client(store) as client:
        await login(client, store, f"tg:{STAFF}")
        text = await page_of(client, refs.assigned)
    head = text.split("<h2>申请内容</h2>")[0]  # the request's facts, before the form's answers
    assert "<dt>申请人类型</dt><dd>自然人（按申请内容推定，可更正）</dd>" in head
    assert "公民" not in head


async def test_due_within_counts_working_days(store: Store) -> None:
    """Monday 23 Nov + 5 working days = Monday 30 Nov; + 10 = 7 Dec (weekends skipped)."""
    today = NOW.date()
    near = store.create_request(
        "信息公开", "GK", "tg:1", {}, "x", today, today + timedelta(days=7), False, NOW
    )
    far = store.create_request(
        "信息公开", "GK", "tg:2", {}, "x", today, today + timedelta(days=8), False, NOW
    )
    async with console_client(store) as client:
        await login(client, store, f"tg:{STAFF}")
        assert await refs_on(client, "due_within=5") == [near.reference]
        assert await refs_on(client, "due_within=6") == [near.reference, far.reference]
        assert await refs_on(client, "due_within=0") == []


async def test_bad_filter_values_are_ignored_not_errors(store: Store) -> None:
    seed(store)
    async with console_client(store) as client:
        await login(client, store, f"tg:{STAFF}")
        for query in (
            "status=nonsense",
            "due_within=-3",
            "due_within=abc",
            "page=0",
            "page=99999999",
            "channel=sms",
            "due_within=99999",
        ):
            response = await client.get(f"/console/requests?{query}")
            assert response.status == 200, query


async def test_table_pages_fifty_at_a_time(store: Store) -> None:
    today = NOW.date()
    made = [
        store.create_request(
            "信息公开", "GK", f"tg:{i}", {}, "x", today, today + timedelta(days=i % 30 + 1), False, NOW
        ).reference
        for i in range(120)
    ]
    async with console_client(store) as client:
        await login(client, store, f"tg:{STAFF}")
        first = await client.get("/console/requests")
        text = await first.text()
        assert "共 120 件" in text and "第 1 / 3 页" in text
        pages = [await refs_on(client, f"page={n}") for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [50, 50, 20]
    assert sorted(sum(pages, [])) == sorted(made)
    due = {r: store.get_request(r).due_date for r in made}
    flat = sum(pages, [])
    assert [due[r] for r in flat] == sorted(due[r] for r in flat)


async def test_table_never_shows_personal_data(store: Store) -> None:
    seed(store)
    async with console_client(store) as client:
        await login(client, store, f"tg:{ADMIN}", "admin")
        text = await (await client.get("/console/requests?status=all")).text()
    for secret in (NAME, ID_NUMBER, MOBILE, ADDRESS, RESIDENT, "李四"):
        assert secret not in text


# --------------------------------------------------------------------------- one request


async def page_of(client, ref: str) -> str:
    response = await client.get(f"/console/requests/{ref}")
    assert response.status == 200
    return await response.text()


async def test_assignee_sees_personal_data_in_full(store: Store) -> None:
    refs = seed(store)
    async with console_client(store) as client:
        await login(client, store, f"tg:{STAFF}")
        text = await page_of(client, refs.assigned)
    for value in (NAME, ID_NUMBER, MOBILE, ADDRESS):
        assert value in text
    assert "仅供办理使用" in text
    # the timeline: history, the resident's message, the staff reply and the internal note
    for item in (
        "已提交",
        "处理中：认领",
        f"我的电话是{MOBILE}",
        "已收到，正在办理。",
        "需要向档案室调取",
        "王科员",
    ):
        assert item in text
    assert RESIDENT not in text  # the resident's key is shown as 居民


async def test_other_staff_see_it_masked(store: Store) -> None:
    refs = seed(store)
    async with console_client(store) as client:
        await login(client, store, f"tg:{OTHER_STAFF}")
        text = await page_of(client, refs.assigned)
    for value in (NAME, ID_NUMBER, MOBILE, ADDRESS):
        assert value not in text
    for masked in ("张**", "130***********1234", "138****5678", "柏乡县某某镇****"):
        assert masked in text
    assert "个人信息已打码" in text
    assert "我的电话是138****5678" in text  # messages scrubbed too
    assert "需要向档案室调取" in text


async def test_admin_sees_it_in_full(store: Store) -> None:
    refs = seed(store)
    async with console_client(store) as client:
        await login(client, store, f"tg:{ADMIN}", "admin")
        text = await page_of(client, refs.overdue)
    assert "李四" in text and ID_NUMBER in text


async def test_a_forgotten_residents_personal_data_is_gone_for_everyone(store: Store) -> None:
    """Issue 11.4: after 删除我的数据 not even the assignee or an admin sees the personal fields."""
    refs = seed(store)
    async with console_client(store) as assignee, console_client(store) as admin:
        await login(assignee, store, f"tg:{STAFF}")
        await login(admin, store, f"tg:{ADMIN}", "admin")
        pages = [await page_of(assignee, refs.forgotten), await page_of(admin, refs.forgotten)]
    for page in pages:
        assert "孙八" not in page and "孙*" not in page and ID_NUMBER not in page
        assert "居民已要求删除个人信息" in page


async def test_handover_conversation_is_scrubbed_for_everyone(store: Store) -> None:
    refs = seed(store)
    async with console_client(store) as client:
        await login(client, store, f"tg:{ADMIN}", "admin")
        text = await page_of(client, refs.handover)
    assert "居民要求人工服务" in text
    assert MOBILE not in text and "138****5678" in text


async def test_html_in_stored_text_is_escaped(store: Store) -> None:
    today = NOW.date()
    req = store.create_request(
        "咨询", "ZX", "tg:1", {"reason": "<script>alert(1)</script>"}, "x", today, None, False, NOW
    )
    store.add_message(req.reference, "resident", "tg:1", '<img src=x onerror="alert(1)">', NOW)
    async with console_client(store) as client:
        await login(client, store, f"tg:{ADMIN}", "admin")
        text = await page_of(client, req.reference)
    assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;" in text


# --------------------------------------------------------------------------- statistics


def test_stats_figures(store: Store) -> None:
    """Three 信息公开 requests this week: replies after 2 h and 4 h; one closed on time after
    1 day, one closed late; one open past its date."""
    today = NOW.date()
    t0 = NOW - timedelta(days=10)
    a = store.create_request(
        "信息公开", "GK", "tg:1", {}, "x", today, t0.date() + timedelta(days=5), False, t0
    )
    b = store.create_request(
        "信息公开", "GK", "tg:2", {}, "x", today, t0.date() + timedelta(days=1), False, t0
    )
    c = store.create_request("异地查档", "CD", "tg:3", {}, "x", today, today - timedelta(days=1), False, t0)
    store.add_message(a.reference, "staff", "tg:9", "收到", t0 + timedelta(hours=2))
    store.add_message(b.reference, "staff", "tg:9", "收到", t0 + timedelta(hours=4))
    for ref, days in ((a.reference, 1), (b.reference, 3)):
        store.set_status(ref, IN_PROGRESS, by="tg:9", now=t0 + timedelta(hours=5))
        store.set_status(ref, ANSWERED, by="tg:9", now=t0 + timedelta(days=days))
    store.set_status(c.reference, IN_PROGRESS, by="tg:9", now=t0 + timedelta(hours=5))
    store.add_rating("baixiang/service/1", "tg:1", "down", NOW)
    store.add_rating("baixiang/service/1", "tg:2", "up", NOW)
    store.log_review("能不能帮我办护照", "declined", "", NOW)
    store.log_review("能不能帮我办护照？", "declined", "", NOW)
    stats = queries.compute_stats(store, today=today, weeks=4, knowledge=KNOWLEDGE)
    assert stats.total == 3
    assert sum(stats.per_week["信息公开"]) == 2 and sum(stats.per_week["异地查档"]) == 1
    assert stats.first_reply_hours == (3.0, 4.0, 2)
    assert stats.close_days == (2.0, 3.0, 2)
    assert (stats.on_time, stats.late, stats.open_overdue) == (1, 1, 1)
    assert stats.on_time_rate == pytest.approx(1 / 3)
    assert stats.ratings[0][0] == "baixiang/service/1" and stats.ratings[0][2:] == (1, 1)
    assert stats.ratings[0][1] != "baixiang/service/1"  # the entry's title from the knowledge
    assert stats.declined == [("能不能帮我办护照", 2)]


def test_percentile_is_nearest_rank() -> None:
    assert queries.percentile([], 90) is None
    assert queries.percentile([5.0], 90) == 5.0
    assert queries.percentile([float(i) for i in range(1, 11)], 90) == 9.0
    assert queries.percentile([float(i) for i in range(1, 11)], 50) == 5.0


async def test_stats_page_draws_svg_charts(store: Store) -> None:
    seed(store)
    store.log_review("<b>护照</b>在哪里办", "declined", "", NOW)
    async with console_client(store) as client:
        await login(client, store, f"tg:{STAFF}")
        response = await client.get("/console/stats?weeks=12")
        text = await response.text()
    assert response.status == 200
    assert text.count("<svg") == 2 and "<script" not in text and "style=" not in text
    assert "&lt;b&gt;护照" in text
    assert "按期办结率" in text and "信息公开" in text


def test_stats_and_table_queries_use_indexes(store: Store) -> None:
    seed(store)
    from handlers.console.app import prepare_store

    prepare_store(store)
    db = sqlite3.connect(store.path)
    plans = {
        "per week": "SELECT substr(created_at, 1, 10), kind, COUNT(*) FROM requests"
        " WHERE created_at >= '2026'"
        " GROUP BY 1, 2",
        "assignee": "SELECT reference FROM requests WHERE assignee = 'x'",
        "channel": "SELECT reference FROM requests WHERE substr(resident, 1, instr(resident, ':')) = 'web:'"
        " ORDER BY due_date IS NULL, due_date, created_at, reference LIMIT 50",
        "overdue": "SELECT reference FROM requests WHERE status IN ('处理中') AND due_date < '2026'",
        "reference": "SELECT reference FROM requests WHERE reference >= 'GK' AND reference < 'GL'",
        "replies": "SELECT reference, MIN(at) FROM messages WHERE sender = 'staff' AND at >= '2026'"
        " GROUP BY reference",
        "closures": "SELECT reference, MIN(at) FROM request_history WHERE status IN ('已答复', '已办结')"
        " AND at >= '2026' GROUP BY reference",
        "window": "SELECT reference, kind, created_at, due_date, status FROM requests"
        " WHERE created_at >= '2026'",
        "page": "SELECT reference FROM requests WHERE kind = 'x' ORDER BY due_date IS NULL, due_date,"
        " created_at, reference LIMIT 50 OFFSET 5000",
        "audit": "SELECT * FROM console_audit WHERE actor = 'x' ORDER BY id DESC LIMIT 100",
    }
    for name, sql in plans.items():
        plan = " ".join(str(r[-1]) for r in db.execute("EXPLAIN QUERY PLAN " + sql).fetchall())
        assert "USING" in plan and not re.search(r"SCAN \w+(?! USING)", plan), (name, plan)
        assert "TEMP B-TREE FOR ORDER BY" not in plan, (name, plan)
    db.close()


# --------------------------------------------------------------------------- audit log


async def test_every_console_action_is_audited_without_personal_data(store: Store) -> None:
    refs = seed(store)
    async with console_client(store) as staff, console_client(store) as admin:
        await login(staff, store, f"tg:{OTHER_STAFF}")
        await staff.get("/console/requests?q=138 1234 5678")  # someone searching with a phone number
        await staff.get(f"/console/requests/{refs.assigned}")
        await staff.get("/console/stats")
        await staff.get("/console/audit")
        await login(admin, store, f"tg:{ADMIN}", "admin")
        await admin.get(f"/console/requests/{refs.assigned}")
        log = await (await admin.get(f"/console/audit?reference={refs.assigned}")).text()
    rows = audit.entries(store, limit=1000)
    got = [(e.actor, e.action, e.reference) for e in reversed(rows)]
    assert (f"tg:{OTHER_STAFF}", "login", None) in got
    assert (f"tg:{OTHER_STAFF}", "view", refs.assigned) in got
    assert (f"tg:{OTHER_STAFF}", "stats", None) in got
    assert (f"tg:{OTHER_STAFF}", "denied", None) in got
    assert (f"tg:{ADMIN}", "view_full", refs.assigned) in got
    assert (f"tg:{ADMIN}", "audit", None) in got
    dump = "\n".join(sqlite3.connect(store.path).iterdump())
    audit_rows = [line for line in dump.splitlines() if "console_audit" in line and "INSERT" in line]
    for secret in (NAME, ID_NUMBER, MOBILE, "13812345678", ADDRESS, RESIDENT):
        assert not any(secret in line for line in audit_rows), secret
    assert "查看申请详情（含完整个人信息）" in log and refs.assigned in log


def test_audit_refuses_unknown_actions_and_scrubs_details(store: Store) -> None:
    audit.ensure_schema(store)
    with pytest.raises(ValueError):
        audit.record(store, "tg:1", "made_up")
    audit.record(store, "tg:1", "list", detail=f"q={ID_NUMBER} " + "x" * 500, now=NOW)
    (entry,) = audit.entries(store)
    assert ID_NUMBER not in entry.detail and len(entry.detail) <= audit.DETAIL_CHARS


async def test_audit_pages_older_entries(store: Store) -> None:
    audit.ensure_schema(store)
    for i in range(audit.PAGE_SIZE + 5):
        audit.record(store, f"tg:{i}", "list", now=NOW)
    async with console_client(store) as client:
        await login(client, store, f"tg:{ADMIN}", "admin")
        first = await (await client.get("/console/audit")).text()
        link = re.search(r'href="(/console/audit\?[^"]+before=\d+)"', first)
        assert link
        older = await (await client.get(link.group(1).replace("&amp;", "&"))).text()
    assert "tg:0<" in older and "tg:0<" not in first
