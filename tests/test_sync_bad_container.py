"""Bad inputs of the ZIP container (docs/threat-model.md §2): not a package, junk around it, caps on size, count
and ratio, overlapping or inflating members, encryption and compression methods, non-canonical
headers and member order, truncation at any offset."""

from __future__ import annotations

import struct
from typing import Any

import pytest

from ocop_desktop.sync.exchange.installation_view import verify_package
from ocop_desktop.sync.package.container import Limits
from ocop_desktop.sync.package.rejections import PackageRejected
from tests.bad_packages import Case, assert_refused, with_entries, with_limits, with_member
from tests.package_builder import PackageBuilder, Raw
from tests.sync_fixtures import Pair


def _eocd_field(offset: int, value: int) -> Case:
    def case(b: PackageBuilder, _p: Pair) -> bytes:
        data = bytearray(b.build())
        struct.pack_into("<H", data, len(data) - 22 + offset, value)
        return bytes(data)
    return case


def _bomb(b: PackageBuilder, _p: Pair) -> bytes | tuple[bytes, Limits]:
    return with_member(b"records/bomb.jsonl", bytes(50 * 1024 * 1024), method=8)(b, _p)


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


CASES: dict[str, tuple[str, Case]] = {
    "empty file": ("EMPTY_FILE", lambda b, p: b""),
    "pdf renamed": ("NOT_A_PACKAGE", lambda b, p: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" + bytes(200)),
    "jpeg renamed": ("NOT_A_PACKAGE", lambda b, p: b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(300)),
    "corrupt central directory": ("CENTRAL_DIRECTORY", lambda b, p: (lambda d: d.replace(
        b"PK\x01\x02", b"PK\x01\x09", 1))(b.build())),
    "junk prepended": ("JUNK_BYTES", lambda b, p: b"MZ polyglot header " * 4 + b.build()),
    "junk appended": ("JUNK_BYTES", lambda b, p: b.build() + b"trailing bytes"),
    "multi-disk": ("MULTI_DISK", _eocd_field(4, 1)),
    "outer file over cap": ("PACKAGE_TOO_LARGE", with_limits(max_package=1000)),
    "too many entries": ("TOO_MANY_ENTRIES", with_limits(max_entries=3)),
    "member over cap": ("MEMBER_TOO_LARGE", with_limits(max_member=200)),
    "total over cap": ("TOTAL_TOO_LARGE", with_limits(max_total=1500)),
    "ratio over cap (50 MiB of zeros)": ("RATIO_TOO_HIGH", _bomb),
    "overlapping members": ("OVERLAPPING_MEMBERS", _overlap),
    "member inflating beyond header size": ("MEMBER_INFLATES", _inflates),
    "encrypted member": ("ENCRYPTED_MEMBER", with_member(b"files/" + b"1" * 64, flags=1)),
    "lzma member": ("COMPRESSION_METHOD", with_member(b"files/" + b"2" * 64, method=14)),
    "bzip2 member": ("COMPRESSION_METHOD", with_member(b"files/" + b"3" * 64, method=12)),
    "non-canonical timestamp": ("NON_CANONICAL_HEADER", lambda b, p: (lambda d: d.replace(
        b"PK\x01\x02" + struct.pack("<HHHHHH", 0x0314, 20, 0, 0, 0, 33),
        b"PK\x01\x02" + struct.pack("<HHHHHH", 0x0314, 20, 0, 0, 1, 33), 1))(b.build())),
    # found by the adversarial review: one byte form per package, no crash on odd input
    "members in another order": ("NON_CANONICAL_HEADER", with_entries(lambda ms: ms.insert(0, ms.pop(1)))),
    "manifest stored compressed": ("COMPRESSION_METHOD", with_entries(lambda ms: setattr(ms[-2], "method", 8))),
    "records stored uncompressed": ("COMPRESSION_METHOD", with_entries(lambda ms: setattr(ms[0], "method", 0))),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(base_package: tuple[PackageBuilder, Pair], name: str) -> None:
    code, case = CASES[name]
    assert_refused(base_package, name, code, case)


def test_zip_truncated_at_many_offsets(base_package: tuple[PackageBuilder, Pair]) -> None:
    builder, p = base_package
    data = builder.build()
    offsets = sorted({4 + (len(data) - 5) * i // 59 for i in range(60)})
    assert len(offsets) >= 50
    for offset in offsets:
        (p.tmp / "t.ocsync").write_bytes(data[:offset])
        with pytest.raises(PackageRejected) as info:
            verify_package(p.province, p.tmp / "t.ocsync")
        assert info.value.code == "TRUNCATED", offset
