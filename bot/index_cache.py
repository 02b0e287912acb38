"""The matcher's per-entry index on disk, so a restart does not segment the whole knowledge again.

Building the index runs jieba over every title, question, duty, service and policy passage: about
half of the matcher's build time and the largest part of a restart after jieba's own dictionary
(bench/startup.py). The result depends only on the knowledge files, on the code that segments
them and on jieba's dictionary, so it is cached under a key made of all three (any edit, upgrade
or /reload of changed files builds afresh). The cache is plain JSON (never pickle: a cache
folder must not be a way to run code), written atomically; any problem reading or writing it
just means building as before.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.knowledge import Knowledge, Located

log = logging.getLogger(__name__)

#: Set to a folder to keep the cache there (tests, benches); default: the user cache folder.
CACHE_ENV = "CITIZEN_BOT_CACHE_DIR"
FORMAT = 1
#: Source files whose code decides what the index holds.
_CODE = ("matcher.py", "text.py", "passages.py", "knowledge.py", "index_cache.py")


def cache_dir() -> Path:
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("citizen-bot"))


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:  # pragma: no cover - both are dependencies
        return "?"


def cache_key(knowledge: Knowledge) -> str | None:
    """Hash of the knowledge files, the indexing code and the library versions; None when the
    knowledge has no files to hash (built in memory)."""
    root = Path(knowledge.root) if getattr(knowledge, "root", None) else None
    if root is None or not root.is_dir():
        return None
    h = hashlib.sha256(f"format {FORMAT}\n".encode())
    for package in ("citizen-bot", "jieba", "pypinyin", "opencc"):
        h.update(f"{package} {_version(package)}\n".encode())
    here = Path(__file__).resolve().parent
    for name in _CODE:
        h.update(name.encode() + b"\0" + (here / name).read_bytes())
    for path in sorted(root.rglob("*.yaml")):
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _to_json(doc: Any) -> dict[str, Any]:
    return {
        "id": doc.loc.id,
        "head": [[sorted(u.terms), u.weight] for u in doc.head],
        "body": [[sorted(u.terms), u.weight] for u in doc.body],
        "examples": list(doc.examples),
        "terms": sorted(doc.terms),
    }


def _from_json(row: dict[str, Any], loc: Located) -> Any:
    from bot.matcher import _Doc, _Unit

    return _Doc(
        loc=loc,
        head=[_Unit(frozenset(terms), float(weight)) for terms, weight in row["head"]],
        body=[_Unit(frozenset(terms), float(weight)) for terms, weight in row["body"]],
        examples=[str(e) for e in row["examples"]],
        terms=set(row["terms"]),
    )


def build_docs(knowledge: Knowledge, build: Callable[[Located], Any]) -> list[Any]:
    """The matcher's documents for every entry: from the cache when its key matches, else
    built with ``build`` (the matcher's own method) and cached for the next start."""
    entries = list(knowledge.entries())
    try:
        key = cache_key(knowledge)
    except OSError:
        key = None
    path = cache_dir() / f"index-{key}.json" if key else None
    if path is not None:
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))
            if [row["id"] for row in rows] == [loc.id for loc in entries]:
                return [_from_json(row, loc) for row, loc in zip(rows, entries, strict=True)]
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("index cache %s unusable (%s); building the index", path.name, type(exc).__name__)
    docs = [build(loc) for loc in entries]
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps([_to_json(d) for d in docs], ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
            for old in path.parent.glob("index-*.json"):
                if old != path:
                    old.unlink(missing_ok=True)  # one knowledge version at a time
        except OSError as exc:
            log.warning("index cache not written (%s)", type(exc).__name__)
    return docs
