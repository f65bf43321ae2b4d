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
from datetime import UTC, datetime
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
from ocop_desktop.language.text import fold
from ocop_desktop.records import audit
from ocop_desktop.records.search_keys import producer_key, product_key
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.registry.attachments import blob_path
from ocop_desktop.store.context import AppContext
from ocop_desktop.sync.exchange.bulk_insert import insert_rows
from ocop_desktop.sync.exchange.catalogs import store_received
from ocop_desktop.sync.exchange.installation_view import InstallationView
from ocop_desktop.sync.package.container import read_entries, read_member
from ocop_desktop.sync.package.format import parse_timestamp
from ocop_desktop.sync.package.record_codec import COLUMNS, KEYED, check_version_vector, rows_as_records, sql_values
from ocop_desktop.sync.package.rejections import PackageRejected
from ocop_desktop.sync.package.verify import Verified, verify_file
from ocop_desktop.sync.trust import clock

log = logging.getLogger(__name__)
BATCH = 1024  # records classified together (one SELECT of the local versions per batch)
DECISIONS = ("new", "updated", "unchanged", "stale", "conflicts")
IMPORT_CACHE_KIB = 16 * 1024  # bench: about 7 % off a late package; peak memory +15 MB at 25,000 products


class InjectedFault(Exception):
    """Raised by a test's :class:`FaultPlan` at a chosen write step."""


@dataclass
class FaultPlan:
    """Fail the import at write number ``at`` (once, or at every write from ``at`` on)."""

    at: int
    every_after: bool = False
    count: int = 0

    def step(self) -> None:
        self.count += 1
        if self.count == self.at or (self.every_after and self.count >= self.at):
            raise InjectedFault(f"injected fault at write {self.count}")


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


def compare(incoming: dict[str, int], local: dict[str, int]) -> str:
    """newer | older | equal | concurrent, by version vector (never by clock)."""
    devices = incoming.keys() | local.keys()
    ahead = any(incoming.get(d, 0) > local.get(d, 0) for d in devices)
    behind = any(incoming.get(d, 0) < local.get(d, 0) for d in devices)
    if ahead and behind:
        return "concurrent"
    return "newer" if ahead else "older" if behind else "equal"


class DuplicateFinder:
    """Records of another unit that look like an incoming one: the same registration number, or the same
    name (folded: no tone marks, any case) in the same commune. Candidates are read once per commune, and
    registration numbers once per batch of producers (:meth:`prefetch`)."""

    def __init__(self, raw: Any, sender: str) -> None:
        self.raw, self.sender = raw, sender
        self.by_commune: dict[tuple[str, str], dict[str, list[str]]] = {}
        self.by_registration: dict[str, list[str]] = {}

    def _names(self, table: str, commune: str) -> dict[str, list[str]]:
        key = (table, commune)
        if key not in self.by_commune:
            query = ("SELECT id, name FROM producer WHERE commune_code = ? AND owner_unit != ? AND deleted = 0"
                     if table == "producer" else
                     "SELECT p.id, p.name FROM product p JOIN producer r ON r.id = p.producer_id "
                     "WHERE r.commune_code = ? AND p.owner_unit != ? AND p.deleted = 0")
            names: dict[str, list[str]] = {}
            for record_id, name in self.raw.execute(query, (commune, self.sender)):
                names.setdefault(fold(name), []).append(record_id)
            self.by_commune[key] = names
        return self.by_commune[key]

    def prefetch(self, producers: list[dict[str, Any]]) -> None:
        """Other units' producers with the registration numbers of ``producers``, in one query (the rows
        of other units do not change while a package is imported, so they are read once)."""
        wanted = {r["registration_no"] for r in producers if r["registration_no"]} - self.by_registration.keys()
        if not wanted:
            return
        found: dict[str, list[str]] = {number: [] for number in wanted}
        for number, other in self.raw.execute(
                "SELECT registration_no, id FROM producer WHERE registration_no IN (SELECT value FROM json_each(?)) "
                "AND owner_unit != ? AND deleted = 0 ORDER BY rowid", (canonical(sorted(wanted)), self.sender)):
            found[number].append(other)
        self.by_registration.update(found)

    def find(self, table: str, record: dict[str, Any],
             producers: dict[str, tuple[str, str | None]]) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        if table == "producer":
            commune = record["commune_code"]
            number = record["registration_no"]
            if number:
                if number not in self.by_registration:  # the applier prefetches its batches
                    self.prefetch([record])
                found = [(other, "registration_no") for other in self.by_registration[number]]
        else:
            producer = producers.get(record["producer_id"])
            commune = producer[1] if producer else None
        names = self._names(table, commune) if commune and not record["deleted"] else None
        if names:  # most communes have no other unit's records: nothing to fold the name for
            seen = {other for other, _ in found}
            found += [(other, "name_commune") for other in names.get(fold(record["name"]), []) if other not in seen]
        return found


class _Applier:
    """The sink of the verifier: classifies each record against the store and, when writing,
    applies it in the open transaction."""

    def __init__(self, conn: Connection, *, units: Any, write: Verified | None = None,
                 faults: FaultPlan | None = None) -> None:
        """``write``: the package as the dry run verified it; None for the dry run itself."""
        self.units, self.faults = units, faults
        self.write = write is not None
        self.sha256 = write.sha256 if write else ""
        self.sender = write.manifest["sender"]["unit"] if write else ""
        self.raw: Any = conn.connection.driver_connection  # sqlite3 itself: executemany without wrappers
        self.pending: dict[str, list[dict[str, Any]]] = {}
        self.producers: dict[str, tuple[str, str | None]] = {}
        self.tables: dict[str, dict[str, int]] = {}
        self.conflicts: list[tuple[str, str, list[str]]] = []
        self.duplicates = DuplicateFinder(self.raw, self.sender)
        self.flagged_total = 0
        self.releases: list[dict[str, Any]] = []
        self.flagged: list[tuple[str, str, str, str]] = []  # table, incoming id, existing id, reason

    def record(self, table: str, record: dict[str, Any]) -> None:
        if table not in self.pending and self.pending:  # the next table: its parents' last rows first
            self.flush_all()  # (a product's search key needs its producer, maybe in the last batch)
        if table == "catalog_release":
            self.releases.append(record)
        batch = self.pending.setdefault(table, [])
        batch.append(record)
        if len(batch) >= BATCH:
            self.flush(table)

    def flush_all(self) -> None:
        for table in list(self.pending):
            self.flush(table)

    def step(self) -> None:
        if self.faults is not None:
            self.faults.step()

    def flush(self, table: str) -> None:
        batch = self.pending.pop(table, [])
        if not batch:
            return
        names = [c.name for c in COLUMNS[table]]
        cursor = self.raw.cursor()
        cursor.execute(f'SELECT {", ".join(names)} FROM "{table}" WHERE id IN (SELECT value FROM json_each(?))',
                       (canonical([r["id"] for r in batch]),))
        local = {row["id"]: row for row in rows_as_records(cursor, table, names)}
        counts = self.tables.setdefault(table, dict.fromkeys(DECISIONS, 0))
        inserts, updates = [], []
        if table == "producer":
            self.duplicates.prefetch([r for r in batch if r["id"] not in local])
        for record in batch:
            if table == "producer":
                self.producers[record["id"]] = (record["name"], record["commune_code"])
            mine = local.get(record["id"])
            if mine is None:
                counts["new"] += 1
                inserts.append(record)
                if table in ("producer", "product"):
                    self.flagged += [(table, record["id"], other, why) for other, why in
                                     self.duplicates.find(table, record, self.producers)]
                continue
            decision = compare(check_version_vector(table, record), check_version_vector(table, mine))
            if decision == "equal":
                counts["unchanged"] += 1
            elif decision == "older":
                counts["stale"] += 1
            elif decision == "newer":
                counts["updated"] += 1
                updates.append(record)
            else:
                counts["conflicts"] += 1
                differing = sorted(k for k in record if record[k] != mine[k] and k != "version_vector")
                if len(self.conflicts) < 200:
                    self.conflicts.append((table, record["id"], differing))
                if self.write:
                    self.step()
                    cursor.execute(
                        "INSERT INTO sync_conflict (table_name, record_id, package_sha256, sender_unit, local_row, "
                        "incoming_row, fields, created_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open')",
                        (table, record["id"], self.sha256, self.sender, canonical(mine), canonical(record),
                         canonical(differing), f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S}.000000"))
        if not self.write:
            return
        if self.flagged:
            self.step()
            now = f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S}.000000"
            insert_rows(cursor, "sync_duplicate", ("table_name", "record_id", "other_id", "reason", "package_sha256",
                                                   "created_at", "status"),
                        [(*f, self.sha256, now, "open") for f in self.flagged])
            self.flagged_total += len(self.flagged)
            self.flagged.clear()
        keyed = table in KEYED
        columns = names + (["search_key"] if keyed else [])
        if inserts:
            self.step()
            insert_rows(cursor, table, columns, [self._values(table, r, keyed) for r in inserts])
        if updates:
            self.step()
            assignments = ", ".join(f"{c} = ?" for c in columns if c != "id")
            cursor.executemany(f'UPDATE "{table}" SET {assignments} WHERE id = ?',
                               [[*self._values(table, r, keyed)[1:], r["id"]] for r in updates])

    def _values(self, table: str, record: dict[str, Any], keyed: bool) -> list[Any]:
        values = sql_values(table, record)  # column order: id first
        if keyed:
            values.append(self._search_key(table, record))
        return values

    def _search_key(self, table: str, record: dict[str, Any]) -> str:
        if table == "producer":
            return producer_key(record, self.units)
        producer = self.producers.get(record["producer_id"])
        if producer is None:
            row = self.raw.execute("SELECT name, commune_code FROM producer WHERE id = ?",
                                   (record["producer_id"],)).fetchone()
            producer = self.producers[record["producer_id"]] = (row[0], row[1]) if row else ("", None)
        return product_key(record["name"], record["code"], producer[0], self.units.unit_name(producer[1]))


def preview_import(ctx: AppContext, path: Path, control: JobControl | None = None, *,
                   accept_gap: bool = False) -> ImportReport:
    """The dry run: full verification and what importing would do, table by table. Writes nothing."""
    with read_session(ctx.engine) as s:
        applier = _Applier(s.connection(), units=ctx.units())
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
    applier = _Applier(conn, units=ctx.units(), write=checked, faults=faults)
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

