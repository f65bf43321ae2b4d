"""A list screen: search box, filters, a paged table and the record actions.

The same panel serves producers and products; what differs (columns, filters) comes from its
model and filter specs. Search runs a moment after the officer stops typing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop.language import format_int, tr
from ui.icons import icon
from ui.messages import show_error
from ui.models.paged_table_model import PagedTableModel

SEARCH_DELAY_MS = 250


@dataclass(frozen=True)
class FilterSpec:
    key: str
    label: str
    options: Sequence[tuple[str, str]]  # (value, label); "" means all


class ListPanel(QWidget):
    new_requested = Signal()
    edit_requested = Signal(str)
    delete_requested = Signal(str)
    restore_requested = Signal(str)

    def __init__(self, model: PagedTableModel, filters: Sequence[FilterSpec], noun: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.noun = noun
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Tìm không cần dấu, ví dụ: thap muoi, dong thap…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        top.addWidget(self.search, 3)
        self.filter_boxes: dict[str, QComboBox] = {}
        for spec in filters:
            box = QComboBox()
            box.setObjectName(f"filter_{spec.key}")
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(14)
            box.addItem(spec.label, "")
            for value, label in spec.options:
                box.addItem(label, value)
            box.currentIndexChanged.connect(self.apply)
            top.addWidget(box, 1)
            self.filter_boxes[spec.key] = box
        self.show_deleted = QCheckBox(tr("Hiện bản ghi đã xóa"))
        self.show_deleted.toggled.connect(self.apply)
        top.addWidget(self.show_deleted)
        layout.addLayout(top)

        self.table = QTableView()
        self.table.setModel(model)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)  # no column chosen: natural order (name, or match order)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, column in enumerate(model.columns):
            if column.width:
                self.table.setColumnWidth(i, column.width)
            else:
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_double_click)
        model.load_failed.connect(lambda exc: show_error(self, exc))
        layout.addWidget(self.table, 1)

        bottom = QHBoxLayout()
        self.count_label = QLabel()
        bottom.addWidget(self.count_label, 1)
        self.new_button = QPushButton(icon("new"), tr("Thêm mới"))
        self.edit_button = QPushButton(icon("edit"), tr("Sửa"))
        self.delete_button = QPushButton(icon("delete"), tr("Xóa"))
        self.restore_button = QPushButton(icon("restore"), tr("Khôi phục"))
        self.new_button.clicked.connect(self.new_requested.emit)
        self.edit_button.clicked.connect(lambda: self._emit_selected(self.edit_requested))
        self.delete_button.clicked.connect(lambda: self._emit_selected(self.delete_requested))
        self.restore_button.clicked.connect(lambda: self._emit_selected(self.restore_requested))
        for b in (self.new_button, self.edit_button, self.delete_button, self.restore_button):
            bottom.addWidget(b)
        layout.addLayout(bottom)

        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self._focus_search)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, lambda: self._emit_selected(self.delete_requested))
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, lambda: self._emit_selected(self.edit_requested))

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.apply()

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_id(rows[0].row()) if rows else None

    def _emit_selected(self, signal: SignalInstance) -> None:
        record_id = self.selected_id()
        if record_id:
            signal.emit(record_id)

    def _on_double_click(self, index: QModelIndex) -> None:
        record_id = self.model.row_id(index.row())
        if record_id:
            self.edit_requested.emit(record_id)

    def _update_buttons(self) -> None:
        row = None
        rows = self.table.selectionModel().selectedRows()
        if rows:
            row = self.model.row(rows[0].row())
        deleted = bool(row and row.deleted)
        self.edit_button.setEnabled(row is not None and not deleted)
        self.delete_button.setEnabled(row is not None and not deleted)
        self.restore_button.setEnabled(deleted)
        self.restore_button.setVisible(self.show_deleted.isChecked())

    def apply(self) -> None:
        """Re-run the list with the current search and filters."""
        self._timer.stop()
        filters = {k: box.currentData() for k, box in self.filter_boxes.items() if box.currentData()}
        request = replace(self.model.request, search=self.search.text(), filters=filters,
                          include_deleted=self.show_deleted.isChecked())
        self.model.set_request(request)
        self.count_label.setText(tr("Số bản ghi:") + f" {format_int(self.model.rowCount())}")
        self._update_buttons()

    def set_filters(self, filters: dict[str, str], search: str = "") -> None:
        """Show the list with exactly these filters (e.g. from a click on the dashboard)."""
        for key, box in self.filter_boxes.items():
            box.blockSignals(True)
            box.setCurrentIndex(max(box.findData(filters[key]), 0) if key in filters else 0)
            box.blockSignals(False)
        self.search.blockSignals(True)
        self.search.setText(search)
        self.search.blockSignals(False)
        self.apply()

    def select_id(self, record_id: str) -> None:
        """Select the row of ``record_id`` if it is among the rows already fetched."""
        for i in range(min(self.model.rowCount(), self.model.PAGE * 2)):
            if self.model.row_id(i) == record_id:
                self.table.selectRow(i)
                self.table.scrollTo(self.model.index(i, 0))
                return
