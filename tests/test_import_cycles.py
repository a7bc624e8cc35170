"""No import cycle among the modules of ``bot`` and ``commands``, hidden ones included.

Every ``import`` and ``from … import`` counts, wherever it stands: at the top, inside a
function, under ``if TYPE_CHECKING:``. ``from pkg import name`` depends on ``pkg`` (its
``__init__`` runs first) and on ``pkg.name`` when that is a module. Alembic migrations are
scripts, not modules of the bot, and are left out. The layers themselves are
``lint-imports``' (pyproject.toml); this test needs nothing but the source tree.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "commands")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imported(source: str, name: str, *, is_package: bool = False) -> set[str]:
    """Every module name ``source`` (module ``name``) imports, wherever the import stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module → the modules of ``bot``/``commands`` it imports."""
    paths = {
        module_name(p): p
        for package in PACKAGES
        for p in (ROOT / package).rglob("*.py")
        if "migrations" not in p.parts
    }
    return {
        name: {
            m
            for m in imported(
                path.read_text(encoding="utf-8"), name, is_package=path.name == "__init__.py"
            )
            if m in paths and m != name
        }
        for name, path in paths.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_no_module_of_bot_or_commands_is_in_an_import_cycle() -> None:
    graph = import_graph()
    assert len(graph) > 100, "the walk found the source tree"
    assert cycles(graph) == []


def test_the_cycle_finder_sees_function_local_and_type_checking_imports() -> None:
    source = {
        "a": "import b\n",
        "b": "def f():\n    from c import x\n",
        "c": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a\n",
        "d": "import a\n",
    }
    graph = {
        name: {m for m in imported(text, name) if m in source and m != name}
        for name, text in source.items()
    }
    assert cycles(graph) == [["a", "b", "c"]]
