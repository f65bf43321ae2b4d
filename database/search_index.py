"""The accent-insensitive search index: the one SQLite-specific piece of the store (FTS5).

Each searchable table keeps a ``search_key`` column holding folded text (no tone marks, đ→d,
lower case). An external-content FTS5 table indexes that column and triggers keep it current.
On another database back end :func:`match_clause` falls back to ``LIKE`` on the same column, so
the rest of the code never writes FTS syntax.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, text

INDEXED_TABLES = ("producer", "product")
_TOKEN = re.compile(r"[0-9a-z]+")


def fts_name(table: str) -> str:
    return f"{table}_fts"


def is_search_index_object(name: str) -> bool:
    """True for the FTS virtual tables, their shadow tables and triggers."""
    return any(name.startswith(fts_name(t)) for t in INDEXED_TABLES)


def create_statements(table: str) -> list[str]:
    """DDL for one table's FTS index and the triggers that keep it in step with ``search_key``."""
    fts = fts_name(table)
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5(search_key, content='{table}', "
        f"content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_key) VALUES (new.rowid, new.search_key); END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_key) VALUES('delete', old.rowid, old.search_key); END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF search_key ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_key) VALUES('delete', old.rowid, old.search_key); "
        f"INSERT INTO {fts}(rowid, search_key) VALUES (new.rowid, new.search_key); END",
        f"INSERT INTO {fts}({fts}) VALUES('rebuild')",
    ]


def drop_statements(table: str) -> list[str]:
    fts = fts_name(table)
    return [f"DROP TRIGGER IF EXISTS {fts}_{s}" for s in ("ai", "ad", "au")] + [
        f"DROP TABLE IF EXISTS {fts}"
    ]


def tokens(folded_query: str) -> list[str]:
    """The word prefixes of an already folded query (punctuation and FTS operators dropped)."""
    return _TOKEN.findall(folded_query)


def match_clause(table: str, search_key: Any, folded_query: str, dialect: str) -> ColumnElement[bool] | None:
    """A WHERE clause matching rows whose words start with every token of the query, or None."""
    words = tokens(folded_query)
    if not words:
        return None
    if dialect == "sqlite":
        expr = " ".join(f'"{w}"*' for w in words)
        fts = fts_name(table)
        clause: ColumnElement[bool] = text(
            f"{table}.rowid IN (SELECT rowid FROM {fts} WHERE {fts} MATCH :q_{table})"
        ).bindparams(**{f"q_{table}": expr})  # type: ignore[assignment]
        return clause
    return and_(*[search_key.like(f"%{w}%") for w in words])


def rebuild(conn: Connection) -> None:
    """Rebuild every index from the content tables (after bulk loads or a repair)."""
    for table in INDEXED_TABLES:
        conn.exec_driver_sql(f"INSERT INTO {fts_name(table)}({fts_name(table)}) VALUES('rebuild')")
