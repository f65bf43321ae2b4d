"""Bad records and attachments (docs/threat-model.md §2): JSONL lines, tables and record schemas, dates,
scores, scope, references and duplicate ids; attachment bytes, types and image sizes."""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable
from typing import Any

import pytest

from tests.bad_packages import Case, assert_refused, with_limits
from tests.package_builder import PackageBuilder, jsonl
from tests.sync_fixtures import Pair, tiny_png


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


def _truncated_png() -> bytes:
    return tiny_png()[:-12]


CASES: dict[str, tuple[str, Case]] = {
    "JSONL line over cap": ("LINE_TOO_LONG", with_limits(max_line=50)),
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
    "deeply nested value in a record": ("JSON_LIMITS", _raw_records(
        "producer", b'{"x":' + b"[" * 600 + b'"\\u0041"' + b"]" * 600 + b"}\n")),
    "version vector missing a comma": ("RECORD_SCHEMA", _records("product", lambda rows: rows[0].update(
        version_vector='{"' + "a" * 32 + '":1"' + "b" * 32 + '":2}'))),
    "time of day 99:99": ("RECORD_DATE", _records("product", lambda rows: rows[0].update(
        updated_at="2026-01-01T99:99:99Z"))),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(base_package: tuple[PackageBuilder, Pair], name: str) -> None:
    code, case = CASES[name]
    assert_refused(base_package, name, code, case)
