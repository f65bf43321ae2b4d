"""A drop-down that the officer can type into, matching without tone marks ("thap" finds "Tháp")."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from ocop_desktop.language import fold

FOLDED_ROLE = Qt.ItemDataRole.UserRole + 10


class _FoldedFilter(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.key = ""

    def set_key(self, text: str) -> None:
        self.key = fold(text)
        self.invalidate()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self.key:
            return True
        index = self.sourceModel().index(row, 0, parent)
        return all(word in str(index.data(FOLDED_ROLE)) for word in self.key.split())


class SearchPicker(QComboBox):
    """Editable combo over (value, text) pairs; ``value()`` is the chosen pair's value or None.

    With ``lookup``, typing asks the core for matching options (for long lists such as producers)
    instead of filtering the options already loaded.
    """

    def __init__(self, options: Sequence[tuple[str, str]], parent: QWidget | None = None,
                 lookup: Callable[[str], Sequence[tuple[str, str]]] | None = None) -> None:
        super().__init__(parent)
        self.lookup = lookup
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.source = QStandardItemModel(self)
        self.set_options(options)
        self.setModel(self.source)
        self.filter = _FoldedFilter()
        self.filter.setSourceModel(self.source)
        completer = QCompleter(self.filter, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        line = self.lineEdit()
        assert line is not None
        line.textEdited.connect(self._on_edited)
        completer.activated[QModelIndex].connect(self._on_completed)  # type: ignore[index]
        self.setCurrentIndex(-1)

    def _on_edited(self, text: str) -> None:
        if self.lookup is None:
            self.filter.set_key(text)
            return
        self.set_options(self.lookup(text))
        line = self.lineEdit()
        assert line is not None
        line.setText(text)

    def set_options(self, options: Sequence[tuple[str, str]]) -> None:
        self.source.clear()
        for value, text in options:
            item = QStandardItem(text)
            item.setData(value, Qt.ItemDataRole.UserRole)
            item.setData(fold(text), FOLDED_ROLE)
            self.source.appendRow(item)

    def _on_completed(self, index: QModelIndex) -> None:
        source = self.filter.mapToSource(index)
        self.setCurrentIndex(source.row())

    def set_value(self, value: str | None) -> None:
        self.setCurrentIndex(self.findData(value) if value else -1)

    def value(self) -> str | None:
        """The chosen value; typed text that matches exactly one option counts as choosing it."""
        index = self.currentIndex()
        if index >= 0 and self.itemText(index) == self.currentText():
            return str(self.itemData(index))
        key = fold(self.currentText())
        if not key:
            return None
        matches = [r for r in range(self.source.rowCount())
                   if all(w in str(self.source.item(r).data(FOLDED_ROLE)) for w in key.split())]
        return str(self.source.item(matches[0]).data(Qt.ItemDataRole.UserRole)) if len(matches) == 1 else None
