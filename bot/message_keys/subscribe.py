"""Message keys of subscribe: 预警订阅 and 活动提醒 (knowledge/messages/subscribe.yaml)."""

from __future__ import annotations

#: key -> names of the placeholders the code passes (empty: a fixed sentence)
KEYS: dict[str, tuple[str, ...]] = {
    "subscribe.topic_events": (),
    "subscribe.topic_warnings": (),
    "subscribe.btn_subscribe": ("topic",),
    "subscribe.btn_unsubscribe": ("topic",),
    "subscribe.btn_confirm": (),
    "subscribe.btn_decline": (),
    "subscribe.some_office": (),
    "subscribe.warnings_service": ("content", "office"),
    "subscribe.warnings_subscribed_already": (),
    "subscribe.events_done": (),
    "subscribe.events_already": (),
    "subscribe.how_to_stop": (),
    "subscribe.unsubscribed": ("topic",),
    "subscribe.not_subscribed": ("topic",),
    "subscribe.none": (),
    "subscribe.which": (),
}
