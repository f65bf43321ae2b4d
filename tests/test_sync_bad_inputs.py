"""The bad inputs of docs/threat-model.md §2 as a whole: each is refused with its own code and message, and neither
installation's database changes. The cases are in the themed modules (container, member names,
signatures, manifest, records); here, what holds across them, and the unmodified package that passes."""

from __future__ import annotations

import json

from ocop_desktop.sync.exchange.installation_view import verify_package
from ocop_desktop.sync.package.rejections import MESSAGES
from tests import (
    test_sync_bad_container,
    test_sync_bad_manifest,
    test_sync_bad_member_names,
    test_sync_bad_records,
    test_sync_bad_signatures,
)
from tests.package_builder import PackageBuilder
from tests.sync_fixtures import Pair

THEMES = (test_sync_bad_container, test_sync_bad_member_names, test_sync_bad_signatures, test_sync_bad_manifest,
          test_sync_bad_records)


def test_every_code_has_its_own_message() -> None:
    assert len(set(MESSAGES.values())) == len(MESSAGES)
    used = {code for theme in THEMES for code, _ in theme.CASES.values()} | {"EXPIRED", "TRUNCATED"}
    assert len(used) >= 60
    assert used <= set(MESSAGES)


def test_the_unmodified_package_passes(base_package: tuple[PackageBuilder, Pair]) -> None:
    builder, p = base_package
    (p.tmp / "ok.ocsync").write_bytes(builder.build())
    verified = verify_package(p.province, p.tmp / "ok.ocsync")
    assert verified.sequence == "next" and verified.counts == {"attachment": 1, "producer": 1, "product": 1}
    assert json.loads(json.dumps(verified.manifest))["sender"]["unit"] == "30037"


def test_every_code_is_in_the_published_format() -> None:
    """docs/package-format.md §7 lists every rejection code (a third-party verifier needs them)."""
    from tests.conftest import ROOT

    document = (ROOT / "docs" / "package-format.md").read_text(encoding="utf-8")
    assert [code for code in MESSAGES if f"`{code}`" not in document] == []
