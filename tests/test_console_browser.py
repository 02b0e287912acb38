"""The console in a real browser (Debian's chromium + chromium-driver via Selenium), mounted on
the web chat's application as ``citizen-bot web`` mounts it, on a temporary copy of the
knowledge: an administrator logs in by a one-time link, filters the requests to the overdue
ones, downloads the annual report and finds the count in its cell, changes a service's phone
number in the knowledge, and the assistant in the web chat answers with the new number.
The console has no JavaScript: plain links and form posts."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import datetime
from pathlib import Path

from aiohttp import web
from selenium.common.exceptions import (
    JavascriptException,
    NoSuchElementException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from bot.console_auth import create_login_link
from bot.dialog import Engine
from bot.knowledge import load_knowledge
from bot.report import NEW, TOTAL, foi_report
from bot.store import LOCAL_TZ, Store
from handlers.web.app import build_app
from handlers.web.history import WebLog
from handlers.web.server import mount_console
from tests.console_admin_support import knowledge_copy
from tests.console_support import WEB_RESIDENT, seed
from tests.test_web_browser import WAIT, Page, phone_browser

ADMIN_ID = 4242
PHONE = "0319-5550100"
SERVICE = "baixiang/service/1"


#: Submits the form of a field as its submit button would (the browser's own validation included).
#: In the 360-px window chromedriver's click on the desk's lower buttons did not submit the form
#: (not investigated further; noted in the closing note of issue 14).
SUBMIT_FORM_OF = "document.getElementById(arguments[0]).form.requestSubmit();"


def body_text(driver) -> str:
    """The page's text read in one script call: a page being replaced has, for a moment, a stale
    body or none at all, and reading an element found a moment earlier can fail inside chromium
    ("Node with given id does not belong to the document")."""
    return driver.execute_script("return document.body ? document.body.innerText : '';") or ""


def wait_text(driver, text: str, wait: float = WAIT) -> None:
    loading = (StaleElementReferenceException, NoSuchElementException, JavascriptException)
    WebDriverWait(driver, wait, ignored_exceptions=loading).until(lambda d: text in body_text(d))


def wait_file(folder: Path, suffix: str) -> Path:
    WebDriverWait(None, WAIT).until(lambda _: [p for p in folder.glob(f"*{suffix}") if p.stat().st_size > 0])
    return next(p for p in folder.glob(f"*{suffix}"))


async def test_an_admin_works_through_the_console_in_a_browser(tmp_path) -> None:
    root = knowledge_copy(tmp_path)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    store = Store(tmp_path / "web.db")
    now = datetime.now(LOCAL_TZ)
    seeded = seed(store, now)
    engine = Engine(load_knowledge(root), store)
    app = build_app(engine=engine, store=store)
    mount_console(app, engine, store, knowledge_dir=root, environ={"CITIZEN_BOT_ADMIN_IDS": str(ADMIN_ID)})
    runner = web.AppRunner(app, shutdown_timeout=2)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    question = engine.knowledge.get(SERVICE).entry.questions[0]
    run = asyncio.to_thread
    try:
        with phone_browser() as driver:
            await run(
                driver.execute_cdp_cmd,
                "Page.setDownloadBehavior",
                {"behavior": "allow", "downloadPath": str(downloads)},
            )
            # log in by link (a Telegram-issued link: the role comes from the id lists)
            link = create_login_link(store, f"tg:{ADMIN_ID}", "admin", base, source="telegram")
            await run(driver.get, link)
            await run(lambda: driver.find_element(By.XPATH, "//button[text()='登录']").click())
            # (under "Referrer-Policy: no-referrer" Chromium posted "Origin: null" here: refused)
            await run(wait_text, driver, seeded.assigned)

            # filter to the overdue requests
            await run(lambda: driver.find_element(By.NAME, "overdue").click())
            await run(lambda: driver.find_element(By.XPATH, "//button[text()='筛选']").click())

            def filtered(d) -> bool:  # the new page, not the old one still on screen
                if "overdue=1" not in d.current_url:
                    return False
                body = body_text(d)
                return seeded.overdue in body and seeded.assigned not in body

            await run(
                WebDriverWait(
                    driver, WAIT, ignored_exceptions=(StaleElementReferenceException, JavascriptException)
                ).until,
                filtered,
            )

            # the overdue 信息公开 application (a web resident's): claim it, reply, close it with
            # its statutory outcome; the reply reaches the resident's web history
            await run(lambda: driver.find_element(By.LINK_TEXT, seeded.overdue).click())
            await run(wait_text, driver, "认领")
            await run(lambda: driver.find_element(By.XPATH, "//button[text()='认领']").click())
            await run(wait_text, driver, "已办理")
            assert store.get_request(seeded.overdue).assignee == f"tg:{ADMIN_ID}"
            await run(driver.get, f"{base}/console/requests/{seeded.overdue}")
            await run(wait_text, driver, "发送答复")
            answer = "您申请的批复文件已找到，正在办理。"
            await run(lambda: driver.find_element(By.ID, "desk-reply").send_keys(answer))
            await run(driver.execute_script, SUBMIT_FORM_OF, "desk-reply")
            weblog = WebLog.on_store(store)

            def delivered(_d) -> bool:
                return any(answer in m.text for m in weblog.history(WEB_RESIDENT))

            await run(WebDriverWait(driver, WAIT).until, delivered)  # through the outbox
            await run(driver.get, f"{base}/console/requests/{seeded.overdue}")
            await run(wait_text, driver, "办结：办理结果")
            await run(lambda: Select(driver.find_element(By.ID, "desk-outcome")).select_by_value("2"))
            await run(driver.execute_script, SUBMIT_FORM_OF, "desk-outcome")
            await run(wait_text, driver, "已办理")
            closed = store.get_request(seeded.overdue)
            assert not closed.is_open and closed.closed_kind == "部分公开"

            # the annual report: on screen and as CSV, the same number as `report foi`
            expected = foi_report(store, now.year, engine.knowledge.extras["outcomes"]).count(NEW, TOTAL)
            assert expected >= 3
            await run(driver.get, f"{base}/console/report?year={now.year}")
            await run(wait_text, driver, f"{now.year}年度")
            await run(lambda: driver.find_element(By.ID, "download-csv").click())
            path = await run(wait_file, downloads, ".csv")
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
            new_row = next(r for r in rows if r[0].startswith("一、"))
            assert int(new_row[-1]) == expected

            # change the phone number of a service in the knowledge
            await run(driver.get, f"{base}/console/knowledge")
            title = engine.knowledge.get(SERVICE).title
            await run(lambda: driver.find_element(By.LINK_TEXT, f"服务事项：{title}").click())
            await run(wait_text, driver, "联系电话")
            phone = await run(driver.find_element, By.NAME, "f:phone")
            await run(phone.clear)
            await run(phone.send_keys, PHONE)
            await run(lambda: driver.find_element(By.XPATH, "//button[text()='校验并预览修改']").click())
            await run(wait_text, driver, "校验通过")
            assert PHONE in await run(lambda: driver.find_element(By.CSS_SELECTOR, "pre.diff").text)
            await run(lambda: driver.find_element(By.XPATH, "//button[text()='保存并更新助手']").click())
            await run(wait_text, driver, "助手已更新", 4 * WAIT)  # rebuilds the matcher: slow on a busy CI
            assert PHONE in (root / "departments" / "baixiang.yaml").read_text(encoding="utf-8")

            # the resident's chat answers with it at once
            await run(driver.get, base + "/")
            page = Page(driver)
            await run(page.wait_for, "柏乡县人民政府办公室")
            await run(page.type, question, PHONE)
    finally:
        await runner.cleanup()
        store.close()
