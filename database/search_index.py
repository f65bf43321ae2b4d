"""The accent-insensitive search index: the one SQLite-specific piece of the store (FTS5).

Each searchable table keeps a ``search_key`` column holding folded text (no tone marks, đ→d,
lower case). An external-content FTS5 table indexes that column for **live rows only** (tombstones
are left out, so a search over 100,000 products counts its matches inside the index) and triggers
keep it current. On another database back end the clauses fall back to ``LIKE`` on the same
column, so the rest of the code never writes FTS syntax.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, or_, text

INDEXED_TABLES = ("producer", "product")
_TOKEN = re.compile(r"[0-9a-z]+")


def fts_name(table: str) -> str:
    return f"{table}_fts"


def is_search_index_object(name: str) -> bool:
    """True for the FTS virtual tables, their shadow tables and triggers."""
    return any(name.startswith(fts_name(t)) for t in INDEXED_TABLES)


def create_statements(table: str) -> list[str]:
    """DDL for one table's FTS index, the triggers that keep it in step, and the first fill."""
    fts = fts_name(table)
    remove = f"INSERT INTO {fts}({fts}, rowid, search_key) VALUES('delete', old.rowid, old.search_key);"
    add = f"INSERT INTO {fts}(rowid, search_key) VALUES (new.rowid, new.search_key);"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5(search_key, content='{table}', "
        f"content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} WHEN new.deleted = 0 BEGIN {add} END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} WHEN old.deleted = 0 BEGIN {remove} END",
        # one trigger, remove before add (two triggers would fire in an unspecified order)
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF search_key, deleted ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_key) SELECT 'delete', old.rowid, old.search_key "
        f"WHERE old.deleted = 0; "
        f"INSERT INTO {fts}(rowid, search_key) SELECT new.rowid, new.search_key WHERE new.deleted = 0; END",
        *fill_statements(table),
    ]


def fill_statements(table: str) -> list[str]:
    fts = fts_name(table)
    return [
        f"INSERT INTO {fts}({fts}) VALUES('delete-all')",
        f"INSERT INTO {fts}(rowid, search_key) SELECT rowid, search_key FROM {table} WHERE deleted = 0",
    ]


def drop_statements(table: str) -> list[str]:
    fts = fts_name(table)
    return [f"DROP TRIGGER IF EXISTS {fts}_{s}" for s in ("ai", "ad", "au")] + [
        f"DROP TABLE IF EXISTS {fts}"
    ]


def tokens(folded_query: str) -> list[str]:
    """The word prefixes of an already folded query (punctuation and FTS operators dropped)."""
    return _TOKEN.findall(folded_query)


def _fts_query(words: list[str]) -> str:
    return " ".join(f'"{w}"*' for w in words)


def _like_all(search_key: Any, words: list[str]) -> ColumnElement[bool]:
    return and_(*[search_key.like(f"%{w}%") for w in words])


def match_clause(table: str, search_key: Any, deleted: Any, folded_query: str, dialect: str,
                 include_deleted: bool = False) -> ColumnElement[bool] | None:
    """Rows whose words start with every token of the query (tombstones too if asked), or None."""
    words = tokens(folded_query)
    if not words:
        return None
    if dialect != "sqlite":
        return _like_all(search_key, words)
    fts = fts_name(table)
    live: ColumnElement[bool] = text(  # type: ignore[assignment]
        f"{table}.rowid IN (SELECT rowid FROM {fts} WHERE {fts} MATCH :q_{table})"
    ).bindparams(**{f"q_{table}": _fts_query(words)})
    if not include_deleted:
        return live
    return or_(live, and_(deleted.is_(True), _like_all(search_key, words)))


def count_live_matches(conn: Connection, table: str, folded_query: str) -> int | None:
    """The number of live rows matching, counted inside the index; None if not answerable here."""
    words = tokens(folded_query)
    if not words or conn.dialect.name != "sqlite":
        return None
    fts = fts_name(table)
    value = conn.exec_driver_sql(f"SELECT count(*) FROM {fts} WHERE {fts} MATCH ?", (_fts_query(words),)).scalar()
    return int(value or 0)


def rebuild(conn: Connection) -> None:
    """Refill every index from the live rows (after bulk loads or a repair)."""
    for table in INDEXED_TABLES:
        for statement in fill_statements(table):
            conn.exec_driver_sql(statement)
