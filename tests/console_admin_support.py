"""Set-up for the console's round-2 tests: a temporary copy of the bundled knowledge, a real
engine on it (so a saved edit reaches the assistant's answers) and the console on 127.0.0.1."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from aiohttp.test_utils import TestClient

from bot.dialog import Engine
from bot.knowledge import BUNDLED_KNOWLEDGE, load_knowledge
from bot.store import Store
from handlers.console import build_app
from tests.console_support import Clock, MutableRoles, console_client


def knowledge_copy(tmp_path: Path) -> Path:
    """The bundled knowledge in a temporary directory named ``knowledge`` (problems then name
    files as ``knowledge check`` does)."""
    copy = tmp_path / "kcopy" / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@dataclass
class Rig:
    store: Store
    engine: Engine
    root: Path
    clock: Clock
    roles: MutableRoles


@contextlib.asynccontextmanager
async def admin_rig(tmp_path: Path) -> AsyncIterator[tuple[Rig, TestClient]]:
    root = knowledge_copy(tmp_path)
    clock = Clock()
    roles = MutableRoles()
    with Store(tmp_path / "console.db") as store:
        engine = Engine(load_knowledge(root), store, clock=clock)
        app = build_app(
            store=store,
            knowledge_getter=lambda: engine.knowledge,
            settings=roles,
            now=clock,
            knowledge_dir=root,
            swap_knowledge=engine.swap_knowledge,
        )
        async with console_client(store, app=app) as client:
            yield Rig(store, engine, root, clock, roles), client
