"""The audit log: every change, who made it and when, with the row before and after, as a hash
chain. Each entry's hash covers its content and the previous hash, so editing, removing or
reordering any entry breaks verification from that point on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, col, select

from database.engine import read_session
from database.tables import AuditEntry, Installation
from ocop_desktop.infra.jsontext import canonical

GENESIS = "0" * 64


def snapshot(row: SQLModel) -> dict[str, Any]:
    """The row as JSON-ready data, without derived columns."""
    data = row.model_dump(mode="json")
    data.pop("search_key", None)
    return data


_canonical = canonical


def entry_hash(entry: AuditEntry) -> str:
    body = {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "device_id": entry.device_id,
        "action": entry.action,
        "table": entry.table_name,
        "record_id": entry.record_id,
        "before": entry.before,
        "after": entry.after,
        "prev": entry.prev_hash,
    }
    return hashlib.sha256(_canonical(body).encode("utf-8")).hexdigest()


def record(
    session: Session,
    inst: Installation,
    action: str,
    table: str,
    record_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEntry:
    """Append one entry in the caller's write transaction (so it commits or rolls back with it)."""
    last = session.exec(select(AuditEntry).order_by(col(AuditEntry.seq).desc()).limit(1)).first()
    entry = AuditEntry(
        seq=(last.seq or 0) + 1 if last else 1,
        actor=inst.officer_name,
        device_id=inst.device_id,
        action=action,
        table_name=table,
        record_id=record_id,
        before=_canonical(before) if before is not None else None,
        after=_canonical(after) if after is not None else None,
        prev_hash=last.hash if last else GENESIS,
        hash="",
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    return entry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    head: str
    first_bad_seq: int | None = None
    reason: str = ""


def verify(engine: Engine, batch: int = 5000) -> ChainReport:
    """Walk the chain in order and recompute every link."""
    prev, expected_seq, count = GENESIS, 1, 0
    with read_session(engine) as s:
        last_seq = 0
        while True:
            rows = s.exec(
                select(AuditEntry)
                .where(col(AuditEntry.seq) > last_seq)
                .order_by(col(AuditEntry.seq))
                .limit(batch)
            ).all()
            if not rows:
                break
            for e in rows:
                if e.seq != expected_seq:
                    return ChainReport(False, count, prev, expected_seq, "missing entry")
                if e.prev_hash != prev:
                    return ChainReport(False, count, prev, e.seq, "link to previous entry broken")
                if entry_hash(e) != e.hash:
                    return ChainReport(False, count, prev, e.seq, "entry content altered")
                prev, expected_seq, count = e.hash, expected_seq + 1, count + 1
                last_seq = e.seq
    return ChainReport(True, count, prev)


def history(engine: Engine, record_id: str) -> list[AuditEntry]:
    """The changes of one record, oldest first."""
    with read_session(engine) as s:
        stmt = select(AuditEntry).where(AuditEntry.record_id == record_id).order_by(col(AuditEntry.seq))
        return list(s.exec(stmt).all())
