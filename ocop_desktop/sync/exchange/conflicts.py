"""The conflicts queue: two concurrent versions of a record, shown side by side, resolved by an officer.

Resolving keeps the chosen values and a version vector that dominates both versions (their
maximum, then this device's counter bumped), so the choice travels on and never conflicts again;
the audit log records who chose which side and why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import SQLModel, col, select

from database.base import utcnow
from database.engine import read_session, write_session
from database.tables import SyncConflict
from ocop_desktop import records
from ocop_desktop.evaluation import projection
from ocop_desktop.infra.errors import NotFound, OcopError
from ocop_desktop.infra.jsontext import canonical
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.reference.vocab import FIELD_LABELS
from ocop_desktop.store.context import AppContext
from ocop_desktop.sync.package.record_codec import COLUMNS, check_version_vector, python_values


@dataclass(frozen=True)
class FieldPair:
    name: str
    local: Any
    incoming: Any

    @property
    def differs(self) -> bool:
        return bool(self.local != self.incoming)

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.name, self.name)


def shown(value: Any) -> str:
    """A package value as an officer reads it: Có/Không, dd/mm/yyyy, empty for nothing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    text = str(value)
    if len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():
        day = f"{text[8:10]}/{text[5:7]}/{text[:4]}"
        return day + (f" {text[11:16]}" if len(text) > 10 and text[10] == "T" else "")
    return text


@dataclass(frozen=True)
class ConflictView:
    id: int
    table: str
    record_id: str
    sender_unit: str
    fields: list[FieldPair]


SHOWN_LAST = ("owner_unit", "origin_device", "version_vector", "updated_at", "deleted")


def open_conflicts(ctx: AppContext) -> list[SyncConflict]:
    with read_session(ctx.engine) as s:
        return list(s.scalars(select(SyncConflict).where(col(SyncConflict.status) == "open")
                              .order_by(col(SyncConflict.id))))


def view_conflict(ctx: AppContext, conflict_id: int) -> ConflictView:
    """Both versions field by field, business fields first, sync fields last."""
    with read_session(ctx.engine) as s:
        row = s.get(SyncConflict, conflict_id)
    if row is None:
        raise NotFound("Không tìm thấy xung đột này.", f"conflict {conflict_id}")
    local, incoming = json.loads(row.local_row), json.loads(row.incoming_row)
    names = [c.name for c in COLUMNS[row.table_name] if c.name != "id"]
    names.sort(key=lambda n: (n in SHOWN_LAST, 0))
    return ConflictView(row.id or 0, row.table_name, row.record_id, row.sender_unit,
                        [FieldPair(n, local.get(n), incoming.get(n)) for n in names])


def _model(table: str) -> type[SQLModel]:
    for mapper in SQLModel._sa_registry.mappers:  # the table classes registered by database.tables
        if getattr(mapper.class_, "__tablename__", None) == table:
            return mapper.class_
    raise OcopError(f"Bảng '{table}' không đồng bộ được.", f"no model for {table}")


def resolve_conflict(ctx: AppContext, conflict_id: int, keep: str, reason: str = "") -> None:
    """Keep the ``local`` or the ``incoming`` version; audited with the reason."""
    if keep not in ("local", "incoming"):
        raise OcopError("Hãy chọn giữ bản ở máy này hoặc bản gửi đến.", f"bad choice {keep}")
    with write_session(ctx.engine) as s:
        conflict = s.get(SyncConflict, conflict_id)
        if conflict is None or conflict.status != "open":
            raise NotFound("Xung đột này đã được xử lý hoặc không còn.", f"conflict {conflict_id} not open")
        table = conflict.table_name
        row = s.get(_model(table), conflict.record_id)
        if row is None:
            raise NotFound("Không tìm thấy bản ghi của xung đột này.", f"{table} {conflict.record_id}")
        incoming = json.loads(conflict.incoming_row)
        current = check_version_vector(table, {"id": row.id, "version_vector": row.version_vector})  # type: ignore[attr-defined]
        theirs = check_version_vector(table, incoming)
        merged = {d: max(current.get(d, 0), theirs.get(d, 0)) for d in current.keys() | theirs.keys()}
        changes: dict[str, Any] = {}
        if keep == "incoming":
            changes = {k: v for k, v in python_values(table, incoming).items()
                       if k not in ("id", "version_vector", "updated_at", "origin_device", "owner_unit")}
            if table == "product":  # its recognition fields follow this installation's recognitions
                changes.update(projection.projections(s.connection(), [row.id]).get(row.id, {}))  # type: ignore[attr-defined]
        changes["version_vector"] = canonical(merged)
        note = f"giữ bản {'gửi đến' if keep == 'incoming' else 'ở máy này'}" + (f": {reason}" if reason else "")
        records.update(s, current_installation(s), row, changes, action="resolve", note=note)  # type: ignore[arg-type]
        conflict.status, conflict.resolution = "resolved", keep
        conflict.resolved_at, conflict.resolved_by = utcnow(), current_installation(s).officer_name
        s.add(conflict)
