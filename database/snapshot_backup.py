"""A backup of the store as it is now, copied and checked while the caller goes on working.

The importer backs the store up before each import. Copying and checking a 250 MB store takes about
a second, and the SQLite backup API and ``quick_check`` run without Python's lock, so they can run
beside the import's verification instead of before it. What is copied does not change: the read
transaction that fixes the copy's content (a WAL snapshot) is opened here, before the caller's write
transaction begins, so the backup holds exactly the state before the import whatever the import
writes meanwhile. The caller takes :meth:`SnapshotBackup.result` before it commits, so a backup that
failed rolls the import back, as if the backup had been taken first and had stopped it.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

from database.migrate import backup_target, copy_and_check

log = logging.getLogger(__name__)


class SnapshotBackup:
    """Start copying ``db_path`` as it is at construction into ``backups/<label>-….sqlite``."""

    def __init__(self, db_path: Path, label: str, *, full_check: bool = False) -> None:
        self.target = backup_target(db_path, label)
        self._full_check = full_check
        self._error: BaseException | None = None
        self._src = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False, timeout=10)
        try:
            wal = self._src.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            self._src.execute("BEGIN")
            self._src.execute("SELECT count(*) FROM sqlite_schema").fetchone()  # the snapshot starts here
        except BaseException:
            self._src.close()
            raise
        self._thread = threading.Thread(target=self._copy, name="backup", daemon=True)
        if wal:
            self._thread.start()
        else:  # a rollback journal: a reader held open would block the writer's commit; copy first
            self._copy()

    def _copy(self) -> None:
        try:
            copy_and_check(self._src, self.target, self._full_check)
        except BaseException as exc:  # handed to the caller by result()
            self._error = exc
        finally:
            self._src.close()

    def wait(self) -> None:
        """Until the copy and its check are done (success or not)."""
        if self._thread.is_alive():
            self._thread.join()

    def result(self) -> Path:
        """The checked backup; raises what stopped it (DatabaseCorrupt, sqlite3.Error, OSError)."""
        self.wait()
        if self._error is not None:
            raise self._error
        return self.target
