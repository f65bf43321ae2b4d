"""Bad member names and entries (docs/threat-model.md §2): traversal, absolute and reserved names, control and
non-ASCII characters, directories and links, duplicates, members that are not allowed, missing or
unlisted."""

from __future__ import annotations

import pytest

from tests.bad_packages import Case, assert_refused, with_entries, with_member
from tests.package_builder import PackageBuilder, Raw, raw_zip
from tests.sync_fixtures import Pair


def _local_name_differs(members: list[Raw]) -> None:
    members[-1].central_name = b"manifest.sig"
    members[-1].name = b"manifest.sih"


CASES: dict[str, tuple[str, Case]] = {
    "../manifest.json": ("PATH_TRAVERSAL", with_member(b"../manifest.json")),
    "a/../../x": ("PATH_TRAVERSAL", with_member(b"a/../../x")),
    "/abs": ("ABSOLUTE_PATH", with_member(b"/etc/passwd")),
    "C:\\x": ("ABSOLUTE_PATH", with_member(b"C:\\x")),
    "C:x": ("ABSOLUTE_PATH", with_member(b"C:x")),
    "UNC": ("ABSOLUTE_PATH", with_member(b"\\\\server\\share\\x")),
    "backslash": ("BACKSLASH_NAME", with_member(b"records\\producer.jsonl")),
    "NUL in name": ("CONTROL_CHAR_NAME", with_member(b"records/a\x00.jsonl")),
    "control char": ("CONTROL_CHAR_NAME", with_member(b"files/\x1b[31m")),
    "non-ASCII name": ("NON_ASCII_NAME", with_member("records/sản_phẩm.jsonl".encode())),
    "over-long name": ("NON_ASCII_NAME", with_member(b"records/" + b"a" * 200 + b".jsonl")),
    "CON": ("RESERVED_NAME", with_member(b"CON")),
    "nul.json": ("RESERVED_NAME", with_member(b"nul.json")),
    "com1.jsonl": ("RESERVED_NAME", with_member(b"records/com1.jsonl")),
    "trailing dot": ("RESERVED_NAME", with_member(b"manifest.json.")),
    "trailing space": ("RESERVED_NAME", with_member(b"manifest.json ")),
    "alternate stream": ("RESERVED_NAME", with_member(b"manifest.json:x")),
    "directory entry": ("DIRECTORY_ENTRY", with_member(b"records/", b"", method=0)),
    "symlink entry": ("LINK_ENTRY", with_member(b"files/" + b"4" * 64, b"/etc/passwd", method=0,
                                         external=0o120777 << 16)),
    "exact duplicate": ("DUPLICATE_NAME", lambda b, p: with_member(b"manifest.json", b"{}", method=0)(b, p)),
    "case-folded duplicate": ("CASEFOLD_DUPLICATE", with_entries(lambda ms: ms.append(Raw(b"MANIFEST.JSON", b"{}",
                                                                                      method=0)))),
    "local name differs from central": ("HEADER_NAME_MISMATCH", with_entries(_local_name_differs)),
    "run.exe": ("MEMBER_NOT_ALLOWED", with_member(b"run.exe", b"MZ")),
    "autorun.inf": ("MEMBER_NOT_ALLOWED", with_member(b"autorun.inf")),
    ".DS_Store": ("MEMBER_NOT_ALLOWED", with_member(b".DS_Store")),
    "nested zip": ("MEMBER_NOT_ALLOWED", with_member(b"records/more.zip", raw_zip([Raw(b"x", b"y")]))),
    "listed but absent": ("MEMBER_MISSING", with_entries(lambda ms: ms.pop(0))),
    "present but not listed": ("MEMBER_UNLISTED", with_member(b"files/" + b"5" * 64, method=0)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(base_package: tuple[PackageBuilder, Pair], name: str) -> None:
    code, case = CASES[name]
    assert_refused(base_package, name, code, case)
