"""Products: validation, saving, tombstone delete and restore, lists with filters."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, func, select
from sqlmodel import col

from database import search_index
from database.engine import read_session, write_session
from database.tables import Producer, Product
from ocop_desktop import records
from ocop_desktop.evaluation import projection
from ocop_desktop.infra.errors import OcopError, ValidationFailed
from ocop_desktop.language.formats import add_months
from ocop_desktop.language.text import fold
from ocop_desktop.records.listing import AnySelect, ListRequest, count, fetch_page, order, unit_condition
from ocop_desktop.records.search_keys import product_key
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.records.validation import Checker
from ocop_desktop.reference.product_sets import product_sets
from ocop_desktop.reference.units import check_product_code, parse_product_code
from ocop_desktop.reference.vocab import PRODUCT_STATUSES, RECOGNISED_STARS, STATUSES_WITH_STAR
from ocop_desktop.store.context import AppContext

CERTIFICATE_MONTHS = 36


@dataclass
class ProductData:
    """The product form, in and out. ``id`` is empty for a new product."""

    producer_id: str = ""
    name: str = ""
    product_set: int = 0
    code: str | None = None
    description: str | None = None
    raw_material_origin: str | None = None
    status: str = "draft"
    star: int | None = None
    decision_no: str | None = None
    decision_date: date | None = None
    certificate_no: str | None = None
    certificate_date: date | None = None
    certificate_expiry: date | None = None
    id: str = ""

    @classmethod
    def from_row(cls, row: Product) -> ProductData:
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})


def _clean(ctx: AppContext, data: ProductData) -> tuple[dict[str, Any], Checker]:
    c = Checker()
    out: dict[str, Any] = {
        "producer_id": data.producer_id,
        "name": c.text("name", "Tên sản phẩm", data.name, required=True),
        "description": c.text("description", "Mô tả", data.description, max_len=4000),
        "raw_material_origin": c.text("raw_material_origin", "Nguồn nguyên liệu", data.raw_material_origin),
        "status": c.choice("status", "Trạng thái", data.status, PRODUCT_STATUSES),
        "decision_no": c.text("decision_no", "Số quyết định", data.decision_no, max_len=60),
        "decision_date": data.decision_date,
        "certificate_no": c.text("certificate_no", "Số giấy chứng nhận", data.certificate_no, max_len=60),
        "certificate_date": data.certificate_date,
        "certificate_expiry": data.certificate_expiry,
        "star": data.star,
        "product_set": data.product_set,
        "code": None,
    }
    if not data.producer_id:
        c.errors["producer_id"] = "Hãy chọn chủ thể sản xuất."
    if data.product_set not in product_sets():
        c.errors["product_set"] = "Hãy chọn bộ sản phẩm (1–26) theo QĐ 26/2026/QĐ-TTg."
    if data.code and data.code.strip():
        try:
            parsed = parse_product_code(data.code)
            check_product_code(parsed, ctx.units())
            out["code"] = str(parsed)
        except OcopError as exc:
            c.errors["code"] = exc.message_vi
    if out["status"] in STATUSES_WITH_STAR:
        if data.star not in RECOGNISED_STARS:
            c.errors["star"] = "Sản phẩm đã công nhận phải có hạng 3, 4 hoặc 5 sao."
        if out["certificate_date"] and not out["certificate_expiry"]:
            out["certificate_expiry"] = add_months(out["certificate_date"], CERTIFICATE_MONTHS)
    elif data.star is not None:
        c.errors["star"] = "Chỉ sản phẩm đã được công nhận mới có hạng sao."
    issued, expiry = out["certificate_date"], out["certificate_expiry"]
    if issued and expiry and expiry <= issued:
        c.errors["certificate_expiry"] = "Ngày hết hạn phải sau ngày cấp giấy chứng nhận."
    if issued and issued > date.today():
        c.errors["certificate_date"] = "Ngày cấp giấy chứng nhận không được ở tương lai."
    return out, c


def save_product(ctx: AppContext, data: ProductData, *, confirm_warnings: bool = False) -> str:
    """Create or update a product in one transaction; returns its id. For a product with recognition
    records, the status, star, decision and certificate fields stay those the records give."""
    values, check = _clean(ctx, data)
    units = ctx.units()
    with write_session(ctx.engine) as s:
        producer = s.get(Producer, data.producer_id) if data.producer_id else None
        if data.producer_id and (producer is None or producer.deleted):
            check.errors["producer_id"] = "Chủ thể đã chọn không còn tồn tại."
        if values["code"]:
            other = s.execute(
                select(col(Product.name)).where(
                    col(Product.code) == values["code"], col(Product.id) != data.id, col(Product.deleted).is_(False)
                )
            ).first()
            if other:
                check.warnings["code"] = f"Mã '{values['code']}' đã dùng cho sản phẩm '{other[0]}'."
        if check.errors or (check.warnings and not confirm_warnings):
            raise ValidationFailed(check.errors, check.warnings)
        assert producer is not None
        values["search_key"] = product_key(values["name"], values["code"], producer.name,
                                           units.unit_name(producer.commune_code))
        inst = current_installation(s)
        if data.id:
            row = records.get_live(s, Product, data.id, "sản phẩm")
            values.update(projection.projections(s.connection(), [row.id]).get(row.id, {}))  # decisions rule
            records.update(s, inst, row, values)
            return row.id
        row = Product(**values, owner_unit=inst.unit_code, origin_device=inst.device_id)
        records.insert(s, inst, row)
        return row.id


def get_product(ctx: AppContext, product_id: str) -> ProductData:
    with read_session(ctx.engine) as s:
        return ProductData.from_row(records.get_live(s, Product, product_id, "sản phẩm"))


def delete_product(ctx: AppContext, product_id: str) -> None:
    """Tombstone a product (undo with :func:`restore_product`)."""
    with write_session(ctx.engine) as s:
        row = records.get_live(s, Product, product_id, "sản phẩm")
        records.set_deleted(s, current_installation(s), row, True)


def restore_product(ctx: AppContext, product_id: str) -> None:
    with write_session(ctx.engine) as s:
        row = records.get_any(s, Product, product_id, "sản phẩm")
        producer = s.get(Producer, row.producer_id)
        if producer is None or producer.deleted:
            raise OcopError("Chủ thể của sản phẩm đã bị xóa; hãy khôi phục chủ thể trước.",
                            "producer of product is deleted")
        records.set_deleted(s, current_installation(s), row, False)


# --- lists ----------------------------------------------------------------------------------

COLUMNS = ("code", "name", "product_set", "producer", "commune_code", "status", "star", "certificate_expiry")
SORTABLE: dict[str, Any] = {
    "code": col(Product.code),
    "name": col(Product.name),
    "product_set": col(Product.product_set),
    "producer": col(Producer.name),
    "commune_code": col(Producer.commune_code),
    "status": col(Product.status),
    "star": col(Product.star),
    "certificate_expiry": col(Product.certificate_expiry),
}


def _conditions(ctx: AppContext, req: ListRequest) -> tuple[list[ColumnElement[bool]], bool, bool]:
    """(conditions, whether they need producer columns, whether any filter besides search is set)."""
    conditions: list[ColumnElement[bool]] = []
    if not req.include_deleted:
        conditions.append(col(Product.deleted).is_(False))
    f = req.filters
    needs_producer = False
    if unit := f.get("unit"):
        conditions.append(unit_condition(ctx.units(), unit, col(Producer.commune_code),
                                         col(Producer.former_district_code)))
        needs_producer = True
    if product_set := f.get("product_set"):
        conditions.append(col(Product.product_set) == int(product_set))
    if status := f.get("status"):
        conditions.append(col(Product.status) == status)
    if star := f.get("star"):
        conditions.append(col(Product.star) == int(star))
    if producer_id := f.get("producer_id"):
        conditions.append(col(Product.producer_id) == producer_id)
    others = len(conditions) > (0 if req.include_deleted else 1)
    match = search_index.match_clause("product", col(Product.search_key), col(Product.deleted), fold(req.search),
                                      ctx.engine.dialect.name, req.include_deleted)
    if match is not None:
        conditions.append(match)
    return conditions, needs_producer, others


class ProductRow(NamedTuple):
    """A product as the lists show it, read by name in the window, the command line and spreadsheets."""

    id: str
    code: str | None
    name: str
    product_set: int
    producer: str  # the producer's name
    commune_code: str  # the producer's commune
    status: str
    star: int | None
    certificate_expiry: date | None
    deleted: bool


def list_statement(ctx: AppContext, req: ListRequest) -> AnySelect:
    """The columns of :class:`ProductRow`, in its order."""
    conditions, _, _ = _conditions(ctx, req)
    stmt = select(
        col(Product.id), col(Product.code), col(Product.name), col(Product.product_set), col(Producer.name),
        col(Producer.commune_code), col(Product.status), col(Product.star), col(Product.certificate_expiry),
        col(Product.deleted),
    ).join(Producer, col(Producer.id) == col(Product.producer_id))
    return stmt.where(and_(*conditions)) if conditions else stmt


def product_rows(ctx: AppContext, req: ListRequest, offset: int = 0, limit: int = 200) -> list[ProductRow]:
    stmt = order(list_statement(ctx, req), SORTABLE, req, "name", "product")
    return fetch_page(ctx.engine, stmt, offset, limit, ProductRow._make)


def product_count(ctx: AppContext, req: ListRequest) -> int:
    conditions, needs_producer, others = _conditions(ctx, req)
    stmt = select(func.count()).select_from(Product)
    if needs_producer:
        stmt = stmt.join(Producer, col(Producer.id) == col(Product.producer_id))
    if conditions:
        stmt = stmt.where(and_(*conditions))
    return count(ctx.engine, "product", stmt, req, others)


def product_id_from_text(ctx: AppContext, text: str) -> str:
    """A product id as typed by an officer: the id itself, or the code of exactly one live product."""
    if len(text) == 32 and all(c in "0123456789abcdef" for c in text):
        return text
    rows = [r for r in product_rows(ctx, ListRequest(search=text), 0, 50) if r.code == text.strip()]
    if len(rows) != 1:
        raise OcopError(f"Không tìm thấy đúng một sản phẩm có mã '{text}'.", f"product code {text}")
    return rows[0].id
