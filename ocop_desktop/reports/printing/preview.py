"""Page images of a PDF for the on-screen preview and for printing (pdfium), Qt-free."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from ocop_desktop.infra.errors import OcopError
from ocop_desktop.infra.tasks import JobControl


@dataclass(frozen=True)
class PageImage:
    width: int
    height: int
    rgb: bytes  # 3 bytes per pixel, rows top to bottom


def render_pages(path: Path, dpi: int = 90, job: JobControl | None = None) -> list[PageImage]:
    """Every page of ``path`` as an RGB image at ``dpi``."""
    try:
        pdf = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as exc:
        raise OcopError(f"Không mở được tệp PDF '{path.name}'.", f"pdfium {path}: {exc}") from exc
    try:
        pages = []
        for i in range(len(pdf)):
            if job is not None:
                job.step(i, len(pdf), f"Trang {i + 1}/{len(pdf)}")
            image = pdf[i].render(scale=dpi / 72).to_pil().convert("RGB")
            pages.append(PageImage(image.width, image.height, image.tobytes()))
        return pages
    finally:
        pdf.close()
