"""Issue 9 round 10b (what was kept): context residents put before their question. Examples are
written for these tests, not taken from evaluation sets."""

from __future__ import annotations

import pytest

from bot.knowledge import load_knowledge
from bot.matcher import matcher_for
from bot.text import normalize


@pytest.fixture(scope="module")
def matcher():
    return matcher_for(load_knowledge())


def test_what_the_resident_saw_is_the_story_not_a_self_introduction(matcher):
    # "我在…" introduces the resident, unless the clause tells what they saw or heard there
    focused, _ = matcher.focus(normalize("我在集市上看到有人把盖着公章的旧档案当废品卖，这样合法吗，该找谁"))
    assert "旧档案" in focused
    focused, _ = matcher.focus(normalize("我在县城开了个小超市，这样合法吗，该找谁"))
    assert "超市" not in focused
