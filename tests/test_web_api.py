"""The web chat's HTTP API: every route, identity by signed cookie, Origin checks, limits,
hostile input, live updates, the staff desk through the outbox (issue 13)."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.messages import Catalogue, catalogue_of
from cli.main import build_parser
from handlers.web.app import MAX_BODY, MAX_TEXT
from handlers.web.history import KEEP_PER_RESIDENT, NewMessage, WebLog, deliver_web
from handlers.web.page import render_page, render_widget
from handlers.web.security import COOKIE
from tests.dialog_support import ID, MOBILE
from tests.telegram_support import knowledge
from tests.web_support import browser, fill_disclosure, running_web

# what the page is told, as the office words it (knowledge/messages/web.yaml and others)
_MSG = catalogue_of(knowledge())
ERR_COOKIE = _MSG.text("web.err_cookie")
ERR_ORIGIN = _MSG.text("web.err_origin")
ERR_LONG = _MSG.text("web.err_long", max=MAX_TEXT)
FLOOD_NOTICE = _MSG.text("telegram.flood")
THANKS = _MSG.text("dialog.thanks_for_rating")

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "handlers" / "web" / "static"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "web.db"


# --------------------------------------------------------------------------- page and assets


async def test_the_page_sets_an_httponly_strict_cookie_and_strict_security_headers(db) -> None:
    async with running_web(db) as w:
        resp = await w.client.get("/")
        assert resp.status == 200
        assert resp.content_type == "text/html"
        body = await resp.text()
        assert 'src="static/chat.js"' in body and "<script>" not in body  # no inline script
        h = resp.headers
        csp = h["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'self'" in csp
        assert h["X-Content-Type-Options"] == "nosniff"
        assert h["Referrer-Policy"] == "no-referrer"
        assert h["X-Frame-Options"] == "SAMEORIGIN"
        cookie = resp.cookies[COOKIE]
        assert cookie["httponly"] and cookie["samesite"] == "Strict" and not cookie["secure"]
        assert cookie["path"] == "/"


async def test_cookies_are_secure_behind_tls_and_when_the_proxy_says_https(db) -> None:
    async with running_web(db) as w:
        resp = await w.client.get("/", headers={"X-Forwarded-Proto": "https"})
        assert resp.cookies[COOKIE]["secure"]
    async with running_web(db, policy=_policy(behind_tls=True)) as w:
        resp = await w.client.get("/")
        assert resp.cookies[COOKIE]["secure"]
        assert "max-age" in resp.headers["Strict-Transport-Security"]


def _policy(**kw):
    from handlers.web.security import Policy

    return Policy(**kw)


async def test_frame_ancestors_names_the_portal_and_drops_x_frame_options(db) -> None:
    portal = "https://www.example.gov.cn"
    async with running_web(db, policy=_policy(frame_ancestors=("'self'", portal))) as w:
        resp = await w.client.get("/")
        assert f"frame-ancestors 'self' {portal}" in resp.headers["Content-Security-Policy"]
        assert "X-Frame-Options" not in resp.headers


async def test_assets_are_served_from_the_package_and_nothing_else_is(db) -> None:
    async with running_web(db) as w:
        js = await w.client.get("/static/chat.js")
        assert js.status == 200 and js.content_type == "text/javascript"
        css = await w.client.get("/static/chat.css")
        assert css.status == 200 and css.content_type == "text/css"
        widget = await w.client.get("/widget.js")
        assert widget.status == 200 and widget.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
        for path in ("/static/app.py", "/static/..%2Fapp.py", "/static/../history.py", "/nothing"):
            resp = await w.client.get(path)
            assert resp.status == 404, path
            assert "不存在" in (await resp.json())["error"]
            assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert (await w.client.get("/healthz")).status == 200


async def test_wrong_methods_get_a_json_405(db) -> None:
    async with running_web(db) as w:
        resp = await w.client.get("/api/message")
        assert resp.status == 405
        assert "POST" in resp.headers["Allow"]


async def test_the_page_speaks_in_the_offices_words(db) -> None:
    """The page's labels and what its script writes come from knowledge/messages/web.yaml."""
    async with running_web(db) as w:
        body = await (await w.client.get("/")).text()
    assert f"<title>{_MSG.text('web.page_title')}</title>" in body
    assert f'placeholder="{_MSG.text("web.page_placeholder")}"' in body
    assert "{{" not in body  # every slot filled
    block = body.split('<script id="words" type="application/json">', 1)[1].split("</script>", 1)[0]
    words = json.loads(block)
    assert words["useful"] == _MSG.text("web.js_useful") and words["empty"] == _MSG.text("web.err_empty")


async def test_the_portal_button_is_labelled_in_the_offices_words(db) -> None:
    """widget.js's default label (a portal page may set its own with data-label) is the
    catalogue's web.widget_label, as a JavaScript string."""
    async with running_web(db) as w:
        script = await (await w.client.get("/widget.js")).text()
    label = json.dumps(_MSG.text("web.widget_label"), ensure_ascii=False)
    assert f'script.getAttribute("data-label") || {label};' in script
    assert "{{" not in script


def test_an_office_label_cannot_break_out_of_the_widget_script() -> None:
    hostile = '"; alert(1); "\\'
    msgs = Catalogue({**_MSG.texts, "web.widget_label": hostile})
    script = render_widget((STATIC / "widget.js").read_text(encoding="utf-8"), msgs).decode("utf-8")
    literal = script.split('script.getAttribute("data-label") || ', 1)[1].split(";\n", 1)[0]
    assert json.loads(literal) == hostile


def test_an_office_sentence_cannot_break_out_of_the_page() -> None:
    """Labels are escaped for HTML; the script's words cannot close their <script> element."""
    hostile = '"><img src=x onerror=alert(1)></script><script>alert(2)</script>'
    msgs = Catalogue({**_MSG.texts, "web.page_title": hostile, "web.js_useful": hostile})
    page = render_page((STATIC / "index.html").read_text(encoding="utf-8"), msgs).decode("utf-8")
    assert "<img" not in page and page.count("</script>") == 2  # the two script elements' own
    block = page.split('<script id="words" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(block)["useful"] == hostile


def test_the_page_and_its_script_hold_no_sentence_of_their_own() -> None:
    """Chinese appears in the static files only in comments: every word the page and the
    portal's button show is the office's."""
    han = re.compile(r"[\u4e00-\u9fff]")
    assert not han.search((STATIC / "index.html").read_text(encoding="utf-8"))
    for name in ("chat.js", "widget.js"):
        source = (STATIC / name).read_text(encoding="utf-8")
        assert not han.search(re.sub(r"/\*.*?\*/|//[^\n]*", "", source, flags=re.S)), name


def test_page_script_never_writes_html() -> None:
    """Residents', staff's and knowledge text reaches the page only through textContent."""
    for name in ("chat.js", "widget.js"):
        source = (STATIC / name).read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in source, (name, sink)
    assert "textContent" in (STATIC / "chat.js").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- identity


async def test_a_new_browser_gets_an_empty_history_and_a_cookie(db) -> None:
    async with running_web(db) as w:
        data = await w.open()
        assert data == {"messages": [], "new": True}
        assert w.cookie()
        again = await w.open()
        assert again["new"] is False


async def test_missing_or_forged_cookies_cannot_post(db) -> None:
    async with running_web(db) as w:
        resp = await w.post({"text": "你好"})
        assert resp.status == 401 and (await resp.json())["error"] == ERR_COOKIE
        await w.open()
        real = w.cookie()
        key, _, sig = real.partition(".")
        forged = [
            key + "." + ("A" * 22),  # right shape, wrong signature
            key,  # no signature
            "tg:1001",  # another channel's key
            "x" * 32 + "." + sig,  # someone's signature on another key
            real + "A",
            "",
        ]
        w.client.session.cookie_jar.clear()
        for value in forged:
            resp = await w.post({"text": "你好"}, headers={"Cookie": f"{COOKIE}={value}"})
            assert resp.status == 401, value
        ok = await w.post({"text": "你好"}, headers={"Cookie": f"{COOKIE}={real}"})
        assert ok.status == 200
        assert w.store.load_session("tg:1001") is None


async def test_a_forged_cookie_reads_no_ones_history(db) -> None:
    async with running_web(db) as w:
        await w.open()
        await w.send({"start": True})
        victim = w.cookie()
        key = victim.partition(".")[0]
        async with browser() as attacker:
            forged = {"Cookie": f"{COOKIE}={key}.{'B' * 22}"}
            resp = await attacker.get(w.client.make_url("/api/history"), headers=forged)
            data = await resp.json()
            assert data == {"messages": [], "new": True}
            assert resp.cookies[COOKIE].value.partition(".")[0] != key  # a fresh identity


async def test_the_resident_is_web_key_in_the_store(db) -> None:
    async with running_web(db) as w:
        await w.open()
        await w.send({"start": True})
        key = w.cookie().partition(".")[0]
        assert w.store.load_session(f"web:{key}") is not None


# --------------------------------------------------------------------------- origin and bodies


@pytest.mark.parametrize(
    "origin", [None, "null", "http://evil.example", "http://127.0.0.1:1", "https://127.0.0.1"]
)
async def test_posts_without_our_origin_are_refused(db, origin) -> None:
    async with running_web(db) as w:
        await w.open()
        resp = await w.post({"text": "信息公开申请"}, origin=origin)
        assert resp.status == 403
        assert (await resp.json())["error"] == ERR_ORIGIN
        assert w.chat.weblog.history(f"web:{w.cookie().partition('.')[0]}") == []


async def test_configured_origins_replace_the_host_header(db) -> None:
    public = "https://chat.example.gov.cn"
    async with running_web(db, policy=_policy(origins=(public,))) as w:
        await w.open()
        assert (await w.post({"start": True})).status == 403  # our Host is not the public origin
        assert (await w.post({"start": True}, origin=public)).status == 200


async def test_behind_tls_the_origin_is_the_forwarded_one(db) -> None:
    async with running_web(db, policy=_policy(behind_tls=True)) as w:
        await w.open()
        fwd = {
            "X-Forwarded-Host": "chat.example.gov.cn",
            "X-Forwarded-Proto": "https",
            "Cookie": f"{COOKIE}={w.cookie()}",  # a Secure cookie: the jar keeps it off plain http
        }
        ok = await w.post({"start": True}, origin="https://chat.example.gov.cn", headers=fwd)
        assert ok.status == 200
        bad = await w.post({"start": True}, origin="http://chat.example.gov.cn", headers=fwd)
        assert bad.status == 403


async def test_oversized_bodies_are_refused_with_a_chinese_message(db) -> None:
    async with running_web(db) as w:
        await w.open()
        big = json.dumps({"text": "长" * (MAX_BODY // 2)}).encode()
        resp = await w.post(big)
        assert resp.status == 413
        assert "太大" in (await resp.json())["error"]

        async def chunks():
            for _ in range(40):
                yield b" " * 1024

        resp = await w.post(chunks())  # chunked: no Content-Length
        assert resp.status == 413


async def test_a_message_over_the_length_limit_is_refused_and_not_stored(db) -> None:
    async with running_web(db) as w:
        await w.open()
        resp = await w.post({"text": "字" * (MAX_TEXT + 1)})
        assert resp.status == 413 and (await resp.json())["error"] == ERR_LONG
        ok = await w.post({"text": "字" * MAX_TEXT})
        assert ok.status == 200


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'"text"',
        b"",
        b'{"text": 5}',
        b'{"text": ["a"]}',
        b'{"text": "a", "payload": "b"}',
        b'{"start": true, "text": "a"}',
        b'{"payload": ""}',
        b'{"payload": {"a": 1}}',
        b'{"payload": "x", "label": 3}',
        b'{"start": "yes"}',
        b"{}",
        b"\xff\xfe\x00{",
    ],
)
async def test_malformed_bodies_get_400(db, body) -> None:
    async with running_web(db) as w:
        await w.open()
        resp = await w.post(body)
        assert resp.status == 400, body
        assert (await resp.json())["error"]


@pytest.mark.parametrize("text", ["   ", "\u200b\u200b", "\u202e", "\n\n"])
async def test_invisible_messages_are_refused(db, text) -> None:
    async with running_web(db) as w:
        await w.open()
        resp = await w.post({"text": text})
        assert resp.status == 400
        assert "请输入文字" in (await resp.json())["error"]


async def test_hostile_text_comes_back_as_text(db) -> None:
    async with running_web(db) as w:
        await w.open()
        await w.send({"start": True})
        hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"
        data = await w.send({"text": hostile})
        mine = [m for m in data["messages"] if m["role"] == "resident"]
        assert mine[0]["text"] == hostile  # JSON carries it verbatim; the page uses textContent
        lone = await w.post(b'{"text": "\\ud800\\udfff\\ud800 abc"}')
        assert lone.status == 200


async def test_huge_payloads_and_unknown_payloads(db) -> None:
    async with running_web(db) as w:
        await w.open()
        await w.send({"start": True})
        assert (await w.post({"payload": "x" * 201})).status == 400
        data = await w.send({"payload": "no:such:button", "label": "<b>x</b>"})
        assert any("失效" in m["text"] for m in data["messages"] if m["role"] == "bot")


# --------------------------------------------------------------------------- rate limits


async def test_the_per_session_limit_answers_429_with_the_flood_notice(db) -> None:
    async with running_web(db, session_burst=3, session_rate=0.001) as w:
        await w.open()
        statuses = []
        for _ in range(5):
            resp = await w.post({"text": "你好"})
            statuses.append(resp.status)
            if resp.status == 429:
                assert (await resp.json())["error"] == FLOOD_NOTICE
        assert statuses == [200, 200, 200, 429, 429]


async def test_the_per_ip_limit_covers_every_session_from_one_address(db) -> None:
    async with running_web(db, ip_burst=4, ip_rate=0.001) as w:
        statuses = []
        for _ in range(3):
            async with browser() as b:
                await b.get(w.client.make_url("/api/history"))
                for _ in range(2):
                    resp = await b.post(
                        w.client.make_url("/api/message"), json={"text": "你好"}, headers={"Origin": w.origin}
                    )
                    statuses.append(resp.status)
        assert statuses.count(200) == 4 and statuses[4:] == [429, 429]


# --------------------------------------------------------------------------- the engine's services


async def test_start_question_and_history_reload(db) -> None:
    async with running_web(db) as w:
        await w.open()
        welcome = await w.send({"start": True})
        assert "柏乡县人民政府办公室" in welcome["messages"][0]["text"]
        assert welcome["messages"][0]["buttons"]
        answer = await w.say("信息公开申请多久答复")
        assert answer
        history = (await w.open())["messages"]
        assert [m["id"] for m in history] == sorted(m["id"] for m in history)
        assert [m["role"] for m in history][:2] == ["bot", "resident"]
        assert history[1]["text"] == "信息公开申请多久答复"
        after = await w.client.get(f"/api/history?after={history[-2]['id']}")
        assert [m["id"] for m in (await after.json())["messages"]] == [history[-1]["id"]]
        bad = await w.client.get("/api/history?after=abc")
        assert bad.status == 400


async def test_the_disclosure_application_gets_a_receipt_and_a_request(db) -> None:
    async with running_web(db) as w:
        await w.open()
        receipt = await fill_disclosure(w)
        assert "申请编号：GK-" in receipt
        key = "web:" + w.cookie().partition(".")[0]
        [req] = w.store.requests_for(key)
        assert req.kind == "信息公开" and req.data["fields"]["id_number"] == ID
        history = w.chat.weblog.history(key)
        typed = [m.text for m in history if m.role == "resident"]
        assert ID not in typed and MOBILE not in typed  # kept masked in the web history
        assert any(t.startswith("130") and "*" in t for t in typed)
        # the resident checked the summary with their data in full (only their browser got it)...
        summary = next(m["text"] for m in w.rows if "请核对" in m["text"])
        assert ID in summary and "柏乡县某某镇某某村1号" in summary
        # ...but no row of the stored history, whoever said it, keeps it: a reload, another day,
        # on a shared computer shows it masked
        kept = "\n".join(m["text"] for m in (await w.open())["messages"])
        assert "请核对" in kept
        for secret in (ID, MOBILE, "+86 138 1234 5678", "柏乡县某某镇某某村1号"):
            assert secret not in kept, secret
        status = await w.say("我的申请", contains=req.reference)
        assert "已提交" in status


async def test_buttons_and_ratings(db) -> None:
    async with running_web(db) as w:
        await w.open()
        await w.send({"start": True})
        data = await w.send({"text": "信息公开申请多久答复"})
        entry = next(m["entry"] for m in data["messages"] if m["entry"])
        thanks = await w.send({"payload": f"rate:up:{entry}", "label": "有用"})
        assert thanks == {"messages": [], "notice": THANKS}
        await w.send({"payload": f"rate:up:{entry}", "label": "有用"})  # one vote per resident
        assert w.store.rating_totals()[entry] == (1, 0)
        await w.send({"payload": "rate:up:no-such-entry", "label": "有用"})
        assert "no-such-entry" not in w.store.rating_totals()


async def test_mydata_and_forget_also_clear_the_web_history(db) -> None:
    async with running_web(db) as w:
        await w.open()
        await fill_disclosure(w)
        mine = await w.say("/mydata", contains="GK-")
        assert ID in mine  # to its owner's own page, in full
        kept = "\n".join(m["text"] for m in (await w.open())["messages"])
        assert ID not in kept and "您在本助手保存的信息" in kept  # the history keeps it masked
        await w.say("/forget", contains="确定要删除")
        gone = await w.press("是，删除", contains="已删除")
        assert "GK-" in gone
        history = (await w.open())["messages"]
        assert [m["role"] for m in history] == ["bot"] and history[0]["text"].startswith("已删除")
        key = "web:" + w.cookie().partition(".")[0]
        assert w.store.load_session(key) is None


async def test_web_history_is_capped_per_resident(db) -> None:
    log = WebLog(db)
    try:
        for _ in range(KEEP_PER_RESIDENT // 100 + 1):
            log.append("web:a", [NewMessage("bot", "x")] * 100)
        log.append("web:b", [NewMessage("bot", "y")])
        assert len(log.history("web:a")) == KEEP_PER_RESIDENT
        assert len(log.history("web:b")) == 1
        with pytest.raises(ValueError):
            log.append("web:a", [NewMessage("admin", "z")])
    finally:
        log.close()


# --------------------------------------------------------------------------- live updates


async def _read_events(resp, n: int, timeout: float = 5.0) -> list[dict]:
    events: list[dict] = []
    buf = b""
    while len(events) < n:
        chunk = await asyncio.wait_for(resp.content.readany(), timeout)
        assert chunk, "stream ended"
        buf += chunk
        while b"\n\n" in buf:
            block, buf = buf.split(b"\n\n", 1)
            for line in block.decode().splitlines():
                if line.startswith("data: "):
                    events.append(json.loads(line[6:]))
    return events


async def test_a_delivered_message_reaches_the_open_stream_and_the_history(db) -> None:
    async with running_web(db, poll_interval=0.05) as w:
        await w.open()
        await w.send({"start": True})
        key = w.cookie().partition(".")[0]
        last = w.rows[-1]["id"]
        resp = await w.client.get(f"/api/events?after={last}")
        assert resp.status == 200 and resp.content_type == "text/event-stream"
        assert "default-src 'none'" in resp.headers["Content-Security-Policy"]
        row = await asyncio.to_thread(deliver_web, w.store.path, key, "【工作人员回复】<b>您好</b>")
        [event] = await _read_events(resp, 1)
        assert event["id"] == row and event["role"] == "staff"
        assert event["text"] == "【工作人员回复】<b>您好</b>"
        resp.close()
        # another resident's deliveries never reach this stream; a reconnect resumes by Last-Event-ID
        await asyncio.to_thread(deliver_web, w.store.path, "web:someone-else", "不是你的")
        mine = await asyncio.to_thread(deliver_web, w.store.path, f"web:{key}", "第二条")
        again = await w.client.get("/api/events", headers={"Last-Event-ID": str(row)})
        [event] = await _read_events(again, 1)
        assert event["id"] == mine and event["text"] == "第二条"
        again.close()
        history = (await w.open())["messages"]
        assert [m["text"] for m in history[-2:]] == ["【工作人员回复】<b>您好</b>", "第二条"]


async def test_streams_need_a_cookie_and_are_limited_per_session(db) -> None:
    async with running_web(db, streams_per_session=2) as w:
        resp = await w.client.get("/api/events")
        assert resp.status == 401
        await w.open()
        first = await w.client.get("/api/events")
        second = await w.client.get("/api/events")
        await _read_ready(first)
        await _read_ready(second)
        third = await w.client.get("/api/events")
        assert third.status == 429
        first.close()
        second.close()


async def _read_ready(resp) -> None:
    assert resp.status == 200
    assert (await asyncio.wait_for(resp.content.readline(), 5)).startswith(b"retry:")


# --------------------------------------------------------------------------- staff desk


async def test_web_requests_owe_the_staff_desk_a_card_in_the_same_transaction(db) -> None:
    """The web process does not talk to Telegram: the card and the relayed messages wait in the
    outbox for the ``staff`` address, which `citizen-bot run` on the same database delivers."""
    async with running_web(db) as w:
        await w.open()
        receipt = await fill_disclosure(w)
        ref = receipt.split("申请编号：", 1)[1].split()[0]
        assert w.store.get_request(ref) is not None
        staff_items = [i for i in w.store.due_outbox(w.chat.engine.outbox.clock()) if i.address == "staff"]
        [card] = [i for i in staff_items if i.kind == "card"]
        assert card.payload == {"reference": ref} and card.dedup_key == f"card:{ref}"
        # a handover relays what the resident says next, scrubbed by the Telegram deliverer
        await w.say("人工", contains="工作人员")
        await w.say("我想问一下进度 <b>", contains=None)
        pending = w.store.due_outbox(w.chat.engine.outbox.clock())
        relays = [i for i in pending if i.address == "staff" and i.kind == "relay"]
        assert any("我想问一下进度 <b>" in i.payload["text"] for i in relays)


async def test_a_staff_reply_shows_as_staff_and_a_status_notice_as_the_assistant(db) -> None:
    """The desk's outbox notices to a web resident: what a member of staff wrote (a reply) is
    from staff; the automatic status notices (started, closed) are the assistant's."""
    from bot.desk import Actor, Channels, Desk, claim, reply

    async with running_web(db) as w:
        await w.open()
        receipt = await fill_disclosure(w)
        ref = receipt.split("申请编号：", 1)[1].split()[0]
        engine = w.chat.engine
        desk = Desk(w.store, engine.knowledge, Channels(engine.outbox))
        actor, now = Actor("tg:9", "李工"), engine.outbox.clock()
        await asyncio.to_thread(claim, desk, actor, ref, now)
        await asyncio.to_thread(reply, desk, actor, ref, "材料已收到，正在办理。", now)
        await engine.outbox.drain()
        history = (await w.open())["messages"]
        roles = {m["text"]: m["role"] for m in history}
        name = desk.request_name(w.store.get_request(ref))
        started = _MSG.text("desk.resident_started", name=name, ref=ref)
        replied = _MSG.text("desk.resident_reply", ref=ref, text="材料已收到，正在办理。")
        assert roles[replied] == "staff"
        assert roles[started] == "bot"


async def test_the_receipt_reaches_the_history_once_and_in_its_place(db) -> None:
    async with running_web(db) as w:
        await w.open()
        receipt = await fill_disclosure(w)
        history = (await w.open())["messages"]
        bot_texts = [m["text"] for m in history if m["role"] == "bot"]
        assert bot_texts.count(receipt) == 1 and bot_texts[-1] == receipt
        pending = w.store.due_outbox(w.chat.engine.outbox.clock())
        assert not [i for i in pending if i.address.startswith("web:")]


# --------------------------------------------------------------------------- command line


def test_the_web_command_is_in_the_cli_without_importing_the_channel() -> None:
    args = build_parser().parse_args(
        [
            "web",
            "--port",
            "9000",
            "--behind-tls",
            "--frame-ancestors",
            "https://a.example",
            "--origin",
            "https://b",
        ]
    )
    assert args.port == 9000 and args.listen == "127.0.0.1" and args.behind_tls
    assert args.frame_ancestors == ["https://a.example"] and args.origin == ["https://b"]
    code = (
        "import cli.main, sys; cli.main.build_parser(); "
        "print(any(m.startswith('handlers') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"
