"""The score entry screen, generated from the catalog: keyboard first, saved answer by answer.

Criteria are grouped by part; each shows its options as large choices with points and star
markers. Digit keys choose an option of the current criterion (0 = meets none, where no printed option
scores 0) and move on;
arrows, Enter and Tab move; Ctrl+Enter submits. Part totals, the total, the star this sheet alone
would give and its failed minimums update as the member types. Each answer is written in the
background as soon as it is given, so a crash loses nothing and typing never waits for the disk.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop.evaluation import (
    CatalogSet,
    Item,
    SheetInput,
    council_result,
    get_sheet,
    load_catalog,
    reopen_sheet,
    save_answer,
    save_comment,
    submit_sheet,
)
from ocop_desktop.infra import JobControl, OcopError
from ocop_desktop.language import tr
from ocop_desktop.reference import SHEET_STATUSES
from ocop_desktop.store import AppContext
from ui.messages import show_error
from ui.tasks import TaskRunner


def stars(level: int | None) -> str:
    return "★" * level if level else ""


class OptionChoice(QFrame):
    """A large, word-wrapped choice that behaves like a checkable button.

    Its look comes from the dialog's one style sheet through the ``checked`` property, so choosing
    an option re-polishes two widgets instead of re-parsing style sheets on every key.
    """

    clicked = Signal()

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("option")
        self.setProperty("checked", False)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 5, 8, 5)
        layout.addWidget(self.label)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def setChecked(self, checked: bool) -> None:
        if self.property("checked") == checked:
            return
        self.setProperty("checked", checked)
        for widget in (self, self.label):
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def isChecked(self) -> bool:
        return bool(self.property("checked"))

    def setEnabled(self, enabled: bool) -> None:
        if self.isEnabled() != enabled:
            super().setEnabled(enabled)

    def click(self) -> None:
        if self.isEnabled():
            self.clicked.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.click()


SHEET_STYLE = """
QFrame#criterion { border: 1px solid #cfd8dc; border-radius: 6px; }
QFrame#criterion[current="true"] { border: 2px solid #1565c0; background: #e3f2fd; }
QFrame#option { border: 1px solid #b0bec5; border-radius: 4px; background: white; }
QFrame#option QLabel { color: #212121; border: none; background: transparent; }
QFrame#option[checked="true"] { background: #2e7d32; border: 1px solid #1b5e20; }
QFrame#option[checked="true"] QLabel { color: white; font-weight: bold; }
QFrame#option[applicable="false"] { border: 1px dashed #cfd8dc; background: transparent; }
QFrame#option[applicable="false"] QLabel { color: #9e9e9e; }
"""


class CriterionCard(QFrame):
    """One criterion: its title, notes and one button per option (plus 0 = none of them)."""

    chosen = Signal(str, int)

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setObjectName("criterion")
        self.setProperty("current", False)
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{item.title}</b> <span style='color:#555'>({item.max} {tr('điểm')})</span>")
        title.setWordWrap(True)
        layout.addWidget(title)
        for note in item.notes:
            label = QLabel(note)
            label.setWordWrap(True)
            label.setStyleSheet("color: #6d4c41; font-style: italic;")
            layout.addWidget(label)
        self.buttons: dict[int, OptionChoice] = {}
        for option in item.options:
            case = f"[{item.cases[option.case - 1].split(':')[0]}] " if item.cases and option.case else ""
            marker = f"  {stars(option.min_star)} {tr('tối thiểu')}" if option.min_star else ""
            button = self._button(option.n, f"{option.n}.  {case}{option.text}  —  {option.points} {tr('điểm')}{marker}")
            layout.addWidget(button)
        if all(o.points > 0 for o in item.options):  # no printed 0-point option: offer an explicit 0
            layout.addWidget(self._button(0, "0.  " + tr("Không đạt mức nào (0 điểm)")))
        self.applicable = True
        self.editable = True
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def _button(self, n: int, text: str) -> OptionChoice:
        button = OptionChoice(text)
        button.clicked.connect(lambda n=n: self.chosen.emit(self.item.code, n))
        self.buttons[n] = button
        return button

    def show_answer(self, answer: int | None) -> None:
        for n, button in self.buttons.items():
            button.setChecked(answer == n)

    def set_current(self, current: bool) -> None:
        self.setProperty("current", current)
        self.style().unpolish(self)
        self.style().polish(self)

    def set_applicable(self, applicable: bool) -> None:
        self.applicable = applicable
        for button in self.buttons.values():
            button.setEnabled(applicable)


class ScoreSheetDialog(QDialog):
    """The sheet of one member for one product."""

    submitted = Signal(str)

    def __init__(self, ctx: AppContext, sheet_id: str, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.sheet_id, self.runner = ctx, sheet_id, runner
        view = get_sheet(ctx, sheet_id)
        self.cset: CatalogSet = load_catalog(view.catalog_id, ctx.catalogs_dir).set(view.product_set)
        self.answers: dict[str, int] = dict(view.answers)
        self.status = view.status
        self.pending_saves = 0
        self.setWindowTitle(f"{tr('Phiếu đánh giá')} — {view.product_name} — {view.member_name}")
        self.setStyleSheet(SHEET_STYLE)
        self.resize(1180, 820)

        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        head = QLabel(f"<b>{self.cset.title}</b>")
        head.setWordWrap(True)
        left.addWidget(head)
        if self.cset.elimination:
            box = QLabel(f"<b>{tr('Hồ sơ bị loại khi:')}</b> {self.cset.elimination}")
            box.setWordWrap(True)
            box.setStyleSheet("border: 1px solid #b71c1c; padding: 4px;")
            left.addWidget(box)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        self.cards: list[CriterionCard] = []
        for part in self.cset.parts:
            heading = QLabel(f"<h3>{part.title}</h3>")
            heading.setWordWrap(True)
            body_layout.addWidget(heading)
            for item in (i for i in self.cset.items if i.part == part.part):
                card = CriterionCard(item)
                card.chosen.connect(self.choose)
                card.show_answer(self.answers.get(item.code))
                body_layout.addWidget(card)
                self.cards.append(card)
        body_layout.addStretch(1)
        self.scroll_area.setWidget(body)
        left.addWidget(self.scroll_area, 1)
        outer.addLayout(left, 3)

        side = QVBoxLayout()
        self.status_label = QLabel()
        self.part_labels = {p.part: QLabel() for p in self.cset.parts}
        self.total_label = QLabel()
        self.total_label.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.star_label = QLabel()
        self.star_label.setStyleSheet("font-size: 18px; color: #e65100;")
        self.failed_label = QLabel()
        self.failed_label.setWordWrap(True)
        self.failed_label.setStyleSheet("color: #b00020;")
        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)
        side.addWidget(self.status_label)
        for label in self.part_labels.values():
            side.addWidget(label)
        side.addWidget(self.total_label)
        side.addWidget(self.star_label)
        side.addWidget(self.failed_label)
        side.addWidget(self.missing_label)
        side.addWidget(QLabel(tr("Ý kiến của người đánh giá:")))
        self.comment = QPlainTextEdit(view.comment or "")
        self.comment.setFixedHeight(90)
        side.addWidget(self.comment)
        help_text = QLabel(tr("Phím số chọn mức của tiêu chí đang chọn (0 = không đạt mức nào), "
                              "↑/↓ hoặc Enter để chuyển tiêu chí, Ctrl+Enter để nộp phiếu."))
        help_text.setWordWrap(True)
        help_text.setStyleSheet("color: #555;")
        side.addWidget(help_text)
        side.addStretch(1)
        self.submit_button = QPushButton(tr("Nộp phiếu (Ctrl+Enter)"))
        self.submit_button.clicked.connect(self.submit)
        side.addWidget(self.submit_button)
        self.reopen_button = QPushButton(tr("Mở lại phiếu để sửa…"))
        self.reopen_button.clicked.connect(self.ask_reopen)
        side.addWidget(self.reopen_button)
        close = QPushButton(tr("Đóng (phiếu đã được lưu)"))
        close.clicked.connect(self.accept)
        side.addWidget(close)
        outer.addLayout(side, 1)

        self.current = 0
        first_open = next((i for i, c in enumerate(self.cards) if c.item.code not in self.answers), 0)
        self.move_to(first_open)
        self.refresh()
        self.setFocus()

    # --- keyboard -----------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.submit()
            return
        if self.comment.hasFocus():
            super().keyPressEvent(event)
            return
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9 and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            n = key - Qt.Key.Key_0
            card = self.cards[self.current]
            if n == 0 and 0 not in card.buttons:  # 0 means "0 points": the printed 0-point option
                n = next((o.n for o in card.item.options if o.points == 0), 0)
            if n in card.buttons and card.buttons[n].isEnabled():
                self.choose(card.item.code, n)
                self.move_to(self.next_open(self.current))
            return
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
            self.move_to(min(self.current + 1, len(self.cards) - 1))
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Backtab):
            self.move_to(max(self.current - 1, 0))
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.choose(self.cards[self.current].item.code, None)
            return
        super().keyPressEvent(event)

    def next_open(self, index: int) -> int:
        """The next criterion after ``index`` that can still be answered (or the last one)."""
        for i in range(index + 1, len(self.cards)):
            if self.cards[i].applicable:
                return i
        return min(index + 1, len(self.cards) - 1)

    def move_to(self, index: int) -> None:
        self.cards[self.current].set_current(False)
        self.current = index
        card = self.cards[index]
        card.set_current(True)
        self.scroll_area.ensureWidgetVisible(card, 0, 80)

    # --- answers ------------------------------------------------------------------------------
    def choose(self, code: str, n: int | None) -> None:
        if self.status != "draft":
            show_error(self, OcopError(tr("Phiếu đã nộp; muốn sửa phải mở lại phiếu (có ghi lý do)."), "sheet not draft"))
            return
        if n is None:
            self.answers.pop(code, None)
        else:
            self.answers[code] = n
        self.cards[self.cset.index[code]].show_answer(n)
        self.refresh()
        self.pending_saves += 1
        self.runner.run(self, "", lambda job: save_answer(self.ctx, self.sheet_id, code, n),
                        self._saved, self._save_failed, quiet=True)

    def _saved(self, _result: object) -> None:
        self.pending_saves -= 1

    def _save_failed(self, exc: BaseException) -> None:
        self.pending_saves -= 1
        show_error(self, exc)

    def refresh(self) -> None:
        result = council_result(self.cset, [SheetInput("", self.answers)], members=1)
        score = result.sheets[0]
        for part, label in zip(self.cset.parts, self.part_labels.values(), strict=True):
            label.setText(f"{tr('Phần')} {part.part}: {score.parts['ABC'.index(part.part)]} / {part.max}")
        self.total_label.setText(f"{tr('Tổng cộng')}: {score.total} / 100")
        self.star_label.setText(f"{tr('Hạng dự kiến')}: {stars(result.final_star)} ({result.final_star} {tr('sao')})")
        self.failed_label.setText("\n".join(f"✗ {f.level}★ {f.code}: {tr('cần')} ≥ {f.required}, {tr('đang')} {f.consolidated}"
                                            for f in result.failed))
        editable = self.status == "draft"
        for card in self.cards:
            rule = card.item.applies_if
            applicable = rule is None or self.cset.item(rule[0]).points(self.answers.get(rule[0])) >= rule[1]
            if card.applicable != applicable or card.editable != editable:
                card.set_applicable(applicable)
                card.editable = editable
                for button in card.buttons.values():
                    button.setEnabled(applicable and editable)
        missing = [c.item.code for c in self.cards if c.applicable and c.item.code not in self.answers]
        self.missing_label.setText(tr("Chưa chấm:") + " " + (", ".join(missing) if missing else "—"))
        self.status_label.setText(f"{tr('Trạng thái')}: {tr(SHEET_STATUSES[self.status])}")
        self.submit_button.setEnabled(self.status == "draft")
        self.reopen_button.setVisible(self.status == "submitted")

    def submit(self) -> None:
        if self.status != "draft":
            return
        comment = self.comment.toPlainText()

        def submit(job: JobControl) -> None:  # after every answer queued before it: one writer, in order
            if comment.strip():
                save_comment(self.ctx, self.sheet_id, comment)
            submit_sheet(self.ctx, self.sheet_id)

        def submitted(_result: object) -> None:
            self.status = "submitted"
            self.refresh()
            self.submitted.emit(self.sheet_id)
            self.accept()

        self.runner.write(self, tr("Đang nộp phiếu…"), submit, changes={"score_sheet"}, done=submitted, quiet=True,
                          failed=lambda exc: show_error(self, exc, tr("Chưa nộp được phiếu")))

    def ask_reopen(self) -> None:
        reason, ok = QInputDialog.getText(self, tr("Mở lại phiếu"), tr("Lý do mở lại phiếu (được ghi vào nhật ký):"))
        if ok:
            self.reopen(reason)

    def reopen(self, reason: str) -> None:
        def reopened(_result: object) -> None:
            self.status = "draft"
            self.refresh()

        self.runner.write(self, tr("Đang mở lại phiếu…"), lambda job: reopen_sheet(self.ctx, self.sheet_id, reason),
                          changes={"score_sheet"}, done=reopened, quiet=True)

    def done(self, result: int) -> None:
        self.runner.wait()  # pending answers reach the disk before the screen closes
        super().done(result)
