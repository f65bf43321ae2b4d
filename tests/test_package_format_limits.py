"""docs/package-format.md §7: every limit in the document's table gives its documented code, at its
documented unit (characters in text, bytes in lines and members)."""

from __future__ import annotations

import base64
import functools
import io
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ocop_desktop.sync.package import strict_json
from ocop_desktop.sync.package.container import LIMITS, Limits, read_entries
from ocop_desktop.sync.package.format import PAYLOAD_TYPES, check_manifest, parse_signature_document, signature_document
from ocop_desktop.sync.trust import keys
from ocop_desktop.sync.trust import root as trust_root
from ocop_desktop.sync.trust import updates as trust_updates
from tests import doc_tables
from tests.package_builder import Raw
from tests.package_format_cases import DOC, Base, _code, _nested, _raises, _trust_envelope, _verify

LIMITS_TABLE = doc_tables.doc_table("| Limit | What is limited |")


def _doc_code(key: str) -> str:
    return str(re.findall(r"`([A-Z_]+)`", LIMITS_TABLE[f"`{key}`"][3])[0])


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
    manifest: dict[str, Any] = json.loads(json.dumps(b[0].manifest))
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
            codes.add(_raises(functools.partial(lambda p, v: check_manifest(_manifest_value(b, at(p, v))), path, bad)))
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

