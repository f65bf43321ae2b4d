"""An installation's signing key (Ed25519), sealed at rest under the officer's passphrase.

The 32-byte seed is encrypted with ChaCha20-Poly1305 under a key derived by Argon2id; the file's
header (format, purpose, key id, KDF parameters, salt, nonce) is the AEAD's associated data, so
changing any byte of the file makes it fail to open. Files below OWASP's Argon2id floor are refused.
This is deliberately not PKCS#8 ``BestAvailableEncryption`` (PBKDF2 at 2,048 iterations).
See docs/threat-model.md items 1–3.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from ocop_desktop.infra.errors import OcopError, ValidationFailed
from ocop_desktop.infra.files import replaced_atomically

FORMAT = "ocop-key/1"
PURPOSES = ("device", "province-root", "province-publisher")
MIN_PASSPHRASE = 10


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: memory in KiB, iterations, lanes."""

    memory_kib: int = 256 * 1024  # about 0,8 s here; the key is unlocked rarely
    iterations: int = 3
    lanes: int = 4

    @classmethod
    def floor(cls) -> KdfParams:
        """OWASP's minimum for Argon2id (m = 19 MiB, t = 2, p = 1): nothing weaker is accepted."""
        return cls(19 * 1024, 2, 1)

    def meets_floor(self) -> bool:
        f = self.floor()
        return self.memory_kib >= f.memory_kib and self.iterations >= f.iterations and self.lanes >= f.lanes


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text, validate=True)


def fingerprint(public_raw: bytes, purpose: str) -> str:
    """SHA-256 over a domain-separated encoding of the purpose and the raw public key, in hex."""
    return hashlib.sha256(b"ocop-key-v1\n" + purpose.encode("ascii") + b"\n" + public_raw).hexdigest()


def grouped(fp: str) -> str:
    """The fingerprint as base32 in groups of four, to read over the phone: ``ABCD-EFGH-…``."""
    text = base64.b32encode(bytes.fromhex(fp)).decode("ascii").rstrip("=")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def same_fingerprint(fp: str, typed: str) -> bool:
    """Whether what an officer typed (grouped base32 as read over the phone, or hex) is ``fp``."""
    cleaned = typed.replace("-", "").replace(" ", "").upper()
    return cleaned in (grouped(fp).replace("-", ""), fp.upper())


def public_raw(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def argon2_available() -> bool:
    """Some OpenSSL builds lack Argon2; the app checks once and says so instead of failing later."""
    try:
        Argon2id(salt=b"0" * 16, length=32, iterations=1, lanes=1, memory_cost=8).derive(b"probe")
    except UnsupportedAlgorithm:
        return False
    return True


def _derive(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    return Argon2id(salt=salt, length=32, iterations=params.iterations, lanes=params.lanes,
                    memory_cost=params.memory_kib).derive(passphrase.encode("utf-8"))


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise ValidationFailed({"passphrase": f"Mật khẩu bảo vệ khóa phải dài ít nhất {MIN_PASSPHRASE} ký tự."})


def _header(purpose: str, public: bytes, params: KdfParams, salt: bytes, nonce: bytes) -> dict[str, Any]:
    """The public part, bound to the sealed seed as associated data; the public key lets the owner
    check its own packages without the passphrase."""
    return {"format": FORMAT, "purpose": purpose, "key_id": fingerprint(public, purpose), "public_key": _b64(public),
            "kdf": {"name": "argon2id", **asdict(params)}, "salt": _b64(salt), "aead": "chacha20poly1305",
            "nonce": _b64(nonce)}


def _aad(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def seal(key: Ed25519PrivateKey, passphrase: str, purpose: str, params: KdfParams) -> bytes:
    """The key file's bytes for ``key`` under ``passphrase``."""
    _check_passphrase(passphrase)
    if purpose not in PURPOSES:
        raise OcopError(f"Mục đích khóa '{purpose}' không hợp lệ.", f"bad purpose {purpose}")
    if not params.meets_floor():
        raise OcopError("Tham số bảo vệ khóa thấp hơn mức tối thiểu cho phép.", f"kdf below floor: {params}")
    salt, nonce = os.urandom(16), os.urandom(12)
    header = _header(purpose, public_raw(key), params, salt, nonce)
    seed = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())
    sealed = ChaCha20Poly1305(_derive(passphrase, salt, params)).encrypt(nonce, seed, _aad(header))
    return (json.dumps({**header, "sealed": _b64(sealed)}, indent=1, sort_keys=True) + "\n").encode("utf-8")


def write_key_file(path: Path, key: Ed25519PrivateKey, passphrase: str, purpose: str = "device",
                   params: KdfParams | None = None) -> str:
    """Seal ``key`` into ``path`` (mode 0600, written atomically); returns its fingerprint."""
    data = seal(key, passphrase, purpose, params or KdfParams())
    with replaced_atomically(path) as temp:
        os.chmod(temp, 0o600)
        temp.write_bytes(data)
    os.chmod(path, 0o600)
    return fingerprint(public_raw(key), purpose)


def create_key(path: Path, passphrase: str, purpose: str = "device", params: KdfParams | None = None) -> str:
    """A new key from the OS's random source (never from the passphrase); refuses to overwrite."""
    if Path(path).exists():
        raise OcopError("Đã có tệp khóa; không tạo đè lên khóa cũ (hãy dùng chức năng đổi khóa).",
                        f"key file exists: {path}")
    return write_key_file(path, Ed25519PrivateKey.generate(), passphrase, purpose, params)


@dataclass(frozen=True)
class KeyFileInfo:
    purpose: str
    key_id: str
    params: KdfParams
    public_key: bytes | None = None  # absent from files made before it was added


def read_header(data: bytes) -> tuple[dict[str, Any], bytes, KeyFileInfo]:
    """Parse and check the header without the passphrase (a damaged or weak file is refused here)."""
    bad = OcopError("Tệp khóa bị hỏng hoặc không phải tệp khóa của OCOP Desktop.", "malformed key file")
    try:
        document = json.loads(data.decode("utf-8"))
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise bad
        kdf = document["kdf"]
        if kdf.get("name") != "argon2id" or document.get("aead") != "chacha20poly1305":
            raise bad
        params = KdfParams(int(kdf["memory_kib"]), int(kdf["iterations"]), int(kdf["lanes"]))
        sealed = _unb64(document.pop("sealed"))
        _unb64(document["salt"]), _unb64(document["nonce"])
        public = _unb64(document["public_key"]) if "public_key" in document else None
        info = KeyFileInfo(str(document["purpose"]), str(document["key_id"]), params, public)
        if public is not None and fingerprint(public, info.purpose) != info.key_id:
            raise bad
    except OcopError:
        raise
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise bad from exc
    if info.purpose not in PURPOSES:
        raise bad
    if not params.meets_floor():
        raise OcopError("Tệp khóa dùng tham số bảo vệ yếu hơn mức tối thiểu; không mở.", f"kdf below floor {params}")
    return document, sealed, info


def open_key(path: Path, passphrase: str) -> Ed25519PrivateKey:
    """Unseal the key; a wrong passphrase and any changed byte fail the same, closed way."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise OcopError("Không đọc được tệp khóa.", f"read {path}: {exc}") from exc
    header, sealed, info = read_header(data)
    try:
        key = _derive(passphrase, _unb64(header["salt"]), info.params)
        seed = ChaCha20Poly1305(key).decrypt(_unb64(header["nonce"]), sealed, _aad(header))
        private = Ed25519PrivateKey.from_private_bytes(seed)
    except (InvalidTag, ValueError) as exc:
        raise OcopError("Mật khẩu không đúng hoặc tệp khóa đã bị thay đổi.", "key file did not open") from exc
    if fingerprint(public_raw(private), info.purpose) != info.key_id:
        raise OcopError("Tệp khóa không khớp với mã nhận dạng của nó.", "key id mismatch")
    return private


def change_passphrase(path: Path, old: str, new: str, params: KdfParams | None = None) -> None:
    key = open_key(path, old)
    _, _, info = read_header(Path(path).read_bytes())
    write_key_file(path, key, new, info.purpose, params or info.params)
