"""An import is all or nothing: a fault at every write step, SIGKILL mid-import, and the backup taken
beside it (its content, its failure, how many are kept)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from database.engine import write_session
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.sync.exchange.applier import FaultPlan, InjectedFault
from ocop_desktop.sync.exchange.importer import import_package
from tests.package_builder import PackageBuilder
from tests.sync_fixtures import Pair, db_digest, export_to_province

ROOT = Path(__file__).resolve().parent.parent


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")
            if "backups" not in p.parts and not p.name.startswith("ocop.sqlite")}


@pytest.mark.parametrize("every_after", [False, True], ids=["fail once", "fail from k on"])
def test_fail_at_every_write_step(pair: Pair, every_after: bool) -> None:
    package = export_to_province(pair, "1.ocsync", full=True)
    counter = FaultPlan(at=10**9)
    probe = pair.tmp / "probe"
    import shutil
    shutil.copytree(pair.province.data_dir, probe)
    from ocop_desktop.store.context import open_context
    probe_ctx = open_context(probe)
    import_package(probe_ctx, package, faults=counter)
    probe_ctx.close()
    writes = counter.count
    assert writes >= 4
    before, files = db_digest(pair.province), _files(pair.province.data_dir)
    for k in range(1, writes + 1):
        with pytest.raises(InjectedFault):
            import_package(pair.province, package, faults=FaultPlan(at=k, every_after=every_after))
        assert db_digest(pair.province) == before, f"write {k}"
        assert _files(pair.province.data_dir) == files, f"write {k}"
        assert pair.province.engine.connect().exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
    assert import_package(pair.province, package).status == "imported"  # a retry without the fault works


CHILD = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from ocop_desktop.store.context import open_context
from ocop_desktop.sync.exchange.importer import import_package
ctx = open_context(Path({folder!r}))
print("start", flush=True)
import_package(ctx, Path({package!r}))
print("done", flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a POSIX signal")
def test_sigkill_during_import_all_or_nothing(pair: Pair) -> None:
    builder = PackageBuilder.from_package(export_to_province(pair, "base.ocsync", full=True), pair.local_key())
    template = builder.records["producer"][0]
    builder.records = {"producer": [{**template, "id": f"{i:032x}", "name": f"Chủ thể {i}",
                                     "registration_no": None} for i in range(20_000)]}
    builder.files = {}
    package = pair.tmp / "big.ocsync"
    package.write_bytes(builder.build())
    db = pair.province.data_dir / "ocop.sqlite"
    pair.province.close()
    outcomes = set()
    for delay in (0.3, 0.6, 0.9, 1.2, 1.6, 2.0):
        child = subprocess.Popen([sys.executable, "-c", CHILD.format(root=str(ROOT), folder=str(db.parent),
                                                                    package=str(package))],
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None and child.stdout.readline().strip() == "start"
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        producers = conn.execute("SELECT count(*) FROM producer WHERE owner_unit = '30037'").fetchone()[0]
        ledger = conn.execute("SELECT count(*) FROM sync_ledger").fetchone()[0]
        conn.close()
        assert (producers, ledger) in {(0, 0), (20_000, 1)}, (delay, producers, ledger)
        outcomes.add(producers)
        if producers:
            break
    assert 0 in outcomes  # at least one kill landed before the commit
    from ocop_desktop.store.context import open_context
    pair.province = open_context(db.parent)


def test_the_backup_holds_the_state_before_the_import_and_is_checked_before_the_commit(pair: Pair) -> None:
    """The backup is copied beside the import (a WAL snapshot taken before it writes)."""
    package = export_to_province(pair, "1.ocsync", full=True)
    before = db_digest(pair.province)
    report = import_package(pair.province, package)
    assert report.backup is not None and db_digest(pair.province) != before
    from ocop_desktop.store.context import open_context

    copy = pair.tmp / "from-backup"
    copy.mkdir()
    (copy / "ocop.sqlite").write_bytes(report.backup.read_bytes())
    restored = open_context(copy)
    assert db_digest(restored) == before  # none of the import's writes, all of the state before it
    restored.close()


def test_a_snapshot_backup_copies_the_state_when_it_started(pair: Pair, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import database.snapshot_backup as snapshot
    from database.migrate import copy_and_check
    from ocop_desktop.records import audit
    from ocop_desktop.store.context import open_context

    go = threading.Event()

    def late(src: sqlite3.Connection, target: Path, full_check: bool) -> None:
        assert go.wait(10)
        copy_and_check(src, target, full_check)

    monkeypatch.setattr(snapshot, "copy_and_check", late)
    before = db_digest(pair.province)
    backup = snapshot.SnapshotBackup(pair.province.data_dir / "ocop.sqlite", "test")
    with write_session(pair.province.engine) as s:  # written and committed before the copy even begins
        audit.record(s, current_installation(s), "test", "producer", "x", None, {"n": 1})
    go.set()
    copy = pair.tmp / "from-snapshot"
    copy.mkdir()
    (copy / "ocop.sqlite").write_bytes(backup.result().read_bytes())
    restored = open_context(copy)
    assert db_digest(restored) == before != db_digest(pair.province)
    restored.close()


def test_an_import_whose_backup_fails_writes_nothing(pair: Pair, monkeypatch: pytest.MonkeyPatch) -> None:
    import database.snapshot_backup
    from database.errors import DatabaseCorrupt

    def broken(*_args: object) -> None:
        time.sleep(0.2)  # still copying when the import is ready to commit
        raise DatabaseCorrupt("backup copy failed integrity_check: test")

    monkeypatch.setattr(database.snapshot_backup, "copy_and_check", broken)
    package = export_to_province(pair, "1.ocsync", full=True)
    before, files = db_digest(pair.province), _files(pair.province.data_dir)
    with pytest.raises(DatabaseCorrupt):
        import_package(pair.province, package)
    assert db_digest(pair.province) == before and _files(pair.province.data_dir) == files
    monkeypatch.undo()
    assert import_package(pair.province, package).status == "imported"


def test_only_the_newest_import_backups_are_kept(pair: Pair) -> None:
    from ocop_desktop.installation.backups import list_backups, prune_import_backups

    folder = pair.province.data_dir / "backups"
    folder.mkdir(exist_ok=True)
    for i in range(13):
        path = folder / f"truoc-nhap-goi-2026112{i // 10}-{i:06d}-000000.sqlite"
        path.write_bytes(b"x")
        os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))
    (folder / "pre-migrate-0009-20261128-000000-000000.sqlite").write_bytes(b"x")
    assert prune_import_backups(pair.province.data_dir, keep=10) == 3
    left = list_backups(pair.province.data_dir)
    assert len([b for b in left if b.label == "truoc-nhap-goi"]) == 10
    assert any(b.label == "pre-migrate-0009" for b in left)
