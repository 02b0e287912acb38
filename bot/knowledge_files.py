"""Reading one knowledge YAML file safely, and turning what is wrong with it into ``Problem``s
that name the file, the entry and the field (``bot.knowledge`` and every extension loader use it).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot import knowledge_cache
from bot.knowledge_model import Problem

#: Limits on what a knowledge file may hold. The bundled files are under 80 KB with no text
#: over 300 characters and six levels of nesting, but for labelled_questions.yaml (1.1 MB in
#: round 20, and growing as staff file residents' questions); the limits leave room for growth
#: while a pasted document, an alias bomb or a thousand nested brackets is refused with its place.
MAX_FILE_BYTES = 4_000_000
#: labelled_questions.yaml alone may be larger: it is the residents' questions filed by staff and
#: the blind sets' joined ones (4.0 MB with 56,000 questions in round 34), one short line each.
MAX_LABELLED_BYTES = 16_000_000
MAX_FIELD_CHARS = 5_000
MAX_DEPTH = 32

#: libyaml's parser when installed (several times faster), else PyYAML's own; both safe loaders.
_SafeBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DatesAsText(_SafeBase):  # type: ignore[misc, valid-type]
    """Safe loader that leaves dates as text: the models parse them, so an impossible date
    (2027-02-30) is reported with its entry and field instead of crashing the whole load."""


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def _mapping_without_repeats(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    """A mapping whose keys are each written once: YAML keeps the last of two equal keys without
    a word, so an administrator's second `soaked:` would silently replace the first."""
    loader.flatten_mapping(node)
    first: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in first:
            twice = f"key {key!r} is written twice (first on line {first[key] + 1})"
            raise yaml.constructor.ConstructorError(None, None, twice, key_node.start_mark)
        first[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=True)


_DatesAsText.add_constructor("tag:yaml.org,2002:map", _mapping_without_repeats)


def _field_path(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _shape_problem(data: Any, rel: str) -> Problem | None:
    """The first alias, too-deep nesting or oversized text in a loaded file, with its entry and
    field; None when the file is plain data. Iterative, and every list or mapping is visited
    once, so an alias bomb (a billion strings in a few lines) is caught after a few steps:
    knowledge files must spell out their values, never share them with &anchor / *alias."""
    seen: set[int] = set()
    stack: list[tuple[Any, int, tuple[str | int, ...], str]] = [(data, 0, (), "")]
    while stack:
        value, depth, path, entry = stack.pop()
        where = _field_path(path)
        if isinstance(value, str):
            if len(value) > MAX_FIELD_CHARS:
                return Problem(
                    rel,
                    entry,
                    where,
                    f"text of {len(value):,} characters; a field holds at most {MAX_FIELD_CHARS:,}",
                )
            continue
        if not isinstance(value, dict | list):
            continue
        if id(value) in seen:
            return Problem(
                rel,
                entry,
                where,
                "uses a YAML alias (*name); write the value out in full (no anchors or aliases)",
            )
        seen.add(id(value))
        if depth >= MAX_DEPTH:
            return Problem(rel, entry, where, f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, list):
            stack.extend((item, depth + 1, (*path, i), entry) for i, item in reversed(list(enumerate(value))))
            continue
        own = value.get("id")
        if isinstance(own, str | int) and not isinstance(own, bool) and len(str(own)) <= 200:
            entry = str(own)
        for key, item in reversed(list(value.items())):
            if not isinstance(key, str | int | float | bool) or (isinstance(key, str) and len(key) > 200):
                return Problem(rel, entry, where, "a mapping key must be a short text")
            stack.append((item, depth + 1, (*path, str(key)), entry))
    return None


def read_yaml(path: Path, problems: list[Problem], root: Path, max_bytes: int = MAX_FILE_BYTES) -> Any:
    """Read one YAML file; unreadable, malformed, oversized or alias-using files become
    problems naming the file (and entry and field where there is one), not exceptions or hangs.

    Used by every loader (knowledge check, start-up and /reload all load through here). Within
    `load_knowledge`, a file whose bytes were parsed without a problem before is served from
    `bot.knowledge_cache` (the same plain data, without parsing or checking it again)."""
    rel = _rel(path, root)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            problems.append(
                Problem(rel, "", "", f"file is {size:,} bytes; a knowledge file holds at most {max_bytes:,}")
            )
            return None
        raw = path.read_bytes()
        cache = knowledge_cache.current()
        if cache is not None:  # within a knowledge load: these very bytes may be parsed already
            digest = knowledge_cache.file_digest(raw)
            hit, data = cache.get(str(path), digest)
            if hit:
                return data
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(rel, "", "", f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8"))
        return None
    except OSError as exc:
        problems.append(Problem(rel, "", "", f"cannot read: {exc.strerror}"))
        return None
    try:
        data = yaml.load(text, Loader=_DatesAsText)  # a safe loader: no arbitrary objects
    except RecursionError:  # PyYAML's pure-Python composer on deep nesting
        problems.append(Problem(rel, "", "", f"nested more than {MAX_DEPTH} levels deep"))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or exc
        if "nesting depth" in str(problem):
            problem = f"nested more than {MAX_DEPTH} levels deep"
        problems.append(Problem(rel, "", "", f"YAML syntax error{where}: {problem}"))
        return None
    shape = _shape_problem(data, rel)
    if shape is not None:
        problems.append(shape)
        return None
    if cache is not None:
        cache.put(str(path), digest, data)
    return data


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def validation_problems(
    exc: ValidationError,
    file: str,
    data: Any,
    list_keys: Iterable[str] = ("duties", "services", "policies", "intents"),
) -> list[Problem]:
    """Turn pydantic's error locations into (entry id, field) pairs an administrator recognises."""
    problems = []
    for err in exc.errors():
        loc = list(err["loc"])
        entry = ""
        if len(loc) >= 2 and loc[0] in list_keys and isinstance(loc[1], int):
            try:
                item = data[loc[0]][loc[1]]
                entry = str(item.get("id") or item.get("key") or f"{loc[0]}[{loc[1]}]")
            except (KeyError, IndexError, TypeError, AttributeError):
                entry = f"{loc[0]}[{loc[1]}]"
            loc = loc[2:]
        fieldname = ".".join(str(p) for p in loc)
        problems.append(Problem(file, entry, fieldname, err["msg"]))
    return problems
