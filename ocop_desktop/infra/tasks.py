"""The contract of a long job in the core: report progress, honour cancellation.

Use cases that take long accept a :class:`JobControl`; the UI's task helper implements it with
thread-safe flags, the CLI with a printer. The core never knows which.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ocop_desktop.infra.errors import OcopError


class Cancelled(OcopError):
    def __init__(self, *_context: object) -> None:  # libraries may re-raise it with a message
        super().__init__("Đã hủy; không có thay đổi nào được ghi.", "cancelled by the user")


@dataclass
class JobControl:
    progress: Callable[[int, int, str], None] = lambda done, total, text: None
    is_cancelled: Callable[[], bool] = lambda: False

    def step(self, done: int, total: int, text: str = "") -> None:
        """Report progress; raise Cancelled (rolling back the caller's transaction) if asked."""
        if self.is_cancelled():
            raise Cancelled()
        self.progress(done, total, text)
