"""The importer's many-rows INSERT: every row, in order, through a few statement shapes."""

from __future__ import annotations

import sqlite3

import pytest

from ocop_desktop.sync.exchange.bulk_insert import MAX_VARIABLES, SIZES, _sizes, insert_rows


@pytest.mark.parametrize("count", [0, 1, 15, 16, 17, 255, 256, 257, 1024, 1300])
def test_every_row_is_inserted_in_order_with_at_most_three_statement_shapes(count: int) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, flag INTEGER, note TEXT)")
    shapes: set[str] = set()

    class Recording:
        def execute(self, sql: str, params: list[object]) -> None:
            shapes.add(sql)
            conn.execute(sql, params)

    rows = [(i, f"Tên {i}", i % 2, None) for i in range(count)]
    insert_rows(Recording(), "t", ("id", "name", "flag", "note"), rows)
    assert conn.execute("SELECT id, name, flag, note FROM t ORDER BY rowid").fetchall() == rows
    assert len(shapes) <= len(SIZES)


def test_statements_stay_under_the_parameter_limit() -> None:
    for width in (1, 7, 25, 200, 5000):
        sizes = _sizes(1000, width)
        assert sum(sizes) == 1000 and all(s == 1 or s * width <= MAX_VARIABLES for s in sizes)
