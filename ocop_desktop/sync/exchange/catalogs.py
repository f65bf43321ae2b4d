"""Criteria catalogs sent down by the province: published as a release record with the file's hash,
travelling in a signed ``catalog`` package, stored by the importer among the received catalogs.

A catalog id names one content for ever: a file whose content differs from a catalog already known
under the same id is refused, so a sheet bound to (id, hash) can always be re-scored (docs/design.md §4).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlmodel import col, select

from database.engine import write_session
from database.tables import CatalogRelease
from ocop_desktop import records
from ocop_desktop.evaluation.catalog import Catalog, build_catalog, catalog_path, load_catalog_file
from ocop_desktop.infra.errors import OcopError
from ocop_desktop.infra.files import replaced_atomically
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.store.context import AppContext
from ocop_desktop.sync.package import strict_json
from ocop_desktop.sync.package.rejections import PackageRejected


def publish_catalog(ctx: AppContext, catalog_id: str) -> str:
    """The province releases a catalog it holds to its local offices (sent with ``catalogs_only``)."""
    if ctx.require_installation().level != "province":
        raise OcopError("Chỉ cấp tỉnh mới công bố bộ tiêu chí.", "not a province")
    path = catalog_path(catalog_id, [ctx.catalogs_dir])
    if path is None:
        raise OcopError(f"Không có bộ tiêu chí '{catalog_id}' trên máy này.", f"no catalog {catalog_id}")
    catalog = load_catalog_file(path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    with write_session(ctx.engine) as s:
        existing = s.scalars(select(CatalogRelease).where(col(CatalogRelease.catalog_id) == catalog.id,
                                                          col(CatalogRelease.deleted).is_(False))).first()
        if existing is not None and existing.catalog_hash == catalog.hash:
            return existing.id
        release = CatalogRelease(catalog_id=catalog.id, catalog_hash=catalog.hash, sha256=sha,
                                 title=catalog.title[:255], owner_unit="", origin_device="")
        records.insert(s, current_installation(s), release)
        return release.id


def store_received(ctx: AppContext, catalog_id: str, catalog_hash: str, content: bytes) -> Path | None:
    """Check a received catalog file and keep it; returns the new file (None if it was known)."""
    try:
        catalog: Catalog = build_catalog(strict_json.loads(content, f"bộ tiêu chí {catalog_id}"))
    except OcopError as exc:
        raise PackageRejected("CATALOG_INVALID", f"{catalog_id}: {exc.message_vi[:200]}") from exc
    if catalog.id != catalog_id or catalog.hash != catalog_hash:
        raise PackageRejected("CATALOG_INVALID", f"{catalog_id}: mã hoặc mã băm khác với bản công bố")
    known = catalog_path(catalog_id, [ctx.catalogs_dir])  # this installation's own catalogs
    if known is not None:
        if load_catalog_file(known).hash != catalog_hash:
            raise PackageRejected("CATALOG_INVALID", f"{catalog_id}: đã có bộ cùng mã với nội dung khác")
        return None
    target = ctx.catalogs_dir / f"{catalog_id}.json"
    with replaced_atomically(target) as temp:
        temp.write_bytes(content)
    return target
