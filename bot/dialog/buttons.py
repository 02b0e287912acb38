"""Buttons several capabilities show (the main menu, a person, the guided flows).

Labels come from the catalogue (knowledge/messages/dialog.yaml), payloads are fixed here:
the office may rename a button, the code still knows what pressing it means.
"""

from __future__ import annotations

from bot.dialog.types import Button
from bot.messages import Catalogue


def menu(msg: Catalogue) -> tuple[Button, ...]:
    """The main menu, shown with the welcome and whenever the resident is back at the start."""
    return (
        Button(msg.text("dialog.btn_menu_disclosure"), "menu:disclosure"),
        Button(msg.text("dialog.btn_menu_archive"), "menu:archive"),
        Button(msg.text("dialog.btn_menu_events"), "menu:events"),
        Button(msg.text("dialog.btn_menu_warnings"), "menu:warnings"),
        Button(msg.text("dialog.btn_menu_faq"), "menu:faq"),
        human(msg),
    )


def human(msg: Catalogue) -> Button:
    return Button(msg.text("dialog.btn_human"), "menu:human")


def end_human(msg: Catalogue) -> Button:
    return Button(msg.text("handover.btn_end"), "human:end")


def flow(msg: Catalogue, name: str | None) -> list[Button]:
    """The button that starts the guided flow a service entry names (none for other entries)."""
    if name == "disclosure":
        return [Button(msg.text("dialog.btn_flow_disclosure"), "menu:disclosure")]
    if name == "archive_lookup":
        return [Button(msg.text("dialog.btn_flow_archive"), "menu:archive")]
    if name == "events":
        return [Button(msg.text("dialog.btn_flow_events"), "menu:events")]
    if name == "warnings":
        return [Button(msg.text("dialog.btn_flow_warnings"), "menu:warnings")]
    return []
