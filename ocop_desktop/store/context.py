"""The application context: the open store and who is working in it, passed to every use case.

No globals: the UI and the CLI open a context and hand it to use cases (docs/style.md anti-pattern 7).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import select

from database.engine import read_session
from database.migrate import DB_FILENAME, check_integrity, open_store
from database.tables import Installation
from ocop_desktop.infra.errors import NotInitialised
from ocop_desktop.reference.units import ProvinceUnits, load_province

log = logging.getLogger(__name__)
DEFAULT_PROVINCE = "82"


@dataclass
class AppContext:
    data_dir: Path
    engine: Engine

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def catalogs_dir(self) -> Path:
        """Criteria catalogs received from the province (the bundled ones live in resources/)."""
        return self.data_dir / "catalogs"

    def installation(self) -> Installation | None:
        with read_session(self.engine) as s:
            return s.exec(select(Installation)).first()

    def require_installation(self) -> Installation:
        inst = self.installation()
        if inst is None:
            raise NotInitialised()
        return inst

    def units(self) -> ProvinceUnits:
        """The province this installation works in (the seed province before set-up)."""
        inst = self.installation()
        return load_province(inst.province_code if inst else DEFAULT_PROVINCE)

    def check_integrity(self) -> None:
        """Read the whole store once; raises DatabaseCorrupt (with its message) on damage."""
        check_integrity(self.data_dir / DB_FILENAME)

    def close(self) -> None:
        self.engine.dispose()


def open_context(data_dir: Path, *, full_check: bool = True) -> AppContext:
    """Open (create or upgrade) the store in ``data_dir``; see ``open_store`` for ``full_check``."""
    engine = open_store(data_dir, full_check=full_check)
    log.info("store opened in %s", data_dir)
    return AppContext(data_dir=data_dir, engine=engine)
