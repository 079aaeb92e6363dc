"""A row set in a monospaced face written back as it was typed — shared by the born-digital PDF
reader (pdf._mono_text) and the OCR line layout (ocr_words._mono_layout)."""
from __future__ import annotations

from typing import Iterable


def typed_line(words: Iterable[tuple[float, int, str]], pitch: float, left: float) -> str:
    """Words (left x, glyph count, text; in reading order) as typed: the indent from the page's left
    text edge and the gaps between words in spaces, one per pitch (column = round((x - left) /
    pitch)), so columns aligned with spaces stay aligned and the table layer reads them as a
    fixed-width layout. A word's end is its advance (glyphs × pitch), not its ink."""
    out: list[str] = []
    end = None
    for x, glyphs, text in words:
        out.append(" " * (max(0, round((x - left) / pitch)) if end is None else max(1, round((x - end) / pitch))))
        out.append(text)
        end = x + glyphs * pitch
    return "".join(out)
