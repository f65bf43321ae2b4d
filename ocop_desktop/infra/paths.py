"""Where things live: the per-user data folder (overridable) and the bundled resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_DATA_DIR = "OCOP_DATA_DIR"
APP_FOLDER = "OCOP Desktop"


def default_data_dir() -> Path:
    """The per-user data folder of the platform (XDG on Linux, LOCALAPPDATA on Windows)."""
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / APP_FOLDER
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_FOLDER
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "ocop-desktop"


def resolve_data_dir(flag: str | None = None) -> Path:
    """``--data-dir`` wins, then ``OCOP_DATA_DIR``, then the platform default."""
    chosen = flag or os.environ.get(ENV_DATA_DIR)
    return Path(chosen).expanduser().resolve() if chosen else default_data_dir()


def resources_dir() -> Path:
    """The ``resources/`` folder, also inside a PyInstaller bundle."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[2]))
    return base / "resources"
