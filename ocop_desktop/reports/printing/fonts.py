"""The bundled fonts: Liberation Serif (metric-compatible with Times New Roman, full Vietnamese)
for text, DejaVu Sans for the few symbols it lacks (☐ ☒ ★). No system font is ever used."""

from __future__ import annotations

from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ocop_desktop.infra.paths import resources_dir

SERIF = "OcopSerif"
SERIF_BOLD = "OcopSerif-Bold"
SERIF_ITALIC = "OcopSerif-Italic"
SERIF_BOLD_ITALIC = "OcopSerif-BoldItalic"
SYMBOLS = "OcopSymbols"


@cache
def register_fonts() -> None:
    folder = resources_dir() / "fonts"
    for name, file in ((SERIF, "LiberationSerif-Regular.ttf"), (SERIF_BOLD, "LiberationSerif-Bold.ttf"),
                       (SERIF_ITALIC, "LiberationSerif-Italic.ttf"),
                       (SERIF_BOLD_ITALIC, "LiberationSerif-BoldItalic.ttf"), (SYMBOLS, "DejaVuSans.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    addMapping(SERIF, 0, 0, SERIF)
    addMapping(SERIF, 1, 0, SERIF_BOLD)
    addMapping(SERIF, 0, 1, SERIF_ITALIC)
    addMapping(SERIF, 1, 1, SERIF_BOLD_ITALIC)
