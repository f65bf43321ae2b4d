"""Small helpers for the widget tests."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    """The text of a cell that must be there (a missing item fails the test here, plainly)."""
    item = table.item(row, column)
    assert item is not None, f"no item at ({row}, {column})"
    return item.text()
