"""Photos and documents of a record, stored once by content (SHA-256) under the data folder.

The bytes are written to a temporary name, flushed to disk and renamed, so a crash never leaves
a half-written file under a valid name; the same file attached twice is stored once.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import col, select

from database.engine import read_session, write_session
from database.tables import Attachment, Producer, Product
from ocop_desktop import records
from ocop_desktop.infra.errors import OcopError
from ocop_desktop.infra.files import replaced_atomically
from ocop_desktop.language.text import nfc
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.store.context import AppContext

MAX_BYTES = 50 * 1024 * 1024
ALLOWED = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods"}
IMAGE_TYPES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
OWNERS: dict[str, type[Producer] | type[Product]] = {"producer": Producer, "product": Product}


@dataclass(frozen=True)
class AttachmentInfo:
    id: str
    filename: str
    mime: str
    size: int
    sha256: str
    path: Path

    @property
    def is_image(self) -> bool:
        return Path(self.filename).suffix.lower() in IMAGE_TYPES


def blob_path(ctx: AppContext, sha256: str) -> Path:
    return ctx.attachments_dir / sha256[:2] / sha256


def _store_blob(ctx: AppContext, content: bytes) -> str:
    digest = hashlib.sha256(content).hexdigest()
    target = blob_path(ctx, digest)
    if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == digest:
        return digest
    with replaced_atomically(target) as temp:
        temp.write_bytes(content)
    return digest


def add_attachment(ctx: AppContext, owner_table: str, owner_id: str, source: Path) -> str:
    """Attach the file at ``source`` to a producer or product; returns the attachment id."""
    if owner_table not in OWNERS:
        raise OcopError("Loại hồ sơ không nhận tệp đính kèm.", f"bad owner table {owner_table}")
    suffix = source.suffix.lower()
    if suffix not in ALLOWED:
        raise OcopError(
            f"Không nhận tệp '{source.name}': chỉ nhận ảnh (JPG, PNG, WEBP, GIF), PDF và tài liệu văn phòng.",
            f"attachment type {suffix} refused",
        )
    try:
        size = source.stat().st_size
        if size > MAX_BYTES:
            raise OcopError(f"Tệp '{source.name}' lớn hơn 50 MB.", f"attachment too large: {size}")
        content = source.read_bytes()
    except OSError as exc:
        raise OcopError(f"Không đọc được tệp '{source.name}'.", f"read {source}: {exc}") from exc
    digest = _store_blob(ctx, content)
    with write_session(ctx.engine) as s:
        records.get_live(s, OWNERS[owner_table], owner_id, "hồ sơ")
        inst = current_installation(s)
        row = Attachment(
            owner_table=owner_table, owner_id=owner_id, sha256=digest, filename=nfc(source.name)[:255],
            mime=mimetypes.guess_type(source.name)[0] or "application/octet-stream", size=len(content),
            owner_unit=inst.unit_code, origin_device=inst.device_id,
        )
        records.insert(s, inst, row)
        return row.id


def list_attachments(ctx: AppContext, owner_id: str) -> list[AttachmentInfo]:
    with read_session(ctx.engine) as s:
        rows = s.exec(
            select(Attachment)
            .where(Attachment.owner_id == owner_id, col(Attachment.deleted).is_(False))
            .order_by(col(Attachment.updated_at))
        ).all()
    return [AttachmentInfo(r.id, r.filename, r.mime, r.size, r.sha256, blob_path(ctx, r.sha256)) for r in rows]


def delete_attachment(ctx: AppContext, attachment_id: str) -> None:
    """Tombstone the attachment; the stored bytes stay (other records or an undo may need them)."""
    with write_session(ctx.engine) as s:
        row = records.get_live(s, Attachment, attachment_id, "tệp đính kèm")
        records.set_deleted(s, current_installation(s), row, True)


def restore_attachment(ctx: AppContext, attachment_id: str) -> None:
    with write_session(ctx.engine) as s:
        row = records.get_any(s, Attachment, attachment_id, "tệp đính kèm")
        records.set_deleted(s, current_installation(s), row, False)
