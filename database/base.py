"""Shared table metadata: the constraint naming convention and the sync columns.

The naming convention must be set before any table is declared, so every model module imports
this one first. Batch migrations on SQLite need named constraints to drop them later.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    """A fresh record id: a random UUID as 32 lowercase hex digits."""
    return uuid.uuid4().hex


def utcnow() -> datetime:
    """The current UTC time (aware, whole seconds); shown to people, never used for ordering."""
    return datetime.now(UTC).replace(microsecond=0)


class SyncedRow(SQLModel):
    """Columns every synchronised row carries (docs/design.md §3).

    ``version_vector`` is a JSON object ``{device_id: counter}``; it, not ``updated_at``, decides
    which of two versions is newer. ``deleted`` is the tombstone: rows are never hard-deleted.
    """

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    owner_unit: str = Field(max_length=8, index=True)
    origin_device: str = Field(max_length=32)
    version_vector: str = Field(default="{}")
    updated_at: datetime = Field(default_factory=utcnow)
    deleted: bool = Field(default=False)  # no index of its own: it would mislead the planner
