"""A table model over a list that lives in the database, fetched one page at a time.

``rowCount`` is the total the core counted; rows are fetched in pages of ``PAGE`` when a view asks
for them and only the most recent pages are kept, so 100,000 products never become 100,000 Python
objects. The first page is read at once (the first screen paints without waiting); other pages are
read in the background while the view shows "…" for a moment, so dragging the scroll bar to the
middle of 100,000 rows never blocks the window. Sorting asks the core for a new order.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from ocop_desktop.records import ListRequest
from ui.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class Row(Protocol):
    """What the model needs of a row (the core's list rows are NamedTuples with these fields)."""

    @property
    def id(self) -> str: ...

    @property
    def deleted(self) -> bool: ...


RowT = TypeVar("RowT", bound=Row)


@dataclass(frozen=True)
class Column(Generic[RowT]):
    header: str
    render: Callable[[RowT], str]
    sort_key: str | None = None
    align_right: bool = False
    width: int = 120  # initial pixels; 0 = takes the remaining space


class PagedTableModel(QAbstractTableModel):
    PAGE = 256
    KEEP_PAGES = 32
    PLACEHOLDER = "…"
    load_failed = Signal(object)

    def __init__(self, columns: Sequence[Column[Any]], count: Callable[[ListRequest], int],
                 rows: Callable[[ListRequest, int, int], Sequence[Row]]) -> None:
        super().__init__()
        self.columns = list(columns)
        self._count, self._rows = count, rows
        self.request = ListRequest()
        self._total = 0
        self._pages: OrderedDict[int, Sequence[Row]] = OrderedDict()
        self._pending: set[int] = set()
        self._generation = 0
        self._loader = TaskRunner(self)
        self.fetches = 0

    # --- loading ------------------------------------------------------------------------------
    def set_request(self, request: ListRequest) -> None:
        self.beginResetModel()
        self.request = request
        self._pages.clear()
        self._pending.clear()
        self._generation += 1
        self._total = self._count(request)
        if self._total:
            self._page(0)
        self.endResetModel()

    def refresh(self) -> None:
        self.set_request(self.request)

    def _page(self, number: int) -> Sequence[Row]:
        """A page, read now if it is not cached (for the selected row, actions and tests)."""
        page = self._pages.get(number)
        if page is None:
            page = self._rows(self.request, number * self.PAGE, self.PAGE)
            self._store(number, page)
        else:
            self._pages.move_to_end(number)
        return page

    def _store(self, number: int, page: Sequence[Row]) -> None:
        self.fetches += 1
        self._pages[number] = page
        while len(self._pages) > self.KEEP_PAGES:
            self._pages.popitem(last=False)

    def _load_later(self, number: int) -> None:
        if number in self._pending:
            return
        self._pending.add(number)
        generation, request = self._generation, self.request

        def loaded(page: Sequence[Row]) -> None:
            if generation != self._generation:
                return  # the list was asked again meanwhile
            self._pending.discard(number)
            self._store(number, page)
            first = number * self.PAGE
            last = min(first + len(page), self._total) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))

        def failed(exc: BaseException) -> None:
            self._pending.discard(number)
            self.load_failed.emit(exc)

        self._loader.run(None, "", lambda job: self._rows(request, number * self.PAGE, self.PAGE), loaded, failed,
                         quiet=True)

    def wait_loaded(self, msecs: int = 10000) -> bool:
        """For tests and benchmarks: wait until background page reads have finished."""
        return self._loader.wait(msecs)

    def cached_row(self, index: int) -> Row | None:
        """The row if its page is in memory; otherwise ask for the page in the background."""
        if not 0 <= index < self._total:
            return None
        number, offset = divmod(index, self.PAGE)
        page = self._pages.get(number)
        if page is None:
            self._load_later(number)
            return None
        self._pages.move_to_end(number)
        return page[offset] if offset < len(page) else None

    def row(self, index: int) -> Row | None:
        if not 0 <= index < self._total:
            return None
        page = self._page(index // self.PAGE)
        offset = index % self.PAGE
        return page[offset] if offset < len(page) else None

    def row_id(self, index: int) -> str | None:
        row = self.row(index)
        return row.id if row else None

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
        row = self.cached_row(index.row())
        if row is None:
            return self.PLACEHOLDER if role == Qt.ItemDataRole.DisplayRole else None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.render(row)
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and row.deleted:
            return QBrush(QColor("#999999"))
        if role == Qt.ItemDataRole.FontRole and row.deleted:
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
