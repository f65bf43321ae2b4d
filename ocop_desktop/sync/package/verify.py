"""Verify a package without importing it: every check of docs/package-format.md §5, in that order.

Nothing is parsed before the signature over the manifest passes, and nothing is written anywhere:
the verifier only reads the package and, through a :class:`View`, this installation's trust store,
ledger and records. The importer (issue 6) runs this first and writes only what it accepted.
"""

from __future__ import annotations

import hashlib
import logging
import os
from datetime import timedelta
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ocop_desktop.infra.tasks import JobControl
from ocop_desktop.sync.package import strict_json
from ocop_desktop.sync.package.attachment_check import FileFacts
from ocop_desktop.sync.package.container import LIMITS, Entry, Limits, check_crc, read_entries, read_stored
from ocop_desktop.sync.package.format import (
    DOWNWARD,
    KIND_OF_PAYLOAD,
    KINDS_BY_PURPOSE,
    TABLES_BY_KIND,
    check_manifest,
    pae,
    parse_signature_document,
    parse_timestamp,
)
from ocop_desktop.sync.package.members import RecordChecks, stream_member
from ocop_desktop.sync.package.record_codec import COLUMNS
from ocop_desktop.sync.package.rejections import PackageRejected
from ocop_desktop.sync.package.view import KeyInfo, RecordSink, Verified, View

log = logging.getLogger(__name__)
FUTURE_REFUSED = timedelta(days=2)
FUTURE_WARNED = timedelta(minutes=10)
EXPIRY_WARNED = timedelta(days=14)


def _hash_file(fh: BinaryIO, size: int, control: JobControl) -> str:
    digest, done = hashlib.sha256(), 0
    fh.seek(0)
    while chunk := fh.read(1 << 22):
        digest.update(chunk)
        done += len(chunk)
        control.step(done, size * 3, "Đang tính mã băm của gói")
    return digest.hexdigest()


def _small_member(fh: BinaryIO, entries: dict[str, Entry], name: str, cap: int, missing: str, big: str) -> bytes:
    """``manifest.sig`` or ``manifest.json``: STORED (the container checked that), within its cap, read
    as stored. Its CRC-32 is checked only after the signature (§5 step 4), so that a changed byte in
    either reads as a signature failure rather than as a damaged ZIP."""
    entry = entries.get(name)
    if entry is None:
        raise PackageRejected(missing, name)
    if entry.size > cap:
        raise PackageRejected(big, name)
    return read_stored(fh, entry)


def _check_signatures(view: View, payload_type: str, manifest_bytes: bytes,
                      signatures: list[tuple[str, bytes]]) -> KeyInfo:
    """One valid signature by a trusted, unrevoked key (keyid is only a hint naming the candidate)."""
    message = pae(payload_type, manifest_bytes)
    revoked: KeyInfo | None = None
    for key_id, signature in signatures:
        key = view.key(key_id)
        if key is None:
            continue
        try:
            Ed25519PublicKey.from_public_bytes(key.public).verify(signature, message)
        except InvalidSignature:
            continue
        if key.status != "active":
            revoked = key
            continue
        return key
    if revoked is not None:
        raise PackageRejected("KEY_REVOKED", revoked.key_id[:16])
    if all(view.key(key_id) is None for key_id, _ in signatures):
        raise PackageRejected("KEY_UNKNOWN")
    raise PackageRejected("SIG_INVALID")


def _check_header(view: View, manifest: dict[str, Any], key: KeyInfo, warnings: list[str]) -> None:
    sender = manifest["sender"]
    if sender["key_id"] != key.key_id or (key.device is not None and sender["device"] != key.device):
        raise PackageRejected("KEY_MISMATCH", f"gói ghi khóa {sender['key_id'][:16]}…")
    if sender["unit"] != key.unit:
        raise PackageRejected("SENDER_SCOPE", key.unit)
    if manifest["recipient"]["unit"] != view.this_unit:
        raise PackageRejected("WRONG_RECIPIENT", manifest["recipient"]["unit"])
    if manifest["environment"] != view.environment:
        shown = {"training": "tập huấn (demo)", "production": "thật"}[manifest["environment"]]
        raise PackageRejected("WRONG_ENVIRONMENT", shown)
    if not 1 <= sender["epoch"] <= key.epoch:
        raise PackageRejected("EPOCH_NOT_AUTHORISED", str(sender["epoch"]))
    created = parse_timestamp(manifest["created_at"])
    if created > view.now + FUTURE_REFUSED:
        raise PackageRejected("FUTURE_CREATED", created.strftime("%d/%m/%Y %H:%M"))
    if created > view.now + FUTURE_WARNED:
        warnings.append(f"Gói ghi thời điểm tạo {created:%d/%m/%Y %H:%M} (UTC), sau giờ của máy này: "
                        "đồng hồ của một trong hai máy có thể sai.")
    expires = manifest["expires"]
    if (manifest["kind"] in DOWNWARD) != (expires is not None):
        raise PackageRejected("MANIFEST_FIELD", "expires (bắt buộc với gói từ tỉnh, không có với gói gửi lên)")
    if expires is not None:
        until = parse_timestamp(expires)
        if view.now > until:
            raise PackageRejected("EXPIRED", until.strftime("%d/%m/%Y"))
        if view.now + EXPIRY_WARNED > until:
            warnings.append(f"Gói sẽ hết hạn ngày {until:%d/%m/%Y}.")


def _sequence(view: View, manifest: dict[str, Any], sha256: str) -> tuple[str, int | None]:
    sender = manifest["sender"]
    seen = view.ledger(sender["unit"], sender["device"])
    for item in seen:
        if item.sha256 == sha256 and item.status == "imported":
            return "already", None
    epoch, seq = sender["epoch"], sender["seq"]
    if any(item.epoch == epoch and item.seq == seq and item.sha256 != sha256 for item in seen):
        raise PackageRejected("EQUIVOCATION", f"{seq} (epoch {epoch})")
    if any(item.epoch > epoch for item in seen):
        raise PackageRejected("SEQ_REPLAYED", f"{seq} (epoch {epoch} cũ)")
    imported = sorted((i for i in seen if i.epoch == epoch and i.status == "imported"), key=lambda i: i.seq)
    if imported and seq < imported[-1].seq:
        raise PackageRejected("SEQ_REPLAYED", str(seq))
    last = imported[-1] if imported else None
    expected_prev = last.sha256 if last else None
    expected_seq = last.seq + 1 if last else 1
    if seq == expected_seq:  # its turn: it must link to the last package seen, or it is another branch
        if sender["prev_package_sha256"] != expected_prev:
            raise PackageRejected("CHAIN_FORK", f"{seq} (epoch {epoch})")
        return "next", None
    return "gap", expected_seq


def verify_file(path: Path, view: View, *, limits: Limits = LIMITS, control: JobControl | None = None,
                sink: RecordSink | None = None, checked_sha256: str | None = None,
                accept_gap: bool = False) -> Verified:
    """Run every check on the package at ``path``; raise PackageRejected naming the first that fails.
    A ``sink`` is fed only when the package is the next in its sender's chain. Whatever else a
    package makes a check raise is logged as a bug and still refuses the package: a verifier has
    only two outcomes.

    ``checked_sha256``: a dry run has just checked every record of the file with this hash. If the
    file still has it, the per-record schema and score checks are not repeated (every member is still
    hashed against the signed manifest, so the records are the very bytes that were checked); the
    checks that depend on this installation's data (sequence, owners, references) run again."""
    try:
        return _verify_file(path, view, limits, control, sink, checked_sha256, accept_gap)
    except (RecursionError, MemoryError, TypeError, ValueError, KeyError, IndexError, AttributeError,
            OverflowError, UnicodeError) as exc:
        if isinstance(exc, PackageRejected):
            raise
        log.exception("unexpected error while verifying %s", path)
        raise PackageRejected("UNREADABLE", type(exc).__name__) from exc


def _verify_file(path: Path, view: View, limits: Limits, control: JobControl | None,
                 sink: RecordSink | None, checked_sha256: str | None = None,
                 accept_gap: bool = False) -> Verified:
    control = control or JobControl()
    path = Path(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise PackageRejected("FILE_UNREADABLE", f"{path.name}: {exc.strerror}") from exc
    with fh:
        size = os.fstat(fh.fileno()).st_size  # the size of the file that is open, not of a path
        entries = {e.name: e for e in read_entries(fh, size, limits)}
        sig_bytes = _small_member(fh, entries, "manifest.sig", limits.max_sig, "SIG_MISSING", "SIG_TOO_LARGE")
        payload_type, signatures = parse_signature_document(sig_bytes)
        kind = KIND_OF_PAYLOAD.get(payload_type)
        if kind is None:
            raise PackageRejected("PAYLOAD_TYPE_UNKNOWN", payload_type[:80])
        manifest_bytes = _small_member(fh, entries, "manifest.json", limits.max_manifest, "MEMBER_MISSING",
                                       "MEMBER_TOO_LARGE")
        key = _check_signatures(view, payload_type, manifest_bytes, signatures)
        check_crc(entries["manifest.sig"], sig_bytes)  # authentic bytes: only a header can still be wrong
        check_crc(entries["manifest.json"], manifest_bytes)
        if kind not in KINDS_BY_PURPOSE.get(key.purpose, set()) or (key.purpose == "device") != (len(key.unit) == 5):
            raise PackageRejected("KIND_NOT_ALLOWED", kind)
        if key.purpose == "province-publisher":  # only a current trust version vouches for the province's key
            until = view.trust_expires()
            if until is None:
                raise PackageRejected("TRUST_NOT_PINNED")
            if view.now > until:
                raise PackageRejected("TRUST_EXPIRED", until.strftime("%d/%m/%Y"))  # a frozen office is told so
        manifest = check_manifest(strict_json.loads(manifest_bytes, "Bảng kê manifest.json"))
        if manifest["kind"] != kind:
            raise PackageRejected("KIND_MISMATCH", f"{kind} ≠ {manifest['kind']}")
        warnings: list[str] = []
        _check_header(view, manifest, key, warnings)
        listed = _check_member_set(manifest, entries, kind)
        sha256 = _hash_file(fh, size, control)
        sequence, waiting_for = _sequence(view, manifest, sha256)
        if sequence == "gap" and accept_gap:  # an officer's audited decision: the missing ones are lost
            sequence = "next"
        checks, facts = _check_members(fh, view, manifest, entries, listed, limits, control, size,
                                       sink if sequence == "next" else None, recheck=sha256 != checked_sha256)
        if sequence == "gap":
            warnings.append(f"Còn thiếu gói số {waiting_for} từ máy này: gói sẽ chờ đến khi nhận đủ.")
        verified = Verified(path, sha256, size, manifest, key, sequence, waiting_for, warnings, checks.ids)
        if sequence == "next":  # with a gap, references may live in the missing packages
            checks.finish(facts)
        return verified


def _check_member_set(manifest: dict[str, Any], entries: dict[str, Entry], kind: str) -> dict[str, Any]:
    listed: dict[str, Any] = {}
    for item in manifest["files"]:
        if item["path"] in listed:
            raise PackageRejected("FILES_ENTRY_INVALID", f"{item['path']} ghi hai lần")
        listed[item["path"]] = item
    present = set(entries) - {"manifest.json", "manifest.sig"}
    for name in sorted(set(listed) - present):
        raise PackageRejected("MEMBER_MISSING", name)
    for name in sorted(present - set(listed)):
        raise PackageRejected("MEMBER_UNLISTED", name)
    for name, item in listed.items():
        entry = entries[name]
        if entry.size != item["size"] or entry.stored_size != item["stored_size"]:
            raise PackageRejected("MEMBER_SIZE", name)
    tables = set()
    for name in listed:
        if name.startswith("records/"):
            table = name.removeprefix("records/").removesuffix(".jsonl")
            if table not in COLUMNS:
                raise PackageRejected("TABLE_UNKNOWN", table)
            if table not in TABLES_BY_KIND[kind]:
                raise PackageRejected("TABLE_NOT_ALLOWED", table)
            tables.add(table)
    if tables != set(manifest["counts"]):
        odd = sorted(tables ^ set(manifest["counts"]))[0]
        raise PackageRejected("COUNT_MISMATCH", odd)
    order = [f"records/{t}.jsonl" for t in TABLES_BY_KIND[kind] if t in tables]
    order += [*sorted(n for n in listed if n.startswith("files/")), "manifest.json", "manifest.sig"]
    if [e.name for e in sorted(entries.values(), key=lambda e: e.data_offset)] != order:  # one byte form only
        raise PackageRejected("NON_CANONICAL_HEADER", "thứ tự các thành phần khác thứ tự quy định")
    return listed


def _check_members(fh: BinaryIO, view: View, manifest: dict[str, Any], entries: dict[str, Entry],
                   listed: dict[str, Any], limits: Limits, control: JobControl,
                   size: int, sink: RecordSink | None, *,
                   recheck: bool = True) -> tuple[RecordChecks, dict[str, FileFacts]]:
    catalogs = {(c["id"], c["hash"]) for c in manifest["catalogs"]}
    checks = RecordChecks(view, manifest, catalogs, sink, recheck)
    facts: dict[str, FileFacts] = {}
    done = [size]
    total = size * 3

    def progress(n: int) -> None:
        done[0] += n
        control.step(min(done[0], total), total, "Đang kiểm tra nội dung gói")

    for name in sorted(listed, key=lambda n: entries[n].data_offset):
        entry = entries[name]
        if name.startswith("records/"):
            table = name.removeprefix("records/").removesuffix(".jsonl")
            count = [0]
            where = f"records/{table}.jsonl"

            def on_line(line: bytes, table: str = table, count: list[int] = count, where: str = where) -> None:
                if not line:
                    raise PackageRejected("LINE_MALFORMED", f"{where}: dòng trống")
                count[0] += 1
                checks.record(table, strict_json.loads_record(line, where))

            stream_member(fh, entry, listed[name], limits, on_line, progress)
            if count[0] != manifest["counts"][table]:
                raise PackageRejected("COUNT_MISMATCH", table)
        else:
            found = stream_member(fh, entry, listed[name], limits, None, progress)
            assert found is not None
            facts[name.removeprefix("files/")] = found
    return checks, facts
