"""The desk's actions on a request's console page (issue 14): the same ``bot.desk`` rules as
the Telegram group, behind the session and the CSRF token, audited without personal data,
and what the resident is owed written to the outbox for their own channel."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot import audit
from bot.store import ANSWERED, IN_PROGRESS, NEEDS_CORRECTION, SUBMITTED, Store
from tests.console_support import (
    ADMIN,
    MOBILE,
    OTHER_STAFF,
    STAFF,
    WEB_RESIDENT,
    console_client,
    csrf_of,
    login,
    seed,
)


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "console.db") as s:
        yield s


def owed(store: Store, address: str) -> list[tuple[str, dict]]:
    """(kind, body) of the outbox items written for ``address``, oldest first."""
    with store._read() as db:
        rows = db.execute(
            "SELECT kind, payload FROM outbox WHERE chat_key = ? ORDER BY id", [address]
        ).fetchall()
    return [(kind, json.loads(payload)) for kind, payload in rows]


def audit_rows(store: Store, action: str) -> list[audit.AuditEntry]:
    return [e for e in audit.entries(store) if e.action == action]


async def act(client, reference: str, name: str, **form: str):
    csrf = await csrf_of(client, f"/console/requests/{reference}")
    return await client.post(f"/console/requests/{reference}/{name}", data={"csrf": csrf, **form})


async def test_the_request_page_carries_the_action_forms_with_csrf(store: Store) -> None:
    refs = seed(store)
    async with console_client(store) as client:
        await login(client, store, f"tg:{STAFF}")
        page = await (await client.get(f"/console/requests/{refs.overdue}")).text()
    for name in ("claim", "reply", "note", "extend", "correct", "applicant", "close"):
        assert f'action="/console/requests/{refs.overdue}/{name}"' in page
    forms = re.findall(r"<form method=\"post\".*?</form>", page, re.S)
    assert forms and all('name="csrf"' in f for f in forms)


async def test_actions_need_a_session_and_the_csrf_token(store: Store) -> None:
    refs = seed(store)
    async with console_client(store) as client:
        anonymous = await client.post(f"/console/requests/{refs.handover}/claim", data={"csrf": "x"})
        assert anonymous.status == 401
        await login(client, store, f"tg:{STAFF}")
        missing = await client.post(f"/console/requests/{refs.handover}/claim", data={})
        forged = await client.post(f"/console/requests/{refs.handover}/claim", data={"csrf": "forged"})
        assert missing.status == forged.status == 403
    assert store.get_request(refs.handover).assignee is None
    assert owed(store, "tg:7777") == []
    assert len(audit_rows(store, "csrf_refused")) == 2 and audit_rows(store, "desk_claim") == []


async def test_claim_starts_work_tells_the_resident_and_is_audited(store: Store) -> None:
    refs = seed(store)
    assert store.get_request(refs.handover).status == SUBMITTED
    async with console_client(store) as client:
        await login(client, store, f"tg:{OTHER_STAFF}")
        response = await act(client, refs.handover, "claim")
        assert response.status == 200 and "已认领" in await response.text()
    req = store.get_request(refs.handover)
    assert req.assignee == f"tg:{OTHER_STAFF}" and req.status == IN_PROGRESS
    notices = owed(store, "tg:7777")  # a Telegram resident: the Telegram process delivers it
    assert [k for k, _ in notices] == ["notice"] and "开始办理" in notices[0][1]["text"]
    assert ("refresh", {"reference": refs.handover}) in owed(store, "staff")  # the group's card
    (row,) = audit_rows(store, "desk_claim")
    assert row.actor == f"tg:{OTHER_STAFF}" and row.reference == refs.handover and row.detail == "ok"


async def test_taking_over_someone_elses_claim_asks_first(store: Store) -> None:
    refs = seed(store)  # refs.assigned is claimed by STAFF (王科员)
    async with console_client(store) as client:
        await login(client, store, f"tg:{OTHER_STAFF}")
        page = await (await client.get(f"/console/requests/{refs.assigned}")).text()
        assert "已由 王科员 认领" in page and "确认改由我认领" in page
        asked = await act(client, refs.assigned, "claim")
        assert asked.status == 400 and "确定改由您认领吗" in await asked.text()
        assert store.get_request(refs.assigned).assignee == f"tg:{STAFF}"
        taken = await act(client, refs.assigned, "claim", confirm="1")
        assert taken.status == 200 and "已通知原认领人" in await taken.text()
    assert store.get_request(refs.assigned).assignee == f"tg:{OTHER_STAFF}"
    told = [body for kind, body in owed(store, "staff") if kind == "reassigned"]
    assert told == [{"reference": refs.assigned, "previous": f"tg:{STAFF}", "by": f"tg:{OTHER_STAFF}"}]
    assert [r.detail for r in audit_rows(store, "desk_claim")] == ["ok", "confirm"]  # newest first


async def test_a_reply_reaches_the_web_resident_and_its_text_stays_out_of_the_audit(store: Store) -> None:
    refs = seed(store)  # refs.overdue came from the web chat
    text = f"请致电{MOBILE}联系我们领取材料。"
    async with console_client(store) as client:
        await login(client, store, f"tg:{STAFF}")
        response = await act(client, refs.overdue, "reply", text=text)
        assert response.status == 200 and "已转达居民" in await response.text()
    assert [m.text for m in store.thread(refs.overdue) if m.sender == "staff"] == [text]
    ((kind, body),) = owed(store, WEB_RESIDENT)
    assert kind == "notice" and text in body["text"] and refs.overdue in body["text"]
    (row,) = audit_rows(store, "desk_reply")
    assert MOBILE not in row.detail and "领取" not in row.detail


async def test_an_empty_reply_is_refused_with_a_reason_and_nothing_is_owed(store: Store) -> None:
    refs = seed(store)
    async with console_client(store) as client:
        await login(client, store, f"tg:{STAFF}")
        response = await act(client, refs.overdue, "reply", text="   ")
        assert response.status == 400 and "答复内容不能为空" in await response.text()
    assert owed(store, WEB_RESIDENT) == []
    assert [r.detail for r in audit_rows(store, "desk_reply")] == ["refused"]


async def test_close_with_the_statutory_outcome(store: Store) -> None:
    refs = seed(store)
    async with console_client(store) as client:
        await login(client, store, f"tg:{ADMIN}", "admin")
        without = await act(client, refs.overdue, "close")
        assert without.status == 400 and "请选择办理结果" in await without.text()
        response = await act(client, refs.overdue, "close", outcome="1")
        assert response.status == 200 and "已答复（予以公开）" in await response.text()
    req = store.get_request(refs.overdue)
    assert req.status == ANSWERED and req.closed_kind == "予以公开"
    assert any("办理结果：予以公开" in body["text"] for _, body in owed(store, WEB_RESIDENT))
    assert [r.detail for r in audit_rows(store, "desk_close")] == ["ok 1", "refused"]


async def test_one_extension_only(store: Store) -> None:
    refs = seed(store)
    async with console_client(store) as client:
        await login(client, store, f"tg:{STAFF}")
        first = await act(client, refs.assigned, "extend")
        assert first.status == 200 and "已延期" in await first.text()
        second = await act(client, refs.assigned, "extend")
        assert second.status == 409 and "只能延期一次" in await second.text()
    assert store.get_request(refs.assigned).extended
    ((kind, body),) = owed(store, "tg:5555")
    assert "您的政府信息公开申请" in body["text"] and "第三十三条" in body["text"]


async def test_correction_notice_then_received(store: Store) -> None:
    refs = seed(store)
    async with console_client(store) as client:
        await login(client, store, f"tg:{STAFF}")
        sent = await act(client, refs.assigned, "correct", items="请补充所需信息的文号")
        assert sent.status == 200 and "补正告知" in await sent.text()
        assert store.get_request(refs.assigned).status == NEEDS_CORRECTION
        again = await act(client, refs.assigned, "correct", items="再补一次")
        assert again.status == 409
        done = await act(client, refs.assigned, "corrected")
        assert done.status == 200 and "补正已收到" in await done.text()
    assert store.get_request(refs.assigned).status == IN_PROGRESS
    notices = [body for _, body in owed(store, "tg:5555")]
    assert notices[0]["card"] == refs.assigned and "请补充所需信息的文号" in notices[0]["text"]
    assert "答复期限重新计算" in notices[1]["text"]


async def test_note_and_applicant_type(store: Store) -> None:
    refs = seed(store)
    async with console_client(store) as client:
        await login(client, store, f"tg:{OTHER_STAFF}")
        noted = await act(client, refs.overdue, "note", text="等待档案室回复")
        assert noted.status == 200
        typed = await act(client, refs.overdue, "applicant", type="科研机构")
        assert typed.status == 200 and "科研机构" in await typed.text()
        unknown = await act(client, refs.handover, "note", text="x")
        assert unknown.status == 200
        missing = await client.post(
            "/console/requests/GK-20990101-0001/note",
            data={"csrf": await csrf_of(client), "text": "x"},
        )
        assert missing.status == 404 and "未找到" in await missing.text()
    assert [n.text for n in store.notes(refs.overdue)] == ["等待档案室回复"]
    assert store.get_request(refs.overdue).applicant_type == "科研机构"
    assert owed(store, WEB_RESIDENT) == []  # residents never see notes
