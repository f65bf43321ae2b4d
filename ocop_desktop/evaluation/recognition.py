"""Recognition decisions and certificates: from a council result, or recorded from the past.

A certificate is valid 36 months from its issue date (Điều 4.3); re-evaluation is filed from 180
to 120 days before expiry (Điều 7.6); revocation keeps the record and gives a reason (Điều 8).
Only the recognition record is written (it belongs to the unit that decides); the product's status,
star and certificate fields follow from it through :mod:`ocop_desktop.evaluation.projection`, so the product
row a commune owns keeps its version and the commune's next edit of it is no conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlmodel import col

from database.engine import read_session, write_session
from database.tables import Installation, Product, Recognition, RoundEntry
from ocop_desktop import records
from ocop_desktop.evaluation import projection
from ocop_desktop.infra.errors import OcopError, ValidationFailed
from ocop_desktop.language.formats import add_months
from ocop_desktop.language.text import nfc
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.records.validation import Checker
from ocop_desktop.store.context import AppContext

VALIDITY_MONTHS = 36
WINDOW_OPENS_DAYS, WINDOW_CLOSES_DAYS = 180, 120


@dataclass(frozen=True)
class RecognitionView:
    id: str
    product_id: str
    product_name: str
    stars: int
    decision_no: str
    decision_date: date
    certificate_no: str | None
    issue_date: date | None
    expiry_date: date | None
    source: str
    instrument: str
    total: str | None
    revoked: bool
    revoked_reason: str | None


def reevaluation_window(expiry: date) -> tuple[date, date]:
    """The days on which a re-evaluation dossier may be filed: 180 to 120 days before expiry."""
    return expiry - timedelta(days=WINDOW_OPENS_DAYS), expiry - timedelta(days=WINDOW_CLOSES_DAYS)


def _decision_fields(check: Checker, decision_no: str, decision_date: date | None, certificate_no: str | None,
                     issue_date: date | None) -> tuple[str, str | None]:
    number = check.text("decision_no", "Số quyết định", decision_no, required=True, max_len=60)
    cert = check.text("certificate_no", "Số giấy chứng nhận", certificate_no, max_len=60)
    if decision_date is None:
        check.errors["decision_date"] = "Hãy nhập ngày quyết định."
    elif decision_date > date.today():
        check.errors["decision_date"] = "Ngày quyết định không được ở tương lai."
    if issue_date and decision_date and issue_date < decision_date:
        check.errors["issue_date"] = "Ngày cấp giấy chứng nhận không được trước ngày quyết định."
    return number or "", cert


def recognise(ctx: AppContext, entry_id: str, decision_no: str, decision_date: date | None,
              certificate_no: str | None, issue_date: date | None) -> str:
    """Recognise a product on its adopted council result; the province recognises 3★ and 4★."""
    check = Checker()
    number, cert = _decision_fields(check, decision_no, decision_date, certificate_no, issue_date)
    if check.errors:
        raise ValidationFailed(check.errors)
    assert decision_date is not None
    with write_session(ctx.engine) as s:
        entry = records.get_live(s, RoundEntry, entry_id, "hồ sơ trong đợt")
        if entry.result_status != "decided":
            raise OcopError("Hội đồng chưa kết luận sản phẩm này (hoặc hồ sơ bị loại); chưa thể công nhận.",
                            f"entry result {entry.result_status}")
        if (entry.result_star or 0) < 3:
            raise OcopError(f"Kết quả {entry.result_star} sao không đủ điều kiện công nhận sản phẩm OCOP.",
                            "below 3 stars")
        inst = s.get(Installation, 1)
        assert inst is not None
        if entry.result_star == 5 and inst.level != "central":
            raise OcopError("Sản phẩm 5 sao do Bộ trưởng Bộ Nông nghiệp và Môi trường công nhận; cấp tỉnh phê duyệt "
                            "kết quả và lập hồ sơ đề xuất.", "5 stars need central level")
        already = s.execute(select(col(Recognition.id)).where(col(Recognition.entry_id) == entry_id,
                                                              col(Recognition.deleted).is_(False))).first()
        if already:
            raise OcopError("Sản phẩm đã được công nhận theo kết quả này.", "already recognised")
        product = records.get_live(s, Product, entry.product_id, "sản phẩm")
        issued = issue_date or decision_date
        rec = Recognition(product_id=product.id, entry_id=entry.id, source="council", instrument="QĐ 26/2026/QĐ-TTg",
                          catalog_id=None, total=entry.result_mean, stars=entry.result_star or 0, decision_no=number,
                          decision_date=decision_date, certificate_no=cert, issue_date=issued,
                          expiry_date=add_months(issued, VALIDITY_MONTHS), owner_unit=inst.unit_code,
                          origin_device=inst.device_id)
        inst_row = current_installation(s)
        records.insert(s, inst_row, rec)
        projection.project(s.connection(), [product.id])
        return rec.id


def record_legacy(ctx: AppContext, product_id: str, instrument: str, total: str, stars: int, decision_no: str,
                  decision_date: date | None, certificate_no: str | None = None, issue_date: date | None = None) -> str:
    """Record a past result without a sheet (e.g. under QĐ 148/2023): total, stars, decision."""
    check = Checker()
    number, cert = _decision_fields(check, decision_no, decision_date, certificate_no, issue_date)
    clean_instrument = check.text("instrument", "Văn bản áp dụng", instrument, required=True, max_len=60)
    try:
        value = Decimal(total.replace(",", "."))
        if not 0 <= value <= 100:
            raise InvalidOperation
    except (InvalidOperation, AttributeError):
        check.errors["total"] = f"Tổng điểm '{total}' không hợp lệ (0–100, ví dụ 72,5)."
        value = Decimal(0)
    if stars not in (3, 4, 5):
        check.errors["stars"] = "Hạng sao được công nhận phải là 3, 4 hoặc 5."
    if check.errors:
        raise ValidationFailed(check.errors)
    assert decision_date is not None
    with write_session(ctx.engine) as s:
        product = records.get_live(s, Product, product_id, "sản phẩm")
        inst = current_installation(s)
        issued = issue_date or decision_date
        rec = Recognition(product_id=product.id, source="legacy", instrument=clean_instrument or "", total=str(value),
                          stars=stars, decision_no=number, decision_date=decision_date, certificate_no=cert,
                          issue_date=issued, expiry_date=add_months(issued, VALIDITY_MONTHS),
                          owner_unit=inst.unit_code, origin_device=inst.device_id)
        records.insert(s, inst, rec)
        projection.project(s.connection(), [product.id])
        return rec.id


def revoke(ctx: AppContext, recognition_id: str, reason: str, on: date | None = None) -> None:
    """Revoke a certificate (Điều 8): the recognition keeps its record with the date and reason."""
    why = nfc(reason or "")
    if not why:
        raise ValidationFailed({"reason": "Hãy ghi lý do thu hồi."})
    with write_session(ctx.engine) as s:
        rec = records.get_live(s, Recognition, recognition_id, "quyết định công nhận")
        if rec.revoked:
            raise OcopError("Giấy chứng nhận này đã bị thu hồi.", "already revoked")
        inst = current_installation(s)
        records.update(s, inst, rec, {"revoked": True, "revoked_date": on or date.today(), "revoked_reason": why},
                       action="revoke", note=why)
        projection.project(s.connection(), [rec.product_id])


def _view(rec: Recognition, name: str) -> RecognitionView:
    return RecognitionView(rec.id, rec.product_id, name, rec.stars, rec.decision_no, rec.decision_date,
                           rec.certificate_no, rec.issue_date, rec.expiry_date, rec.source, rec.instrument, rec.total,
                           rec.revoked, rec.revoked_reason)


def expiring(ctx: AppContext, within_days: int, today: date | None = None) -> list[RecognitionView]:
    """Valid certificates whose expiry falls within ``within_days`` from ``today`` (soonest first)."""
    start = today or date.today()
    end = start + timedelta(days=within_days)
    with read_session(ctx.engine) as s:
        rows = s.execute(select(Recognition, col(Product.name))
                         .join(Product, col(Product.id) == col(Recognition.product_id))
                         .where(col(Recognition.revoked).is_(False), col(Recognition.deleted).is_(False),
                                col(Recognition.expiry_date) >= start, col(Recognition.expiry_date) <= end)
                         .order_by(col(Recognition.expiry_date))).all()
    return [_view(rec, name) for rec, name in rows]


def recognition_for_entry(ctx: AppContext, entry_id: str) -> str | None:
    with read_session(ctx.engine) as s:
        row = s.execute(select(col(Recognition.id)).where(col(Recognition.entry_id) == entry_id,
                                                          col(Recognition.deleted).is_(False))).first()
    return str(row[0]) if row else None


def product_recognitions(ctx: AppContext, product_id: str) -> list[RecognitionView]:
    with read_session(ctx.engine) as s:
        rows = s.execute(select(Recognition, col(Product.name))
                         .join(Product, col(Product.id) == col(Recognition.product_id))
                         .where(col(Recognition.product_id) == product_id, col(Recognition.deleted).is_(False))
                         .order_by(col(Recognition.decision_date))).all()
    return [_view(rec, name) for rec, name in rows]
