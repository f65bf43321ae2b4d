"""The verifier's read-only window onto an installation: its trust store, ledger, records and files.

:class:`InstallationView` is what a receiving installation knows. :class:`SenderView` is what the
sender uses to read back a package it has just written: its own key, the recipient it addressed,
and no ledger (docs/threat-model.md item 32).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from database.engine import read_session
from database.tables import SyncLedger, SyncOutbox, TrustedKey, TrustRootVersion
from ocop_desktop.evaluation.catalog import CatalogSet, load_catalog
from ocop_desktop.infra.errors import OcopError
from ocop_desktop.infra.jsontext import canonical
from ocop_desktop.infra.tasks import JobControl
from ocop_desktop.store.context import AppContext
from ocop_desktop.sync.package.container import LIMITS, Limits
from ocop_desktop.sync.package.format import environment_of
from ocop_desktop.sync.package.record_codec import COLUMNS
from ocop_desktop.sync.package.verify import verify_file
from ocop_desktop.sync.package.view import KeyInfo, SeenPackage, Verified
from ocop_desktop.sync.trust import clock


def _catalog_set(received: Path, catalog_id: str, catalog_hash: str, product_set: int) -> CatalogSet | None:
    try:
        catalog = load_catalog(catalog_id, received)
    except (OcopError, OSError, ValueError):
        return None
    if catalog.hash != catalog_hash or not 1 <= product_set <= 26:
        return None
    return catalog.set(product_set)


@dataclass
class InstallationView:
    ctx: AppContext
    this_unit: str = ""
    environment: str = ""
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        inst = self.ctx.require_installation()
        self.this_unit = self.this_unit or inst.unit_code
        self.environment = self.environment or environment_of(inst)
        self.now = clock.now(self.ctx, self.now)  # never behind what this installation has seen

    def key(self, key_id: str) -> KeyInfo | None:
        with read_session(self.ctx.engine) as s:
            row = s.get(TrustedKey, key_id)
        if row is None:
            return None
        return KeyInfo(row.key_id, row.purpose, row.unit_code, row.device_id, base64.b64decode(row.public_key),
                       row.status, row.epoch)

    def ledger(self, unit: str, device: str) -> list[SeenPackage]:
        with read_session(self.ctx.engine) as s:
            rows = s.scalars(select(SyncLedger).where(col(SyncLedger.sender_unit) == unit,
                                                      col(SyncLedger.sender_device) == device)).all()
        return [SeenPackage(r.epoch, r.seq, r.sha256, r.status, r.received_at) for r in rows]

    def owners(self, table: str, ids: set[str]) -> dict[str, str]:
        if table not in COLUMNS or not ids:
            return {}
        with self.ctx.engine.connect() as conn:
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            cursor.execute(f'SELECT id, owner_unit FROM "{table}" WHERE id IN (SELECT value FROM json_each(?))',
                           (canonical(sorted(ids)),))
            return dict(cursor.fetchall())

    def existing(self, table: str, ids: set[str]) -> set[str]:
        return set(self.owners(table, ids))

    def has_blob(self, sha256: str) -> bool:
        from ocop_desktop.registry.attachments import blob_path
        return blob_path(self.ctx, sha256).exists()

    def catalog_set(self, catalog_id: str, catalog_hash: str, product_set: int) -> Any:
        return _catalog_set(self.ctx.catalogs_dir, catalog_id, catalog_hash, product_set)

    def catalog_known(self, catalog_id: str, catalog_hash: str) -> bool:
        return _catalog_set(self.ctx.catalogs_dir, catalog_id, catalog_hash, 1) is not None

    def trust_expires(self) -> datetime | None:
        with read_session(self.ctx.engine) as s:
            return s.scalars(select(col(TrustRootVersion.expires))
                             .order_by(col(TrustRootVersion.version).desc())).first()


@dataclass
class SenderView(InstallationView):
    """The sender reading back its own package: trusts only its own key, addressed to ``this_unit``."""

    own_key: KeyInfo | None = None

    def key(self, key_id: str) -> KeyInfo | None:
        return self.own_key if self.own_key is not None and self.own_key.key_id == key_id else None

    def ledger(self, unit: str, device: str) -> list[SeenPackage]:
        return []

    def owners(self, table: str, ids: set[str]) -> dict[str, str]:
        return {}  # the sender reads back rows it selected by its own unit: there is no one to take over from

    def existing(self, table: str, ids: set[str]) -> set[str]:
        return set(super().owners(table, ids))

    def trust_expires(self) -> datetime | None:
        return datetime.max.replace(tzinfo=UTC)  # the province's own read-back: renewed from its status panel


def _sent_by_us(ctx: AppContext, path: Path) -> SyncOutbox | None:
    try:
        with path.open("rb") as fh:
            digest = hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None
    with read_session(ctx.engine) as s:
        return s.scalars(select(SyncOutbox).where(col(SyncOutbox.sha256) == digest)).first()


def own_key(ctx: AppContext, public: bytes | None = None) -> KeyInfo | None:
    """This installation's public key, as the verifier sees a trusted key (``public`` when the caller
    holds the unlocked key: key files made before the header carried it)."""
    from ocop_desktop.sync.trust import keys
    from ocop_desktop.sync.trust.enrolment import device_key_path

    path = device_key_path(ctx)
    if not path.exists():
        return None
    header = keys.read_header(path.read_bytes())[2]
    inst = ctx.require_installation()
    public = public or header.public_key
    if public is None:
        return None
    return KeyInfo(header.key_id, header.purpose, inst.unit_code, inst.device_id, public, "active", inst.epoch)


def verify_package(ctx: AppContext, path: Path, control: JobControl | None = None,
                   limits: Limits = LIMITS) -> Verified:
    """Check a package against this installation, writing nothing. A package this installation sent
    (found in its outbox) is checked as its recipient would, e.g. on the USB stick after copying."""
    sent = _sent_by_us(ctx, Path(path))
    if sent is not None:
        view: InstallationView = SenderView(ctx, this_unit=sent.recipient_unit, own_key=own_key(ctx))
        return verify_file(path, view, limits=limits, control=control)
    return verify_file(path, InstallationView(ctx), limits=limits, control=control)
