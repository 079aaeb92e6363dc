"""OCR with Tesseract (pytesseract), keeping word boxes so lines, side-by-side header cells and
table rows can be rebuilt from the layout.

This module makes the Tesseract calls; the steps around them live in their own modules:
image preparation and page geometry in imageprep.py, ruled-grid detection (shared with the
PDF reader) in grid.py, re-reading cells in reread.py, words → lines and rows in ocr_words.py.

Per page (`ocr_image`):
1. `analyse` (imageprep.py): on a half-resolution copy, the skew angle (projection profiles), a speckle count,
   and ruled tables: long horizontal/vertical dark runs (after deskewing the copy) that cross
   each other form a grid (grid.py: rows × columns; a missing inner rule merges two cells).
2. A speckled page is despeckled (3×3 median; see LONE_LIMIT), and table rules are painted
   white, so Tesseract reads cell text instead of bars ("|", "Ị", "¬").
3. One Tesseract call (`image_to_data`, psm 3) gives words with boxes; they are moved into
   deskewed coordinates, and each word inside a table goes to the cell its centre falls in.
   Before that, the words Tesseract was unsure of are read once more out of their lines, from one
   strip of their crops (`reread_unsure`; `ocr_words.second_reading` says when the second reading wins).
4. Cells Tesseract left empty or read as a lone short token (the Stt column: "1" dropped as a
   speck, "8" → "§", "II" → "H") are re-read from a strip of their crops (`reread_cells`, reread.py).
5. `compose` (ocr_words.py): a table becomes one tab-separated line per row (a cell's wrapped lines joined with
   spaces); other words become lines (Tesseract's lines, joined across its blocks when side by
   side on one baseline: header cells), a wide gap → tab; tables and lines interleave by position.

Tesseract runs with OMP_THREAD_LIMIT=1 (its OpenMP threads make a page ~6× slower on a busy
2-core machine); pages are OCR'd in parallel instead, a few at a time. PDF pages are rendered
with pypdfium2 at Settings.ocr_dpi, 300 by default, chosen by bench/bench_ocr.py: character error
rate of our output (bare `tesseract -l vie` in brackets) on 3 prose pages per kind, and CPU s/page
of ours at 1 thread (a shared, busy machine: ±20 %):

    scan           200 dpi                  300 dpi                  400 dpi
    clean 12 pt    0.14 % (0.15 %)  3.3 s    0.41 % (0.63 %)  3.3 s    0.50 % (0.66 %)  4.5 s
    noisy 12 pt    0.39 % (0.34 %)  2.8 s    0.26 % (0.71 %)  4.4 s    0.27 % (0.80 %)  5.0 s
    clean  9 pt    0.13 % (0.13 %)  5.3 s    0.14 % (0.14 %)  5.6 s    0.16 % (0.16 %)  6.7 s

300 dpi: a third fewer errors than 200 dpi on speckled scans (the kind real scans are), the same
on 9-pt text; 200 dpi reads the clean rendered 12-pt pages better (the 300-dpi errors there are
junk Tesseract reads into faint anti-aliasing, which a median removes: 0.63 → 0.17 %) and is
~10–25 % cheaper; 400 dpi costs more and gains nothing. Despeckling (3×3 median) is the one
preprocessing step that pays, on speckled pages (bare tesseract at 300 dpi: 0.71 → 0.29 %);
deskewing the image first does not (0.71 → 0.95 %: Tesseract copes with small skew, so only the
word coordinates are deskewed); Otsu binarization barely changes anything (0.63 → 0.61 %).
"""
from __future__ import annotations

import itertools
import os
import re
import statistics
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Iterable, Optional

from .errors import InputError
from .grid import Grid  # noqa: F401  (re-exported: ocr.Grid, as callers know it)
from .imageprep import PageGeometry, analyse, despeckle, erase_rules, prepare, speckled
from .ocr_words import (REREAD_BELOW, Word, assign, compose, confirm_unsure, number_sequence, numeral_zone,
                        second_reading, zone_numerals)
from .reread import cells_to_reread, place_words, reread_strip, unsure_strip
from ..textrepair import repair_ocr_document, repair_ocr_tones, split_ocr_glued


@dataclass
class OcrResult:
    text: str
    confidence: Optional[float]         # mean word confidence, 0–1
    dpi: Optional[int] = None
    warning: Optional[str] = None


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
    """One page image (PIL) → text in reading order: ruled tables as tab-separated rows (one per
    table row, however many lines its cells wrap to), other words as lines with tabs between
    distant cells."""
    import pytesseract

    _tesseract_env()
    img = prepare(img)
    page = analyse(img)
    if speckled(img):
        img = despeckle(img)
    img = erase_rules(img, page)
    words = confirm_unsure(_words(pytesseract.image_to_data(_uncompressed(img), lang=settings.ocr_lang, config="--psm 3",
                                                            output_type=pytesseract.Output.DICT)))
    words = reread_unsure(img, page, words, settings)
    cells, free = assign(page.deskew_words(words), page.tables)
    free += reread_numerals(img, page, free, settings)
    if page.tables:
        heights = [w.height for w in words if len(w.text) > 1]
        reread_cells(img, page, cells, settings, statistics.median(heights) if heights else 40.0)
    confs = [w.conf for w in words]
    conf = round(statistics.fmean(confs) / 100, 3) if confs else None
    text = "\n".join(compose(cells, free, page.tables, img.size[1], img.size[0]))
    warning = None
    if not words:
        warning = "OCR found no text on this page"
    elif conf is not None and conf < 0.6:
        warning = f"low OCR confidence ({conf:.2f}): check the scan quality"
    return OcrResult(text, conf, dpi, warning)


def _words(data: dict, keep_bars: bool = False) -> list[Word]:
    words = [Word(_clean_word(t), data["left"][i], data["top"][i], data["width"][i], data["height"][i],
                  float(data["conf"][i]), data["block_num"][i], data["par_num"][i], data["line_num"][i])
             for i, t in enumerate(data["text"]) if t and t.strip() and float(data["conf"][i]) >= 0]
    return [w for w in words if w.text and (keep_bars and set(w.text) <= set("|[]!") or not _junk(w))]


# Tesseract reads a fraction slash (U+2044) or division slash (U+2215) where the paper has "/"
# ("1105⁄KH-ĐKT"), and an Icelandic eth (U+00D0/U+00F0, never Vietnamese) for Đ/đ, sometimes
# doubling it ("238-QĐÐ/TW": the references grammar repairs QĐĐ into the known QĐ); grid
# remnants come out as lone bars
_SLASHES = str.maketrans({"\u2044": "/", "\u2215": "/", "\u00d0": "\u0110", "\u00f0": "\u0111"})
_RULE_JUNK = re.compile(r"[|¦‖_~¬`^]+")


def _junk(w: Word) -> bool:
    """Remnants of rules and specks: bars, underscores, or punctuation alone read with low confidence
    (a list dash "-" is read with ~90)."""
    return bool(_RULE_JUNK.fullmatch(w.text)) or (w.conf < 50 and not any(ch.isalnum() for ch in w.text))


# a number read with "I"/"l"/"|" for a "1" inside ("I8", "2l"): only digits can stand there
# (an item number "I1." is left to the section sequence, which knows whether it is "1" or "11")
_MIXED_NUMBER = re.compile(r"(?=[0-9Il|]*\d)(?=[0-9]*[Il|])[0-9Il|]{2,4}(?=[,;]?$)")
_ONE_GLYPHS = str.maketrans("Il|", "111")


def _clean_word(t: str) -> str:
    t = t.strip().translate(_SLASHES)
    if t[:1] in "_~¬`^" and len(t) > 2:
        t = t.lstrip("_~¬`^")     # a speck or the rule under the line before glued to the word ("_IV.")
    m = _MIXED_NUMBER.match(t)
    if m:
        t = m.group(0).translate(_ONE_GLYPHS) + t[m.end():]
    return split_ocr_glued(t)     # a word whose spaces the scan lost (textrepair, rule 3)


def _uncompressed(img):
    """pytesseract hands the image over as a file, PNG by default: encoding a 300-dpi page as PNG
    costs ~0.3–0.5 s of CPU, as much as a third of Tesseract's own time; PGM costs ~10 ms."""
    if img.format != "PPM":
        img = img.copy()
        img.format = "PPM"
    return img


def reread_cells(img, geo: PageGeometry, cells: list[dict], settings, line_height: float = 40.0) -> None:
    """Cells Tesseract left empty or read as a lone short token are read again, binarized, from one
    strip of their crops (reread.py): one more Tesseract call per table page, on a small image."""
    strip = reread_strip(img, geo, cells_to_reread(geo, cells), line_height)
    if strip is None:
        return
    image, places = strip
    place_words(_strip_words(image, settings, "--psm 6"), places, geo, cells)


# at most this many words of a page are read again, the least sure first: a page of garbled words
# costs one strip of bounded size
REREAD_MAX = 40


def reread_unsure(img, geo: PageGeometry, words: list[Word], settings) -> list[Word]:
    """Words Tesseract was unsure of (below REREAD_BELOW) read again out of their line, from one
    strip of their crops (`unsure_strip`, reread.py): one more Tesseract call on a page that has
    such words, none on a clean one; the second reading replaces a word only as `second_reading`
    (ocr_words.py) allows."""
    heights = [w.height for w in words if len(w.text) > 1]
    tall = 3 * statistics.median(heights) if heights else float("inf")   # a seal, a photo: no text line to read
    picks = sorted(sorted((k for k, w in enumerate(words)
                           if w.conf < REREAD_BELOW and 4 <= w.height <= tall and 4 <= w.width <= 12 * tall),
                          key=lambda k: words[k].conf)[:REREAD_MAX])
    out = list(words)
    for k, second in zip(picks, second_readings(img, geo, words, picks, settings)):
        if second is None:
            continue
        w, prev = words[k], words[k - 1] if k else None
        before = prev.text if prev and (prev.block, prev.par, prev.line) == (w.block, w.par, w.line) else ""
        text = second_reading(w, second.text, second.conf, before)
        if text is not None:
            out[k] = replace(w, text=text, conf=second.conf)
    return out


def second_readings(img, geo: PageGeometry, words: list[Word], picks: list[int], settings) -> list[Optional[Word]]:
    """Each picked word's second reading: of the two places its crop has in the strip, the surer
    one read as one word; None where neither was."""
    strip = unsure_strip(img, geo, words, picks)
    if strip is None:
        return [None] * len(picks)
    image, slots = strip
    found: dict[int, list[Word]] = {}
    for w in _strip_words(image, settings, "--psm 6", keep_bars=False):
        cx, cy = w.left + w.width / 2, w.top + w.height / 2
        for i, (_, (x0, y0, x1, y1)) in enumerate(slots):
            if x0 <= cx <= x1 and y0 <= cy <= y1:
                found.setdefault(i, []).append(w)
                break
    best: list[Optional[Word]] = [None] * len(picks)
    for i, (j, _) in enumerate(slots):
        ws = found.get(i, [])
        if len(ws) == 1 and (best[j] is None or ws[0].conf > best[j].conf):
            best[j] = ws[0]
    return best


_NUMERAL_INK = 160     # grey level up to which a pixel of the numeral strip is ink


def reread_numerals(img, geo: PageGeometry, free: list[Word], settings) -> list[Word]:
    """A monospaced table's Stt numerals Tesseract dropped (lone digits set apart from their
    line's words), read again from the strip left of the page's monospaced rows (`numeral_zone`),
    enlarged twice (a thin typewriter digit at page size reads as nothing); no Tesseract call on
    a page without monospaced rows or without ink in that strip."""
    import numpy as np
    import pytesseract
    from PIL import Image

    zone = numeral_zone(free)
    if zone is None or zone[2] - zone[0] < 8:
        return []
    x0, y0, x1, y1 = zone
    pts = [geo.to_deskewed(x, y, inverse=True) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
    bx0, by0 = int(min(p[0] for p in pts)), int(min(p[1] for p in pts))
    bx1, by1 = int(max(p[0] for p in pts)), int(max(p[1] for p in pts))
    crop = img.convert("L").crop((bx0, by0, bx1, by1))
    # ink as the strip is binarized below: a thin typewriter stroke at page size is grey (~100-160;
    # at "< 128" a strip of numerals counted as blank)
    if (np.asarray(crop) <= _NUMERAL_INK).sum() < 40:
        return []
    big = crop.resize((crop.size[0] * 2, crop.size[1] * 2), Image.LANCZOS)
    pad = 50
    strip = Image.new("L", (big.size[0] + 2 * pad, big.size[1] + 2 * pad), 255)
    strip.paste(Image.fromarray(np.where(np.asarray(big) > _NUMERAL_INK, 255, 0).astype(np.uint8)), (pad, pad))
    found = _words(pytesseract.image_to_data(_uncompressed(strip), lang=settings.ocr_lang, config="--psm 6",
                                             output_type=pytesseract.Output.DICT))
    block = max((w.block for w in free), default=0) + 1
    found = [Word(w.text, bx0 + (w.left - pad) // 2, by0 + (w.top - pad) // 2, w.width // 2, w.height // 2,
                  w.conf, block + i, 1, 1) for i, w in enumerate(found)]
    return zone_numerals(geo.deskew_words(found), free, zone)


def _strip_words(strip, settings, config: str, keep_bars: bool = True) -> list[Word]:
    import numpy as np
    import pytesseract
    from PIL import Image

    strip = Image.fromarray(np.where(np.asarray(strip) > 140, 255, 0).astype(np.uint8))
    return _words(pytesseract.image_to_data(_uncompressed(strip), lang=settings.ocr_lang, config=config,
                                            output_type=pytesseract.Output.DICT), keep_bars=keep_bars)


def render_page(pdfium_page, dpi: int):
    # in colour: `prepare` tells a seal's red ink from text before going to grey
    return pdfium_page.render(scale=dpi / 72).to_pil()


def ocr_pdf_pages(pdfium_doc, indexes: list[int], settings) -> list[OcrResult]:
    """Render and OCR the given pages, one window at a time (ocr_images): a 260-page scan needs
    the memory of a few rendered pages, not of all of them. Rendering is serialized (pdfium is
    not thread-safe); Tesseract runs as a subprocess, so threads overlap it."""
    check_tesseract(settings.ocr_lang)
    dpi = settings.ocr_dpi

    def pages():
        for i in indexes:
            page = pdfium_doc[i]
            w, h = (round(x * dpi / 72) for x in page.get_size())
            if w * h > settings.max_image_pixels:  # before rendering, not after
                page.close()
                raise InputError("ocr", f"page {i + 1} rendered at {dpi} dpi would have {w * h:,} pixels, above "
                                 f"--max-pixels {settings.max_image_pixels:,}; lower --ocr-dpi or raise --max-pixels")
            try:
                yield render_page(page, dpi)
            finally:
                page.close()

    return ocr_images(pages(), settings, dpi)


def ocr_images(images: Iterable, settings, dpi: Optional[int] = None) -> list[OcrResult]:
    """OCR page images in order, a window of as many pages as threads at a time: the next window
    is decoded or rendered (by iterating `images`) only when the previous one is read and released."""
    check_tesseract(settings.ocr_lang)
    workers = max(1, min(settings.workers or 2, os.cpu_count() or 1))
    it = iter(images)
    results: list[OcrResult] = []
    pool = ThreadPoolExecutor(workers) if workers > 1 else None
    try:
        while True:
            window = list(itertools.islice(it, workers))
            if not window:
                # words misread or glued, told by the document's own spelling (textrepair, rule 4),
                # then the tone marks the scan lost or swapped (textrepair, rule 5); the Stt numerals
                # of tables read in their sequence across the pages
                for r, text in zip(results, number_sequence(repair_ocr_tones(repair_ocr_document([r.text for r in results])))):
                    r.text = text
                return results
            if pool is None:
                results.extend(ocr_image(im, settings, dpi) for im in window)
            else:
                results.extend(pool.map(lambda im: ocr_image(im, settings, dpi), window))
            del window
    finally:
        if pool is not None:
            pool.shutdown()
