"""What the first questions would load, loaded at start-up so that no resident waits for it.

Shared by the engine (before the channels take their first message) and the matcher benchmark,
which times questions in the state the running service answers them in.
"""

from __future__ import annotations

from datetime import date

from bot import areas, pos, validators
from bot.knowledge import Knowledge
from bot.matcher import matcher_for
from bot.text import is_pinyin_syllable

#: A question answered at start-up: jieba's dictionary and the matcher's index are built then.
WARM_UP_QUESTION = "政府信息公开申请多久答复"
#: A place looked up at start-up: the index of every county's name is built then.
WARM_UP_PLACE = "柏乡县"
#: An ID number checked at start-up: the table of area codes is read then.
WARM_UP_ID_NUMBER = "11010519491231002X"


def warm_up(knowledge: Knowledge, today: date) -> None:
    """Build the matcher and read every table a reply may need: the part-of-speech table (read in
    the background, waited for), the ID numbers' area codes, the place names and the pinyin
    syllables. Without the last two, the first pinyin question waited 30-80 ms more."""
    matcher_for(knowledge).match(WARM_UP_QUESTION)
    validators.resident_id(WARM_UP_ID_NUMBER, today)
    areas.province_of(WARM_UP_PLACE)
    is_pinyin_syllable("a")
    pos.wait_ready()
