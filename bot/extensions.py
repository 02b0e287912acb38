"""Knowledge files beyond departments, chat and synonyms: forms, events, archives, holidays, messages.

Each loader reads its own file(s) under the knowledge root, appends Problems (file, entry,
field) for anything wrong, and returns its parsed value, stored in `Knowledge.extras[name]`.
Keeping the list here lets `load_knowledge` validate everything in one pass.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from bot.knowledge_model import Knowledge, Problem

#: name -> "module:function"; function(knowledge, problems) -> parsed value
LOADERS: dict[str, str] = {
    # first: the loaders below hand the catalogue to what they build (events, archives, guidance)
    "messages": "bot.messages:load_messages",
    "holidays": "bot.workdays:load_holidays",
    "forms": "bot.formspec:load_forms",
    "events": "bot.events:load_events",
    "archives": "bot.archives:load_archives",
    "outcomes": "bot.outcomes:load_outcomes",
    # issue 9: referral directory, this office's contacts, service intents, English terms
    "referrals": "bot.referrals:load_referrals",
    "contacts": "bot.referrals:load_contacts",
    "intents": "bot.referrals:load_intents",
    "bilingual": "bot.referrals:load_bilingual",
    # round 21: CC-CEDICT's English words for the knowledge's Chinese ones (generated)
    "english_unread": "bot.referrals:load_english_unread",
    "english_terms": "bot.referrals:load_english_terms",
    "guidance": "bot.guidance:load_guidance",
    # round 18: residents' questions filed under the entry that answers them
    "labelled": "bot.labelled:load_labelled",
}


def load_all(knowledge: Knowledge, problems: list[Problem]) -> None:
    for name, target in LOADERS.items():
        module_name, func_name = target.split(":")
        loader: Callable[[Knowledge, list[Problem]], Any] = getattr(import_module(module_name), func_name)
        knowledge.extras[name] = loader(knowledge, problems)
