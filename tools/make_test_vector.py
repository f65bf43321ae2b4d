"""Write the published test vector: tests/vectors/minimal.ocsync and minimal.json (expected digests).

Run once by hand (``python -m tools.make_test_vector``) when the format changes. The signing key is
made fresh and thrown away: only its public key is published, so the vector proves verification,
and nobody can mint more packages with it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import struct
import zlib
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ocop_desktop.sync.package import strict_json
from ocop_desktop.sync.package.container import ContainerWriter
from ocop_desktop.sync.package.format import FORMAT_VERSION, PAYLOAD_TYPES, pae, signature_document
from ocop_desktop.sync.trust import keys

OUT = Path(__file__).resolve().parent.parent / "tests" / "vectors"
DEVICE = "0123456789abcdef0123456789abcdef"
SYNC = {"owner_unit": "30037", "origin_device": DEVICE, "version_vector": '{"' + DEVICE + '":2}',
        "updated_at": "2026-11-20T07:59:00Z", "deleted": False}


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def main() -> None:
    key = Ed25519PrivateKey.generate()
    public = keys.public_raw(key)
    key_id = keys.fingerprint(public, "device")
    producer = {**SYNC, "id": "a" * 32, "legal_type": "htx", "name": "Hợp tác xã Sen Tháp Mười",
                "registration_no": "1402-HTX-0001", "tax_code": None, "rep_name": "Nguyễn Thị Lan", "rep_gender": "nu",
                "rep_ethnicity": "Kinh", "rep_disability": False, "phone": None, "email": None, "province_code": "82",
                "commune_code": "30037", "former_district_code": None, "address_detail": "Ấp 1",
                "founded_year": 2015, "workforce": 12, "notes": None, "is_demo": False}
    product = {**SYNC, "id": "b" * 32, "producer_id": "a" * 32, "name": "Trà tim sen", "product_set": 7,
               "code": None, "description": None, "raw_material_origin": "Tháp Mười", "status": "draft", "star": None,
               "decision_no": None, "decision_date": None, "certificate_no": None, "certificate_date": None,
               "certificate_expiry": None, "is_demo": False}
    png = _png()
    sha = hashlib.sha256(png).hexdigest()
    attachment = {**SYNC, "id": "c" * 32, "owner_table": "product", "owner_id": "b" * 32, "sha256": sha,
                  "filename": "nhan.png", "mime": "image/png", "size": len(png), "caption": "Nhãn sản phẩm"}
    out = io.BytesIO()
    writer = ContainerWriter(out)
    members = [writer.add(f"records/{table}.jsonl", [strict_json.dumps(row) + b"\n"], compress=True)
               for table, row in (("producer", producer), ("product", product), ("attachment", attachment))]
    members.append(writer.add(f"files/{sha}", [png], compress=False))
    manifest = {
        "format_version": FORMAT_VERSION, "kind": "upward-export", "package_id": "d" * 32, "environment": "production",
        "sender": {"unit": "30037", "device": DEVICE, "key_id": key_id, "epoch": 1, "seq": 1,
                   "prev_package_sha256": None},
        "recipient": {"unit": "82"}, "created_at": "2026-11-20T08:00:00Z", "expires": None, "mode": "full",
        "counts": {"attachment": 1, "producer": 1, "product": 1},
        "files": [{"path": m.name, "size": m.size, "sha256": m.sha256, "stored_size": m.stored_size,
                   "stored_sha256": m.stored_sha256} for m in members],
        "audit_head": {"count": 3, "hash": "e" * 64}, "catalogs": [], "trust_version": 0,
    }
    manifest_bytes = strict_json.dumps(manifest)
    payload_type = PAYLOAD_TYPES["upward-export"]
    message = pae(payload_type, manifest_bytes)
    writer.add("manifest.json", [manifest_bytes], compress=False)
    writer.add("manifest.sig", [signature_document(payload_type, [(key_id, key.sign(message))])], compress=False)
    writer.finish()
    data = out.getvalue()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "minimal.ocsync").write_bytes(data)
    contents = {f"records/{t}.jsonl": strict_json.dumps(r) + b"\n"
                for t, r in (("producer", producer), ("product", product), ("attachment", attachment))}
    contents[f"files/{sha}"] = png
    contents["manifest.json"] = manifest_bytes
    contents["manifest.sig"] = signature_document(payload_type, [(key_id, key.sign(message))])
    expected = {
        "package_sha256": hashlib.sha256(data).hexdigest(),
        "public_key": base64.b64encode(public).decode("ascii"), "key_id": key_id, "device": DEVICE,
        "pae_prefix": message[:60].decode("ascii"),
        "pae_sha256": hashlib.sha256(message).hexdigest(),
        "members": {name: hashlib.sha256(content).hexdigest() for name, content in contents.items()},
        "counts": manifest["counts"],
    }
    (OUT / "minimal.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT / 'minimal.ocsync'} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
