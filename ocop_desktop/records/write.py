"""The one way a synchronised row is created, changed, deleted or restored.

Every write stamps the sync metadata and appends an audit entry in the same transaction, so a
record never changes without its history.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Session

from database.base import SyncedRow
from database.tables import Installation
from ocop_desktop.infra.errors import NotFound
from ocop_desktop.records import audit
from ocop_desktop.records.stamping import stamp

Row = TypeVar("Row", bound=SyncedRow)


def table_name(row: SyncedRow) -> str:
    return str(row.__tablename__)


def get_live(session: Session, model: type[Row], record_id: str, what: str) -> Row:
    """The row with this id that is not a tombstone, or a NotFound naming ``what``."""
    row = session.get(model, record_id)
    if row is None or row.deleted:
        raise NotFound(f"Không tìm thấy {what} (có thể đã bị xóa).", f"{model.__name__} {record_id} not found")
    return row


def get_any(session: Session, model: type[Row], record_id: str, what: str) -> Row:
    """The row with this id, tombstone or not (to restore it), or a NotFound naming ``what``."""
    row = session.get(model, record_id)
    if row is None:
        raise NotFound(f"Không tìm thấy {what} để khôi phục.", f"{model.__name__} {record_id} not found")
    return row


def insert(session: Session, inst: Installation, row: SyncedRow) -> None:
    stamp(session, inst, row, new=True)
    session.add(row)
    session.flush()
    audit.record(session, inst, "create", table_name(row), row.id, None, audit.snapshot(row))


def update(session: Session, inst: Installation, row: SyncedRow, changes: dict[str, Any], *,
           action: str = "update", note: str | None = None) -> bool:
    """Apply ``changes``; returns False (and writes nothing) when no value actually differs.

    ``action`` names the change in the audit log (e.g. "reopen"); ``note`` (a reason) is kept with it.
    """
    changed = {k: v for k, v in changes.items() if getattr(row, k) != v}
    if not changed:
        return False
    before = audit.snapshot(row)
    for key, value in changed.items():
        setattr(row, key, value)
    stamp(session, inst, row)
    session.add(row)
    session.flush()
    after = audit.snapshot(row)
    if note:
        after["_note"] = note
    audit.record(session, inst, action, table_name(row), row.id, before, after)
    return True


def set_deleted(session: Session, inst: Installation, row: SyncedRow, deleted: bool) -> None:
    """Tombstone (``deleted=True``) or restore a row; both are audited changes, never a hard delete."""
    if row.deleted == deleted:
        return
    before = audit.snapshot(row)
    row.deleted = deleted
    stamp(session, inst, row)
    session.add(row)
    session.flush()
    action = "delete" if deleted else "restore"
    audit.record(session, inst, action, table_name(row), row.id, before, audit.snapshot(row))
