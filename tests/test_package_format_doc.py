"""docs/package-format.md is exact: what it says about columns, keys, the container, signatures,
check order, JSON depth, limits, vocabularies and chains is what the program does (issue 12 item 9).

The tables of the document are parsed and compared with the code (tests/doc_tables.py), and every
rejection code is produced by at least one case, here or in tests/test_sync_bad_inputs.py.
"""

from __future__ import annotations

import base64
import io
import json
import re
import struct
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ocop_desktop.sync.exchange import catalogs
from ocop_desktop.sync.exchange.export import export_package
from ocop_desktop.sync.exchange.installation_view import verify_package
from ocop_desktop.sync.package import strict_json
from ocop_desktop.sync.package.container import LIMITS, Limits, read_entries
from ocop_desktop.sync.package.format import PAYLOAD_TYPES, check_manifest, parse_signature_document, signature_document
from ocop_desktop.sync.package.record_codec import COLUMNS, KEYED
from ocop_desktop.sync.package.rejections import MESSAGES, PackageRejected
from ocop_desktop.sync.trust import enrolment as trust
from ocop_desktop.sync.trust import keys
from ocop_desktop.sync.trust import root as trust_root
from ocop_desktop.sync.trust import updates as trust_updates
from tests import doc_tables
from tests.package_builder import PackageBuilder, Raw
from tests.sync_fixtures import PASS, Pair
from tests.test_sync_bad_inputs import CASES, _expired_downward

Base = tuple[PackageBuilder, Pair]


@pytest.fixture
def package(pair: Pair) -> Base:
    """A builder holding the records and files of a real package from the commune, and the pair."""
    result = export_package(pair.local, PASS, "82", pair.tmp / "goc.ocsync", full=True)
    return PackageBuilder.from_package(result.path, pair.local_key()), pair
DOC = doc_tables.DOC.read_text(encoding="utf-8")


def _verify(p: Pair, data: bytes, limits: Limits = LIMITS) -> Any:
    target = p.tmp / "doc.ocsync"
    target.write_bytes(data)
    return verify_package(p.province, target, limits=limits)


def _code(p: Pair, data: bytes, limits: Limits = LIMITS) -> str:
    with pytest.raises(PackageRejected) as info:
        _verify(p, data, limits)
    return info.value.code


def _raises(call: Callable[[], Any]) -> str:
    with pytest.raises(PackageRejected) as info:
        call()
    return info.value.code


# --- 1. which columns travel ---------------------------------------------------------------------

def test_doc_column_table_is_the_schema() -> None:
    assert doc_tables.doc_table("| Table | Columns |") == {k: [v] for k, v in doc_tables.column_rows().items()}
    assert doc_tables.doc_table("| Kind | Tables it may carry |") == {k: [v] for k, v in doc_tables.kind_rows().items()}


def test_search_key_is_derived_never_carried(package: Base) -> None:
    assert {"producer", "product"} == KEYED
    assert all("search_key" not in {c.name for c in cols} for cols in COLUMNS.values())
    builder, p = package
    builder.records["product"][0]["search_key"] = "tra tim sen"
    assert _code(p, builder.build()) == "RECORD_SCHEMA"


# --- 2. where keys come from, and how they are written ---------------------------------------------

def _is_key_encoding(text: str, key_id: str, purpose: str) -> None:
    raw = base64.b64decode(text, validate=True)
    assert len(raw) == 32 and len(text) == 44 and text.endswith("=")
    assert base64.b64encode(raw).decode("ascii") == text  # standard alphabet, padded, one spelling
    assert key_id == keys.fingerprint(raw, purpose) and re.fullmatch(r"[0-9a-f]{64}", key_id)


def test_keys_are_standard_base64_of_the_raw_key_named_by_their_fingerprint(pair: Pair) -> None:
    from database.engine import read_session
    from database.tables import TrustedKey

    chain = json.loads(trust_updates.export_chain(pair.province, pair.tmp / "t.ocoptrust").read_text("utf-8"))
    body = json.loads(base64.b64decode(chain["envelopes"][-1]["payload"]))
    _is_key_encoding(body["publisher"]["public_key"], body["publisher"]["key_id"], "province-publisher")
    for root in body["roots"]:
        _is_key_encoding(root["public_key"], root["key_id"], "province-root")
    for device in body["devices"]:
        _is_key_encoding(device["public_key"], device["key_id"], "device")
    request = json.loads(trust.export_enrolment_request(pair.local, PASS, pair.tmp / "e.json").read_text("utf-8"))
    _is_key_encoding(request["public_key"], request["key_id"], "device")
    # the office trusts the newest publisher, with no device and any epoch; the province the enrolled key
    with read_session(pair.local.engine) as s:
        row = s.get(TrustedKey, body["publisher"]["key_id"])
        assert row is not None and (row.purpose, row.unit_code, row.device_id, row.status, row.epoch) == (
            "province-publisher", "82", None, "active", 10**6)
        assert row.public_key == body["publisher"]["public_key"]
    with read_session(pair.province.engine) as s:
        row = s.get(TrustedKey, request["key_id"])
        assert row is not None and (row.purpose, row.unit_code, row.device_id, row.public_key) == (
            "device", "30037", request["device"], request["public_key"])


# --- 3. the central directory is in member order ---------------------------------------------------

def _central_records(data: bytes) -> tuple[int, list[bytes]]:
    cd_size, cd_offset = struct.unpack_from("<II", data, len(data) - 22 + 12)
    records, pos = [], cd_offset
    while pos < cd_offset + cd_size:
        nlen, elen, clen = struct.unpack_from("<HHH", data, pos + 28)
        records.append(data[pos:pos + 46 + nlen + elen + clen])
        pos += 46 + nlen + elen + clen
    return cd_offset, records


def test_central_directory_in_another_order_is_refused(package: Base) -> None:
    builder, p = package
    data = builder.build()
    _verify(p, data)
    start, records = _central_records(data)
    swapped = data[:start] + b"".join([records[1], records[0], *records[2:]]) + data[-22:]
    assert len(swapped) == len(data)
    assert _code(p, swapped) == "NON_CANONICAL_HEADER"


# --- 4. how many signatures -----------------------------------------------------------------------

@pytest.mark.parametrize(("count", "code"), [(0, "SIG_MALFORMED"), (1, None), (2, "SIG_MALFORMED"),
                                             (16, "SIG_MALFORMED"), (17, "TOO_MANY_SIGNATURES")])
def test_a_package_has_exactly_one_signature(count: int, code: str | None) -> None:
    document = signature_document(PAYLOAD_TYPES["receipt"], [(f"{i:064x}", bytes(64)) for i in range(count)])
    if code is None:
        assert len(parse_signature_document(document)[1]) == 1
    else:
        assert _raises(lambda: parse_signature_document(document)) == code
    twice = signature_document(PAYLOAD_TYPES["receipt"], [("a" * 64, bytes(64))] * 2)
    assert _raises(lambda: parse_signature_document(twice)) == "DUPLICATE_SIGNATURE"


def _trust_envelope(signers: int, *, version: int = 1, province: str = "82", threshold: int = 1,
                    roots: list[Ed25519PrivateKey] | None = None,
                    now: datetime | None = None) -> tuple[dict[str, Any], list[Ed25519PrivateKey]]:
    roots = roots or [Ed25519PrivateKey.generate() for _ in range(max(signers, 1))]
    payload = trust_root.body(version=version, province=province, environment="production", threshold=threshold,
                              roots=[keys.public_raw(k) for k in roots][:16],
                              publisher=keys.public_raw(Ed25519PrivateKey.generate()), devices=[],
                              now=now or datetime.now(UTC))
    return trust_root.sign(payload, roots[:signers]), roots


@pytest.mark.parametrize(("count", "code"), [(0, "TRUST_MALFORMED"), (1, None), (16, None),
                                             (17, "TRUST_TOO_MANY_SIGNATURES")])
def test_a_trust_version_has_one_to_sixteen_signatures(count: int, code: str | None) -> None:
    envelope, _ = _trust_envelope(count)
    if code is None:
        assert len(trust_root.open_envelope(envelope)[1]) == count
    else:
        assert _raises(lambda: trust_root.open_envelope(envelope)) == code
    envelope["signatures"] = envelope["signatures"][:1] * 2 if count else []
    if count:
        assert _raises(lambda: trust_root.open_envelope(envelope)) == "TRUST_DUPLICATE_SIGNATURE"


# --- 5. a changed manifest or signature reads as a signature failure -------------------------------

def _entry(data: bytes, name: str) -> Any:
    return {e.name: e for e in read_entries(io.BytesIO(data), len(data))}[name]


def _set_crc(data: bytearray, name: str, data_offset: int, crc: int) -> None:
    """Write ``crc`` into ``name``'s local header and its central record."""
    struct.pack_into("<I", data, data_offset - 30 - len(name) + 14, crc)
    pos, records = _central_records(bytes(data))
    for record in records:
        if record[46:] == name.encode():
            struct.pack_into("<I", data, pos + 16, crc)
        pos += len(record)


def _fix_crc(data: bytearray, name: str) -> None:
    """Recompute ``name``'s CRC-32 from its (changed) bytes, as a careful tamperer would."""
    entry = _entry(bytes(data), name)
    content = bytes(data[entry.data_offset:entry.data_offset + entry.stored_size])
    _set_crc(data, name, entry.data_offset, zlib.crc32(content))  # both members are STORED


@pytest.mark.parametrize("fix_crc", [False, True], ids=["crc-stale", "crc-recomputed"])
def test_a_changed_manifest_byte_is_a_signature_failure(package: Base, fix_crc: bool) -> None:
    builder, p = package
    original = builder.build()
    entry = _entry(original, "manifest.json")
    manifest = original[entry.data_offset:entry.data_offset + entry.size]
    at = entry.data_offset + manifest.index(b'"mode":"full"') + len(b'"mode":"')
    data = bytearray(original)
    data[at] ^= 0x20  # "full" -> "Full": still valid JSON, still the same length
    if fix_crc:
        _fix_crc(data, "manifest.json")
    assert _code(p, bytes(data)) == "SIG_INVALID"


@pytest.mark.parametrize("fix_crc", [False, True], ids=["crc-stale", "crc-recomputed"])
def test_a_changed_signature_byte_is_a_signature_failure(package: Base, fix_crc: bool) -> None:
    builder, p = package
    original = builder.build()
    entry = _entry(original, "manifest.sig")
    sig = original[entry.data_offset:entry.data_offset + entry.size]
    at = entry.data_offset + sig.index(b'"sig":"') + len(b'"sig":"') + 10
    data = bytearray(original)
    data[at] = ord("B") if data[at] != ord("B") else ord("C")  # another base64 digit
    if fix_crc:
        _fix_crc(data, "manifest.sig")
    assert _code(p, bytes(data)) == "SIG_INVALID"


@pytest.mark.parametrize("name", ["manifest.json", "manifest.sig"])
def test_a_wrong_crc_over_authentic_bytes_is_still_refused(package: Base, name: str) -> None:
    builder, p = package
    data = bytearray(builder.build())
    entry = _entry(bytes(data), name)
    _set_crc(data, name, entry.data_offset, entry.crc ^ 1)  # local and central agree; the bytes do not
    assert _code(p, bytes(data)) == "MEMBER_INFLATES"


@pytest.mark.parametrize("member", ["records/producer.jsonl", "files/"])
def test_a_changed_member_byte_with_a_stale_crc_is_a_hash_failure(package: Base, member: str) -> None:
    builder, p = package
    data = bytearray(builder.build())
    entries = read_entries(io.BytesIO(bytes(data)), len(data))
    entry = next(e for e in entries if e.name.startswith(member))
    data[entry.data_offset + entry.stored_size // 2] ^= 0x01
    assert _code(p, bytes(data)) == "MEMBER_HASH"


# --- 6. nesting depth -----------------------------------------------------------------------------

def _nested(depth: int, inner: bytes = b"") -> bytes:
    return b"[" * depth + inner + b"]" * depth


def test_nesting_depth_counts_containers() -> None:
    for text in (b"1", b'"x"', b"null", b"{}", b"[]", b'{"a":1}', _nested(16), _nested(16, b"1"),
                 b'{"a":' + _nested(15) + b"}"):
        strict_json.loads(text, "x")  # depth 0 to 16
    for text in (_nested(17), _nested(17, b"1"), b'{"a":' + _nested(16) + b"}", _nested(10**5)):
        assert _raises(lambda text=text: strict_json.loads(text, "x")) == "JSON_LIMITS"
    # record lines: the same boundary (the schema then refuses any nesting)
    assert strict_json.loads_record(b'{"a":' + _nested(15, b"1") + b"}", "r") == {"a": [[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]}
    assert _raises(lambda: strict_json.loads_record(b'{"a":' + _nested(16, b"1") + b"}", "r")) == "JSON_LIMITS"
    assert _raises(lambda: strict_json.loads_record(b'{"a":' + _nested(10**5) + b"}", "r")) == "JSON_LIMITS"
    assert "`{}`, `[]` and `{\"a\":1}` have depth 1" in DOC and "17 are `JSON_LIMITS`" in DOC


@pytest.mark.parametrize(("depth", "code"), [(15, "MANIFEST_FIELD"), (16, "JSON_LIMITS")])
def test_nesting_depth_in_the_manifest(package: Base, depth: int, code: str) -> None:
    builder, p = package  # the manifest object itself is one level: a value of depth 15 makes 16 in all
    builder.manifest_bytes = lambda m: m[:-1] + b',"x":' + _nested(depth) + b"}"
    assert _code(p, builder.build()) == code  # MANIFEST_FIELD: read, then refused as an unknown field


# --- 7. every limit gives its code ------------------------------------------------------------------

LIMITS_TABLE = doc_tables.doc_table("| Limit | What is limited |")


def _doc_code(key: str) -> str:
    return re.findall(r"`([A-Z_]+)`", LIMITS_TABLE[f"`{key}`"][3])[0]


def _units(text: str) -> int:
    number, unit = re.fullmatch(r"([0-9]+)(?: (GiB|MiB|KiB))?", text).groups()  # type: ignore[union-attr]
    return int(number) * {None: 1, "KiB": 1024, "MiB": 1024**2, "GiB": 1024**3}[unit]


def test_container_defaults_are_the_documented_ones() -> None:
    for field in ("max_package", "max_entries", "max_member", "max_total", "max_ratio", "max_line", "max_manifest",
                  "max_sig"):
        assert _units(LIMITS_TABLE[f"`{field}`"][2]) == getattr(LIMITS, field), field
    assert LIMITS.ratio_from == 1024**2 and "`ratio_from` = 1 MiB" in DOC
    assert int(LIMITS_TABLE["`trust_payload`"][2].split()[0]) == trust_root.MAX_PAYLOAD * 4 // 3 + 4
    assert _units(LIMITS_TABLE["`trust_file`"][2]) == trust_updates.MAX_CHAIN_FILE
    assert trust_root.MAX_ROOT_KEYS == 16 == int(LIMITS_TABLE["`trust_roots`"][2])
    assert int(LIMITS_TABLE["`json_depth`"][2]) == strict_json.MAX_DEPTH


def _at_cap(field: str, measure: Callable[[bytes], int]) -> Callable[[Base], str]:
    """The package passes with the cap at its own measure and is refused one below it."""
    def case(b: Base) -> str:
        builder, p = b
        data = builder.build()
        at = measure(data)
        _verify(p, data, Limits(**{field: at}))
        return _code(p, data, Limits(**{field: at - 1}))
    return case


def _sizes(data: bytes) -> list[Any]:
    return read_entries(io.BytesIO(data), len(data), Limits(max_ratio=2**32))


def _ratio(b: Base) -> str:
    builder, p = b
    builder.record_bytes["producer"] = b"\n".join(
        strict_json.dumps({**builder.records["producer"][0], "notes": "a" * 60_000, "id": f"{i:032x}"})
        for i in range(40)) + b"\n"
    data = builder.build()
    entry = next(e for e in _sizes(data) if e.name == "records/producer.jsonl")
    ratio = -(-entry.size // entry.stored_size)  # the smallest whole cap it keeps to
    limits = Limits(ratio_from=1000, max_ratio=ratio)
    assert _code(p, data, limits) != "RATIO_TOO_HIGH"  # refused later (ids): the ratio itself passes
    return _code(p, data, Limits(ratio_from=1000, max_ratio=ratio - 1))


def _line(b: Base) -> str:
    builder, p = b
    builder.records["producer"][0]["name"] = "Hợp tác xã Sen Tháp Mười ữ" * 9  # multi-byte: bytes, not characters
    data = builder.build()
    lines = [len(strict_json.dumps(r)) for rows in builder.records.values() for r in rows]
    longest = max(lines)
    assert longest > max(len(strict_json.dumps(r).decode()) for rows in builder.records.values() for r in rows)
    _verify(p, data, Limits(max_line=longest))
    return _code(p, data, Limits(max_line=longest - 1))


def _member_name(b: Base) -> str:
    builder, p = b
    hundred = b"files/" + b"a" * 94

    def with_name(name: bytes) -> str:
        builder.edit_entries = lambda ms: ms.insert(0, Raw(name, b"x", method=0))
        return _code(p, builder.build())
    assert with_name(hundred) == "MEMBER_NOT_ALLOWED"  # 100 bytes: a safe name, then the allow-list
    return with_name(hundred + b"a")


def _json_integer(b: Base) -> str:
    top = 2**53 - 1
    assert strict_json.loads(b"[%d,%d]" % (top, -top), "x") == [top, -top]
    assert strict_json.loads_record(b'{"a":%d}' % top, "r") == {"a": top}
    assert _raises(lambda: strict_json.loads_record(b'{"a":%d}' % -(top + 1), "r")) == "JSON_LIMITS"
    builder, p = b
    builder.records["product"][0]["star"] = top + 1  # a record line: the reader's code, not the schema's
    assert _code(p, builder.build()) == "JSON_LIMITS"
    return _raises(lambda: strict_json.loads(b"[%d]" % (top + 1), "x"))


def _json_depth(_b: Base) -> str:
    strict_json.loads(_nested(16), "x")
    return _raises(lambda: strict_json.loads(_nested(17), "x"))


def _signatures(_b: Base) -> str:
    return _raises(lambda: parse_signature_document(signature_document(
        PAYLOAD_TYPES["receipt"], [(f"{i:064x}", bytes(64)) for i in range(17)])))


def _manifest_value(b: Base, edit: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    manifest = json.loads(json.dumps(b[0].manifest))
    manifest["files"] = []
    edit(manifest)
    return manifest


def _files_size(b: Base) -> str:
    entry = {"path": "files/" + "a" * 64, "size": 2**32 - 1, "stored_size": 2**32 - 1, "sha256": "a" * 64,
             "stored_sha256": "a" * 64}
    check_manifest(_manifest_value(b, lambda m: m["files"].append(dict(entry))))
    return _raises(lambda: check_manifest(_manifest_value(b, lambda m: m["files"].append({**entry, "size": 2**32}))))


def _manifest_ranges(b: Base) -> str:
    def at(path: str, value: int) -> Callable[[dict[str, Any]], None]:
        def edit(m: dict[str, Any]) -> None:
            *parents, last = path.split(".")
            for part in parents:
                m = m[part]
            m[last] = value
            if path == "sender.seq":
                m["prev_package_sha256"] = None if value == 1 else "c" * 64
        return edit
    codes = set()
    for path, low, high in (("sender.epoch", 1, 10**6), ("sender.seq", 1, 2**53 - 1), ("counts.producer", 1, 10**9),
                            ("audit_head.count", 0, 2**53 - 1), ("trust_version", 0, 10**9)):
        for good in (low, high):
            check_manifest(_manifest_value(b, at(path, good)))
        for bad in (low - 1, high + 1):
            codes.add(_raises(lambda path=path, bad=bad: check_manifest(_manifest_value(b, at(path, bad)))))
    assert len(codes) == 1
    return codes.pop()


def _text_column(b: Base) -> str:
    builder, p = b
    builder.records["product"][0]["name"] = "ữ" * 255  # 255 characters, 765 bytes: within text(255)
    _verify(p, builder.build())
    builder.records["product"][0]["name"] = "ữ" * 256
    return _code(p, builder.build())


def _version_vector(b: Base) -> str:
    builder, p = b
    device = builder.records["product"][0]["origin_device"]
    builder.records["product"][0]["version_vector"] = f'{{"{device}":{2**53 - 1}}}'
    _verify(p, builder.build())
    builder.records["product"][0]["version_vector"] = f'{{"{device}":{2**53}}}'
    return _code(p, builder.build())


def _record_year(b: Base) -> str:
    builder, p = b
    builder.records["product"][0]["certificate_date"] = "2100-12-31"
    _verify(p, builder.build())
    builder.records["product"][0]["certificate_date"] = "2101-01-01"
    return _code(p, builder.build())


def _created_ahead(b: Base) -> str:
    builder, p = b
    builder.manifest["created_at"] = (datetime.now(UTC) + timedelta(days=2, minutes=-5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    _verify(p, builder.build())
    builder.manifest["created_at"] = (datetime.now(UTC) + timedelta(days=2, minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return _code(p, builder.build())


def _trust_signatures(_b: Base) -> str:
    trust_root.open_envelope(_trust_envelope(16)[0])
    return _raises(lambda: trust_root.open_envelope(_trust_envelope(17)[0]))


def _trust_roots(_b: Base) -> str:
    roots = [Ed25519PrivateKey.generate() for _ in range(17)]
    envelope, _ = _trust_envelope(1, roots=roots)
    trust_root.parse_body(trust_root.open_envelope(envelope)[0])  # 16 roots
    body = json.loads(trust_root.open_envelope(envelope)[0])
    body["roots"].append({"key_id": keys.fingerprint(keys.public_raw(roots[16]), "province-root"),
                          "public_key": base64.b64encode(keys.public_raw(roots[16])).decode()})
    return _raises(lambda: trust_root.parse_body(json.dumps(body).encode()))


def _trust_payload(_b: Base) -> str:
    envelope, _ = _trust_envelope(1)
    cap = trust_root.MAX_PAYLOAD * 4 // 3 + 4
    envelope["payload"] = "A" * (cap - cap % 4)  # the longest base64 text within the cap is read
    assert len(trust_root.open_envelope(envelope)[0]) == (cap - cap % 4) * 3 // 4
    envelope["payload"] = "A" * (cap + 1)
    return _raises(lambda: trust_root.open_envelope(envelope))


def _trust_file(b: Base) -> str:
    _builder, p = b
    path = p.tmp / "lon.ocoptrust"
    with path.open("wb") as fh:
        fh.truncate(trust_updates.MAX_CHAIN_FILE + 1)
    return _raises(lambda: trust_updates.read_chain(path))


LIMIT_CASES: dict[str, Callable[[Base], str]] = {
    "max_package": _at_cap("max_package", len),
    "max_entries": _at_cap("max_entries", lambda d: len(_sizes(d))),
    "max_member": _at_cap("max_member", lambda d: max(e.size for e in _sizes(d))),
    "max_total": _at_cap("max_total", lambda d: sum(e.size for e in _sizes(d))),
    "max_ratio": _ratio,
    "max_line": _line,
    "max_manifest": _at_cap("max_manifest", lambda d: next(e.size for e in _sizes(d) if e.name == "manifest.json")),
    "max_sig": _at_cap("max_sig", lambda d: next(e.size for e in _sizes(d) if e.name == "manifest.sig")),
    "member_name": _member_name,
    "json_depth": _json_depth,
    "json_integer": _json_integer,
    "signatures": _signatures,
    "files_size": _files_size,
    "manifest_ranges": _manifest_ranges,
    "text_column": _text_column,
    "version_vector": _version_vector,
    "record_year": _record_year,
    "created_ahead": _created_ahead,
    "trust_signatures": _trust_signatures,
    "trust_roots": _trust_roots,
    "trust_payload": _trust_payload,
    "trust_file": _trust_file,
}


def test_every_documented_limit_has_a_case() -> None:
    assert sorted(LIMITS_TABLE) == sorted(f"`{k}`" for k in LIMIT_CASES)


@pytest.mark.parametrize("key", list(LIMIT_CASES))
def test_each_limit_gives_its_documented_code(package: Base, key: str) -> None:
    assert LIMIT_CASES[key](package) == _doc_code(key)


def test_limits_count_characters_in_text_and_bytes_in_lines() -> None:
    counted = {k: v[1] for k, v in LIMITS_TABLE.items()}
    assert counted["`text_column`"] == "characters"
    assert all(counted[f"`{k}`"] == "bytes" for k in ("max_package", "max_member", "max_total", "max_line",
                                                       "max_manifest", "max_sig", "member_name", "trust_file"))


# --- 8. closed vocabularies -----------------------------------------------------------------------

def test_doc_vocabularies_are_the_codes() -> None:
    assert doc_tables.doc_table("| Vocabulary | Values |") == {k: [v] for k, v in doc_tables.vocabulary_rows().items()}


# --- 9. a null previous hash ----------------------------------------------------------------------

@pytest.mark.parametrize(("seq", "prev", "code"), [(2, None, "MANIFEST_FIELD"), (7, None, "MANIFEST_FIELD"),
                                                   (1, "c" * 64, "MANIFEST_FIELD"), (1, None, None)])
def test_prev_hash_is_null_exactly_for_the_first_package(package: Base, seq: int, prev: str | None,
                                                          code: str | None) -> None:
    builder, p = package
    builder.manifest["sender"].update(seq=seq, prev_package_sha256=prev)
    if code is None:
        assert _verify(p, builder.build()).sequence == "next"
    else:
        assert _code(p, builder.build()) == code  # refused, not left waiting as a gap


# --- 11. every rejection code is produced by some case ---------------------------------------------

def _trust_codes() -> dict[str, Callable[[Base], str]]:
    now = datetime.now(UTC)

    def genesis(b: Base) -> str:
        envelope, _ = _trust_envelope(1)
        return _raises(lambda: trust_root.verify_genesis(envelope, "AAAA"))

    def version(b: Base) -> str:
        envelope, _ = _trust_envelope(1, version=2)
        payload = trust_root.open_envelope(envelope)[0]
        return _raises(lambda: trust_root.verify_genesis(envelope, trust_root.genesis_fingerprint(payload)))

    def first(roots: list[Ed25519PrivateKey] | None = None) -> trust_root.RootVersion:
        envelope, _ = _trust_envelope(1, roots=roots)
        payload = trust_root.open_envelope(envelope)[0]
        return trust_root.verify_genesis(envelope, trust_root.genesis_fingerprint(payload))

    def old_threshold(b: Base) -> str:
        held = first()
        envelope, _ = _trust_envelope(1, version=2)
        return _raises(lambda: trust_root.verify_next(held, envelope))

    def new_threshold(b: Base) -> str:
        roots = [Ed25519PrivateKey.generate() for _ in range(2)]
        envelope, _ = _trust_envelope(1, roots=roots, threshold=2)
        payload = trust_root.open_envelope(envelope)[0]
        return _raises(lambda: trust_root.verify_genesis(envelope, trust_root.genesis_fingerprint(payload)))

    def province(b: Base) -> str:
        roots = [Ed25519PrivateKey.generate()]
        held = first(roots)
        envelope, _ = _trust_envelope(1, version=2, province="87", roots=roots)
        return _raises(lambda: trust_root.verify_next(held, envelope))

    def expired(b: Base) -> str:
        return _raises(lambda: trust_root.check_fresh(first(), now + timedelta(days=400)))

    def not_pinned(b: Base) -> str:
        envelope, _ = _trust_envelope(1)
        return _raises(lambda: trust_root.verify_chain(None, [envelope], set(), now))

    return {"TRUST_MALFORMED": lambda b: _raises(lambda: trust_root.open_envelope({})),
            "TRUST_FINGERPRINT": genesis, "TRUST_VERSION": version, "TRUST_OLD_THRESHOLD": old_threshold,
            "TRUST_NEW_THRESHOLD": new_threshold, "TRUST_DUPLICATE_SIGNATURE": lambda b: _raises(
                lambda: trust_root.open_envelope({**(e := _trust_envelope(1)[0]), "signatures": e["signatures"] * 2})),
            "TRUST_TOO_MANY_SIGNATURES": _trust_signatures, "TRUST_PROVINCE": province, "TRUST_EXPIRED": expired,
            "TRUST_NOT_PINNED": not_pinned}


def _unreadable(b: Base, monkeypatch: pytest.MonkeyPatch) -> str:
    """No input is known to reach UNREADABLE: an internal error stands in for the bug it would be."""
    from ocop_desktop.sync.package import verify

    def broken(_manifest: Any) -> Any:
        raise KeyError("a check that trips over its input")
    monkeypatch.setattr(verify, "check_manifest", broken)
    builder, p = b
    return _code(p, builder.build())


def _expired(b: Base) -> str:
    builder, p = b
    data, _, receiver = _expired_downward(builder, p)
    (p.tmp / "d.ocsync").write_bytes(data)
    return _raises(lambda: verify_package(receiver, p.tmp / "d.ocsync"))


EXTRA_CASES: dict[str, Callable[[Base], str]] = {
    "FILE_UNREADABLE": lambda b: _raises(lambda: verify_package(b[1].province, b[1].tmp)),  # a folder
    "TRUNCATED": lambda b: _code(b[1], b[0].build()[:-30]),
    "EXPIRED": _expired,
    "CATALOG_INVALID": lambda b: _raises(lambda: catalogs.store_received(b[1].province, "bo-moi", "0" * 64, b"{}")),
    **_trust_codes(),
}
CANNOT_BE_PRODUCED_BY_INPUT = {"UNREADABLE"}  # see docs/package-format.md §7


@pytest.mark.parametrize("code", list(EXTRA_CASES))
def test_extra_case_produces_its_code(package: Base, code: str) -> None:
    assert EXTRA_CASES[code](package) == code


def test_unreadable_is_what_an_internal_error_becomes(package: Base, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _unreadable(package, monkeypatch) == "UNREADABLE"


def test_every_rejection_code_is_produced_by_some_case() -> None:
    produced = {code for code, _ in CASES.values()} | set(EXTRA_CASES) | {_doc_code(k) for k in LIMIT_CASES}
    assert sorted(set(MESSAGES) - produced - CANNOT_BE_PRODUCED_BY_INPUT) == []
    assert produced | CANNOT_BE_PRODUCED_BY_INPUT <= set(MESSAGES)
    assert "Only\n`UNREADABLE` cannot be produced by any input" in DOC
