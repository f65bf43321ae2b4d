"""The outbox says "sent" only once the package's file is where the officer asked (issue 13, item 6):
a package whose file never arrived is written again from the outbox, byte for byte, and the
half-written files a killed export leaves behind are cleaned up."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from ocop_desktop.infra.errors import OcopError
from ocop_desktop.sync.exchange import export as export_module
from ocop_desktop.sync.exchange.export import export_package, outbox
from ocop_desktop.sync.exchange.overview import outbox_status, overview, save_copy
from tests.sync_fixtures import PASS, Pair


def _fail_the_rename(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    def refuse(temp: Path, target: Path) -> None:
        raise error
    monkeypatch.setattr(export_module, "put_in_place", refuse)


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()],
                         ids=["stick-full", "killed-before-the-rename"])
def test_a_package_not_in_place_is_prepared_not_sent(pair: Pair, monkeypatch: pytest.MonkeyPatch,
                                                      error: BaseException) -> None:
    target = pair.tmp / "usb" / "goi.ocsync"
    _fail_the_rename(monkeypatch, error)
    with pytest.raises((OcopError, KeyboardInterrupt)) as info:
        export_package(pair.local, PASS, "82", target, full=True)
    if isinstance(info.value, OcopError):
        assert "hộp thư đi" in info.value.message_vi
    [row] = outbox(pair.local)
    assert row.status == "prepared" and not target.exists()
    assert outbox_status(overview(pair.local), row) == "prepared"
    assert list(target.parent.glob("*.part")) == []  # the half-written file went with the failure


def test_a_package_that_never_arrived_is_written_again_byte_for_byte(pair: Pair,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _fail_the_rename(monkeypatch, OSError(5, "I/O error"))
    with pytest.raises(OcopError):
        export_package(pair.local, PASS, "82", pair.tmp / "goi.ocsync", full=True)
    monkeypatch.undo()
    [row] = outbox(pair.local)
    again = save_copy(pair.local, row.package_id, pair.tmp / "usb2" / "goi.ocsync")
    assert hashlib.sha256(again.read_bytes()).hexdigest() == row.sha256
    assert outbox(pair.local)[0].status == "sent"


def test_a_finished_export_is_sent(pair: Pair) -> None:
    result = export_package(pair.local, PASS, "82", pair.tmp / "goi.ocsync", full=True)
    [row] = outbox(pair.local)
    assert row.status == "sent" and result.path.exists()


def test_stale_part_files_are_cleaned_up_and_fresh_ones_kept(pair: Pair) -> None:
    folder = pair.tmp / "usb"
    folder.mkdir()
    stale = folder / ".ocop-abc123.ocsync.part"
    fresh = folder / ".ocop-def456.ocsync.part"
    other = folder / "ghi-chu.part"  # not ours: never touched
    for path in (stale, fresh, other):
        path.write_bytes(b"half")
    old = time.time() - 2 * export_module.STALE_PART.total_seconds()
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    export_package(pair.local, PASS, "82", folder / "goi.ocsync", full=True)
    assert not stale.exists() and fresh.exists() and other.exists()
    assert (folder / "goi.ocsync").exists()
