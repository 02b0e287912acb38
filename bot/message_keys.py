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
    # ---- end of forms
    #
    #
    # ---- answers, events, archives (knowledge/messages/answers.yaml)
    # ---- end of answers
}
