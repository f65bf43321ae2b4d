"""Producers (chủ thể OCOP): validation, saving, tombstone delete and restore, lists."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, func, select
from sqlmodel import Session, col

from database import search_index
from database.engine import read_session, write_session
from database.tables import Producer, Product
from ocop_desktop import records
from ocop_desktop.infra.errors import OcopError, ValidationFailed
from ocop_desktop.language.text import fold
from ocop_desktop.records.listing import AnySelect, ListRequest, count, fetch_page, order, unit_condition
from ocop_desktop.records.search_keys import producer_key, product_key
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.records.validation import Checker
from ocop_desktop.reference.units import ProvinceUnits
from ocop_desktop.reference.vocab import ETHNICITIES, GENDERS, LEGAL_TYPES
from ocop_desktop.store.context import AppContext


@dataclass
class ProducerData:
    """The producer form, in and out. ``id`` is empty for a new producer."""

    name: str = ""
    legal_type: str = ""
    registration_no: str | None = None
    tax_code: str | None = None
    rep_name: str | None = None
    rep_gender: str | None = None
    rep_ethnicity: str | None = None
    rep_disability: bool = False
    phone: str | None = None
    email: str | None = None
    commune_code: str | None = None
    address_detail: str | None = None
    founded_year: int | None = None
    workforce: int | None = None
    notes: str | None = None
    id: str = ""

    @classmethod
    def from_row(cls, row: Producer) -> ProducerData:
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})


def _clean(data: ProducerData, units: ProvinceUnits) -> tuple[dict[str, Any], Checker]:
    c = Checker()
    out: dict[str, Any] = {
        "name": c.text("name", "Tên chủ thể", data.name, required=True),
        "legal_type": c.choice("legal_type", "Loại hình", data.legal_type, LEGAL_TYPES),
        "registration_no": c.registration("registration_no", data.registration_no),
        "tax_code": c.tax_code("tax_code", data.tax_code),
        "rep_name": c.text("rep_name", "Người đại diện", data.rep_name, max_len=120),
        "rep_gender": c.choice("rep_gender", "Giới tính", data.rep_gender, GENDERS, required=False),
        "rep_ethnicity": c.text("rep_ethnicity", "Dân tộc", data.rep_ethnicity, max_len=40),
        "rep_disability": bool(data.rep_disability),
        "phone": c.phone("phone", data.phone),
        "email": c.email("email", data.email),
        "address_detail": c.text("address_detail", "Địa chỉ", data.address_detail),
        "founded_year": c.year("founded_year", "Năm thành lập", data.founded_year),
        "workforce": c.integer("workforce", "Số lao động", data.workforce, 0, 1_000_000),
        "notes": c.text("notes", "Ghi chú", data.notes, max_len=4000),
    }
    if out["rep_ethnicity"] and out["rep_ethnicity"] not in ETHNICITIES:
        c.warnings.setdefault("rep_ethnicity", f"Dân tộc '{out['rep_ethnicity']}' không có trong danh sách thường dùng.")
    commune = (data.commune_code or "").strip()
    out["commune_code"] = None
    out["former_district_code"] = None
    if not commune:
        c.errors["commune_code"] = "Hãy chọn xã/phường của địa chỉ."
    elif commune not in units.communes:
        c.errors["commune_code"] = f"Mã xã/phường '{commune}' không thuộc {units.name}."
    else:
        out["commune_code"] = commune
        districts = units.communes[commune].former_districts
        out["former_district_code"] = districts[0] if len(districts) == 1 else None
    out["province_code"] = units.code
    return out, c


def _duplicate_registration(session: Session, values: dict[str, Any], own_id: str) -> str | None:
    reg, commune = values.get("registration_no"), values.get("commune_code")
    if not reg or not commune:
        return None
    other = session.execute(
        select(col(Producer.name)).where(
            col(Producer.registration_no) == reg,
            col(Producer.commune_code) == commune,
            col(Producer.id) != own_id,
            col(Producer.deleted).is_(False),
        )
    ).first()
    return str(other[0]) if other else None


def save_producer(ctx: AppContext, data: ProducerData, *, confirm_warnings: bool = False) -> str:
    """Create or update a producer in one transaction; returns its id.

    Raises ValidationFailed with field errors, or with warnings only (e.g. a registration number
    already used in the same commune) unless ``confirm_warnings`` is set.
    """
    units = ctx.units()
    values, check = _clean(data, units)
    with write_session(ctx.engine) as s:
        dup = _duplicate_registration(s, values, data.id)
        if dup:
            check.warnings["registration_no"] = (
                f"Số đăng ký '{values['registration_no']}' đã dùng cho chủ thể '{dup}' trong cùng xã."
            )
        if check.errors or (check.warnings and not confirm_warnings):
            raise ValidationFailed(check.errors, check.warnings)
        inst = current_installation(s)
        values["search_key"] = producer_key(values, units)
        if data.id:
            row = records.get_live(s, Producer, data.id, "chủ thể")
            old = (row.name, row.commune_code)
            if records.update(s, inst, row, values) and old != (row.name, row.commune_code):
                _refresh_product_keys(s, row, units)
            return row.id
        row = Producer(**values, owner_unit=inst.unit_code, origin_device=inst.device_id)
        records.insert(s, inst, row)
        return row.id


def _refresh_product_keys(session: Session, producer: Producer, units: ProvinceUnits) -> None:
    """Products carry their producer's name and commune in their search key; keep them current."""
    rows = session.scalars(select(Product).where(col(Product.producer_id) == producer.id)).all()
    for p in rows:
        key = product_key(p.name, p.code, producer.name, units.unit_name(producer.commune_code))
        if p.search_key != key:
            p.search_key = key
            session.add(p)


def get_producer(ctx: AppContext, producer_id: str) -> ProducerData:
    with read_session(ctx.engine) as s:
        return ProducerData.from_row(records.get_live(s, Producer, producer_id, "chủ thể"))


def delete_producer(ctx: AppContext, producer_id: str) -> None:
    """Tombstone a producer that has no live products (undo with :func:`restore_producer`)."""
    with write_session(ctx.engine) as s:
        row = records.get_live(s, Producer, producer_id, "chủ thể")
        live = s.execute(
            select(func.count()).where(col(Product.producer_id) == producer_id, col(Product.deleted).is_(False))
        ).scalar_one()
        if live:
            raise OcopError(
                f"Chủ thể '{row.name}' còn {live} sản phẩm; hãy xóa các sản phẩm trước.",
                f"producer {producer_id} has {live} live products",
            )
        records.set_deleted(s, current_installation(s), row, True)


def restore_producer(ctx: AppContext, producer_id: str) -> None:
    with write_session(ctx.engine) as s:
        row = records.get_any(s, Producer, producer_id, "chủ thể")
        records.set_deleted(s, current_installation(s), row, False)


# --- lists ----------------------------------------------------------------------------------

COLUMNS = ("name", "legal_type", "registration_no", "rep_name", "phone", "commune_code", "products")
_product_count = (
    select(func.count())
    .where(col(Product.producer_id) == col(Producer.id), col(Product.deleted).is_(False))
    .correlate(Producer)
    .scalar_subquery()
)
SORTABLE: dict[str, Any] = {
    "name": col(Producer.name),
    "legal_type": col(Producer.legal_type),
    "registration_no": col(Producer.registration_no),
    "rep_name": col(Producer.rep_name),
    "phone": col(Producer.phone),
    "commune_code": col(Producer.commune_code),
    "products": _product_count,
}


def _conditions(ctx: AppContext, req: ListRequest) -> tuple[list[ColumnElement[bool]], bool]:
    """(conditions, whether any filter besides search is set)."""
    conditions: list[ColumnElement[bool]] = []
    if not req.include_deleted:
        conditions.append(col(Producer.deleted).is_(False))
    if unit := req.filters.get("unit"):
        conditions.append(unit_condition(ctx.units(), unit, col(Producer.commune_code),
                                         col(Producer.former_district_code)))
    if producer_id := req.filters.get("id"):
        conditions.append(col(Producer.id) == producer_id)
    if legal := req.filters.get("legal_type"):
        conditions.append(col(Producer.legal_type) == legal)
    others = len(conditions) > (0 if req.include_deleted else 1)
    match = search_index.match_clause("producer", col(Producer.search_key), col(Producer.deleted), fold(req.search),
                                      ctx.engine.dialect.name, req.include_deleted)
    if match is not None:
        conditions.append(match)
    return conditions, others


class ProducerRow(NamedTuple):
    """A producer as the lists show it, read by name in the window, the command line and spreadsheets."""

    id: str
    name: str
    legal_type: str
    registration_no: str | None
    rep_name: str | None
    phone: str | None
    commune_code: str
    products: int
    deleted: bool


def list_statement(ctx: AppContext, req: ListRequest) -> AnySelect:
    """The columns of :class:`ProducerRow`, in its order."""
    conditions, _ = _conditions(ctx, req)
    stmt = select(
        col(Producer.id), col(Producer.name), col(Producer.legal_type), col(Producer.registration_no),
        col(Producer.rep_name), col(Producer.phone), col(Producer.commune_code), _product_count, col(Producer.deleted),
    )
    return stmt.where(and_(*conditions)) if conditions else stmt


def producer_rows(ctx: AppContext, req: ListRequest, offset: int = 0, limit: int = 200) -> list[ProducerRow]:
    stmt = order(list_statement(ctx, req), SORTABLE, req, "name", "producer")
    return fetch_page(ctx.engine, stmt, offset, limit, ProducerRow._make)


def producer_count(ctx: AppContext, req: ListRequest) -> int:
    conditions, others = _conditions(ctx, req)
    stmt = select(func.count()).select_from(Producer)
    if conditions:
        stmt = stmt.where(and_(*conditions))
    return count(ctx.engine, "producer", stmt, req, others)


def producer_choices(ctx: AppContext, text: str = "", limit: int = 50,
                     producer_id: str | None = None) -> list[tuple[str, str]]:
    """(id, "name — commune") pairs for a producer picker: matches of ``text``, or one producer."""
    units = ctx.units()
    filters = {"id": producer_id} if producer_id else {}
    rows = producer_rows(ctx, ListRequest(search=text, filters=filters), 0, limit)
    return [(r.id, f"{r.name} — {units.unit_name(r.commune_code)}") for r in rows]
