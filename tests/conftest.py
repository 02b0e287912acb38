"""Fixtures shared by the test modules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fake_telegram import FakeTelegram


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    """A fresh fake Bot API server on 127.0.0.1 for one test (any token is accepted)."""
    with FakeTelegram() as server:
        yield server
