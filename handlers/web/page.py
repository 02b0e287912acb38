"""The chat page's own words, from the office's catalogue (knowledge/messages/web.yaml): the
HTML's labels are filled in on the server (escaped), and what chat.js shows itself travels in
the page as a JSON data block, so that the office changes the page's wording as it changes every
other sentence, without touching HTML or JavaScript."""

from __future__ import annotations

import html
import json
import re

from bot.messages import Catalogue

_SLOT = re.compile(r"\{\{(\w+)\}\}")


def page_words(msgs: Catalogue) -> dict[str, str]:
    """The HTML's labels, by the name of their ``{{slot}}`` in index.html."""
    return {
        "title": msgs.text("web.page_title"),
        "skip": msgs.text("web.page_skip"),
        "settings": msgs.text("web.page_settings"),
        "large": msgs.text("web.page_large"),
        "contrast": msgs.text("web.page_contrast"),
        "close": msgs.text("web.page_close"),
        "close_label": msgs.text("web.page_close_label"),
        "log": msgs.text("web.page_log"),
        "input_label": msgs.text("web.page_input_label"),
        "placeholder": msgs.text("web.page_placeholder"),
        "send": msgs.text("web.page_send"),
        "hint": msgs.text("web.page_hint"),
        "noscript": msgs.text("web.page_noscript"),
    }


def script_words(msgs: Catalogue) -> dict[str, str]:
    """What chat.js writes itself (who said a message, the rating buttons, network trouble)."""
    return {
        "me": msgs.text("web.js_me"),
        "bot": msgs.text("web.js_bot"),
        "staff": msgs.text("web.js_staff"),
        "actions": msgs.text("web.js_actions"),
        "rating": msgs.text("web.js_rating"),
        "useful": msgs.text("web.js_useful"),
        "useless": msgs.text("web.js_useless"),
        "unstable": msgs.text("web.js_unstable"),
        "offline": msgs.text("web.js_offline"),
        "busy": msgs.text("web.js_busy"),
        "replying": msgs.text("web.js_replying"),
        "empty": msgs.text("web.err_empty"),
    }


def render_widget(template: str, msgs: Catalogue) -> bytes:
    """widget.js with the button's default label as a JavaScript string literal (JSON: quotes
    and backslashes in the office's wording cannot break out of it)."""
    label = json.dumps(msgs.text("web.widget_label"), ensure_ascii=False)
    return template.replace("{{widget_label}}", label).encode("utf-8")


def render_page(template: str, msgs: Catalogue) -> bytes:
    """index.html with its slots filled: labels escaped for HTML, chat.js's words as JSON that
    cannot close its <script> element (``<`` written as ``\\u003c``)."""
    words = {k: html.escape(v) for k, v in page_words(msgs).items()}
    words["script_words"] = json.dumps(script_words(msgs), ensure_ascii=False).replace("<", "\\u003c")

    def fill(m: re.Match[str]) -> str:
        return words[m.group(1)]  # a slot without a word is a programming error: KeyError

    return _SLOT.sub(fill, template).encode("utf-8")
