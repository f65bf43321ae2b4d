"""The package format's fixed parts: kinds, payload types, the signed envelope and the manifest schema.

Everything here is specified in docs/package-format.md; change the two together. The signature is
Ed25519 over DSSE's pre-authentication encoding of (payload type, manifest bytes), so a signature
made for one kind of package can never pass as another kind (docs/threat-model.md item 9).
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime
from typing import Any

from database.tables import Installation
from ocop_desktop.sync.package import strict_json
from ocop_desktop.sync.package.container import ALLOWED_NAME
from ocop_desktop.sync.package.rejections import PackageRejected

FORMAT_VERSION = 1
SUFFIX = ".ocsync"
MAX_SIGNATURES = 16

PAYLOAD_TYPES = {
    "upward-export": "application/vnd.ocop.upward-export.v1+json",
    "decision": "application/vnd.ocop.decision.v1+json",
    "catalog": "application/vnd.ocop.catalog.v1+json",
    "receipt": "application/vnd.ocop.receipt.v1+json",
}
KIND_OF_PAYLOAD = {v: k for k, v in PAYLOAD_TYPES.items()}
#: which kinds a key of each purpose may sign (like signify -t): a device key never signs a decision,
#: and root keys sign no package at all, only trust versions (see sync.trust.root)
KINDS_BY_PURPOSE = {
    "device": {"upward-export", "receipt"},
    "province-publisher": {"decision", "catalog", "receipt"},
}
#: tables each kind may carry; the province's decisions never travel upward and vice versa
TABLES_BY_KIND = {
    "upward-export": ("producer", "product", "attachment", "evaluation_round", "council", "council_member",
                      "round_entry", "score_sheet", "sync_receipt"),
    "decision": ("recognition", "sync_receipt"),
    "catalog": ("catalog_release",),
    "receipt": ("sync_receipt",),
}
DOWNWARD = {"decision", "catalog"}
ENVIRONMENTS = ("production", "training")

HEX32 = re.compile(r"[0-9a-f]{32}")
HEX64 = re.compile(r"[0-9a-f]{64}")
UNIT = re.compile(r"[0-9]{2}|[0-9]{5}")
TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
CATALOG_ID = re.compile(r"[a-z0-9-]{1,40}")
MAX_COUNT = 10**9


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE v1 pre-authentication encoding: ``DSSEv1 SP len(type) SP type SP len(body) SP body``."""
    kind = payload_type.encode("ascii")
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def signature_document(payload_type: str, signatures: list[tuple[str, bytes]]) -> bytes:
    """``manifest.sig``: canonical JSON, so that it has exactly one valid byte form."""
    body = {"payloadType": payload_type,
            "signatures": [{"keyid": key_id, "sig": base64.b64encode(sig).decode("ascii")}
                           for key_id, sig in signatures]}
    return strict_json.dumps(body)


def parse_signature_document(data: bytes) -> tuple[str, list[tuple[str, bytes]]]:
    """The payload type and (key id hint, 64-byte signature) pairs, checked for shape only."""
    document = strict_json.loads(data, "Tệp chữ ký manifest.sig")
    if not isinstance(document, dict) or set(document) != {"payloadType", "signatures"}:
        raise PackageRejected("SIG_MALFORMED", "phải có đúng hai trường payloadType và signatures")
    payload_type, signatures = document["payloadType"], document["signatures"]
    if not isinstance(payload_type, str) or not isinstance(signatures, list) or not signatures:
        raise PackageRejected("SIG_MALFORMED", "sai kiểu dữ liệu")
    if strict_json.dumps(document) != data:
        raise PackageRejected("SIG_MALFORMED", "không ở dạng chuẩn (thứ tự khóa, khoảng trắng)")
    if len(signatures) > MAX_SIGNATURES:
        raise PackageRejected("TOO_MANY_SIGNATURES", str(len(signatures)))
    pairs: list[tuple[str, bytes]] = []
    for item in signatures:
        if not isinstance(item, dict) or set(item) != {"keyid", "sig"} or not isinstance(item["keyid"], str) \
                or not isinstance(item["sig"], str):
            raise PackageRejected("SIG_MALFORMED", "mỗi chữ ký phải có keyid và sig")
        try:
            raw = base64.b64decode(item["sig"], validate=True)
        except ValueError:
            raise PackageRejected("SIG_ENCODING", "không phải base64") from None
        if len(raw) != 64:
            raise PackageRejected("SIG_ENCODING", f"dài {len(raw)} byte thay vì 64")
        if base64.b64encode(raw).decode("ascii") != item["sig"]:  # unused bits set: another spelling
            raise PackageRejected("SIG_ENCODING", "base64 không ở dạng chuẩn")
        pairs.append((item["keyid"], raw))
    if len({k for k, _ in pairs}) != len(pairs):
        raise PackageRejected("DUPLICATE_SIGNATURE")
    if len(pairs) != 1:  # one signer per data package: no room for extra entries that change the bytes
        raise PackageRejected("SIG_MALFORMED", "gói dữ liệu phải có đúng một chữ ký")
    return payload_type, pairs


# --- manifest schema -------------------------------------------------------------------------

def _field(where: str) -> PackageRejected:
    return PackageRejected("MANIFEST_FIELD", where)


def _obj(value: Any, where: str, required: set[str], optional: frozenset[str] = frozenset()) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _field(f"{where} phải là một đối tượng")
    missing, extra = required - set(value), set(value) - required - optional
    if missing:
        raise _field(f"thiếu {where}.{sorted(missing)[0]}")
    if extra:
        raise _field(f"không biết trường {where}.{sorted(extra)[0]}")
    return value


def _int(value: Any, where: str, low: int = 0, high: int = MAX_COUNT) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _field(f"{where} phải là số nguyên từ {low} đến {high}")
    return value


def _text(value: Any, where: str, pattern: re.Pattern[str] | None = None, max_len: int = 200) -> str:
    if not isinstance(value, str) or len(value) > max_len or (pattern is not None and not pattern.fullmatch(value)):
        raise _field(f"{where} sai dạng")
    return value


def _files_entry(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != {"path", "size", "sha256", "stored_size", "stored_sha256"}:
        raise PackageRejected("FILES_ENTRY_INVALID", "mỗi mục phải có path, size, sha256, stored_size, stored_sha256")
    path = value["path"]
    if not isinstance(path, str) or not ALLOWED_NAME.fullmatch(path) or path.startswith("manifest."):
        raise PackageRejected("FILES_ENTRY_INVALID", f"đường dẫn {path!r}")
    for key in ("size", "stored_size"):
        size = value[key]
        if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size < 2**32:
            raise PackageRejected("FILES_ENTRY_INVALID", f"{key} của {path} là {size!r}")
    for key in ("sha256", "stored_sha256"):
        if not isinstance(value[key], str) or not HEX64.fullmatch(value[key]):
            raise PackageRejected("FILES_ENTRY_INVALID", f"{key} của {path} không phải 64 chữ số hex")
    return value


def check_manifest(manifest: Any) -> dict[str, Any]:
    """Check every field's presence and type (the header checks against this installation come later)."""
    if not isinstance(manifest, dict):
        raise _field("bảng kê phải là một đối tượng JSON")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise PackageRejected("FORMAT_UNSUPPORTED", repr(version))
    _obj(manifest, "manifest", {"format_version", "kind", "package_id", "environment", "sender", "recipient",
                                "created_at", "expires", "mode", "counts", "files", "audit_head", "catalogs",
                                "trust_version"})
    if not isinstance(manifest["kind"], str) or manifest["kind"] not in PAYLOAD_TYPES:
        raise _field(f"kind '{manifest['kind']}' không biết")
    _text(manifest["package_id"], "package_id", HEX32)
    if not isinstance(manifest["environment"], str) or manifest["environment"] not in ENVIRONMENTS:
        raise _field("environment")
    sender = _obj(manifest["sender"], "sender", {"unit", "device", "key_id", "epoch", "seq", "prev_package_sha256"})
    _text(sender["unit"], "sender.unit", UNIT)
    _text(sender["device"], "sender.device", HEX32)
    _text(sender["key_id"], "sender.key_id", HEX64)
    _int(sender["epoch"], "sender.epoch", 1, 10**6)
    _int(sender["seq"], "sender.seq", 1, 2**53 - 1)
    if sender["prev_package_sha256"] is not None:
        _text(sender["prev_package_sha256"], "sender.prev_package_sha256", HEX64)
    if (sender["prev_package_sha256"] is None) != (sender["seq"] == 1):  # a chain has one first package
        raise _field("sender.prev_package_sha256 (null đúng khi và chỉ khi seq là 1)")
    _text(_obj(manifest["recipient"], "recipient", {"unit"})["unit"], "recipient.unit", UNIT)
    _text(manifest["created_at"], "created_at", TIMESTAMP)
    if manifest["expires"] is not None:
        _text(manifest["expires"], "expires", TIMESTAMP)
    for key in ("created_at", "expires"):
        if manifest[key] is not None:
            try:
                parse_timestamp(manifest[key])
            except ValueError:
                raise _field(f"{key} không phải thời điểm có thật") from None
    if not isinstance(manifest["mode"], str) or manifest["mode"] not in ("full", "incremental"):
        raise _field("mode")
    counts = manifest["counts"]
    if not isinstance(counts, dict):
        raise _field("counts")
    for table, n in counts.items():
        _text(table, "counts", re.compile(r"[a-z_]{1,32}"))
        _int(n, f"counts.{table}", 1)
    if not isinstance(manifest["files"], list):
        raise _field("files")
    for entry in manifest["files"]:
        _files_entry(entry)
    head = _obj(manifest["audit_head"], "audit_head", {"count", "hash"})
    _int(head["count"], "audit_head.count", 0, 2**53 - 1)
    _text(head["hash"], "audit_head.hash", HEX64)
    if not isinstance(manifest["catalogs"], list):
        raise _field("catalogs")
    for item in manifest["catalogs"]:
        item = _obj(item, "catalogs[]", {"id", "hash"})
        _text(item["id"], "catalogs[].id", CATALOG_ID)
        _text(item["hash"], "catalogs[].hash", HEX64)
    _int(manifest["trust_version"], "trust_version", 0, 10**9)
    return manifest


def environment_of(inst: Installation) -> str:
    """Demo installations are for training; their packages never mix with real ones."""
    return "training" if inst.is_demo else "production"
