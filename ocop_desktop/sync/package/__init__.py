"""The signed package format (docs/package-format.md): the canonical ZIP container, the signed
manifest, records as JSON lines, the strict JSON reader, attachment checks, the rejection codes and
the verification of a package against a view of the receiving installation. Pure: no store access.
"""


from ocop_desktop.sync.package.format import SUFFIX as PACKAGE_SUFFIX
from ocop_desktop.sync.package.format import parse_timestamp
from ocop_desktop.sync.package.rejections import PackageRejected
from ocop_desktop.sync.package.view import Verified

__all__ = ["PACKAGE_SUFFIX", "PackageRejected", "Verified", "parse_timestamp"]
