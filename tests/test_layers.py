"""The layer rule ui → ocop_desktop → database, checked on every import statement."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT
from tests.import_graph import cycles, graph, import_lines, is_package, module_name, public_names, source_files

QT = {"PySide6", "shiboken6", "qtawesome", "qtpy", "PyQt5", "PyQt6"}


def imports(package: str) -> list[tuple[Path, str]]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(path, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((path, node.module))
    return found


def offending(package: str, banned: set[str]) -> list[str]:
    return [f"{p.relative_to(ROOT)}: {m}" for p, m in imports(package) if m.split(".")[0] in banned]


def test_core_and_database_have_no_qt() -> None:
    assert offending("ocop_desktop", QT) == []
    assert offending("database", QT) == []


def test_database_is_the_lowest_layer() -> None:
    assert offending("database", {"ocop_desktop", "ui"}) == []


def test_core_does_not_reach_up_into_ui() -> None:
    assert offending("ocop_desktop", {"ui"}) == []


def test_ui_talks_to_the_core_only() -> None:
    """No SQL or persistence in widgets: ui/ never imports the database layer or the ORM."""
    assert offending("ui", {"database", "sqlalchemy", "sqlmodel", "sqlite3", "alembic"}) == []


def test_the_checker_sees_imports() -> None:
    """Guard against a checker that finds nothing: ui/ does import PySide6 and the core."""
    modules = {m.split(".")[0] for _, m in imports("ui")}
    assert {"PySide6", "ocop_desktop"} <= modules


def test_ui_uses_only_the_public_surface_of_each_core_package() -> None:
    """``ui/`` imports names from a core package's ``__init__`` (its ``__all__``), never a module
    inside it: the surface is deliberate, and internals can move without touching the interface."""
    wrong = []
    for line in import_lines("ui"):
        if not line.module.startswith("ocop_desktop"):
            continue
        where = f"{line.path.relative_to(ROOT)}:{line.line}"
        if not line.names or not is_package(line.module):
            wrong.append(f"{where}: {line.module} is not a package's surface")
            continue
        surface = public_names(line.module)
        wrong += [f"{where}: {line.module}.{n} is not in its __all__" for n in line.names if n not in surface]
    assert wrong == []


def test_every_public_name_exists() -> None:
    """Each name a package lists in ``__all__`` is really defined or imported by its ``__init__``."""
    import importlib

    missing = []
    for init in sorted((ROOT / "ocop_desktop").rglob("__init__.py")):
        package = module_name(init)
        loaded = importlib.import_module(package)
        missing += [f"{package}.{n}" for n in sorted(public_names(package)) if not hasattr(loaded, n)]
    assert missing == []


def test_no_import_cycles() -> None:
    """Every import counts, at module level, in a function or for type checking only."""
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_over_400_lines() -> None:
    long = []
    for package in ("ocop_desktop", "ui", "database", "tests", "tools", "bench"):
        for path in source_files(package):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > 400:
                long.append(f"{path.relative_to(ROOT)}: {lines}")
    assert long == []


def test_every_message_box_goes_through_the_funnel() -> None:
    """One place shows boxes (``ui/messages.py``), always as plain text: no widget builds its own."""
    offenders = []
    for path in source_files("ui"):
        if path.name == "messages.py":
            continue
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "QMessageBox" in text:
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []
