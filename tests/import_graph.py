"""The project's import graph, read from the source (no module is imported): used by the layer tests."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

PACKAGES = ("ocop_desktop", "ui", "database")


@dataclass(frozen=True)
class ImportLine:
    path: Path
    line: int
    module: str  # the module named after ``from`` (or after ``import``)
    names: tuple[str, ...]  # the names imported from it (empty for ``import x``)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_files(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)


def import_lines(package: str) -> Iterator[ImportLine]:
    """Every import statement, at module level or inside a function."""
    for path in source_files(package):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield ImportLine(path, node.lineno, alias.name, ())
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield ImportLine(path, node.lineno, node.module, tuple(a.name for a in node.names))


def is_package(module: str) -> bool:
    return (ROOT / module.replace(".", "/") / "__init__.py").is_file()


def is_module(module: str) -> bool:
    return is_package(module) or (ROOT / (module.replace(".", "/") + ".py")).is_file()


def public_names(package: str) -> set[str]:
    """A package's surface: the names listed in ``__all__`` of its ``__init__``."""
    tree = ast.parse((ROOT / package.replace(".", "/") / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            value = ast.literal_eval(node.value)
            return set(value)
    return set()


def dependencies(line: ImportLine) -> set[str]:
    """The project modules an import statement runs: the named module, the modules it names, and the
    packages on the way whose ``__init__`` Python executes (not the importer's own ancestors)."""
    own = module_name(line.path)
    targets = {line.module} | {f"{line.module}.{n}" for n in line.names}
    found: set[str] = set()
    for target in targets:
        parts = target.split(".")
        for i in range(1, len(parts) + 1):
            prefix = ".".join(parts[:i])
            if is_module(prefix) and not (own == prefix or own.startswith(prefix + ".")):
                found.add(prefix)
    return found


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in source_files(package):
            edges.setdefault(module_name(path), set())
        for line in import_lines(package):
            edges[module_name(line.path)] |= dependencies(line)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), or a module importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in edges.get(v, ()):
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found
