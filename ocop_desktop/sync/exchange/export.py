"""Export a signed package for one recipient: full, or everything changed since the last one to it.

The rows are read in one read transaction (a consistent snapshot), streamed into the container,
signed, then read back and verified like a receiver would before the file gets its final name;
a copy goes to the outbox so that a re-send is byte-identical (docs/threat-model.md item 32). Nothing is
changed in the store except the outbox entry and its audit line, written in one transaction.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection
from sqlmodel import col, select

from database.base import new_id
from database.engine import read_session, write_session
from database.tables import AuditEntry, Installation, SyncOutbox
from ocop_desktop.evaluation.catalog import catalog_path, load_catalog
from ocop_desktop.infra.errors import OcopError
from ocop_desktop.infra.files import replaced_atomically
from ocop_desktop.infra.tasks import JobControl
from ocop_desktop.records import audit
from ocop_desktop.reference.vocab import OutboxStatus
from ocop_desktop.registry.attachments import blob_path
from ocop_desktop.store.context import AppContext
from ocop_desktop.sync.exchange.installation_view import SenderView, own_key
from ocop_desktop.sync.package import strict_json
from ocop_desktop.sync.package.container import CHUNK, LIMITS, ContainerWriter, Limits, Member
from ocop_desktop.sync.package.format import (
    DOWNWARD,
    FORMAT_VERSION,
    KINDS_BY_PURPOSE,
    PAYLOAD_TYPES,
    SUFFIX,
    TABLES_BY_KIND,
    environment_of,
    pae,
    signature_document,
    timestamp,
)
from ocop_desktop.sync.package.record_codec import encode_rows
from ocop_desktop.sync.package.verify import verify_file
from ocop_desktop.sync.trust import clock, keys
from ocop_desktop.sync.trust.enrolment import device_key_path

log = logging.getLogger(__name__)
DOWNWARD_VALIDITY = timedelta(days=180)  # generous for sneakernet; a warning comes two weeks before


@dataclass(frozen=True)
class ExportResult:
    path: Path
    package_id: str
    kind: str
    recipient: str
    epoch: int
    seq: int
    sha256: str
    size: int
    counts: dict[str, int]
    files: int
    full: bool


def default_file_name(inst: Installation, recipient: str, seq: int) -> str:
    return f"ocop-{inst.unit_code}-gui-{recipient}-e{inst.epoch}-so{seq:04d}{SUFFIX}"


def kind_for(inst: Installation) -> str:
    """A local office sends its records up; the province sends its decisions down."""
    return "upward-export" if inst.level == "local" else "decision"


def _check_recipient(ctx: AppContext, inst: Installation, recipient: str) -> None:
    units = ctx.units()
    if inst.level == "local" and recipient != inst.province_code:
        raise OcopError(f"Cán bộ cấp xã chỉ gửi gói lên tỉnh (mã {inst.province_code}).",
                        f"local office cannot send to {recipient}")
    if inst.level != "local" and recipient not in units.communes:
        raise OcopError(f"Mã '{recipient}' không phải xã/phường của {units.name}.", f"unknown recipient {recipient}")


def _where(kind: str, table: str, full: bool) -> str:
    owned = "owner_unit = :unit"
    if table == "sync_receipt":
        owned += " AND package_sender_unit = :recipient"  # the answers to the recipient's own packages
    elif kind == "decision":
        owned += " AND product_id IN (SELECT id FROM product WHERE owner_unit = :recipient)"
    if not full:
        owned += " AND json_extract(version_vector, :device_path) > :since"
    return owned


def _files(ctx: AppContext, conn: Connection, kind: str, full: bool, params: dict[str, Any]) -> dict[str, Path]:
    """The files the package carries, by hash: attachments' bytes, or the catalogs being released."""
    if "attachment" in TABLES_BY_KIND[kind]:
        rows = conn.exec_driver_sql(f"SELECT DISTINCT sha256 FROM attachment WHERE {_where(kind, 'attachment', full)} "
                                    "AND deleted = 0", params)
        return {sha: blob_path(ctx, sha) for (sha,) in rows}
    if "catalog_release" in TABLES_BY_KIND[kind]:
        rows = conn.exec_driver_sql(f"SELECT DISTINCT sha256, catalog_id FROM catalog_release WHERE "
                                    f"{_where(kind, 'catalog_release', full)} AND deleted = 0", params)
        found = {}
        for sha, catalog_id in rows:
            path = catalog_path(catalog_id, [ctx.catalogs_dir])  # this installation's own files
            if path is None or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
                raise OcopError(f"Tệp bộ tiêu chí '{catalog_id}' không còn như khi công bố; không thể xuất gói.",
                                f"catalog file {catalog_id} changed")
            found[sha] = path
        return found
    return {}


def _blob_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def export_package(ctx: AppContext, passphrase: str, recipient: str, target: Path, *, full: bool = False,
                   control: JobControl | None = None, limits: Limits = LIMITS,
                   receipts_only: bool = False, catalogs_only: bool = False) -> ExportResult:
    """Write the next package to ``recipient`` at ``target`` (signed, read back, verified).
    ``receipts_only``: just the receipts for the recipient's packages (a small, quick answer);
    ``catalogs_only``: the province's criteria catalogs (see sync/catalogs.py)."""
    control = control or JobControl()
    inst = ctx.require_installation()
    recipient = recipient.strip()
    _check_recipient(ctx, inst, recipient)
    kind = "receipt" if receipts_only else "catalog" if catalogs_only else kind_for(inst)
    key_path = device_key_path(ctx)
    if not key_path.exists():
        raise OcopError("Máy này chưa có khóa ký. Hãy tạo khóa trước (main.py keys create).", "no device key")
    header = keys.read_header(key_path.read_bytes())[2]
    if kind not in KINDS_BY_PURPOSE.get(header.purpose, set()):
        raise OcopError("Khóa của máy này không được phép ký loại gói này.", f"{header.purpose} cannot sign {kind}")
    control.step(0, 1, "Đang mở khóa ký")
    private = keys.open_key(key_path, passphrase)
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove_stale_parts(folder)
        handle, temp_name = tempfile.mkstemp(prefix=PART_PREFIX, suffix=PART_SUFFIX, dir=folder)
        os.close(handle)
    except OSError as exc:
        raise OcopError(f"Không ghi được vào thư mục '{folder}'.", f"cannot write in {folder}: {exc}") from exc
    temp = Path(temp_name)
    try:
        manifest, members, counters = _write(ctx, inst, kind, recipient, full, temp, private, header.key_id, control)
        verified = verify_file(temp, SenderView(ctx, this_unit=recipient,
                                                          own_key=own_key(ctx, keys.public_raw(private))), limits=limits,
                               control=control)
        kept = _outbox_file(ctx, recipient, inst.epoch, manifest["sender"]["seq"], manifest["package_id"])
        with replaced_atomically(kept) as copy:
            shutil.copyfile(temp, copy)
        _record_outbox(ctx, manifest, verified.sha256, verified.size, full, counters)  # prepared: not yet sent
        try:
            put_in_place(temp, target)
        except OSError as exc:
            raise OcopError(f"Gói đã tạo và lưu trong hộp thư đi nhưng không ghi được '{target}'. "
                            "Hãy gửi lại từ hộp thư đi.", f"rename to {target}: {exc}") from exc
        mark_sent(ctx, manifest["package_id"])  # only now is the file where the officer asked
    finally:
        temp.unlink(missing_ok=True)
    return ExportResult(target, manifest["package_id"], kind, recipient, inst.epoch, manifest["sender"]["seq"],
                        verified.sha256, verified.size, dict(manifest["counts"]),
                        sum(1 for m in members if m.name.startswith("files/")), full)


def _write(ctx: AppContext, inst: Installation, kind: str, recipient: str, full: bool, temp: Path,
           private: Any, key_id: str, control: JobControl
           ) -> tuple[dict[str, Any], list[Member], tuple[int, int]]:
    with read_session(ctx.engine) as s:  # one snapshot for the counter, the rows and the audit head
        conn = s.connection()
        fresh = s.get(Installation, 1)
        assert fresh is not None
        last = s.scalars(select(SyncOutbox).where(col(SyncOutbox.recipient_unit) == recipient,
                                                  col(SyncOutbox.epoch) == fresh.epoch)
                         .order_by(col(SyncOutbox.seq).desc()).limit(1)).first()
        since = 0 if full or last is None else last.upto_counter
        params = {"unit": inst.unit_code, "recipient": recipient, "device_path": f'$."{inst.device_id}"',
                  "since": since}
        tables = TABLES_BY_KIND[kind]
        totals = {t: conn.exec_driver_sql(f'SELECT count(*) FROM "{t}" WHERE {_where(kind, t, full)}',
                                          params).scalar_one() for t in tables}
        files = _files(ctx, conn, kind, full, params)
        shas = sorted(files)
        head = s.scalars(select(AuditEntry).order_by(col(AuditEntry.seq).desc()).limit(1)).first()
        grand, done = sum(totals.values()) + len(shas), 0
        members: list[Member] = []
        with temp.open("wb") as fh:
            writer = ContainerWriter(fh)
            for table in tables:
                if not totals[table]:
                    continue

                def rows(table: str = table) -> Iterator[bytes]:
                    nonlocal done
                    for n, data in encode_rows(conn, table, _where(kind, table, full), params):
                        done += n
                        control.step(done, grand * 2, f"Đang ghi {table}")
                        yield data

                members.append(writer.add(f"records/{table}.jsonl", rows(), compress=True))
            for sha in shas:
                blob = files[sha]
                if not blob.exists():
                    raise OcopError(f"Tệp đính kèm {sha[:12]}… bị thiếu trong kho của máy này; không thể xuất gói.",
                                    f"missing blob {sha}")
                members.append(writer.add(f"files/{sha}", _blob_chunks(blob), compress=False))
                done += 1
                control.step(done, grand * 2, "Đang ghi tệp đính kèm")
            seq = last.seq + 1 if last else 1
            catalog = load_catalog()
            used = {(catalog.id, catalog.hash)}
            if "score_sheet" in tables:  # every catalog the package's sheets were scored under
                used |= set(conn.exec_driver_sql("SELECT DISTINCT catalog_id, catalog_hash FROM score_sheet WHERE "
                                                 f"{_where(kind, 'score_sheet', full)}", params).all())
            trust_version = conn.exec_driver_sql("SELECT coalesce(max(version), 0) FROM trust_root_version").scalar()
            now = datetime.now(UTC)
            manifest = {
                "format_version": FORMAT_VERSION, "kind": kind, "package_id": new_id(),
                "environment": environment_of(fresh),
                "sender": {"unit": inst.unit_code, "device": inst.device_id, "key_id": key_id, "epoch": fresh.epoch,
                           "seq": seq, "prev_package_sha256": last.sha256 if last else None},
                "recipient": {"unit": recipient},
                "created_at": timestamp(now),
                "expires": timestamp(now + DOWNWARD_VALIDITY) if kind in DOWNWARD else None,
                "mode": "full" if full else "incremental",
                "counts": {t: n for t, n in totals.items() if n},
                "files": [{"path": m.name, "size": m.size, "sha256": m.sha256, "stored_size": m.stored_size,
                           "stored_sha256": m.stored_sha256} for m in members],
                "audit_head": {"count": head.seq if head and head.seq else 0,
                               "hash": head.hash if head else audit.GENESIS},
                "catalogs": [{"id": i, "hash": h} for i, h in sorted(used)],
                "trust_version": trust_version,
            }
            manifest_bytes = strict_json.dumps(manifest)
            payload_type = PAYLOAD_TYPES[kind]
            writer.add("manifest.json", [manifest_bytes], compress=False)
            writer.add("manifest.sig", [signature_document(payload_type, [(key_id, private.sign(
                pae(payload_type, manifest_bytes)))])], compress=False)
            writer.finish()
            fh.flush()
            os.fsync(fh.fileno())
    return manifest, members, (since, fresh.counter)


PART_PREFIX, PART_SUFFIX = ".ocop-", SUFFIX + ".part"
#: a ``.part`` file older than this was left by an export that was killed (an export takes minutes)
STALE_PART = timedelta(minutes=30)


def remove_stale_parts(folder: Path, now: datetime | None = None) -> list[Path]:
    """Remove the half-written packages a killed export left in ``folder`` (never a finished package)."""
    cutoff = (now or datetime.now(UTC)).timestamp() - STALE_PART.total_seconds()
    removed = []
    for part in folder.glob(f"{PART_PREFIX}*{PART_SUFFIX}"):
        try:
            if part.is_file() and part.stat().st_mtime < cutoff:
                part.unlink()
                removed.append(part)
        except OSError as exc:  # another program holds it, or the stick went away: leave it
            log.warning("stale part %s not removed: %s", part, exc)
    return removed


def put_in_place(temp: Path, target: Path) -> None:
    """The last step of an export: the finished file takes its name, in one rename."""
    os.replace(temp, target)


def mark_sent(ctx: AppContext, package_id: str) -> None:
    """The package's file is in place (written at export, or again from the outbox): it counts as sent."""
    with write_session(ctx.engine) as s:
        row = s.scalars(select(SyncOutbox).where(col(SyncOutbox.package_id) == package_id)).first()
        if row is not None and row.status == OutboxStatus.PREPARED:
            row.status = OutboxStatus.SENT
            s.add(row)


def _record_outbox(ctx: AppContext, manifest: dict[str, Any], sha256: str, size: int, full: bool,
                   counters: tuple[int, int]) -> None:
    sender = manifest["sender"]
    with write_session(ctx.engine) as s:
        clock.remember(s)
        inst = s.get(Installation, 1)
        assert inst is not None
        taken = s.scalars(select(SyncOutbox).where(col(SyncOutbox.recipient_unit) == manifest["recipient"]["unit"],
                                                   col(SyncOutbox.epoch) == sender["epoch"],
                                                   col(SyncOutbox.seq) >= sender["seq"])).first()
        if taken is not None:
            raise OcopError("Một gói khác vừa được xuất cho cùng nơi nhận; hãy xuất lại.", "concurrent export")
        row = SyncOutbox(package_id=manifest["package_id"], kind=manifest["kind"],
                         recipient_unit=manifest["recipient"]["unit"], epoch=sender["epoch"], seq=sender["seq"],
                         sha256=sha256, prev_sha256=sender["prev_package_sha256"], full=full,
                         since_counter=counters[0], upto_counter=counters[1],
                         counts=strict_json.dumps(manifest["counts"]).decode("utf-8"), size=size,
                         created_at=datetime.now(UTC), status=OutboxStatus.PREPARED)
        s.add(row)
        audit.record(s, inst, "export", "sync_outbox", row.package_id, None,
                     {"recipient": row.recipient_unit, "seq": row.seq, "epoch": row.epoch, "sha256": sha256,
                      "counts": manifest["counts"], "mode": manifest["mode"]})


def _outbox_file(ctx: AppContext, recipient: str, epoch: int, seq: int, package_id: str) -> Path:
    return ctx.data_dir / "outbox" / recipient / f"e{epoch}-{seq:06d}-{package_id}{SUFFIX}"


def outbox_path(ctx: AppContext, row: SyncOutbox) -> Path:
    """Where the outbox keeps the bytes of a sent package."""
    return _outbox_file(ctx, row.recipient_unit, row.epoch, row.seq, row.package_id)


def outbox(ctx: AppContext) -> list[SyncOutbox]:
    """Packages sent, newest first."""
    with read_session(ctx.engine) as s:
        return list(s.scalars(select(SyncOutbox).order_by(col(SyncOutbox.created_at).desc(),
                                                          col(SyncOutbox.seq).desc())))
