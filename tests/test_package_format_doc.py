"""docs/package-format.md is exact: what it says about columns, keys, the container, signatures,
check order, JSON depth, limits, vocabularies and chains is what the program does (issue 12 item 9).

The tables of the document are parsed and compared with the code (tests/doc_tables.py), and every
rejection code is produced by at least one case, here or in tests/test_sync_bad_inputs.py.
"""

from __future__ import annotations

import base64
import functools
import io
import json
import re
import struct
import zlib
from typing import Any

import pytest

from ocop_desktop.sync.package import strict_json
from ocop_desktop.sync.package.container import read_entries
from ocop_desktop.sync.package.format import PAYLOAD_TYPES, parse_signature_document, signature_document
from ocop_desktop.sync.package.record_codec import COLUMNS, KEYED
from ocop_desktop.sync.trust import enrolment as trust
from ocop_desktop.sync.trust import keys
from ocop_desktop.sync.trust import root as trust_root
from ocop_desktop.sync.trust import updates as trust_updates
from tests import doc_tables
from tests.package_format_cases import DOC, Base, _code, _nested, _raises, _trust_envelope, _verify
from tests.sync_fixtures import PASS, Pair

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


def test_nesting_depth_counts_containers() -> None:
    for text in (b"1", b'"x"', b"null", b"{}", b"[]", b'{"a":1}', _nested(16), _nested(16, b"1"),
                 b'{"a":' + _nested(15) + b"}"):
        strict_json.loads(text, "x")  # depth 0 to 16
    for text in (_nested(17), _nested(17, b"1"), b'{"a":' + _nested(16) + b"}", _nested(10**5)):
        assert _raises(functools.partial(strict_json.loads, text, "x")) == "JSON_LIMITS"
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

