"""One strict JSON reader for everything that arrives in a package (docs/threat-model.md item 25).

Python's ``json`` takes duplicate keys (last wins), NaN and Infinity, lone surrogates and huge
integers; any of those could make two readers see different data. Here each is refused with its own
rejection code, so the officer is told what is wrong instead of "malformed".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from ocop_desktop.infra.jsontext import canonical
from ocop_desktop.sync.package.rejections import PackageRejected

MAX_DEPTH = 16  # containers nested in one another: a scalar has depth 0, [] and {} depth 1, [[1]] depth 2
MAX_INT = 2**53 - 1  # what every JSON reader holds exactly
_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Refused("JSON_DUPLICATE_KEY")
    return result


def _non_finite(_name: str) -> Any:
    raise _Refused("JSON_NON_FINITE")


def _big_int(text: str) -> int:
    if len(text) > 17:
        raise _Refused("JSON_LIMITS")
    value = int(text)
    if abs(value) > MAX_INT:
        raise _Refused("JSON_LIMITS")
    return value


def _no_float(text: str) -> Any:
    raise _Refused("JSON_MALFORMED")  # hashed data carries no floats


class _Refused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _has_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(v) for v in value)
    return False


def _depth_ok(value: Any, depth: int = 0) -> bool:
    """Whether ``value``, found inside ``depth`` containers, keeps the whole text within MAX_DEPTH."""
    if isinstance(value, dict):
        return depth < MAX_DEPTH and all(_depth_ok(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return depth < MAX_DEPTH and all(_depth_ok(v, depth + 1) for v in value)
    return True


_SCALARS = frozenset({str, int, bool, type(None)})
#: 16 digits in a row after ':', '[' or ',' may be an integer beyond 2**53 - 1 (digits inside a string
#: may match too: they only send the line to the full reader, which decides)
_LONG_NUMBER = re.compile(r"[:,\[]\s*-?[0-9]{16}")


def loads(data: bytes, what: str, *, allow_nested: bool = True) -> Any:
    """Parse ``data`` (UTF-8 bytes, no BOM) strictly; ``what`` names the source in the message.

    ``allow_nested=False`` is the fast path for record lines, whose values are scalars or one flat
    object: the nesting check then only looks one level down.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        raise PackageRejected("JSON_ENCODING", what)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PackageRejected("JSON_ENCODING", what) from None
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_non_finite,
                           parse_int=_big_int, parse_float=_no_float)
    except _Refused as refused:
        raise PackageRejected(refused.code, what) from None
    except RecursionError:
        raise PackageRejected("JSON_LIMITS", what) from None
    except (ValueError, TypeError):
        raise PackageRejected("JSON_MALFORMED", what) from None
    if allow_nested and not _depth_ok(value):
        raise PackageRejected("JSON_LIMITS", what)
    if "\\u" in text and _has_surrogate(value):  # a pair decodes to one character; a lone half does not
        raise PackageRejected("JSON_SURROGATE", what)
    return value


_STRICT = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_non_finite, parse_float=_no_float)
_SCAN: Callable[[str, int], tuple[Any, int]] = _STRICT.scan_once  # type: ignore[attr-defined]


def loads_record(data: bytes, what: str) -> Any:
    """The fast path for record lines and the small JSON texts inside records: the same refusals as
    :func:`loads` (so the same codes), with one decoder built once. Anything but a flat object of
    scalars, and any line that may hold an integer beyond 2**53 - 1, goes through :func:`loads`."""
    try:
        text = data.decode("utf-8")
        value, end = _SCAN(text, 0)  # the C scanner itself: no whitespace around a record line
        if end != len(text):
            return loads(data, what)
    except StopIteration:
        return loads(data, what)
    except _Refused as refused:
        raise PackageRejected(refused.code, what) from None
    except UnicodeDecodeError:
        raise PackageRejected("JSON_ENCODING", what) from None
    except RecursionError:
        raise PackageRejected("JSON_LIMITS", what) from None
    except (ValueError, TypeError):
        return loads(data, what)  # names the problem (BOM, big integer, ...) or raises JSON_MALFORMED
    if type(value) is not dict or not _SCALARS.issuperset(map(type, value.values())) or _LONG_NUMBER.search(text):
        return loads(data, what)  # depth and integer range, as for every other JSON text
    try:
        if "\\u" in text and _has_surrogate(value):
            raise PackageRejected("JSON_SURROGATE", what)
    except RecursionError:
        raise PackageRejected("JSON_LIMITS", what) from None
    return value


def dumps(value: Any) -> bytes:
    """The canonical encoding we write: sorted keys, no spaces, UTF-8 (not RFC 8785, and never
    re-serialised to check a signature: signatures cover the bytes as written)."""
    return canonical(value).encode("utf-8")
