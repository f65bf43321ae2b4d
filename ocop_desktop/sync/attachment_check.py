"""What an attachment in a package really is, read from its bytes: never trust the declared type.

Images are checked by magic bytes and by the size in their header (before anything decodes them)
and must end where the format says they end (security.md item 35, bad inputs 63–65).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

from ocop_desktop.sync.rejections import PackageRejected

MAX_PIXELS = 50_000_000
MAX_SIDE = 20_000
EXECUTABLE = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"PK\x03\x04")


@dataclass(frozen=True)
class FileFacts:
    kind: str  # jpeg | png | pdf | executable | other
    width: int | None
    height: int | None
    complete: bool


def _jpeg_size(head: bytes) -> tuple[int, int] | None:
    pos = 2
    while pos + 9 < len(head):
        if head[pos] != 0xFF:
            return None
        marker = head[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        length = struct.unpack(">H", head[pos + 2:pos + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", head[pos + 5:pos + 9])
            return width, height
        pos += 2 + length
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
    if head.startswith(b"%PDF-"):
        return FileFacts("pdf", None, None, b"%%EOF" in tail or size > 0)
    if head.startswith(EXECUTABLE):
        return FileFacts("executable", None, None, True)
    return FileFacts("other", None, None, True)


DECLARED = {"image/jpeg": "jpeg", "image/png": "png", "application/pdf": "pdf"}


def check_attachment_row(row: dict[str, Any], facts: FileFacts) -> None:
    """The row's declared type must be what the bytes are; images within the pixel cap and whole."""
    shown = f"'{row['filename'][:60]}'"
    expected = DECLARED.get(row["mime"])
    if facts.kind == "executable" or (expected is not None and facts.kind != expected) or (
            expected is None and row["mime"].startswith("image/")):
        raise PackageRejected("ATTACHMENT_TYPE", f"{shown} (khai báo {row['mime'][:40]}, thực tế {facts.kind})")
    if facts.kind in ("jpeg", "png"):
        width, height = facts.width or 0, facts.height or 0
        if not facts.complete or width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
            raise PackageRejected("ATTACHMENT_IMAGE", f"{shown} ({width}×{height})")
