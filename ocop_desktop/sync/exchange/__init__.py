"""Packages between offices: export for a recipient, verification against this installation,
import (dry run, then all or nothing), the conflicts queue, duplicates, the province's consolidation
view, catalogs sent down, the outbox and how it all reads to an officer.
"""


from ocop_desktop.sync.exchange.catalogs import publish_catalog
from ocop_desktop.sync.exchange.conflicts import ConflictView, resolve_conflict, view_conflict
from ocop_desktop.sync.exchange.conflicts import shown as shown_value
from ocop_desktop.sync.exchange.consolidation import (
    COUNTED,
    DuplicateView,
    UnitRow,
    consolidation,
    duplicate_views,
    review_duplicate,
)
from ocop_desktop.sync.exchange.export import ExportResult, export_package
from ocop_desktop.sync.exchange.importer import ImportReport, import_package, preview_import
from ocop_desktop.sync.exchange.installation_view import verify_package
from ocop_desktop.sync.exchange.overview import SyncOverview, outbox_status, overview, save_copy
from ocop_desktop.sync.exchange.summaries import counts_text, decisions_text

__all__ = ["COUNTED", "ConflictView", "DuplicateView", "ExportResult", "ImportReport", "SyncOverview", "UnitRow", "consolidation", "counts_text", "decisions_text", "duplicate_views", "export_package", "import_package", "outbox_status", "overview", "preview_import", "publish_catalog", "resolve_conflict", "review_duplicate", "save_copy", "shown_value", "verify_package", "view_conflict"]
