"""Webhook mode end to end: ``citizen-bot run --webhook-url`` in a child process.

The office's reverse proxy terminates TLS for the public https:// address and forwards to the
bot's plain-HTTP listener on 127.0.0.1; here the test is Telegram and that proxy at once: it
POSTs updates to the listener as Telegram would, with the secret token Telegram was given.
"""

from __future__ import annotations

import json
import signal
import socket
import time
import urllib.error
import urllib.request

from tests.telegram_support import RESIDENT, start_bot

PUBLIC_URL = "https://bot.example.gov.cn/citizen-bot"
SECRET = "office-webhook-secret-1"
WELCOME = "柏乡县人民政府办公室"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def deliver(port: int, update: dict, secret: str | None = SECRET) -> int:
    """POST one update to the bot's listener, as Telegram does; the HTTP status."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/citizen-bot",
        data=json.dumps(update, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json"}
        | ({"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}),
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def deliver_when_listening(port: int, update: dict, timeout: float = 30.0) -> int:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return deliver(port, update)
        except (ConnectionError, urllib.error.URLError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_webhook_mode_answers_updates_from_telegram_only_once(fake, tmp_path):
    port = free_port()
    proc = start_bot(
        fake,
        tmp_path / "bot.db",
        "--webhook-url",
        PUBLIC_URL,
        CITIZEN_BOT_WEBHOOK_LISTEN="127.0.0.1",
        CITIZEN_BOT_WEBHOOK_PORT=str(port),
        CITIZEN_BOT_WEBHOOK_SECRET=SECRET,
    )
    try:
        # Telegram is told the public address, the secret and which updates we want
        hook = fake.wait_for(method="setWebhook", timeout=30)
        assert hook.params["url"] == PUBLIC_URL
        assert hook.params["secret_token"] == SECRET
        assert set(hook.params["allowed_updates"]) == {"message", "edited_message", "callback_query"}

        start = fake.push_message(RESIDENT, RESIDENT, "/start")
        assert deliver_when_listening(port, start) == 200
        fake.wait_for_message(chat_id=RESIDENT, contains=WELCOME, timeout=30)

        # without the secret, or with a wrong one, nobody is answered
        forged = fake.push_message(RESIDENT, RESIDENT, "/status")
        assert deliver(port, forged, secret=None) == 403
        assert deliver(port, forged, secret="guess") == 403

        # Telegram delivers the same update again (it did not see our 200): answered once
        question = fake.push_message(RESIDENT, RESIDENT, "政府信息公开申请多久答复")
        assert deliver(port, question) == 200
        assert deliver(port, question) == 200
        fake.wait_for_message(chat_id=RESIDENT, contains="工作日", timeout=30)
        time.sleep(1.0)
        texts = fake.texts(RESIDENT)
        assert len(texts) == 2, texts  # the welcome and one answer: nothing for the forged update

        proc.send_signal(signal.SIGTERM)  # a service manager stopping the bot
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
