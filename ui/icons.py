"""The one map from meaning to qtawesome icon, so every screen uses the same pictures."""

from __future__ import annotations

import qtawesome as qta
from PySide6.QtGui import QIcon

_SPECS = {
    "new": "fa5s.plus",
    "edit": "fa5s.pen",
    "delete": "fa5s.trash-alt",
    "restore": "fa5s.trash-restore",
    "undo": "fa5s.undo",
    "search": "fa5s.search",
    "producer": "fa5s.store",
    "product": "fa5s.box-open",
    "attach": "fa5s.paperclip",
    "file": "fa5s.file-alt",
    "demo": "fa5s.flask",
    "audit": "fa5s.shield-alt",
    "language": "fa5s.language",
    "quit": "fa5s.sign-out-alt",
    "about": "fa5s.info-circle",
    "star": "fa5s.star",
    "open": "fa5s.folder-open",
    "sync": "fa5s.sync-alt",
    "key": "fa5s.key",
    "export": "fa5s.file-export",
    "verify": "fa5s.check-circle",
    "outbox": "fa5s.paper-plane",
    "import": "fa5s.file-import",
    "backup": "fa5s.history",
}


def icon(name: str) -> QIcon:
    made: QIcon = qta.icon(_SPECS[name])  # qtawesome is untyped
    return made
