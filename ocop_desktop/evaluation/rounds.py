"""Evaluation rounds, councils and their members, and the products entered into a round."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from database.engine import read_session, write_session
from database.tables import Council, CouncilMember, EvaluationRound, Product, RoundEntry, ScoreSheet
from ocop_desktop import records
from ocop_desktop.evaluation.catalog import DEFAULT_CATALOG, load_catalog
from ocop_desktop.infra.errors import OcopError, ValidationFailed
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.records.validation import Checker
from ocop_desktop.reference.vocab import DOSSIER_TYPES, MEMBER_ROLES, ROUND_LEVELS, ProductStatus, SheetStatus
from ocop_desktop.store.context import AppContext


@dataclass(frozen=True)
class RoundView:
    id: str
    level: str
    year: int
    number: int
    title: str
    start_date: date | None
    end_date: date | None
    catalog_id: str
    status: str


@dataclass(frozen=True)
class MemberView:
    id: str
    name: str
    role: str
    organisation: str | None


@dataclass(frozen=True)
class CouncilView:
    id: str
    round_id: str
    name: str
    decision_no: str | None
    decision_date: date | None
    members: tuple[MemberView, ...]


@dataclass(frozen=True)
class EntryView:
    id: str
    round_id: str
    product_id: str
    product_name: str
    product_code: str | None
    product_set: int
    council_id: str | None
    dossier_type: str
    sheets_submitted: int
    elimination_key: str | None
    elimination_text: str | None
    result_status: str | None
    result_mean: str | None
    result_star: int | None


def create_round(ctx: AppContext, year: int, number: int, level: str, title: str,
                 start_date: date | None = None, end_date: date | None = None,
                 catalog_id: str = DEFAULT_CATALOG) -> str:
    check = Checker()
    check.integer("year", "Năm", year, 2000, 2100)
    check.integer("number", "Số đợt", number, 1, 99)
    check.choice("level", "Cấp đánh giá", level, ROUND_LEVELS)
    clean_title = check.text("title", "Tên đợt", title, required=True)
    if start_date and end_date and end_date < start_date:
        check.errors["end_date"] = "Ngày kết thúc phải sau ngày bắt đầu."
    if check.errors:
        raise ValidationFailed(check.errors)
    catalog = load_catalog(catalog_id, ctx.catalogs_dir)
    with write_session(ctx.engine) as s:
        inst = current_installation(s)
        row = EvaluationRound(level=level, year=year, number=number, title=clean_title or "", start_date=start_date,
                              end_date=end_date, catalog_id=catalog.id, owner_unit=inst.unit_code,
                              origin_device=inst.device_id)
        records.insert(s, inst, row)
        return row.id


def list_rounds(ctx: AppContext) -> list[RoundView]:
    with read_session(ctx.engine) as s:
        rows = s.scalars(select(EvaluationRound).where(col(EvaluationRound.deleted).is_(False))
                      .order_by(col(EvaluationRound.year).desc(), col(EvaluationRound.number).desc())).all()
        return [RoundView(r.id, r.level, r.year, r.number, r.title, r.start_date, r.end_date, r.catalog_id, r.status)
                for r in rows]


def get_round(ctx: AppContext, round_id: str) -> RoundView:
    with read_session(ctx.engine) as s:
        r = records.get_live(s, EvaluationRound, round_id, "đợt đánh giá")
        return RoundView(r.id, r.level, r.year, r.number, r.title, r.start_date, r.end_date, r.catalog_id, r.status)


def create_council(ctx: AppContext, round_id: str, name: str, decision_no: str | None = None,
                   decision_date: date | None = None,
                   members: list[tuple[str, str, str | None]] | None = None) -> str:
    """A council with its members as (name, role, organisation); exactly one chair."""
    check = Checker()
    clean_name = check.text("name", "Tên hội đồng", name, required=True)
    clean_decision = check.text("decision_no", "Số quyết định thành lập", decision_no, max_len=60)
    member_rows = []
    for i, (member, role, org) in enumerate(members or []):
        m = check.text(f"member_{i}", f"Thành viên {i + 1}", member, required=True, max_len=120)
        check.choice(f"role_{i}", f"Vai trò thành viên {i + 1}", role, MEMBER_ROLES)
        member_rows.append((m, role, check.text(f"org_{i}", "Cơ quan", org)))
    if members is not None and sum(1 for _, r, _ in members if r == "chair") != 1:
        check.errors["members"] = "Hội đồng phải có đúng một Chủ tịch."
    if check.errors:
        raise ValidationFailed(check.errors)
    with write_session(ctx.engine) as s:
        records.get_live(s, EvaluationRound, round_id, "đợt đánh giá")
        inst = current_installation(s)
        council = Council(round_id=round_id, name=clean_name or "", decision_no=clean_decision,
                          decision_date=decision_date, owner_unit=inst.unit_code, origin_device=inst.device_id)
        records.insert(s, inst, council)
        for position, (m, role, org) in enumerate(member_rows):
            records.insert(s, inst, CouncilMember(council_id=council.id, name=m or "", role=role, organisation=org,
                                                  position=position, owner_unit=inst.unit_code,
                                                  origin_device=inst.device_id))
        return council.id


def _members(s: Any, council_id: str) -> tuple[MemberView, ...]:
    rows = s.scalars(select(CouncilMember).where(col(CouncilMember.council_id) == council_id,
                                              col(CouncilMember.deleted).is_(False))
                  .order_by(col(CouncilMember.position))).all()
    return tuple(MemberView(m.id, m.name, m.role, m.organisation) for m in rows)


def get_council(ctx: AppContext, council_id: str) -> CouncilView:
    with read_session(ctx.engine) as s:
        c = records.get_live(s, Council, council_id, "hội đồng")
        return CouncilView(c.id, c.round_id, c.name, c.decision_no, c.decision_date, _members(s, c.id))


def list_councils(ctx: AppContext, round_id: str) -> list[CouncilView]:
    with read_session(ctx.engine) as s:
        rows = s.scalars(select(Council).where(col(Council.round_id) == round_id, col(Council.deleted).is_(False))
                      .order_by(col(Council.name))).all()
        return [CouncilView(c.id, c.round_id, c.name, c.decision_no, c.decision_date, _members(s, c.id)) for c in rows]


def add_entry(ctx: AppContext, round_id: str, product_id: str, council_id: str | None,
              dossier_type: str = "first") -> str:
    """Enter a product into a round (once), with its dossier type and the council that scores it."""
    check = Checker()
    check.choice("dossier_type", "Loại hồ sơ", dossier_type, DOSSIER_TYPES)
    if check.errors:
        raise ValidationFailed(check.errors)
    with write_session(ctx.engine) as s:
        records.get_live(s, EvaluationRound, round_id, "đợt đánh giá")
        product = records.get_live(s, Product, product_id, "sản phẩm")
        if council_id:
            council = records.get_live(s, Council, council_id, "hội đồng")
            if council.round_id != round_id:
                raise OcopError("Hội đồng đã chọn không thuộc đợt đánh giá này.", "council of another round")
        already = s.execute(select(func.count()).where(
            col(RoundEntry.round_id) == round_id, col(RoundEntry.product_id) == product_id,
            col(RoundEntry.deleted).is_(False))).scalar_one()
        if already:
            raise OcopError(f"Sản phẩm '{product.name}' đã có trong đợt đánh giá này.", "product already in round")
        inst = current_installation(s)
        row = RoundEntry(round_id=round_id, product_id=product_id, council_id=council_id,
                         product_set=product.product_set, dossier_type=dossier_type,
                         owner_unit=inst.unit_code, origin_device=inst.device_id)
        records.insert(s, inst, row)
        # the product row belongs to the unit that created it: a province entering a commune's product
        # writes only its own entry (writing the product would make the commune's next edit a conflict)
        before_round = (ProductStatus.DRAFT, ProductStatus.REGISTERED, ProductStatus.COMMUNE_REVIEWED)
        if product.owner_unit == inst.unit_code and product.status in before_round:
            records.update(s, inst, product, {"status": ProductStatus.EVALUATING})
        return row.id


@dataclass(frozen=True)
class CommuneReview:
    review_no: str | None
    review_date: date | None
    raw_material: str | None
    local_labour: str | None
    idea_origin: str | None
    local_identity: str | None
    proposes: bool | None


def get_commune_review(ctx: AppContext, entry_id: str) -> CommuneReview:
    with read_session(ctx.engine) as s:
        e = records.get_live(s, RoundEntry, entry_id, "hồ sơ trong đợt")
        return CommuneReview(e.review_no, e.review_date, e.review_raw_material, e.review_local_labour,
                             e.review_idea_origin, e.review_local_identity, e.review_proposes)


def set_commune_review(ctx: AppContext, entry_id: str, *, review_no: str | None, review_date: date | None,
                       raw_material: str | None, local_labour: str | None, idea_origin: str | None,
                       local_identity: str | None, proposes: bool | None) -> None:
    """The commune's report (Mẫu 03): the four assessments and whether it proposes evaluation."""
    check = Checker()
    review_no = check.text("review_no", "Số báo cáo", review_no, max_len=60)
    texts = {key: check.text(key, label, value, max_len=4000) for key, label, value in (
        ("raw_material", "Nguồn nguyên liệu", raw_material), ("local_labour", "Lao động địa phương", local_labour),
        ("idea_origin", "Nguồn gốc ý tưởng", idea_origin), ("local_identity", "Bản sắc địa phương", local_identity))}
    if review_date and review_date > date.today():
        check.errors["review_date"] = "Ngày báo cáo không được ở tương lai."
    if check.errors:
        raise ValidationFailed(check.errors)
    raw_material, local_labour = texts["raw_material"], texts["local_labour"]
    idea_origin, local_identity = texts["idea_origin"], texts["local_identity"]
    with write_session(ctx.engine) as s:
        row = records.get_live(s, RoundEntry, entry_id, "hồ sơ trong đợt")
        records.update(s, current_installation(s), row, {
            "review_no": review_no, "review_date": review_date, "review_raw_material": raw_material,
            "review_local_labour": local_labour, "review_idea_origin": idea_origin,
            "review_local_identity": local_identity, "review_proposes": proposes,
        })


def set_elimination(ctx: AppContext, entry_id: str, ground_key: str | None) -> None:
    """Mark the dossier rejected on one of its set's grounds (or clear the mark with None)."""
    with write_session(ctx.engine) as s:
        row = records.get_live(s, RoundEntry, entry_id, "hồ sơ trong đợt")
        text = None
        if ground_key is not None:
            rnd = s.get(EvaluationRound, row.round_id)
            assert rnd is not None
            cset = load_catalog(rnd.catalog_id, ctx.catalogs_dir).set(row.product_set)
            matches = [g for g in cset.grounds if g.key == ground_key]
            if not matches:
                raise OcopError(f"Bộ sản phẩm {row.product_set} không có căn cứ loại hồ sơ '{ground_key}'.",
                                f"no ground {ground_key}")
            text = matches[0].text
        records.update(s, current_installation(s), row, {"elimination_key": ground_key, "elimination_text": text})


def list_entries(ctx: AppContext, round_id: str, council_id: str | None = None) -> list[EntryView]:
    submitted = (
        select(func.count()).where(col(ScoreSheet.entry_id) == col(RoundEntry.id),
                                   col(ScoreSheet.status) != SheetStatus.DRAFT, col(ScoreSheet.superseded).is_(False),
                                   col(ScoreSheet.deleted).is_(False))
        .correlate(RoundEntry).scalar_subquery()
    )
    stmt = (select(RoundEntry, col(Product.name), col(Product.code), submitted)
            .join(Product, col(Product.id) == col(RoundEntry.product_id))
            .where(col(RoundEntry.round_id) == round_id, col(RoundEntry.deleted).is_(False)))
    if council_id:
        stmt = stmt.where(col(RoundEntry.council_id) == council_id)
    with read_session(ctx.engine) as s:
        rows = s.execute(stmt.order_by(col(Product.name))).all()
    return [EntryView(e.id, e.round_id, e.product_id, name, code, e.product_set, e.council_id, e.dossier_type,
                      int(n), e.elimination_key, e.elimination_text, e.result_status, e.result_mean, e.result_star)
            for e, name, code, n in rows]


def get_entry(ctx: AppContext, entry_id: str) -> EntryView:
    with read_session(ctx.engine) as s:
        e = records.get_live(s, RoundEntry, entry_id, "hồ sơ trong đợt")
        round_id = e.round_id
    for view in list_entries(ctx, round_id):
        if view.id == entry_id:
            return view
    raise OcopError("Không tìm thấy hồ sơ trong đợt.", f"entry {entry_id}")
