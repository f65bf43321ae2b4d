"""Mint valid and deliberately broken packages in memory (no binary fixtures are checked in).

A :class:`PackageBuilder` starts from the records and files of a real package (exported by an
installation) and reassembles them; every knob breaks one thing: the manifest, the signature, the
ZIP entries' names, flags or bytes. ``raw_zip`` writes ZIP records with any field overridden, which
the application's own writer refuses to do.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ocop_desktop.sync.package import strict_json
from ocop_desktop.sync.package.container import EXTERNAL_ATTR, MADE_BY, read_entries, read_member
from ocop_desktop.sync.package.format import PAYLOAD_TYPES, TABLES_BY_KIND, pae, signature_document


@dataclass
class Raw:
    """One ZIP entry with every field open to change."""

    name: bytes
    data: bytes  # content (compressed by raw_zip when method == 8 and stored is None)
    method: int = 8
    flags: int = 0
    external: int = EXTERNAL_ATTR
    central_name: bytes | None = None
    stored: bytes | None = None  # the bytes as stored, when they must differ from compress(data)
    size: int | None = None  # declared uncompressed size
    offset: int | None = None  # central directory offset override (overlaps)


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def raw_zip(entries: list[Raw], *, disk: int = 0, extra_central: list[Raw] | None = None) -> bytes:
    out = io.BytesIO()
    central = []
    offsets: dict[bytes, int] = {}
    for e in entries:
        stored = e.stored if e.stored is not None else (_deflate(e.data) if e.method == 8 else e.data)
        size = e.size if e.size is not None else len(e.data)
        crc = zlib.crc32(e.data)
        offset = out.tell()
        offsets[e.name] = offset
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, e.flags, e.method, 0, 33, crc, len(stored), size,
                              len(e.name), 0) + e.name + stored)
        cname = e.central_name if e.central_name is not None else e.name
        central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", MADE_BY, 20, e.flags, e.method, 0, 33, crc,
                                   len(stored), size, len(cname), 0, 0, 0, 0, e.external,
                                   e.offset if e.offset is not None else offset) + cname)
    for e in extra_central or []:
        first = entries[0]
        stored = _deflate(first.data) if first.method == 8 else first.data
        central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", MADE_BY, 20, 0, first.method, 0, 33,
                                   zlib.crc32(first.data), len(stored), len(first.data), len(e.name), 0, 0, 0, 0,
                                   EXTERNAL_ATTR, 0) + e.name)
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", disk, 0, len(central), len(central), len(directory), start, 0))
    return out.getvalue()


def read_package(path: Path) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]], dict[str, bytes]]:
    """(manifest, records per table, files by sha) of a package that is known to be valid."""
    data = Path(path).read_bytes()
    fh = io.BytesIO(data)
    entries = {e.name: e for e in read_entries(fh, len(data))}
    manifest = json.loads(b"".join(read_member(fh, entries["manifest.json"])))
    records: dict[str, list[dict[str, Any]]] = {}
    files: dict[str, bytes] = {}
    for name, entry in entries.items():
        content = b"".join(read_member(fh, entry))
        if name.startswith("records/"):
            table = name.removeprefix("records/").removesuffix(".jsonl")
            records[table] = [json.loads(line) for line in content.splitlines()]
        elif name.startswith("files/"):
            files[name.removeprefix("files/")] = content
    return manifest, records, files


def jsonl(rows: list[dict[str, Any]]) -> bytes:
    return b"".join(strict_json.dumps(r) + b"\n" for r in rows)


@dataclass
class PackageBuilder:
    key: Ed25519PrivateKey
    manifest: dict[str, Any]
    records: dict[str, list[dict[str, Any]]]
    files: dict[str, bytes]
    payload_type: str | None = None
    signers: list[tuple[str, Ed25519PrivateKey]] | None = None
    record_bytes: dict[str, bytes] = field(default_factory=dict)  # table -> raw member content override
    edit_manifest: Callable[[dict[str, Any]], None] | None = None
    manifest_bytes: Callable[[bytes], bytes] | None = None
    sig_bytes: Callable[[bytes], bytes] | None = None
    tamper_manifest: Callable[[bytes], bytes] | None = None  # applied after signing
    edit_entries: Callable[[list[Raw]], object] | None = None  # its return value is ignored
    recount: bool = True

    @classmethod
    def from_package(cls, path: Path, key: Ed25519PrivateKey) -> PackageBuilder:
        manifest, records, files = read_package(path)
        return cls(key, manifest, records, files)

    def copy(self) -> PackageBuilder:
        return PackageBuilder(self.key, copy.deepcopy(self.manifest), copy.deepcopy(self.records), dict(self.files))

    def build(self) -> bytes:
        members: list[Raw] = []
        listed = []
        counts = {}
        order = TABLES_BY_KIND.get(str(self.manifest.get("kind")), ())
        for table, rows in sorted(self.records.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order
                                                                          else len(order), kv[0])):
            content = self.record_bytes.get(table, jsonl(rows))
            members.append(Raw(f"records/{table}.jsonl".encode(), content))
            counts[table] = len(rows)
        for table, content in self.record_bytes.items():
            if table not in self.records:
                members.append(Raw(f"records/{table}.jsonl".encode(), content))
                counts[table] = content.count(b"\n")
        for sha, content in sorted(self.files.items()):
            members.append(Raw(f"files/{sha}".encode(), content, method=0))
        for m in members:
            stored = _deflate(m.data) if m.method == 8 else m.data
            listed.append({"path": m.name.decode(), "size": len(m.data), "sha256": hashlib.sha256(m.data).hexdigest(),
                           "stored_size": len(stored), "stored_sha256": hashlib.sha256(stored).hexdigest()})
        manifest = copy.deepcopy(self.manifest)
        manifest["files"] = listed
        if self.recount:
            manifest["counts"] = counts
        if self.edit_manifest:
            self.edit_manifest(manifest)
        manifest_bytes = strict_json.dumps(manifest)
        if self.manifest_bytes:
            manifest_bytes = self.manifest_bytes(manifest_bytes)
        payload_type = self.payload_type or PAYLOAD_TYPES.get(str(manifest.get("kind")),
                                                              PAYLOAD_TYPES[str(self.manifest.get("kind"))])
        signers = self.signers or [(manifest["sender"]["key_id"], self.key)]
        sig = signature_document(payload_type, [(kid, k.sign(pae(payload_type, manifest_bytes))) for kid, k in signers])
        if self.sig_bytes:
            sig = self.sig_bytes(sig)
        if self.tamper_manifest:
            manifest_bytes = self.tamper_manifest(manifest_bytes)
        members.append(Raw(b"manifest.json", manifest_bytes, method=0))
        members.append(Raw(b"manifest.sig", sig, method=0))
        if self.edit_entries:
            self.edit_entries(members)
        return raw_zip(members)
