"""Logging set-up: English log lines to a rotating file in the data folder and to stderr."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path


def setup_logging(data_dir: Path | None, verbose: bool = False) -> None:
    root = logging.getLogger()
    if getattr(root, "_ocop_configured", False):
        return
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    console = logging.StreamHandler()
    console.setLevel(logging.INFO if verbose else logging.ERROR)  # users read the Vietnamese message; the log file keeps the rest
    console.setFormatter(fmt)
    root.addHandler(console)
    if data_dir is not None:
        try:
            (data_dir / "logs").mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(
                data_dir / "logs" / "ocop.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
            )
            handler.setFormatter(fmt)
            root.addHandler(handler)
        except OSError:
            logging.getLogger(__name__).warning("cannot write logs in %s", data_dir)
    root._ocop_configured = True  # type: ignore[attr-defined]
