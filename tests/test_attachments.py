"""Attachments are stored once by content, checked, and removed only as tombstones."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ocop_desktop.infra.errors import OcopError
from ocop_desktop.registry.attachments import add_attachment, delete_attachment, list_attachments, restore_attachment
from ocop_desktop.registry.producers import ProducerData, save_producer
from ocop_desktop.store.context import AppContext


@pytest.fixture
def producer(ctx: AppContext) -> str:
    return save_producer(ctx, ProducerData(name="HTX Sen", legal_type="htx", commune_code="30037"))


def test_same_content_is_stored_once(ctx: AppContext, producer: str, tmp_path: Path) -> None:
    a = tmp_path / "giấy phép.pdf"
    b = tmp_path / "bản sao.pdf"
    a.write_bytes(b"%PDF-1.4 noi dung")
    b.write_bytes(b"%PDF-1.4 noi dung")
    add_attachment(ctx, "producer", producer, a)
    add_attachment(ctx, "producer", producer, b)
    items = list_attachments(ctx, producer)
    assert [i.filename for i in items] == ["giấy phép.pdf", "bản sao.pdf"]
    digest = hashlib.sha256(b"%PDF-1.4 noi dung").hexdigest()
    assert {i.sha256 for i in items} == {digest}
    assert items[0].path.read_bytes() == b"%PDF-1.4 noi dung"
    assert len(list((ctx.attachments_dir).rglob("*"))) == 2  # one folder, one file


def test_refused_files_change_nothing(ctx: AppContext, producer: str, tmp_path: Path) -> None:
    exe = tmp_path / "virus.exe"
    exe.write_bytes(b"MZ")
    with pytest.raises(OcopError):
        add_attachment(ctx, "producer", producer, exe)
    with pytest.raises(OcopError):
        add_attachment(ctx, "producer", producer, tmp_path / "missing.jpg")
    with pytest.raises(OcopError):
        add_attachment(ctx, "producer", "0" * 32, tmp_path / "missing.jpg")
    assert list_attachments(ctx, producer) == []


def test_remove_and_restore(ctx: AppContext, producer: str, tmp_path: Path) -> None:
    photo = tmp_path / "anh.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n")
    aid = add_attachment(ctx, "producer", producer, photo)
    delete_attachment(ctx, aid)
    assert list_attachments(ctx, producer) == []
    restore_attachment(ctx, aid)
    assert [i.id for i in list_attachments(ctx, producer)] == [aid]
