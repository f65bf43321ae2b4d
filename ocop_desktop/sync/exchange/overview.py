"""What the sync screen shows: this installation's key, whom it can send to, and what it has sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from database.tables import SyncConflict, SyncOutbox, TrustedKey
from ocop_desktop.infra.errors import NotFound, OcopError
from ocop_desktop.infra.files import replaced_atomically
from ocop_desktop.reference.vocab import OutboxStatus
from ocop_desktop.store.context import AppContext
from ocop_desktop.sync import trust
from ocop_desktop.sync.exchange.conflicts import open_conflicts
from ocop_desktop.sync.exchange.export import mark_sent, outbox, outbox_path
from ocop_desktop.sync.trust import keys


@dataclass(frozen=True)
class SyncOverview:
    level: str
    unit: str
    fingerprint: str | None  # grouped for reading aloud; None until the key is made
    recipients: list[tuple[str, str]]  # (unit code, name) this installation may send packages to
    trusted: list[TrustedKey]
    sent: list[SyncOutbox]
    conflicts: list[SyncConflict]
    trust_status: trust.TrustStatus | None = None  # the province's trust root held here
    unpublished: list[str] = field(default_factory=list)  # province: trust changes not yet signed

    @property
    def province_pinned(self) -> bool:
        return any(k.purpose != "device" and k.status == "active" for k in self.trusted)


def overview(ctx: AppContext) -> SyncOverview:
    inst = ctx.require_installation()
    units = ctx.units()
    path = trust.device_key_path(ctx)
    fingerprint = keys.grouped(keys.read_header(path.read_bytes())[2].key_id) if path.exists() else None
    trusted = trust.trusted_keys(ctx)
    if inst.level == "local":
        recipients = [(units.code, units.name)]
    else:
        codes = sorted({k.unit_code for k in trusted if k.status == "active" and k.purpose == "device"})
        recipients = [(c, units.unit_name(c)) for c in codes]
    unpublished = trust.pending_changes(ctx) if inst.level == "province" and fingerprint else []
    return SyncOverview(inst.level, inst.unit_code, fingerprint, recipients, trusted, outbox(ctx),
                        open_conflicts(ctx), trust.trust_status(ctx), unpublished)


def outbox_status(info: SyncOverview, row: SyncOutbox) -> str:
    """prepared | sent | waiting | acknowledged | missing (sent, while a later package to the same place
    arrived: a receipt said it was held back or received)."""
    arrived = (OutboxStatus.WAITING, OutboxStatus.ACKNOWLEDGED)
    if row.status == OutboxStatus.SENT and any(other.recipient_unit == row.recipient_unit and other.epoch == row.epoch
                                               and other.seq > row.seq and other.status in arrived
                                               for other in info.sent):
        return OutboxStatus.MISSING
    return row.status


def save_copy(ctx: AppContext, package_id: str, target: Path) -> Path:
    """Write the outbox's copy of a sent package again (a re-send is the same bytes, never a rebuild)."""
    row = next((r for r in outbox(ctx) if r.package_id == package_id), None)
    if row is None:
        raise NotFound("Không tìm thấy gói này trong hộp thư đi.", f"outbox {package_id}")
    source = outbox_path(ctx, row)
    if not source.exists():
        raise OcopError("Bản sao của gói trong hộp thư đi bị mất.", f"missing {source}")
    with replaced_atomically(Path(target)) as temp:
        temp.write_bytes(source.read_bytes())
    mark_sent(ctx, package_id)  # a package whose file never arrived is now written: it counts as sent
    return Path(target)
