"""accent-insensitive full-text index on producers and products

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from database.search_index import INDEXED_TABLES, create_statements, drop_statements

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # other back ends search with LIKE on search_key (database/search_index.py)
    for table in INDEXED_TABLES:
        for statement in create_statements(table):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in INDEXED_TABLES:
        for statement in drop_statements(table):
            op.execute(statement)
