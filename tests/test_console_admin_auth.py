"""Authorisation of every round-2 console route (annual report, knowledge, review loop): no
session, an expired session, staff against admin pages, and the CSRF token and origin on every
POST; a refused POST changes nothing (no file written, no version kept, nothing marked)."""

from __future__ import annotations

from bot import audit, knowledge_edit
from tests.console_admin_support import admin_rig
from tests.console_support import ADMIN, STAFF, csrf_of, login

EDIT = "/console/knowledge/edit?file=departments/baixiang.yaml&list=services&id=baixiang/service/1"
ADMIN_GETS = ["/console/knowledge", EDIT, "/console/knowledge/try?q=信息公开", "/console/review"]
ADMIN_POSTS = [
    "/console/knowledge/preview",
    "/console/knowledge/save",
    "/console/knowledge/revert",
    "/console/review/attach",
    "/console/review/referral",
    "/console/review/dismiss",
]
STAFF_GETS = ["/console/report?year=2025", "/console/report/download?year=2025&format=csv"]
FORM = {
    "file": "departments/baixiang.yaml",
    "list": "services",
    "id": "baixiang/service/1",
    "f:phone": "0319-5550100",
    "version": "1",
    "item": "1",
    "entry": "baixiang/service/1",
    "ids": "1",
    "referral": "gongan",
    "keyword": "测试词",
}


def snapshot(root) -> dict[str, str]:
    return {str(p): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.yaml"))}


async def test_without_a_session_every_new_route_asks_to_log_in(tmp_path) -> None:
    async with admin_rig(tmp_path) as (rig, client):
        for path in ADMIN_GETS + STAFF_GETS:
            page = await client.get(path)
            assert page.status == 401, path
            assert "登录" in await page.text()
        before = snapshot(rig.root)
        for path in ADMIN_POSTS:
            page = await client.post(path, data=FORM)
            assert page.status == 401, path
        assert snapshot(rig.root) == before


async def test_staff_see_the_report_but_not_the_knowledge_or_review_pages(tmp_path) -> None:
    async with admin_rig(tmp_path) as (rig, client):
        await login(client, rig.store, f"tg:{STAFF}")
        for path in STAFF_GETS:
            assert (await client.get(path)).status == 200, path
        for path in ADMIN_GETS:
            page = await client.get(path)
            assert page.status == 403, path
            assert "仅限管理员" in await page.text()
        token = await csrf_of(client)
        before = snapshot(rig.root)
        for path in ADMIN_POSTS:
            page = await client.post(path, data={**FORM, "csrf": token})
            assert page.status == 403, path
        assert snapshot(rig.root) == before
        assert knowledge_edit.versions(rig.store) == []
        denied = [e for e in audit.entries(rig.store) if e.action == "denied"]
        assert len(denied) == len(ADMIN_GETS) + len(ADMIN_POSTS)
        # no link to the admin pages in a staff member's navigation
        nav = await (await client.get("/console/requests")).text()
        assert "/console/report" in nav and "/console/knowledge" not in nav and "/console/review" not in nav


async def test_admin_posts_need_the_csrf_token_and_our_origin(tmp_path) -> None:
    async with admin_rig(tmp_path) as (rig, client):
        await login(client, rig.store, f"tg:{ADMIN}", "admin")
        for path in ADMIN_GETS + STAFF_GETS:
            assert (await client.get(path)).status == 200, path
        token = await csrf_of(client)
        before = snapshot(rig.root)
        for path in ADMIN_POSTS:
            assert (await client.post(path, data=FORM)).status == 403, path  # missing
            assert (await client.post(path, data={**FORM, "csrf": "forged"})).status == 403, path  # wrong
            foreign = await client.post(
                path, data={**FORM, "csrf": token}, headers={"Origin": "https://evil.example"}
            )
            assert foreign.status == 403, path
        assert snapshot(rig.root) == before
        assert knowledge_edit.versions(rig.store) == []
        refused = [e for e in audit.entries(rig.store) if e.action == "csrf_refused"]
        assert len(refused) == 3 * len(ADMIN_POSTS)


async def test_an_expired_session_opens_nothing(tmp_path) -> None:
    async with admin_rig(tmp_path) as (rig, client):
        await login(client, rig.store, f"tg:{ADMIN}", "admin")
        token = await csrf_of(client)
        rig.clock.advance(hours=8, minutes=1)
        for path in ADMIN_GETS + STAFF_GETS:
            assert (await client.get(path)).status == 401, path
        for path in ADMIN_POSTS:
            assert (await client.post(path, data={**FORM, "csrf": token})).status == 401, path


async def test_an_admin_taken_off_the_list_loses_the_knowledge_pages_at_once(tmp_path) -> None:
    async with admin_rig(tmp_path) as (rig, client):
        await login(client, rig.store, f"tg:{ADMIN}", "admin", source="telegram")
        assert (await client.get("/console/knowledge")).status == 200
        rig.roles.admin_ids.discard(ADMIN)
        rig.roles.staff_ids.add(ADMIN)
        assert (await client.get("/console/knowledge")).status == 403
        assert (await client.get("/console/report")).status == 200


def test_new_audit_words_are_declared() -> None:
    for word in ("report", "report_download", "knowledge_save", "knowledge_revert", "review_attach"):
        assert word in audit.ACTIONS
