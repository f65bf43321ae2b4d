"""Enrolment and the trust store: who may send this installation packages, and for which unit.

A local office exports an enrolment request (its unit, device and public key, signed by that key);
the province reads it, compares the fingerprint with the one the office reads out over the phone or
prints, and only then accepts the key, scoped to that unit. The province's own keys, revocations and
authorised epochs reach the offices as versions of the trust root (:mod:`ocop_desktop.sync.trust.updates`), pinned
once by a fingerprint compared the same way. Keys never arrive inside data packages (docs/threat-model.md
items 3–6).
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlmodel import col, select

from database.base import utcnow
from database.engine import read_session, write_session
from database.tables import TrustedKey
from ocop_desktop.infra.errors import OcopError
from ocop_desktop.infra.files import replaced_atomically
from ocop_desktop.records import audit
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.store.context import AppContext
from ocop_desktop.sync.package import strict_json
from ocop_desktop.sync.package.format import HEX32
from ocop_desktop.sync.trust import keys

REQUEST_FORMAT = "ocop-enrol/1"
MAX_FILE = 1024 * 1024


def device_key_path(ctx: AppContext) -> Path:
    return ctx.data_dir / "keys" / "device.key"


def create_device_key(ctx: AppContext, passphrase: str, params: keys.KdfParams | None = None) -> str:
    """The installation's key, made once at set-up; returns its fingerprint."""
    inst = ctx.require_installation()
    purpose = "province-publisher" if inst.level == "province" else "device"
    return keys.create_key(device_key_path(ctx), passphrase, purpose, params)


def replace_device_key(ctx: AppContext, passphrase: str, params: keys.KdfParams | None = None) -> str:
    """A new key for this installation after a loss or a revocation. The old file is kept aside
    (never deleted) and a new epoch starts its packages afresh; a commune must be enrolled again, the
    province's next trust version names its new publishing key. The new key is made under a temporary
    name and the epoch recorded before the files are swapped, so a failure leaves the old key in use."""
    path = device_key_path(ctx)
    old = keys.read_header(path.read_bytes())[2]
    retired = path.parent / "retired" / f"{old.key_id[:16]}.key"
    retired.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_name(f"device-new-{os.urandom(4).hex()}.key")
    try:
        key_id = keys.create_key(fresh, passphrase, old.purpose, params or old.params)
        with write_session(ctx.engine) as s:
            row = current_installation(s)
            row.epoch += 1  # packages signed by the new key never continue the old key's sequence
            audit.record(s, row, "rekey", "installation", str(row.id), {"key_id": old.key_id},
                         {"key_id": key_id, "epoch": row.epoch})
            s.add(row)
    except BaseException:
        fresh.unlink(missing_ok=True)
        raise
    os.replace(path, retired)
    os.replace(fresh, path)
    return key_id


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _signed_file(body: dict[str, Any], passphrase: str, ctx: AppContext, target: Path) -> Path:
    private = keys.open_key(device_key_path(ctx), passphrase)
    document = {**body, "signature": base64.b64encode(private.sign(_canonical(body))).decode("ascii")}
    with replaced_atomically(target) as temp:
        temp.write_text(json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return target


SIGNED_TEXT_FIELDS = ("format", "unit", "device", "level", "officer", "purpose", "key_id", "public_key", "created")


def _read_signed(path: Path, expected_format: str, what: str) -> tuple[dict[str, Any], bytes]:
    """Parse a signed JSON file strictly and check its self-signature; returns (body, raw public key).
    Anything unexpected in it (types, nesting, duplicate keys) reads as a damaged file."""
    bad = OcopError(f"Tệp {what} bị hỏng, bị sửa hoặc không phải tệp của OCOP Desktop.", f"bad {expected_format}")
    try:
        if Path(path).stat().st_size > MAX_FILE:
            raise bad
        document = strict_json.loads(Path(path).read_bytes(), what)
        if not isinstance(document, dict) or document.get("format") != expected_format:
            raise bad
        signature = base64.b64decode(document.pop("signature"), validate=True)
        if any(not isinstance(document.get(name, ""), str) for name in SIGNED_TEXT_FIELDS) \
                or not isinstance(document.get("epoch", 1), int) or isinstance(document.get("epoch"), bool):
            raise bad
        public = base64.b64decode(document["public_key"], validate=True)
        if keys.fingerprint(public, document["purpose"]) != document["key_id"]:
            raise bad
        Ed25519PublicKey.from_public_bytes(public).verify(signature, _canonical(document))
    except Exception as exc:  # a hostile file must never crash the window: every failure is "damaged"
        if exc is bad:
            raise
        raise bad from exc
    return document, public


def _inst_key(ctx: AppContext) -> tuple[str, str, str]:
    header = keys.read_header(device_key_path(ctx).read_bytes())[2]
    inst = ctx.require_installation()
    return header.purpose, header.key_id, inst.unit_code


def export_enrolment_request(ctx: AppContext, passphrase: str, target: Path) -> Path:
    inst = ctx.require_installation()
    private = keys.open_key(device_key_path(ctx), passphrase)
    purpose, key_id, _ = _inst_key(ctx)
    body = {"format": REQUEST_FORMAT, "unit": inst.unit_code, "device": inst.device_id, "level": inst.level,
            "officer": inst.officer_name, "purpose": purpose, "key_id": key_id, "epoch": inst.epoch,
            "public_key": base64.b64encode(keys.public_raw(private)).decode("ascii"),
            "created": datetime.now(UTC).isoformat(timespec="seconds")}
    return _signed_file(body, passphrase, ctx, target)


@dataclass(frozen=True)
class EnrolmentRequest:
    unit: str
    device: str
    officer: str
    key_id: str
    grouped: str  # what the officer reads out and the province compares


def read_enrolment_request(path: Path) -> EnrolmentRequest:
    body, _ = _read_signed(path, REQUEST_FORMAT, "yêu cầu đăng ký")
    return EnrolmentRequest(str(body["unit"]), str(body["device"]), str(body.get("officer", "")), body["key_id"],
                            keys.grouped(body["key_id"]))


def accept_enrolment(ctx: AppContext, path: Path, confirmed_fingerprint: str) -> str:
    """Trust a local office's key for its unit, once the fingerprint compared out of band matches."""
    body, public = _read_signed(path, REQUEST_FORMAT, "yêu cầu đăng ký")
    if not keys.same_fingerprint(body["key_id"], confirmed_fingerprint):
        raise OcopError("Mã nhận dạng khóa không khớp với mã đơn vị đọc qua điện thoại hoặc văn bản; không chấp nhận.",
                        "enrolment fingerprint mismatch")
    units = ctx.units()
    if body["unit"] not in units.communes:
        raise OcopError(f"Đơn vị '{body['unit']}' không thuộc {units.name}.", "enrolment unit outside province")
    if body.get("purpose") != "device" or not isinstance(body.get("device"), str) \
            or not HEX32.fullmatch(body["device"]):
        raise OcopError("Yêu cầu đăng ký không phải của khóa máy cấp xã; không chấp nhận.",
                        f"enrolment purpose {body.get('purpose')!r}")
    with read_session(ctx.engine) as s:
        clash = s.scalars(select(TrustedKey).where(col(TrustedKey.device_id) == body["device"],
                                                   col(TrustedKey.unit_code) != body["unit"])).first()
    if clash is not None:
        raise OcopError("Mã thiết bị trong yêu cầu đã được đăng ký cho một đơn vị khác; không chấp nhận.",
                        "device id already enrolled for another unit")
    _store(ctx, body, public, "enrolled")
    return str(body["key_id"])


def _store(ctx: AppContext, body: dict[str, Any], public: bytes, note: str) -> None:
    with write_session(ctx.engine) as s:
        existing = s.get(TrustedKey, body["key_id"])
        if existing is not None and existing.status == "revoked":
            raise OcopError("Khóa này đã bị thu hồi; không thể chấp nhận lại.", "revoked key re-enrolled")
        row = existing or TrustedKey(key_id=body["key_id"], purpose=body["purpose"], unit_code=str(body["unit"]),
                                     public_key=base64.b64encode(public).decode("ascii"))
        row.device_id = body.get("device")
        epoch = body.get("epoch", 1)
        if isinstance(epoch, int) and not isinstance(epoch, bool) and 1 <= epoch <= 10**6:
            row.epoch = max(row.epoch or 1, epoch)  # a re-enrolment after a restore authorises the new epoch
        row.note = note
        s.add(row)


def revoke_key(ctx: AppContext, key_id: str, reason: str) -> None:
    with write_session(ctx.engine) as s:
        row = s.get(TrustedKey, key_id)
        if row is None:
            raise OcopError("Không có khóa này trong danh sách tin cậy.", "unknown key")
        row.status, row.revoked_at, row.note = "revoked", utcnow(), reason
        s.add(row)


def trusted_keys(ctx: AppContext) -> list[TrustedKey]:
    with read_session(ctx.engine) as s:
        return list(s.scalars(select(TrustedKey).order_by(col(TrustedKey.unit_code))))
