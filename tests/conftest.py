"""Fixtures shared by the test modules.

The dialog fixtures (``clock``, ``db``, ``engine``) are the real engine on a real SQLite file in
the test's temporary folder, with the bundled knowledge and a clock the test moves by hand
(``tests/dialog_support.py``); a test module that needs another start time overrides ``clock``.
``knowledge`` and ``matcher`` are the bundled knowledge and its matcher, built once per run: the
matcher tests read them, never change them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.fake_telegram import FakeTelegram

if TYPE_CHECKING:
    from bot.dialog import Engine
    from bot.knowledge import Knowledge
    from bot.matcher import Matcher
    from tests.dialog_support import Clock


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    from bot.knowledge import load_knowledge

    return load_knowledge()


@pytest.fixture(scope="session")
def matcher(knowledge: Knowledge) -> Matcher:
    from bot.matcher import matcher_for

    return matcher_for(knowledge)


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    """A fresh fake Bot API server on 127.0.0.1 for one test (any token is accepted)."""
    with FakeTelegram() as server:
        yield server


@pytest.fixture
def clock() -> Clock:
    """Monday 23 November 2026, 10:00 county time (a working day); ``clock.now = ...`` moves it."""
    from tests.dialog_support import MONDAY, Clock

    return Clock(MONDAY)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Where the test's SQLite file lives (created by the first ``Store`` opened on it)."""
    return tmp_path / "bot.db"


@pytest.fixture
def engine(db: Path, clock: Clock) -> Iterator[Engine]:
    """The engine on ``db`` with the bundled knowledge and ``clock``; its store closed after."""
    from tests.dialog_support import make_engine

    engine = make_engine(db, clock)
    yield engine
    engine.store.close()
