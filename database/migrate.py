"""Open the store: create or upgrade the schema through Alembic, with a backup first.

Order (docs/style.md §3): refuse a revision this build does not know (a newer app wrote it); if the
file exists and is behind, copy it with the SQLite backup API and check the copy; upgrade on a
connection with foreign keys off, inside one transaction; then ``foreign_key_check``.

A store already at :data:`HEAD_REVISION` opens without loading Alembic at all (start-up time);
a test keeps that constant equal to the newest migration script.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from database.engine import make_engine
from database.errors import (
    DatabaseCorrupt,
    DatabaseTooNew,
    DataFolderNotWritable,
    MigrationFailed,
    StoreError,
    classify,
)

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
DB_FILENAME = "ocop.sqlite"
HEAD_REVISION = "0011"


def migrations_path() -> Path:
    """Where the migration scripts are, also inside a PyInstaller bundle."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base / "database" / "migrations"


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_path()))
    return cfg


def head_revision() -> str:
    """The newest migration script's revision, read from the scripts themselves."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db_path: Path) -> str | None:
    """The revision stamped in the file, or None for a new or empty database."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        if not has_table:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    finally:
        conn.close()


def backup_database(db_path: Path, label: str, *, full_check: bool = True) -> Path:
    """Copy the database with SQLite's backup API into ``backups/`` and verify the copy:
    ``integrity_check`` before migrations; ``quick_check`` (every page read, indexes not re-derived:
    a fifth of the time on a 250 MB store) before each import, which runs far more often."""
    target = backup_target(db_path, label)
    src = sqlite3.connect(db_path)
    try:
        copy_and_check(src, target, full_check)
    finally:
        src.close()
    return target


def backup_target(db_path: Path, label: str) -> Path:
    """A new file name in ``backups/`` beside the store, for a backup labelled ``label``."""
    folder = db_path.parent / "backups"
    folder.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return folder / f"{label}-{stamp}.sqlite"


def copy_and_check(src: sqlite3.Connection, target: Path, full_check: bool) -> None:
    """Copy what ``src`` sees (its open read transaction, if any) into ``target`` with the backup API,
    in one step, then check the copy; raise DatabaseCorrupt if the check fails."""
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        result = dst.execute("PRAGMA integrity_check" if full_check else "PRAGMA quick_check").fetchone()[0]
    finally:
        dst.close()
    if result != "ok":
        raise DatabaseCorrupt(f"backup copy failed integrity_check: {result}")
    log.info("backup written to %s", target)


def _check_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-probe"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise DataFolderNotWritable(f"{folder}: {exc}") from exc


def _check_header(db_path: Path) -> None:
    if not db_path.exists() or db_path.stat().st_size == 0:
        return
    with db_path.open("rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise DatabaseCorrupt(f"{db_path}: not a SQLite file")


def check_integrity(db_path: Path) -> None:
    """Read every page (``quick_check``); raise DatabaseCorrupt on damage. O(size of the file)."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise classify(exc) or DatabaseCorrupt(str(exc)) from exc
    if result != "ok":
        raise DatabaseCorrupt(f"{db_path}: quick_check: {result}")


def upgrade(db_path: Path, target: str = "head") -> None:
    """Bring the schema of ``db_path`` to ``target`` in one transaction (foreign keys off)."""
    from alembic import command

    engine = make_engine(db_path, foreign_keys=False)
    cfg = alembic_config()
    try:
        with engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, target)
            conn.commit()
            bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if bad:
                raise MigrationFailed(f"foreign_key_check after upgrade: {bad[:5]}")
    finally:
        engine.dispose()


def _migrate(db_path: Path, current: str | None) -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    if current is not None:
        try:
            known = script.get_revision(current)
        except Exception:
            known = None
        if known is None:
            raise DatabaseTooNew(f"unknown revision {current} (head {script.get_current_head()})")
        backup_database(db_path, f"pre-migrate-{current}")
    try:
        upgrade(db_path)  # one transaction: a failure rolls back and leaves the file as it was
    except StoreError:
        raise
    except Exception as exc:
        log.exception("migration from %s failed", current)
        raise classify(exc) or MigrationFailed(str(exc)) from exc
    log.info("database %s upgraded from %s to %s", db_path, current, script.get_current_head())


def open_store(data_dir: Path, *, full_check: bool = True) -> Engine:
    """Return the application engine for the store in ``data_dir``, creating or upgrading it.

    ``full_check`` reads the whole file first (``quick_check``); the GUI skips it at start-up and
    runs :func:`check_integrity` in the background instead.
    """
    _check_writable(data_dir)
    db_path = data_dir / DB_FILENAME
    _check_header(db_path)
    try:
        if full_check and db_path.exists() and db_path.stat().st_size:
            check_integrity(db_path)
        current = current_revision(db_path)
    except StoreError:
        raise
    except sqlite3.Error as exc:
        raise classify(exc) or DatabaseCorrupt(str(exc)) from exc
    if current != HEAD_REVISION:
        _migrate(db_path, current)
    return make_engine(db_path)
