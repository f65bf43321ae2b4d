"""How package contents and import outcomes read to an officer: one wording for the window and the CLI."""

from __future__ import annotations

from ocop_desktop.language.formats import format_int
from ocop_desktop.language.translation import tr
from ocop_desktop.reference.vocab import IMPORT_DECISIONS, TABLE_LABELS


def counts_text(counts: dict[str, int]) -> str:
    """``chủ thể: 3, sản phẩm: 5``; empty when there is nothing."""
    return ", ".join(f"{tr(TABLE_LABELS.get(t, t))}: {format_int(n)}" for t, n in counts.items())


def decisions_text(tables: dict[str, dict[str, int]], indent: str = "") -> str:
    """One line per table: new, updated, unchanged, older, conflicts (zeros left out)."""
    lines = [f"{indent}{tr(TABLE_LABELS.get(table, table))}: " + ", ".join(
        f"{tr(label)} {format_int(counts[key])}" for key, label in IMPORT_DECISIONS.items() if counts.get(key))
        for table, counts in tables.items()]
    return "\n".join(lines) or indent + tr("không có bản ghi")
