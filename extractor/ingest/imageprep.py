"""Page images for OCR: grey scale, speckle, skew, and the geometry of a page (`analyse`).

`analyse` works on a half-resolution copy: the skew angle (projection profiles), a speckle
count, and ruled tables (grid.py: long dark runs, after deskewing the copy, that cross each
other). A speckled page is despeckled (3×3 median; see LONE_LIMIT), and `erase_rules` paints
table rules white, so that Tesseract reads cell text instead of bars ("|", "Ị", "¬"). Only word
coordinates are deskewed (`PageGeometry.deskew_words`), never the image (see ocr.py).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .grid import Grid, Segment, find_grids, image_rules

if TYPE_CHECKING:
    from .ocr_words import Word


# a pixel whose red exceeds its green and blue by this much is a seal's red ink, not text
RED_INK = 60


def prepare(img):
    """Grey scale; Tesseract binarizes (Otsu) itself, which bench_ocr.py found as good as ours.
    The red ink of a seal is dropped (white): a seal stamped over the signature block's "KT. BỘ
    TRƯỞNG / THỨ TRƯỞNG" made those lines one dark blot Tesseract skipped. Blue ink stays: the
    number and date are often filled in by hand ("ngày 02 tháng 4")."""
    if img.mode in ("RGB", "RGBA", "P", "CMYK"):
        from PIL import ImageChops

        r, g, b = img.convert("RGB").split()
        red = ImageChops.subtract(r, ImageChops.lighter(g, b)).point(lambda v: 255 if v > RED_INK else 0)
        grey = img.convert("L")
        if red.getbbox():
            grey.paste(255, mask=red)
        return grey
    if img.mode not in ("L", "1"):
        img = img.convert("L")
    return img


@dataclass
class PageGeometry:
    size: tuple[int, int]
    speckle: float = 0.0                            # isolated dark dots per 1000 dark pixels (scanner noise)
    angle: float = 0.0                              # the page is rotated this many degrees counter-clockwise
    tables: list[Grid] = field(default_factory=list)
    rules: list[tuple[str, Segment]] = field(default_factory=list)   # ("h"|"v", segment) of the tables
    dark: object = field(default=None, repr=False)  # deskewed binary copy at 1/scale (numpy), for `ink`
    scale: float = 1.0

    def ink(self, box: tuple[float, float, float, float], margin: float = 12.0) -> int:
        """Dark pixels inside a deskewed box (page pixels), away from its rules."""
        if self.dark is None:
            return 0
        x0, y0, x1, y1 = (int(round(v / self.scale)) for v in box)
        m = int(round(margin / self.scale)) + 1
        return int(self.dark[max(y0 + m, 0):max(y1 - m, 0), max(x0 + m, 0):max(x1 - m, 0)].sum())

    def to_deskewed(self, x: float, y: float, inverse: bool = False) -> tuple[float, float]:
        if not self.angle:
            return x, y
        t = math.radians(self.angle if inverse else -self.angle)
        cx, cy = self.size[0] / 2, self.size[1] / 2
        dx, dy = x - cx, y - cy
        return cx + dx * math.cos(t) + dy * math.sin(t), cy - dx * math.sin(t) + dy * math.cos(t)

    def deskew_words(self, words: list["Word"]) -> list["Word"]:
        if not self.angle:
            return words
        out = []
        for w in words:
            x, y = self.to_deskewed(w.left + w.width / 2, w.top + w.height / 2)
            out.append(replace(w, left=round(x - w.width / 2), top=round(y - w.height / 2)))
        return out


GRID_SCALE = 2          # rules are found on a half-resolution copy: 300 dpi → 150 dpi still shows 0.5 pt lines


def analyse(img, max_skew: float = 5.0) -> PageGeometry:
    """Skew angle (projection profiles) and ruled tables (long dark runs) of a grey page image."""
    import numpy as np
    from PIL import Image

    geo = PageGeometry(img.size)
    small = img.reduce(GRID_SCALE) if min(img.size) > 1200 else img
    scale = img.size[0] / small.size[0]
    dark = np.asarray(small) < 160
    geo.speckle = speckle(dark)
    geo.angle = estimate_skew(dark, max_skew)
    if abs(geo.angle) >= 0.1:
        dark = np.asarray(small.rotate(-geo.angle, resample=Image.BILINEAR, fillcolor=255)) < 160
    else:
        geo.angle = 0.0
    geo.dark, geo.scale = (dark & (_neighbours(dark) >= 2) if geo.speckle > SPECKLE_LIMIT else dark), scale
    unit = max(small.size) / 1754 * 20          # ~20 px at 150 dpi: shortest rule segment looked for
    hs = image_rules(dark, int(unit * 2), axis=1)
    vs = image_rules(dark, int(unit * 1.5), axis=0)
    for grid, used in find_grids(hs, vs, tol=max(3.0, unit / 4)):
        geo.tables.append(Grid([x * scale for x in grid.xs], [y * scale for y in grid.ys], grid.anchor))
        geo.rules += [(k, Segment(s.pos * scale, s.a * scale, s.b * scale, s.thick * scale)) for k, s in used]
    return geo


# Tesseract reads speckles as punctuation and breaks words on them ("57-KL/TW" → "37- KƯT W").
# On the half-resolution copy, above this many isolated dots per 1000 dark pixels the copy is
# cleaned before cells are checked for ink (the test scans: ~25; clean 300-dpi pages ~0).
SPECKLE_LIMIT = 5.0
# A page is despeckled (3×3 median) when it has more than this many lone dark pixels (at most
# one dark neighbour, full resolution) per 1000 dark pixels. Measured at 300 dpi: clean rendered
# pages 3.5 (9-pt text 4.5), the real scans in corpus-real 0.1–1, the speckled test scans 15–26;
# at 200 dpi clean 6–7, speckled 21–46. Not on every page: on the clean rendered pages a median
# also helps (CER 0.63 → 0.17 %, bench_ocr.py), but on a real 200-dpi scan it ate the thin
# slashes of symbols ("143/2025/QH15" → "143/2025%QHI5", "96/2026/NĐ-CP" → "96/202ØN?Đ-CP").
LONE_LIMIT = 10.0


def _neighbours(dark):
    import numpy as np

    p = np.pad(dark, 1).view(np.uint8)
    h, w = dark.shape
    n = np.zeros(dark.shape, dtype=np.uint8)
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            if dy != 1 or dx != 1:
                n += p[dy:dy + h, dx:dx + w]
    return n


def speckle(dark) -> float:
    if not dark.any():
        return 0.0
    return round(1000.0 * float((dark & (_neighbours(dark) == 0)).sum()) / float(dark.sum()), 2)


def speckled(img) -> bool:
    """Scanner speckle, counted at full resolution (on the half-resolution copy a 9-pt diacritic
    at 200 dpi looks like a speck): dark pixels with at most one dark neighbour, per 1000 dark."""
    import numpy as np

    dark = np.asarray(img) < 160
    if not dark.any():
        return False
    lone = float((dark & (_neighbours(dark) <= 1)).sum())
    return 1000.0 * lone / float(dark.sum()) > LONE_LIMIT


def despeckle(img):
    """3×3 median: removes salt-and-pepper dots (and thins 1-px strokes: only for speckled pages)."""
    from PIL import ImageFilter

    return img.filter(ImageFilter.MedianFilter(3))


def estimate_skew(dark, max_deg: float = 5.0) -> float:
    """Angle (degrees, counter-clockwise) that maximizes the sharpness of the row projection of
    dark pixels: text lines and rules are horizontal on the paper."""
    import numpy as np

    ys, xs = np.nonzero(dark)
    if len(ys) < 200:
        return 0.0
    if len(ys) > 60000:
        pick = np.random.default_rng(0).choice(len(ys), 60000, replace=False)
        ys, xs = ys[pick], xs[pick]
    xs = xs - dark.shape[1] / 2.0
    pad = int(dark.shape[1] * math.tan(math.radians(max_deg))) + 2
    size = dark.shape[0] + 2 * pad

    def sharpness(deg: float) -> float:
        r = np.rint(ys + xs * math.tan(math.radians(deg))).astype(np.int64) + pad
        h = np.bincount(r, minlength=size).astype(np.float64)
        return float((h * h).sum())

    best = max(np.arange(-max_deg, max_deg + 1e-9, 0.5), key=sharpness)
    best = max(np.arange(best - 0.45, best + 0.46, 0.05), key=sharpness)
    return round(float(best), 2)


def erase_rules(img, geo: PageGeometry):
    """The page with its table rules painted white: Tesseract then reads cells, not bars."""
    if not geo.rules:
        return img
    from PIL import ImageDraw

    out = img.copy()
    draw = ImageDraw.Draw(out)
    for kind, s in geo.rules:
        ends = [(s.a, s.pos), (s.b, s.pos)] if kind == "h" else [(s.pos, s.a), (s.pos, s.b)]
        p, q = (geo.to_deskewed(x, y, inverse=True) for x, y in ends)
        draw.line([p, q], fill=255, width=int(s.thick + 2 * GRID_SCALE + 2))
    return out
