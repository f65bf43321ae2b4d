"""Trust updates between the province and its offices: publishing versions, carrying them, applying them.

The province publishes version N+1 whenever its trust store changes (an office enrolled, a key
revoked, a new epoch authorised, the publishing key or the root keys rotated), signed with its
offline root keys. It hands every office the same *trust file*: the whole chain of versions, which
is small and lets an office that missed some catch up in order. An office pins version 1 once, by a
fingerprint compared out of band, and from then on applies only verified next versions. The checks
are in :mod:`ocop_desktop.sync.trust.root`; this module holds the files, the store and the use cases.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from database.engine import read_session, write_session
from database.tables import TrustedKey, TrustRootVersion
from ocop_desktop.infra.errors import OcopError
from ocop_desktop.infra.files import replaced_atomically
from ocop_desktop.infra.jsontext import canonical
from ocop_desktop.records import audit
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.store.context import AppContext
from ocop_desktop.sync.package import strict_json
from ocop_desktop.sync.package.format import environment_of, timestamp
from ocop_desktop.sync.package.rejections import PackageRejected
from ocop_desktop.sync.trust import clock, keys, root
from ocop_desktop.sync.trust.root import RootVersion

CHAIN_FORMAT = "ocop-trust-chain/1"
SUFFIX = ".ocoptrust"
MAX_CHAIN_FILE = 32 * 1024 * 1024


def keys_dir(ctx: AppContext) -> Path:
    return ctx.data_dir / "keys"


def root_key_paths(ctx: AppContext) -> list[Path]:
    """Root key files kept in this installation's key folder (others may be on officers' USB sticks)."""
    return sorted(keys_dir(ctx).glob("root-*.key"))


def create_root_key(ctx: AppContext, passphrase: str, params: keys.KdfParams | None = None,
                    folder: Path | None = None) -> Path:
    """A new province root key file; its fingerprint names it so that several can sit side by side.
    Its passphrase must differ from the publishing key's: whoever runs the machine day to day must
    not be able to rewrite the trust root (docs/threat-model.md item 7)."""
    from ocop_desktop.sync.trust.enrolment import device_key_path

    if device_key_path(ctx).exists():
        try:
            keys.open_key(device_key_path(ctx), passphrase)
        except OcopError:
            pass
        else:
            raise OcopError("Mật khẩu của khóa gốc phải khác mật khẩu của khóa ký hằng ngày.",
                            "root passphrase equals the device key's")
    folder = folder or keys_dir(ctx)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f"root-new-{os.urandom(4).hex()}.key"
    key_id = keys.create_key(temporary, passphrase, "province-root", params)
    return temporary.replace(folder / f"root-{key_id[:12]}.key")


def init_root(ctx: AppContext, passphrase: str, params: keys.KdfParams | None = None,
              folder: Path | None = None) -> RootVersion:
    """The province's first root key (1 of 1; thresholds can be raised later) and version 1."""
    if current(ctx) is not None:
        raise OcopError("Tỉnh đã có gốc tin cậy; hãy dùng chức năng đổi khóa gốc.", "trust root exists")
    root = create_root_key(ctx, passphrase, params, folder)
    return publish(ctx, [Signer(root, passphrase)])


def _public_of(path: Path, purpose: str) -> bytes:
    info = keys.read_header(Path(path).read_bytes())[2]
    if info.purpose != purpose or info.public_key is None:
        raise OcopError(f"Tệp {Path(path).name} không phải khóa {purpose} dùng được.", f"{path}: {info.purpose}")
    return info.public_key


def _held_rows(ctx: AppContext) -> list[TrustRootVersion]:
    with read_session(ctx.engine) as s:
        return list(s.scalars(select(TrustRootVersion).order_by(col(TrustRootVersion.version))))


def current(ctx: AppContext) -> RootVersion | None:
    """The newest version held (verified on the way in, so only parsed here)."""
    rows = _held_rows(ctx)
    if not rows:
        return None
    return _stored(rows[-1])


def _stored(row: TrustRootVersion) -> RootVersion:
    envelope = strict_json.loads(row.envelope.encode("utf-8"), "Bản tin cậy đã lưu")
    return root.with_envelope(root.parse_body(root.open_envelope(envelope)[0]), envelope)


# -- the province -------------------------------------------------------------------------------


def _device_entries(ctx: AppContext) -> list[dict[str, Any]]:
    with read_session(ctx.engine) as s:
        rows = s.scalars(select(TrustedKey).where(col(TrustedKey.purpose) == "device")).all()
    return [{"unit": r.unit_code, "device": r.device_id, "public_key": base64.b64decode(r.public_key),
             "status": "revoked" if r.status == "revoked" else "active", "epoch": r.epoch,
             "revoked_at": timestamp(r.revoked_at) if r.revoked_at else None} for r in rows]


def _publisher(ctx: AppContext) -> bytes:
    from ocop_desktop.sync.trust.enrolment import device_key_path

    return _public_of(device_key_path(ctx), "province-publisher")


def pending_changes(ctx: AppContext) -> list[str]:
    """What the trust store holds that the newest published version does not say yet: fixed
    Vietnamese sentences (translated by the window)."""
    held = current(ctx)
    if held is None:
        return ["Chưa phát hành bản tin cậy nào."]
    changes = []
    if held.publisher.public != _publisher(ctx):
        changes.append("Khóa phát hành của tỉnh đã đổi.")
    published = {(d.key.key_id, d.status, d.epoch) for d in held.devices}
    entries = _device_entries(ctx)
    state = {(keys.fingerprint(e["public_key"], "device"), e["status"], e["epoch"]) for e in entries}
    ids = {d.key.key_id for d in held.devices}
    if any(key_id not in ids for key_id, _, _ in state):
        changes.append("Có khóa máy xã mới đăng ký.")
    if {k for k, _, _ in state - published} & ids:
        changes.append("Có khóa máy xã bị thu hồi hoặc được cấp thế hệ mới.")
    return changes


@dataclass
class Signer:
    """A root key file and the passphrase of the officer who holds it."""

    path: Path
    passphrase: str = field(repr=False)


def publish(ctx: AppContext, signers: list[Signer], *, new_roots: list[Path] | None = None,
            threshold: int | None = None, now: datetime | None = None,
            validity: timedelta = root.VALIDITY) -> RootVersion:
    """Sign and keep the next version from the current trust store. The new version is checked
    exactly as an office will check it before anything is kept, so too few signatures change nothing."""
    inst = ctx.require_installation()
    if inst.level != "province":
        raise OcopError("Chỉ cài đặt cấp tỉnh mới phát hành bản tin cậy.", "not a province")
    caught_up = _catch_up(ctx)
    held = caught_up[-1] if caught_up else current(ctx)
    if held is None and not new_roots:
        new_roots = [s.path for s in signers]  # version 1: the keys that sign it are the first roots
    roots = [_public_of(p, "province-root") for p in new_roots] if new_roots else \
        [r.public for r in held.roots] if held else []
    if not roots:
        raise OcopError("Chưa có khóa gốc nào của tỉnh.", "no root keys")
    wanted = threshold if threshold is not None else held.threshold if held and not new_roots else 1
    if not 1 <= wanted <= len(roots):
        raise OcopError(f"Ngưỡng chữ ký phải từ 1 đến {len(roots)} (số khóa gốc).", f"threshold {wanted}")
    private = [keys.open_key(s.path, s.passphrase) for s in signers]
    if len({keys.public_raw(k) for k in private}) != len(private):
        raise OcopError("Một khóa gốc được đưa vào hai lần; mỗi khóa chỉ ký một lần.", "same root key twice")
    moment = clock.now(ctx, now)
    payload = root.body(version=held.version + 1 if held else 1, province=inst.unit_code,
                              environment=environment_of(inst), threshold=wanted, roots=roots,
                              publisher=_publisher(ctx), devices=_device_entries(ctx), now=moment, validity=validity)
    envelope = root.sign(payload, private)
    if held is None:
        version = root.verify_genesis(envelope, root.genesis_fingerprint(payload))
    else:
        version = root.verify_next(held, envelope)
    with write_session(ctx.engine) as s:
        for earlier in caught_up:
            _keep(s, earlier, "trust-catch-up")
        _keep(s, version, "publish")
    export_chain(ctx, sent_copy(ctx))
    return version


def sent_copy(ctx: AppContext) -> Path:
    """Every published version is also kept outside the database, so a province restored from an
    older backup catches up instead of signing a second, different version N+1 (a fork)."""
    return ctx.data_dir / "outbox" / "trust" / f"tin-cay{SUFFIX}"


def _catch_up(ctx: AppContext) -> list[RootVersion]:
    """Versions in the kept copy that the database no longer holds (after a restore)."""
    path = sent_copy(ctx)
    if not path.exists():
        return []
    envelopes = read_chain(path)
    held = current(ctx)
    confirmed = None
    if held is None:  # restored to before version 1: the copy is this province's own
        confirmed = root.genesis_fingerprint(root.open_envelope(envelopes[0])[0])
    return root.verify_chain(held, envelopes, {r.payload_sha256 for r in _held_rows(ctx)},
                                   clock.now(ctx), confirmed, check_expiry=False)


def _keep(s: Any, version: RootVersion, action: str) -> None:
    clock.remember(s)
    s.add(TrustRootVersion(version=version.version, payload_sha256=version.payload_sha256,
                           envelope=canonical(version.envelope), created=version.created, expires=version.expires))
    audit.record(s, current_installation(s), action, "trust_root_version", str(version.version), None,
                 {"version": version.version, "payload_sha256": version.payload_sha256,
                  "expires": timestamp(version.expires), "threshold": version.threshold,
                  "roots": len(version.roots), "publisher": version.publisher.key_id,
                  "devices": len(version.devices)})


def genesis(ctx: AppContext) -> str | None:
    """The fingerprint of version 1, grouped to be read over the phone."""
    rows = _held_rows(ctx)
    if not rows:
        return None
    return keys.grouped(root.genesis_fingerprint(_stored(rows[0]).payload))


def export_chain(ctx: AppContext, target: Path) -> Path:
    """The trust file every office receives: all versions, oldest first, each signed by the roots."""
    rows = _held_rows(ctx)
    if not rows:
        raise OcopError("Tỉnh chưa phát hành bản tin cậy nào.", "no trust version")
    inst = ctx.require_installation()
    document = {"format": CHAIN_FORMAT, "province": inst.unit_code,
                "envelopes": [strict_json.loads(r.envelope.encode("utf-8"), "Bản tin cậy đã lưu") for r in rows]}
    with replaced_atomically(target) as temp:
        temp.write_text(canonical(document) + "\n", encoding="utf-8")
    return target


# -- an office ----------------------------------------------------------------------------------


def read_chain(path: Path) -> list[Any]:
    """The envelopes of a trust file, shape-checked (their signatures are checked when applied)."""
    try:
        size = Path(path).stat().st_size
        if size > MAX_CHAIN_FILE:
            raise PackageRejected("TRUST_MALFORMED", f"tệp quá lớn ({size} byte)")
        data = Path(path).read_bytes()
    except OSError as exc:
        raise PackageRejected("FILE_UNREADABLE", str(exc.strerror or exc)) from exc
    document = strict_json.loads(data.rstrip(b"\n"), "Tệp tin cậy")
    if not isinstance(document, dict) or set(document) != {"format", "province", "envelopes"} \
            or document["format"] != CHAIN_FORMAT or not isinstance(document["envelopes"], list) \
            or not 1 <= len(document["envelopes"]) <= root.MAX_VERSION:
        raise PackageRejected("TRUST_MALFORMED", "không phải tệp tin cậy của OCOP Desktop")
    return list(document["envelopes"])


@dataclass(frozen=True)
class TrustUpdate:
    before: int | None
    after: int
    publisher_changed: bool
    own_key_revoked: bool
    expires: datetime


def _own_key_id(ctx: AppContext) -> str | None:
    from ocop_desktop.sync.trust.enrolment import device_key_path

    path = device_key_path(ctx)
    return keys.read_header(path.read_bytes())[2].key_id if path.exists() else None


def import_trust(ctx: AppContext, path: Path, confirmed_fingerprint: str | None = None,
                 now: datetime | None = None) -> TrustUpdate:
    """Apply a trust file: the first time only with the fingerprint of version 1 compared out of
    band, afterwards each newer version in order. All or nothing: a bad version changes nothing."""
    inst = ctx.require_installation()
    envelopes = read_chain(path)
    held = current(ctx)
    hashes = {r.payload_sha256 for r in _held_rows(ctx)}
    fresh = root.verify_chain(held, envelopes, hashes, clock.now(ctx, now), confirmed_fingerprint or None)
    final = fresh[-1] if fresh else held
    assert final is not None
    if (final.province, final.environment) != (ctx.units().code, environment_of(inst)):
        raise PackageRejected("TRUST_PROVINCE", f"{final.province}/{final.environment}")
    own = _own_key_id(ctx)
    entry = final.device_key(own) if own else None
    changed = held is None or held.publisher != final.publisher
    with write_session(ctx.engine) as s:
        for version in fresh:
            _keep(s, version, "trust-update")
        if fresh and inst.level != "province":  # a province catching up after a restore signs its own packages
            _pin_publisher(s, final)
    return TrustUpdate(held.version if held else None, final.version, changed and bool(fresh),
                       entry is not None and entry.status == "revoked", final.expires)


def _pin_publisher(s: Any, final: RootVersion) -> None:
    """Only the publishing key named by the newest version signs the province's packages here."""
    for row in s.scalars(select(TrustedKey).where(col(TrustedKey.purpose) == "province-publisher")):
        if row.key_id != final.publisher.key_id and row.status == "active":
            row.status, row.revoked_at = "revoked", datetime.now(UTC)
            row.note = f"replaced in trust version {final.version}"
            s.add(row)
    if s.get(TrustedKey, final.publisher.key_id) is None:
        s.add(TrustedKey(key_id=final.publisher.key_id, purpose="province-publisher", unit_code=final.province,
                         public_key=base64.b64encode(final.publisher.public).decode("ascii"),
                         epoch=root.MAX_VERSION, note=f"trust version {final.version}"))
        # the province starts a new epoch with each new key; the ledger still refuses any replay


@dataclass(frozen=True)
class TrustStatus:
    """What the sync tab shows: "last province update / valid until" (docs/threat-model.md item 15)."""

    version: int
    created: datetime
    expires: datetime
    threshold: int
    roots: int
    publisher: str
    devices: int
    revoked: int
    genesis: str
    expiring: bool
    expired: bool
    own_key_revoked: bool
    clock_behind: timedelta | None  # the computer's clock is behind what this installation has seen
    roots_here: int  # root keys of the current version kept in this installation's key folder


def status(ctx: AppContext, now: datetime | None = None) -> TrustStatus | None:
    held = current(ctx)
    if held is None:
        return None
    moment = clock.now(ctx, now)
    own = _own_key_id(ctx)
    entry = held.device_key(own) if own else None
    return TrustStatus(held.version, held.created, held.expires, held.threshold, len(held.roots),
                       held.publisher.key_id, len(held.devices), sum(d.status == "revoked" for d in held.devices),
                       genesis(ctx) or "", moment + root.EXPIRY_WARNED > held.expires, moment > held.expires,
                       entry is not None and entry.status == "revoked", clock.behind(ctx, now),
                       sum(_root_id(p) in {r.key_id for r in held.roots} for p in root_key_paths(ctx)))


def _root_id(path: Path) -> str | None:
    try:
        return keys.read_header(path.read_bytes())[2].key_id
    except (OSError, OcopError):
        return None
