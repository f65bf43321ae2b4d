"""Vietnamese text handling: NFC storage and the accent-insensitive search key (docs/domain-rules.md §13)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    """Text as stored: Unicode NFC, surrounding blanks removed, inner runs of blanks collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def visible(value: str) -> bool:
    """Whether ``value`` shows anything: not only spaces, zero-width or other format characters
    (a name of U+200B alone would look empty on every screen and paper)."""
    return any(not unicodedata.category(ch).startswith(("Z", "C")) for ch in value)


def _fold_slowly(value: str) -> str:
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").replace("Đ", "D")


#: every Latin letter with marks -> its bare letter, and combining marks -> nothing: one C-level
#: ``str.translate`` instead of a Python loop over the NFD form (imports fold 100,000 names)
_FOLD_TABLE = {code: _fold_slowly(chr(code)) or None
               for code in [*range(0xC0, 0x250), *range(0x300, 0x370), *range(0x1E00, 0x1F00)]
               if _fold_slowly(chr(code)) != chr(code)}


def fold(value: str) -> str:
    """The search key: drop tone and other marks, đ→d, case-fold, collapse blanks.

    Both tone-mark placements ("hòa" and "hoà") fold to the same key "hoa".
    """
    folded = value.translate(_FOLD_TABLE)
    if not folded.isascii():  # marks outside the table (rare): the general way
        folded = _fold_slowly(folded)
    return _SPACES.sub(" ", folded.casefold()).strip()


def search_key(*parts: str | None) -> str:
    """Fold and join the searchable parts of a record."""
    return fold(" ".join(p for p in parts if p))
