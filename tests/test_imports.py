"""The import graph of src/communique, read with ``ast`` (no module is imported to check it).

Two rules:

* no import cycle among modules, counting only module-level imports. An import inside a
  function runs when the function is called, not when the module loads: that is how the
  project keeps spaCy (and the pipeline) lazy, so those imports may point back up the graph.
  Imports under ``if TYPE_CHECKING:`` never run and are left out too.
* no module uses another module's private name: neither ``from communique.x import _y``
  nor ``x._y`` through an imported module. What another module needs is made public.

An edge goes to the module an import names: ``from communique.io import read_inputs`` to
``communique.io``, ``from communique.events import coder`` to ``communique.events.coder``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "communique"
SRC = Path(__file__).resolve().parent.parent / "src" / PACKAGE


@dataclass(frozen=True)
class Edge:
    """``module`` imports ``target`` (a communique module) at ``line``; ``names`` it takes from it."""

    module: str
    target: str
    line: int
    top_level: bool
    names: tuple[str, ...] = ()

    def __str__(self) -> str:
        taken = f" ({', '.join(self.names)})" if self.names else ""
        return f"{self.module}:{self.line} -> {self.target}{taken}"


def module_files() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    modules = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


MODULES = module_files()
TREES = {name: ast.parse(path.read_text(encoding="utf-8"), str(path)) for name, path in MODULES.items()}


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _runs_later(node: ast.AST) -> bool:
    """Whether the imports in ``node`` do not run when the module loads: a function's body, or
    an ``if TYPE_CHECKING:`` block (which never runs)."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        return True
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement with whether it runs when the module loads."""

    def walk(node: ast.AST, top_level: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, top_level
            else:
                yield from walk(child, top_level and not _runs_later(child))

    yield from walk(tree, True)


def _base(module: str, node: ast.ImportFrom) -> str:
    """The absolute module a ``from`` import names (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def edges_of(module: str) -> Iterator[Edge]:
    """The module's imports of other communique modules."""
    for node, top_level in imports_of(TREES[module]):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES and alias.name != module:
                    yield Edge(module, alias.name, node.lineno, top_level)
            continue
        base = _base(module, node)
        if base not in MODULES:
            continue
        names: list[str] = []
        for alias in node.names:
            if f"{base}.{alias.name}" in MODULES:  # a submodule: the edge goes to it
                if f"{base}.{alias.name}" != module:
                    yield Edge(module, f"{base}.{alias.name}", node.lineno, top_level)
            else:
                names.append(alias.name)
        if names and base != module:
            yield Edge(module, base, node.lineno, top_level, tuple(names))


EDGES = [edge for module in MODULES for edge in edges_of(module)]


def cycles(edges: list[Edge]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for edge in edges:
        graph[edge.module].add(edge.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def private_uses(module: str) -> Iterator[str]:
    """``from x import _y`` and ``x._y`` in ``module``, where x is another communique module."""
    bound: dict[str, str] = {}  # local name -> the communique module it is bound to
    for node, _ in imports_of(TREES[module]):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES:
                    local = alias.asname or alias.name.partition(".")[0]
                    bound[local] = alias.name if alias.asname else local
            continue
        base = _base(module, node)
        for alias in node.names:
            if f"{base}.{alias.name}" in MODULES:
                bound[alias.asname or alias.name] = f"{base}.{alias.name}"
            elif base in MODULES and base != module and is_private(alias.name):
                yield f"{module}:{node.lineno} imports {base}.{alias.name}"
    for node in ast.walk(TREES[module]):
        if not isinstance(node, ast.Attribute) or not is_private(node.attr):
            continue
        owner = _module_of(node.value, bound)
        if owner is not None and owner != module:
            yield f"{module}:{node.lineno} uses {owner}.{node.attr}"


def _module_of(node: ast.expr, bound: dict[str, str]) -> str | None:
    """The communique module an expression such as ``coder`` or ``communique.io`` names, if any."""
    if isinstance(node, ast.Name):
        return bound.get(node.id)
    if isinstance(node, ast.Attribute):
        parent = _module_of(node.value, bound)
        if parent is not None and f"{parent}.{node.attr}" in MODULES:
            return f"{parent}.{node.attr}"
    return None


def test_the_walk_sees_the_package() -> None:
    # A guard for the tests below: an empty graph would pass them.
    assert "communique.models" in MODULES and "communique.io.common" in MODULES
    assert any(e.module == "communique.pipeline" and e.target == "communique.models" for e in EDGES)
    assert any(not e.top_level for e in EDGES), "imports inside functions are part of the walk"


def test_no_import_cycle_at_module_level() -> None:
    top_level = [e for e in EDGES if e.top_level]
    found = cycles(top_level)
    lines = []
    for component in found:
        members = set(component)
        lines.append("cycle: " + ", ".join(component))
        lines += [f"  {e}" for e in top_level if e.module in members and e.target in members]
    assert not found, "module-level import cycles:\n" + "\n".join(lines)


def test_no_module_uses_another_modules_private_names() -> None:
    found = [use for module in MODULES for use in private_uses(module)]
    assert not found, "private names used across modules:\n" + "\n".join(found)
