"""The bad inputs of security.md §2: each is refused with its own code and message, and neither
installation's database changes."""

from __future__ import annotations

import hashlib
import json
import re
import struct
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from database.engine import write_session
from database.tables import SyncLedger
from ocop_desktop.store.context import AppContext
from ocop_desktop.sync.exchange.export import export_package
from ocop_desktop.sync.exchange.installation_view import verify_package
from ocop_desktop.sync.package.container import LIMITS, Limits
from ocop_desktop.sync.package.format import PAYLOAD_TYPES, timestamp
from ocop_desktop.sync.package.rejections import MESSAGES, PackageRejected
from ocop_desktop.sync.trust import enrolment as trust
from ocop_desktop.sync.trust import keys
from tests.package_builder import PackageBuilder, Raw, jsonl, raw_zip
from tests.sync_fixtures import PASS, Pair, enrol, make_installation, tiny_png

Case = Callable[[PackageBuilder, Pair], "bytes | tuple[bytes, Limits]"]


def db_digest(ctx: AppContext) -> str:
    """Every row of every table, in order: equal digests mean an unchanged database."""
    digest = hashlib.sha256()
    with ctx.engine.connect() as conn:
        tables = [r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        for table in tables:
            for row in conn.exec_driver_sql(f'SELECT * FROM "{table}" ORDER BY 1'):
                digest.update(repr((table, tuple(row))).encode())
    return digest.hexdigest()


@pytest.fixture
def base(pair: Pair) -> tuple[PackageBuilder, Pair]:
    result = export_package(pair.local, PASS, "82", pair.tmp / "goc.ocsync", full=True)
    return PackageBuilder.from_package(result.path, pair.local_key()), pair


def _entries(edit: Callable[[list[Raw]], None]) -> Case:
    def case(b: PackageBuilder, _p: Pair) -> bytes:
        b.edit_entries = edit
        return b.build()
    return case


def _rename(old: bytes, new: bytes) -> Case:
    def edit(members: list[Raw]) -> None:
        for m in members:
            if m.name == old:
                m.name = new
    return _entries(edit)


def _add(name: bytes, data: bytes = b"x", **fields: Any) -> Case:
    return _entries(lambda members: members.insert(0, Raw(name, data, **fields)))


def _manifest(edit: Callable[[dict[str, Any]], None]) -> Case:
    def case(b: PackageBuilder, _p: Pair) -> bytes:
        b.edit_manifest = edit
        return b.build()
    return case


def _manifest_bytes(edit: Callable[[bytes], bytes]) -> Case:
    def case(b: PackageBuilder, _p: Pair) -> bytes:
        b.manifest_bytes = edit
        return b.build()
    return case


def _trust_version(manifest: bytes, value: bytes) -> bytes:
    """The manifest with its trust_version's digits replaced by ``value`` (a spelling JSON forbids)."""
    edited, n = re.subn(rb'"trust_version":[0-9]+', b'"trust_version":' + value, manifest)
    assert n == 1
    return edited


def _sig(edit: Callable[[bytes], bytes]) -> Case:
    def case(b: PackageBuilder, _p: Pair) -> bytes:
        b.sig_bytes = edit
        return b.build()
    return case


def _records(table: str, edit: Callable[[list[dict[str, Any]]], None]) -> Case:
    def case(b: PackageBuilder, _p: Pair) -> bytes:
        edit(b.records.setdefault(table, []))
        return b.build()
    return case


def _raw_records(table: str, content: bytes) -> Case:
    def case(b: PackageBuilder, _p: Pair) -> bytes:
        b.record_bytes[table] = content
        return b.build()
    return case


def _limits(**caps: int) -> Case:
    return lambda b, _p: (b.build(), Limits(**caps))


def _eocd_field(offset: int, value: int) -> Case:
    def case(b: PackageBuilder, _p: Pair) -> bytes:
        data = bytearray(b.build())
        struct.pack_into("<H", data, len(data) - 22 + offset, value)
        return bytes(data)
    return case


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(m: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for p in parents:
            m = m[p]
        m[last] = value
    return edit


def _signed_by_other_unit(b: PackageBuilder, p: Pair) -> bytes:
    other = make_installation(p.tmp / "xa2", "30046", "local", "Cán bộ xã khác")
    enrol(other, p.province, p.tmp)
    header = keys.read_header(trust.device_key_path(other).read_bytes())[2]
    b.key = keys.open_key(trust.device_key_path(other), PASS)
    b.manifest["sender"]["key_id"] = header.key_id
    b.manifest["sender"]["device"] = other.require_installation().device_id
    other.close()
    return b.build()


def _signed_by_revoked(b: PackageBuilder, p: Pair) -> bytes:
    trust.revoke_key(p.province, b.manifest["sender"]["key_id"], "Máy bị mất")
    return b.build()


def _unknown_key(b: PackageBuilder, _p: Pair) -> bytes:
    b.key = Ed25519PrivateKey.generate()
    b.manifest["sender"]["key_id"] = keys.fingerprint(keys.public_raw(b.key), "device")
    return b.build()


def _hint_other_key(b: PackageBuilder, _p: Pair) -> bytes:
    b.key = Ed25519PrivateKey.generate()  # keyid names the enrolled key; the signature is by another
    return b.build()


def _tampered(b: PackageBuilder, _p: Pair) -> bytes:
    b.tamper_manifest = lambda m: m.replace(b'"mode":"full"', b'"mode":"fuLl"')
    return b.build()


def _two_signatures_same_key(b: PackageBuilder, _p: Pair) -> bytes:
    kid = b.manifest["sender"]["key_id"]
    b.signers = [(kid, b.key), (kid, b.key)]
    return b.build()


def _seventeen_signatures(b: PackageBuilder, _p: Pair) -> bytes:
    b.signers = [(f"{i:064x}", Ed25519PrivateKey.generate()) for i in range(17)]
    return b.build()


def _payload(kind: str) -> Case:
    def case(b: PackageBuilder, _p: Pair) -> bytes:
        b.payload_type = PAYLOAD_TYPES.get(kind, kind)
        return b.build()
    return case


def _decision_signed_by_device(b: PackageBuilder, _p: Pair) -> bytes:
    b.manifest["kind"] = "decision"
    return b.build()


def _ledger(status: str, seq: int, same_seq_other_hash: bool = False) -> Case:
    def case(b: PackageBuilder, p: Pair) -> bytes:
        b.manifest["sender"]["seq"] = 3 if not same_seq_other_hash else seq
        if b.manifest["sender"]["seq"] != 1:  # a later package always names its predecessor
            b.manifest["sender"]["prev_package_sha256"] = "cd" * 32
        with write_session(p.province.engine) as s:
            s.add(SyncLedger(sha256="ab" * 32, package_id="0" * 32, kind="upward-export", sender_unit="30037",
                             sender_device=b.manifest["sender"]["device"], key_id=b.manifest["sender"]["key_id"],
                             epoch=1, seq=seq, created_at=datetime.now(UTC), status=status))
        return b.build()
    return case


def _expired_downward(b: PackageBuilder, p: Pair) -> tuple[bytes, Limits, AppContext]:
    key_id = keys.read_header(trust.device_key_path(p.province).read_bytes())[2].key_id
    inst = p.province.require_installation()
    b.key = p.province_key()
    b.records, b.files = {}, {}
    b.manifest.update(kind="decision", expires=timestamp(datetime.now(UTC) - timedelta(days=1)),
                      recipient={"unit": "30037"})
    b.manifest["sender"].update(unit="82", device=inst.device_id, key_id=key_id)
    return b.build(), LIMITS, p.local


def _attachment(content: bytes, mime: str = "image/png") -> Case:
    def case(b: PackageBuilder, _p: Pair) -> bytes:
        sha = hashlib.sha256(content).hexdigest()
        b.files = {sha: content}
        row = b.records["attachment"][0]
        row.update(sha256=sha, size=len(content), mime=mime)
        return b.build()
    return case


def _sheet(answers: str, catalog_hash: str | None = None) -> Case:
    def case(b: PackageBuilder, _p: Pair) -> bytes:
        product = b.records["product"][0]
        cat = b.manifest["catalogs"][0]
        b.records["score_sheet"] = [{**{k: product[k] for k in ("owner_unit", "origin_device", "version_vector",
                                                                  "updated_at", "deleted")},
                                     "id": "5" * 32, "entry_id": "6" * 32, "member_id": "7" * 32,
                                     "catalog_id": cat["id"], "catalog_hash": catalog_hash or cat["hash"],
                                     "product_set": 7, "answers": answers, "comment": None, "status": "submitted",
                                     "submitted_at": product["updated_at"], "superseded": False}]
        return b.build()
    return case


def _fill_byte_jpeg() -> bytes:
    """A 20000x20000 frame behind a 0xFF fill byte, and a decoy 1x1 frame header later on."""
    big = b"\xff\xff\xc0\x00\x11\x08" + struct.pack(">HH", 20_000, 20_000) + b"\x03" + bytes(9)
    decoy = b"\xff\xc0\x00\x11\x08\x00\x01\x00\x01\x03" + bytes(9)
    return b"\xff\xd8" + big + b"\xff\xda\x00\x02" + bytes(16) + decoy + b"\xff\xd9"


def _junk_signature(b: PackageBuilder, _p: Pair) -> bytes:
    def add(sig: bytes) -> bytes:
        document = json.loads(sig)
        document["signatures"].append({"keyid": "0" * 64, "sig": "A" * 86 + "=="})
        return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    b.sig_bytes = add
    return b.build()


def _truncated_png() -> bytes:
    return tiny_png()[:-12]


def _overlap(b: PackageBuilder, _p: Pair) -> bytes:
    def edit(members: list[Raw]) -> None:
        first = members[0]
        members.insert(1, Raw(b"records/zzz.jsonl", first.data, method=first.method, offset=0))
    b.edit_entries = edit
    return b.build()


def _inflates(b: PackageBuilder, _p: Pair) -> bytes:
    def lie(members: list[Raw]) -> None:
        members[0].size = len(members[0].data) - 5
    b.edit_entries = lie

    def listed(m: dict[str, Any]) -> None:
        m["files"][0]["size"] -= 5
    b.edit_manifest = listed
    return b.build()


def _bomb(b: PackageBuilder, _p: Pair) -> bytes:
    return _add(b"records/bomb.jsonl", bytes(50 * 1024 * 1024), method=8)(b, _p)  # type: ignore[return-value]


CASES: dict[str, tuple[str, Case]] = {
    # file and container
    "empty file": ("EMPTY_FILE", lambda b, p: b""),
    "pdf renamed": ("NOT_A_PACKAGE", lambda b, p: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" + bytes(200)),
    "jpeg renamed": ("NOT_A_PACKAGE", lambda b, p: b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(300)),
    "corrupt central directory": ("CENTRAL_DIRECTORY", lambda b, p: (lambda d: d.replace(
        b"PK\x01\x02", b"PK\x01\x09", 1))(b.build())),
    "junk prepended": ("JUNK_BYTES", lambda b, p: b"MZ polyglot header " * 4 + b.build()),
    "junk appended": ("JUNK_BYTES", lambda b, p: b.build() + b"trailing bytes"),
    "multi-disk": ("MULTI_DISK", _eocd_field(4, 1)),
    "outer file over cap": ("PACKAGE_TOO_LARGE", _limits(max_package=1000)),
    "too many entries": ("TOO_MANY_ENTRIES", _limits(max_entries=3)),
    "member over cap": ("MEMBER_TOO_LARGE", _limits(max_member=200)),
    "total over cap": ("TOTAL_TOO_LARGE", _limits(max_total=1500)),
    "ratio over cap (50 MiB of zeros)": ("RATIO_TOO_HIGH", _bomb),
    "overlapping members": ("OVERLAPPING_MEMBERS", _overlap),
    "member inflating beyond header size": ("MEMBER_INFLATES", _inflates),
    "encrypted member": ("ENCRYPTED_MEMBER", _add(b"files/" + b"1" * 64, flags=1)),
    "lzma member": ("COMPRESSION_METHOD", _add(b"files/" + b"2" * 64, method=14)),
    "bzip2 member": ("COMPRESSION_METHOD", _add(b"files/" + b"3" * 64, method=12)),
    "non-canonical timestamp": ("NON_CANONICAL_HEADER", lambda b, p: (lambda d: d.replace(
        b"PK\x01\x02" + struct.pack("<HHHHHH", 0x0314, 20, 0, 0, 0, 33),
        b"PK\x01\x02" + struct.pack("<HHHHHH", 0x0314, 20, 0, 0, 1, 33), 1))(b.build())),
    # names
    "../manifest.json": ("PATH_TRAVERSAL", _add(b"../manifest.json")),
    "a/../../x": ("PATH_TRAVERSAL", _add(b"a/../../x")),
    "/abs": ("ABSOLUTE_PATH", _add(b"/etc/passwd")),
    "C:\\x": ("ABSOLUTE_PATH", _add(b"C:\\x")),
    "C:x": ("ABSOLUTE_PATH", _add(b"C:x")),
    "UNC": ("ABSOLUTE_PATH", _add(b"\\\\server\\share\\x")),
    "backslash": ("BACKSLASH_NAME", _add(b"records\\producer.jsonl")),
    "NUL in name": ("CONTROL_CHAR_NAME", _add(b"records/a\x00.jsonl")),
    "control char": ("CONTROL_CHAR_NAME", _add(b"files/\x1b[31m")),
    "non-ASCII name": ("NON_ASCII_NAME", _add("records/sản_phẩm.jsonl".encode())),
    "over-long name": ("NON_ASCII_NAME", _add(b"records/" + b"a" * 200 + b".jsonl")),
    "CON": ("RESERVED_NAME", _add(b"CON")),
    "nul.json": ("RESERVED_NAME", _add(b"nul.json")),
    "com1.jsonl": ("RESERVED_NAME", _add(b"records/com1.jsonl")),
    "trailing dot": ("RESERVED_NAME", _add(b"manifest.json.")),
    "trailing space": ("RESERVED_NAME", _add(b"manifest.json ")),
    "alternate stream": ("RESERVED_NAME", _add(b"manifest.json:x")),
    "directory entry": ("DIRECTORY_ENTRY", _add(b"records/", b"", method=0)),
    "symlink entry": ("LINK_ENTRY", _add(b"files/" + b"4" * 64, b"/etc/passwd", method=0,
                                         external=0o120777 << 16)),
    "exact duplicate": ("DUPLICATE_NAME", lambda b, p: _add(b"manifest.json", b"{}", method=0)(b, p)),
    "case-folded duplicate": ("CASEFOLD_DUPLICATE", _entries(lambda ms: ms.append(Raw(b"MANIFEST.JSON", b"{}",
                                                                                      method=0)))),
    "local name differs from central": ("HEADER_NAME_MISMATCH", _entries(
        lambda ms: (setattr(ms[-1], "central_name", b"manifest.sig"), setattr(ms[-1], "name", b"manifest.sih")))),
    "run.exe": ("MEMBER_NOT_ALLOWED", _add(b"run.exe", b"MZ")),
    "autorun.inf": ("MEMBER_NOT_ALLOWED", _add(b"autorun.inf")),
    ".DS_Store": ("MEMBER_NOT_ALLOWED", _add(b".DS_Store")),
    "nested zip": ("MEMBER_NOT_ALLOWED", _add(b"records/more.zip", raw_zip([Raw(b"x", b"y")]))),
    "listed but absent": ("MEMBER_MISSING", _entries(lambda ms: ms.pop(0))),
    "present but not listed": ("MEMBER_UNLISTED", _add(b"files/" + b"5" * 64, method=0)),
    # signature and trust
    "manifest.sig missing": ("SIG_MISSING", _entries(lambda ms: ms.pop())),
    "manifest.sig oversized": ("SIG_TOO_LARGE", _sig(lambda s: s[:-1] + b"," + b'"x":"' + b"a" * 70_000 + b'"}')),
    "manifest.sig not JSON": ("JSON_MALFORMED", _sig(lambda s: b"not json at all")),
    "manifest.sig not canonical": ("SIG_MALFORMED", _sig(lambda s: s.replace(b'","', b'", "', 1))),
    "signature not base64": ("SIG_ENCODING", _sig(lambda s: re.sub(rb'"sig":"[^"]+"', b'"sig":"@@@@"', s))),
    "signature wrong length": ("SIG_ENCODING", _sig(lambda s: re.sub(rb'"sig":"[^"]+"', b'"sig":"AAAA"', s))),
    "signature all zeros": ("SIG_INVALID", _sig(lambda s: re.sub(rb'"sig":"[^"]+"',
                                                                 b'"sig":"' + b"A" * 86 + b'=="', s))),
    "manifest changed after signing": ("SIG_INVALID", _tampered),
    "signature hint names another trusted key": ("SIG_INVALID", _hint_other_key),
    "signed by an unknown key": ("KEY_UNKNOWN", _unknown_key),
    "signed by a revoked key": ("KEY_REVOKED", _signed_by_revoked),
    "signed by another unit's key": ("SENDER_SCOPE", _signed_by_other_unit),
    "manifest names another key": ("KEY_MISMATCH", _manifest(_set("sender.device", "9" * 32))),
    "kind not allowed for the key": ("KIND_NOT_ALLOWED", _decision_signed_by_device),
    "unknown payload type": ("PAYLOAD_TYPE_UNKNOWN", _payload("application/x-evil")),
    "payload type differs from kind": ("KIND_MISMATCH", _payload("receipt")),
    "same key signs twice": ("DUPLICATE_SIGNATURE", _two_signatures_same_key),
    "too many signatures": ("TOO_MANY_SIGNATURES", _seventeen_signatures),
    # manifest
    "duplicate JSON key": ("JSON_DUPLICATE_KEY", _manifest_bytes(lambda m: m[:-1] + b',"kind":"upward-export"}')),
    "NaN": ("JSON_NON_FINITE", _manifest_bytes(lambda m: _trust_version(m, b"NaN"))),
    "Infinity": ("JSON_NON_FINITE", _manifest_bytes(lambda m: _trust_version(m, b"-Infinity"))),
    "lone surrogate": ("JSON_SURROGATE", _manifest_bytes(lambda m: m[:-1] + b',"x":"\\ud800"}')),
    "invalid UTF-8": ("JSON_ENCODING", _manifest_bytes(lambda m: m[:-1] + b',"x":"\xc3\x28"}')),
    "BOM": ("JSON_ENCODING", _manifest_bytes(lambda m: b"\xef\xbb\xbf" + m)),
    "nesting too deep": ("JSON_LIMITS", _manifest_bytes(lambda m: m[:-1] + b',"x":' + b"[" * 40 + b"]" * 40 + b"}")),
    "integer too large": ("JSON_LIMITS", _manifest_bytes(lambda m: _trust_version(m, b"9" * 30))),
    "unsupported format version": ("FORMAT_UNSUPPORTED", _manifest(_set("format_version", 2))),
    "missing field": ("MANIFEST_FIELD", _manifest(lambda m: m.pop("audit_head"))),
    "unknown field": ("MANIFEST_FIELD", _manifest(_set("algorithm", "none"))),
    "wrongly typed field": ("MANIFEST_FIELD", _manifest(_set("sender.seq", "1"))),
    "recipient is another province": ("WRONG_RECIPIENT", _manifest(_set("recipient.unit", "87"))),
    "training into production": ("WRONG_ENVIRONMENT", _manifest(_set("environment", "training"))),
    "epoch not authorised": ("EPOCH_NOT_AUTHORISED", _manifest(_set("sender.epoch", 2))),
    "seq lower than the last": ("SEQ_REPLAYED", _ledger("imported", 5)),
    "same seq, another package": ("EQUIVOCATION", _ledger("imported", 1, same_seq_other_hash=True)),
    "expected seq, linked to another package": ("CHAIN_FORK", _manifest(_set("sender.prev_package_sha256", "ab" * 32))),
    "created far in the future": ("FUTURE_CREATED", _manifest(_set("created_at", timestamp(
        datetime.now(UTC) + timedelta(days=30))))),
    "files[] bad path": ("FILES_ENTRY_INVALID", _manifest(lambda m: m["files"][0].update(path="../x"))),
    "files[] negative size": ("FILES_ENTRY_INVALID", _manifest(lambda m: m["files"][0].update(size=-1))),
    "files[] non-hex hash": ("FILES_ENTRY_INVALID", _manifest(lambda m: m["files"][0].update(sha256="z" * 64))),
    "member hash differs": ("MEMBER_HASH", _manifest(lambda m: m["files"][0].update(sha256="0" * 64))),
    "member size differs": ("MEMBER_SIZE", _manifest(lambda m: m["files"][0].update(size=m["files"][0]["size"] + 1))),
    "counts differ from records": ("COUNT_MISMATCH", _manifest(lambda m: m["counts"].update(product=2))),
    # records and attachments
    "JSONL line over cap": ("LINE_TOO_LONG", _limits(max_line=50)),
    "empty line": ("LINE_MALFORMED", _raw_records("producer", b"\n")),
    "non-object line": ("LINE_MALFORMED", _raw_records("producer", b"[1,2,3]\n")),
    "trailing garbage": ("LINE_MALFORMED", lambda b, p: _raw_records("product", jsonl(b.records["product"])
                                                                     + b'{"id":')(b, p)),
    "unknown table": ("TABLE_UNKNOWN", _raw_records("secrets", b"{}\n")),
    "unknown record field": ("RECORD_SCHEMA", _records("product", lambda rows: rows[0].update(price=1))),
    "wrong type": ("RECORD_SCHEMA", _records("product", lambda rows: rows[0].update(product_set="7"))),
    "over-long string": ("RECORD_SCHEMA", _records("product", lambda rows: rows[0].update(name="x" * 300))),
    "enum out of range": ("RECORD_SCHEMA", _records("product", lambda rows: rows[0].update(status="approved"))),
    "implausible date": ("RECORD_DATE", _records("product", lambda rows: rows[0].update(
        certificate_date="2026-02-30"))),
    "score not an option": ("SCORE_NOT_OPTION", _sheet('{"1.1":9}')),
    "unknown catalog hash": ("CATALOG_UNKNOWN", _sheet("{}", catalog_hash="e" * 64)),
    "record of another unit": ("RECORD_OUT_OF_SCOPE", _records("product", lambda rows: rows[0].update(
        owner_unit="30046"))),
    "tombstone of another unit's record": ("RECORD_OUT_OF_SCOPE", _records("producer", lambda rows: rows.append(
        {**rows[0], "id": "8" * 32, "owner_unit": "30046", "deleted": True}))),
    "upward row in a province table": ("TABLE_NOT_ALLOWED", _raw_records("recognition", b"{}\n")),
    "dangling producer": ("DANGLING_REFERENCE", _records("product", lambda rows: rows[0].update(
        producer_id="9" * 32))),
    "same id twice": ("RECORD_DUPLICATE_ID", _records("product", lambda rows: rows.append(
        {**rows[0], "name": "Trà tim sen (bản khác)"}))),
    "attachment bytes differ from its name": ("ATTACHMENT_NAME_HASH", lambda b, p: (
        b.files.update({"c" * 64: tiny_png()}), b.records["attachment"][0].update(sha256="c" * 64), b.build())[2]),
    "executable declared as PNG": ("ATTACHMENT_TYPE", _attachment(b"MZ\x90\x00" + bytes(100))),
    "JPEG declared as PNG": ("ATTACHMENT_TYPE", _attachment(b"\xff\xd8\xff\xe0" + bytes(100))),
    "PNG of 50k x 50k pixels": ("ATTACHMENT_IMAGE", _attachment(tiny_png()[:16] + struct.pack(">II", 50_000, 50_000)
                                                                + tiny_png()[24:])),
    "truncated PNG": ("ATTACHMENT_IMAGE", _attachment(_truncated_png())),
    "JPEG hiding its size behind fill bytes": ("ATTACHMENT_IMAGE", _attachment(_fill_byte_jpeg(), "image/jpeg")),
    "script declared as a generic file": ("ATTACHMENT_TYPE", _attachment(b"@echo off\r\ndel *.*\r\n",
                                                                        "application/octet-stream")),
    "file no attachment row uses": ("FILE_UNREFERENCED", lambda b, p: (
        b.files.update({hashlib.sha256(b"MZ payload").hexdigest(): b"MZ payload"}), b.build())[1]),
    # found by the adversarial review: one byte form per package, no crash on odd input
    "a second, junk signature entry": ("SIG_MALFORMED", _junk_signature),
    "members in another order": ("NON_CANONICAL_HEADER", _entries(lambda ms: ms.insert(0, ms.pop(1)))),
    "manifest stored compressed": ("COMPRESSION_METHOD", _entries(lambda ms: setattr(ms[-2], "method", 8))),
    "records stored uncompressed": ("COMPRESSION_METHOD", _entries(lambda ms: setattr(ms[0], "method", 0))),
    "deeply nested value in a record": ("JSON_LIMITS", _raw_records(
        "producer", b'{"x":' + b"[" * 600 + b'"\\u0041"' + b"]" * 600 + b"}\n")),
    "kind is a list": ("MANIFEST_FIELD", _manifest(_set("kind", ["upward-export"]))),
    "version vector missing a comma": ("RECORD_SCHEMA", _records("product", lambda rows: rows[0].update(
        version_vector='{"' + "a" * 32 + '":1"' + "b" * 32 + '":2}'))),
    "time of day 99:99": ("RECORD_DATE", _records("product", lambda rows: rows[0].update(
        updated_at="2026-01-01T99:99:99Z"))),
    "non-ASCII digits in created_at": ("MANIFEST_FIELD", _manifest(_set("created_at", "٢٠٢٦-01-01T00:00:00Z"))),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(base: tuple[PackageBuilder, Pair], name: str) -> None:
    code, case = CASES[name]
    builder, p = base
    made = case(builder.copy(), p)
    receiver = p.province
    limits = LIMITS
    if isinstance(made, tuple):
        if len(made) == 3:
            data, limits, receiver = made
        else:
            data, limits = made
    else:
        data = made
    target = p.tmp / "goi.ocsync"
    target.write_bytes(data)
    before = db_digest(p.province), db_digest(p.local)
    files_before = sorted(str(f) for f in p.tmp.rglob("*"))
    with pytest.raises(PackageRejected) as info:
        verify_package(receiver, target, limits=limits)
    assert info.value.code == code, f"{name}: {info.value.code} {info.value.detail}"
    assert info.value.message_vi.strip() and "{detail}" not in info.value.message_vi
    assert (db_digest(p.province), db_digest(p.local)) == before
    assert sorted(str(f) for f in p.tmp.rglob("*")) == files_before  # nothing extracted anywhere


def test_expired_downward_package(base: tuple[PackageBuilder, Pair]) -> None:
    builder, p = base
    data, _, receiver = _expired_downward(builder.copy(), p)
    (p.tmp / "d.ocsync").write_bytes(data)
    before = db_digest(receiver)
    with pytest.raises(PackageRejected) as info:
        verify_package(receiver, p.tmp / "d.ocsync")
    assert info.value.code == "EXPIRED"
    assert db_digest(receiver) == before


def test_zip_truncated_at_many_offsets(base: tuple[PackageBuilder, Pair]) -> None:
    builder, p = base
    data = builder.build()
    offsets = sorted({4 + (len(data) - 5) * i // 59 for i in range(60)})
    assert len(offsets) >= 50
    for offset in offsets:
        (p.tmp / "t.ocsync").write_bytes(data[:offset])
        with pytest.raises(PackageRejected) as info:
            verify_package(p.province, p.tmp / "t.ocsync")
        assert info.value.code == "TRUNCATED", offset


def test_every_code_has_its_own_message() -> None:
    assert len(set(MESSAGES.values())) == len(MESSAGES)
    used = {code for code, _ in CASES.values()} | {"EXPIRED", "TRUNCATED"}
    assert len(used) >= 60
    assert used <= set(MESSAGES)


def test_the_unmodified_package_passes(base: tuple[PackageBuilder, Pair]) -> None:
    builder, p = base
    (p.tmp / "ok.ocsync").write_bytes(builder.build())
    verified = verify_package(p.province, p.tmp / "ok.ocsync")
    assert verified.sequence == "next" and verified.counts == {"attachment": 1, "producer": 1, "product": 1}
    assert json.loads(json.dumps(verified.manifest))["sender"]["unit"] == "30037"


def test_every_code_is_in_the_published_format() -> None:
    """docs/package-format.md §7 lists every rejection code (a third-party verifier needs them)."""
    from tests.conftest import ROOT

    document = (ROOT / "docs" / "package-format.md").read_text(encoding="utf-8")
    assert [code for code in MESSAGES if f"`{code}`" not in document] == []
