"""`citizen-bot run` settings (command line > environment > config file) and the real command
started as a process against FakeTelegram."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import CONFIG_ENV, ENV, ConfigError, load_settings
from cli.main import main
from tests.fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent


def test_environment_settings_are_parsed():
    env = {
        "TELEGRAM_BOT_TOKEN": "123:SECRET",
        "CITIZEN_BOT_STAFF_CHAT_ID": "-100123",
        "CITIZEN_BOT_STAFF_IDS": "11, 12，13",
        "CITIZEN_BOT_ADMIN_IDS": "11",
        "CITIZEN_BOT_BASE_URL": "http://127.0.0.1:8081",
        "CITIZEN_BOT_DIGEST_TIME": "off",
    }
    s = load_settings(environ=env)
    assert s.token == "123:SECRET" and s.staff_chat_id == -100123
    assert s.staff_ids == {11, 12, 13} and s.admin_ids == {11}
    assert s.is_staff(11) and s.is_staff(13) and not s.is_staff(99) and s.is_admin(11) and not s.is_admin(12)
    assert s.base_url == "http://127.0.0.1:8081/bot" and s.base_file_url == "http://127.0.0.1:8081/file/bot"
    assert s.digest_time is None and s.reminder_time == dt.time(10, 0)
    assert not s.webhook
    assert "SECRET" not in repr(s)


def test_missing_token_and_staff_group_are_clear_errors():
    with pytest.raises(ConfigError) as info:
        load_settings(environ={"CITIZEN_BOT_STAFF_IDS": "x1"})
    text = "\n".join(info.value.problems)
    assert "TELEGRAM_BOT_TOKEN" in text and "CITIZEN_BOT_STAFF_CHAT_ID" in text and "'x1'" in text
    with pytest.raises(ConfigError, match="negative"):
        load_settings(environ={"TELEGRAM_BOT_TOKEN": "1:a", "CITIZEN_BOT_STAFF_CHAT_ID": "5"})
    with pytest.raises(ConfigError, match="https"):
        load_settings(
            environ={
                "TELEGRAM_BOT_TOKEN": "1:a",
                "CITIZEN_BOT_STAFF_CHAT_ID": "-5",
                "CITIZEN_BOT_WEBHOOK_URL": "http://x",
            }
        )


def test_environment_wins_over_the_config_file_and_the_command_line_over_both(tmp_path):
    config = tmp_path / "bot.toml"
    config.write_text(
        'token = "1:FILE"\nstaff_chat_id = -100\nstaff_ids = [1, 2]\ndb = "/tmp/file.db"\n'
        'webhook_url = "https://bot.example.cn/tg"\n',
        encoding="utf-8",
    )
    s = load_settings(environ={CONFIG_ENV: str(config), "TELEGRAM_BOT_TOKEN": "1:ENV"})
    assert s.token == "1:ENV" and s.staff_chat_id == -100 and s.staff_ids == {1, 2}
    assert s.db == Path("/tmp/file.db") and s.webhook
    s = load_settings(
        {"db": tmp_path / "cli.db"}, environ={"CITIZEN_BOT_DB": "/tmp/env.db"}, config_file=config
    )
    assert s.db == tmp_path / "cli.db"
    config.write_text('token = "1:FILE"\nstaf_chat_id = -100\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting"):
        load_settings(environ={}, config_file=config)


def test_citizen_bot_run_without_settings_exits_with_a_clear_message(monkeypatch, capsys):
    for var in [*ENV.values(), CONFIG_ENV]:
        monkeypatch.delenv(var, raising=False)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "TELEGRAM_BOT_TOKEN" in err and "CITIZEN_BOT_STAFF_CHAT_ID" in err


def test_citizen_bot_run_serves_a_resident_and_stops_on_sigterm(tmp_path):
    with FakeTelegram() as fake:
        env = {k: v for k, v in os.environ.items() if k not in ENV.values() and k != CONFIG_ENV}
        env.update(
            TELEGRAM_BOT_TOKEN="123:TOPSECRET",
            CITIZEN_BOT_STAFF_CHAT_ID="-1005000",
            CITIZEN_BOT_STAFF_IDS="900",
            CITIZEN_BOT_DB=str(tmp_path / "bot.db"),
            CITIZEN_BOT_DIGEST_TIME="off",
            CITIZEN_BOT_REMINDER_TIME="off",
        )
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli", "run", "--base-url", fake.base_url],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            fake.wait_for(method="deleteWebhook", timeout=20)
            fake.push_message(77, 77, "/start")
            welcome = fake.wait_for_message(chat_id=77, timeout=10)
            assert "柏乡县人民政府办公室" in welcome.text
            commands = {c.params["scope"]["type"] for c in fake.calls("setMyCommands")}
            assert commands == {"default", "chat"}
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                output, _ = proc.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                output, _ = proc.communicate()
        assert proc.returncode == 0, output
        assert "TOPSECRET" not in output  # httpx request logging (URLs carry the token) is off
        assert (tmp_path / "bot.db").exists()
