"""Score sheets: one per member per product, draft → submitted → locked, saved answer by answer.

Every answer is written as it is given (a crash loses nothing). A submitted sheet changes only
through :func:`reopen_sheet`, which needs a reason and is audited. A sheet stays bound to the
catalog id and hash it was started under; a sheet of another catalog version is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from database.base import utcnow
from database.engine import read_session, write_session
from database.tables import CouncilMember, EvaluationRound, Product, RoundEntry, ScoreSheet
from ocop_desktop import records
from ocop_desktop.evaluation.catalog import CatalogSet, check_answers, load_catalog
from ocop_desktop.evaluation.scoring import unanswered
from ocop_desktop.infra.errors import OcopError, ValidationFailed
from ocop_desktop.infra.jsontext import canonical
from ocop_desktop.language.text import nfc
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.reference.vocab import SheetStatus
from ocop_desktop.store.context import AppContext


@dataclass(frozen=True)
class SheetView:
    id: str
    entry_id: str
    member_id: str
    member_name: str
    product_name: str
    catalog_id: str
    catalog_hash: str
    product_set: int
    answers: dict[str, int]
    comment: str | None
    status: str


def catalog_set_of(ctx: AppContext, session: Session, entry: RoundEntry) -> tuple[str, str, CatalogSet]:
    rnd = session.get(EvaluationRound, entry.round_id)
    assert rnd is not None
    catalog = load_catalog(rnd.catalog_id, ctx.catalogs_dir)
    return catalog.id, catalog.hash, catalog.set(entry.product_set)


def _check_version(ctx: AppContext, sheet: ScoreSheet) -> CatalogSet:
    catalog = load_catalog(sheet.catalog_id, ctx.catalogs_dir)
    if catalog.hash != sheet.catalog_hash:
        raise OcopError(
            f"Phiếu này được chấm theo một phiên bản khác của bộ tiêu chí '{sheet.catalog_id}'; "
            "không thể sửa bằng phiên bản hiện tại.",
            f"sheet {sheet.id} hash {sheet.catalog_hash[:12]} != catalog {catalog.hash[:12]}",
        )
    return catalog.set(sheet.product_set)


def active_sheet_id(session: Session, entry_id: str, member_id: str) -> str | None:
    row = session.execute(select(col(ScoreSheet.id)).where(
        col(ScoreSheet.entry_id) == entry_id, col(ScoreSheet.member_id) == member_id,
        col(ScoreSheet.superseded).is_(False), col(ScoreSheet.deleted).is_(False))).first()
    return str(row[0]) if row else None


def new_sheet(ctx: AppContext, session: Session, entry: RoundEntry, member: CouncilMember, answers: dict[str, int],
               comment: str | None = None) -> ScoreSheet:
    if member.council_id != entry.council_id:
        raise OcopError(f"Thành viên '{member.name}' không thuộc hội đồng chấm sản phẩm này.",
                        "member of another council")
    if entry.elimination_key:
        raise OcopError("Hồ sơ đã bị loại; không chấm điểm.", "entry eliminated")
    if entry.result_status:
        raise OcopError("Hội đồng đã kết luận sản phẩm này; không thêm phiếu.", "entry already decided")
    if active_sheet_id(session, entry.id, member.id):
        raise OcopError(f"Thành viên '{member.name}' đã có phiếu cho sản phẩm này.", "duplicate sheet")
    catalog_id, catalog_hash, _ = catalog_set_of(ctx, session, entry)
    inst = current_installation(session)
    sheet = ScoreSheet(entry_id=entry.id, member_id=member.id, catalog_id=catalog_id, catalog_hash=catalog_hash,
                       product_set=entry.product_set, answers=canonical(answers), comment=comment,
                       owner_unit=inst.unit_code, origin_device=inst.device_id)
    records.insert(session, inst, sheet)
    return sheet


def start_sheet(ctx: AppContext, entry_id: str, member_id: str) -> str:
    """A new draft sheet for this member and product; refused if one exists already."""
    with write_session(ctx.engine) as s:
        entry = records.get_live(s, RoundEntry, entry_id, "hồ sơ trong đợt")
        member = records.get_live(s, CouncilMember, member_id, "thành viên hội đồng")
        return new_sheet(ctx, s, entry, member, {}).id


def open_or_start_sheet(ctx: AppContext, entry_id: str, member_id: str) -> str:
    with read_session(ctx.engine) as s:
        existing = active_sheet_id(s, entry_id, member_id)
    return existing or start_sheet(ctx, entry_id, member_id)


def get_sheet(ctx: AppContext, sheet_id: str) -> SheetView:
    with read_session(ctx.engine) as s:
        sheet = records.get_live(s, ScoreSheet, sheet_id, "phiếu đánh giá")
        member = s.get(CouncilMember, sheet.member_id)
        entry = s.get(RoundEntry, sheet.entry_id)
        product = s.get(Product, entry.product_id) if entry else None
        return SheetView(sheet.id, sheet.entry_id, sheet.member_id, member.name if member else "",
                         product.name if product else "", sheet.catalog_id, sheet.catalog_hash, sheet.product_set,
                         json.loads(sheet.answers), sheet.comment, sheet.status)


def _editable(ctx: AppContext, session: Session, sheet_id: str) -> tuple[ScoreSheet, CatalogSet]:
    sheet = records.get_live(session, ScoreSheet, sheet_id, "phiếu đánh giá")
    if sheet.superseded:
        raise OcopError("Phiếu này đã được thay bằng phiếu chấm lại.", "sheet superseded")
    if sheet.status != SheetStatus.DRAFT:
        raise OcopError("Phiếu đã nộp hoặc đã khóa; muốn sửa phải mở lại phiếu (có ghi lý do).",
                        f"sheet {sheet_id} is {sheet.status}")
    return sheet, _check_version(ctx, sheet)


def save_answer(ctx: AppContext, sheet_id: str, code: str, option: int | None) -> None:
    """Record one answer (``None`` clears it) in its own transaction."""
    with write_session(ctx.engine) as s:
        sheet, cset = _editable(ctx, s, sheet_id)
        answers: dict[str, int] = json.loads(sheet.answers)
        if option is None:
            answers.pop(code, None)
        else:
            problems = check_answers(cset, {code: option})
            if problems:
                raise OcopError("Lựa chọn không hợp lệ: " + "; ".join(problems), f"bad answer {code}={option}")
            answers[code] = option
        records.update(s, current_installation(s), sheet, {"answers": canonical(answers)})


def save_comment(ctx: AppContext, sheet_id: str, comment: str) -> None:
    with write_session(ctx.engine) as s:
        sheet, _ = _editable(ctx, s, sheet_id)
        records.update(s, current_installation(s), sheet, {"comment": nfc(comment) or None})


def submit_sheet(ctx: AppContext, sheet_id: str) -> None:
    """Submit a complete sheet; the unanswered criteria are named if any."""
    with write_session(ctx.engine) as s:
        sheet, cset = _editable(ctx, s, sheet_id)
        missing = unanswered(cset, json.loads(sheet.answers))
        if missing:
            raise ValidationFailed({"answers": f"Chưa chấm {len(missing)} tiêu chí: {', '.join(missing)}."})
        records.update(s, current_installation(s), sheet, {"status": SheetStatus.SUBMITTED, "submitted_at": utcnow()})


def reopen_sheet(ctx: AppContext, sheet_id: str, reason: str) -> None:
    """Return a submitted sheet to draft; the reason is kept in the audit log."""
    why = nfc(reason or "")
    if not why:
        raise ValidationFailed({"reason": "Hãy ghi lý do mở lại phiếu."})
    with write_session(ctx.engine) as s:
        sheet = records.get_live(s, ScoreSheet, sheet_id, "phiếu đánh giá")
        if sheet.status == SheetStatus.LOCKED:
            raise OcopError("Phiếu đã khóa vì hội đồng đã kết luận; không mở lại được.", "sheet locked")
        if sheet.status != SheetStatus.SUBMITTED:
            raise OcopError("Phiếu chưa nộp; không cần mở lại.", "sheet not submitted")
        records.update(s, current_installation(s), sheet, {"status": SheetStatus.DRAFT, "submitted_at": None},
                       action="reopen", note=why)


def list_sheets(ctx: AppContext, entry_id: str, include_superseded: bool = False) -> list[SheetView]:
    with read_session(ctx.engine) as s:
        stmt = select(col(ScoreSheet.id)).where(col(ScoreSheet.entry_id) == entry_id, col(ScoreSheet.deleted).is_(False))
        if not include_superseded:
            stmt = stmt.where(col(ScoreSheet.superseded).is_(False))
        ids = [str(r[0]) for r in s.execute(stmt).all()]
    return [get_sheet(ctx, i) for i in ids]
