"""The layer rule ui → ocop_desktop → database, checked on every import statement."""

from __future__ import annotations

import ast
import re
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
    assert offenders == [], "\n".join(offenders)


#: the core's use cases that write the store (or files of the installation), as the interface imports them
WRITES = re.compile(r"^(save|delete|restore|create|add|set|submit|reopen|adopt|recognise|rescore|resolve|review|"
                    r"publish|import|accept|init|replace|export|write)(_|$)")


def _writes_outside_jobs(node: ast.AST, writes: set[str], in_job: bool, depth: int) -> list[ast.Call]:
    """Calls of ``writes`` not inside a lambda or a function nested in a method (the jobs handed over)."""
    found = []
    for child in ast.iter_child_nodes(node):
        nested = isinstance(child, ast.Lambda) or (isinstance(child, ast.FunctionDef) and depth >= 1)
        if isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and child.func.id in writes and not in_job:
            found.append(child)
        found += _writes_outside_jobs(child, writes, in_job or nested, depth + isinstance(child, ast.FunctionDef))
    return found


def test_the_gui_thread_never_runs_a_write() -> None:
    """In ``ui/`` a write use case is only called inside a job handed to the runner (a lambda, or a
    function defined inside the method that hands it over), so the window never waits for the disk."""
    offenders = []
    for path in source_files("ui"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        core_names = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                      and (node.module or "").startswith("ocop_desktop")
                      and node.module not in ("ocop_desktop.language", "ocop_desktop.reference")  # in memory
                      for alias in node.names}
        writes = {name for name in core_names if WRITES.match(name)}
        offenders += [f"{path.relative_to(ROOT)}:{c.lineno}: {getattr(c.func, 'id', '')}"
                      for c in _writes_outside_jobs(tree, writes, False, 0)]
    assert offenders == [], "\n".join(offenders)


def test_the_write_checker_finds_a_write_on_the_gui_thread() -> None:
    tree = ast.parse("class W:\n    def m(self):\n        save_x(1)\n        run(lambda job: save_y(2))\n"
                     "        def job(c):\n            save_z(3)\n")
    assert [getattr(c.func, "id", "") for c in _writes_outside_jobs(tree, {"save_x", "save_y", "save_z"}, False, 0)] \
        == ["save_x"]
