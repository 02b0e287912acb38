"""人防宣传 and warnings through the dialog engine: events, alarm signals, subscriptions, bookings."""

from __future__ import annotations

from datetime import date

from bot.dialog import RequestSubmitted
from tests.dialog_support import (
    DRILL,
    OTHER,
    RESIDENT,
    fill,
    payloads,
    pending_field,
    press,
    say,
    text_of,
)


def test_events_menu_lists_the_yearly_days_and_the_unpublished_ones(engine) -> None:
    out = press(engine, "menu:events")
    text = text_of(out)
    assert "2027年5月12日（星期三） 全国防灾减灾日" in text
    assert "2027年6月9日（星期三） 国际档案日" in text
    assert "2027年7月7日（星期三） 人防警报试鸣" in text
    assert "10:00-10:03 预先警报；10:10-10:13 空袭警报；10:20-10:23 解除警报" in text
    assert "2027年9月18日（星期六） 全民国防教育日" in text  # third Saturday of September
    assert "日期尚未公布：人防宣传月" in text
    for payload in ("event:renfang_jingbao_shiming", "event:renfang_xuanchuanyue", "signals", "book"):
        assert payload in payloads(out)
    assert "sub:events" in payloads(out)


def test_typed_words_open_the_events_menu(engine) -> None:
    assert "全民国防教育日" in text_of(say(engine, "人防活动"))


def test_event_details_say_what_is_not_published(engine) -> None:
    out = press(engine, "event:renfang_xuanchuanyue")
    text = text_of(out)
    assert "日期：尚未公布" in text
    assert "防空防灾知识讲座" in text
    assert "book" in payloads(out)  # schools, communities and companies can book


def test_asking_when_the_alarm_test_is_gives_its_details(engine) -> None:
    out = say(engine, "警报试鸣是哪天？")
    text = text_of(out)
    assert "每年7月7日" in text and "10:10-10:13 空袭警报" in text
    assert "signals" in payloads(out)


def test_alarm_signals_explain_each_signal(engine) -> None:
    text = text_of(press(engine, "signals"))
    assert "预先警报：鸣36秒、停24秒，反复3遍" in text
    assert "空袭警报：鸣6秒、停6秒，反复15遍" in text
    assert "解除警报：连续鸣响3分钟" in text
    typed = text_of(say(engine, "防空警报的信号是什么意思"))
    assert "空袭警报" in typed


def test_subscribing_and_unsubscribing_event_reminders(engine) -> None:
    out = press(engine, "sub:events")
    assert "已订阅活动提醒" in text_of(out)
    assert engine.store.subscribers("events") == [RESIDENT]
    assert "unsub:events" in payloads(press(engine, "menu:events"))  # the menu shows the state
    assert "已经订阅" in text_of(press(engine, "sub:events"))
    press(engine, "unsub:events")
    assert engine.store.subscribers("events") == []


def test_subscribing_to_warnings_by_typing_and_unsubscribing(engine) -> None:
    out = press(engine, "menu:warnings")
    assert "应急办" in text_of(out) and "sub:warnings" in payloads(out)
    assert "确认订阅吗" in text_of(say(engine, "预警订阅"))
    assert "已订阅预警信息" in text_of(say(engine, "确认"))
    assert engine.store.subscribers("warnings") == [RESIDENT]
    assert "您已订阅预警信息" in text_of(press(engine, "menu:warnings"))
    say(engine, "取消订阅")
    assert engine.store.subscribers("warnings") == []
    assert engine.store.subscriptions_of(OTHER) == []


def test_unsubscribe_asks_which_when_subscribed_to_both(engine) -> None:
    press(engine, "sub:events")
    press(engine, "sub:warnings:yes")
    out = say(engine, "取消订阅")
    assert set(payloads(out)) == {"unsub:events", "unsub:warnings"}
    assert engine.store.subscriptions_of(RESIDENT) == ["events", "warnings"]


def test_booking_a_lecture_for_a_school_files_an_rf_request(engine) -> None:
    press(engine, "book")
    summary = text_of(fill(engine, DRILL))
    assert "参加人数：300" in summary
    assert "希望日期：2026年12月1日至2026年12月5日" in summary
    assert "联系人：赵老师" in summary  # the resident's own summary shows full values
    out = press(engine, "confirm")
    assert out.events == (RequestSubmitted("RF-20261123-0001"),)
    assert "预约编号：RF-20261123-0001" in text_of(out)
    req = engine.store.get_request("RF-20261123-0001")
    assert req is not None
    assert (req.kind, req.office) == ("人防预约", "人防办")
    assert req.data["fields"]["dates"] == "2026-12-01..2026-12-05"
    assert req.data["fields"]["audience"] == "300"
    assert req.received_date == date(2026, 11, 23) and req.due_date is None


def test_a_booking_date_in_the_past_is_refused(engine) -> None:
    say(engine, "预约演练")
    fill(engine, DRILL, stop_at="dates")
    out = say(engine, "2026-11-01")
    assert "已经过去了" in text_of(out)
    assert pending_field(engine) == "dates"
