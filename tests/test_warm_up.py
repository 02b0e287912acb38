"""Start-up reads every table a reply may need, so the first resident waits for none of them
(the first pinyin question after a restart waited 30-80 ms for the place names and syllables)."""

from __future__ import annotations

from bot import areas, text
from bot.dialog.engine import Engine


def test_warm_up_reads_the_place_names_and_the_pinyin_syllables(engine: Engine) -> None:
    areas._by_stem.cache_clear()
    text._syllables.cache_clear()

    engine.warm_up()

    assert areas._by_stem.cache_info().currsize == 1
    assert text._syllables.cache_info().currsize == 1


def test_a_pinyin_question_after_warm_up_reads_no_table_again(engine: Engine) -> None:
    areas._by_stem.cache_clear()
    text._syllables.cache_clear()
    engine.warm_up()
    places, syllables = areas._by_stem.cache_info().misses, text._syllables.cache_info().misses

    reply = engine.handle("warm-up-resident", "yidi chadang zenme ban")

    assert reply.replies  # answered
    assert areas._by_stem.cache_info().misses == places
    assert text._syllables.cache_info().misses == syllables
