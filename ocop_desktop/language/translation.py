"""The interface language: Vietnamese text is the key; English comes from resources/i18n/en.json.

Core messages are written in Vietnamese; ``tr`` returns the English text when English is chosen
and a translation exists, else the Vietnamese. One small mechanism serves the core and the UI.
"""

from __future__ import annotations

import json
from functools import cache

from ocop_desktop.infra.paths import resources_dir

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
_state = {"lang": "vi"}


@cache
def _catalog(lang: str) -> dict[str, str]:
    if lang == "vi":
        return {}
    path = resources_dir() / "i18n" / f"{lang}.json"
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


def set_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    _state["lang"] = lang


def language() -> str:
    return _state["lang"]


def tr(text: str) -> str:
    """``text`` in the current language (Vietnamese text is its own key)."""
    return _catalog(_state["lang"]).get(text, text)
