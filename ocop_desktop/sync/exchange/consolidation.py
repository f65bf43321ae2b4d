"""The province's view of its local offices: one row per enrolled unit, from the ledger and the data.

Last package and when it came, packages waiting for a missing one, conflicts to resolve, records
per table, and products recognised by star — the figures a provincial officer checks before a
report, computed with one grouped query per source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import text
from sqlmodel import col, select

from database.engine import read_session, write_session
from database.tables import SyncDuplicate
from ocop_desktop.infra.errors import NotFound
from ocop_desktop.records import audit
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.store.context import AppContext
from ocop_desktop.sync.package.format import TABLES_BY_KIND


@dataclass
class UnitRow:
    unit: str
    name: str
    keys: int = 0
    last_seq: int | None = None
    last_at: datetime | None = None
    waiting: int = 0
    conflicts: int = 0
    duplicates: int = 0  # records that look like another unit's, not reviewed yet
    records: dict[str, int] = field(default_factory=dict)
    stars: dict[int, int] = field(default_factory=dict)

    @property
    def heard_from(self) -> bool:
        return self.last_seq is not None


COUNTED = tuple(t for t in TABLES_BY_KIND["upward-export"] if t != "sync_receipt")


def consolidation(ctx: AppContext) -> list[UnitRow]:
    units = ctx.units()
    rows: dict[str, UnitRow] = {}

    def row(unit: str) -> UnitRow:
        if unit not in rows:
            rows[unit] = UnitRow(unit, units.unit_name(unit))
        return rows[unit]

    with read_session(ctx.engine) as s:
        run = s.connection().exec_driver_sql
        for unit, keys in run("SELECT unit_code, count(*) FROM trusted_key WHERE purpose = 'device' "
                              "AND status = 'active' GROUP BY unit_code"):
            row(unit).keys = keys
        for unit, seq, at in run("SELECT sender_unit, max(seq), max(received_at) FROM sync_ledger "
                                 "WHERE status = 'imported' GROUP BY sender_unit"):
            row(unit).last_seq = seq
            row(unit).last_at = datetime.fromisoformat(at) if isinstance(at, str) else at
        for unit, waiting in run("SELECT sender_unit, count(*) FROM sync_ledger WHERE status = 'quarantined' "
                                 "GROUP BY sender_unit"):
            row(unit).waiting = waiting
        for unit, open_conflicts in run("SELECT sender_unit, count(*) FROM sync_conflict WHERE status = 'open' "
                                        "GROUP BY sender_unit"):
            row(unit).conflicts = open_conflicts
        for table in ("producer", "product"):
            for unit, n in run(f'SELECT t.owner_unit, count(*) FROM sync_duplicate d JOIN "{table}" t '
                               f"ON t.id = d.record_id WHERE d.status = 'open' AND d.table_name = ? "
                               f"GROUP BY t.owner_unit", (table,)):
                row(unit).duplicates += n
        own = ctx.require_installation().unit_code
        for table in COUNTED:
            for unit, n in run(f'SELECT owner_unit, count(*) FROM "{table}" WHERE deleted = 0 '
                               f"AND owner_unit != ? GROUP BY owner_unit", (own,)):
                row(unit).records[table] = n
        stars = text("SELECT p.owner_unit, r.stars, count(*) FROM recognition r JOIN product p ON p.id = r.product_id "
                     "WHERE r.deleted = 0 AND r.revoked = 0 AND p.deleted = 0 GROUP BY p.owner_unit, r.stars")
        for unit, star, n in s.execute(stars):
            if unit != own:
                row(unit).stars[int(star)] = n
    return sorted(rows.values(), key=lambda r: r.name)


@dataclass(frozen=True)
class DuplicateView:
    id: int
    table: str
    name: str
    unit: str
    other_name: str
    other_unit: str
    reason: str  # registration_no | name_commune


def duplicate_views(ctx: AppContext) -> list[DuplicateView]:
    """The open pairs with both names and units, for an officer to compare."""
    found = []
    with read_session(ctx.engine) as s:
        run = s.connection().exec_driver_sql
        for table in ("producer", "product"):
            rows = run(f'SELECT d.id, a.name, a.owner_unit, b.name, b.owner_unit, d.reason FROM sync_duplicate d '
                       f'JOIN "{table}" a ON a.id = d.record_id JOIN "{table}" b ON b.id = d.other_id '
                       f"WHERE d.status = 'open' AND d.table_name = ? ORDER BY d.id", (table,))
            found += [DuplicateView(i, table, n, u, on, ou, r) for i, n, u, on, ou, r in rows]
    return found


def open_duplicates(ctx: AppContext) -> list[SyncDuplicate]:
    with read_session(ctx.engine) as s:
        return list(s.scalars(select(SyncDuplicate).where(col(SyncDuplicate.status) == "open")
                              .order_by(col(SyncDuplicate.id))))


def review_duplicate(ctx: AppContext, duplicate_id: int, same: bool, note: str = "") -> None:
    """Record the officer's finding (the same entity, or two different ones); nothing is merged."""
    with write_session(ctx.engine) as s:
        row = s.get(SyncDuplicate, duplicate_id)
        if row is None or row.status != "open":
            raise NotFound("Không tìm thấy cặp bản ghi này (có thể đã xem xét).", f"duplicate {duplicate_id}")
        row.status = "same" if same else "different"
        s.add(row)
        audit.record(s, current_installation(s), "review", "sync_duplicate", row.record_id, None,
                     {"other": row.other_id, "reason": row.reason, "finding": row.status, "note": note})
