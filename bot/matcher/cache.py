"""The built index on disk, so that a restart or a /reload of unchanged knowledge does not
segment a province's texts again (issue 15). marshal: plain data only, which runs no code when
read; written atomically; keyed by a hash of the knowledge files, this code and the versions.

A file is two marshal records: the index (its length first), then the labelled questions' arrays,
which are streamed from the file rather than read into one buffer and copied out of it: their
14 MB would otherwise be held twice while the bot starts (the peak RSS the benchmark reports)."""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
from pathlib import Path
from typing import Any

from bot.jieba_import import jieba
from bot.knowledge import Knowledge
from bot.knowledge_cache import write_atomically
from bot.matcher.tokens import _cache_dir

log = logging.getLogger(__name__)

#: Bump when what the index builder derives changes shape or meaning.
INDEX_FORMAT = 10
#: Index files kept in the cache dir (the newest; a province keeps one or two knowledge versions).
INDEX_FILES_KEPT = 4
#: Modules of bot/ the index depends on besides this package's own (all of bot/matcher/*.py).
_INDEX_SOURCES = ("text.py", "passages.py", "knowledge.py", "knowledge_model.py", "knowledge_files.py")


def _index_key(knowledge: Knowledge) -> str | None:
    """A hash of everything the built index depends on: the knowledge files, this code, the
    package and jieba versions. None when the knowledge has no directory to hash."""
    root = getattr(knowledge, "root", None)
    if root is None or not Path(root).is_dir() or os.environ.get("CITIZEN_BOT_INDEX_CACHE") == "0":
        return None
    try:
        from importlib.metadata import version

        package = version("citizen-bot")
    except Exception:  # pragma: no cover - running from a source tree without metadata
        package = "source"
    digest = hashlib.sha256(f"{INDEX_FORMAT}|{package}|{jieba.__version__}|{sys.version}".encode())
    here = Path(__file__).resolve().parent
    sources = [(f"matcher/{p.name}", p) for p in sorted(here.glob("*.py"))]
    sources += [(name, here.parent / name) for name in _INDEX_SOURCES]
    try:
        for name, source in sources:
            digest.update(name.encode() + b"\0" + source.read_bytes())
        for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()[:40]


def _read_index(key: str, ids: list[str]) -> dict[str, Any] | None:
    """The cached index for `key`, or None when missing, unreadable or not for these entries."""
    try:
        with (_cache_dir() / f"matcher-index-{key}.bin").open("rb") as fh:
            size = int.from_bytes(fh.read(8), "little")
            head = fh.read(size)
            if size == 0 or len(head) != size:
                return None
            data = marshal.loads(head)
            del head
            if not isinstance(data, dict) or data.get("format") != INDEX_FORMAT or data.get("key") != key:
                return None
            if [d[0] for d in data["docs"]] != ids:
                return None
            data["labelled"] = marshal.load(fh)  # a few large arrays: few reads, no copy held
        if not isinstance(data["labelled"], dict):
            return None
        return data
    except Exception:  # a missing, truncated or foreign file: rebuild
        return None


def _write_index(key: str, index: dict[str, Any]) -> None:
    """Atomically (temp file + rename): a reader never sees half a file. Best effort."""
    try:
        folder = _cache_dir()
        own = {k: v for k, v in index.items() if k != "labelled"}
        head = marshal.dumps({**own, "format": INDEX_FORMAT, "key": key})
        blob = len(head).to_bytes(8, "little") + head + marshal.dumps(index.get("labelled") or {})
        write_atomically(folder / f"matcher-index-{key}.bin", blob)
        old = sorted(folder.glob("matcher-index-*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[INDEX_FILES_KEPT:]:
            stale.unlink(missing_ok=True)
    except Exception as exc:  # a read-only or full disk costs start-up time, nothing else
        log.warning("matcher index not cached: %s", type(exc).__name__)
