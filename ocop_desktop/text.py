"""Vietnamese text handling: NFC storage and the accent-insensitive search key (ocop-domain §13)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    """Text as stored: Unicode NFC, surrounding blanks removed, inner runs of blanks collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def fold(value: str) -> str:
    """The search key: NFD, drop combining marks, đ→d, case-fold, collapse blanks.

    Both tone-mark placements ("hòa" and "hoà") fold to the same key "hoa".
    """
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped.casefold()).strip()


def search_key(*parts: str | None) -> str:
    """Fold and join the searchable parts of a record."""
    return fold(" ".join(p for p in parts if p))
