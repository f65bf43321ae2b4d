"""Backups of the store: listed, and restored through SQLite's backup API (never a file copy).

A restore first checks the copy (integrity, schema revision), keeps a backup of the current state
(so a restore can be undone), writes the copy into the live file page by page, and raises the
device's epoch: packages made after the restore must never reuse the sequence numbers of those
made before it (docs/threat-model.md item 13).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from database.engine import write_session
from database.migrate import DB_FILENAME, HEAD_REVISION, backup_database, current_revision
from ocop_desktop.infra.errors import OcopError
from ocop_desktop.records import audit
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.store.context import AppContext, open_context


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    taken: datetime
    label: str


def list_backups(data_dir: Path) -> list[BackupInfo]:
    """Newest first."""
    folder = data_dir / "backups"
    found = []
    for path in folder.glob("*.sqlite") if folder.exists() else []:
        stat = path.stat()
        found.append(BackupInfo(path, stat.st_size, datetime.fromtimestamp(stat.st_mtime),
                                path.stem.rsplit("-", 3)[0]))
    return sorted(found, key=lambda b: b.taken, reverse=True)


IMPORT_LABEL = "truoc-nhap-goi"
KEEP_IMPORT_BACKUPS = 10


def prune_import_backups(data_dir: Path, keep: int = KEEP_IMPORT_BACKUPS) -> int:
    """Keep the newest ``keep`` backups taken before imports (each is a whole copy of the store; a
    province importing daily would fill the disk). Other backups (before migrations and restores)
    are never removed. Returns how many were removed."""
    old = [b for b in list_backups(data_dir) if b.label == IMPORT_LABEL][keep:]
    for backup in old:
        backup.path.unlink(missing_ok=True)
    return len(old)


def _check_copy(path: Path) -> None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise OcopError("Bản sao lưu bị hỏng; không khôi phục.", f"backup unreadable: {exc}") from exc
    if not ok:
        raise OcopError("Bản sao lưu không qua được kiểm tra toàn vẹn; không khôi phục.", "backup integrity")
    revision = current_revision(path)
    if revision is None or revision > HEAD_REVISION:
        raise OcopError("Bản sao lưu của một phiên bản OCOP Desktop khác; không khôi phục.",
                        f"backup revision {revision}")


def restore_backup(ctx: AppContext, backup: Path) -> AppContext:
    """Restore ``backup`` into the store of ``ctx`` (which is closed) and return the reopened context.
    The state before the restore is itself kept as a backup."""
    backup = Path(backup)
    _check_copy(backup)
    data_dir = ctx.data_dir
    db_path = data_dir / DB_FILENAME
    epoch_before = ctx.require_installation().epoch  # the new epoch must be above every one used so far
    before = backup_database(db_path, "truoc-khoi-phuc")
    ctx.close()
    source, target = sqlite3.connect(backup), sqlite3.connect(db_path, timeout=10)
    try:
        source.backup(target)
    except sqlite3.Error as exc:
        raise OcopError("Không khôi phục được (cơ sở dữ liệu đang bận?); dữ liệu hiện tại không đổi.",
                        f"restore: {exc}") from exc
    finally:
        target.close()
        source.close()
    reopened = open_context(data_dir)
    with write_session(reopened.engine) as s:
        inst = current_installation(s)
        inst.epoch = max(inst.epoch, epoch_before) + 1
        s.add(inst)
        audit.record(s, inst, "restore", "installation", inst.device_id, None,
                     {"backup": backup.name, "kept_before_restore": before.name, "epoch": inst.epoch})
    return reopened


RESTORED_NOTE = ("Đã khôi phục. Máy này chuyển sang thế hệ khóa (epoch) mới: hãy gửi lại yêu cầu đăng ký "
                 "cho tỉnh để tỉnh nhận các gói từ nay về sau.")
