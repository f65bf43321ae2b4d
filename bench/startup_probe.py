"""Child process of the start-up benchmark: opens a window, prints when it is interactive.

``bare``: a PySide6 window with an empty table view (the baseline). ``app``: the real main window
on the national store, then a few searches and a scroll to the end, reporting peak memory.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

T0 = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def peak_mb() -> float:
    """This process's peak resident memory. On Linux VmHWM, because ru_maxrss keeps the parent's
    peak across fork and exec (a benchmark run after heavy work would be charged for it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bare() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv)
    win = QMainWindow()
    view = QTableView()
    view.setModel(QStandardItemModel(0, 8))
    win.setCentralWidget(view)
    win.resize(1280, 760)
    win.show()

    def ready() -> None:
        win.grab()  # force the first paint, as the app probe does
        print(json.dumps({"ready_s": time.perf_counter() - T0, "peak_mb": peak_mb()}), flush=True)
        app.quit()

    QTimer.singleShot(0, ready)
    app.exec()


def real(data_dir: Path) -> None:
    from PySide6.QtCore import QTimer

    from ui.app import GuiApp, create_qapp

    app = create_qapp()
    gui = GuiApp(app)
    assert gui.open(data_dir)
    window = gui.window
    assert window is not None

    def ready() -> None:
        window.grab()  # force the first paint: the visible rows are fetched and drawn
        ready_s = time.perf_counter() - T0
        panel = window.product_panel
        shown = panel.model.rowCount()
        window.tabs.setCurrentWidget(panel)
        window.grab()
        cached_at_start = panel.model.cached_rows()
        for text in ("sen", "quyt hong", "thap muoi", "mat ong", "hoa", "dong thap"):
            panel.search.setText(text)
            panel.apply()
        panel.search.setText("")
        panel.apply()
        panel.model.row(panel.model.rowCount() - 1)  # jump to the end as a scroll would
        print(json.dumps({"ready_s": ready_s, "rows": shown, "cached_rows_at_start": cached_at_start,
                          "peak_mb": peak_mb()}), flush=True)
        app.quit()

    QTimer.singleShot(0, ready)
    app.exec()


def floor() -> None:
    """Only the imports the stack cannot start without: Qt widgets, SQLModel (SQLAlchemy, pydantic)
    and qtawesome; shows what part of the start-up no code of ours can remove."""
    import PySide6.QtWidgets  # noqa: F401
    import qtawesome  # noqa: F401
    import sqlmodel  # noqa: F401

    print(json.dumps({"ready_s": time.perf_counter() - T0, "peak_mb": peak_mb()}), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    elif sys.argv[1] == "floor":
        floor()
    else:
        real(Path(sys.argv[2]))
