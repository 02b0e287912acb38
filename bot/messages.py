"""Every sentence a resident or staff member reads, by key, from ``knowledge/messages/*.yaml``.

Why: the office reviews and changes its own wording without a programmer (Rasa keeps responses
in the domain file for the same reason), and one sentence is phrased once, not differently in
every module that says it.

- ``knowledge/messages/*.yaml`` (one file per capability) map a dotted key to a text with
  named placeholders: ``handover.ack: 已转给工作人员，工作时间（{hours}）内回复。``
- ``bot/message_keys/`` declares each key and the placeholders the code fills in. The loader
  checks the file against it: an unknown key, a key the code needs but the file lacks, a missing
  placeholder or an extra one are problems naming file, key and field, like every other
  knowledge file; ``/reload`` swaps the catalogue with the rest of the knowledge.
- Code asks ``catalogue.text("handover.ack", hours=...)``; a test walks the code and checks
  every call against the declarations, so a typo in a key fails the suite, not a resident's chat.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.message_keys import KEYS

if TYPE_CHECKING:
    from bot.knowledge import KnowledgeLike, Problem

FOLDER = "messages"
_FORMATTER = string.Formatter()


class MessageError(KeyError):
    """A key or placeholder the catalogue does not declare: a programming error, caught by tests."""


def placeholders(text: str) -> set[str]:
    """Named fields of a template; raises ValueError on positional, indexed or malformed fields."""
    names: set[str] = set()
    for _literal, name, _spec, _conversion in _FORMATTER.parse(text):
        if name is None:
            continue
        if not name.isidentifier():
            raise ValueError(f"placeholder {{{name}}} must be a plain name such as {{reference}}")
        names.add(name)
    return names


@dataclass(frozen=True)
class Catalogue:
    """The office's texts; ``text`` fills placeholders, checked against the declared ones."""

    texts: dict[str, str] = field(default_factory=dict)

    def text(self, key: str, /, **values: Any) -> str:
        declared = KEYS.get(key)
        if declared is None:
            raise MessageError(f"undeclared message key {key!r} (add it to bot/message_keys/)")
        if set(values) != set(declared):
            raise MessageError(f"{key}: placeholders {sorted(values)} given, {sorted(declared)} declared")
        template = self.texts.get(key)
        if template is None:  # a catalogue that failed validation is never installed; belt and braces
            raise MessageError(f"message {key!r} missing from knowledge/{FOLDER}/")
        return template.format(**values)

    __call__ = text


def check_texts(texts: dict[str, Any], rel: str, where: dict[str, str] | None = None) -> list[Problem]:
    """Problems with a parsed messages file, against the declarations in bot/message_keys/."""
    from bot.knowledge import Problem

    problems: list[Problem] = []
    for key, value in texts.items():
        if key not in KEYS:
            message = "unknown message key (no code uses it); check the spelling"
            problems.append(Problem(_where(key, where, rel), str(key), "key", message))
            continue
        if isinstance(value, dict | list):
            problems.append(
                Problem(
                    _where(key, where, rel), key, "text", "a text that starts with { or [ must be in quotes"
                )
            )
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(_where(key, where, rel), key, "text", "must be a non-empty text"))
            continue
        try:
            found = placeholders(value)
        except ValueError as exc:
            problems.append(Problem(_where(key, where, rel), key, "text", str(exc)))
            continue
        declared = set(KEYS[key])
        for name in sorted(declared - found):
            problems.append(
                Problem(_where(key, where, rel), key, "text", f"placeholder {{{name}}} is missing")
            )
        for name in sorted(found - declared):
            allowed = ", ".join(f"{{{n}}}" for n in sorted(declared)) or "none"
            problems.append(
                Problem(
                    _where(key, where, rel),
                    key,
                    "text",
                    f"unknown placeholder {{{name}}} (allowed: {allowed})",
                )
            )
    for key in sorted(set(KEYS) - set(texts)):
        problems.append(Problem(rel, key, "key", "message missing: the assistant needs this text"))
    return problems


def _where(key: str, where: dict[str, str] | None, default: str) -> str:
    return (where or {}).get(key, default)


def load_messages(knowledge: KnowledgeLike, problems: list[Problem]) -> Catalogue:
    from bot.knowledge import Problem, _rel, read_yaml

    folder = knowledge.root / FOLDER
    rel_folder = _rel(folder, knowledge.root)
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        problems.append(
            Problem(rel_folder, "", "", "no message files: every sentence the assistant says is kept here")
        )
        return Catalogue()
    texts: dict[str, Any] = {}
    where: dict[str, str] = {}
    for path in files:
        rel = _rel(path, knowledge.root)
        before = len(problems)
        data = read_yaml(path, problems, knowledge.root)
        if data is None and len(problems) > before:
            continue
        data = {} if data is None else data
        if not isinstance(data, dict):
            problems.append(Problem(rel, "", "", "expected key: text pairs"))
            continue
        for key, value in data.items():
            key = str(key)
            if key in where:
                problems.append(Problem(rel, key, "key", f"defined twice (also in {where[key]})"))
                continue
            texts[key], where[key] = value, rel
    problems.extend(check_texts(texts, rel_folder, where))
    return Catalogue({k: v for k, v in texts.items() if isinstance(v, str)})


def catalogue_of(knowledge: Any) -> Catalogue:
    """The catalogue loaded with this knowledge (an empty one for stand-ins in tests)."""
    extras = getattr(knowledge, "extras", {})
    return extras.get("messages") or Catalogue()
