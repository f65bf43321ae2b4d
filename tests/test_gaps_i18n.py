"""Test gap of issue 12 (item 8): the translation check reads every module, however deep."""

from __future__ import annotations

from tests.conftest import ROOT
from tests.test_i18n import interface_strings, source_files


def test_the_scan_reaches_modules_in_sub_packages() -> None:
    scanned = set(source_files())
    for package in ("ocop_desktop", "ui"):
        modules = set((ROOT / package).rglob("*.py"))
        assert modules <= scanned, sorted(str(p.relative_to(ROOT)) for p in modules - scanned)
    nested = ROOT / "ocop_desktop" / "sync" / "exchange" / "summaries.py"  # tr("không có bản ghi"), three levels down
    assert nested in scanned and "không có bản ghi" in interface_strings()
    assert not any("tests" in p.relative_to(ROOT).parts for p in scanned)  # the tests' own tr() calls are not UI

