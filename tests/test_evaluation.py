"""The evaluation cycle in the store: round, council, sheets, result, adoption, recognition."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import pytest

from database.migrate import DB_FILENAME
from ocop_desktop.evaluation import recognition, results, sheet_files, sheets
from ocop_desktop.evaluation import rounds as evaluation
from ocop_desktop.evaluation.catalog import load_catalog
from ocop_desktop.evaluation.policy import scoring_policy, set_scoring_policy
from ocop_desktop.evaluation.rounds import MemberView
from ocop_desktop.infra.errors import OcopError, ValidationFailed
from ocop_desktop.records import audit
from ocop_desktop.registry.products import get_product
from ocop_desktop.store.context import AppContext
from tests.conftest import CouncilCase
from tests.scoring_helpers import answers_for

SET7 = load_catalog().set(7)


@pytest.fixture
def setup(council_case: CouncilCase) -> CouncilCase:
    return council_case


def fill(ctx: AppContext, entry: str, members: Sequence[MemberView], totals: list[int],
         meet_level: int = 4) -> list[str]:
    ids = []
    for member, total in zip(members, totals, strict=False):
        sheet = sheets.start_sheet(ctx, entry, member.id)
        for code, option in answers_for(SET7, total, meet_level).items():
            sheets.save_answer(ctx, sheet, code, option)
        sheets.submit_sheet(ctx, sheet)
        ids.append(sheet)
    return ids


def test_council_needs_one_chair(ctx: AppContext, setup: CouncilCase) -> None:
    _, _, rnd, *_ = setup
    with pytest.raises(ValidationFailed) as info:
        evaluation.create_council(ctx, rnd, "HĐ thiếu chủ tịch", members=[("A", "member", None)])
    assert "đúng một Chủ tịch" in info.value.errors["members"]


def test_full_cycle_to_recognition(setup: CouncilCase) -> None:
    ctx, product, _rnd, council, entry, members = setup
    assert get_product(ctx, product).status == "evaluating"
    fill(ctx, entry, members, [80, 78, 82, 80, 79, 81, 80])
    [(view, result)] = results.council_results(ctx, council)
    assert view.sheets_submitted == 7 and result.mean == 80 and result.final_star == 4 and result.recognisable
    adopted = results.adopt_result(ctx, entry)
    assert adopted.final_star == 4
    assert all(s.status == "locked" for s in sheets.list_sheets(ctx, entry))
    with pytest.raises(OcopError):
        sheets.reopen_sheet(ctx, sheets.list_sheets(ctx, entry)[0].id, "sửa")
    rec_id = recognition.recognise(ctx, entry, "456/QĐ-UBND", date(2026, 11, 20), "12/2026/GCN", None)
    got = get_product(ctx, product)
    assert (got.status, got.star, got.certificate_expiry) == ("recognised", 4, date(2029, 11, 20))
    with pytest.raises(OcopError):
        recognition.recognise(ctx, entry, "457/QĐ-UBND", date(2026, 11, 20), None, None)
    soon = recognition.expiring(ctx, 365 * 3 + 5, today=date(2026, 11, 28))
    assert [r.id for r in soon] == [rec_id]
    assert recognition.reevaluation_window(date(2029, 11, 20)) == (date(2029, 5, 24), date(2029, 7, 23))
    recognition.revoke(ctx, rec_id, "Ngừng sản xuất", date(2027, 1, 5))
    assert get_product(ctx, product).status == "revoked"
    assert recognition.expiring(ctx, 5000, today=date(2026, 11, 28)) == []


def test_sheet_rules(setup: CouncilCase) -> None:
    ctx, _product, _rnd, _council, entry, members = setup
    sheet = sheets.start_sheet(ctx, entry, members[0].id)
    with pytest.raises(OcopError) as info:
        sheets.start_sheet(ctx, entry, members[0].id)
    assert "đã có phiếu" in info.value.message_vi
    with pytest.raises(OcopError):
        sheets.save_answer(ctx, sheet, "1.1", 9)
    with pytest.raises(OcopError):
        sheets.save_answer(ctx, sheet, "99.9", 1)
    sheets.save_answer(ctx, sheet, "1.1", 2)
    assert sheets.get_sheet(ctx, sheet).answers == {"1.1": 2}
    with pytest.raises(ValidationFailed) as missing:
        sheets.submit_sheet(ctx, sheet)
    assert "Chưa chấm 30 tiêu chí: 1.2, 1.3" in missing.value.errors["answers"]  # 5.2 waits for 5.1
    assert "5.2" not in missing.value.errors["answers"]
    for code, option in answers_for(SET7, 75, 4).items():
        sheets.save_answer(ctx, sheet, code, option)
    sheets.submit_sheet(ctx, sheet)
    with pytest.raises(OcopError):
        sheets.save_answer(ctx, sheet, "1.1", 1)  # submitted: only through reopen
    with pytest.raises(ValidationFailed):
        sheets.reopen_sheet(ctx, sheet, "  ")
    sheets.reopen_sheet(ctx, sheet, "Thành viên nhập nhầm tiêu chí 1.1")
    last = audit.history(ctx.engine, sheet)[-1]
    assert last.action == "reopen" and "nhập nhầm" in (last.after or "")
    sheets.save_answer(ctx, sheet, "1.1", 1)


def test_sheet_of_another_catalog_version_is_refused(setup: CouncilCase) -> None:
    ctx, _product, _rnd, _council, entry, members = setup
    sheet = sheets.start_sheet(ctx, entry, members[0].id)
    ctx.engine.dispose()
    conn = sqlite3.connect(ctx.data_dir / DB_FILENAME)
    conn.execute("UPDATE score_sheet SET catalog_hash = ? WHERE id = ?", ("0" * 64, sheet))
    conn.commit()
    conn.close()
    with pytest.raises(OcopError) as info:
        sheets.save_answer(ctx, sheet, "1.1", 1)
    assert "phiên bản khác" in info.value.message_vi


def test_spread_then_rescore_keeps_the_old_sheets(setup: CouncilCase) -> None:
    ctx, _product, _rnd, _council, entry, members = setup
    fill(ctx, entry, members[:5], [70, 72, 75, 79, 81])
    result = results.entry_result(ctx, entry)
    assert result.status == "spread" and result.spread == 11
    with pytest.raises(OcopError):
        results.adopt_result(ctx, entry)
    fresh = results.rescore(ctx, entry, "Chênh lệch 11 điểm, hội đồng thảo luận")
    assert len(fresh) == 5
    assert len(sheets.list_sheets(ctx, entry, include_superseded=True)) == 10
    assert all(s.status == "draft" for s in sheets.list_sheets(ctx, entry))
    assert results.entry_result(ctx, entry).sheets == []


def test_elimination_and_policy(setup: CouncilCase) -> None:
    ctx, _product, _rnd, _council, entry, _members = setup
    with pytest.raises(OcopError):
        evaluation.set_elimination(ctx, entry, "9.9")
    evaluation.set_elimination(ctx, entry, "set")
    result = results.adopt_result(ctx, entry)
    assert result.status == "eliminated"
    with pytest.raises(OcopError):
        recognition.recognise(ctx, entry, "1/QĐ", date(2026, 11, 1), None, None)
    set_scoring_policy(ctx, "3/4", 8, "all")
    policy = scoring_policy(ctx)
    assert (str(policy.quorum), policy.spread_limit, policy.consolidation) == ("3/4", 8, "all")
    with pytest.raises(ValidationFailed):
        set_scoring_policy(ctx, "3/0", 8, "all")


def test_import_sheets_all_or_nothing(setup: CouncilCase, tmp_path: Path) -> None:
    ctx, _product, _rnd, _council, entry, members = setup
    good = [{"entry": entry, "member": m.id, "answers": answers_for(SET7, 85, 4)} for m in members[:6]]
    bad = {"entry": entry, "member": members[6].id, "answers": {**answers_for(SET7, 85, 4), "1.1": 7}}
    with pytest.raises(ValidationFailed) as info:
        sheet_files.import_sheets(ctx, {"format": "ocop-sheets/1", "sheets": [*good, bad]})
    assert any("tiêu chí 1.1: lựa chọn '7' không có" in e for e in info.value.errors.values())
    assert sheets.list_sheets(ctx, entry) == []
    wrong = {"format": "ocop-sheets/1", "catalog": "qd26-2026", "catalog_hash": "f" * 64, "sheets": good}
    with pytest.raises(ValidationFailed):
        sheet_files.import_sheets(ctx, wrong)
    dup = {"format": "ocop-sheets/1", "sheets": [good[0], good[0]]}
    with pytest.raises(ValidationFailed):
        sheet_files.import_sheets(ctx, dup)
    assert len(sheet_files.import_sheets(ctx, {"format": "ocop-sheets/1", "sheets": good})) == 6
    assert results.entry_result(ctx, entry).final_star == 4


def test_five_stars_are_proposed_not_recognised_by_the_province(setup: CouncilCase) -> None:
    ctx, _product, _rnd, _council, entry, members = setup
    fill(ctx, entry, members, [95] * 7, meet_level=5)
    result = results.adopt_result(ctx, entry)
    assert result.propose_central
    with pytest.raises(OcopError) as info:
        recognition.recognise(ctx, entry, "1/QĐ", date(2026, 11, 1), None, None)
    assert "Bộ trưởng" in info.value.message_vi


def test_legacy_result_without_a_sheet(setup: CouncilCase) -> None:
    ctx, product, *_ = setup
    with pytest.raises(ValidationFailed) as info:
        recognition.record_legacy(ctx, product, "QĐ 148/QĐ-TTg", "bảy mươi", 4, "1/QĐ", date(2024, 3, 1))
    assert "total" in info.value.errors
    rec = recognition.record_legacy(ctx, product, "QĐ 148/QĐ-TTg", "72,5", 4, "99/QĐ-UBND", date(2024, 3, 1), "7/GCN")
    [view] = recognition.product_recognitions(ctx, product)
    assert (view.id, view.total, view.stars, view.source, view.expiry_date) == (rec, "72.5", 4, "legacy", date(2027, 3, 1))
    assert get_product(ctx, product).star == 4


def test_demo_has_recognitions_that_expire(demo_ctx: AppContext) -> None:
    soon = recognition.expiring(demo_ctx, 180, today=date(2026, 6, 1))
    assert soon and all(r.expiry_date is not None and date(2026, 6, 1) <= r.expiry_date <= date(2026, 6, 1)
                        + timedelta(days=180) for r in soon)
    assert [r.expiry_date for r in soon] == sorted(r.expiry_date for r in soon if r.expiry_date)  # soonest first
    assert all(r.stars in (3, 4, 5) for r in soon)
