"""The layers hold: bot/ is the channel-free core (no handlers/, telegram or aiohttp anywhere in it,
not even inside a function), and the modules of bot/ import each other without a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "bot"

#: Top-level packages the core must never import (the channel adapters and their libraries).
FORBIDDEN = ("handlers", "telegram", "aiohttp", "cli")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def bot_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(BOT.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(path: Path, *, module_level_only: bool) -> list[tuple[str, int]]:
    """(imported module, line) for every import in ``path``. ``module_level_only``: only those
    that run when the module is imported (not inside functions, not under TYPE_CHECKING)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if module_level_only and isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            if module_level_only and isinstance(child, ast.If) and _is_type_checking(child.test):
                for sub in child.orelse:
                    visit(sub)
                continue
            if isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    target = ".".join([*base, child.module] if child.module else base)
                else:
                    target = child.module or ""
                found.append((target, child.lineno))
                # `from bot import dialog` imports the module bot.dialog
                found.extend((f"{target}.{alias.name}", child.lineno) for alias in child.names)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return found


def test_the_core_never_imports_a_channel() -> None:
    offences = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for path in bot_modules().values()
        for target, line in imports(path, module_level_only=False)
        if target.split(".")[0] in FORBIDDEN
    ]
    assert offences == []


def import_graph() -> dict[str, set[str]]:
    modules = bot_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges = set()
        for target, _ in imports(path, module_level_only=True):
            # the module itself, or the package whose name it is under
            while target and target not in modules:
                target = target.rpartition(".")[0]
            # a package's own module already runs after its package's __init__: the edge from
            # bot.dialog.turn to bot.dialog (via `from bot.dialog import buttons`) is no cycle
            ancestor = name.startswith(target + ".")
            if target and target != name and target != "bot" and not ancestor:
                edges.add(target)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (as a path that ends where it starts), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def dfs(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := dfs(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := dfs(node)):
            return cycle
    return None


def test_no_import_cycle_among_bot_modules() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, " -> ".join(cycle or [])


def test_the_walker_sees_what_it_must() -> None:
    """The checks above would pass vacuously if the walker missed imports: it must find a
    function-level import, resolve relative ones, and the cycle finder must find a cycle."""
    graph = import_graph()
    assert "bot.store.model" in graph["bot.store.connection"]
    assert "bot.knowledge_model" in graph["bot.knowledge"]
    lazy = [t for t, _ in imports(BOT / "startup.py", module_level_only=False)]
    assert "bot.knowledge" in lazy and "bot.store" in lazy  # imported inside functions
    assert "bot.knowledge" not in [t for t, _ in imports(BOT / "startup.py", module_level_only=True)]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
