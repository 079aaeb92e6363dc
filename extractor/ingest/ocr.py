"""OCR with Tesseract (pytesseract), keeping word boxes so lines, side-by-side header cells and
table rows can be rebuilt from the layout.

- Tesseract runs with OMP_THREAD_LIMIT=1 (its OpenMP threads make a page ~6× slower on a busy
  2-core machine); pages are OCR'd in parallel instead, a few at a time.
- PDF pages are rendered with pypdfium2 at Settings.ocr_dpi (300 by default: bench/bench_ocr.py
  measures CER at 200/300/400 dpi), converted to grey; deskew is measured in bench_ocr.py too.
- `image_to_data` gives words with boxes and confidences; `layout_lines` clusters them into
  rows, turns wide horizontal gaps into tabs (header cells, table columns), and
  `table_rows` rebuilds a ruled grid's rows when the page has vertical column bands.
"""
from __future__ import annotations

import os
import statistics
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Optional

from .errors import InputError


@dataclass
class OcrResult:
    text: str
    confidence: Optional[float]         # mean word confidence, 0–1
    dpi: Optional[int] = None
    warning: Optional[str] = None


@dataclass
class Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    block: int
    par: int
    line: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height


def _tesseract_env() -> None:
    # pytesseract starts tesseract with os.environ: one OpenMP thread per process (see module doc)
    os.environ["OMP_THREAD_LIMIT"] = "1"


def check_tesseract(lang: str) -> None:
    import pytesseract

    try:
        langs = pytesseract.get_languages(config="")
    except pytesseract.TesseractNotFoundError:
        raise InputError("ocr", "this file needs OCR but Tesseract is not installed: "
                         "apt-get install tesseract-ocr tesseract-ocr-vie (or run with --ocr never)") from None
    missing = [part for part in lang.split("+") if part not in langs]
    if missing:
        raise InputError("ocr", f"Tesseract has no {'+'.join(missing)} language data: "
                         f"apt-get install tesseract-ocr-{missing[0]}")


def ocr_image(img, settings, dpi: Optional[int] = None) -> OcrResult:
    """One page image (PIL) → text in reading order with tabs between distant cells."""
    import pytesseract

    _tesseract_env()
    img = prepare(img)
    data = pytesseract.image_to_data(img, lang=settings.ocr_lang, config="--psm 3",
                                     output_type=pytesseract.Output.DICT)
    words = [Word(t, data["left"][i], data["top"][i], data["width"][i], data["height"][i],
                  float(data["conf"][i]), data["block_num"][i], data["par_num"][i], data["line_num"][i])
             for i, t in enumerate(data["text"]) if t and t.strip() and float(data["conf"][i]) >= 0]
    confs = [w.conf for w in words]
    conf = round(statistics.fmean(confs) / 100, 3) if confs else None
    text = "\n".join(layout_lines(words, img.size[0]))
    warning = None
    if not words:
        warning = "OCR found no text on this page"
    elif conf is not None and conf < 0.6:
        warning = f"low OCR confidence ({conf:.2f}): check the scan quality"
    return OcrResult(text, conf, dpi, warning)


def prepare(img):
    """Grey scale; Tesseract binarizes (Otsu) itself, which bench_ocr.py found as good as ours."""
    if img.mode not in ("L", "1"):
        img = img.convert("L")
    return img


def layout_lines(words: list[Word], page_width: int) -> list[str]:
    """Words → lines: cluster by vertical overlap across Tesseract's blocks (its blocks split a
    side-by-side header or table row into columns, which we want back on one line), order by x,
    a gap wider than ~2.5 letter heights becomes a tab, a vertical gap wider than 1.8 lines a blank line."""
    if not words:
        return []
    words = sorted(words, key=lambda w: (w.top + w.height / 2))
    rows: list[list[Word]] = []
    for w in words:
        mid = w.top + w.height / 2
        for row in reversed(rows[-4:]):
            top = statistics.median(x.top for x in row)
            bottom = statistics.median(x.bottom for x in row)
            if top <= mid <= bottom and not any(_overlap_x(w, x) for x in row):
                row.append(w)
                break
        else:
            rows.append([w])
    rows.sort(key=lambda r: statistics.median(x.top for x in r))
    heights = [statistics.median(x.height for x in r) for r in rows]
    h_all = statistics.median(heights)
    out: list[str] = []
    prev_bottom = None
    for r, h in zip(rows, heights):
        r.sort(key=lambda x: x.left)
        parts = [r[0].text]
        for a, b in zip(r, r[1:]):
            parts.append("\t" if b.left - a.right > 2.5 * max(h, h_all * 0.8) else " ")
            parts.append(b.text)
        top = statistics.median(x.top for x in r)
        if prev_bottom is not None and top - prev_bottom > 1.2 * h_all and out:
            out.append("")
        out.append("".join(parts))
        prev_bottom = statistics.median(x.bottom for x in r)
    return out


def _overlap_x(a: Word, b: Word) -> bool:
    return min(a.right, b.right) - max(a.left, b.left) > 0.5 * min(a.width, b.width)


def render_page(pdfium_page, dpi: int):
    return pdfium_page.render(scale=dpi / 72, grayscale=True).to_pil()


def ocr_pdf_pages(pdfium_doc, indexes: list[int], settings) -> list[OcrResult]:
    """Render and OCR the given pages, a few at a time (rendering is serialized: pdfium is not
    thread-safe; Tesseract runs as a subprocess, so threads overlap it)."""
    check_tesseract(settings.ocr_lang)
    dpi = settings.ocr_dpi
    images = []
    for i in indexes:
        img = render_page(pdfium_doc[i], dpi)
        if img.size[0] * img.size[1] > settings.max_image_pixels:
            raise InputError("ocr", f"page {i + 1} rendered at {dpi} dpi has {img.size[0] * img.size[1]:,} pixels, "
                             f"above max_image_pixels={settings.max_image_pixels:,}; lower --ocr-dpi")
        images.append(img)
    return ocr_images(images, settings, dpi)


def ocr_images(images, settings, dpi: Optional[int] = None) -> list[OcrResult]:
    check_tesseract(settings.ocr_lang)
    workers = max(1, min(len(images), settings.workers or 2, os.cpu_count() or 1))
    if workers == 1:
        return [ocr_image(img, settings, dpi) for img in images]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda im: ocr_image(im, settings, dpi), images))
