"""Test gaps of issue 12 (item 8) outside sync: every audited field is under the hash, spreadsheet
text that starts like a formula stays text, and the province's scoring policy decides real results."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest

from database.migrate import DB_FILENAME
from ocop_desktop.evaluation import results, sheets
from ocop_desktop.evaluation.catalog import load_catalog
from ocop_desktop.evaluation.policy import set_scoring_policy
from ocop_desktop.evaluation.rounds import list_entries
from ocop_desktop.infra.errors import OcopError
from ocop_desktop.records import audit
from ocop_desktop.registry.producers import ProducerData, save_producer
from ocop_desktop.reports import spreadsheets as export_xlsx
from tests.scoring_helpers import answers_for

SET7 = load_catalog().set(7)


def _raw(ctx: Any) -> sqlite3.Connection:
    ctx.engine.dispose()
    return sqlite3.connect(ctx.data_dir / DB_FILENAME)


# 2. the audit hash covers every field ----------------------------------------------------------

TAMPERED: dict[str, Callable[[str], str]] = {
    "at": lambda v: v[:17] + ("00" if v[17:19] != "00" else "01") + v[19:],  # another second
    "device_id": lambda v: "f" * 32 if v != "f" * 32 else "e" * 32,
    "action": lambda v: "delete" if v != "delete" else "update",
    "table_name": lambda v: "product" if v != "product" else "producer",
    "record_id": lambda v: "0" * 32 if v != "0" * 32 else "1" * 32,
    "actor": lambda v: "Kẻ giả mạo",
    "before": lambda v: v.replace("Chủ thể 1", "Chủ thể X"),
    "after": lambda v: v.replace("HTX đổi tên", "HTX đổi tên khác"),
}


@pytest.mark.parametrize("column", list(TAMPERED))
def test_tampering_any_audited_field_names_that_entry(ctx: Any, column: str) -> None:
    save_producer(ctx, ProducerData(name="Chủ thể 0", legal_type="htx", commune_code="30037"))
    second = save_producer(ctx, ProducerData(name="Chủ thể 1", legal_type="htx", commune_code="30037"))
    save_producer(ctx, ProducerData(name="HTX đổi tên", legal_type="htx", commune_code="30037", id=second))
    save_producer(ctx, ProducerData(name="Chủ thể 2", legal_type="htx", commune_code="30037", phone="0912345678"))
    assert audit.verify(ctx.engine).ok
    conn = _raw(ctx)
    assert conn.execute("SELECT action FROM audit_log WHERE seq = 3").fetchone() == ("update",)
    value = conn.execute(f"SELECT {column} FROM audit_log WHERE seq = 3").fetchone()[0]
    changed = TAMPERED[column](value)
    assert changed != value
    conn.execute(f"UPDATE audit_log SET {column} = ? WHERE seq = 3", (changed,))
    conn.commit()
    conn.close()
    report = audit.verify(ctx.engine)
    assert (report.ok, report.first_bad_seq, report.reason, report.entries) == (
        False, 3, "entry content altered", 2)


# 3. spreadsheet text that starts like a formula stays text ----------------------------------------

FORMULA_LIKE = {
    "=": '=HYPERLINK("http://x","bấm")',
    "+": "+84 Hợp tác xã",
    "-": "-2+3 Cơ sở",
    "@": "@SUM(A1:A9)",
    "tab": "\t=1+1",
    "carriage return": "\r=1+1",
}


@pytest.mark.parametrize("lead", list(FORMULA_LIKE))
def test_a_cell_starting_like_a_formula_is_exported_as_text(ctx: Any, tmp_path: Any, lead: str) -> None:
    text = FORMULA_LIKE[lead]
    odd = save_producer(ctx, ProducerData(name="tạm", legal_type="htx", commune_code="30037"))
    save_producer(ctx, ProducerData(name="Hợp tác xã a=b", legal_type="htx", commune_code="30037"))
    conn = _raw(ctx)  # as a package from an office may carry it: the form would trim a tab or CR
    conn.execute("UPDATE producer SET name = ? WHERE id = ?", (text, odd))
    conn.commit()
    conn.close()
    out = tmp_path / "chu-the.xlsx"
    assert export_xlsx.export_producers(ctx, out) == 2
    cells = {c.value: c for c in (row[0] for row in openpyxl.load_workbook(out)["Chủ thể"].iter_rows(min_row=2))}
    # the file keeps the text as a string cell marked "quoted" (Excel shows it, never runs it); a CR
    # reads back as LF, as XML parsers normalise line ends (the value is otherwise unchanged)
    shown = text.replace("\r", "\n")
    assert set(cells) == {shown, "Hợp tác xã a=b"}
    assert (cells[shown].data_type, cells[shown].quotePrefix) == ("s", True)
    assert (cells["Hợp tác xã a=b"].data_type, cells["Hợp tác xã a=b"].quotePrefix) == ("s", False)


# 4. the scoring policy set through the settings use case decides a real council's result ----------

def _submit(ctx: Any, entry: str, member: str, answers: dict[str, int]) -> None:
    sheet = sheets.start_sheet(ctx, entry, member)
    for code, option in answers.items():
        sheets.save_answer(ctx, sheet, code, option)
    sheets.submit_sheet(ctx, sheet)


def _stored(ctx: Any, round_id: str, entry: str) -> tuple[str | None, int | None]:
    [view] = [e for e in list_entries(ctx, round_id) if e.id == entry]
    return view.result_status, view.result_star


def test_a_stricter_quorum_blocks_a_council_that_met_the_default(council_case: Any) -> None:
    ctx, _product, rnd, _council, entry, members = council_case
    for member in members[:5]:  # 5 of 7: enough for 2/3, not for 3/4
        _submit(ctx, entry, member.id, answers_for(SET7, 80, 4))
    before = results.entry_result(ctx, entry)
    assert (before.status, before.quorum_needed, before.final_star) == ("decided", 5, 4)
    set_scoring_policy(ctx, "3/4", 10, "median")
    after = results.entry_result(ctx, entry)
    assert (after.status, after.quorum_needed, after.decidable) == ("no_quorum", 6, False)
    with pytest.raises(OcopError):
        results.adopt_result(ctx, entry)
    assert _stored(ctx, rnd, entry) == (None, None)


def test_a_tighter_spread_limit_blocks_a_council_that_met_the_default(council_case: Any) -> None:
    ctx, _product, rnd, _council, entry, members = council_case
    for member, total in zip(members[:5], [75, 78, 80, 82, 85], strict=True):  # spread 10
        _submit(ctx, entry, member.id, answers_for(SET7, total, 4))
    before = results.entry_result(ctx, entry)
    assert (before.status, before.spread, before.final_star) == ("decided", 10, 4)
    set_scoring_policy(ctx, "2/3", 9, "median")
    after = results.entry_result(ctx, entry)
    assert (after.status, after.spread, after.decidable) == ("spread", 10, False)
    with pytest.raises(OcopError):
        results.adopt_result(ctx, entry)
    assert _stored(ctx, rnd, entry) == (None, None)


@pytest.mark.parametrize(("consolidation", "star"), [("median", 4), ("all", 3)])
def test_the_consolidation_rule_decides_the_stored_star(council_case: Any, consolidation: str, star: int) -> None:
    ctx, _product, rnd, _council, entry, members = council_case
    for i, member in enumerate(members):  # one member of seven scores 1.5 below its 4-star minimum
        _submit(ctx, entry, member.id, {**answers_for(SET7, 80, 4), **({"1.5": 1} if i == 0 else {})})
    set_scoring_policy(ctx, "2/3", 10, consolidation)
    adopted = results.adopt_result(ctx, entry)
    assert (adopted.status, adopted.final_star, adopted.band_star) == ("decided", star, 4)
    assert _stored(ctx, rnd, entry) == ("decided", star)
