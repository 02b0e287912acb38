"""The parsed knowledge files on disk, so that a restart does not parse a province's YAML again
(issue 15: at 100x knowledge, libyaml plus PyYAML's object construction and the shape checks
were three quarters of the start). Also home of the cache folder the matcher's caches share.

What is kept is exactly what `bot.knowledge_files.read_yaml` returned for a file that read
without a problem (plain data: dicts, lists, text, numbers), per file, keyed by a hash of the
file's bytes as read: a changed file is parsed again, so its problems are reported with file,
entry and field as before. Validation (pydantic) still runs on every load: only the parse is
skipped. One cache file per knowledge folder, tagged with a hash of the parsing code and the
YAML library versions (an upgrade or an edit of the parser discards it). marshal: plain data
only, which runs no code when read; written atomically; a damaged file is ignored.
"""

from __future__ import annotations

import contextvars
import gc
import hashlib
import logging
import marshal
import mmap
import os
import sys
import tempfile
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: Where the parsed knowledge, the matcher's index and jieba's dictionary are kept between
#: restarts (default: the user cache folder).
CACHE_ENV = "CITIZEN_BOT_CACHE_DIR"
#: Set to "0" to parse every file on every load.
PARSE_CACHE_ENV = "CITIZEN_BOT_PARSE_CACHE"
#: Bump when what is stored changes shape.
PARSE_FORMAT = 3
#: Parse-cache files kept (the newest; one per knowledge folder, tests make many).
PARSE_FILES_KEPT = 8


def _cache_dir() -> Path:
    from platformdirs import user_cache_dir

    path = Path(os.environ.get(CACHE_ENV) or user_cache_dir("citizen-bot"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_atomically(path: Path, blob: bytes) -> None:
    """`blob` into `path` through a temporary file and a rename: a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(prefix=path.stem + "-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def file_digest(raw: bytes) -> bytes:
    """What a file's cached parse is keyed by: a hash of its bytes."""
    return hashlib.sha256(raw).digest()


def _code_key() -> str:
    """The parsing code and libraries: a change to any of them discards every cached parse."""
    import yaml

    digest = hashlib.sha256(f"{PARSE_FORMAT}|{yaml.__version__}|{sys.version}".encode())
    try:
        from yaml import _yaml  # type: ignore[attr-defined]

        digest.update(str(_yaml.get_version_string()).encode())
    except ImportError:  # pragma: no cover - PyYAML without libyaml
        digest.update(b"pure")
    here = Path(__file__).resolve().parent
    for name in ("knowledge_files.py", "knowledge_cache.py"):
        digest.update(name.encode() + b"\0" + (here / name).read_bytes())
    return digest.hexdigest()


class ParsedFiles:
    """One knowledge folder's parsed files: those read from disk at the start of a load, and
    those the load parses anew (written back at its end when anything changed).

    The file is the files' marshalled data one after another, then a table (name -> digest of
    the source bytes, offset, length, crc32 of the data), the table's offset and a magic tag.
    It is mapped, not read, and written as the load goes, never held whole in memory: freeing
    a buffer of a province's ten megabytes raises glibc's mmap threshold, and the index built
    next then fragments the heap (9 MB more resident at 100x)."""

    MAGIC = b"CBKNOW01"

    def __init__(self, root: Path):
        self.path = _cache_dir() / f"knowledge-{hashlib.sha256(str(root).encode()).hexdigest()[:24]}.bin"
        self.code = _code_key()
        self.mapped: mmap.mmap | None = None
        self.end = 0  # where the old file's data ends (its table starts)
        #: name -> (digest of the source file, offset, length, crc32) in the old file
        self.old: dict[str, tuple[bytes, int, int, int]] = {}
        #: what this load read: name -> (from the old file?, its entry there or in the new file)
        self.now: dict[str, tuple[bool, tuple[bytes, int, int, int]]] = {}
        self.out: Any = None  # the new file, opened at the first file parsed anew
        self.tmp: str | None = None
        self.written = 0
        self.failed = False
        try:
            with self.path.open("rb") as fh:
                self.mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            size = len(self.mapped)
            if size >= 16 and self.mapped[size - 8 :] == self.MAGIC:
                end = int.from_bytes(self.mapped[size - 16 : size - 8], "little")
                table = marshal.loads(self.mapped[end : size - 16])
                ours = isinstance(table, dict) and table.get("format") == PARSE_FORMAT
                if ours and table.get("code") == self.code and isinstance(table.get("files"), dict):
                    self.old, self.end = table["files"], end
        except Exception:  # missing, empty, truncated or foreign: parse everything
            self.old = {}

    def get(self, name: str, digest: bytes) -> tuple[bool, Any]:
        """(True, the data) when `name` was parsed from exactly these bytes before."""
        held = self.old.get(name)
        try:
            known, start, length, crc = held  # type: ignore[misc]
            if known != digest or start < 0 or length <= 0 or start + length > self.end:
                return False, None
            payload = self.mapped[start : start + length]  # type: ignore[index]
            if zlib.crc32(payload) != crc:
                return False, None
            data = marshal.loads(payload)  # a fresh copy per read: loaders may change what they get
        except Exception:  # no entry, or a damaged one: parse the file
            return False, None
        self.now[name] = (True, held)  # type: ignore[assignment]
        return True, data

    def digest_of(self, name: str) -> bytes | None:
        """The digest of the bytes this load read for `name` (None: not read through the cache)."""
        held = self.now.get(name)
        return held[1][0] if held else None

    def put(self, name: str, digest: bytes, data: Any) -> None:
        if self.failed:
            return
        try:
            payload = marshal.dumps(data)
            if self.out is None:
                fd, self.tmp = tempfile.mkstemp(prefix="knowledge-", suffix=".tmp", dir=self.path.parent)
                self.out = os.fdopen(fd, "wb")
            self.out.write(payload)
        except Exception as exc:  # an unwritable folder (or not plain data): nothing is kept
            log.warning("parsed knowledge not cached: %s", type(exc).__name__)
            self.failed = True
            return
        self.now[name] = (False, (digest, self.written, len(payload), zlib.crc32(payload)))
        self.written += len(payload)

    def save(self) -> None:
        """Write back when the files read differ from what is on disk. Best effort, atomic."""
        try:
            if self.failed:
                return
            if all(old for old, _ in self.now.values()) and self.now.keys() == self.old.keys():
                return
            if self.out is None:
                fd, self.tmp = tempfile.mkstemp(prefix="knowledge-", suffix=".tmp", dir=self.path.parent)
                self.out = os.fdopen(fd, "wb")
            table = {}
            for name, (old, (digest, start, length, crc)) in self.now.items():
                if old:  # unchanged since the last load: copied from the old file
                    self.out.write(self.mapped[start : start + length])  # type: ignore[index]
                    table[name] = (digest, self.written, length, crc)
                    self.written += length
                else:
                    table[name] = (digest, start, length, crc)
            self.out.write(marshal.dumps({"format": PARSE_FORMAT, "code": self.code, "files": table}))
            self.out.write(self.written.to_bytes(8, "little") + self.MAGIC)
            self.out.close()
            os.replace(self.tmp, self.path)  # type: ignore[arg-type]
            self.tmp = None
            folder = self.path.parent
            kept = sorted(folder.glob("knowledge-*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)
            for stale in kept[PARSE_FILES_KEPT:]:
                stale.unlink(missing_ok=True)
        except Exception as exc:  # a read-only or full disk costs start-up time, nothing else
            log.warning("parsed knowledge not cached: %s", type(exc).__name__)
        finally:
            if self.out is not None:
                self.out.close()
            if self.tmp is not None:
                Path(self.tmp).unlink(missing_ok=True)
            if self.mapped is not None:
                self.mapped.close()
            self.out = self.tmp = self.mapped = None


_CURRENT: contextvars.ContextVar[ParsedFiles | None] = contextvars.ContextVar("parsed_files", default=None)


def current() -> ParsedFiles | None:
    """The parse cache of the knowledge load running in this context (None outside a load)."""
    return _CURRENT.get()


@contextmanager
def parsed_files(root: Path) -> Iterator[ParsedFiles | None]:
    """Serve `read_yaml` from the cache for the duration of one knowledge load, then save."""
    if os.environ.get(PARSE_CACHE_ENV) == "0" or _CURRENT.get() is not None:
        yield _CURRENT.get()
        return
    try:
        files: ParsedFiles | None = ParsedFiles(root.resolve())
    except Exception as exc:  # no usable cache folder: parse as before
        log.warning("parsed knowledge cache unavailable: %s", type(exc).__name__)
        files = None
    token = _CURRENT.set(files)
    try:
        yield files
    finally:
        _CURRENT.reset(token)
        if files is not None:
            files.save()


_GC_LOCK = threading.Lock()
_GC_HOLDERS = 0
_GC_WAS_ENABLED = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a knowledge version is loaded and indexed: that makes
    millions of objects which all stay alive, and the collector walked them again and again as
    they were made (a quarter of a province's start). Reference counting still frees the
    temporaries; the collector resumes (if it ran before) when the last loader is done."""
    global _GC_HOLDERS, _GC_WAS_ENABLED
    with _GC_LOCK:
        if _GC_HOLDERS == 0:
            _GC_WAS_ENABLED = gc.isenabled()
            gc.disable()
        _GC_HOLDERS += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_HOLDERS -= 1
            if _GC_HOLDERS == 0 and _GC_WAS_ENABLED:
                gc.enable()
