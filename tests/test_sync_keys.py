"""Installation keys: sealed with Argon2id + ChaCha20-Poly1305, fail closed, rotate under the old key."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from ocop_desktop.infra.errors import OcopError, ValidationFailed
from ocop_desktop.sync.trust import keys

FAST = keys.KdfParams.floor()  # the floor keeps the tests quick; the app's default is far stronger
PASS = "sen hồng Tháp Mười 2026"


def make(tmp_path: Path, name: str = "device.key", purpose: str = "device") -> Path:
    path = tmp_path / name
    keys.create_key(path, PASS, purpose, FAST)
    return path


def test_keyfile_params_at_least_floor(tmp_path: Path) -> None:
    assert keys.argon2_available()
    assert keys.KdfParams().meets_floor() and keys.KdfParams().memory_kib >= 19 * 1024
    with pytest.raises(OcopError):
        keys.create_key(tmp_path / "weak.key", PASS, "device", keys.KdfParams(8 * 1024, 1, 1))
    path = make(tmp_path)
    document = json.loads(path.read_text())
    document["kdf"]["memory_kib"] = 1024  # a file claiming weak parameters is refused before any work
    (tmp_path / "weakened.key").write_text(json.dumps(document))
    with pytest.raises(OcopError) as info:
        keys.open_key(tmp_path / "weakened.key", PASS)
    assert "yếu hơn mức tối thiểu" in info.value.message_vi


def test_keyfile_wrong_passphrase_fails_closed(tmp_path: Path) -> None:
    path = make(tmp_path)
    with pytest.raises(OcopError) as info:
        keys.open_key(path, PASS + "x")
    assert "Mật khẩu không đúng" in info.value.message_vi
    opened = keys.open_key(path, PASS)  # the right passphrase opens the very key the file names
    assert keys.fingerprint(keys.public_raw(opened), "device") == keys.read_header(path.read_bytes())[2].key_id


def test_keyfile_flipped_byte_fails(tmp_path: Path) -> None:
    path = make(tmp_path)
    data = path.read_bytes()
    for position in range(0, len(data), 7):
        changed = bytearray(data)
        changed[position] ^= 0x01
        (tmp_path / "x.key").write_bytes(bytes(changed))
        with pytest.raises(OcopError):
            keys.open_key(tmp_path / "x.key", PASS)


def test_keyfile_is_not_pkcs8_pem_and_is_private(tmp_path: Path) -> None:
    path = make(tmp_path)
    text = path.read_text()
    assert "BEGIN" not in text and "PRIVATE KEY" not in text
    assert json.loads(text)["format"] == "ocop-key/1"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(OcopError):
        keys.create_key(path, PASS, "device", FAST)  # never overwrites a key


def test_passphrase_rules_and_change(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed):
        keys.create_key(tmp_path / "short.key", "ngắn", "device", FAST)
    path = make(tmp_path)
    before = keys.public_raw(keys.open_key(path, PASS))
    keys.change_passphrase(path, PASS, "một mật khẩu mới dài hơn")
    with pytest.raises(OcopError):
        keys.open_key(path, PASS)
    assert keys.public_raw(keys.open_key(path, "một mật khẩu mới dài hơn")) == before


def test_two_installs_have_distinct_fingerprints(tmp_path: Path) -> None:
    a, b = make(tmp_path, "a.key"), make(tmp_path, "b.key")
    ida = keys.read_header(a.read_bytes())[2].key_id
    idb = keys.read_header(b.read_bytes())[2].key_id
    assert ida != idb and len(ida) == 64


def test_fingerprint_depends_on_purpose_and_reads_in_groups() -> None:
    raw = bytes(range(32))
    assert keys.fingerprint(raw, "device") != keys.fingerprint(raw, "province-root")
    shown = keys.grouped(keys.fingerprint(raw, "device"))
    groups = shown.split("-")
    assert len(groups) == 13 and all(len(g) == 4 for g in groups[:-1]) and shown.isupper()
