"""Load and validate the administrators' knowledge files into typed entries.

Administrators edit YAML, not code, so every problem is reported with the file, the entry id
and the field it concerns, and all problems are collected before failing: one run of
`citizen-bot knowledge check` shows everything that needs fixing.

The layers, bottom up: ``bot.knowledge_model`` (the typed entries, ``Knowledge``, ``Problem``),
``bot.knowledge_files`` (reading one YAML file safely), ``bot.extensions`` (the loaders of forms,
events, messages ...), and this module, which loads a whole knowledge directory. The names of
the two lower modules are re-exported here, so ``from bot.knowledge import Problem`` keeps working.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot import extensions, knowledge_cache
from bot.knowledge_files import (
    MAX_DEPTH,
    MAX_FIELD_CHARS,
    MAX_FILE_BYTES,
    _rel,
    read_yaml,
    validation_problems,
)
from bot.knowledge_model import (
    BUNDLED_KNOWLEDGE,
    ID_PATTERN,
    KNOWN_FLOWS,
    NOT_PUBLISHED,
    AdminModel,
    ChatFile,
    ChatIntent,
    Department,
    Duty,
    DutyRow,
    Entry,
    Knowledge,
    KnowledgeError,
    KnowledgeLike,
    Located,
    Policy,
    PolicySection,
    Problem,
    Service,
    SynonymPattern,
)

__all__ = [
    "BUNDLED_KNOWLEDGE",
    "ID_PATTERN",
    "KNOWN_FLOWS",
    "MAX_DEPTH",
    "MAX_FIELD_CHARS",
    "MAX_FILE_BYTES",
    "NOT_PUBLISHED",
    "REQUIRED_CHAT_INTENTS",
    "AdminModel",
    "ChatFile",
    "ChatIntent",
    "Department",
    "Duty",
    "DutyRow",
    "Entry",
    "Knowledge",
    "KnowledgeError",
    "KnowledgeLike",
    "Located",
    "Policy",
    "PolicySection",
    "Problem",
    "Service",
    "_rel",
    "load_knowledge",
    "load_synonyms",
    "read_yaml",
    "validation_problems",
]


def _load_department(path: Path, root: Path, problems: list[Problem]) -> Department | None:
    """Validate entry by entry: one broken entry is reported and left out, the rest still load
    (so links from events and forms to the other entries keep resolving)."""
    data = read_yaml(path, problems, root)
    if data is None:
        return None
    rel = _rel(path, root)
    if not isinstance(data, dict):
        problems.append(Problem(rel, "", "", "must be a mapping with id, name, duties, services, policies"))
        return None
    models = {"duties": (Duty, "duty"), "services": (Service, "service"), "policies": (Policy, "policy")}
    good: dict[str, list[Any]] = {}
    for key, (model, kind) in models.items():
        items = data.get(key) or []
        if not isinstance(items, list):
            problems.append(Problem(rel, "", key, "must be a list of entries"))
            items = []
        good[key] = []
        for item in items:
            try:
                entry = model.model_validate(item)
            except ValidationError as exc:
                entry_id = item.get("id", f"{key}[{items.index(item)}]") if isinstance(item, dict) else key
                problems.extend(
                    Problem(rel, str(entry_id), ".".join(str(x) for x in err["loc"]), err["msg"])
                    for err in exc.errors()
                )
                continue
            expected = f"{data.get('id')}/{kind}/{entry.number}"
            if entry.id != expected:
                problems.append(
                    Problem(rel, entry.id, "id", f"must be {expected!r} (department/kind/number)")
                )
            good[key].append(entry)
    header = {k: v for k, v in data.items() if k not in models}
    try:
        return Department.model_validate(header | good)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, rel, data))
        return None


def load_synonyms(
    path: Path, root: Path, problems: list[Problem]
) -> tuple[dict[str, str], tuple[SynonymPattern, ...]]:
    """synonyms.yaml: the word list (`synonyms`) and the optional regular expressions (`patterns`)."""
    data = read_yaml(path, problems, root)
    rel = _rel(path, root)
    if data is None:
        return {}, ()
    patterns = _synonym_patterns(data, rel, problems)
    mapping = data.get("synonyms") if isinstance(data, dict) else None
    if not isinstance(mapping, dict):
        problems.append(Problem(rel, "", "synonyms", "must be a mapping of colloquial word -> official term"))
        return {}, patterns
    result: dict[str, str] = {}
    for word, official in mapping.items():
        if not isinstance(official, str) or not str(word).strip() or not official.strip():
            problems.append(
                Problem(rel, str(word), "synonyms", "both the word and its official term must be text")
            )
            continue
        result[str(word).strip()] = official.strip()
    return result, patterns


def _synonym_patterns(data: Any, rel: str, problems: list[Problem]) -> tuple[SynonymPattern, ...]:
    """synonyms.yaml's optional `patterns`: each `match` (a regular expression) adds `adds`.

    Entries are named by their position (`patterns[3]`), as administrators count them."""
    items = data.get("patterns") if isinstance(data, dict) else None
    if items is None:
        return ()
    if not isinstance(items, list):
        shape = "must be a list of {match: regular expression, adds: term}"
        problems.append(Problem(rel, "", "patterns", shape))
        return ()
    found: list[SynonymPattern] = []
    for i, item in enumerate(items):
        where = f"patterns[{i}]"
        if not isinstance(item, dict):
            problems.append(Problem(rel, where, "", "must be a mapping with `match` and `adds`"))
            continue
        unknown = sorted(set(map(str, item)) - {"match", "adds"})
        if unknown:
            problems.append(Problem(rel, where, unknown[0], "unknown field (only `match` and `adds`)"))
        match, adds = item.get("match"), item.get("adds")
        if not isinstance(adds, str) or not adds.strip():
            problems.append(Problem(rel, where, "adds", "the official term to add must be text"))
            continue
        if not isinstance(match, str) or not match.strip():
            problems.append(Problem(rel, where, "match", "the regular expression must be text"))
            continue
        try:
            compiled = re.compile(match)
        except re.error as exc:
            problems.append(Problem(rel, where, "match", f"not a valid regular expression: {exc}"))
            continue
        if compiled.search(""):
            empty = "matches an empty question; it would add to every one"
            problems.append(Problem(rel, where, "match", empty))
            continue
        found.append(SynonymPattern(compiled, adds.strip()))
    return tuple(found)


def load_knowledge(root: Path | str = BUNDLED_KNOWLEDGE) -> Knowledge:
    """Load every knowledge file under `root`, or raise KnowledgeError listing all problems.

    Files whose bytes were parsed before are not parsed again (`bot.knowledge_cache`); every
    entry is still validated."""
    root = Path(root)
    if not root.is_dir():
        raise KnowledgeError([Problem(str(root), "", "", "knowledge directory not found")])
    with knowledge_cache.gc_paused(), knowledge_cache.parsed_files(root):
        return _load_knowledge(root)


def _load_knowledge(root: Path) -> Knowledge:
    problems: list[Problem] = []

    loaded: list[tuple[Department, Path]] = []
    dept_files = sorted((root / "departments").glob("*.yaml"))
    if not dept_files:
        problems.append(Problem(_rel(root / "departments", root), "", "", "no department files (*.yaml)"))
    for path in dept_files:
        dept = _load_department(path, root, problems)
        if dept:
            loaded.append((dept, path))
    departments = [dept for dept, _ in loaded]

    chat = _load_chat(root / "chat.yaml", root, problems)
    synonyms, synonym_patterns = load_synonyms(root / "synonyms.yaml", root, problems)

    seen: dict[str, str] = {}
    for dept, path in loaded:  # a file that failed to load has no entries to compare
        rel = _rel(path, root)
        for entry in dept.entries():
            if entry.id in seen:
                problems.append(Problem(rel, entry.id, "id", f"duplicate id (also in {seen[entry.id]})"))
            seen[entry.id] = rel
    if chat:
        chat_rel = _rel(root / "chat.yaml", root)
        for intent in chat.intents:
            if intent.id in seen:
                also = f"duplicate id (also in {seen[intent.id]})"
                problems.append(Problem(chat_rel, intent.id, "id", also))
            seen[intent.id] = chat_rel

    if chat is None:  # everything downstream needs the chat texts; report what we have
        raise KnowledgeError(problems)
    knowledge = Knowledge(
        root=root, departments=departments, chat=chat, synonyms=synonyms, synonym_patterns=synonym_patterns
    )
    extensions.load_all(knowledge, problems)
    if problems:
        raise KnowledgeError(problems)
    return knowledge


REQUIRED_CHAT_INTENTS = ("chat/greeting", "chat/thanks", "chat/help", "chat/human", "chat/status")


def _load_chat(path: Path, root: Path, problems: list[Problem]) -> ChatFile | None:
    data = read_yaml(path, problems, root)
    rel = _rel(path, root)
    if data is None:
        return None
    try:
        chat = ChatFile.model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, rel, data))
        return None
    ids = {i.id for i in chat.intents}
    for required in REQUIRED_CHAT_INTENTS:
        if required not in ids:
            problems.append(Problem(rel, required, "intents", "required intent is missing"))
    return chat
