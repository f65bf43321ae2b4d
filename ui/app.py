"""Start-up of the GUI: paths → logging and crash hook → QApplication → store → set-up → window.

Each step that can fail because of the environment (a read-only folder, a damaged or newer
database) ends with a clear message instead of a traceback. The window can be rebuilt on another
data folder (the demo) or in another language without restarting the process.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from ocop_desktop import APP_NAME
from ocop_desktop.evaluation import load_catalog
from ocop_desktop.infra import USER_ERRORS, setup_logging, user_message
from ocop_desktop.installation import RESTORED_NOTE, create_demo, has_demo, restore_backup, save_language
from ocop_desktop.language import set_language, tr
from ocop_desktop.store import AppContext, open_context
from ui.dialogs.setup_dialog import SetupDialog
from ui.main_window import MainWindow
from ui.messages import alert, inform, install_excepthook, show_error
from ui.tasks import writer

log = logging.getLogger(__name__)
DEMO_FOLDER = "demo"
CHECKS_DELAY_MS = 1500


def start_up_checks(ctx: AppContext) -> None:
    """Work that need not hold up the first window: read the whole store, validate the catalog."""
    ctx.check_integrity()
    load_catalog()


class GuiApp:
    """Owns the open context and the main window; switches data folder or language on request."""

    def __init__(self, qapp: QApplication) -> None:
        self.qapp = qapp
        self.runner = writer()
        self.ctx: AppContext | None = None
        self.window: MainWindow | None = None

    def open(self, data_dir: Path) -> bool:
        """Open the store in ``data_dir``; run the set-up if needed; show the window."""
        try:
            ctx = open_context(data_dir, full_check=False)  # the full check runs after the window shows
        except USER_ERRORS as exc:
            log.error("cannot open store in %s: %s", data_dir, exc)
            alert(None, APP_NAME, str(getattr(exc, "message_vi", exc)) + f"\n\n{data_dir}")
            return False
        inst = ctx.installation()
        just_set_up = False
        if inst is None:
            dialog = SetupDialog(ctx)
            if not dialog.exec():
                ctx.close()
                return False
            if dialog.choice == "demo":
                self._fill_demo(ctx)
                return True
            just_set_up = True
        try:
            self._show(ctx)
            if just_set_up and self.window is not None:  # the last step of set-up: the signing key
                QTimer.singleShot(0, self.window.offer_signing_key)
        except Exception as exc:
            message = user_message(exc)
            if message is None:
                raise
            log.error("cannot show the store in %s: %s", data_dir, exc)
            alert(None, APP_NAME, message + f"\n\n{data_dir}")
            ctx.close()
            return False
        return True

    def _show(self, ctx: AppContext) -> None:
        inst = ctx.require_installation()
        set_language(inst.language)
        old = self.window
        if self.ctx is not None and self.ctx is not ctx:
            self.ctx.close()
        self.ctx = ctx
        self.window = MainWindow(ctx, self.runner)
        self.window.language_changed.connect(self.change_language)
        self.window.open_demo_requested.connect(self.open_demo)
        self.window.restore_requested.connect(self.restore)
        if old is not None:
            self.window.setGeometry(old.geometry())
            old.close()
            old.deleteLater()
        self.window.show()
        window = self.window
        # a moment after the window is usable: the checks hold the GIL while they parse the catalog
        QTimer.singleShot(CHECKS_DELAY_MS, lambda: self._start_up_checks(window, ctx))

    def _start_up_checks(self, window: MainWindow, ctx: AppContext) -> None:
        if not isValid(window) or window is not self.window:
            return  # the window was replaced (language, demo) before the checks started
        self.runner.run(window, "", lambda job: start_up_checks(ctx), lambda _none: None,
                        lambda exc: show_error(window, exc, APP_NAME), quiet=True)

    def _fill_demo(self, ctx: AppContext) -> None:
        def done(_written: int) -> None:
            self._show(ctx)

        def failed(exc: BaseException) -> None:
            show_error(self.window, exc)
            if self.window is None:
                self.qapp.quit()

        self.runner.run(self.window, tr("Đang tạo dữ liệu demo…"), lambda job: create_demo(ctx, job),
                        done, failed)

    def open_demo(self) -> None:
        """Fill this store if it is empty, else open the demo in its own folder next to it."""
        assert self.ctx is not None
        ctx = self.ctx
        inst = ctx.installation()
        if inst is not None and inst.is_demo:
            if not has_demo(ctx):
                self._fill_demo(ctx)
            return  # this is the demo already
        folder = ctx.data_dir / DEMO_FOLDER
        try:
            demo_ctx = open_context(folder, full_check=False)
        except USER_ERRORS as exc:
            show_error(self.window, exc)
            return
        self._fill_demo(demo_ctx)

    def restore(self, backup: Path) -> None:
        """Close the store, restore ``backup`` into it (the current state kept as a backup), reopen."""
        assert self.ctx is not None and self.window is not None
        ctx, window = self.ctx, self.window
        self.runner.wait()  # nothing may read the store while it is replaced

        def done(reopened: AppContext) -> None:
            self.ctx = None  # already closed by the restore
            self._show(reopened)
            if self.window is not None:
                inform(self.window, APP_NAME, tr(RESTORED_NOTE))

        def failed(exc: BaseException) -> None:
            show_error(window, exc)
            try:
                self._show(open_context(ctx.data_dir, full_check=False))
            except USER_ERRORS as again:
                show_error(None, again)

        self.runner.run(window, tr("Đang khôi phục…"), lambda job: restore_backup(ctx, backup), done, failed)

    def change_language(self, lang: str) -> None:
        assert self.ctx is not None
        ctx = self.ctx
        self.runner.write(self.window, "", lambda job: save_language(ctx, lang), changes={"installation"},
                          done=lambda _r: self._show(ctx), quiet=True)


def create_qapp() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("OCOP")
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    return app


def run_gui(data_dir: Path, verbose: bool = False) -> int:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        log_dir: Path | None = data_dir
    except OSError:
        log_dir = None
    setup_logging(log_dir, verbose)
    qapp = create_qapp()
    install_excepthook()
    gui = GuiApp(qapp)
    if not gui.open(data_dir):
        return 1
    code = qapp.exec()
    gui.runner.wait()
    return int(code)
