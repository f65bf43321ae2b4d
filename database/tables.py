"""The tables of the local store. Import this module to register every table on the metadata."""

from __future__ import annotations

from datetime import date, datetime

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
    is_demo: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)


class Producer(SyncedRow, table=True):
    """A producer (chủ thể OCOP): cooperative, company, household business, farm, ..."""

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
