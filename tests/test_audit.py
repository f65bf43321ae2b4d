"""The audit chain: every change is logged with before/after, and any tampering is detected."""

from __future__ import annotations

import json
import sqlite3

from database.migrate import DB_FILENAME
from ocop_desktop.records import audit
from ocop_desktop.registry.producers import ProducerData, delete_producer, restore_producer, save_producer
from ocop_desktop.store.context import AppContext


def _make(ctx: AppContext, name: str = "Hợp tác xã Sen Tháp Mười") -> str:
    return save_producer(ctx, ProducerData(name=name, legal_type="htx", commune_code="30037", phone="0912345678"))


def test_every_change_is_recorded_with_before_and_after(ctx: AppContext) -> None:
    pid = _make(ctx)
    data = ProducerData(name="HTX Sen Hồng", legal_type="htx", commune_code="30037", id=pid)
    save_producer(ctx, data)
    delete_producer(ctx, pid)
    restore_producer(ctx, pid)
    entries = audit.history(ctx.engine, pid)
    assert [e.action for e in entries] == ["create", "update", "delete", "restore"]
    assert entries[0].before is None
    assert json.loads(entries[1].before or "{}")["name"] == "Hợp tác xã Sen Tháp Mười"
    assert json.loads(entries[1].after or "{}")["name"] == "HTX Sen Hồng"
    assert json.loads(entries[2].after or "{}")["deleted"] is True
    assert all(e.actor == "Nguyễn Thị Lan" for e in entries)
    report = audit.verify(ctx.engine)
    assert report.ok and report.entries == 4


def test_saving_unchanged_data_writes_no_entry(ctx: AppContext) -> None:
    pid = _make(ctx)
    save_producer(ctx, ProducerData(name="Hợp tác xã Sen Tháp Mười", legal_type="htx", commune_code="30037",
                                    phone="0912345678", id=pid))
    assert len(audit.history(ctx.engine, pid)) == 1


def _raw(ctx: AppContext) -> sqlite3.Connection:
    ctx.engine.dispose()
    return sqlite3.connect(ctx.data_dir / DB_FILENAME)


def test_altered_entry_is_detected(ctx: AppContext) -> None:
    for i in range(3):
        _make(ctx, f"Chủ thể {i}")
    conn = _raw(ctx)
    after = conn.execute("SELECT after FROM audit_log WHERE seq = 2").fetchone()[0]
    conn.execute("UPDATE audit_log SET after = ? WHERE seq = 2", (after.replace("Chủ thể 1", "Chủ thể X"),))
    conn.commit()
    conn.close()
    report = audit.verify(ctx.engine)
    assert not report.ok and report.first_bad_seq == 2 and report.reason == "entry content altered"


def test_removed_entry_is_detected(ctx: AppContext) -> None:
    for i in range(3):
        _make(ctx, f"Chủ thể {i}")
    conn = _raw(ctx)
    conn.execute("DELETE FROM audit_log WHERE seq = 2")
    conn.commit()
    conn.close()
    report = audit.verify(ctx.engine)
    assert not report.ok and report.first_bad_seq == 2


def test_rehashed_entry_breaks_the_next_link(ctx: AppContext) -> None:
    """Recomputing the hash of an edited entry is not enough: the next entry points at the old hash."""
    for i in range(3):
        _make(ctx, f"Chủ thể {i}")
    from database.engine import write_session
    from database.tables import AuditEntry

    with write_session(ctx.engine) as s:
        entry = s.get(AuditEntry, 1)
        assert entry is not None
        entry.actor = "Kẻ giả mạo"
        entry.hash = audit.entry_hash(entry)
        s.add(entry)
    report = audit.verify(ctx.engine)
    assert not report.ok and report.first_bad_seq == 2 and "link" in report.reason
