"""The form scaffolding shared by record dialogs: labelled fields with an error line under each,
and the save flow (errors shown in place; warnings asked about once)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop.infra import ValidationFailed
from ocop_desktop.language import tr
from ui.messages import confirm, show_error
from ui.tasks import writer

ERROR_STYLE = "color: #b00020;"


class FormDialog(QDialog):
    """A dialog with a form; subclasses add fields and implement :meth:`save`."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(620)
        self.outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.outer.addLayout(self.form)
        self.error_labels: dict[str, QLabel] = {}
        self.fields: dict[str, QWidget] = {}
        self.summary = QLabel()
        self.summary.setStyleSheet(ERROR_STYLE)
        self.summary.setWordWrap(True)
        self.summary.hide()
        self.saved_id: str | None = None
        self._saving = False

    def finish_layout(self, extra: QWidget | None = None) -> None:
        if extra is not None:
            self.outer.addWidget(extra)
        self.outer.addWidget(self.summary)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Lưu"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Hủy"))
        self.buttons.accepted.connect(self.on_save)
        self.buttons.rejected.connect(self.reject)
        self.outer.addWidget(self.buttons)

    # --- fields -------------------------------------------------------------------------------
    def add(self, key: str, label: str, widget: QWidget) -> QWidget:
        widget.setObjectName(key)
        error = QLabel()
        error.setObjectName(f"error_{key}")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(widget)
        lay.addWidget(error)
        self.form.addRow(label, box)
        self.fields[key] = widget
        self.error_labels[key] = error
        return widget

    def line(self, key: str, label: str, value: str | None = "", placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(value or "")
        edit.setPlaceholderText(placeholder)
        self.add(key, label, edit)
        return edit

    def text_area(self, key: str, label: str, value: str | None = "") -> QPlainTextEdit:
        edit = QPlainTextEdit(value or "")
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(64)
        self.add(key, label, edit)
        return edit

    def combo(self, key: str, label: str, options: Sequence[tuple[object, str]], value: object = None) -> QComboBox:
        box = QComboBox()
        for data, text in options:
            box.addItem(text, data)
        index = box.findData(value)
        box.setCurrentIndex(max(index, 0))
        self.add(key, label, box)
        return box

    def number(self, key: str, label: str, value: int | None, low: int, high: int) -> QSpinBox:
        """A spin box whose lowest value means "not given"."""
        spin = QSpinBox()
        spin.setRange(low - 1, high)
        spin.setSpecialValueText(tr("(chưa nhập)"))
        spin.setValue(value if value is not None else low - 1)
        spin.setGroupSeparatorShown(False)
        self.add(key, label, spin)
        return spin

    def check(self, key: str, label: str, value: bool) -> QCheckBox:
        box = QCheckBox()
        box.setChecked(value)
        self.add(key, label, box)
        return box

    @staticmethod
    def spin_value(spin: QSpinBox) -> int | None:
        return None if spin.value() == spin.minimum() else spin.value()

    # --- saving -------------------------------------------------------------------------------
    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.error_labels.items():
            message = errors.get(key)
            label.setText(message or "")
            label.setVisible(bool(message))
        unplaced = [m for k, m in errors.items() if k not in self.error_labels]
        self.summary.setText("\n".join(unplaced))
        self.summary.setVisible(bool(unplaced))
        first = next((k for k in self.fields if k in errors), None)
        if first:
            self.fields[first].setFocus()

    #: the tables a save of this form changes (announced to every screen when it succeeds)
    CHANGES: frozenset[str] = frozenset()

    @property
    def saving(self) -> bool:
        """A save is running on the writer thread (the buttons wait for it)."""
        return self._saving

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.buttons.setEnabled(not saving)

    def run_save(self, save: Callable[[bool], str]) -> None:
        """Run ``save(confirm_warnings)`` on the writer thread; show field errors, ask about warnings,
        accept on success. The window stays responsive while the store writes."""
        def saved(record_id: str) -> None:
            self._set_saving(False)
            self.saved_id = record_id
            self.accept()

        def failed_again(exc: BaseException) -> None:
            self._set_saving(False)
            show_error(self, exc)

        def refused(exc: BaseException) -> None:
            self._set_saving(False)
            if not isinstance(exc, ValidationFailed):
                show_error(self, exc)
                return
            if not exc.needs_confirmation_only:
                self.show_errors(exc.errors)
                return
            self.show_errors({})
            question = "\n".join(exc.warnings.values()) + "\n\n" + tr("Vẫn lưu?")
            if confirm(self, tr("Xác nhận"), question):
                self._set_saving(True)
                writer().write(self, tr("Đang lưu…"), lambda job: save(True), changes=self.CHANGES, done=saved,
                               failed=failed_again, quiet=True)

        self._set_saving(True)
        writer().write(self, tr("Đang lưu…"), lambda job: save(False), changes=self.CHANGES, done=saved,
                       failed=refused, quiet=True)

    def on_save(self) -> None:
        raise NotImplementedError
