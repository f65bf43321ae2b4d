"""The province's trust root, versioned the way TUF versions ``root.json`` (docs/threat-model.md items 5–8).

Each version says which root keys (and how many of them, the threshold) must sign the next version,
which key publishes the province's packages, and every commune device key with its unit, status and
authorised epoch. Version N+1 is accepted only if it is exactly N+1 and signed by a threshold of N's
root keys **and** a threshold of its own (TUF specification §5.3), counting distinct keys. The
publishing key cannot sign a trust version: root keys are a separate purpose, kept offline.

A version is a DSSE envelope (``payloadType``, base64 ``payload``, ``signatures``) over the
canonical JSON body. The checks here are pure functions of bytes and the version held, so the
province checks what it signs exactly as an office will.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ocop_desktop.infra.jsontext import canonical
from ocop_desktop.sync.package import strict_json
from ocop_desktop.sync.package.format import (
    ENVIRONMENTS,
    HEX32,
    HEX64,
    MAX_SIGNATURES,
    TIMESTAMP,
    pae,
    parse_timestamp,
    timestamp,
)
from ocop_desktop.sync.package.rejections import PackageRejected
from ocop_desktop.sync.trust.keys import fingerprint, public_raw, same_fingerprint

PAYLOAD_TYPE = "application/vnd.ocop.trust.v1+json"
BODY_FORMAT = "ocop-trust/1"
MAX_PAYLOAD = 4 * 1024 * 1024
MAX_ROOT_KEYS = 16
MAX_DEVICES = 100_000
MAX_VERSION = 10**6
VALIDITY = timedelta(days=365)  # sneakernet: generous, renewed by the next version (docs/threat-model.md item 15)
EXPIRY_WARNED = timedelta(days=30)
BODY_FIELDS = {"format", "province", "environment", "version", "created", "expires", "threshold", "roots",
               "publisher", "devices"}
DEVICE_FIELDS = {"unit", "device", "key_id", "public_key", "status", "epoch", "revoked_at"}
DEVICE_STATUSES = ("active", "revoked")


@dataclass(frozen=True)
class PublicKeyRef:
    key_id: str
    public: bytes


@dataclass(frozen=True)
class DeviceEntry:
    unit: str
    device: str
    key: PublicKeyRef
    status: str
    epoch: int
    revoked_at: str | None


@dataclass(frozen=True)
class RootVersion:
    """One verified version of the trust root and the exact envelope that carried it."""

    version: int
    province: str
    environment: str
    created: datetime
    expires: datetime
    threshold: int
    roots: tuple[PublicKeyRef, ...]
    publisher: PublicKeyRef
    devices: tuple[DeviceEntry, ...]
    payload: bytes
    envelope: dict[str, Any]

    @property
    def payload_sha256(self) -> str:
        return hashlib.sha256(self.payload).hexdigest()

    def device_key(self, key_id: str) -> DeviceEntry | None:
        return next((d for d in self.devices if d.key.key_id == key_id), None)


def genesis_fingerprint(payload: bytes) -> str:
    """What the province reads out and the office compares before pinning version 1."""
    return hashlib.sha256(b"ocop-trust-root-v1\n" + payload).hexdigest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def body(*, version: int, province: str, environment: str, threshold: int, roots: list[bytes],
         publisher: bytes, devices: list[dict[str, Any]], now: datetime, validity: timedelta = VALIDITY) -> bytes:
    """The canonical payload of one version; ``devices`` are dicts with DEVICE_FIELDS, public key raw."""
    document = {
        "format": BODY_FORMAT, "province": province, "environment": environment, "version": version,
        "created": timestamp(now), "expires": timestamp(now + validity), "threshold": threshold,
        "roots": [{"key_id": fingerprint(raw, "province-root"), "public_key": _b64(raw)} for raw in roots],
        "publisher": {"key_id": fingerprint(publisher, "province-publisher"), "public_key": _b64(publisher)},
        "devices": [{**d, "key_id": fingerprint(d["public_key"], "device"), "public_key": _b64(d["public_key"])}
                    for d in sorted(devices, key=lambda d: (d["unit"], fingerprint(d["public_key"], "device")))],
    }
    return canonical(document).encode("utf-8")


def sign(payload: bytes, signers: list[Ed25519PrivateKey]) -> dict[str, Any]:
    """The DSSE envelope of ``payload`` signed by each of ``signers`` (root keys)."""
    message = pae(PAYLOAD_TYPE, payload)
    return {"payloadType": PAYLOAD_TYPE, "payload": _b64(payload),
            "signatures": [{"keyid": fingerprint(public_raw(k), "province-root"), "sig": _b64(k.sign(message))}
                           for k in signers]}


def _bad(detail: str) -> PackageRejected:
    return PackageRejected("TRUST_MALFORMED", detail)


def _unb64(text: Any, what: str) -> bytes:
    if not isinstance(text, str):
        raise _bad(what)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _bad(what) from exc


def open_envelope(envelope: Any) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The payload bytes and (keyid, signature) pairs, shape-checked; nothing is trusted yet."""
    if not isinstance(envelope, dict) or set(envelope) != {"payloadType", "payload", "signatures"}:
        raise _bad("phong bì chữ ký")
    if envelope["payloadType"] != PAYLOAD_TYPE:
        raise PackageRejected("PAYLOAD_TYPE_UNKNOWN", str(envelope["payloadType"])[:80])
    if not isinstance(envelope["payload"], str) or len(envelope["payload"]) > MAX_PAYLOAD * 4 // 3 + 4:
        raise _bad("nội dung")
    payload = _unb64(envelope["payload"], "nội dung")
    signatures = envelope["signatures"]
    if not isinstance(signatures, list) or not signatures:
        raise _bad("danh sách chữ ký")
    if len(signatures) > MAX_SIGNATURES:
        raise PackageRejected("TRUST_TOO_MANY_SIGNATURES", str(len(signatures)))
    pairs: list[tuple[str, bytes]] = []
    for item in signatures:
        if not isinstance(item, dict) or set(item) != {"keyid", "sig"} or not isinstance(item["keyid"], str) \
                or not HEX64.fullmatch(item["keyid"]):
            raise _bad("chữ ký")
        signature = _unb64(item["sig"], "chữ ký")
        if len(signature) != 64:
            raise _bad("độ dài chữ ký")
        pairs.append((item["keyid"], signature))
    if len({keyid for keyid, _ in pairs}) != len(pairs):
        raise PackageRejected("TRUST_DUPLICATE_SIGNATURE", "")
    return payload, pairs


def count_signers(payload: bytes, signatures: list[tuple[str, bytes]], roots: tuple[PublicKeyRef, ...]) -> int:
    """Distinct root keys of ``roots`` with a valid signature; unknown keyids are ignored."""
    message = pae(PAYLOAD_TYPE, payload)
    by_id = {r.key_id: r.public for r in roots}
    good: set[str] = set()
    for keyid, signature in signatures:
        public = by_id.get(keyid)
        if public is None or keyid in good:
            continue
        try:
            Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
        except InvalidSignature:
            continue
        good.add(keyid)
    return len(good)


def _key_ref(value: Any, purpose: str, what: str) -> PublicKeyRef:
    if not isinstance(value, dict) or not {"key_id", "public_key"} <= set(value):
        raise _bad(what)
    public = _unb64(value["public_key"], what)
    if len(public) != 32 or fingerprint(public, purpose) != value["key_id"]:
        raise _bad(f"{what}: mã nhận dạng không khớp khóa")
    return PublicKeyRef(str(value["key_id"]), public)


def _int(value: Any, low: int, high: int, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _bad(what)
    return value


def _moment(value: Any, what: str) -> datetime:
    if not isinstance(value, str) or not TIMESTAMP.fullmatch(value):
        raise _bad(what)
    try:
        return parse_timestamp(value)
    except ValueError as exc:
        raise _bad(what) from exc


def _device(value: Any) -> DeviceEntry:
    if not isinstance(value, dict) or set(value) != DEVICE_FIELDS:
        raise _bad("khóa máy xã")
    if not isinstance(value["unit"], str) or len(value["unit"]) != 5 or not value["unit"].isdigit() \
            or not isinstance(value["device"], str) or not HEX32.fullmatch(value["device"]):
        raise _bad("đơn vị hoặc mã máy")
    if value["status"] not in DEVICE_STATUSES:
        raise _bad("trạng thái khóa")
    revoked_at = value["revoked_at"]
    if revoked_at is not None:
        _moment(revoked_at, "ngày thu hồi")
    return DeviceEntry(value["unit"], value["device"], _key_ref(value, "device", "khóa máy xã"), value["status"],
                       _int(value["epoch"], 1, MAX_VERSION, "thế hệ khóa"), revoked_at)


def parse_body(payload: bytes) -> RootVersion:
    """Check a payload's content (not its signatures) and read it."""
    document = strict_json.loads(payload, "Bản tin cậy")
    if not isinstance(document, dict) or set(document) != BODY_FIELDS or document["format"] != BODY_FORMAT:
        raise _bad("các trường của bản tin cậy")
    province = document["province"]
    if not isinstance(province, str) or len(province) != 2 or not province.isdigit() \
            or document["environment"] not in ENVIRONMENTS:
        raise _bad("tỉnh hoặc môi trường")
    roots_doc = document["roots"]
    if not isinstance(roots_doc, list) or not 1 <= len(roots_doc) <= MAX_ROOT_KEYS:
        raise _bad("khóa gốc")
    roots = tuple(_key_ref(r, "province-root", "khóa gốc") for r in roots_doc)
    if len({r.key_id for r in roots}) != len(roots):
        raise PackageRejected("TRUST_DUPLICATE_SIGNATURE", "khóa gốc khai báo hai lần")
    devices_doc = document["devices"]
    if not isinstance(devices_doc, list) or len(devices_doc) > MAX_DEVICES:
        raise _bad("danh sách khóa máy xã")
    devices = tuple(_device(d) for d in devices_doc)
    if len({d.key.key_id for d in devices}) != len(devices):
        raise _bad("khóa máy xã trùng")
    created, expires = _moment(document["created"], "ngày lập"), _moment(document["expires"], "ngày hết hạn")
    if expires <= created:
        raise _bad("ngày hết hạn")
    return RootVersion(_int(document["version"], 1, MAX_VERSION, "phiên bản"), province, document["environment"],
                       created, expires, _int(document["threshold"], 1, len(roots), "ngưỡng chữ ký"), roots,
                       _key_ref(document["publisher"], "province-publisher", "khóa phát hành"), devices, payload, {})


def with_envelope(version: RootVersion, envelope: dict[str, Any]) -> RootVersion:
    return RootVersion(**{**version.__dict__, "envelope": envelope})


def verify_genesis(envelope: Any, confirmed_fingerprint: str) -> RootVersion:
    """Version 1, pinned once its fingerprint is compared out of band (typed grouped or as hex); it
    must meet its own threshold."""
    payload, signatures = open_envelope(envelope)
    if not same_fingerprint(genesis_fingerprint(payload), confirmed_fingerprint):
        raise PackageRejected("TRUST_FINGERPRINT")
    first = parse_body(payload)
    if first.version != 1:
        raise PackageRejected("TRUST_VERSION", f"{first.version} (bản đầu tiên phải là 1)")
    if (n := count_signers(payload, signatures, first.roots)) < first.threshold:
        raise PackageRejected("TRUST_NEW_THRESHOLD", f"{n}/{first.threshold}")
    return with_envelope(first, envelope)


def verify_next(current: RootVersion, envelope: Any) -> RootVersion:
    """Version N+1 given the trusted version N (TUF §5.3.4–5.3.5, without the expiry check)."""
    payload, signatures = open_envelope(envelope)
    if (n := count_signers(payload, signatures, current.roots)) < current.threshold:
        raise PackageRejected("TRUST_OLD_THRESHOLD", f"{n}/{current.threshold}")
    following = parse_body(payload)
    if following.version != current.version + 1:
        raise PackageRejected("TRUST_VERSION", f"{following.version} ≠ {current.version + 1}")
    if (following.province, following.environment) != (current.province, current.environment):
        raise PackageRejected("TRUST_PROVINCE", f"{following.province}/{following.environment}")
    if (n := count_signers(payload, signatures, following.roots)) < following.threshold:
        raise PackageRejected("TRUST_NEW_THRESHOLD", f"{n}/{following.threshold}")
    return with_envelope(following, envelope)


def check_fresh(final: RootVersion, now: datetime) -> None:
    """Only the newest version must be unexpired (an office that was away catches up through old ones)."""
    if now > final.expires:
        raise PackageRejected("TRUST_EXPIRED", final.expires.strftime("%d/%m/%Y"))


def verify_chain(current: RootVersion | None, envelopes: list[Any], held: set[str], now: datetime,
                 confirmed_fingerprint: str | None = None, *, check_expiry: bool = True) -> list[RootVersion]:
    """The versions of ``envelopes`` newer than ``current``, each checked against the one before.

    Versions already held (by payload hash) are skipped; anything else must be exactly the next
    version. Nothing is returned unless every newer version passes and the newest is unexpired.
    """
    fresh: list[RootVersion] = []
    for envelope in envelopes:
        payload, _ = open_envelope(envelope)
        if hashlib.sha256(payload).hexdigest() in held:
            continue
        if current is None:
            if confirmed_fingerprint is None:
                raise PackageRejected("TRUST_NOT_PINNED")
            current = verify_genesis(envelope, confirmed_fingerprint)
        else:
            current = verify_next(current, envelope)
        fresh.append(current)
    if fresh and check_expiry:
        check_fresh(fresh[-1], now)
    elif current is None:
        raise PackageRejected("TRUST_NOT_PINNED")
    return fresh
