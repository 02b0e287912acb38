"""The message keys the code uses and the placeholders it fills in (texts: knowledge/messages.yaml).

Why a list in code: the catalogue is edited by administrators, the placeholders are filled in
by code; this is the contract between the two. ``knowledge check`` reports a file that breaks it,
and tests/test_messages.py reports code that breaks it.
"""

from __future__ import annotations

#: key -> names of the placeholders the code passes (empty: a fixed sentence). One section per
#: capability (the texts: knowledge/messages/<capability>.yaml); keep each section's keys together.
KEYS: dict[str, tuple[str, ...]] = {
    # ---- system (knowledge/messages/system.yaml)
    "system.apology": (),
    # ---- end of system
    #
    #
    # ---- dialog: the conversation engine's capabilities (knowledge/messages/dialog.yaml …)
    "dialog.apology": (),
    "dialog.expired": (),
    "dialog.recent_button": ("payload",),
    "dialog.recent_start": (),
    "dialog.btn_menu_disclosure": (),
    "dialog.btn_menu_archive": (),
    "dialog.btn_menu_events": (),
    "dialog.btn_menu_warnings": (),
    "dialog.btn_menu_faq": (),
    "dialog.btn_human": (),
    "dialog.btn_flow_disclosure": (),
    "dialog.btn_flow_archive": (),
    "dialog.btn_flow_events": (),
    "dialog.btn_flow_warnings": (),
    "dialog.btn_status": (),
    "dialog.status_none": (),
    "dialog.status_none_offer": (),
    "dialog.status_head": ("count",),
    "dialog.status_item": ("kind", "reference", "status"),
    "dialog.status_more": ("count",),
    "dialog.status_tail": (),
    "dialog.reference_not_found": ("reference",),
    "dialog.reference_status": ("status",),
    "dialog.reference_office": ("office",),
    "dialog.reference_history": (),
    "dialog.dates_received": ("date",),
    "dialog.dates_reply_due": ("due",),
    "dialog.dates_due": ("due",),
    "dialog.dates_due_unknown": (),
    "dialog.nothing_to_cancel": (),
    "dialog.nothing_to_cancel_choose": (),
    "dialog.no_draft": (),
    "dialog.thanks_for_rating": (),
    "dialog.misunderstood": (),
    "dialog.help_in_form": (),
    "dialog.greeting": (),
    "dialog.faq": (),
    "dialog.btn_signals": (),
    "dialog.btn_book": (),
    "dialog.btn_event_details": (),
    "dialog.events_head": ("upcoming",),
    "dialog.event_not_found": (),
    "dialog.btn_resume": (),
    "dialog.btn_discard": (),
    "dialog.draft_offer": ("filled", "title"),
    "dialog.draft_resumed": ("title",),
    "dialog.draft_discarded": (),
    "dialog.draft_form_withdrawn": (),
    "dialog.choose_below": (),
    "dialog.list_separator": (),
    # ---- end of dialog
    #
    #
    # ---- walk: the form walk, its confirmation and submission (knowledge/messages/walk.yaml)
    "walk.unavailable": (),
    "walk.current_value": ("value",),
    "walk.btn_skip": (),
    "walk.busy_with_form": ("title",),
    "walk.required": (),
    "walk.unfilled_left": (),
    "walk.first_field": (),
    "walk.untitled": (),
    "walk.cancel_ask": ("title",),
    "walk.btn_cancel_yes": (),
    "walk.btn_cancel_no": (),
    "walk.cancelled": ("title",),
    "walk.continue": (),
    "walk.btn_cancel_filling": (),
    "walk.cannot_answer": (),
    "walk.fill_in_here": ("label",),
    "walk.empty": (),
    "walk.btn_cancel_application": (),
    "walk.hard_field": ("explain", "reason"),
    "walk.archive_not_accepting": ("archive",),
    "walk.stale_choice": ("changed", "label"),
    "walk.edited": ("label",),
    "walk.kept_after_back": ("labels",),
    "walk.confirm_hint": (),
    "walk.btn_confirm": (),
    "walk.btn_edit": (),
    "walk.btn_cancel": (),
    "walk.not_submitted_yet": ("title",),
    "walk.field_not_found": ("query",),
    "walk.which_field": (),
    "walk.one_left": (),
    "walk.received_non_working": (),
    "walk.due_unknown": (),
    "walk.office_unknown": (),
    # ---- end of walk
    #
    #
    # ---- handover: 人工服务, the handover to staff (knowledge/messages/handover.yaml)
    "handover.btn_end": (),
    "handover.opened": ("draft_kept", "reference"),
    "handover.draft_kept": ("title",),
    "handover.ack": ("reference",),
    "handover.in_progress": ("reference",),
    "handover.closed": (),
    "handover.ended": (),
    "handover.not_in_handover": (),
    # ---- end of handover
    #
    #
    # ---- rights: data rights: /mydata and /forget (knowledge/messages/rights.yaml)
    "rights.btn_forget": (),
    "rights.btn_yes": (),
    "rights.btn_no": (),
    "rights.expired": (),
    "rights.none": (),
    "rights.mydata_head": (),
    "rights.mydata_draft": ("filled", "title"),
    "rights.mydata_no_draft": (),
    "rights.mydata_field": ("label", "value"),
    "rights.mydata_recent": ("count",),
    "rights.mydata_requests": ("count",),
    "rights.mydata_more": ("count",),
    "rights.mydata_no_requests": (),
    "rights.mydata_request_forgotten": (),
    "rights.mydata_request_handover": (),
    "rights.mydata_subscriptions": ("topics",),
    "rights.mydata_ratings": ("count", "down", "up"),
    "rights.mydata_no_ratings": (),
    "rights.mydata_tail": (),
    "rights.forget_ask": (),
    "rights.forget_ask_deleted": (),
    "rights.forget_ask_kept": ("count",),
    "rights.kept": (),
    "rights.forgotten": (),
    "rights.forgotten_kept": ("references",),
    "rights.forgotten_tail": (),
    # ---- end of rights
    #
    #
    # ---- subscribe: 预警订阅 and 活动提醒 (knowledge/messages/subscribe.yaml)
    "subscribe.topic_events": (),
    "subscribe.topic_warnings": (),
    "subscribe.btn_subscribe": ("topic",),
    "subscribe.btn_unsubscribe": ("topic",),
    "subscribe.btn_confirm": (),
    "subscribe.btn_decline": (),
    "subscribe.some_office": (),
    "subscribe.warnings_service": ("content", "office"),
    "subscribe.warnings_about": (),
    "subscribe.warnings_subscribed_already": (),
    "subscribe.warnings_already": (),
    "subscribe.warnings_confirm": (),
    "subscribe.warnings_done": (),
    "subscribe.declined": (),
    "subscribe.events_done": (),
    "subscribe.events_already": (),
    "subscribe.how_to_stop": (),
    "subscribe.unsubscribed": ("topic",),
    "subscribe.not_subscribed": ("topic",),
    "subscribe.none": (),
    "subscribe.which": (),
    # ---- end of subscribe
    #
    #
    # ---- desk: the staff desk (knowledge/messages/desk.yaml)
    # ---- end of desk
    #
    #
    # ---- forms and validators (knowledge/messages/forms.yaml)
    # ---- end of forms
    #
    #
    # ---- answers, events, archives (knowledge/messages/answers.yaml)
    # ---- end of answers
}
