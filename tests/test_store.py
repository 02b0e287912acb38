"""bot.store against real SQLite files: references, concurrency, state, rights, failures."""

from __future__ import annotations

import multiprocessing
import re
import sqlite3
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import (
    ANSWERED,
    COMPLETED,
    EXTENDED,
    IN_PROGRESS,
    NEEDS_CORRECTION,
    SCHEMA_VERSION,
    SUBMITTED,
    StatusError,
    Store,
    StoreError,
    StoreUnavailable,
    UnknownRequest,
    allowed_transitions,
    check_transition,
    normalise_question,
    unavailable_reason,
)

NOW = datetime(2026, 3, 2, 9, 30)
REF_RE = re.compile(r"^(GK|CD|RF|ZX)-\d{8}-\d{4}$")


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "bot.db")
    yield s
    s.close()


def new_request(store: Store, resident: str = "tg:1", prefix: str = "GK", now: datetime = NOW, **kw):
    args = dict(
        kind="disclosure",
        prefix=prefix,
        resident=resident,
        data={"name": "张三", "id_number": "130102199001011234", "doc": "2025年预算"},
        office="县政府办公室",
        received=now.date(),
        due=now.date() + timedelta(days=28),
        due_provisional=False,
        now=now,
    )
    args.update(kw)
    return store.create_request(**args)


# --------------------------------------------------------------------------- references


def test_reference_format_and_per_prefix_per_day_sequence(store: Store) -> None:
    a = new_request(store)
    b = new_request(store)
    c = new_request(store, prefix="CD")
    d = new_request(store, now=NOW + timedelta(days=1))
    assert [a.reference, b.reference] == ["GK-20260302-0001", "GK-20260302-0002"]
    assert c.reference == "CD-20260302-0001"
    assert d.reference == "GK-20260303-0001"
    assert all(REF_RE.match(r.reference) for r in (a, b, c, d))
    assert a.status == SUBMITTED and a.assignee is None and not a.extended and not a.forgotten
    assert a.data["doc"] == "2025年预算"
    assert [h.status for h in store.history(a.reference)] == [SUBMITTED]


def test_reference_date_is_county_local_date(store: Store) -> None:
    # 20:00 UTC on 1 March is 04:00 on 2 March in the county.
    r = new_request(store, now=datetime(2026, 3, 1, 20, 0, tzinfo=UTC))
    assert r.reference == "GK-20260302-0001"
    assert r.created_at == datetime(2026, 3, 2, 4, 0)


def test_unknown_prefix_rejected(store: Store) -> None:
    with pytest.raises(ValueError):
        new_request(store, prefix="XX")


def _create_many(path: str, name: str, n: int, barrier, out) -> None:
    try:
        s = Store(path)
        barrier.wait(30)  # both processes open, then race
        # Idempotency keys make each creation read before it writes, as in production.
        refs = [new_request(s, resident="tg:w", idempotency_key=f"{name}-{i}").reference for i in range(n)]
        s.close()
        out.put(("ok", refs))
    except Exception as exc:  # reported to the parent, which fails the test
        out.put(("error", repr(exc)))


def race_two_processes(path: str, target, n: int) -> list:
    """Run ``target(path, name, n, barrier, out)`` in two processes that start together on the
    same SQLite file; what each put in ``out`` (the test fails on an error in either)."""
    ctx = multiprocessing.get_context("spawn")
    barrier, out = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=target, args=(path, f"p{i}", n, barrier, out)) for i in range(2)]
    for p in procs:
        p.start()
    results = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(10)
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    return [payload for _, payload in results]


def test_two_processes_never_collide(tmp_path: Path) -> None:
    path = str(tmp_path / "bot.db")
    Store(path).close()
    first, second = race_two_processes(path, _create_many, 200)
    refs = first + second
    assert len(refs) == 400 and len(set(refs)) == 400
    assert sorted(refs) == [f"GK-20260302-{i:04d}" for i in range(1, 401)]
    with Store(path) as s:
        assert len(s.requests_for("tg:w")) == 400
        assert s.integrity_check() == "ok"


def test_threads_sharing_one_store(store: Store) -> None:
    refs: list[str] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(50):
                refs.append(new_request(store, prefix="ZX").reference)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(refs)) == 200


def test_idempotency_key_returns_existing_request(store: Store) -> None:
    a = new_request(store, idempotency_key="tg:1/form-7")
    b = new_request(store, idempotency_key="tg:1/form-7", data={"other": 1})
    c = new_request(store, idempotency_key="tg:1/form-8")
    assert b == a
    assert c.reference != a.reference
    assert len(store.requests_for("tg:1")) == 2
    with pytest.raises(ValueError):
        new_request(store, resident="tg:2", idempotency_key="tg:1/form-7")


# --------------------------------------------------------------------------- sessions


def test_session_survives_restart(tmp_path: Path) -> None:
    state = {"flow": "disclosure", "step": 3, "fields": {"name": "李四", "phone": "13812345678"}, "h": [1]}
    first = Store(tmp_path / "bot.db")
    first.save_session("tg:9", state, now=NOW)
    first.close()
    second = Store(tmp_path / "bot.db")
    assert second.load_session("tg:9") == state
    assert second.load_session("tg:other") is None
    second.save_session("tg:9", {**state, "step": 4}, now=NOW + timedelta(minutes=5))
    assert second.load_session("tg:9")["step"] == 4
    assert second.delete_session("tg:9") is True
    assert second.load_session("tg:9") is None
    second.close()


def test_idle_sessions(store: Store) -> None:
    store.save_session("old", {"a": 1}, now=NOW - timedelta(hours=3))
    store.save_session("new", {"a": 1}, now=NOW)
    assert store.idle_sessions(NOW - timedelta(hours=1)) == ["old"]


def test_unserialisable_session_is_rejected_without_writing(store: Store) -> None:
    with pytest.raises(TypeError):
        store.save_session("tg:1", {"when": date(2026, 1, 1)})
    assert store.load_session("tg:1") is None


# --------------------------------------------------------------------------- status


def test_full_lifecycle_with_correction_and_extension(store: Store) -> None:
    r = new_request(store)
    store.assign(r.reference, "staff:7", NOW)
    store.set_status(r.reference, IN_PROGRESS, by="staff:7", now=NOW)
    store.set_status(r.reference, NEEDS_CORRECTION, by="staff:7", note="请写明文号", now=NOW)
    corrected = store.set_status(
        r.reference,
        IN_PROGRESS,
        by="staff:7",
        now=NOW + timedelta(days=3),
        received=date(2026, 3, 5),
        due=date(2026, 4, 2),
        due_provisional=True,
    )
    assert corrected.received_date == date(2026, 3, 5)
    assert corrected.due_date == date(2026, 4, 2) and corrected.due_provisional
    ext = store.set_status(r.reference, EXTENDED, by="staff:7", now=NOW, due=date(2026, 4, 30))
    assert ext.extended and ext.due_date == date(2026, 4, 30) and not ext.due_provisional
    done = store.set_status(r.reference, ANSWERED, by="staff:7", now=NOW, closed_kind="予以公开")
    assert done.status == ANSWERED and done.closed_kind == "予以公开" and done.assignee == "staff:7"
    assert [h.status for h in store.history(r.reference)] == [
        SUBMITTED,
        SUBMITTED,
        IN_PROGRESS,
        NEEDS_CORRECTION,
        IN_PROGRESS,
        EXTENDED,
        ANSWERED,
    ]
    assert store.history(r.reference)[3].note == "请写明文号"


@pytest.mark.parametrize(
    "path, bad",
    [
        ([], ANSWERED),  # must be 处理中 first
        ([], COMPLETED),
        ([], SUBMITTED),
        ([IN_PROGRESS], IN_PROGRESS),
        ([IN_PROGRESS, COMPLETED], IN_PROGRESS),  # final
        ([IN_PROGRESS, ANSWERED], COMPLETED),
        ([NEEDS_CORRECTION], EXTENDED),  # clock stopped while awaiting correction
        ([NEEDS_CORRECTION], ANSWERED),
        ([EXTENDED], NEEDS_CORRECTION),
        ([EXTENDED], IN_PROGRESS),
        ([], "已撤回"),  # unknown status
    ],
)
def test_invalid_transitions_raise(store: Store, path: list[str], bad: str) -> None:
    r = new_request(store)
    for status in path:
        store.set_status(r.reference, status, by="s", now=NOW, due=date(2026, 5, 1))
    before = store.get_request(r.reference)
    with pytest.raises(StatusError) as info:
        store.set_status(r.reference, bad, by="s", now=NOW, due=date(2026, 5, 1))
    assert re.search(r"[\u4e00-\u9fff]", info.value.message)
    assert store.get_request(r.reference) == before
    assert len(store.history(r.reference)) == 1 + len(path)


def test_transition_preconditions(store: Store) -> None:
    r = new_request(store)
    with pytest.raises(StatusError, match="期限"):
        store.set_status(r.reference, EXTENDED, by="s", now=NOW)  # no new due date
    store.set_status(r.reference, NEEDS_CORRECTION, by="s", now=NOW)
    with pytest.raises(StatusError, match="收到日期"):
        store.set_status(r.reference, IN_PROGRESS, by="s", now=NOW)  # clock must restart
    with pytest.raises(StatusError, match="只能延期一次"):
        check_transition("X", IN_PROGRESS, EXTENDED, extended=True, due=date(2026, 5, 1), received=None)
    assert EXTENDED not in allowed_transitions(IN_PROGRESS, extended=True)
    assert allowed_transitions(NEEDS_CORRECTION) == (IN_PROGRESS, COMPLETED)
    with pytest.raises(UnknownRequest):
        store.set_status("GK-20990101-0001", IN_PROGRESS, by="s", now=NOW)
    with pytest.raises(ValueError):
        store.set_status(r.reference, IN_PROGRESS, by="s", now=NOW, received=NOW.date(), closed_kind="x")


def test_not_corrected_in_time_can_be_closed(store: Store) -> None:
    r = new_request(store)
    store.set_status(r.reference, NEEDS_CORRECTION, by="s", now=NOW)
    closed = store.set_status(r.reference, COMPLETED, by="s", now=NOW, closed_kind="视为放弃")
    assert closed.status == COMPLETED and not closed.is_open
    with pytest.raises(StatusError):
        store.assign(r.reference, "staff:1", NOW)


# --------------------------------------------------------------------------- queries, messages


def test_residents_only_see_their_own_requests(store: Store) -> None:
    a1 = new_request(store, resident="tg:a")
    b1 = new_request(store, resident="tg:b")
    a2 = new_request(store, resident="tg:a", now=NOW + timedelta(hours=1))
    assert [r.reference for r in store.requests_for("tg:a")] == [a2.reference, a1.reference]
    assert [r.reference for r in store.requests_for("tg:b")] == [b1.reference]
    assert store.requests_for("tg:c") == []
    assert store.get_request("GK-19990101-0001") is None


def test_open_requests_ordered_by_due(store: Store) -> None:
    late = new_request(store, due=date(2026, 4, 30))
    soon = new_request(store, due=date(2026, 3, 10))
    none = new_request(store, due=None)
    closed = new_request(store, due=date(2026, 3, 3))
    store.set_status(closed.reference, IN_PROGRESS, by="s", now=NOW)
    store.set_status(closed.reference, COMPLETED, by="s", now=NOW)
    assert [r.reference for r in store.open_requests()] == [soon.reference, late.reference, none.reference]
    assert [r.reference for r in store.open_requests(order_by_due=False)] == [
        late.reference,
        soon.reference,
        none.reference,
    ]


def test_messages_thread_and_first_staff_reply(store: Store) -> None:
    r = new_request(store)
    assert store.first_staff_reply_at(r.reference) is None
    store.add_message(r.reference, "resident", "tg:1", "请问进度？", NOW + timedelta(minutes=1))
    mid = store.add_message(r.reference, "staff", "staff:7", "正在办理", NOW + timedelta(minutes=9))
    store.add_message(r.reference, "staff", "staff:7", "已寄出", NOW + timedelta(hours=2))
    thread = store.thread(r.reference)
    assert [m.sender for m in thread] == ["resident", "staff", "staff"]
    assert thread[1].id == mid and thread[1].text == "正在办理"
    assert store.first_staff_reply_at(r.reference) == NOW + timedelta(minutes=9)
    with pytest.raises(ValueError):
        store.add_message(r.reference, "admin", "x", "y", NOW)  # type: ignore[arg-type]
    with pytest.raises(UnknownRequest):
        store.add_message("GK-19990101-0001", "bot", "bot", "y", NOW)


def test_subscriptions(store: Store) -> None:
    assert store.subscribe("tg:1", "warnings", NOW) is True
    assert store.subscribe("tg:1", "warnings", NOW) is False
    store.subscribe("tg:2", "warnings", NOW + timedelta(seconds=1))
    store.subscribe("tg:1", "events", NOW)
    assert store.subscribers("warnings") == ["tg:1", "tg:2"]
    assert store.subscriptions_of("tg:1") == ["events", "warnings"]
    assert store.unsubscribe("tg:1", "warnings") is True
    assert store.unsubscribe("tg:1", "warnings") is False
    assert store.subscribers("warnings") == ["tg:2"]


def test_declined_questions_counted_by_normalised_text(store: Store) -> None:
    assert normalise_question(" 怎么 办 护照？") == normalise_question("怎么办护照?")
    for text in ["怎么办护照？", "怎么办护照?", " 怎么 办护照 ", "社保怎么交"]:
        store.log_review(text, "declined", "", NOW)
    store.log_review("？？", "declined", "", NOW)  # nothing left after normalising: not counted
    assert store.top_declined() == [("怎么办护照？", 3), ("社保怎么交", 1)]
    assert store.top_declined(limit=1) == [("怎么办护照？", 3)]


def test_cards_and_meta(store: Store) -> None:
    r = new_request(store)
    store.set_card(r.reference, -1001234567890, 42)
    assert store.reference_for_card(-1001234567890, 42) == r.reference
    assert store.reference_for_card(-1001234567890, 43) is None
    with pytest.raises(UnknownRequest):
        store.set_card("GK-19990101-0001", 1, 1)
    assert store.get_meta("digest_at") is None
    store.set_meta("digest_at", "09:00")
    assert store.get_meta("digest_at") == "09:00"
    assert store.get_meta("schema_version") == str(SCHEMA_VERSION) == "6"


# --------------------------------------------------------------------------- notes


def test_notes_are_kept_apart_from_the_thread(store: Store) -> None:
    r = new_request(store)
    store.add_message(r.reference, "resident", "tg:1", "请问进度？", NOW + timedelta(minutes=1))
    first = store.add_note(r.reference, "tg:900", "已电话联系申请人", NOW + timedelta(minutes=2))
    second = store.add_note(r.reference, "tg:901", "材料已补齐", NOW + timedelta(minutes=1))
    notes = store.notes(r.reference)
    assert [(n.id, n.author, n.text) for n in notes] == [
        (second, "tg:901", "材料已补齐"),
        (first, "tg:900", "已电话联系申请人"),
    ]
    assert notes[0].reference == r.reference and notes[0].at == NOW + timedelta(minutes=1)
    # not in the thread, and not a reply
    assert [m.text for m in store.thread(r.reference)] == ["请问进度？"]
    assert store.first_staff_reply_at(r.reference) is None
    assert store.stats(NOW)["median_first_reply_seconds"] is None
    assert store.notes("GK-19990101-0001") == []
    with pytest.raises(UnknownRequest):
        store.add_note("GK-19990101-0001", "tg:900", "x", NOW)
    with pytest.raises(ValueError):
        store.add_note(r.reference, "tg:900", "  ", NOW)
    # a note survives the resident's /forget: it is part of the office's record
    store.forget_resident("tg:1", NOW)
    assert len(store.notes(r.reference)) == 2


# --------------------------------------------------------------------------- ratings


def test_ratings_one_vote_per_resident_and_entry(store: Store) -> None:
    assert store.rating_totals() == {}
    assert store.add_rating("faq/a", "tg:1", "up", NOW) is True
    assert store.add_rating("faq/a", "tg:1", "up", NOW) is False  # a repeat counts once
    assert store.add_rating("faq/a", "tg:2", "up", NOW) is True
    assert store.add_rating("faq/b", "tg:1", "down", NOW) is True
    assert store.rating_totals() == {"faq/a": (2, 0), "faq/b": (0, 1)}
    assert store.add_rating("faq/a", "tg:1", "down", NOW + timedelta(minutes=1)) is True  # changed mind
    assert store.add_rating("faq/a", "tg:1", "down", NOW + timedelta(minutes=2)) is False
    assert store.rating_totals() == {"faq/a": (1, 1), "faq/b": (0, 1)}
    assert store.resident_data("tg:1")["ratings"] == [
        {"entry_id": "faq/b", "value": "down", "at": NOW.isoformat()},
        {"entry_id": "faq/a", "value": "down", "at": (NOW + timedelta(minutes=1)).isoformat()},
    ]
    with pytest.raises(ValueError):
        store.add_rating("faq/a", "tg:1", "meh", NOW)
    assert store.get_meta("ratings") is None and store.get_meta("rating:faq/a:tg:1") is None


def _rate_many(path: str, name: str, n: int, barrier, out) -> None:
    try:
        s = Store(path)
        barrier.wait(30)  # both processes open, then race on the same entry
        changed = 0
        for i in range(n):
            changed += s.add_rating("faq/shared", f"tg:{name}-{i}", "up", NOW)
            changed += s.add_rating("faq/shared", "tg:both", "up" if i % 2 else "down", NOW)
        for i in range(0, n, 2):  # half of them change their mind
            changed += s.add_rating("faq/shared", f"tg:{name}-{i}", "down", NOW)
        s.close()
        out.put(("ok", changed))
    except Exception as exc:  # reported to the parent, which fails the test
        out.put(("error", repr(exc)))


def test_ratings_from_two_processes_are_all_counted(tmp_path: Path) -> None:
    path = str(tmp_path / "bot.db")
    Store(path).close()
    race_two_processes(path, _rate_many, 100)
    with Store(path) as s:
        up, down = s.rating_totals()["faq/shared"]
        # 200 residents, 100 of whom moved to 没用; "tg:both" ended on one of the two
        assert up + down == 201
        assert (up, down) in {(100, 101), (101, 100)}
        assert s.integrity_check() == "ok"


# --------------------------------------------------------------------------- outbox, updates


def test_outbox_retries_until_sent(store: Store) -> None:
    item = store.enqueue_outbox("tg:1", {"text": "您的申请已受理"}, NOW)
    [due] = store.due_outbox(NOW, limit=10)
    assert due.id == item and due.payload == {"text": "您的申请已受理"} and due.attempts == 0
    assert store.due_outbox(NOW + timedelta(seconds=30), limit=10) == []  # leased
    store.mark_retry(item, NOW + timedelta(minutes=5), "NetworkError: timed out")
    assert store.due_outbox(NOW + timedelta(minutes=4), limit=10) == []
    [again] = store.due_outbox(NOW + timedelta(minutes=5), limit=10)
    assert again.attempts == 1 and again.last_error == "NetworkError: timed out"
    assert store.outbox_pending() == 1
    store.mark_sent(item, NOW + timedelta(minutes=5))
    assert store.outbox_pending() == 0
    assert store.due_outbox(NOW + timedelta(days=1), limit=10) == []
    with pytest.raises(LookupError):
        store.mark_retry(item, NOW, "late")  # already sent
    assert store.prune(NOW + timedelta(days=1)) == {
        "processed_updates": 0,
        "outbox_sent": 1,
        "outbox_failed": 0,
    }


def test_outbox_dead_letters_are_kept_apart(store: Store) -> None:
    bad = store.enqueue_outbox("tg:1", {"text": "太长的消息"}, NOW)
    good = store.enqueue_outbox("tg:2", {"text": "您的申请已受理"}, NOW)
    assert [i.id for i in store.due_outbox(NOW, limit=10)] == [bad, good]
    store.mark_failed(bad, "BadRequest: message is too long", NOW + timedelta(seconds=1))
    assert store.outbox_pending() == 1 and store.outbox_failed() == 1
    [dead] = store.failed_outbox()
    assert dead.id == bad and dead.last_error == "BadRequest: message is too long" and dead.attempts == 1
    assert [i.id for i in store.due_outbox(NOW + timedelta(days=1), limit=10)] == [good]  # never due
    with pytest.raises(LookupError):
        store.mark_retry(bad, NOW, "late")  # a dead letter is not retried
    store.mark_sent(good, NOW + timedelta(minutes=1))
    with pytest.raises(LookupError):
        store.mark_failed(good, "too late", NOW)  # a delivered item is not a dead letter
    with pytest.raises(LookupError):
        store.mark_failed(12345, "no such item", NOW)
    assert store.outbox_pending() == 0 and store.outbox_failed() == 1
    assert store.prune(NOW) == {"processed_updates": 0, "outbox_sent": 0, "outbox_failed": 0}
    assert store.prune(NOW + timedelta(days=1)) == {
        "processed_updates": 0,
        "outbox_sent": 1,
        "outbox_failed": 1,
    }
    assert store.outbox_failed() == 0 and store.failed_outbox() == []


def test_outbox_lease_expires_if_sender_dies(store: Store) -> None:
    store.enqueue_outbox("tg:1", {"text": "a"}, NOW)
    store.enqueue_outbox("tg:2", {"text": "b"}, NOW + timedelta(seconds=1))
    assert [i.chat_key for i in store.due_outbox(NOW + timedelta(seconds=1), limit=1)] == ["tg:1"]
    assert [i.chat_key for i in store.due_outbox(NOW + timedelta(seconds=2), limit=5)] == ["tg:2"]
    later = store.due_outbox(NOW + timedelta(minutes=2), limit=5)
    assert sorted(i.chat_key for i in later) == ["tg:1", "tg:2"]


def test_seen_update_once_across_instances(tmp_path: Path) -> None:
    a, b = Store(tmp_path / "bot.db"), Store(tmp_path / "bot.db")
    assert a.update_done("bot1:100") is False  # checked before handling, recorded after
    assert a.seen_update("bot1:100", NOW) is False
    assert b.update_done("bot1:100") is True
    assert a.seen_update("bot1:100", NOW) is True
    assert b.seen_update("bot1:100", NOW) is True
    assert b.seen_update("bot1:101", NOW + timedelta(days=2)) is False
    assert a.prune(NOW + timedelta(days=1))["processed_updates"] == 1
    assert a.seen_update("bot1:101") is True
    a.close()
    b.close()


# --------------------------------------------------------------------------- data rights


def test_forget_resident(store: Store) -> None:
    r = new_request(store, resident="tg:f")
    other = new_request(store, resident="tg:o")
    store.save_session("tg:f", {"flow": "archive_lookup", "fields": {"id": "130102199001011234"}})
    store.subscribe("tg:f", "warnings", NOW)
    store.subscribe("tg:o", "warnings", NOW)
    store.add_rating("faq/a", "tg:f", "up", NOW)
    store.add_rating("faq/b", "tg:f", "down", NOW + timedelta(minutes=1))
    store.add_rating("faq/a", "tg:o", "down", NOW)
    mine = store.resident_data("tg:f")
    assert mine["session"]["flow"] == "archive_lookup"
    assert [x["reference"] for x in mine["requests"]] == [r.reference]
    assert mine["requests"][0]["data"]["name"] == "张三" and "assignee" not in mine["requests"][0]
    assert mine["subscriptions"] == ["warnings"]
    assert mine["ratings"] == [
        {"entry_id": "faq/a", "value": "up", "at": NOW.isoformat()},
        {"entry_id": "faq/b", "value": "down", "at": (NOW + timedelta(minutes=1)).isoformat()},
    ]

    result = store.forget_resident("tg:f", NOW)
    assert result.session_deleted and result.subscriptions_deleted == 1 and result.ratings_deleted == 2
    assert result.kept_requests == (r.reference,)
    assert store.load_session("tg:f") is None
    assert store.subscribers("warnings") == ["tg:o"]
    kept = store.get_request(r.reference)
    assert kept is not None and kept.forgotten and kept.status == SUBMITTED
    assert store.get_request(other.reference).forgotten is False
    assert store.history(r.reference)[-1].by == "resident"
    after = store.resident_data("tg:f")
    assert after["session"] is None and after["subscriptions"] == [] and after["ratings"] == []
    assert store.rating_totals() == {"faq/a": (0, 1)}  # the other resident's vote stays
    assert after["requests"][0]["forgotten"] is True
    # Forgetting twice changes nothing more, and the request can still be answered.
    assert store.forget_resident("tg:f", NOW).kept_requests == ()
    store.set_status(r.reference, IN_PROGRESS, by="staff", now=NOW)


# --------------------------------------------------------------------------- schema versions


def _downgrade_to_version_2(path: Path) -> None:
    """Make the file what version 2 of the store left: an outbox without kind, dedup_key and
    reference, schema_version 2."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for index in ("outbox_dedup_key", "idx_outbox_chat_key_id", "idx_outbox_reference"):
            conn.execute(f"DROP INDEX {index}")
        for column in ("kind", "dedup_key", "reference"):
            conn.execute(f"ALTER TABLE outbox DROP COLUMN {column}")
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    finally:
        conn.close()


def _downgrade_to_version_1(path: Path) -> None:
    """Make the file what version 1 of the store left: no ratings or notes tables, no
    ``outbox.failed_at`` column, schema_version 1."""
    _downgrade_to_version_2(path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("DROP TABLE ratings")
        conn.execute("DROP TABLE notes")
        conn.execute("ALTER TABLE outbox DROP COLUMN failed_at")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    finally:
        conn.close()


def test_migration_from_version_1_moves_ratings_and_notes(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    with Store(path) as old:
        r = new_request(old)
        other = new_request(old, resident="tg:2")
        # what version 1 wrote: ratings in meta (handlers.telegram.resident.record_rating) ...
        old.set_meta("rating:faq/a:tg:1", "up")
        old.set_meta("rating:faq/a:tg:2", "down")
        old.set_meta("rating:bf/ask/2:tg:1", "down")
        old.set_meta("ratings", '{"faq/a": [1, 1], "bf/ask/2": [0, 1]}')
        old.set_meta("rating:faq/b:tg:3", "sideways")  # nothing valid to keep
        # ... and /note as thread rows authored note:<staff>
        old.add_message(r.reference, "resident", "tg:1", "请问进度？", NOW + timedelta(minutes=1))
        old.add_message(r.reference, "bot", "note:tg:900", "已电话联系", NOW + timedelta(minutes=2))
        old.add_message(r.reference, "staff", "tg:900", "正在办理", NOW + timedelta(minutes=3))
        old.add_message(other.reference, "bot", "note:tg:901", "待补正", NOW + timedelta(minutes=4))
        old.add_message(r.reference, "bot", "bot", "自动回复", NOW + timedelta(minutes=5))
        old.set_meta("staff:900", "王科员")
        queued = old.enqueue_outbox("1", {"text": "稍后发送"}, NOW)
    _downgrade_to_version_1(path)
    with sqlite3.connect(path) as conn:
        assert "failed_at" not in [row[1] for row in conn.execute("PRAGMA table_info(outbox)")]

    with Store(path) as s:
        assert s.get_meta("schema_version") == str(SCHEMA_VERSION)
        assert s.rating_totals() == {"faq/a": (1, 1), "bf/ask/2": (0, 1)}
        assert [v["entry_id"] for v in s.resident_data("tg:1")["ratings"]] == ["bf/ask/2", "faq/a"]
        assert s.get_meta("ratings") is None
        assert s.get_meta("rating:faq/a:tg:1") is None and s.get_meta("rating:faq/b:tg:3") is None
        assert s.get_meta("staff:900") == "王科员"  # other meta untouched
        assert [(n.author, n.text, n.at) for n in s.notes(r.reference)] == [
            ("tg:900", "已电话联系", NOW + timedelta(minutes=2))
        ]
        assert [n.text for n in s.notes(other.reference)] == ["待补正"]
        assert [m.text for m in s.thread(r.reference)] == ["请问进度？", "正在办理", "自动回复"]
        assert s.thread(other.reference) == []
        # the outbox item is still pending and can now become a dead letter
        assert s.outbox_pending() == 1
        s.mark_failed(queued, "BadRequest: chat not found", NOW)
        assert s.outbox_pending() == 0 and s.outbox_failed() == 1
        # the new APIs work on the upgraded file
        assert s.add_rating("faq/a", "tg:2", "up", NOW) is True
        assert s.rating_totals()["faq/a"] == (2, 0)
        assert s.forget_resident("tg:1", NOW).ratings_deleted == 2
        assert s.integrity_check() == "ok"

    with Store(path) as again:  # opening an upgraded file changes nothing
        assert again.get_meta("schema_version") == str(SCHEMA_VERSION)
        assert again.rating_totals() == {"faq/a": (1, 0)}
        # the item was addressed to tg:1 (chat 1, upgraded to an address): /forget erased it
        assert len(again.notes(r.reference)) == 1 and again.outbox_failed() == 0


def test_migration_of_an_empty_version_1_file(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    Store(path).close()
    _downgrade_to_version_1(path)
    with Store(path) as s:
        assert s.get_meta("schema_version") == str(SCHEMA_VERSION)
        assert s.rating_totals() == {} and s.outbox_failed() == 0 and s.outbox_pending() == 0


def test_migration_from_version_2_addresses_the_old_outbox_items(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    with Store(path) as old:
        kept = old.enqueue_outbox("1001", {"chat_id": 1001, "text": "稍后发送"}, NOW)
        group = old.enqueue_outbox("-1005000", {"chat_id": -1005000, "text": "卡片"}, NOW)
    _downgrade_to_version_2(path)
    with Store(path) as s:
        assert s.get_meta("schema_version") == str(SCHEMA_VERSION)
        heads = s.outbox_heads(NOW, ["tg:"])
        assert [(i.id, i.address, i.kind) for i in heads] == [
            (kept, "tg:1001", "raw"),
            (group, "tg:-1005000", "raw"),
        ]
        # the new columns work: a dedup key is used once
        assert s.enqueue_outbox("staff", {"reference": "x"}, NOW, kind="card", dedup_key="card:x") is not None
        assert s.enqueue_outbox("staff", {"reference": "x"}, NOW, kind="card", dedup_key="card:x") is None


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    with Store(path) as s:
        s.set_meta("schema_version", str(SCHEMA_VERSION + 1))
    with pytest.raises(StoreError, match="升级程序"):
        Store(path)


# --------------------------------------------------------------------------- stats, integrity


def test_stats(store: Store) -> None:
    waits = [60, 120, 600]
    for w in waits:
        r = new_request(store)
        store.add_message(r.reference, "resident", "tg:1", "?", NOW + timedelta(seconds=5))
        store.add_message(r.reference, "staff", "s", "a", NOW + timedelta(seconds=w))
        store.add_message(r.reference, "staff", "s", "b", NOW + timedelta(seconds=w + 9999))
    unanswered = new_request(store, prefix="CD", kind="archive_lookup", due=date(2026, 3, 1))
    store.add_message(unanswered.reference, "resident", "tg:1", "?", NOW)
    paused = new_request(store, due=date(2026, 3, 1))
    store.set_status(paused.reference, NEEDS_CORRECTION, by="s", now=NOW)  # clock stopped
    closed = new_request(store, due=date(2026, 3, 1))
    store.set_status(closed.reference, IN_PROGRESS, by="s", now=NOW)
    store.set_status(closed.reference, ANSWERED, by="s", now=NOW)
    store.log_review("护照", "declined", "", NOW)

    stats = store.stats(NOW)
    assert stats["median_first_reply_seconds"] == 120
    assert stats["overdue"] == 1
    assert stats["total"] == 6
    assert stats["by_kind"] == {"disclosure": 5, "archive_lookup": 1}
    assert stats["by_status"] == {SUBMITTED: 4, NEEDS_CORRECTION: 1, ANSWERED: 1}
    assert stats["by_kind_status"]["archive_lookup"] == {SUBMITTED: 1}
    assert stats["top_declined"] == [("护照", 1)]


def test_stats_empty(store: Store) -> None:
    stats = store.stats(NOW)
    assert stats["median_first_reply_seconds"] is None and stats["overdue"] == 0 and stats["total"] == 0


def test_integrity_check_and_wal(store: Store, tmp_path: Path) -> None:
    new_request(store)
    assert store.integrity_check() == "ok"
    mode = sqlite3.connect(tmp_path / "bot.db").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


# --------------------------------------------------------------------------- failures


def test_locked_database_raises_store_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    store = Store(path, busy_timeout_ms=200)
    r = new_request(store)
    store.save_session("tg:1", {"step": 2})
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreUnavailable) as info:
            new_request(store)
        # it gave up after the store's own busy timeout (no wall-clock assertion in a unit test)
        assert store._conn.execute("PRAGMA busy_timeout").fetchone()[0] == 200
        assert info.value.reason == "busy"
        assert "系统繁忙" in info.value.user_message
        with pytest.raises(StoreUnavailable):
            store.save_session("tg:1", {"step": 3})
        with pytest.raises(StoreUnavailable):
            Store(path, busy_timeout_ms=100)  # start-up needs the write lock too
        # WAL: readers are not blocked, so the resident's progress is still there.
        assert store.load_session("tg:1") == {"step": 2}
        assert store.get_request(r.reference) is not None
    finally:
        locker.rollback()
        locker.close()
    # Nothing was left half-open: the store works again once the lock is gone.
    assert new_request(store).reference.endswith("-0002")
    store.save_session("tg:1", {"step": 3})
    assert store.load_session("tg:1") == {"step": 3}
    store.close()


@pytest.mark.parametrize(
    "message, reason",
    [
        ("database is locked", "busy"),
        ("disk I/O error", "io"),
        ("attempt to write a readonly database", "readonly"),
        ("database or disk is full", "full"),
        ("no such table: requests", None),
    ],
)
def test_unavailable_reason(message: str, reason: str | None) -> None:
    assert unavailable_reason(sqlite3.OperationalError(message)) == reason


def test_programming_errors_are_not_disguised(store: Store) -> None:
    with pytest.raises(sqlite3.OperationalError):
        with store._read() as db:
            db.execute("SELECT * FROM no_such_table")


def test_outbox_heads_keep_each_address_in_order(store: Store) -> None:
    a1 = store.enqueue_outbox("tg:1", {"text": "a1"}, NOW, kind="reply")
    b1 = store.enqueue_outbox("staff", {"reference": "x"}, NOW, kind="card", dedup_key="card:x")
    a2 = store.enqueue_outbox("tg:1", {"text": "a2"}, NOW, kind="reply")
    store.enqueue_outbox("web:9", {"text": "another channel"}, NOW, kind="reply")
    heads = store.outbox_heads(NOW, ["tg:", "staff"], per_address=1)
    assert [i.id for i in heads] == [a1, b1]  # not web:, and a2 waits behind a1
    # a1 leased by a sender: nothing of tg:1 is handed out, not even a2
    assert store.outbox_heads(NOW + timedelta(seconds=1), ["tg:"], per_address=5) == []
    store.mark_retry(a1, NOW + timedelta(minutes=1), "429")
    assert store.outbox_heads(NOW + timedelta(seconds=30), ["tg:"], per_address=5) == []
    [again, after] = store.outbox_heads(NOW + timedelta(minutes=1), ["tg:"], per_address=5)
    assert (again.id, after.id) == (a1, a2)
    store.mark_failed(a1, "BadRequest", NOW)  # a dead letter no longer holds the chat
    store.release_outbox([a2], NOW)
    assert [i.id for i in store.outbox_heads(NOW, ["tg:"], addresses=["tg:1"])] == [a2]


# ---------------------------------------------------------------- readers and the writer (issue 15)


def _in_thread(target) -> threading.Thread:
    """Run ``target`` in a thread and give it (generous) time to finish: a call stuck behind
    another thread's lock would never finish, so the thread stays alive."""
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout=30)
    return thread


def test_a_long_read_does_not_block_a_write(store: Store) -> None:
    reading, release = threading.Event(), threading.Event()
    seen: list[object] = []

    def long_read() -> None:
        with store._snapshot():
            seen.append(store.load_session("tg:1"))
            reading.set()
            release.wait(timeout=60)
            seen.append(store.load_session("tg:1"))  # still the snapshot's state
        seen.append(store.load_session("tg:1"))

    reader = threading.Thread(target=long_read, daemon=True)
    reader.start()
    assert reading.wait(timeout=30)
    try:
        writer = _in_thread(lambda: store.save_session("tg:1", {"mode": "idle"}, NOW))
        assert not writer.is_alive()  # the write went through while the read was still open
    finally:
        release.set()
        reader.join(timeout=30)
    assert seen == [None, None, {"mode": "idle"}]


def test_reads_see_the_last_commit_while_a_write_is_open(store: Store) -> None:
    store.save_session("tg:1", {"step": 1}, NOW)
    inside, release = threading.Event(), threading.Event()

    def long_write() -> None:
        with store.transaction():
            store.save_session("tg:1", {"step": 2}, NOW)
            assert store.load_session("tg:1") == {"step": 2}  # the writer reads its own rows
            inside.set()
            release.wait(timeout=60)

    writer = threading.Thread(target=long_write, daemon=True)
    writer.start()
    assert inside.wait(timeout=30)
    seen: list[object] = []
    try:
        reader = _in_thread(lambda: seen.append(store.load_session("tg:1")))
        assert not reader.is_alive()  # not queued behind the open write transaction
    finally:
        release.set()
        writer.join(timeout=30)
    assert seen == [{"step": 1}]  # the uncommitted step 2 is not visible to other threads
    assert store.load_session("tg:1") == {"step": 2}


def test_close_closes_every_reader(tmp_path: Path) -> None:
    s = Store(tmp_path / "bot.db")
    assert _in_thread(lambda: s.get_meta("x")).is_alive() is False
    s.get_meta("x")
    assert len(s._readers) == 2  # one per thread that read
    s.close()
    assert s._readers == []
    with pytest.raises(sqlite3.ProgrammingError):
        s.get_meta("x")


# --------------------------------------------------------------------------- /stats at scale (issue 15)


def _counts_by_scan(store: Store) -> dict[tuple[str, str], int]:
    with store._read() as db:
        rows = db.execute("SELECT kind, status, COUNT(*) FROM requests GROUP BY kind, status").fetchall()
    return {(k, s): n for k, s, n in rows}


def test_stats_counts_follow_every_change_without_scanning_the_log(store: Store) -> None:
    a = new_request(store)
    b = new_request(store, prefix="CD")
    new_request(store, "tg:2")
    store.set_status(a.reference, IN_PROGRESS, by="tg:9", now=NOW)
    store.set_status(b.reference, IN_PROGRESS, by="tg:9", now=NOW)
    store.set_status(b.reference, ANSWERED, by="tg:9", now=NOW)
    with store._write() as db:  # an administrator's SQL too
        db.execute("DELETE FROM request_history WHERE reference = ?", [a.reference])
        db.execute("DELETE FROM requests WHERE reference = ?", [a.reference])
    stats = store.stats(NOW)
    by_scan = _counts_by_scan(store)
    expected: dict[str, dict[str, int]] = {}
    for (kind, status), n in by_scan.items():
        expected.setdefault(kind, {})[status] = n
    assert stats["by_kind_status"] == expected
    assert stats["total"] == sum(by_scan.values()) == 2
    with store._read() as db:
        plan = " ".join(
            str(row[-1])
            for row in db.execute(
                "EXPLAIN QUERY PLAN SELECT r.created_at, (SELECT MIN(m.at) FROM messages m"
                " WHERE m.reference = r.reference AND m.sender = 'staff') FROM requests r"
                " WHERE r.created_at >= ?",
                ["2026-01-01"],
            )
        )
    assert "SCAN r" not in plan and "SCAN requests" not in plan, plan  # by the creation-time index


def test_an_older_file_gets_its_counters_from_the_log(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store(path) as s:
        new_request(s)
        new_request(s, "tg:2")
    conn = sqlite3.connect(path)  # as a version-5 file was: no counters
    conn.execute("DROP TABLE request_counts")
    for trigger in ("request_counts_insert", "request_counts_delete", "request_counts_update"):
        conn.execute(f"DROP TRIGGER {trigger}")
    conn.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with Store(path) as s:
        assert s.stats(NOW)["total"] == 2
        new_request(s, "tg:3")
        assert s.stats(NOW)["total"] == 3 and s.get_meta("schema_version") == str(SCHEMA_VERSION)
