"""Many rows per INSERT statement, for the importer's writes.

``executemany`` runs one SQLite step per row (and the sqlite3 module releases and takes the GIL
around each); one ``INSERT … VALUES (…), (…), …`` of a thousand rows runs them in one step. At
100,000 products that takes more than half off the product inserts (bench/sync_import.py).
Statements have a few fixed sizes only (powers of two), so the driver's statement cache holds a
dozen or so per table (about 2 MB) rather than one per batch length.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

MAX_ROWS = 1024  # rows per statement (a power of two): fewer statements, each held ~1 MB while cached
MAX_VARIABLES = 32_766  # SQLite's default limit on ? parameters per statement (3.32 and later)


def _sizes(count: int, largest: int) -> list[int]:
    """``count`` split into statement sizes: as many ``largest`` as fit, then powers of two."""
    sizes = [largest] * (count // largest)
    rest = count % largest
    step = 1 << max(rest.bit_length() - 1, 0)
    while rest:
        if step <= rest:
            sizes.append(step)
            rest -= step
        step >>= 1
    return sizes


def insert_rows(cursor: Any, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """``INSERT INTO table (columns)`` the ``rows`` (each in column order), in a few statements.

    The same constraints and triggers apply to each row as with one statement per row; a failing
    row fails its statement, and the caller's transaction decides (the importer rolls back all)."""
    if not rows:
        return
    width = len(columns)
    largest = 1 << (min(MAX_ROWS, max(MAX_VARIABLES // width, 1)).bit_length() - 1)
    head = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES '
    one = "(" + ", ".join(["?"] * width) + ")"
    start = 0
    for size in _sizes(len(rows), largest):
        chunk = rows[start:start + size]
        start += size
        cursor.execute(head + ", ".join([one] * size), [value for row in chunk for value in row])
