"""The one way the interface runs work: a core function off the GUI thread, with progress and cancel.

The function receives a :class:`JobControl`; progress reaches the GUI through a queued signal, a
progress dialog appears only if the job lasts longer than a moment, and the result or the
exception comes back on the GUI thread. Workers never touch widgets.

In the spirit of Anki's ``CollectionOp`` and ``QueryOp``: :meth:`TaskRunner.write` runs a use case
that writes (never on the GUI thread), sends an error to the message funnel unless the caller takes
it, and on success announces which tables changed (:attr:`TaskRunner.changed`), so every screen
that shows them refreshes; :meth:`TaskRunner.run` is the plain form, for reads and long jobs.
:func:`writer` is the application's one writer, which dialogs use.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ocop_desktop.infra import JobControl
from ocop_desktop.language import tr
from ui.messages import show_error

SHOW_AFTER_MS = 400


class _Signals(QObject):
    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[JobControl], Any], control: JobControl, signals: _Signals) -> None:
        super().__init__()
        self.fn, self.control, self.signals = fn, control, signals

    def run(self) -> None:
        try:
            result = self.fn(self.control)
        except BaseException as exc:
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


class Task(QObject):
    """One running job; ``cancel()`` asks it to stop at its next progress step."""

    finished = Signal()

    def __init__(self, parent: QWidget | None, title: str, quiet: bool = False) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self.signals = _Signals()
        self.running = True
        self.dialog: QProgressDialog | None = None
        if not quiet:
            self.dialog = QProgressDialog(title, tr("Hủy"), 0, 0, parent)
            self.dialog.setWindowTitle(title)
            self.dialog.setMinimumDuration(SHOW_AFTER_MS)
            self.dialog.setAutoClose(False)
            self.dialog.setAutoReset(False)
            self.dialog.canceled.connect(self.cancel)
            self.signals.progress.connect(self._on_progress)

    def cancel(self) -> None:
        self._cancel.set()

    def control(self) -> JobControl:
        return JobControl(progress=self.signals.progress.emit, is_cancelled=self._cancel.is_set)

    def _on_progress(self, done: int, total: int, text: str) -> None:
        assert self.dialog is not None
        self.dialog.setMaximum(total)
        self.dialog.setValue(done)
        if text:
            self.dialog.setLabelText(text)

    def close(self) -> None:
        self.running = False
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.hide()
            self.dialog.deleteLater()
        self.finished.emit()


class TaskRunner(QObject):
    """Runs jobs one at a time (the store has one writer) and keeps them alive until they end."""

    #: a write succeeded: the frozenset of the tables it changed ("producer", "product", …)
    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.tasks: list[Task] = []

    def run(self, parent: QWidget | None, title: str, fn: Callable[[JobControl], Any],
            on_done: Callable[[Any], None], on_error: Callable[[BaseException], None], *,
            quiet: bool = False) -> Task:
        """Run ``fn`` in the background; ``quiet`` jobs (status refreshes) show no progress dialog."""
        task = Task(parent, title, quiet)
        self.tasks.append(task)

        def finish_ok(result: Any) -> None:
            task.close()
            self.tasks.remove(task)
            on_done(result)

        def finish_error(exc: BaseException) -> None:
            task.close()
            self.tasks.remove(task)
            on_error(exc)

        task.signals.done.connect(finish_ok)
        task.signals.failed.connect(finish_error)
        self.pool.start(_Job(fn, task.control(), task.signals))
        return task

    def write(self, parent: QWidget | None, title: str, fn: Callable[[JobControl], Any], *,
              changes: Iterable[str], done: Callable[[Any], None] | None = None,
              failed: Callable[[BaseException], None] | None = None, quiet: bool = False) -> Task:
        """Run a use case that writes; then ``done``, then :attr:`changed` with ``changes``. Errors go
        to ``failed``, or to the message funnel."""
        tables = frozenset(changes)

        def ok(result: Any) -> None:
            if done is not None:
                done(result)
            self.changed.emit(tables)

        def bad(exc: BaseException) -> None:
            if failed is not None:
                failed(exc)
            else:
                show_error(parent, exc)

        return self.run(parent, title, fn, ok, bad, quiet=quiet)

    def wait(self, msecs: int = 30000) -> bool:
        return bool(self.pool.waitForDone(msecs))


_writer: list[TaskRunner] = []


def writer() -> TaskRunner:
    """The application's one writer (made with the first window that asks), shared by the main window
    and its dialogs so that writes never run at the same time."""
    if not _writer:
        _writer.append(TaskRunner())
    return _writer[0]
