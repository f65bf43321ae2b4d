"""The one canonical JSON text: sorted keys, no spaces, UTF-8 characters as themselves.

For objects of strings, integers, booleans and null this equals RFC 8785 (JCS) when keys are ASCII,
which ours are; hashes, signatures and the sync format rely on it (docs/package-format.md §4).
"""

from __future__ import annotations

import json
from typing import Any

_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def canonical(value: Any) -> str:
    return _ENCODER.encode(value)
