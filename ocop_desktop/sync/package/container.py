"""The package container: a ZIP written in one canonical profile, and read only if it keeps to it.

Writing our own ZIP records (rather than ``zipfile``) fixes every header field: no extra fields, no
data descriptors, no ZIP64, a fixed timestamp and file mode. The reader parses the central
directory and every local header itself and refuses anything outside the profile, so that every
byte of a package is either checked against a fixed value or covered by a signed hash
(docs/package-format.md §2; docs/threat-model.md items 19–24). Members are read by offset, never extracted.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ocop_desktop.sync.package.rejections import PackageRejected

LOCAL_SIG = b"PK\x03\x04"
CENTRAL_SIG = b"PK\x01\x02"
END_SIG = b"PK\x05\x06"
STORED, DEFLATED = 0, 8
VERSION = 20
MADE_BY = (3 << 8) | VERSION  # Unix host, so the mode in external_attr means what it says
DOS_TIME, DOS_DATE = 0, (1 << 5) | 1  # 1980-01-01 00:00:00: packages are byte-reproducible
EXTERNAL_ATTR = 0o100644 << 16  # a regular file, rw-r--r--
LOCAL = struct.Struct("<4sHHHHHIIIHH")
CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
END = struct.Struct("<4sHHHHIIH")
MAX_NAME = 100
ALLOWED_NAME = re.compile(r"manifest\.json|manifest\.sig|records/[a-z_]{1,32}\.jsonl|files/[0-9a-f]{64}")
RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?", re.IGNORECASE)
CHUNK = 1 << 20
U32 = 0xFFFFFFFF


@dataclass(frozen=True)
class Limits:
    """Caps applied before anything is read in full; tests lower them to reach each one cheaply."""

    max_package: int = 3 * 1024**3
    max_entries: int = 60_000
    max_member: int = 1024**3
    max_total: int = 3 * 1024**3
    max_ratio: int = 100
    ratio_from: int = 1024 * 1024  # small members may compress well; only big ones can be bombs
    max_line: int = 1024 * 1024
    max_manifest: int = 32 * 1024**2
    max_sig: int = 64 * 1024


LIMITS = Limits()


@dataclass(frozen=True)
class Member:
    """A member as written: what the manifest lists about it."""

    name: str
    size: int
    sha256: str
    stored_size: int
    stored_sha256: str


@dataclass(frozen=True)
class Entry:
    """A member as found in a package whose structure has been checked."""

    name: str
    method: int
    crc: int
    stored_size: int
    size: int
    data_offset: int


class ContainerWriter:
    """Writes members one after another to a seekable file, then the central directory."""

    def __init__(self, fh: BinaryIO, level: int = 6) -> None:
        self._fh = fh
        self._level = level
        self._central: list[bytes] = []
        self._names: set[str] = set()

    def add(self, name: str, chunks: Iterable[bytes], compress: bool) -> Member:
        if not ALLOWED_NAME.fullmatch(name) or name in self._names:
            raise ValueError(f"member name {name!r} not allowed or repeated")
        self._names.add(name)
        fh = self._fh
        offset = fh.tell()
        method = DEFLATED if compress else STORED
        encoded = name.encode("ascii")
        fh.write(LOCAL.pack(LOCAL_SIG, VERSION, 0, method, DOS_TIME, DOS_DATE, 0, 0, 0, len(encoded), 0) + encoded)
        content, stored = hashlib.sha256(), hashlib.sha256()
        crc = size = stored_size = 0
        packer = zlib.compressobj(self._level, zlib.DEFLATED, -15) if compress else None
        for chunk in chunks:
            content.update(chunk)
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
            out = packer.compress(chunk) if packer else chunk
            if out:
                stored.update(out)
                stored_size += len(out)
                fh.write(out)
        if packer:
            out = packer.flush()
            stored.update(out)
            stored_size += len(out)
            fh.write(out)
        end = fh.tell()
        if max(size, stored_size, end) >= U32:
            raise ValueError("member or package over 4 GiB: the profile has no ZIP64")
        fh.seek(offset + 14)
        fh.write(struct.pack("<III", crc, stored_size, size))
        fh.seek(end)
        self._central.append(CENTRAL.pack(CENTRAL_SIG, MADE_BY, VERSION, 0, method, DOS_TIME, DOS_DATE, crc,
                                          stored_size, size, len(encoded), 0, 0, 0, 0, EXTERNAL_ATTR, offset)
                             + encoded)
        return Member(name, size, content.hexdigest(), stored_size, stored.hexdigest())

    def finish(self) -> None:
        start = self._fh.tell()
        directory = b"".join(self._central)
        self._fh.write(directory)
        count = len(self._central)
        self._fh.write(END.pack(END_SIG, 0, 0, count, count, len(directory), start, 0))


def _sniff(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return "một tệp PDF"
    if head.startswith(b"\xff\xd8\xff"):
        return "một ảnh JPEG"
    if head.startswith(b"\x89PNG"):
        return "một ảnh PNG"
    return "một tệp thuộc loại khác"


def check_name(raw: bytes) -> str:
    """The member name if it is safe (not yet checked against the allow-list); else the rejection."""
    shown = repr(raw.decode("latin-1"))
    if any(b < 0x20 or b == 0x7F for b in raw):
        raise PackageRejected("CONTROL_CHAR_NAME", shown)
    if any(b >= 0x80 for b in raw) or len(raw) > MAX_NAME or not raw:
        raise PackageRejected("NON_ASCII_NAME", shown)
    name = raw.decode("ascii")
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        raise PackageRejected("ABSOLUTE_PATH", name)
    parts = re.split(r"[/\\]", name)
    if ".." in parts:
        raise PackageRejected("PATH_TRAVERSAL", name)
    if "\\" in name:
        raise PackageRejected("BACKSLASH_NAME", name)
    if name.endswith("/"):
        raise PackageRejected("DIRECTORY_ENTRY", name)
    if ":" in name or any(RESERVED.fullmatch(p) or p.endswith((".", " ")) for p in parts):
        raise PackageRejected("RESERVED_NAME", name)
    return name


def _read_at(fh: BinaryIO, offset: int, length: int) -> bytes:
    fh.seek(offset)
    return fh.read(length)


def read_entries(fh: BinaryIO, size: int, limits: Limits = LIMITS) -> list[Entry]:
    """Check the container's structure (no member data is read) and list its members in file order."""
    if size == 0:
        raise PackageRejected("EMPTY_FILE")
    if size > limits.max_package:
        raise PackageRejected("PACKAGE_TOO_LARGE", f"{size:,} byte".replace(",", "."))
    head = _read_at(fh, 0, 8)
    if not head.startswith(LOCAL_SIG):
        if head.startswith(END_SIG) and size == END.size:
            raise PackageRejected("CENTRAL_DIRECTORY", "gói không có thành phần nào")
        if b"PK" not in _read_at(fh, 0, min(size, 1 << 16)):
            raise PackageRejected("NOT_A_PACKAGE", _sniff(head))
    tail_len = min(size, (1 << 16) + END.size)
    tail = _read_at(fh, size - tail_len, tail_len)
    # the profile has no archive comment, so the end record is exactly the last 22 bytes; searching
    # for its signature could find those four bytes inside its own fields
    end_at = tail_len - END.size if tail[-END.size:-END.size + 4] == END_SIG else tail.rfind(END_SIG)
    if end_at < 0 or tail_len - end_at < END.size:
        if head.startswith(LOCAL_SIG):
            raise PackageRejected("TRUNCATED")
        raise PackageRejected("NOT_A_PACKAGE", _sniff(head))
    end_pos = size - tail_len + end_at
    _, disk, cd_disk, on_disk, total, cd_size, cd_offset, comment = END.unpack_from(tail, end_at)
    if disk or cd_disk or on_disk != total:
        raise PackageRejected("MULTI_DISK")
    if end_pos + END.size != size or comment:
        raise PackageRejected("JUNK_BYTES", "ở cuối gói")
    if total > limits.max_entries:
        raise PackageRejected("TOO_MANY_ENTRIES", str(total))
    if total == 0xFFFF or cd_offset == U32 or cd_size == U32:
        raise PackageRejected("CENTRAL_DIRECTORY", "ZIP64 không được hỗ trợ")
    if cd_offset + cd_size != end_pos:
        if cd_offset + cd_size < end_pos:
            raise PackageRejected("JUNK_BYTES", "ở đầu hoặc giữa gói")
        raise PackageRejected("CENTRAL_DIRECTORY", "vị trí mục lục sai")
    directory = _read_at(fh, cd_offset, cd_size)
    entries = _parse_directory(directory, total, limits)
    return _check_local_headers(fh, entries, cd_offset)


@dataclass
class _Central:
    raw_name: bytes
    name: str
    fields: tuple[int, ...]  # version needed, flags, method, time, date, crc, stored size, size
    offset: int


def _parse_directory(directory: bytes, total: int, limits: Limits) -> list[_Central]:
    pos, found, seen, folded = 0, [], set(), set()
    uncompressed = 0
    for _ in range(total):
        if len(directory) - pos < CENTRAL.size or directory[pos:pos + 4] != CENTRAL_SIG:
            raise PackageRejected("CENTRAL_DIRECTORY", "mục lục bị cắt hoặc sai chữ ký")
        (_, made_by, needed, flags, method, time, date, crc, csize, usize, nlen, elen, clen, disk, internal,
         external, offset) = CENTRAL.unpack_from(directory, pos)
        raw = directory[pos + CENTRAL.size:pos + CENTRAL.size + nlen]
        pos += CENTRAL.size + nlen + elen + clen
        if pos > len(directory):
            raise PackageRejected("CENTRAL_DIRECTORY", "mục lục bị cắt")
        kind = (external >> 16) & 0o170000
        if kind == 0o040000 or raw.endswith(b"/"):
            raise PackageRejected("DIRECTORY_ENTRY", raw.decode("latin-1"))
        if kind not in (0, 0o100000):
            raise PackageRejected("LINK_ENTRY", raw.decode("latin-1"))
        name = check_name(raw)
        if flags & 0x1:
            raise PackageRejected("ENCRYPTED_MEMBER", name)
        if method not in (STORED, DEFLATED):
            raise PackageRejected("COMPRESSION_METHOD", name)
        if name in seen:
            raise PackageRejected("DUPLICATE_NAME", name)
        if name.casefold() in folded:
            raise PackageRejected("CASEFOLD_DUPLICATE", name)
        seen.add(name)
        folded.add(name.casefold())
        if not ALLOWED_NAME.fullmatch(name):
            raise PackageRejected("MEMBER_NOT_ALLOWED", name)
        if method != (DEFLATED if name.startswith("records/") else STORED):  # one way to store each member
            raise PackageRejected("COMPRESSION_METHOD", name)
        if usize > limits.max_member:
            raise PackageRejected("MEMBER_TOO_LARGE", name)
        uncompressed += usize
        if uncompressed > limits.max_total:
            raise PackageRejected("TOTAL_TOO_LARGE", f"{uncompressed:,} byte".replace(",", "."))
        if method == DEFLATED and usize > limits.ratio_from and usize > limits.max_ratio * max(csize, 1):
            raise PackageRejected("RATIO_TOO_HIGH", name)
        canonical = (made_by == MADE_BY and needed == VERSION and flags == 0 and time == DOS_TIME
                     and date == DOS_DATE and elen == 0 and clen == 0 and disk == 0 and internal == 0
                     and external == EXTERNAL_ATTR and (method == DEFLATED or csize == usize))
        if not canonical:
            raise PackageRejected("NON_CANONICAL_HEADER", name)
        found.append(_Central(raw, name, (needed, flags, method, time, date, crc, csize, usize), offset))
    if pos != len(directory):
        raise PackageRejected("CENTRAL_DIRECTORY", "thừa dữ liệu trong mục lục")
    return found


def _check_local_headers(fh: BinaryIO, found: list[_Central], cd_offset: int) -> list[Entry]:
    entries, expected = [], 0
    if [c.offset for c in found] != sorted(c.offset for c in found):
        raise PackageRejected("NON_CANONICAL_HEADER", "thứ tự của mục lục khác thứ tự các thành phần")
    for item in sorted(found, key=lambda c: c.offset):
        if item.offset < expected:
            raise PackageRejected("OVERLAPPING_MEMBERS", item.name)
        if item.offset > expected:
            raise PackageRejected("JUNK_BYTES", "ở đầu gói" if expected == 0 else "giữa các thành phần")
        header = _read_at(fh, item.offset, LOCAL.size)
        if len(header) < LOCAL.size or header[:4] != LOCAL_SIG:
            raise PackageRejected("CENTRAL_DIRECTORY", f"không thấy phần đầu của '{item.name}'")
        (_, needed, flags, method, time, date, crc, csize, usize, nlen, elen) = LOCAL.unpack(header)
        raw = fh.read(nlen)
        if raw != item.raw_name:
            raise PackageRejected("HEADER_NAME_MISMATCH", item.name)
        if (needed, flags, method, time, date, crc, csize, usize) != item.fields or elen != 0:
            raise PackageRejected("NON_CANONICAL_HEADER", item.name)
        data_offset = item.offset + LOCAL.size + nlen
        entries.append(Entry(item.name, method, crc, csize, usize, data_offset))
        expected = data_offset + csize
    if expected > cd_offset:
        raise PackageRejected("OVERLAPPING_MEMBERS", "mục lục")
    if expected < cd_offset:
        raise PackageRejected("JUNK_BYTES", "trước mục lục")
    return entries


def read_stored(fh: BinaryIO, entry: Entry) -> bytes:
    """A STORED member's bytes, read by offset without checking its CRC-32: the manifest and its
    signature are read this way so that a changed byte reads as a signature failure; the caller
    checks the CRC with :func:`check_crc` once the signature has passed."""
    if entry.method != STORED:
        raise PackageRejected("COMPRESSION_METHOD", entry.name)
    data = _read_at(fh, entry.data_offset, entry.stored_size)
    if len(data) != entry.stored_size:
        raise PackageRejected("TRUNCATED")
    return data


def check_crc(entry: Entry, content: bytes) -> None:
    if len(content) != entry.size or zlib.crc32(content) != entry.crc:
        raise PackageRejected("MEMBER_INFLATES", entry.name)


def read_member(fh: BinaryIO, entry: Entry, on_stored: Callable[[bytes], None] | None = None) -> Iterator[bytes]:
    """Yield the member's content in chunks, never more than its header size; at the end check that
    the stream ended exactly there and that the CRC matches. ``on_stored`` sees the stored bytes."""
    fh.seek(entry.data_offset)
    left, produced, crc = entry.stored_size, 0, 0
    inflater = zlib.decompressobj(-15) if entry.method == DEFLATED else None
    try:
        while left:
            raw = fh.read(min(CHUNK, left))
            if not raw:
                raise PackageRejected("TRUNCATED")
            left -= len(raw)
            if on_stored:
                on_stored(raw)
            pending = raw
            while pending:
                if inflater is None:
                    out, pending = pending, b""
                else:
                    out = inflater.decompress(pending, min(CHUNK, entry.size - produced + 1))
                    pending = inflater.unconsumed_tail
                produced += len(out)
                if produced > entry.size:
                    raise PackageRejected("MEMBER_INFLATES", entry.name)
                if out:
                    crc = zlib.crc32(out, crc)
                    yield out
                if inflater is not None and not out and pending:
                    break  # no progress: corrupt stream, caught below
        if inflater is not None and (not inflater.eof or inflater.unused_data or inflater.unconsumed_tail):
            raise PackageRejected("MEMBER_INFLATES", entry.name)
    except zlib.error:
        raise PackageRejected("MEMBER_INFLATES", entry.name) from None
    if produced != entry.size or crc != entry.crc:
        raise PackageRejected("MEMBER_INFLATES", entry.name)
