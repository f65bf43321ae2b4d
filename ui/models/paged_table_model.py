"""A table model over a list that lives in the database, fetched one page at a time.

``rowCount`` is the total the core counted; rows are fetched in pages of ``PAGE`` when a view asks
for them and only the most recent pages are kept, so 100,000 products never become 100,000 Python
objects. Sorting asks the core for a new order instead of sorting in memory.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ocop_desktop.listing import ListRequest

Row = tuple[Any, ...]
Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column:
    header: str
    render: Callable[[Row], str]
    sort_key: str | None = None
    align_right: bool = False
    width: int = 120  # initial pixels; 0 = takes the remaining space


class PagedTableModel(QAbstractTableModel):
    PAGE = 256
    KEEP_PAGES = 32

    def __init__(self, columns: Sequence[Column], count: Callable[[ListRequest], int],
                 rows: Callable[[ListRequest, int, int], list[Row]], deleted_index: int) -> None:
        super().__init__()
        self.columns = list(columns)
        self._count, self._rows = count, rows
        self._deleted_index = deleted_index
        self.request = ListRequest()
        self._total = 0
        self._pages: OrderedDict[int, list[Row]] = OrderedDict()
        self.fetches = 0

    # --- loading ------------------------------------------------------------------------------
    def set_request(self, request: ListRequest) -> None:
        self.beginResetModel()
        self.request = request
        self._pages.clear()
        self._total = self._count(request)
        self.endResetModel()

    def refresh(self) -> None:
        self.set_request(self.request)

    def _page(self, number: int) -> list[Row]:
        page = self._pages.get(number)
        if page is None:
            page = self._rows(self.request, number * self.PAGE, self.PAGE)
            self.fetches += 1
            self._pages[number] = page
            while len(self._pages) > self.KEEP_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page

    def row(self, index: int) -> Row | None:
        if not 0 <= index < self._total:
            return None
        page = self._page(index // self.PAGE)
        offset = index % self.PAGE
        return page[offset] if offset < len(page) else None

    def row_id(self, index: int) -> str | None:
        row = self.row(index)
        return str(row[0]) if row else None

    def cached_rows(self) -> int:
        return sum(len(p) for p in self._pages.values())

    # --- Qt interface -------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row(index.row())
        if row is None:
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.render(row)
        if role == ID_ROLE:
            return row[0]
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and row[self._deleted_index]:
            return QBrush(QColor("#999999"))
        if role == Qt.ItemDataRole.FontRole and row[self._deleted_index]:
            font = QFont()
            font.setStrikeOut(True)
            return font
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].sort_key if 0 <= column < len(self.columns) else ""
        if key is None:
            return
        request = replace(self.request, sort=key or "", descending=bool(key) and order == Qt.SortOrder.DescendingOrder)
        if request != self.request:
            self.set_request(request)
