"""docs/package-format.md's tables as the code defines them, and a reader for the tables in the
document: tests/test_package_format_doc.py compares the two, so the document cannot drift.

``python -m tests.doc_tables`` prints the tables to paste into the document after a schema change.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ocop_desktop.sync.package.attachment_check import DECLARED
from ocop_desktop.sync.package.format import ENVIRONMENTS, HEX64, KINDS_BY_PURPOSE, PAYLOAD_TYPES, TABLES_BY_KIND
from ocop_desktop.sync.package.record_codec import COLUMNS, ENUMS, PATTERNS, REFERENCES, Column
from ocop_desktop.sync.trust import keys
from ocop_desktop.sync.trust import root as trust_root

DOC = Path(__file__).resolve().parent.parent / "docs" / "package-format.md"
SYNC_COLUMNS = ("id", "owner_unit", "origin_device", "version_vector", "updated_at", "deleted")


def column_cell(table: str, column: Column) -> str:
    refs = dict(REFERENCES[table])
    if column.name == "id" or column.name in refs:
        kind = "hex32"
    elif (table, column.name) in PATTERNS:
        kind = "hex64" if PATTERNS[(table, column.name)] is HEX64 else "catalog-id"
    else:
        kind = {"str": f"text({column.max_len})", "int": "int", "bool": "bool", "date": "date",
                "datetime": "timestamp"}[column.kind]
    cell = f"`{column.name}` {kind}{'?' if column.nullable else ''}"
    return cell + (f" → `{refs[column.name]}`" if column.name in refs else "")


def column_rows() -> dict[str, str]:
    """Table name (or ``(every table)`` for the sync columns) -> its columns' cell."""
    first = next(iter(COLUMNS))
    rows = {"(every table)": ", ".join(column_cell(first, c) for c in COLUMNS[first] if c.name in SYNC_COLUMNS)}
    for table, columns in COLUMNS.items():
        rows[f"`{table}`"] = ", ".join(column_cell(table, c) for c in columns if c.name not in SYNC_COLUMNS)
    return rows


def _values(values: Any) -> str:
    values = set(values)
    if all(isinstance(v, int) for v in values) and values == set(range(min(values), max(values) + 1)):
        return f"`{min(values)}`–`{max(values)}`"
    return ", ".join(f"`{v}`" for v in sorted(values))


def vocabulary_rows() -> dict[str, str]:
    """Every closed vocabulary a verifier checks -> its values."""
    rows = {f"`{table}.{column}`": _values(values) for (table, column), values in ENUMS.items()}
    rows["`attachment.mime`"] = _values(DECLARED)
    rows["manifest `kind`"] = _values(PAYLOAD_TYPES)
    rows["`payloadType` of a package"] = _values(PAYLOAD_TYPES.values())
    rows["`payloadType` of a trust version"] = _values([trust_root.PAYLOAD_TYPE])
    rows["manifest `environment`"] = _values(ENVIRONMENTS)
    rows["manifest `mode`"] = _values(("full", "incremental"))
    rows["key purpose"] = _values(keys.PURPOSES)
    for purpose, kinds in KINDS_BY_PURPOSE.items():
        rows[f"kinds a `{purpose}` key signs"] = _values(kinds)
    rows["trust `devices[].status`"] = _values(trust_root.DEVICE_STATUSES)
    return rows


def kind_rows() -> dict[str, str]:
    return {f"`{kind}`": ", ".join(f"`{t}`" for t in tables) for kind, tables in TABLES_BY_KIND.items()}


def doc_table(heading: str, text: str | None = None) -> dict[str, list[str]]:
    """The markdown table whose header holds ``heading``, or the first after the line holding it:
    first cell -> the other cells."""
    text = text if text is not None else DOC.read_text(encoding="utf-8")
    start = text.rindex("\n", 0, text.index(heading)) + 1
    lines = text[start:].splitlines()
    while lines and not lines[0].startswith("|"):
        lines.pop(0)
    rows: dict[str, list[str]] = {}
    for line in lines[2:]:  # the header and the |---| line
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        rows[cells[0]] = cells[1:]
    return rows


def _print(heading: str, rows: dict[str, str]) -> None:
    print(heading)
    for name, value in rows.items():
        print(f"| {name} | {value} |")
    print()


if __name__ == "__main__":
    _print("| Table | Columns |\n|---|---|", column_rows())
    _print("| Vocabulary | Values |\n|---|---|", vocabulary_rows())
