"""Errors the user can fix. Each carries a Vietnamese message for the screen and English for logs."""

from __future__ import annotations

from database.errors import StoreError, classify


class OcopError(Exception):
    """A problem with the user's input or situation, not a bug; ``message_vi`` is shown as is."""

    def __init__(self, message_vi: str, detail_en: str = "") -> None:
        super().__init__(detail_en or message_vi)
        self.message_vi = message_vi


class NotFound(OcopError):
    """The record asked for does not exist (or was deleted)."""


class ValidationFailed(OcopError):
    """Field errors (``errors``) block saving; warnings alone ask for confirmation."""

    def __init__(self, errors: dict[str, str], warnings: dict[str, str] | None = None) -> None:
        self.errors = errors
        self.warnings = warnings or {}
        shown = errors or self.warnings
        text = "; ".join(shown.values())
        super().__init__(f"Dữ liệu chưa hợp lệ: {text}", f"validation failed: {sorted(shown)}")

    @property
    def needs_confirmation_only(self) -> bool:
        return not self.errors and bool(self.warnings)


class NotInitialised(OcopError):
    def __init__(self) -> None:
        super().__init__(
            "Ứng dụng chưa được thiết lập. Hãy chạy 'main.py init --unit MÃ --level local|province "
            "--officer TÊN' hoặc mở giao diện để thiết lập.",
            "installation not initialised",
        )


#: Errors whose ``message_vi`` is shown to the user as is (the rest are bugs: crash dialog).
USER_ERRORS: tuple[type[Exception], ...] = (OcopError, StoreError)


def user_message(exc: BaseException) -> str | None:
    """The Vietnamese message for an error the user can act on (including a database that turns
    out locked or damaged while in use), or None for a bug."""
    if isinstance(exc, ValidationFailed):
        lines = [f"• {m}" for m in {**exc.warnings, **exc.errors}.values()]
        return "\n".join(["Dữ liệu chưa hợp lệ:", *lines])
    if isinstance(exc, USER_ERRORS):
        return str(getattr(exc, "message_vi", exc))
    known = classify(exc)
    return known.message_vi if known else None
