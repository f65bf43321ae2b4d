"""The layer rule ui → ocop_desktop → database, checked on every import statement."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

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
