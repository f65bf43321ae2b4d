"""Errors of the environment around the database (not bugs): each carries a Vietnamese message.

Sorting SQLite failures into these lets the application show a clear message instead of a
traceback, as qutebrowser does with its KnownError.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError


class StoreError(Exception):
    """A database problem the user can act on. ``message_vi`` is shown; ``str()`` is logged."""

    message_vi: str = "Lỗi cơ sở dữ liệu."

    def __init__(self, detail: str = "", message_vi: str | None = None) -> None:
        super().__init__(detail or self.__class__.__name__)
        if message_vi:
            self.message_vi = message_vi


class DatabaseTooNew(StoreError):
    message_vi = (
        "Cơ sở dữ liệu này do một phiên bản mới hơn của ứng dụng tạo ra. "
        "Hãy cập nhật OCOP Desktop rồi mở lại; dữ liệu không bị thay đổi."
    )


class DatabaseCorrupt(StoreError):
    message_vi = (
        "Tệp cơ sở dữ liệu bị hỏng hoặc không phải cơ sở dữ liệu OCOP. "
        "Hãy khôi phục từ bản sao lưu trong thư mục 'backups'; tệp hiện tại không bị thay đổi."
    )


class DatabaseLocked(StoreError):
    message_vi = (
        "Cơ sở dữ liệu đang bị một chương trình khác khóa. "
        "Hãy đóng các cửa sổ OCOP Desktop khác rồi thử lại."
    )


class DataFolderNotWritable(StoreError):
    message_vi = (
        "Không ghi được vào thư mục dữ liệu. Hãy chọn thư mục khác "
        "(--data-dir hoặc biến OCOP_DATA_DIR) hoặc cấp quyền ghi."
    )


class DiskFull(StoreError):
    message_vi = (
        "Ổ đĩa đã đầy: không ghi được dữ liệu. Thao tác vừa rồi không được ghi (không có gì ghi dở); "
        "hãy giải phóng chỗ trống rồi thử lại."
    )


class MigrationFailed(StoreError):
    message_vi = (
        "Nâng cấp cơ sở dữ liệu thất bại; tệp gốc không bị thay đổi và đã có bản sao lưu "
        "trong thư mục 'backups'."
    )


def classify(exc: BaseException) -> StoreError | None:
    """Map a SQLite/SQLAlchemy exception caused by the environment to a StoreError, else None."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    if not isinstance(original, sqlite3.Error):
        return None
    text = str(original).lower()
    if "file is not a database" in text or "malformed" in text or "disk image" in text:
        return DatabaseCorrupt(str(original))
    if "disk is full" in text or "database or disk is full" in text:
        return DiskFull(str(original))
    if "locked" in text or "busy" in text:
        return DatabaseLocked(str(original))
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return DataFolderNotWritable(str(original))
    return None
