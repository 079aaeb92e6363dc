"""Re-reading table cells that Tesseract's page layout got wrong (see `ocr.reread_cells`), and
words it was unsure of (`unsure_strip`, see `ocr.reread_unsure`).

Tesseract's page layout drops what it takes for specks (a lone "1" or "II" in the Stt
column) and misreads short tokens without context ("8" → "§", "7" → "t"). `cells_to_reread`
picks the cells with ink but no word, or only a token of up to 3 characters; `reread_strip`
cuts them out into one strip image: short tokens side by side on one line (Tesseract reads
"6 7 8 9 10" far better than each alone), longer content stacked below them; after Tesseract
has read the strip (ocr.py), `place_words` puts each word back into its cell.
"""
from __future__ import annotations

import statistics
from dataclasses import replace
from typing import Optional

from .imageprep import GRID_SCALE, PageGeometry

Box = tuple[float, float, float, float]
# where a cell's crop sits in the strip: (x0, y0, x1, y1, table, cell, dx, dy), dx/dy back to the page
Place = tuple[int, int, int, int, int, tuple[int, int], int, int]


def cells_to_reread(geo: PageGeometry, cells: list[dict]) -> list[tuple[int, tuple[int, int], Box]]:
    """(table, anchor cell, deskewed box) of each cell with ink and at most one short token."""
    todo = []
    for k, g in enumerate(geo.tables):
        for r in range(len(g.ys) - 1):
            for c in range(len(g.xs) - 1):
                if g.anchor[r][c] != (r, c):
                    continue
                ws = cells[k].get((r, c), [])
                if sum(len(w.text) for w in ws) > 3 or len(ws) > 1:
                    continue
                x1, y1 = g.xs[c + 1], g.ys[r + 1]          # a merged cell reaches its last row/column
                for rr in range(r, len(g.ys) - 1):
                    if g.anchor[rr][c] == (r, c):
                        y1 = g.ys[rr + 1]
                for cc in range(c, len(g.xs) - 1):
                    if g.anchor[r][cc] == (r, c):
                        x1 = g.xs[cc + 1]
                box = (g.xs[c], g.ys[r], x1, y1)
                if geo.ink(box) >= 12:
                    todo.append((k, (r, c), box))
    return todo


def reread_strip(img, geo: PageGeometry, todo: list[tuple[int, tuple[int, int], Box]],
                 line_height: float = 40.0) -> Optional[tuple[object, list[Place]]]:
    """The cells' crops in one image (ocr.py binarizes it for Tesseract), and where each crop sits;
    None when no cell has ink left after cropping."""
    import numpy as np
    from PIL import Image

    tokens, blocks = [], []
    for k, cell, (x0, y0, x1, y1) in todo:
        m = 6 * GRID_SCALE
        pts = [geo.to_deskewed(x, y, inverse=True) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
        bx0, by0 = int(min(p[0] for p in pts) + m), int(min(p[1] for p in pts) + m)
        bx1, by1 = int(max(p[0] for p in pts) - m), int(max(p[1] for p in pts) - m)
        if bx1 - bx0 < 8 or by1 - by0 < 8:
            continue
        crop = img.crop((bx0, by0, bx1, by1))
        ink = np.asarray(crop) < 128
        rows, cols = np.flatnonzero(ink.sum(1) > 1), np.flatnonzero(ink.sum(0) > 1)
        if not len(rows):
            continue
        ix0, iy0, ix1, iy1 = max(cols[0] - 4, 0), max(rows[0] - 4, 0), cols[-1] + 5, rows[-1] + 5
        crop = crop.crop((ix0, iy0, ix1, iy1))
        item = (k, cell, bx0 + ix0, by0 + iy0, crop)
        if iy1 - iy0 <= 1.8 * line_height and ix1 - ix0 <= 6 * line_height:
            tokens.append(item)
        else:
            item = (k, cell, bx0 + ix0, by0 + iy0, crop.crop((0, 0, crop.size[0], min(crop.size[1], int(10 * line_height)))))
            blocks.append(item)
    if not tokens and not blocks:
        return None
    # one image, one Tesseract call: the tokens side by side on the first line, 3 line heights
    # apart (closer, a "1" runs into the next one: "L2"), the blocks stacked below
    pad = int(max(20, line_height))
    tok_h = max((cr.size[1] for *_, cr in tokens), default=0) + 2 * pad if tokens else 0
    width = max([sum(cr.size[0] + 3 * pad for *_, cr in tokens) + 3 * pad] +
                [cr.size[0] + 2 * pad for *_, cr in blocks])
    strip = Image.new("L", (width, tok_h + sum(cr.size[1] + pad for *_, cr in blocks) + pad), 255)
    places = []                                      # (x0, y0, x1, y1, table, cell, dx, dy)
    x = 3 * pad
    for k, cell, ox, oy, cr in tokens:
        y = (tok_h - cr.size[1]) // 2
        strip.paste(cr, (x, y))
        places.append((x - pad, 0, x + cr.size[0] + pad, tok_h, k, cell, ox - x, oy - y))
        x += cr.size[0] + 3 * pad
    y = tok_h + pad
    for k, cell, ox, oy, cr in blocks:
        strip.paste(cr, (pad, y))
        places.append((0, y - pad // 2, width, y + cr.size[1] + pad // 2, k, cell, ox - pad, oy - y))
        y += cr.size[1] + pad
    return strip, places


def place_words(words: list, places: list[Place], geo: PageGeometry, cells: list[dict]) -> None:
    """Words read from the strip → page coordinates; each cell found in the strip gets its words
    (replacing what the page layout gave it)."""
    found: dict = {}
    for w in words:
        cx, cy = w.left + w.width / 2, w.top + w.height / 2
        for x0, y0, x1, y1, k, cell, dx, dy in places:
            if x0 <= cx <= x1 and y0 <= cy <= y1:
                found.setdefault((k, cell), []).append(replace(w, left=w.left + dx, top=w.top + dy))
                break
    for (k, cell), ws in found.items():
        cells[k][cell] = geo.deskew_words(ws)


def unsure_strip(img, geo: PageGeometry, words: list,
                 picks: list[int]) -> Optional[tuple[object, list[tuple[int, Box]]]]:
    """The picked words' crops (`unsure_crops`) in one image for one Tesseract call (psm 6), each
    twice: side by side on a first line, each set on its line's baseline, 2 line heights apart, and
    stacked below it, one a line, read as if alone; and the slots, (pick, box), where each crop
    sits. Either way alone gains ~110 words on the 21 dev scans, not the same ones (side by side a
    title's "5," is read "5."; stacked, a clean "Thuỳ" may come out "Thuy"); taking the surer of
    the two readings (`ocr.second_readings`) gains 124. Enlarging the crops 2x lost ~15 of them."""
    from PIL import Image

    crops = unsure_crops(img, geo, words, picks)
    if not crops:
        return None
    h = int(statistics.median(lh for _, _, lh in crops))
    gap = 2 * h
    above = max(base for _, base, _ in crops)
    row = above + max(c.size[1] - base for c, base, _ in crops)
    width = max(sum(c.size[0] + gap for c, _, _ in crops) + gap, max(c.size[0] for c, _, _ in crops) + 2 * gap)
    strip = Image.new("L", (width, h + row + sum(c.size[1] + h for c, _, _ in crops) + h), 255)
    slots: list[tuple[int, Box]] = []
    x = gap
    for j, (c, base, _) in enumerate(crops):
        strip.paste(c, (x, h + above - base))
        slots.append((j, (x - gap // 2, h // 2, x + c.size[0] + gap // 2, h + row + h // 2)))
        x += c.size[0] + gap
    y = h + row + h
    for j, (c, _, _) in enumerate(crops):
        strip.paste(c, (gap, y))
        slots.append((j, (0, y - h // 2, width, y + c.size[1] + h // 2)))
        y += c.size[1] + h
    return strip, slots


def unsure_crops(img, geo: PageGeometry, words: list, picks: list[int]) -> list[tuple[object, int, int]]:
    """(crop, its baseline row, its line height) of each picked word (page coordinates, as Tesseract
    gave them). A crop spans the word's line (its words' median top and bottom, taken square to
    the page's skew and brought back to the word's place; a median, so a tall box that caught
    the line below does not widen it) and reaches sideways to its neighbours on that line, or a
    line height where there is none (the box of a word read as nothing can miss half its glyphs:
    "5," boxed as the "5" alone), and below the baseline far enough for a comma or a descender;
    ink cut off at the crop's top or bottom edge and apart from the word's line, the descenders
    and accents of the lines above and below, is painted white."""
    import numpy as np
    from PIL import Image

    gray = img.convert("L")
    lines: dict = {}
    for w in words:
        lines.setdefault(_line(w), []).append(w)
    crops = []
    for k in picks:
        w = words[k]
        line = lines[_line(w)]
        shift = _skew_shift(geo, w)
        top = statistics.median(v.top + _skew_shift(geo, v) for v in line) - shift
        bottom = statistics.median(v.bottom + _skew_shift(geo, v) for v in line) - shift
        h = statistics.median(v.height for v in line)
        before = words[k - 1] if k > 0 and _line(words[k - 1]) == _line(w) else None
        after = words[k + 1] if k + 1 < len(words) and _line(words[k + 1]) == _line(w) else None
        x0 = min(w.left, max(before.right + 1, w.left - h / 2) if before else w.left - h)
        x1 = max(w.right, min(after.left - 1, w.right + h / 2) if after else w.right + h)
        y0, y1 = min(top, w.top) - 0.35 * h, max(bottom, w.bottom) + 0.4 * h
        x0, y0 = max(0, int(x0)), max(0, int(y0))
        x1, y1 = min(gray.size[0], int(x1)), min(gray.size[1], int(y1))
        a = np.asarray(gray.crop((x0, y0, x1, y1))).copy()
        _clear_neighbour_lines(a, top - y0, bottom - y0)
        crops.append((Image.fromarray(a), int(bottom - y0), int(h)))
    return crops


def _skew_shift(geo: PageGeometry, w) -> float:
    """How far deskewing moves the word's centre down (a line of a page rotated 0.7° drifts by
    ~20 px across its width: the line's median alone would set its end words' band off)."""
    cx, cy = w.left + w.width / 2, w.top + w.height / 2
    return geo.to_deskewed(cx, cy)[1] - cy


def _line(w) -> tuple[int, int, int]:
    return w.block, w.par, w.line


def _clear_neighbour_lines(a, top: float, bottom: float) -> None:
    """White out the runs of inked rows of crop `a` that touch its top or bottom edge without
    reaching the rows top..bottom of the word's own line."""
    inked = (a < 128).any(axis=1)
    n, i = len(inked), 0
    while i < n:
        if not inked[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and inked[j + 1]:
            j += 1
        if (i == 0 or j == n - 1) and (j < top or i > bottom):
            a[i:j + 1] = 255
        i = j + 1
