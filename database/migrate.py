"""Open the store: create or upgrade the schema through Alembic, with a backup first.

Order (style.md §3): refuse a revision this build does not know (a newer app wrote it); if the
file exists and is behind, copy it with the SQLite backup API and check the copy; upgrade on a
connection with foreign keys off, inside one transaction; then ``foreign_key_check``.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
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

log = logging.getLogger(__name__)
DB_FILENAME = "ocop.sqlite"


def migrations_path() -> Path:
    """Where the migration scripts are, also inside a PyInstaller bundle."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base / "database" / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_path()))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db_path: Path) -> str | None:
    """The revision stamped in the file, or None for a new or empty database."""
    if not db_path.exists():
        return None
    engine = make_engine(db_path, foreign_keys=False)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def backup_database(db_path: Path, label: str) -> Path:
    """Copy the database with SQLite's backup API into ``backups/`` and verify the copy."""
    folder = db_path.parent / "backups"
    folder.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{label}-{stamp}.sqlite"
    src = sqlite3.connect(db_path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        result = dst.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        dst.close()
        src.close()
    if result != "ok":
        raise DatabaseCorrupt(f"backup copy failed integrity_check: {result}")
    log.info("backup written to %s", target)
    return target


def _check_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-probe"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise DataFolderNotWritable(f"{folder}: {exc}") from exc


def _check_file(db_path: Path) -> None:
    """Fail early and clearly on a file that is not a SQLite database or is damaged."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return
    with db_path.open("rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise DatabaseCorrupt(f"{db_path}: not a SQLite file")
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


def open_store(data_dir: Path) -> Engine:
    """Return the application engine for the store in ``data_dir``, creating or upgrading it."""
    _check_writable(data_dir)
    db_path = data_dir / DB_FILENAME
    _check_file(db_path)
    try:
        current = current_revision(db_path)
    except Exception as exc:
        raise classify(exc) or exc from exc
    script = ScriptDirectory.from_config(alembic_config())
    if current is not None:
        try:
            known = script.get_revision(current)
        except Exception:
            known = None
        if known is None:
            raise DatabaseTooNew(f"unknown revision {current} (head {script.get_current_head()})")
    head = script.get_current_head()
    if current != head:
        if current is not None:
            backup_database(db_path, f"pre-migrate-{current}")
        try:
            upgrade(db_path)  # one transaction: a failure rolls back and leaves the file as it was
        except StoreError:
            raise
        except Exception as exc:
            log.exception("migration from %s failed", current)
            raise classify(exc) or MigrationFailed(str(exc)) from exc
        log.info("database %s upgraded from %s to %s", db_path, current, head)
    return make_engine(db_path)
