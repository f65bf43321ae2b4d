"""Council results from the stored sheets: compute, adopt (locking the sheets) and re-score."""

from __future__ import annotations

import json
from fractions import Fraction

from sqlalchemy import select
from sqlmodel import Session, col

from database.engine import read_session, write_session
from database.tables import Council, CouncilMember, EvaluationRound, RoundEntry, ScoreSheet
from ocop_desktop import records
from ocop_desktop.evaluation.catalog import Ground, load_catalog
from ocop_desktop.evaluation.policy import scoring_policy
from ocop_desktop.evaluation.rounds import EntryView, list_entries
from ocop_desktop.evaluation.scoring import CouncilResult, SheetInput, council_result
from ocop_desktop.evaluation.sheets import active_sheet_id
from ocop_desktop.infra.errors import OcopError
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.reference.vocab import SheetStatus
from ocop_desktop.store.context import AppContext


def _result(session: Session, ctx: AppContext, entry: RoundEntry) -> CouncilResult:
    if not entry.council_id:
        raise OcopError("Sản phẩm chưa được giao cho hội đồng nào.", "entry without council")
    rnd = session.get(EvaluationRound, entry.round_id)
    assert rnd is not None
    catalog = load_catalog(rnd.catalog_id, ctx.catalogs_dir)
    cset = catalog.set(entry.product_set)
    members = session.scalars(select(CouncilMember).where(col(CouncilMember.council_id) == entry.council_id,
                                                          col(CouncilMember.deleted).is_(False))).all()
    names = {m.id: m.name for m in members}
    sheets = session.scalars(select(ScoreSheet).where(
        col(ScoreSheet.entry_id) == entry.id, col(ScoreSheet.status) != SheetStatus.DRAFT,
        col(ScoreSheet.superseded).is_(False), col(ScoreSheet.deleted).is_(False))).all()
    for sheet in sheets:
        if sheet.catalog_hash != catalog.hash:
            raise OcopError(f"Phiếu của '{names.get(sheet.member_id, '?')}' được chấm theo phiên bản khác của bộ "
                            "tiêu chí; hội đồng cần chấm lại.", "sheet of another catalog version")
    ground = Ground(entry.elimination_key, entry.elimination_text or "") if entry.elimination_key else None
    ordered = sorted(sheets, key=lambda sh: [m.id for m in members].index(sh.member_id)
                     if sh.member_id in names else 999)
    inputs = [SheetInput(names.get(sh.member_id, sh.member_id), json.loads(sh.answers)) for sh in ordered]
    return council_result(cset, inputs, len(members), scoring_policy(ctx), ground)


def entry_result(ctx: AppContext, entry_id: str) -> CouncilResult:
    with read_session(ctx.engine) as s:
        entry = records.get_live(s, RoundEntry, entry_id, "hồ sơ trong đợt")
        return _result(s, ctx, entry)


def council_results(ctx: AppContext, council_id: str) -> list[tuple[EntryView, CouncilResult]]:
    with read_session(ctx.engine) as s:
        council = records.get_live(s, Council, council_id, "hội đồng")
        round_id = council.round_id
    return [(e, entry_result(ctx, e.id)) for e in list_entries(ctx, round_id, council_id)]


def adopt_result(ctx: AppContext, entry_id: str) -> CouncilResult:
    """The council concludes: the result is stored with the entry and its sheets are locked."""
    with write_session(ctx.engine) as s:
        entry = records.get_live(s, RoundEntry, entry_id, "hồ sơ trong đợt")
        if entry.result_status:
            raise OcopError("Hội đồng đã kết luận sản phẩm này.", "already adopted")
        result = _result(s, ctx, entry)
        if not result.decidable:
            raise OcopError("Chưa thể kết luận: " + " ".join(result.explanation()[-1:]), f"not decidable: {result.status}")
        inst = current_installation(s)
        mean = None if result.mean is None else f"{result.mean.numerator}/{result.mean.denominator}"
        records.update(s, inst, entry, {
            "result_status": result.status, "result_mean": mean, "result_star": result.final_star,
            "result_explanation": "\n".join(result.explanation()),
        })
        for sheet in s.scalars(select(ScoreSheet).where(col(ScoreSheet.entry_id) == entry.id,
                                                        col(ScoreSheet.status) == SheetStatus.SUBMITTED,
                                                        col(ScoreSheet.superseded).is_(False))).all():
            records.update(s, inst, sheet, {"status": SheetStatus.LOCKED})
        return result


def rescore(ctx: AppContext, entry_id: str, reason: str) -> list[str]:
    """After a spread failure: keep the submitted sheets as superseded and open new drafts with the
    same answers for every member, so each can change and resubmit."""
    if not reason.strip():
        raise OcopError("Hãy ghi lý do chấm lại.", "rescore without reason")
    created = []
    with write_session(ctx.engine) as s:
        entry = records.get_live(s, RoundEntry, entry_id, "hồ sơ trong đợt")
        if entry.result_status:
            raise OcopError("Hội đồng đã kết luận sản phẩm này; không chấm lại.", "already adopted")
        inst = current_installation(s)
        old = s.scalars(select(ScoreSheet).where(col(ScoreSheet.entry_id) == entry.id,
                                                 col(ScoreSheet.superseded).is_(False),
                                                 col(ScoreSheet.deleted).is_(False))).all()
        for sheet in old:
            records.update(s, inst, sheet, {"superseded": True}, action="supersede", note=reason.strip())
            fresh = ScoreSheet(entry_id=sheet.entry_id, member_id=sheet.member_id, catalog_id=sheet.catalog_id,
                               catalog_hash=sheet.catalog_hash, product_set=sheet.product_set, answers=sheet.answers,
                               comment=sheet.comment, owner_unit=inst.unit_code, origin_device=inst.device_id)
            records.insert(s, inst, fresh)
            created.append(fresh.id)
        assert all(active_sheet_id(s, entry.id, sh.member_id) for sh in old)
    return created


def stored_mean(entry: EntryView) -> Fraction | None:
    return Fraction(entry.result_mean) if entry.result_mean else None
