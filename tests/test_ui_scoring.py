"""Score entry by keyboard, council tally and recognition, through the real widgets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ocop_desktop.evaluation import rounds as evaluation
from ocop_desktop.evaluation import sheet_files, sheets
from ocop_desktop.evaluation.catalog import load_catalog
from ocop_desktop.evaluation.rounds import MemberView
from ocop_desktop.registry.products import get_product
from ocop_desktop.store.context import AppContext
from tests.conftest import CouncilCase
from tests.message_boxes import Boxes
from tests.scoring_helpers import answers_for
from tests.ui_helpers import cell_text
from ui.dialogs.evaluation_dialogs import RecognitionDialog, TallyDialog
from ui.evaluation_panel import EvaluationPanel
from ui.score_sheet import ScoreSheetDialog
from ui.tasks import TaskRunner

SET7 = load_catalog().set(7)


CouncilSetup = tuple[AppContext, str, str, tuple[MemberView, ...]]
"""(ctx, product id, entry id, members) of the council case."""


@pytest.fixture
def council_setup(council_case: CouncilCase) -> CouncilSetup:
    ctx, product, _round, _council, entry, members = council_case
    return ctx, product, entry, members


def type_sheet(qtbot: QtBot, dialog: ScoreSheetDialog, target: dict[str, int]) -> None:
    """Answer every open criterion with the digit keys, in the order the screen moves."""
    for _ in range(100):
        missing = [c for c in dialog.cards if c.applicable and c.item.code not in dialog.answers]
        if not missing:
            return
        code = dialog.cards[dialog.current].item.code
        qtbot.keyClick(dialog, Qt.Key(Qt.Key.Key_0 + target[code]))
    raise AssertionError("the keyboard did not reach every criterion")


def test_full_set7_sheet_by_keyboard_then_tally_and_recognition(qtbot: QtBot, council_setup: CouncilSetup,
                                                                boxes: Boxes) -> None:
    ctx, product, entry, members = council_setup
    runner = TaskRunner()
    target = answers_for(SET7, 84, 4)
    sheet_id = sheets.start_sheet(ctx, entry, members[0].id)
    dialog = ScoreSheetDialog(ctx, sheet_id, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    assert len(dialog.cards) == 32
    type_sheet(qtbot, dialog, target)
    assert dialog.total_label.text() == "Tổng cộng: 84 / 100"
    assert "★★★★" in dialog.star_label.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.status == "submitted")  # submitted on the writer, after the answers
    saved = sheets.get_sheet(ctx, sheet_id)
    assert saved.status == "submitted"
    applicable = {k: v for k, v in target.items() if k in saved.answers}
    assert saved.answers == applicable and len(saved.answers) >= 31

    document = {"format": "ocop-sheets/1", "sheets": [
        {"entry": entry, "member": m.id, "answers": answers_for(SET7, t, 4)}
        for m, t in zip(members[1:], [82, 86, 84, 85, 83, 84], strict=True)]}
    sheet_files.import_sheets(ctx, document)

    tally = TallyDialog(ctx, entry)
    qtbot.addWidget(tally)
    assert tally.table.rowCount() == 8
    assert cell_text(tally.table, 7, 4) == "84"
    assert "★★★★" in tally.summary.text() and "Đã kết luận" in tally.summary.text()

    panel = EvaluationPanel(ctx, runner)
    qtbot.addWidget(panel)
    panel.table.selectRow(0)
    panel.buttons["adopt"].click()  # adopted on the writer thread, then the table is read again
    qtbot.waitUntil(lambda: cell_text(panel.table, 0, 8) == "Đã kết luận")
    assert cell_text(panel.table, 0, 5) == "7/7"

    recog = RecognitionDialog(ctx, entry)
    qtbot.addWidget(recog)
    recog.decision_no.setText("456/QĐ-UBND")
    recog.decision_date.setText("20/11/2026")
    assert recog.expiry.text() == "20/11/2029"
    recog.on_save()
    qtbot.waitUntil(lambda: not recog.saving)
    assert recog.result() == 1
    got = get_product(ctx, product)
    assert (got.status, got.star, got.decision_no) == ("recognised", 4, "456/QĐ-UBND")
    runner.wait()


def test_score_screen_refuses_changes_after_submit_and_names_missing(qtbot: QtBot, council_setup: CouncilSetup,
                                                                     boxes: Boxes) -> None:
    ctx, _product, entry, members = council_setup
    runner = TaskRunner()
    dialog = ScoreSheetDialog(ctx, sheets.start_sheet(ctx, entry, members[1].id), runner)
    qtbot.addWidget(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_2)  # 1.1 → option 2
    qtbot.keyClick(dialog, Qt.Key.Key_9)  # 1.2 has no option 9: ignored
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(boxes.texts("warning")))
    shown = boxes.texts("warning")
    assert shown and "Chưa chấm 30 tiêu chí" in shown[0]
    runner.wait()
    assert sheets.get_sheet(ctx, dialog.sheet_id).answers == {"1.1": 2}
    assert dialog.current == 1
    qtbot.keyClick(dialog, Qt.Key.Key_Up)
    qtbot.keyClick(dialog, Qt.Key.Key_Delete)
    runner.wait()
    assert sheets.get_sheet(ctx, dialog.sheet_id).answers == {}


def test_story_structure_is_locked_without_a_story(qtbot: QtBot, council_setup: CouncilSetup) -> None:
    ctx, _product, entry, members = council_setup
    runner = TaskRunner()
    dialog = ScoreSheetDialog(ctx, sheets.start_sheet(ctx, entry, members[2].id), runner)
    qtbot.addWidget(dialog)
    story = SET7.index["5.1"]
    dialog.move_to(story)
    qtbot.keyClick(dialog, Qt.Key.Key_1)  # "Không có câu chuyện sản phẩm"
    assert not dialog.cards[SET7.index["5.2"]].applicable
    assert not dialog.cards[SET7.index["5.2"]].buttons[1].isEnabled()
    assert dialog.current == SET7.index["5.3"]  # skipped the criterion that does not apply
    runner.wait()


def test_reopen_and_commune_review_from_the_screens(qtbot: QtBot, council_setup: CouncilSetup) -> None:
    from ocop_desktop.records import audit
    from ui.dialogs.evaluation_dialogs import CommuneReviewDialog

    ctx, _product, entry, members = council_setup
    runner = TaskRunner()
    sheet = sheets.start_sheet(ctx, entry, members[3].id)
    for code, option in answers_for(SET7, 75, 4).items():
        sheets.save_answer(ctx, sheet, code, option)
    sheets.submit_sheet(ctx, sheet)
    dialog = ScoreSheetDialog(ctx, sheet, runner)
    qtbot.addWidget(dialog)
    assert dialog.reopen_button.isVisibleTo(dialog) and not dialog.submit_button.isEnabled()
    dialog.reopen("Nhập nhầm tiêu chí 6.5")
    qtbot.waitUntil(lambda: dialog.status == "draft")
    assert sheets.get_sheet(ctx, sheet).status == "draft" and dialog.submit_button.isEnabled()
    assert audit.history(ctx.engine, sheet)[-1].action == "reopen"

    review = CommuneReviewDialog(ctx, entry)
    qtbot.addWidget(review)
    review.review_date.setText("31/02/2026")
    review.on_save()
    qtbot.waitUntil(lambda: not review.saving)
    assert "dd/mm/yyyy" in review.error_labels["review_date"].text()
    review.review_date.setText("15/10/2026")
    review.raw.setPlainText("Sen trồng tại xã Tháp Mười, 100% nguyên liệu địa phương")
    review.proposes.setCurrentIndex(review.proposes.findData(True))
    review.on_save()
    qtbot.waitUntil(lambda: not review.saving)
    assert review.result() == 1
    got = evaluation.get_commune_review(ctx, entry)
    assert got.proposes is True and got.review_date == date(2026, 10, 15)
    assert got.raw_material is not None and got.raw_material.startswith("Sen trồng")
    runner.wait()


def test_batch_printing_from_the_round_with_preview(qtbot: QtBot, council_case: CouncilCase,
                                                    monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from ui.pdf_preview import PdfPreviewDialog

    ctx, _product, _round, _council, entry, members = council_case
    sheet_files.import_sheets(ctx, {"format": "ocop-sheets/1", "sheets": [
        {"entry": entry, "member": m.id, "answers": answers_for(SET7, 80, 4)} for m in members]})
    runner = TaskRunner()
    panel = EvaluationPanel(ctx, runner)
    qtbot.addWidget(panel)
    panel.table.selectRow(0)
    shown: list[PdfPreviewDialog] = []
    monkeypatch.setattr(PdfPreviewDialog, "open", lambda self: shown.append(self))
    panel.print_council_sheets()
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    preview = shown[0]
    qtbot.addWidget(preview)
    assert len(preview.pages) >= 7 * 4  # seven filled sheets of several pages each
    assert preview.path.exists() and preview.path.parent == ctx.data_dir / "prints"
    preview.save_as(str(tmp_path / "copy.pdf"))
    assert (tmp_path / "copy.pdf").read_bytes() == preview.path.read_bytes()
    shown.clear()
    panel.print_summary()
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    qtbot.addWidget(shown[0])
    runner.wait()


def test_cancelled_batch_print_leaves_no_file(qtbot: QtBot, council_case: CouncilCase) -> None:
    from ocop_desktop.infra.tasks import Cancelled, JobControl
    from ocop_desktop.reports.printing import documents

    ctx, _product, rnd, _council, _entry, _members = council_case
    target = documents.print_path(ctx, "phieu-trong")
    calls: list[int] = []
    job = JobControl(progress=lambda done, total, text: calls.append(done), is_cancelled=lambda: len(calls) >= 3)
    with pytest.raises(Cancelled):
        documents.round_blank_sheets(ctx, rnd, target, job)  # cancelled while pages are being laid out
    assert len(calls) == 3
    assert not target.exists() and list(target.parent.glob("*")) == []
