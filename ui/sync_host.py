"""What the sync tab and its trust actions share: the context, the task runner, the overview shown,
asking for a passphrase and running a job whose refusal reads as a package rejection. The tab
inherits it and the trust actions take it, so neither imports the other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from ocop_desktop.language import tr
from ocop_desktop.store import AppContext
from ocop_desktop.sync.exchange import SyncOverview
from ocop_desktop.sync.package import PackageRejected
from ui.messages import alert, show_error
from ui.sync_dialogs import PassphraseDialog
from ui.tasks import TaskRunner


class SyncHost(QWidget):
    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        self.info: SyncOverview | None = None

    def refresh(self) -> None:
        """Read the overview again and show it (the tab's own)."""
        raise NotImplementedError

    def ask_passphrase(self, title: str, confirm: bool = False) -> str | None:
        dialog = PassphraseDialog(title, confirm, self)
        return dialog.passphrase if dialog.exec() else None

    def run_job(self, title: str, job: Callable[..., Any], done: Callable[[Any], None]) -> None:
        self.runner.run(self, title, job, done, lambda exc: self._failed(exc))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, PackageRejected):
            alert(self, tr("Gói không hợp lệ"), exc.message_vi + f"\n\n[{exc.code}]")
        else:
            show_error(self, exc)
        self.refresh()
