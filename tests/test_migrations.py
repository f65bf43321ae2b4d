"""Migrations: from empty to head, no drift, backup first, refusal of newer or damaged files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import database.tables  # noqa: F401
from database.engine import make_engine
from database.errors import DatabaseCorrupt, DatabaseLocked, DatabaseTooNew, DataFolderNotWritable, classify
from database.migrate import DB_FILENAME, current_revision, head_revision, open_store, upgrade
from ocop_desktop.installation.setup import init_installation
from ocop_desktop.registry.producers import ProducerData, save_producer
from ocop_desktop.reports.stats import summary
from ocop_desktop.store.context import AppContext, open_context


def test_upgrade_from_empty_reaches_head_in_wal(data_dir: Path) -> None:
    engine = open_store(data_dir)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
    engine.dispose()
    assert {"producer", "product", "attachment", "audit_log", "installation", "product_fts"} <= tables
    assert current_revision(data_dir / DB_FILENAME) == head_revision()


def test_models_and_migrations_do_not_drift(data_dir: Path) -> None:
    from database.search_index import is_search_index_object

    engine = open_store(data_dir)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={
            "compare_type": True,
            "include_object": lambda obj, name, type_, reflected, compare_to: not (name and is_search_index_object(name)),
        })
        diff = compare_metadata(ctx, SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_backup_is_taken_before_migrating_and_data_survives(data_dir: Path) -> None:
    data_dir.mkdir()
    db = data_dir / DB_FILENAME
    upgrade(db, "0001")  # a store as the first release left it
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO installation (id, device_id, province_code, unit_code, level, officer_name, language,"
                 " counter, is_demo, created_at) VALUES (1, 'dev1', '82', '82', 'province', 'Lê Văn Tám', 'vi', 0, 0,"
                 " '2026-01-01 00:00:00')")
    conn.commit()
    conn.close()
    ctx = open_context(data_dir)
    backups = list((data_dir / "backups").glob("pre-migrate-0001-*.sqlite"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT officer_name FROM installation").fetchone() == ("Lê Văn Tám",)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.close()
    assert current_revision(db) == head_revision()
    assert ctx.require_installation().officer_name == "Lê Văn Tám"
    # the search index built by 0002 covers rows written after the upgrade
    save_producer(ctx, ProducerData(name="Hợp tác xã Sen Hồng", legal_type="htx", commune_code="30037"))
    from ocop_desktop.records.listing import ListRequest
    from ocop_desktop.registry.producers import producer_count

    assert producer_count(ctx, ListRequest(search="sen hong")) == 1
    ctx.close()


def test_no_backup_for_a_new_store(data_dir: Path) -> None:
    open_store(data_dir).dispose()
    assert not (data_dir / "backups").exists()


def test_newer_database_is_refused_and_left_untouched(data_dir: Path) -> None:
    open_store(data_dir).dispose()
    db = data_dir / DB_FILENAME
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(DatabaseTooNew) as info:
        open_store(data_dir)
    assert "phiên bản mới hơn" in info.value.message_vi
    assert db.read_bytes() == before


def test_garbage_file_is_reported_as_corrupt(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / DB_FILENAME).write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseCorrupt) as info:
        open_store(data_dir)
    assert "bị hỏng" in info.value.message_vi


def test_damaged_sqlite_file_is_reported_as_corrupt(data_dir: Path) -> None:
    ctx = open_context(data_dir)
    init_installation(ctx, "82", "province", "A")
    ctx.close()
    db = data_dir / DB_FILENAME
    raw = bytearray(db.read_bytes())
    raw[4096:8192] = b"\xff" * 4096  # overwrite a b-tree page
    db.write_bytes(bytes(raw))
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with pytest.raises(DatabaseCorrupt):
        open_store(data_dir)


def test_unwritable_data_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(DataFolderNotWritable) as info:
        open_store(blocker / "data")
    assert "Không ghi được" in info.value.message_vi


def test_locked_database_is_classified(data_dir: Path) -> None:
    open_store(data_dir).dispose()
    db = data_dir / DB_FILENAME
    holder = sqlite3.connect(db)
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(db, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as info:
        other.execute("BEGIN IMMEDIATE")
    holder.rollback()
    holder.close()
    other.close()
    assert isinstance(classify(info.value), DatabaseLocked)


def test_failed_write_leaves_nothing_half_written(ctx: AppContext) -> None:
    """A use case that fails mid-way rolls back: no producer, no audit entry, no counter bump."""
    from database.engine import write_session
    from database.tables import Producer

    before = summary(ctx)
    counter = ctx.require_installation().counter
    with pytest.raises(RuntimeError), write_session(ctx.engine) as s:
        s.add(Producer(name="X", legal_type="htx", province_code="82", owner_unit="82", origin_device="d"))
        s.flush()
        raise RuntimeError("boom")
    assert summary(ctx) == before
    assert ctx.require_installation().counter == counter


def test_engine_pragmas_for_migrations_leave_foreign_keys_off(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "x.sqlite", foreign_keys=False)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
    engine.dispose()


def test_head_constant_matches_the_scripts() -> None:
    from database.migrate import HEAD_REVISION

    assert head_revision() == HEAD_REVISION
