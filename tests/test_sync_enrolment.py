"""A commune office and its province enrol each other through files alone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ocop_desktop.infra.errors import OcopError
from ocop_desktop.installation.setup import init_installation
from ocop_desktop.store.context import AppContext, open_context
from ocop_desktop.sync.package.rejections import PackageRejected
from ocop_desktop.sync.trust import enrolment as trust
from ocop_desktop.sync.trust import keys
from ocop_desktop.sync.trust import updates as trust_updates
from tests.sync_fixtures import ROOT_PASS, publish_pending

FAST = keys.KdfParams.floor()
PASS = "mật khẩu của cán bộ 2026"


Enrolled = tuple[AppContext, AppContext, Path]
"""(commune, province, folder) as the pair fixture here gives them: keys made, not yet enrolled."""


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Enrolled]:
    local = open_context(tmp_path / "xa")
    init_installation(local, "30037", "local", "Cán bộ xã Tháp Mười")
    province = open_context(tmp_path / "tinh")
    init_installation(province, "82", "province", "Cán bộ Sở NN&MT")
    trust.create_device_key(local, PASS, FAST)
    trust.create_device_key(province, PASS, FAST)
    trust_updates.init_root(province, ROOT_PASS, FAST)
    yield local, province, tmp_path
    local.close()
    province.close()


def test_enrolment_both_ways_through_files(pair: Enrolled) -> None:
    local, province, tmp = pair
    request = trust.export_enrolment_request(local, PASS, tmp / "yeu-cau.json")
    shown = trust.read_enrolment_request(request)
    assert shown.unit == "30037" and len(shown.grouped.split("-")) == 13
    key_id = trust.accept_enrolment(province, request, shown.grouped)  # compared over the phone
    [trusted] = trust.trusted_keys(province)
    assert (trusted.key_id, trusted.unit_code, trusted.status) == (key_id, "30037", "active")
    publish_pending(province)
    province_file = trust_updates.export_chain(province, tmp / "tinh.ocoptrust")
    update = trust_updates.import_trust(local, province_file, trust_updates.genesis(province))
    assert (update.before, update.after, update.own_key_revoked) == (None, 2, False)
    publisher = keys.read_header(trust.device_key_path(province).read_bytes())[2].key_id
    assert [(k.unit_code, k.key_id) for k in trust.trusted_keys(local)] == [("82", publisher)]


def test_fingerprint_must_match(pair: Enrolled) -> None:
    local, province, tmp = pair
    request = trust.export_enrolment_request(local, PASS, tmp / "r.json")
    with pytest.raises(OcopError) as info:
        trust.accept_enrolment(province, request, "AAAA-BBBB-CCCC")
    assert "không khớp" in info.value.message_vi
    assert trust.trusted_keys(province) == []


def test_tampered_request_is_refused(pair: Enrolled) -> None:
    local, province, tmp = pair
    request = trust.export_enrolment_request(local, PASS, tmp / "r.json")
    document = json.loads(request.read_text())
    document["unit"] = "30046"  # another commune, same signature
    (tmp / "forged.json").write_text(json.dumps(document))
    with pytest.raises(OcopError):
        trust.accept_enrolment(province, tmp / "forged.json", keys.grouped(document["key_id"]))
    (tmp / "garbage.json").write_text("{not json")
    with pytest.raises(OcopError):
        trust.read_enrolment_request(tmp / "garbage.json")
    assert trust.trusted_keys(province) == []


def test_revocation_travels_down_in_the_next_trust_version(pair: Enrolled) -> None:
    local, province, tmp = pair
    request = trust.export_enrolment_request(local, PASS, tmp / "r.json")
    key_id = trust.accept_enrolment(province, request, trust.read_enrolment_request(request).grouped)
    publish_pending(province)
    first = trust_updates.export_chain(province, tmp / "v2.ocoptrust")
    trust_updates.import_trust(local, first, trust_updates.genesis(province))
    trust.revoke_key(province, key_id, "Máy tính xã bị mất")
    with pytest.raises(OcopError):
        trust.accept_enrolment(province, request, trust.read_enrolment_request(request).grouped)
    assert trust_updates.pending_changes(province) != []
    publish_pending(province)
    second = trust_updates.export_chain(province, tmp / "v3.ocoptrust")
    update = trust_updates.import_trust(local, second)  # already pinned: each new version is checked
    assert (update.before, update.after, update.own_key_revoked) == (2, 3, True)
    status = trust_updates.status(local)
    assert status is not None and status.own_key_revoked and status.revoked == 1


def test_a_different_province_root_is_not_silently_accepted(pair: Enrolled, tmp_path: Path) -> None:
    local, province, tmp = pair
    first = trust_updates.export_chain(province, tmp / "v1.ocoptrust")
    trust_updates.import_trust(local, first, trust_updates.genesis(province))
    other = open_context(tmp_path / "tinh-gia")
    init_installation(other, "82", "province", "Kẻ giả mạo")
    trust.create_device_key(other, PASS, FAST)
    trust_updates.init_root(other, ROOT_PASS, FAST)
    fake = trust_updates.export_chain(other, tmp / "fake.ocoptrust")
    before = trust_updates.status(local)
    with pytest.raises(PackageRejected) as info:  # even with the forger's own fingerprint read out
        trust_updates.import_trust(local, fake, trust_updates.genesis(other))
    assert info.value.code == "TRUST_OLD_THRESHOLD"
    assert trust_updates.status(local) == before
    other.close()


def test_enrolment_from_the_command_line(tmp_path: Path) -> None:
    from tests.test_cli_demo import run

    pw = tmp_path / "pw"
    pw.write_text("mật khẩu rất dài 2026\n", encoding="utf-8")
    xa, tinh = tmp_path / "xa", tmp_path / "tinh"
    assert run("init", "--unit", "30037", "--level", "local", "--officer", "A", data_dir=xa).returncode == 0
    assert run("init", "--unit", "82", "--level", "province", "--officer", "B", data_dir=tinh).returncode == 0
    assert run("keys", "create", "--passphrase-file", str(pw), data_dir=xa).returncode == 0
    out = run("keys", "enrol-request", "--passphrase-file", str(pw), "--out", str(tmp_path / "r.json"), data_dir=xa)
    shown = out.stdout.rsplit(": ", 1)[1].strip()
    refused = run("keys", "enrol-accept", str(tmp_path / "r.json"), "--fingerprint", "ABCD", data_dir=tinh)
    assert refused.returncode == 2 and "không khớp" in refused.stderr and "Traceback" not in refused.stderr
    assert run("keys", "enrol-accept", str(tmp_path / "r.json"), "--fingerprint", shown, data_dir=tinh).returncode == 0
    assert "30037 | device" in run("keys", "list", data_dir=tinh).stdout
    wrong = tmp_path / "wrong"
    wrong.write_text("sai mật khẩu rồi nhé", encoding="utf-8")
    bad = run("keys", "enrol-request", "--passphrase-file", str(wrong), "--out", str(tmp_path / "x.json"), data_dir=xa)
    assert bad.returncode == 2 and "Mật khẩu không đúng" in bad.stderr and not (tmp_path / "x.json").exists()


def test_printed_key_sheet_carries_the_fingerprint(pair: Enrolled) -> None:
    from ocop_desktop.reports.printing.documents import key_sheet
    from tests.test_printing import flat, pdf_text, qr_of_first_page

    local, _province, tmp = pair
    out = key_sheet(local, tmp / "phieu-khoa.pdf")
    info = keys.read_header(trust.device_key_path(local).read_bytes())[2]
    # printed on two lines; pdfium reports a hyphen that ends a line as U+FFFE
    assert keys.grouped(info.key_id) in "".join(pdf_text(out).replace("\ufffe", "-").split())
    assert "Xã Tháp Mười" in flat(pdf_text(out))
    assert qr_of_first_page(out) == f"OCOPKEY1|device|{info.key_id}"


def test_a_commune_cannot_enrol_a_province_purpose_key(pair: Enrolled) -> None:
    """Found by the adversarial review: the request's own 'purpose' must not be trusted."""
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    _local, province, tmp = pair
    key = Ed25519PrivateKey.generate()
    public = keys.public_raw(key)
    body = {"format": trust.REQUEST_FORMAT, "unit": "30037", "device": "ab" * 16, "level": "local",
            "officer": "x", "purpose": "province-publisher", "key_id": keys.fingerprint(public, "province-publisher"),
            "public_key": base64.b64encode(public).decode(), "created": "2026-11-28T00:00:00+00:00"}
    signed = {**body, "signature": base64.b64encode(key.sign(trust._canonical(body))).decode()}
    (tmp / "evil.json").write_text(json.dumps(signed))
    with pytest.raises(OcopError):
        trust.accept_enrolment(province, tmp / "evil.json", keys.grouped(body["key_id"]))
    assert trust.trusted_keys(province) == []


def test_trust_file_from_the_command_line(tmp_path: Path) -> None:
    """The province signs and hands out its trust file; an office pins it once and then follows
    revocations and a root rotation to 2 of 3, as a newcomer would from the README."""
    from tests.test_cli_demo import run

    pw = tmp_path / "pw"
    pw.write_text("mật khẩu rất dài 2026\n", encoding="utf-8")
    xa, tinh = tmp_path / "xa", tmp_path / "tinh"
    for unit, level, folder in (("30037", "local", xa), ("82", "province", tinh)):
        assert run("init", "--unit", unit, "--level", level, "--officer", "A", "--passphrase-file", str(pw),
                   data_dir=folder).returncode == 0
    request = tmp_path / "r.json"
    shown = run("keys", "enrol-request", "--passphrase-file", str(pw), "--out", str(request), data_dir=xa)
    assert run("keys", "enrol-accept", str(request), "--fingerprint", shown.stdout.rsplit(": ", 1)[1].strip(),
               data_dir=tinh).returncode == 0
    rootpw = tmp_path / "rootpw"
    rootpw.write_text("mật khẩu khóa gốc, cất riêng\n", encoding="utf-8")
    same = run("keys", "root-create", "--passphrase-file", str(pw), data_dir=tinh)
    assert same.returncode == 2 and "phải khác mật khẩu" in same.stderr and "Traceback" not in same.stderr
    first = run("keys", "root-create", "--passphrase-file", str(rootpw), data_dir=tinh)
    assert first.returncode == 0 and "phiên bản 1" in first.stdout, first.stderr
    trust_file = tmp_path / "tinh.ocoptrust"
    out = run("keys", "province-export", "--out", str(trust_file), "--passphrase-file", str(rootpw), data_dir=tinh)
    assert out.returncode == 0 and "phiên bản 1" in out.stdout, out.stderr  # the enrolment is in version 1
    fingerprint = out.stdout.rsplit(": ", 1)[1].strip()
    refused = run("keys", "province-pin", str(trust_file), data_dir=xa)
    assert refused.returncode == 2 and "chưa ghi nhận gốc tin cậy" in refused.stderr
    pinned = run("keys", "province-pin", str(trust_file), "--fingerprint", fingerprint, data_dir=xa)
    assert pinned.returncode == 0 and "phiên bản 1" in pinned.stdout
    assert "phiên bản 1" in run("keys", "trust", data_dir=xa).stdout

    key_id = next(line.split(" | ")[2] for line in run("keys", "list", data_dir=tinh).stdout.splitlines()
                  if "30037" in line)
    raw_id = keys.read_header((xa / "keys" / "device.key").read_bytes())[2].key_id
    assert keys.grouped(raw_id) == key_id
    assert run("keys", "revoke", "--key", raw_id, "--reason", "mất máy", data_dir=tinh).returncode == 0
    assert "Chưa phát hành" in run("keys", "trust", data_dir=tinh).stdout
    assert run("keys", "province-export", "--out", str(trust_file), "--passphrase-file", str(rootpw),
               data_dir=tinh).returncode == 0
    follow = run("keys", "province-pin", str(trust_file), data_dir=xa)
    assert "phiên bản 2" in follow.stdout and "thu hồi khóa của máy này" in follow.stdout

    officers = tmp_path / "usb"
    for _ in range(3):
        assert run("keys", "root-create", "--out-dir", str(officers), "--passphrase-file", str(rootpw),
                   data_dir=tinh).returncode == 0
    new_roots = sorted(officers.glob("root-*.key"))
    [old_root] = sorted((tinh / "keys").glob("root-*.key"))
    args = [a for p in new_roots for a in ("--new-root", str(p))]
    signers = [a for p in [old_root, *new_roots] for a in ("--root-key", str(p))]
    rotated = run("keys", "publish", *args, "--threshold", "2", *signers, "--passphrase-file", str(rootpw),
                  data_dir=tinh)
    assert rotated.returncode == 0 and "phiên bản 3" in rotated.stdout and "cần 2 chữ ký" in rotated.stdout
    alone = run("keys", "publish", "--root-key", str(new_roots[0]), "--passphrase-file", str(rootpw), data_dir=tinh)
    assert alone.returncode == 2 and "không có đủ chữ ký" in alone.stderr and "Traceback" not in alone.stderr
    assert run("keys", "province-export", "--out", str(trust_file), data_dir=tinh).returncode == 0
    assert "phiên bản 3" in run("keys", "province-pin", str(trust_file), data_dir=xa).stdout

    garbage = tmp_path / "xau.ocoptrust"
    garbage.write_bytes(b"PK\x03\x04 not a trust file")
    bad = run("keys", "province-pin", str(garbage), data_dir=xa)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "tin cậy" in bad.stderr
    renewed = run("keys", "rotate", "--passphrase-file", str(pw), data_dir=xa)
    assert renewed.returncode == 0 and "enrol-request" in renewed.stdout
