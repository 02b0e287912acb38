"""Split a supervision rule into passages: the unit a question is answered from.

A passage is a paragraph, or a sub-heading such as （二）监督检查指标 together with the numbered
items under it, always within one top-level section (一、二、…). Matching and answering share
this split so that the passage that made an entry win is the passage the resident reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.knowledge import Duty, DutyRow, Knowledge, Policy

_HEADINGISH = re.compile(r"^[（(][一二三四五六七八九十]+[)）]|^\d+[.．、]|^[一二三四五六七八九十]+、")
_ITEM = re.compile(r"^\d+[.．、]|^[（(]\d+[)）]")


@dataclass(frozen=True)
class Passage:
    section: int  # index into policy.sections; -1 for the intro
    heading: str
    text: str


def is_subheading(text: str) -> bool:
    return len(text) <= 24 and not text.rstrip().endswith(("。", "；", ";")) and bool(_HEADINGISH.match(text))


def _is_item(text: str) -> bool:
    return bool(_ITEM.match(text))


def policy_passages(policy: Policy) -> list[Passage]:
    out: list[Passage] = []
    if policy.intro:
        out.append(Passage(-1, "", policy.intro))
    for n, section in enumerate(policy.sections):
        current: list[str] = []
        for paragraph in section.paragraphs:
            lone_heading = len(current) == 1 and is_subheading(current[0])
            if current and not lone_heading and (is_subheading(paragraph) or not _is_item(paragraph)):
                out.append(Passage(n, section.heading, "\n".join(current)))
                current = []
            current.append(paragraph)
        if current:
            out.append(Passage(n, section.heading, "\n".join(current)))
    return out


def row_text(row: DutyRow) -> str:
    """A duty row as an answer reads it for the question's words: the item and its office."""
    return f"{row.item} {row.office}"


def topic_text(policy: Policy) -> str:
    """The words that name a rule itself (its title and keywords): they chose the entry."""
    return " ".join([policy.title, *policy.keywords])


def answer_texts(knowledge: Knowledge) -> list[str]:
    """Every knowledge text an answer reads word by word (`bot.answers`): duty rows, a rule's
    topic, its passages and their headings. Read once when the index is built and kept with it,
    so that a rule's first answer does not segment all its passages (1,000+ characters)."""
    texts: list[str] = []
    for loc in knowledge.entries():
        entry = loc.entry
        if isinstance(entry, Duty):
            texts += [row_text(row) for row in entry.rows]
        elif isinstance(entry, Policy):
            texts.append(topic_text(entry))
            for passage in policy_passages(entry):
                texts += [passage.text, passage.heading]
    return list(dict.fromkeys(t for t in texts if t))
