"""Helpers for the scripted-conversation tests of bot.dialog (test_dialog_*.py).

Conversations run against the bundled knowledge and a real SQLite file, with a clock the test
sets. Helpers keep the scripts readable: ``say(engine, "返回")``, ``press(engine, "confirm")``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from stdnum.cn import ric

from bot.dialog import Button, Engine, Outcome
from bot.knowledge import BUNDLED_KNOWLEDGE, Knowledge, load_knowledge
from bot.store import Store

TZ = ZoneInfo("Asia/Shanghai")
#: A Monday, an ordinary working day.
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)
#: A Saturday: submissions are received on the next working day (Monday 23rd).
SATURDAY = datetime(2026, 11, 21, 10, 0, tzinfo=TZ)

RESIDENT = "tg:1001"
OTHER = "tg:2002"
MOBILE = "13812345678"


def valid_id(birth: str = "19900307", area: str = "130102", seq: str = "123") -> str:
    """A resident ID that passes every check (real area code, real date, right check digit)."""
    body = area + birth + seq
    return body + ric.calc_check_digit(body + "0")


ID = valid_id()
BAD_CHECKSUM_ID = ID[:-1] + ("0" if ID[-1] != "0" else "1")


@cache
def bundled() -> Knowledge:
    """Loaded once per test run: building the matcher takes a second or two."""
    return load_knowledge(BUNDLED_KNOWLEDGE)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = MONDAY) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def make_engine(db: Path, clock: Clock, knowledge: Knowledge | None = None) -> Engine:
    return Engine(knowledge or bundled(), Store(db), clock=clock)


# --------------------------------------------------------------------------- talking


def say(engine: Engine, text: str, resident: str = RESIDENT) -> Outcome:
    return engine.handle(resident, text=text)


def press(engine: Engine, payload: str, resident: str = RESIDENT) -> Outcome:
    return engine.handle(resident, payload=payload)


def text_of(outcome: Outcome) -> str:
    return "\n".join(r.text for r in outcome.replies)


def buttons_of(outcome: Outcome) -> list[Button]:
    return [b for r in outcome.replies for b in r.buttons]


def payloads(outcome: Outcome) -> list[str]:
    return [b.payload for b in buttons_of(outcome)]


def state(engine: Engine, resident: str = RESIDENT) -> dict[str, Any]:
    return engine.store.load_session(resident) or {}


def pending_field(engine: Engine, resident: str = RESIDENT) -> str | None:
    """The key of the field the engine is waiting for (None outside a form or at the summary)."""
    form = state(engine, resident).get("form") or {}
    return form.get("field")


def values(engine: Engine, resident: str = RESIDENT) -> dict[str, str]:
    return dict((state(engine, resident).get("form") or {}).get("values") or {})


# --------------------------------------------------------------------------- standard answers

DISCLOSURE = [
    ("applicant_type", "公民"),
    ("name", "张三"),
    ("id_type", "居民身份证"),
    ("id_number", ID),
    ("mobile", "+86 138 1234 5678"),
    ("address", "柏乡县某某镇某某村1号"),
    ("description", "2025年本县某某道路改造工程的立项批复文件"),
    ("medium", "电子"),
    ("delivery", "邮寄"),
    ("purpose", "跳过"),
]

ARCHIVE_OWN = [
    ("name", "王五"),
    ("id_type", "1"),
    ("id_number", ID),
    ("mobile", MOBILE),
    ("whose", "本人"),
    ("record_kind", "知青"),
    ("person_named", "王大山"),
    ("years", "1975-1978"),
    ("origin", "隆尧县某某公社"),
    ("archive", "隆尧县"),
    ("purpose", "办理退休手续"),
    ("delivery", "本地领取"),
]

DRILL = [
    ("activity", "防空防灾知识讲座"),
    ("org_type", "学校"),
    ("organisation", "柏乡县某某小学"),
    ("contact_name", "赵老师"),
    ("mobile", MOBILE),
    ("audience", "约300人"),
    ("dates", "12月1日到12月5日"),
    ("remarks", "跳过"),
]


def fill(
    engine: Engine,
    answers: list[tuple[str, str]],
    resident: str = RESIDENT,
    stop_at: str | None = None,
) -> Outcome:
    """Answer each field in turn, checking the engine asks the expected field; stop before `stop_at`."""
    outcome = None
    for key, answer in answers:
        if key == stop_at:
            break
        assert pending_field(engine, resident) == key, f"expected to be asked {key}"
        outcome = say(engine, answer, resident)
    assert outcome is not None
    return outcome


def start_disclosure(engine: Engine, resident: str = RESIDENT) -> Outcome:
    return press(engine, "menu:disclosure", resident)


def disclosure_summary(engine: Engine, resident: str = RESIDENT) -> Outcome:
    """A complete disclosure application, up to (not including) the confirmation."""
    start_disclosure(engine, resident)
    return fill(engine, DISCLOSURE, resident)
