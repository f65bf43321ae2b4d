"""What an attachment in a package really is, read from its bytes: never trust the declared type.

Only the types an officer may attach locally travel (attachments.ALLOWED), each recognised by its
magic bytes; executables are refused whatever they declare. Images are checked by the size in
their header, before anything decodes them, and must end where their format says they end
(docs/threat-model.md item 35, bad inputs 63–65).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

from ocop_desktop.sync.package.rejections import PackageRejected

MAX_PIXELS = 50_000_000
MAX_SIDE = 20_000
EXECUTABLE = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf",
              b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe")
OOXML = "application/vnd.openxmlformats-officedocument."
#: declared type -> the kind its bytes must be
DECLARED = {
    "image/jpeg": "jpeg", "image/png": "png", "image/gif": "gif", "image/webp": "webp", "application/pdf": "pdf",
    "application/msword": "ole", "application/vnd.ms-excel": "ole",
    OOXML + "wordprocessingml.document": "zip", OOXML + "spreadsheetml.sheet": "zip",
    "application/vnd.oasis.opendocument.text": "zip", "application/vnd.oasis.opendocument.spreadsheet": "zip",
}
IMAGES = {"jpeg", "png", "gif", "webp"}


@dataclass(frozen=True)
class FileFacts:
    kind: str  # jpeg | png | gif | webp | pdf | ole | zip | executable | other
    width: int | None
    height: int | None
    complete: bool


def _jpeg_size(head: bytes) -> tuple[int, int] | None:
    """The first frame's size, walking the markers as decoders do (0xFF fill bytes are skipped)."""
    pos = 2
    while pos + 9 < len(head):
        if head[pos] != 0xFF:
            return None
        while pos + 1 < len(head) and head[pos + 1] == 0xFF:
            pos += 1  # fill byte
        marker = head[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        length = struct.unpack(">H", head[pos + 2:pos + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", head[pos + 5:pos + 9])
            return width, height
        if marker == 0xDA or length < 2:
            return None  # image data before any frame header
        pos += 2 + length
    return None


def _webp_size(head: bytes) -> tuple[int, int] | None:
    chunk = head[12:16]
    if chunk == b"VP8X" and len(head) >= 30:
        return (int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1)
    if chunk == b"VP8 " and len(head) >= 30:
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(head) >= 25:
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def file_facts(head: bytes, tail: bytes, size: int) -> FileFacts:
    """Classify a file from its first bytes (up to 256 KiB) and its last 16 bytes."""
    if head.startswith(b"\x89PNG\r\n\x1a\n") and len(head) >= 24:
        width, height = struct.unpack(">II", head[16:24])
        return FileFacts("png", width, height, tail.endswith(b"IEND\xaeB`\x82"))
    if head.startswith(b"\xff\xd8\xff"):
        dims = _jpeg_size(head)
        return FileFacts("jpeg", dims[0] if dims else None, dims[1] if dims else None,
                         dims is not None and tail.rstrip(b"\x00").endswith(b"\xff\xd9"))
    if head.startswith((b"GIF87a", b"GIF89a")) and len(head) >= 10:
        width, height = struct.unpack("<HH", head[6:10])
        return FileFacts("gif", width, height, tail.endswith(b"\x3b"))
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        dims = _webp_size(head)
        whole = int.from_bytes(head[4:8], "little") + 8 in (size, size - 1)
        return FileFacts("webp", dims[0] if dims else None, dims[1] if dims else None, whole and dims is not None)
    if head.startswith(b"%PDF-"):
        return FileFacts("pdf", None, None, True)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return FileFacts("ole", None, None, True)
    if head.startswith(b"PK\x03\x04"):
        return FileFacts("zip", None, None, True)
    if head.startswith(EXECUTABLE):
        return FileFacts("executable", None, None, True)
    return FileFacts("other", None, None, True)


def check_attachment_row(row: dict[str, Any], facts: FileFacts) -> None:
    """The row's declared type must be an allowed type and what the bytes are; images within the
    pixel cap and whole."""
    shown = f"'{row['filename'][:60]}'"
    expected = DECLARED.get(row["mime"])
    if expected is None or facts.kind != expected:
        raise PackageRejected("ATTACHMENT_TYPE", f"{shown} (khai báo {row['mime'][:60]}, thực tế {facts.kind})")
    if facts.kind in IMAGES:
        width, height = facts.width or 0, facts.height or 0
        if not facts.complete or not width or width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
            raise PackageRejected("ATTACHMENT_IMAGE", f"{shown} ({width}×{height})")
