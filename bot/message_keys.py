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
    # ---- end of dialog
    #
    #
    # ---- desk: the staff desk (knowledge/messages/desk.yaml)
    # ---- end of desk
    #
    #
    # ---- forms and validators (knowledge/messages/forms.yaml)
    "forms.doc_resident_id": (),
    "forms.doc_residence_permit": (),
    "forms.doc_foreign_permanent": (),
    "forms.id_empty": ('label',),
    "forms.id_bad_chars": ('label',),
    "forms.id_x_inside": ('label',),
    "forms.id_length": ('count', 'label'),
    "forms.id_bad_birth": ('digits', 'label'),
    "forms.id_future_birth": ('birth', 'label'),
    "forms.id_check_digit": ('label',),
    "forms.id_old_15": (),
    "forms.id_area": ('area',),
    "forms.permit_area": (),
    "forms.travel_permit": (),
    "forms.foreign_permanent": (),
    "forms.passport": (),
    "forms.uscc_empty": (),
    "forms.uscc_length": ('count',),
    "forms.uscc_bad_chars": ('chars',),
    "forms.uscc_prefix": (),
    "forms.uscc_check_digit": (),
    "forms.uscc_invalid": (),
    "forms.mobile_is_fixed": (),
    "forms.mobile_empty": (),
    "forms.mobile_foreign": (),
    "forms.mobile_length": ('count',),
    "forms.mobile_invalid": (),
    "forms.phone_empty": (),
    "forms.phone_area_code": (),
    "forms.phone_invalid": (),
    "forms.email_empty": (),
    "forms.email_no_at": (),
    "forms.email_too_long": (),
    "forms.email_invalid": (),
    "forms.contact_or_email": ('reason',),
    "forms.text_empty": (),
    "forms.text_too_short": ('count', 'min_len'),
    "forms.text_too_long": ('count', 'max_len'),
    "forms.name_has_digits": (),
    "forms.name_is_sentence": (),
    "forms.name_field_has_digits": ('label',),
    "forms.choice_empty": ('listing',),
    "forms.choice_no_such_number": ('listing', 'number'),
    "forms.choice_and": (),
    "forms.choice_two_at_once": ('both', 'listing', 'typed'),
    "forms.choice_ambiguous": ('listing', 'matches', 'typed'),
    "forms.choice_unknown": ('listing', 'typed'),
    "forms.int_example": ('example', 'max_value', 'min_value'),
    "forms.int_unreadable": ('example',),
    "forms.int_negative": ('example',),
    "forms.int_decimal": ('example',),
    "forms.int_range_given": ('example',),
    "forms.int_too_small": ('example', 'min_value'),
    "forms.int_too_large": ('example', 'max_value'),
    "forms.year_hint": ('this_year',),
    "forms.year_unreadable": ('hint',),
    "forms.year_out_of_range": ('hint', 'this_year', 'year'),
    "forms.year_reversed": ('end', 'start'),
    "forms.date": ('day', 'month', 'year'),
    "forms.date_span": ('end', 'start'),
    "forms.date_span_typed": ('end', 'start'),
    "forms.example_range": ('end_day', 'end_month', 'start_day', 'start_month'),
    "forms.date_hint": ('example_date', 'example_range'),
    "forms.date_unreadable": ('hint',),
    "forms.date_past": ('date', 'today'),
    "forms.date_next_year": ('passed', 'shown', 'typed'),
    "forms.date_end_before_start": ('end', 'start'),
    "forms.date_invalid_full": ('day', 'month', 'year'),
    "forms.date_invalid": ('day', 'month'),
    "forms.not_filled": (),
    "forms.request_name": ('kind',),
    "forms.help_resident_id": (),
    "forms.help_uscc": (),
    "forms.help_mobile": (),
    "forms.help_contact": (),
    "forms.help_person_name": (),
    "forms.help_identity_document": (),
    "forms.help_phone": (),
    "forms.help_email": (),
    "forms.help_choice": (),
    "forms.help_year_range": (),
    "forms.help_date_range": ('example_date', 'example_range'),
    "forms.help_positive_int": (),
    "forms.help_text": (),
    "forms.help_choices": ('choices',),
    "forms.help_example": ('example',),
    "forms.help_optional": (),
    # ---- end of forms
    #
    #
    # ---- answers, events, archives (knowledge/messages/answers.yaml)
    # ---- end of answers
}
