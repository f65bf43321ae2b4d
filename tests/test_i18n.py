"""Every interface string has an English translation (the catalogue cannot silently fall behind)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ocop_desktop.language.translation import set_language, tr
from ocop_desktop.reference import vocab
from tests.conftest import ROOT

LITERAL = re.compile(r"""\btr\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\)""")


def source_files() -> list[Path]:
    """Every module of the application: each package (a folder with __init__.py, but the tests) read
    recursively, so a module moved into a sub-package is still scanned; and the top-level scripts."""
    packages = sorted(d for d in ROOT.iterdir() if (d / "__init__.py").is_file() and d.name != "tests")
    return sorted(ROOT.glob("*.py")) + [p for d in packages for p in sorted(d.rglob("*.py"))]


def interface_strings() -> set[str]:
    found: set[str] = set()
    for path in source_files():
        found.update(a or b for a, b in LITERAL.findall(path.read_text(encoding="utf-8")))
    for table in (vocab.LEVELS, vocab.LEGAL_TYPES, vocab.GENDERS, vocab.PRODUCT_STATUSES, vocab.MEMBER_ROLES,
                  vocab.DOSSIER_TYPES, vocab.ROUND_LEVELS, vocab.SHEET_STATUSES, vocab.RESULT_STATUSES,
                  vocab.TABLE_LABELS, vocab.FIELD_LABELS, vocab.OUTBOX_STATUSES, vocab.IMPORT_DECISIONS):
        found.update(table.values())
    from ui.evaluation_panel import COLUMNS

    found.update(COLUMNS)
    return found


def test_every_string_is_translated() -> None:
    catalogue = json.loads((ROOT / "resources" / "i18n" / "en.json").read_text(encoding="utf-8"))
    strings = interface_strings()
    assert len(strings) > 100
    assert sorted(strings - set(catalogue)) == []


def test_tr_switches_language() -> None:
    set_language("en")
    try:
        assert tr("Sản phẩm") == "Products"
        assert tr("chuỗi chưa dịch") == "chuỗi chưa dịch"
    finally:
        set_language("vi")
    assert tr("Sản phẩm") == "Sản phẩm"
