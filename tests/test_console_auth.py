"""The console's doors: one-time links, sessions, roles, CSRF, security headers, for every route."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from aiohttp import web

from bot import audit
from bot.console_auth import Roles, create_login_link, issue_link_token, load_session, redeem_link
from bot.store import Store
from cli.main import main as cli_main
from handlers.console import setup_console
from handlers.console.app import COOKIE, CSP
from tests.console_support import (
    ADMIN,
    KNOWLEDGE,
    NOW,
    OTHER_STAFF,
    STAFF,
    STRANGER,
    Clock,
    MutableRoles,
    console_client,
    csrf_of,
    link_token,
    login,
    seed,
)


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "console.db") as s:
        yield s


#: Every page a logged-in person can ask for (GET), and who may see it.
def pages(refs) -> list[tuple[str, str]]:
    return [
        ("/console/requests", "staff"),
        ("/console/requests?overdue=1&status=all&service=信息公开", "staff"),
        (f"/console/requests/{refs.assigned}", "staff"),
        ("/console/stats", "staff"),
        ("/console/stats?weeks=52", "staff"),
        ("/console/audit", "admin"),
    ]


POSTS = ["/console/logout"]


# --------------------------------------------------------------------------- links


async def test_link_opens_a_session_with_a_strict_http_only_cookie(store: Store) -> None:
    async with console_client(store) as client:
        response = await login(client, store, f"tg:{STAFF}", source="telegram")
        assert response.status == 303
        assert response.headers["Location"] == "/console/requests"
        cookie = response.headers["Set-Cookie"]
        assert cookie.startswith(f"{COOKIE}=")
        for part in ("HttpOnly", "SameSite=Strict", "Path=/console/", "Max-Age=28800"):
            assert part in cookie
        assert "Secure" not in cookie  # plain http on 127.0.0.1
        page = await client.get("/console/requests")
        assert page.status == 200
        assert f"tg:{STAFF}（工作人员）" in await page.text()


async def test_cookie_is_secure_behind_tls(store: Store) -> None:
    async with console_client(store, behind_tls=True) as client:
        response = await login(client, store, f"tg:{STAFF}")
        assert "Secure" in response.headers["Set-Cookie"]
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")


async def test_tokens_and_sessions_are_stored_hashed(store: Store) -> None:
    token = issue_link_token(store, f"tg:{STAFF}", "staff", now=NOW)
    result = redeem_link(store, token, MutableRoles(), now=NOW)
    assert result.outcome == "ok"
    db = sqlite3.connect(store.path)
    dump = "\n".join(db.iterdump())
    db.close()
    assert token not in dump and result.session_id not in dump
    assert hashlib.sha256(token.encode()).hexdigest() in dump


async def test_a_link_works_once(store: Store) -> None:
    link = create_login_link(store, f"tg:{STAFF}", "staff", "http://127.0.0.1", now=NOW)
    async with console_client(store) as client:
        first = await client.post("/console/login", data={"t": link_token(link)}, allow_redirects=False)
        assert first.status == 303
    async with console_client(store) as other:
        again = await other.post("/console/login", data={"t": link_token(link)}, allow_redirects=False)
        assert again.status == 403
        assert "只能使用一次" in await again.text()
        assert COOKIE not in again.cookies
        assert (await other.get("/console/requests")).status == 401


async def test_opening_the_link_page_does_not_use_it(store: Store) -> None:
    """Telegram fetches link previews: a GET must not spend the link."""
    link = create_login_link(store, f"tg:{STAFF}", "staff", "http://127.0.0.1", now=NOW)
    async with console_client(store) as client:
        for _ in range(2):
            page = await client.get("/console/login", params={"t": link_token(link)})
            assert page.status == 200
            assert "登录" in await page.text()
        assert (await client.get("/console/requests")).status == 401
        used = await client.post("/console/login", data={"t": link_token(link)}, allow_redirects=False)
        assert used.status == 303


@pytest.mark.parametrize("token", ["", "forged-token-never-issued", "x" * 500])
async def test_forged_links_open_nothing(store: Store, token: str) -> None:
    issue_link_token(store, f"tg:{ADMIN}", "admin", now=NOW)  # a real one exists, too
    async with console_client(store) as client:
        response = await client.post("/console/login", data={"t": token}, allow_redirects=False)
        assert response.status == 403
        assert "登录链接无效" in await response.text()
        assert (await client.get("/console/audit")).status == 401
    refused = [e for e in audit.entries(store) if e.action == "login_refused"]
    assert refused and refused[0].detail == "unknown"


async def test_a_link_expires_after_five_minutes(store: Store) -> None:
    clock = Clock()
    link = create_login_link(store, f"tg:{STAFF}", "staff", "http://127.0.0.1", now=clock())
    clock.advance(minutes=5, seconds=1)
    async with console_client(store, clock=clock) as client:
        response = await client.post("/console/login", data={"t": link_token(link)}, allow_redirects=False)
        assert response.status == 403
        assert "已过期" in await response.text()
        assert (await client.get("/console/requests")).status == 401


async def test_a_link_just_inside_five_minutes_works(store: Store) -> None:
    clock = Clock()
    link = create_login_link(store, f"tg:{STAFF}", "staff", "http://127.0.0.1", now=clock())
    clock.advance(minutes=4, seconds=59)
    async with console_client(store, clock=clock) as client:
        response = await client.post("/console/login", data={"t": link_token(link)}, allow_redirects=False)
        assert response.status == 303


async def test_telegram_link_for_someone_off_the_lists_opens_nothing(store: Store) -> None:
    link = create_login_link(store, f"tg:{STRANGER}", "staff", "http://127.0.0.1", now=NOW)
    async with console_client(store) as client:
        response = await client.post("/console/login", data={"t": link_token(link)}, allow_redirects=False)
        assert response.status == 403
        assert "不在工作人员名单" in await response.text()


async def test_login_from_another_site_is_refused(store: Store) -> None:
    link = create_login_link(store, f"tg:{STAFF}", "staff", "http://127.0.0.1", now=NOW)
    async with console_client(store) as client:
        response = await client.post(
            "/console/login",
            data={"t": link_token(link)},
            headers={"Origin": "https://evil.example"},
            allow_redirects=False,
        )
        assert response.status == 403
        assert COOKIE not in response.cookies


# --------------------------------------------------------------------------- sessions


async def test_session_ends_after_eight_hours(store: Store) -> None:
    clock = Clock()
    async with console_client(store, clock=clock) as client:
        await login(client, store, f"tg:{STAFF}", now=clock())
        clock.advance(hours=7, minutes=59)
        assert (await client.get("/console/requests")).status == 200
        clock.advance(minutes=2)
        expired = await client.get("/console/requests")
        assert expired.status == 401
        assert "登录已过期" in await expired.text()


async def test_logout_ends_the_session_for_good(store: Store) -> None:
    async with console_client(store) as client:
        await login(client, store, f"tg:{STAFF}")
        value = client.session.cookie_jar.filter_cookies(client.make_url("/console/"))[COOKIE].value
        token = await csrf_of(client)
        out = await client.post("/console/logout", data={"csrf": token})
        assert out.status == 200
        assert "已退出" in await out.text()
        assert (await client.get("/console/requests")).status == 401
        # the old cookie value, replayed, opens nothing
        replay = await client.get("/console/requests", cookies={COOKIE: value})
        assert replay.status == 401
    assert load_session(store, value, MutableRoles(), now=NOW) is None


async def test_removing_someone_from_the_staff_list_ends_their_telegram_session(store: Store) -> None:
    roles = MutableRoles()
    async with console_client(store, roles=roles) as client:
        await login(client, store, f"tg:{OTHER_STAFF}", source="telegram")
        assert (await client.get("/console/requests")).status == 200
        roles.staff_ids.discard(OTHER_STAFF)
        assert (await client.get("/console/requests")).status == 401


async def test_telegram_session_role_follows_the_admin_list(store: Store) -> None:
    roles = MutableRoles()
    async with console_client(store, roles=roles) as client:
        await login(client, store, f"tg:{ADMIN}", "admin", source="telegram")
        assert (await client.get("/console/audit")).status == 200
        roles.admin_ids.discard(ADMIN)
        roles.staff_ids.add(ADMIN)
        assert (await client.get("/console/audit")).status == 403


# --------------------------------------------------------------------------- every route


async def test_every_route_refuses_without_a_session(store: Store) -> None:
    refs = seed(store)
    async with console_client(store) as client:
        for path, _ in pages(refs):
            response = await client.get(path)
            assert response.status == 401, path
            text = await response.text()
            assert "/console" in text and "张三丰" not in text
        for path in POSTS:
            assert (await client.post(path, data={"csrf": "x"})).status == 401, path


async def test_every_route_refuses_a_forged_cookie(store: Store) -> None:
    refs = seed(store)
    async with console_client(store) as client:
        for path, _ in pages(refs):
            response = await client.get(path, cookies={COOKIE: "forged" * 5})
            assert response.status == 401, path
            assert f"{COOKIE}=" in response.headers.get("Set-Cookie", ""), "the bad cookie is cleared"


async def test_every_route_refuses_an_expired_session(store: Store) -> None:
    refs = seed(store)
    clock = Clock()
    async with console_client(store, clock=clock) as client:
        await login(client, store, f"tg:{ADMIN}", "admin", now=clock())
        clock.advance(hours=8, seconds=1)
        for path, _ in pages(refs):
            assert (await client.get(path)).status == 401, path


async def test_staff_and_admin_see_what_their_role_allows(store: Store) -> None:
    refs = seed(store)
    async with console_client(store) as staff, console_client(store) as admin:
        await login(staff, store, f"tg:{OTHER_STAFF}")
        await login(admin, store, f"tg:{ADMIN}", "admin")
        for path, role in pages(refs):
            assert (await admin.get(path)).status == 200, path
            got = (await staff.get(path)).status
            assert got == (200 if role == "staff" else 403), path
        staff_page = await (await staff.get("/console/requests")).text()
        assert "审计日志" not in staff_page  # not even offered
    denied = [e for e in audit.entries(store) if e.action == "denied"]
    assert denied and denied[0].actor == f"tg:{OTHER_STAFF}"


@pytest.mark.parametrize("csrf", [None, "", "wrong-token"])
async def test_posts_need_the_session_csrf_token(store: Store, csrf: str | None) -> None:
    async with console_client(store) as client:
        await login(client, store, f"tg:{STAFF}")
        data = {} if csrf is None else {"csrf": csrf}
        for path in POSTS:
            response = await client.post(path, data=data)
            assert response.status == 403, path
            assert "表单已过期" in await response.text()
        assert (await client.get("/console/requests")).status == 200  # still logged in
    assert any(e.action == "csrf_refused" for e in audit.entries(store))


async def test_a_csrf_token_from_another_session_is_refused(store: Store) -> None:
    async with console_client(store) as mine, console_client(store) as theirs:
        await login(mine, store, f"tg:{STAFF}")
        await login(theirs, store, f"tg:{OTHER_STAFF}")
        their_token = await csrf_of(theirs)
        assert (await mine.post("/console/logout", data={"csrf": their_token})).status == 403


async def test_posts_from_another_origin_are_refused_even_with_the_token(store: Store) -> None:
    async with console_client(store) as client:
        await login(client, store, f"tg:{STAFF}")
        token = await csrf_of(client)
        response = await client.post(
            "/console/logout", data={"csrf": token}, headers={"Origin": "https://evil.example"}
        )
        assert response.status == 403
        assert (await client.get("/console/requests")).status == 200


async def test_every_form_carries_the_csrf_token(store: Store) -> None:
    refs = seed(store)
    async with console_client(store) as client:
        await login(client, store, f"tg:{ADMIN}", "admin")
        for path, _ in pages(refs):
            html = await (await client.get(path)).text()
            for form in html.split("<form")[1:]:
                head = form.split(">", 1)[0]
                if 'method="post"' in head:
                    body = form.split("</form>", 1)[0]
                    assert 'name="csrf"' in body, (path, head)


# --------------------------------------------------------------------------- headers


async def test_security_headers_on_every_response(store: Store) -> None:
    refs = seed(store)
    async with console_client(store) as client:
        responses = [await client.get("/console/requests"), await client.get("/console/nowhere")]
        responses.append(await client.get("/console/static/console.css"))
        await login(client, store, f"tg:{STAFF}")
        for path, _ in pages(refs):
            responses.append(await client.get(path))
        for response in responses:
            h = response.headers
            assert h["Content-Security-Policy"] == CSP, response.url
            assert "script-src" not in CSP and "'unsafe-inline'" not in CSP
            assert h["X-Frame-Options"] == "DENY"
            assert h["X-Content-Type-Options"] == "nosniff"
            assert h["Referrer-Policy"] == "same-origin"
        page = responses[-1]
        assert page.headers["Cache-Control"] == "no-store"
        assert "<script" not in await page.text()


async def test_unknown_pages_are_chinese_404s(store: Store) -> None:
    async with console_client(store) as client:
        await login(client, store, f"tg:{STAFF}")
        missing = await client.get("/console/requests/GK-20990101-0001")
        assert missing.status == 404
        assert "未找到编号为 GK-20990101-0001 的申请" in await missing.text()
        assert (await client.get("/console/static/../app.py")).status == 404


# --------------------------------------------------------------------------- mounting and the CLI


async def test_setup_console_mounts_beside_other_routes(store: Store) -> None:
    async def chat_page(request: web.Request) -> web.Response:
        return web.Response(text="chat")

    app = web.Application()
    app.router.add_get("/", chat_page)
    setup_console(
        app, store=store, knowledge_getter=lambda: KNOWLEDGE, settings=Roles(frozenset({STAFF})), now=Clock()
    )
    async with console_client(store, app=app) as client:
        root = await client.get("/")
        assert await root.text() == "chat"
        assert "X-Frame-Options" not in root.headers  # the console's headers stay on the console
        await login(client, store, f"tg:{STAFF}", source="telegram")
        assert (await client.get("/console/requests")).status == 200


async def test_cli_prints_a_working_admin_link(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli_main(
        ["console", "link", "op1", "--admin", "--db", store.path, "--base-url", "https://x.gov.cn/"]
    )
    assert code == 0
    link = capsys.readouterr().out.strip()
    assert link.startswith("https://x.gov.cn/console/login?t=")
    async with console_client(store, clock=Clock()) as client:
        # the CLI used the wall clock: redeem at that time
        result = redeem_link(store, link_token(link), MutableRoles())
        assert result.outcome == "ok" and result.session is not None
        assert result.session.user == "op1" and result.session.role == "admin"
        response = await client.get("/console/audit", cookies={COOKIE: result.session_id})
        assert response.status == 200
        assert "签发登录链接" in await response.text()


def test_cli_digits_mean_a_telegram_user(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["console", "link", str(STAFF), "--db", store.path]) == 0
    link = capsys.readouterr().out.strip()
    assert link.startswith("http://127.0.0.1:8080/console/login?t=")
    result = redeem_link(store, link_token(link), Roles())  # a CLI link keeps its role
    assert result.session is not None and result.session.user == f"tg:{STAFF}"
    assert result.session.role == "staff"
