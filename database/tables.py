"""The tables of the local store. Import this module to register every table on the metadata."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from database.base import SyncedRow, utcnow


class Installation(SQLModel, table=True):
    """This installation: its unit, level, officer and device identity (one row, never synced)."""

    id: int = Field(default=1, primary_key=True)
    device_id: str = Field(max_length=32)
    province_code: str = Field(max_length=2)
    unit_code: str = Field(max_length=8)
    level: str = Field(max_length=16)
    officer_name: str = Field(max_length=120)
    language: str = Field(default="vi", max_length=8)
    counter: int = Field(default=0)
    epoch: int = Field(default=1)  # bumped when a backup is restored, so old sequence numbers never repeat
    is_demo: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)


class Producer(SyncedRow, table=True):
    """A producer (chủ thể OCOP): cooperative, company, household business, farm, ..."""

    # covering index for the dashboard's groupings (a join then reads no producer row)
    __table_args__ = (Index("ix_producer_grouping", "id", "commune_code", "former_district_code", "legal_type",
                            "deleted"),)

    legal_type: str = Field(max_length=16, index=True)
    name: str = Field(max_length=255, index=True)
    registration_no: str | None = Field(default=None, max_length=40, index=True)
    tax_code: str | None = Field(default=None, max_length=20)
    rep_name: str | None = Field(default=None, max_length=120)
    rep_gender: str | None = Field(default=None, max_length=8)
    rep_ethnicity: str | None = Field(default=None, max_length=40)
    rep_disability: bool = Field(default=False)
    phone: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=120)
    province_code: str = Field(max_length=2)
    commune_code: str | None = Field(default=None, max_length=5, index=True)
    former_district_code: str | None = Field(default=None, max_length=3, index=True)
    address_detail: str | None = Field(default=None, max_length=255)
    founded_year: int | None = Field(default=None)
    workforce: int | None = Field(default=None)
    notes: str | None = Field(default=None)
    is_demo: bool = Field(default=False)
    search_key: str = Field(default="")


class Product(SyncedRow, table=True):
    """A product of a producer, in one of the 26 product sets, and where it stands in the cycle."""

    # covering index for the dashboard: recognised products are counted without reading their rows
    __table_args__ = (Index("ix_product_recognised", "status", "star", "deleted", "producer_id", "product_set",
                            "certificate_date", "certificate_expiry"),)

    producer_id: str = Field(foreign_key="producer.id", max_length=32, index=True)
    name: str = Field(max_length=255, index=True)
    product_set: int = Field(index=True)
    code: str | None = Field(default=None, max_length=40, index=True)
    description: str | None = Field(default=None)
    raw_material_origin: str | None = Field(default=None, max_length=255)
    status: str = Field(default="draft", max_length=16, index=True)
    star: int | None = Field(default=None, index=True)
    decision_no: str | None = Field(default=None, max_length=60)
    decision_date: date | None = Field(default=None)
    certificate_no: str | None = Field(default=None, max_length=60)
    certificate_date: date | None = Field(default=None)
    certificate_expiry: date | None = Field(default=None, index=True)
    is_demo: bool = Field(default=False)
    search_key: str = Field(default="")


class Attachment(SyncedRow, table=True):
    """A photo or document attached to a record; the bytes live in the store under their SHA-256."""

    owner_table: str = Field(max_length=32)
    owner_id: str = Field(max_length=32, index=True)
    sha256: str = Field(max_length=64, index=True)
    filename: str = Field(max_length=255)
    mime: str = Field(max_length=100)
    size: int
    caption: str | None = Field(default=None, max_length=255)


class AuditEntry(SQLModel, table=True):
    """One link of the audit hash chain: who changed what, when, with the row before and after."""

    __tablename__ = "audit_log"

    seq: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    actor: str = Field(max_length=120)
    device_id: str = Field(max_length=32)
    action: str = Field(max_length=16)
    table_name: str = Field(max_length=32)
    record_id: str = Field(max_length=32, index=True)
    before: str | None = Field(default=None)
    after: str | None = Field(default=None)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class Setting(SQLModel, table=True):
    """A setting of this installation or its province (JSON value), e.g. the scoring policy."""

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(default="null")


class EvaluationRound(SyncedRow, table=True):
    """An evaluation round (đợt đánh giá, phân hạng) at province or central level."""

    __tablename__ = "evaluation_round"

    level: str = Field(max_length=16)
    year: int = Field(index=True)
    number: int
    title: str = Field(max_length=255)
    start_date: date | None = Field(default=None)
    end_date: date | None = Field(default=None)
    catalog_id: str = Field(max_length=40)
    status: str = Field(default="open", max_length=16)


class Council(SyncedRow, table=True):
    """A rating council (Hội đồng đánh giá, phân hạng) and the decision that set it up."""

    round_id: str = Field(foreign_key="evaluation_round.id", max_length=32, index=True)
    name: str = Field(max_length=255)
    decision_no: str | None = Field(default=None, max_length=60)
    decision_date: date | None = Field(default=None)


class CouncilMember(SyncedRow, table=True):
    __tablename__ = "council_member"

    council_id: str = Field(foreign_key="council.id", max_length=32, index=True)
    name: str = Field(max_length=120)
    role: str = Field(max_length=16)
    organisation: str | None = Field(default=None, max_length=255)
    position: int = Field(default=0)


class RoundEntry(SyncedRow, table=True):
    """A product entered into a round: dossier type, commune review (Mẫu 03), elimination, result."""

    __tablename__ = "round_entry"

    round_id: str = Field(foreign_key="evaluation_round.id", max_length=32, index=True)
    product_id: str = Field(foreign_key="product.id", max_length=32, index=True)
    council_id: str | None = Field(default=None, foreign_key="council.id", max_length=32, index=True)
    product_set: int
    dossier_type: str = Field(max_length=16)
    review_no: str | None = Field(default=None, max_length=60)
    review_date: date | None = Field(default=None)
    review_raw_material: str | None = Field(default=None)
    review_local_labour: str | None = Field(default=None)
    review_idea_origin: str | None = Field(default=None)
    review_local_identity: str | None = Field(default=None)
    review_proposes: bool | None = Field(default=None)
    elimination_key: str | None = Field(default=None, max_length=16)
    elimination_text: str | None = Field(default=None)
    result_status: str | None = Field(default=None, max_length=16)
    result_mean: str | None = Field(default=None, max_length=40)
    result_star: int | None = Field(default=None)
    result_explanation: str | None = Field(default=None)


class ScoreSheet(SyncedRow, table=True):
    """One member's sheet for one product, bound to the catalog id and hash it was scored under."""

    __tablename__ = "score_sheet"

    entry_id: str = Field(foreign_key="round_entry.id", max_length=32, index=True)
    member_id: str = Field(foreign_key="council_member.id", max_length=32, index=True)
    catalog_id: str = Field(max_length=40)
    catalog_hash: str = Field(max_length=64)
    product_set: int
    answers: str = Field(default="{}")
    comment: str | None = Field(default=None)
    status: str = Field(default="draft", max_length=16)
    submitted_at: datetime | None = Field(default=None)
    superseded: bool = Field(default=False)


class Recognition(SyncedRow, table=True):
    """A recognition decision and certificate, from a council result or recorded from the past."""

    product_id: str = Field(foreign_key="product.id", max_length=32, index=True)
    entry_id: str | None = Field(default=None, foreign_key="round_entry.id", max_length=32)
    source: str = Field(max_length=16)
    instrument: str = Field(max_length=60)
    catalog_id: str | None = Field(default=None, max_length=40)
    total: str | None = Field(default=None, max_length=40)
    stars: int
    decision_no: str = Field(max_length=60)
    decision_date: date
    certificate_no: str | None = Field(default=None, max_length=60)
    issue_date: date | None = Field(default=None)
    expiry_date: date | None = Field(default=None, index=True)
    revoked: bool = Field(default=False)
    revoked_date: date | None = Field(default=None)
    revoked_reason: str | None = Field(default=None)


class TrustedKey(SQLModel, table=True):
    """A public key this installation trusts, scoped to one unit and purpose (the local trust store)."""

    __tablename__ = "trusted_key"

    key_id: str = Field(primary_key=True, max_length=64)
    purpose: str = Field(max_length=32)
    unit_code: str = Field(max_length=8, index=True)
    device_id: str | None = Field(default=None, max_length=32)
    public_key: str = Field(max_length=64)
    status: str = Field(default="active", max_length=16)
    epoch: int = Field(default=1)  # the highest device epoch the province has authorised for this key
    added_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = Field(default=None)
    note: str | None = Field(default=None)


class SyncOutbox(SQLModel, table=True):
    """A package this installation made, kept so that a re-send copies the very same bytes."""

    __tablename__ = "sync_outbox"

    package_id: str = Field(primary_key=True, max_length=32)
    kind: str = Field(max_length=32)
    recipient_unit: str = Field(max_length=8, index=True)
    epoch: int
    seq: int
    sha256: str = Field(max_length=64, unique=True)
    prev_sha256: str | None = Field(default=None, max_length=64)
    full: bool
    since_counter: int
    upto_counter: int
    counts: str = Field(default="{}")
    size: int
    created_at: datetime
    status: str = Field(default="sent", max_length=16)  # prepared | sent | waiting | acknowledged (vocab.OutboxStatus)


class SyncLedger(SQLModel, table=True):
    """A package seen from another installation: the sender's chain as this installation knows it."""

    __tablename__ = "sync_ledger"
    __table_args__ = (Index("ix_sync_ledger_chain", "sender_device", "epoch", "seq", unique=True),)

    sha256: str = Field(primary_key=True, max_length=64)
    package_id: str = Field(max_length=32)
    kind: str = Field(max_length=32)
    sender_unit: str = Field(max_length=8, index=True)
    sender_device: str = Field(max_length=32)
    key_id: str = Field(max_length=64)
    epoch: int
    seq: int
    prev_sha256: str | None = Field(default=None, max_length=64)
    created_at: datetime
    received_at: datetime = Field(default_factory=utcnow)
    status: str = Field(max_length=16)  # imported | quarantined
    counts: str = Field(default="{}")


class SyncConflict(SQLModel, table=True):
    """Two concurrent versions of one record: both kept until an officer chooses (never overwritten)."""

    __tablename__ = "sync_conflict"

    id: int | None = Field(default=None, primary_key=True)
    table_name: str = Field(max_length=32)
    record_id: str = Field(max_length=32, index=True)
    package_sha256: str = Field(max_length=64)
    sender_unit: str = Field(max_length=8)
    local_row: str  # JSON of the local version when the conflict was found
    incoming_row: str  # JSON of the incoming version (as in the package)
    fields: str = Field(default="[]")  # JSON list of the fields whose values differ
    created_at: datetime = Field(default_factory=utcnow)
    status: str = Field(default="open", max_length=16)  # open | resolved
    resolution: str | None = Field(default=None, max_length=16)  # local | incoming
    resolved_at: datetime | None = Field(default=None)
    resolved_by: str | None = Field(default=None, max_length=120)


class SyncReceipt(SyncedRow, table=True):
    """The importer's signed answer to a package: what it did with it. It travels back to the sender
    like any record (owned by the unit that imported), and marks the sender's outbox entry delivered."""

    __tablename__ = "sync_receipt"

    package_sha256: str = Field(max_length=64, index=True)
    package_id: str = Field(max_length=32)
    package_sender_unit: str = Field(max_length=8, index=True)
    seq: int
    epoch: int
    status: str = Field(max_length=16)  # imported | quarantined
    counts: str = Field(default="{}")  # {table: {new, updated, unchanged, stale, conflicts}}
    conflicts: int = Field(default=0)
    received_at: datetime


class SyncDuplicate(SQLModel, table=True):
    """A record from one unit that looks like another unit's (same registration number, or the same
    name in the same commune): flagged at import for an officer to review, never merged."""

    __tablename__ = "sync_duplicate"

    id: int | None = Field(default=None, primary_key=True)
    table_name: str = Field(max_length=32)
    record_id: str = Field(max_length=32, index=True)
    other_id: str = Field(max_length=32)
    reason: str = Field(max_length=32)  # registration_no | name_commune
    package_sha256: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    status: str = Field(default="open", max_length=16)  # open | different | same


class CatalogRelease(SyncedRow, table=True):
    """A criteria catalog the province distributes: its id, content hash and the hash of the file's
    bytes (the file travels in the package; the importer stores it among the catalogs)."""

    __tablename__ = "catalog_release"

    catalog_id: str = Field(max_length=40, index=True)
    catalog_hash: str = Field(max_length=64)
    sha256: str = Field(max_length=64)
    title: str = Field(max_length=255)


class TrustRootVersion(SQLModel, table=True):
    """One version of the province's trust root (TUF-style): who may sign what, and the root keys that
    must sign the next version. Kept byte for byte as signed, applied strictly in order."""

    __tablename__ = "trust_root_version"

    version: int = Field(primary_key=True)
    payload_sha256: str = Field(max_length=64)
    envelope: str  # the signed DSSE envelope as canonical JSON text
    created: datetime
    expires: datetime
    applied_at: datetime = Field(default_factory=utcnow)
