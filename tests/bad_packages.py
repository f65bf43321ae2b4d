"""The shared pieces of the bad-input tests (docs/threat-model.md §2): a :data:`Case` breaks one thing in a valid
package, the helpers below make the common kinds of case, and :func:`assert_refused` checks that the
package is refused with the expected code and message and that neither installation changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ocop_desktop.sync.exchange.installation_view import verify_package
from ocop_desktop.sync.package.container import LIMITS, Limits
from ocop_desktop.sync.package.rejections import PackageRejected
from tests.package_builder import PackageBuilder, Raw
from tests.sync_fixtures import Pair, db_digest

Case = Callable[[PackageBuilder, Pair], "bytes | tuple[bytes, Limits]"]
"""Break a copy of the base package; return its bytes (and the limits to verify it under, if not the usual)."""


def with_entries(edit: Callable[[list[Raw]], object]) -> Case:
    """The package with its ZIP members edited (renamed, added, dropped, reordered); ``edit``'s result is ignored."""
    def case(b: PackageBuilder, _p: Pair) -> bytes:
        b.edit_entries = edit
        return b.build()
    return case


def with_member(name: bytes, data: bytes = b"x", **fields: Any) -> Case:
    """The package with one more member, first, with any ZIP field set."""
    return with_entries(lambda members: members.insert(0, Raw(name, data, **fields)))


def with_manifest(edit: Callable[[dict[str, Any]], None]) -> Case:
    """The package with its manifest edited before signing."""
    def case(b: PackageBuilder, _p: Pair) -> bytes:
        b.edit_manifest = edit
        return b.build()
    return case


def with_limits(**caps: int) -> Case:
    """The valid package, verified under lower caps."""
    return lambda b, _p: (b.build(), Limits(**caps))


def set_field(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A manifest edit setting one dotted field, e.g. ``sender.seq``."""
    def edit(m: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for p in parents:
            m = m[p]
        m[last] = value
    return edit


def assert_refused(base_package: tuple[PackageBuilder, Pair], name: str, code: str, case: Case) -> None:
    """The broken package is refused with ``code`` and a message, and nothing changes or is extracted."""
    builder, p = base_package
    made = case(builder.copy(), p)
    data, limits = made if isinstance(made, tuple) else (made, LIMITS)
    target = p.tmp / "goi.ocsync"
    target.write_bytes(data)
    before = db_digest(p.province), db_digest(p.local)
    files_before = sorted(str(f) for f in p.tmp.rglob("*"))
    with pytest.raises(PackageRejected) as info:
        verify_package(p.province, target, limits=limits)
    assert info.value.code == code, f"{name}: {info.value.code} {info.value.detail}"
    assert info.value.message_vi.strip() and "{detail}" not in info.value.message_vi
    assert (db_digest(p.province), db_digest(p.local)) == before
    assert sorted(str(f) for f in p.tmp.rglob("*")) == files_before  # nothing extracted anywhere
