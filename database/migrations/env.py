"""Alembic environment: runs on the connection the application hands over (see database.migrate)."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import database.tables  # noqa: F401  (registers every table on the metadata)
from database.search_index import is_search_index_object

config = context.config
target_metadata = SQLModel.metadata


def _include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Leave the SQLite full-text index (managed by hand in its own migration) out of autogenerate."""
    return not (name and is_search_index_object(name))


def _run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_object=_include,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # command-line use (developers): alembic -x is not needed, the URL comes from alembic.ini
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///dev.sqlite")
    with engine.connect() as conn:
        _run(conn)
