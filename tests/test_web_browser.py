"""The web chat in a real browser (Debian's chromium + chromium-driver, driven by Selenium),
beside the real Telegram Application against the fake Bot API, on one SQLite file.

A resident opens the page on a 360-px phone, asks a question, completes the 信息公开
application with the page's buttons and typed answers; the request card reaches the staff group
through the outbox; a staff member replies to the card in Telegram and the reply appears in the
open page; after a reload the whole conversation is still there. The test saves the phone-size
screenshot the README shows (docs/web-chat.png). scripts/test installs chromium when missing;
nothing is downloaded while the test runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from aiohttp import web
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from bot.dialog import Engine
from bot.store import Store
from handlers.web.app import CHAT, WebConfig, build_app
from tests.dialog_support import Clock, bundled
from tests.telegram_support import ID, MOBILE, STAFF_CHAT, running

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
#: The README's picture; refreshed when UPDATE_SCREENSHOTS=1 (otherwise the test writes to its
#: temporary folder, so a test run leaves the checkout as it was).
SCREENSHOT = ROOT / "docs" / "web-chat.png"
WAIT = 15  # seconds: the upper bound of a wait, never a timing assertion


@contextlib.contextmanager
def phone_browser() -> Iterator[webdriver.Chrome]:
    """Headless chromium at 360 x 780 CSS pixels, no network besides 127.0.0.1."""
    assert os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER), "run scripts/test (installs chromium)"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--metrics-recording-only",
        "--window-size=360,780",
        "--force-device-scale-factor=1",
        "--lang=zh-CN",
    ):
        options.add_argument(arg)
    # headless windows are at least 500 px wide: emulate the phone's viewport instead
    options.add_experimental_option(
        "mobileEmulation", {"deviceMetrics": {"width": 360, "height": 780, "pixelRatio": 1.0, "touch": True}}
    )
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


class Page:
    """The chat page as a resident uses it (synchronous: called through ``asyncio.to_thread``)."""

    def __init__(self, driver: webdriver.Chrome) -> None:
        self.d = driver

    def texts(self, role: str = "bot") -> list[str]:
        return [e.text for e in self.d.find_elements(By.CSS_SELECTOR, f"#log li.msg.{role} .bubble")]

    def wait_for(self, text: str, role: str = "bot") -> None:
        WebDriverWait(self.d, WAIT).until(lambda _: any(text in t for t in self.texts(role)))

    def wait_count(self, role: str, n: int) -> None:
        WebDriverWait(self.d, WAIT).until(lambda _: len(self.texts(role)) >= n)

    def idle(self) -> None:
        WebDriverWait(self.d, WAIT).until(lambda d: d.find_element(By.ID, "send").is_enabled())

    def type(self, text: str, then: str) -> None:
        self.idle()
        box = self.d.find_element(By.ID, "input")
        box.send_keys(text)
        box.send_keys(Keys.ENTER)
        self.wait_for(then)

    def press(self, label: str, then: str) -> None:
        self.idle()
        buttons = [
            b for b in self.d.find_elements(By.CSS_SELECTOR, "#log button.choice") if b.text.endswith(label)
        ]
        assert buttons, f"no button {label!r}"
        buttons[-1].click()
        self.wait_for(then)


async def test_a_resident_uses_the_page_and_a_staff_reply_arrives_live(fake, tmp_path) -> None:
    clock = Clock()
    async with running(fake, tmp_path / "bot.db", clock=clock) as h:
        app = build_app(
            engine=h.svc.engine,
            store=h.store,
            config=WebConfig(poll_interval=0.1),
            clock=clock,
        )
        runner = web.AppRunner(app, shutdown_timeout=2)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        base = f"http://127.0.0.1:{port}/"
        try:
            with phone_browser() as driver:
                page = Page(driver)
                run = asyncio.to_thread

                await run(driver.get, base)
                await run(page.wait_for, "柏乡县人民政府办公室")
                # the page fits a 360-px phone: nothing wider than the window
                width = await run(driver.execute_script, "return document.documentElement.scrollWidth")
                assert width <= 360

                # a question, and hostile text shown as typed
                await run(page.type, "信息公开申请多久答复", "工作日")
                await run(page.type, "<b>粗体</b><script>x()</script>", "")
                await run(page.wait_for, "<b>粗体</b><script>x()</script>", "resident")
                bold = await run(driver.find_elements, By.CSS_SELECTOR, "#log b, #log script")
                assert bold == []

                # the 信息公开 application: buttons, typed answers, a typed button number
                await run(page.press, "信息公开申请", "申请人类型")
                await run(page.type, "1", "姓名")  # "1" presses the first button: 公民
                await run(page.type, "张三", "身份证号码")
                await run(page.type, ID, "手机号码")
                await run(page.type, MOBILE, "通信地址")
                await run(page.type, "柏乡县某某镇某某村1号", "请描述")
                await run(page.type, "2025年本县道路改造工程的立项批复文件", "什么形式")
                await run(page.press, "电子", "什么方式")
                await run(page.press, "邮寄", "用途")
                await run(page.press, "跳过", "请核对")
                await run(page.press, "确认提交", "申请编号")
                receipt = next(t for t in await run(page.texts) if "申请编号" in t)
                ref = receipt.split("申请编号：", 1)[1].split()[0]
                assert ref.startswith("GK-")

                # the card reaches the staff group (outbox), a staff member replies to it
                card = await fake.wait_for_message_async(chat_id=STAFF_CHAT, contains=ref, timeout=WAIT)
                assert ID not in card.text
                staff_text = "您好，您申请的文件已找到，将按期邮寄给您。"
                await h.staff_says(staff_text, reply_to=card.result["message_id"], contains="已转达")
                await run(page.wait_for, staff_text, "staff")  # live, over Server-Sent Events

                # a reload keeps the whole conversation; what showed the resident's own data in
                # full (the summary they checked, their typed answers) comes back masked
                before = await run(page.texts, "bot")
                assert any(ID in t for t in before)
                await run(driver.refresh)
                await run(page.wait_for, staff_text, "staff")
                await run(page.wait_count, "bot", len(before))
                after = await run(page.texts, "bot")
                changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
                assert [b.splitlines()[0] for b, _ in changed] == ["请核对您的政府信息公开申请："]
                assert not any(ID in t or MOBILE in t for t in after)
                mine = await run(page.texts, "resident")
                assert ID not in mine and any(t.startswith("130") and "*" in t for t in mine)

                # large text and high contrast for the screenshot; the switch is labelled and pressed
                await run(lambda: driver.find_element(By.ID, "large").click())
                pressed = await run(lambda: driver.find_element(By.ID, "large").get_attribute("aria-pressed"))
                assert pressed == "true"
                await run(lambda: driver.find_element(By.ID, "large").click())
                await run(driver.execute_script, "document.activeElement.blur()")
                await run(driver.execute_script, "document.querySelector('.main').scrollTop = 1e9")
                update = os.environ.get("UPDATE_SCREENSHOTS") == "1"
                shot = SCREENSHOT if update else tmp_path / SCREENSHOT.name
                shot.parent.mkdir(exist_ok=True)
                assert await run(driver.save_screenshot, str(shot))
        finally:
            await runner.cleanup()


async def test_the_widget_opens_the_chat_as_an_overlay_on_the_portal(tmp_path) -> None:
    """The one-line embed on a portal page of the same site (another origin: another port): a
    button opens the chat in an overlay iframe, the resident talks, 关闭 closes it."""
    store = Store(tmp_path / "w.db")
    chat_app = build_app(engine=Engine(bundled(), store, clock=Clock()), store=store)
    urls: dict[str, str] = {}

    async def portal_page(request: web.Request) -> web.Response:
        html = (
            "<!doctype html><html lang='zh-CN'><body><h1>县政府门户</h1>"
            f'<script src="{urls["chat"]}/widget.js"></script></body></html>'
        )
        return web.Response(text=html, content_type="text/html")

    portal = web.Application()
    portal.router.add_get("/", portal_page)
    runners = []
    try:
        for app in (chat_app, portal):
            runner = web.AppRunner(app, shutdown_timeout=1)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", 0).start()
            runners.append(runner)
        urls["chat"] = f"http://127.0.0.1:{runners[0].addresses[0][1]}"
        urls["portal"] = f"http://127.0.0.1:{runners[1].addresses[0][1]}"
        chat_app[CHAT].config.policy.frame_ancestors = ("'self'", urls["portal"])  # --frame-ancestors
        with phone_browser() as driver:
            run = asyncio.to_thread
            page = Page(driver)
            await run(driver.get, urls["portal"] + "/")
            button = await run(
                lambda: WebDriverWait(driver, WAIT).until(
                    lambda d: d.find_element(By.XPATH, "//button[text()='智能问答']")
                )
            )
            await run(button.click)
            frame = await run(driver.find_element, By.CSS_SELECTOR, "div[role=dialog] iframe")
            assert await run(frame.get_attribute, "src") == urls["chat"] + "/"
            await run(driver.switch_to.frame, frame)
            await run(page.wait_for, "柏乡县人民政府办公室")
            await run(page.type, "信息公开申请多久答复", "工作日")
            await run(lambda: driver.find_element(By.ID, "close").click())
            await run(driver.switch_to.default_content)
            await run(
                lambda: WebDriverWait(driver, WAIT).until(
                    lambda d: not d.find_element(By.CSS_SELECTOR, "div[role=dialog]").is_displayed()
                )
            )
            assert await run(button.is_displayed)
    finally:
        for runner in runners:
            await runner.cleanup()
        store.close()
