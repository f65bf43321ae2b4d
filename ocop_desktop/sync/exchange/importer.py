"""Import a verified package: a dry run first, then all of it in one transaction, or none of it.

Each record is compared with the local copy by version vector: a newer version is applied, an older
or equal one changes nothing, and a concurrent one goes to the conflicts queue with both versions
kept (docs/design.md §5; docs/sync-design.md §1 (Morango, ODK)). A backup is taken before every import. The package's
members are read again while the transaction is open and the whole verification runs again, so the
file cannot change between the check and the import.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection
from sqlmodel import Session, col, select

from database.base import utcnow
from database.engine import read_session, write_session
from database.migrate import DB_FILENAME
from database.snapshot_backup import SnapshotBackup
from database.tables import SyncLedger, SyncReceipt
from ocop_desktop import records
from ocop_desktop.evaluation.projection import project_records
from ocop_desktop.infra.errors import OcopError
from ocop_desktop.infra.files import replaced_atomically
from ocop_desktop.infra.jsontext import canonical
from ocop_desktop.infra.tasks import JobControl
from ocop_desktop.installation.backups import IMPORT_LABEL, prune_import_backups
from ocop_desktop.records import audit
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.registry.attachments import blob_path
from ocop_desktop.store.context import AppContext
from ocop_desktop.sync.exchange.applier import Applier, FaultPlan
from ocop_desktop.sync.exchange.catalogs import store_received
from ocop_desktop.sync.exchange.installation_view import InstallationView
from ocop_desktop.sync.package.container import read_entries, read_member
from ocop_desktop.sync.package.format import parse_timestamp
from ocop_desktop.sync.package.rejections import PackageRejected
from ocop_desktop.sync.package.verify import verify_file
from ocop_desktop.sync.package.view import Verified
from ocop_desktop.sync.trust import clock

log = logging.getLogger(__name__)
IMPORT_CACHE_KIB = 16 * 1024  # bench: about 7 % off a late package; peak memory +15 MB at 25,000 products


@dataclass
class ImportReport:
    verified: Verified
    status: str  # preview | imported | already | quarantined
    tables: dict[str, dict[str, int]] = field(default_factory=dict)
    conflicts: list[tuple[str, str, list[str]]] = field(default_factory=list)  # first 200: table, id, fields
    backup: Path | None = None
    files_added: int = 0
    duplicates: int = 0  # records flagged as looking like another unit's
    released: list[ImportReport] = field(default_factory=list)  # waiting packages imported after this one

    @property
    def conflict_count(self) -> int:
        return sum(t["conflicts"] for t in self.tables.values())


def preview_import(ctx: AppContext, path: Path, control: JobControl | None = None, *,
                   accept_gap: bool = False) -> ImportReport:
    """The dry run: full verification and what importing would do, table by table. Writes nothing."""
    with read_session(ctx.engine) as s:
        applier = Applier(s.connection(), units=ctx.units())
        verified = verify_file(path, InstallationView(ctx), control=control, sink=applier, accept_gap=accept_gap)
        applier.flush_all()
    status = "preview" if verified.sequence == "next" else verified.sequence
    return ImportReport(verified, status, applier.tables, applier.conflicts,
                        duplicates=len(applier.flagged))


def import_package(ctx: AppContext, path: Path, control: JobControl | None = None, *,
                   faults: FaultPlan | None = None, preview: ImportReport | None = None,
                   accept_gap_reason: str | None = None) -> ImportReport:
    """Verify and import ``path`` in one transaction (backup first). Re-importing is a no-op; a package
    that comes after a missing one waits in quarantine; a refused package leaves an audit line.
    ``preview``: the dry run the officer has just looked at (it is not run again; the import still
    verifies everything as it reads, and refuses a file that changed since).
    ``accept_gap_reason``: import a package that comes after missing ones now, as an audited
    decision; the missing packages will then be refused as older (their changes must come again)."""
    accept_gap = bool(accept_gap_reason and accept_gap_reason.strip())
    if accept_gap_reason is not None and not accept_gap:
        raise OcopError("Hãy ghi lý do chấp nhận thiếu gói.", "accept gap without a reason")
    path = Path(path)
    try:
        # fails early, before the backup, on a bad package
        first = preview if preview is not None else preview_import(ctx, path, control, accept_gap=accept_gap)
    except PackageRejected as rejected:
        record_rejection(ctx, path, rejected)
        raise
    if first.status == "already":
        return first
    if first.status == "gap" and _already_waiting(ctx, first.verified.sha256):
        first.status = "quarantined"  # it waits already: nothing to add
        return first
    backup = SnapshotBackup(ctx.data_dir / DB_FILENAME, IMPORT_LABEL)  # the state before; copied meanwhile
    created: list[Path] = []
    try:
        with write_session(ctx.engine) as s:
            with _page_cache(s.connection(), IMPORT_CACHE_KIB):
                report = _apply(ctx, s, path, first.verified, control, faults, created, accept_gap_reason)
            report.backup = backup.result()  # before the commit: without a checked backup, no import
    except BaseException:
        backup.wait()
        _remove(created, ctx.data_dir)
        raise
    if report.status != "imported":
        return report
    verified = report.verified
    _count_check(ctx, verified)
    prune_import_backups(ctx.data_dir)
    log.info("imported package %s from %s: %s", verified.sha256[:12], verified.manifest["sender"]["unit"],
             report.tables)
    (ctx.data_dir / "inbox" / "quarantine" / f"{verified.sha256}.ocsync").unlink(missing_ok=True)  # no longer waits
    report.released = _release_waiting(ctx, verified, control)
    return report


@contextmanager
def _page_cache(conn: Connection, kib: int) -> Iterator[None]:
    """A larger page cache for the connection while it applies a package: fewer index pages spilled
    to the WAL and read again before the commit. Bounded, so memory stays flat in the package size."""
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    conn.exec_driver_sql(f"PRAGMA cache_size = {-kib:d}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(before):d}")


def _apply(ctx: AppContext, s: Session, path: Path, checked: Verified, control: JobControl | None,
           faults: FaultPlan | None, created: list[Path], accept_gap_reason: str | None) -> ImportReport:
    """Inside the import's transaction: verify the package again while applying its records."""
    accept_gap = accept_gap_reason is not None
    conn = s.connection()
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # any member order; checked at commit
    applier = Applier(conn, units=ctx.units(), write=checked, faults=faults)
    verified = verify_file(path, InstallationView(ctx), control=control, sink=applier,
                           checked_sha256=checked.sha256, accept_gap=accept_gap)
    if verified.sha256 != checked.sha256:
        raise OcopError("Tệp gói đã thay đổi trong khi nhập; không có gì được ghi. Hãy nhập lại.",
                        "package file changed between the dry run and the import")
    report = ImportReport(verified, "imported", applier.tables, applier.conflicts)
    if verified.sequence == "already":
        report.status = "already"
        return report
    if verified.sequence == "gap":
        _quarantine(ctx, s, verified, faults, created)
        _receipt(s, verified, "quarantined", report, faults)
        report.status = "quarantined"
        return report
    applier.flush_all()
    project_records(conn, verified.record_ids)  # the products' recognition fields, from what arrived
    report.tables, report.conflicts = applier.tables, applier.conflicts
    report.duplicates = applier.flagged_total
    report.files_added = _store_files(ctx, path, verified, faults, created, applier.releases)
    _ledger(s, verified, "imported", report, faults)
    if accept_gap:
        sender = verified.manifest["sender"]
        audit.record(s, current_installation(s), "accept_gap", "sync_ledger", verified.sha256[:32], None,
                     {"sender": sender["unit"], "seq": sender["seq"], "reason": accept_gap_reason})
    _receipt(s, verified, "imported", report, faults)
    _acknowledge(s, faults)
    return report


def _release_waiting(ctx: AppContext, verified: Verified, control: JobControl | None) -> list[ImportReport]:
    """The package from the same sender that waited for this one, imported now (and, through its own
    import, the one that waited for it, and so on)."""
    sender = verified.manifest["sender"]
    with read_session(ctx.engine) as s:
        waiting = s.scalars(select(SyncLedger).where(
            col(SyncLedger.sender_unit) == sender["unit"], col(SyncLedger.sender_device) == sender["device"],
            col(SyncLedger.epoch) == sender["epoch"], col(SyncLedger.seq) == sender["seq"] + 1,
            col(SyncLedger.status) == "quarantined")).first()
    copy = ctx.data_dir / "inbox" / "quarantine" / f"{waiting.sha256}.ocsync" if waiting else None
    if copy is None or not copy.exists():
        return []
    try:
        report = import_package(ctx, copy, control)
    except (PackageRejected, OcopError) as exc:  # it stays in the queue; the reason goes to the log
        log.warning("quarantined package %s not released: %s", copy.name[:12], exc)
        return []
    if report.status != "imported":
        return []
    copy.unlink(missing_ok=True)
    return [report, *report.released]


def _already_waiting(ctx: AppContext, sha256: str) -> bool:
    with read_session(ctx.engine) as s:
        row = s.get(SyncLedger, sha256)
    return row is not None and row.status == "quarantined"


def _remove(created: list[Path], root: Path) -> None:
    """Undo the files an import wrote before it failed, with the folders it made for them."""
    for path in created:
        path.unlink(missing_ok=True)
        folder = path.parent
        while folder != root and folder.is_relative_to(root):
            try:
                folder.rmdir()
            except OSError:
                break  # not empty: other files live there
            folder = folder.parent


def record_rejection(ctx: AppContext, path: Path, rejected: PackageRejected) -> None:
    """One audit line for a refused package, in its own transaction after the rollback."""
    with write_session(ctx.engine) as s:
        inst = current_installation(s)
        audit.record(s, inst, "reject", "sync_ledger", Path(path).name[:32], None,
                     {"file": str(path), "code": rejected.code, "detail": rejected.detail[:500]})


def _ledger(s: Session, verified: Verified, status: str, report: ImportReport | None,
            faults: FaultPlan | None) -> None:
    if faults is not None:
        faults.step()
    manifest, sender = verified.manifest, verified.manifest["sender"]
    row = s.get(SyncLedger, verified.sha256)
    if row is None:
        row = SyncLedger(sha256=verified.sha256, package_id=manifest["package_id"], kind=manifest["kind"],
                         sender_unit=sender["unit"], sender_device=sender["device"], key_id=sender["key_id"],
                         epoch=sender["epoch"], seq=sender["seq"], prev_sha256=sender["prev_package_sha256"],
                         created_at=parse_timestamp(manifest["created_at"]), status=status)
    row.status = status
    row.counts = canonical(report.tables if report else manifest["counts"])
    s.add(row)
    clock.remember(s)
    s.flush()
    if faults is not None:
        faults.step()
    audit.record(s, current_installation(s), "import" if status == "imported" else "quarantine", "sync_ledger",
                 verified.sha256[:32], None, {"sender": sender, "counts": json.loads(row.counts),
                                              "conflicts": report.conflict_count if report else 0})


def _receipt(s: Session, verified: Verified, status: str, report: ImportReport, faults: FaultPlan | None) -> None:
    """This installation's answer to the package, as a record of its own that travels back."""
    if verified.kind == "receipt":
        return  # a receipt is not answered with a receipt
    if faults is not None:
        faults.step()
    sender = verified.manifest["sender"]
    receipt = SyncReceipt(package_sha256=verified.sha256, package_id=verified.manifest["package_id"],
                          package_sender_unit=sender["unit"], seq=sender["seq"], epoch=sender["epoch"], status=status,
                          counts=canonical(report.tables), conflicts=report.conflict_count, received_at=utcnow(),
                          owner_unit="", origin_device="")
    records.insert(s, current_installation(s), receipt)


def _acknowledge(s: Session, faults: FaultPlan | None) -> None:
    """Packages of ours that a receipt just imported says were received: delivered."""
    if faults is not None:
        faults.step()
    inst = current_installation(s)
    for status, answered in (("acknowledged", "imported"), ("waiting", "quarantined")):
        s.connection().exec_driver_sql(
            "UPDATE sync_outbox SET status = ? WHERE status NOT IN ('acknowledged', ?) AND sha256 IN "
            "(SELECT package_sha256 FROM sync_receipt WHERE package_sender_unit = ? AND status = ? AND deleted = 0)",
            (status, status, inst.unit_code, answered))


def _quarantine(ctx: AppContext, s: Session, verified: Verified, faults: FaultPlan | None,
                created: list[Path]) -> None:
    """Keep a package that waits for a missing one: a ledger row and a copy of the file."""
    target = ctx.data_dir / "inbox" / "quarantine" / f"{verified.sha256}.ocsync"
    if not target.exists():
        with replaced_atomically(target) as temp:
            shutil.copyfile(verified.path, temp)
        created.append(target)
    _ledger(s, verified, "quarantined", None, faults)


def _store_files(ctx: AppContext, path: Path, verified: Verified, faults: FaultPlan | None,
                 created: list[Path], releases: list[dict[str, Any]]) -> int:
    """Attachment bytes into the content-addressed store, and released catalogs among the received
    ones (each hash checked again while reading)."""
    catalogs = {r["sha256"]: r for r in releases if not r["deleted"]}
    added = 0
    with path.open("rb") as fh:
        entries = {e.name: e for e in read_entries(fh, path.stat().st_size)}
        for item in verified.manifest["files"]:
            if not item["path"].startswith("files/"):
                continue
            sha = item["path"].removeprefix("files/")
            release = catalogs.get(sha)
            target = blob_path(ctx, sha)
            if release is None and target.exists():
                continue
            if faults is not None:
                faults.step()
            content = b"".join(read_member(fh, entries[item["path"]]))
            if hashlib.sha256(content).hexdigest() != sha:
                raise PackageRejected("MEMBER_HASH", item["path"])
            if release is not None:
                stored = store_received(ctx, release["catalog_id"], release["catalog_hash"], content)
            else:
                with replaced_atomically(target) as temp:
                    temp.write_bytes(content)
                stored = target
            if stored is not None:
                created.append(stored)
                added += 1
    return added


def _count_check(ctx: AppContext, verified: Verified) -> None:
    """After the commit: every record of the package is in the store (Anki's sanity check)."""
    with read_session(ctx.engine) as s:
        for table, wanted in verified.record_ids.items():
            found = s.connection().exec_driver_sql(
                f'SELECT count(*) FROM "{table}" WHERE id IN (SELECT value FROM json_each(?))',
                (canonical(sorted(wanted)),)).scalar_one()
            if found != len(wanted) or len(wanted) != verified.counts.get(table):
                log.error("count check failed for %s: %s of %s", table, found, len(wanted))
                raise OcopError(f"Kiểm tra sau khi nhập: bảng {table} thiếu bản ghi. Hãy báo cho quản trị viên "
                                "(đã có bản sao lưu trước khi nhập).", f"post-commit count mismatch in {table}")

