"""Many rows per INSERT statement, for the importer's writes.

``executemany`` runs one SQLite step per row (and the sqlite3 module releases and takes the GIL
around each); one ``INSERT … VALUES (…), (…), …`` of hundreds of rows runs them in one step. At
100,000 products that takes more than half off the product inserts (bench/sync_import.py).
A prepared statement takes about 90 bytes per parameter (2 MB for 1,024 rows of 22 columns), and
the driver keeps it in its statement cache; so statements have three sizes only (256 rows, then
16, then one): at most three cached statements per table, about 0.5 MB, rather than one per
batch length.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

SIZES = (256, 16, 1)  # rows per statement, largest first: 1,024 rows are hardly faster, and 4x the memory
MAX_VARIABLES = 32_766  # SQLite's default limit on ? parameters per statement (3.32 and later)


def _sizes(count: int, width: int) -> list[int]:
    """``count`` rows of ``width`` columns split into statement sizes: as many of the largest that
    stays under the parameter limit as fit, then of the next size, and so on."""
    sizes: list[int] = []
    for size in SIZES:
        if size == 1 or size * width <= MAX_VARIABLES:
            sizes += [size] * (count // size)
            count %= size
    return sizes


def insert_rows(cursor: Any, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """``INSERT INTO table (columns)`` the ``rows`` (each in column order), in a few statements.

    The same constraints and triggers apply to each row as with one statement per row; a failing
    row fails its statement, and the caller's transaction decides (the importer rolls back all)."""
    if not rows:
        return
    width = len(columns)
    head = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES '
    one = "(" + ", ".join(["?"] * width) + ")"
    start = 0
    for size in _sizes(len(rows), width):
        chunk = rows[start:start + size]
        start += size
        cursor.execute(head + ", ".join([one] * size), [value for row in chunk for value in row])
