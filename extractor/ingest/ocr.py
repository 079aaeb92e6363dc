"""OCR with Tesseract (pytesseract), keeping word boxes so lines, side-by-side header cells and
table rows can be rebuilt from the layout.

Per page (`ocr_image`):
1. `analyse`: on a half-resolution copy, the skew angle (projection profiles), a speckle count,
   and ruled tables: long horizontal/vertical dark runs (after deskewing the copy) that cross
   each other form a grid (rows × columns; a missing inner rule merges two cells).
2. A speckled page is despeckled (3×3 median; see LONE_LIMIT), and table rules are painted
   white, so Tesseract reads cell text instead of bars ("|", "Ị", "¬").
3. One Tesseract call (`image_to_data`, psm 3) gives words with boxes; they are moved into
   deskewed coordinates, and each word inside a table goes to the cell its centre falls in.
4. Cells Tesseract left empty or read as a lone short token (the Stt column: "1" dropped as a
   speck, "8" → "§", "II" → "H") are re-read from a strip of their crops (`reread_cells`).
5. `compose`: a table becomes one tab-separated line per row (a cell's wrapped lines joined with
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

import bisect
import math
import os
import re
import statistics
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
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
    words = _words(pytesseract.image_to_data(_uncompressed(img), lang=settings.ocr_lang, config="--psm 3",
                                             output_type=pytesseract.Output.DICT))
    cells, free = assign(page.deskew_words(words), page.tables)
    if page.tables:
        heights = [w.height for w in words if len(w.text) > 1]
        reread_cells(img, page, cells, settings, statistics.median(heights) if heights else 40.0)
    confs = [w.conf for w in words]
    conf = round(statistics.fmean(confs) / 100, 3) if confs else None
    text = "\n".join(compose(cells, free, page.tables, img.size[1]))
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


def _clean_word(t: str) -> str:
    return t.strip().translate(_SLASHES)


def _uncompressed(img):
    """pytesseract hands the image over as a file, PNG by default: encoding a 300-dpi page as PNG
    costs ~0.3–0.5 s of CPU, as much as a third of Tesseract's own time; PGM costs ~10 ms."""
    if img.format != "PPM":
        img = img.copy()
        img.format = "PPM"
    return img


def prepare(img):
    """Grey scale; Tesseract binarizes (Otsu) itself, which bench_ocr.py found as good as ours."""
    if img.mode not in ("L", "1"):
        img = img.convert("L")
    return img


# ---- page geometry: skew and ruled tables ------------------------------------------------------
@dataclass
class Segment:
    pos: float            # y of a horizontal rule, x of a vertical one (deskewed page pixels)
    a: float              # extent along the rule
    b: float
    thick: float


@dataclass
class Grid:
    """A ruled table: column edges xs, row edges ys (deskewed page pixels), and which cells are
    merged (a missing rule between two cells joins them: `anchor[r][c]` is the top-left cell of
    the merged cell (r, c) belongs to)."""
    xs: list[float]
    ys: list[float]
    anchor: list[list[tuple[int, int]]]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def cell_of(self, x: float, y: float) -> Optional[tuple[int, int]]:
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
            return None
        c = min(max(bisect.bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        r = min(max(bisect.bisect_right(self.ys, y) - 1, 0), len(self.ys) - 2)
        return self.anchor[r][c]


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


_GRID_SCALE = 2          # rules are found on a half-resolution copy: 300 dpi → 150 dpi still shows 0.5 pt lines


def analyse(img, max_skew: float = 5.0) -> PageGeometry:
    """Skew angle (projection profiles) and ruled tables (long dark runs) of a grey page image."""
    import numpy as np
    from PIL import Image

    geo = PageGeometry(img.size)
    small = img.reduce(_GRID_SCALE) if min(img.size) > 1200 else img
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
    hs = _rules(dark, int(unit * 2), axis=1)
    vs = _rules(dark, int(unit * 1.5), axis=0)
    for grid, used in _grids(hs, vs, tol=max(3.0, unit / 4)):
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


def _runs(mask, gap: int = 1) -> list[tuple[int, int]]:
    import numpy as np

    idx = np.flatnonzero(mask)
    if not len(idx):
        return []
    br = np.flatnonzero(np.diff(idx) > gap)
    return list(zip(np.r_[idx[0], idx[br + 1]].tolist(), np.r_[idx[br], idx[-1]].tolist()))


def _rules(dark, length: int, axis: int) -> list[Segment]:
    """Straight dark runs at least `length` long along `axis` (1: horizontal rules, 0: vertical),
    a one-pixel break (speckle, a faint scan) bridged."""
    import numpy as np

    d = dark.copy()
    if axis == 1:
        d[:, 1:-1] |= dark[:, :-2] & dark[:, 2:]
        c = np.cumsum(d, axis=1, dtype=np.int32)
        full = (c[:, length:] - c[:, :-length]) >= length - 1
        prof = full.any(axis=1)
    else:
        d[1:-1, :] |= dark[:-2, :] & dark[2:, :]
        c = np.cumsum(d, axis=0, dtype=np.int32)
        full = (c[length:, :] - c[:-length, :]) >= length - 1
        prof = full.any(axis=0)
    out = []
    for s, e in _runs(prof, gap=1):
        if e - s > 12:                      # a thick dark band (photo, stamp), not a rule
            continue
        band = full[s:e + 1].any(axis=0) if axis == 1 else full[:, s:e + 1].any(axis=1)
        for a, b in _runs(band, gap=4):
            out.append(Segment((s + e) / 2, a, b + length, e - s + 1))
    return out


def _merge_collinear(segs: list[Segment], tol: float) -> list[Segment]:
    segs = sorted(segs, key=lambda s: (s.pos, s.a))
    out: list[Segment] = []
    for s in segs:
        for o in out:
            if abs(o.pos - s.pos) <= tol and s.a <= o.b + tol / 2 and o.a <= s.b + tol / 2:
                o.a, o.b = min(o.a, s.a), max(o.b, s.b)
                o.thick = max(o.thick, s.thick)
                break
        else:
            out.append(Segment(s.pos, s.a, s.b, s.thick))
    return out


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [statistics.fmean(g) for g in out]


def _grids(hs: list[Segment], vs: list[Segment], tol: float):
    """Connected sets of crossing rules → grids (at least two columns and one row)."""
    hs, vs = _merge_collinear(hs, tol), _merge_collinear(vs, tol)
    n = len(hs) + len(vs)
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    touch = tol           # tight: two tables 6 pt apart stay two tables
    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if h.a - touch <= v.pos <= h.b + touch and v.a - touch <= h.pos <= v.b + touch:
                parent[find(i)] = find(len(hs) + j)
    comps: dict[int, list[int]] = {}
    for i in range(n):
        comps.setdefault(find(i), []).append(i)
    for members in comps.values():
        H = [hs[i] for i in members if i < len(hs)]
        V = [vs[i - len(hs)] for i in members if i >= len(hs)]
        if len(H) < 2 and len(V) < 2:
            continue
        # outer edges a table leaves open (no left/right border) are where its rules end
        xs = _cluster([v.pos for v in V] + [min(h.a for h in H), max(h.b for h in H)], 3 * tol)
        ys = _cluster([h.pos for h in H] + [min(v.a for v in V), max(v.b for v in V)], 3 * tol)
        xs = [x for x in xs if min(h.a for h in H) - touch <= x <= max(h.b for h in H) + touch] or xs
        ys = [y for y in ys if min(v.a for v in V) - touch <= y <= max(v.b for v in V) + touch] or ys
        if len(xs) < 3 or len(ys) < 2:
            continue
        yield Grid(xs, ys, _anchors(xs, ys, H, V, touch)), [("h", h) for h in H] + [("v", v) for v in V]


def _anchors(xs, ys, H, V, touch) -> list[list[tuple[int, int]]]:
    """Merged cells: two neighbouring cells are one where no rule separates them."""
    R, C = len(ys) - 1, len(xs) - 1
    parent = {(r, c): (r, c) for r in range(R) for c in range(C)}

    def find(k):
        while parent[k] != k:
            k = parent[k]
        return k

    def union(a, b):
        a, b = find(a), find(b)
        if a != b:
            parent[max(a, b)] = min(a, b)

    def v_rule(x, y0, y1):
        mid = (y0 + y1) / 2
        return any(abs(v.pos - x) <= touch and v.a - touch <= mid <= v.b + touch for v in V)

    def h_rule(y, x0, x1):
        mid = (x0 + x1) / 2
        return any(abs(h.pos - y) <= touch and h.a - touch <= mid <= h.b + touch for h in H)

    for r in range(R):
        for c in range(C):
            if c + 1 < C and not v_rule(xs[c + 1], ys[r], ys[r + 1]):
                union((r, c), (r, c + 1))
            if r + 1 < R and not h_rule(ys[r + 1], xs[c], xs[c + 1]):
                union((r, c), (r + 1, c))
    return [[find((r, c)) for c in range(C)] for r in range(R)]


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
        draw.line([p, q], fill=255, width=int(s.thick + 2 * _GRID_SCALE + 2))
    return out


# ---- words → text -----------------------------------------------------------------------------
def assign(words: list[Word], tables: list[Grid]) -> tuple[list[dict], list[Word]]:
    """Words (deskewed page coordinates) → per table {anchor cell: words whose centre is in it},
    and the words outside every table."""
    cells: list[dict] = [{} for _ in tables]
    free: list[Word] = []
    for w in words:
        cx, cy = w.left + w.width / 2, w.top + w.height / 2
        for k, g in enumerate(tables):
            cell = g.cell_of(cx, cy)
            if cell is not None:
                cells[k].setdefault(cell, []).append(w)
                break
        else:
            free.append(w)
    return cells, free


def reread_cells(img, geo: PageGeometry, cells: list[dict], settings, line_height: float = 40.0) -> None:
    """Tesseract's page layout drops what it takes for specks (a lone "1" or "II" in the Stt
    column) and misreads short tokens without context ("8" → "§", "7" → "t"). Cells with ink but
    no word, or only a token of up to 3 characters, are cut out and read again, binarized: short
    tokens side by side on one line (Tesseract reads "6 7 8 9 10" far better than each alone),
    longer content stacked below them. One more Tesseract call per table page, on a small image."""
    import numpy as np
    from PIL import Image

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
    tokens, blocks = [], []
    for k, cell, (x0, y0, x1, y1) in todo:
        m = 6 * _GRID_SCALE
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
        return
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
    found: dict = {}
    for w in _strip_words(strip, settings, "--psm 6"):
        cx, cy = w.left + w.width / 2, w.top + w.height / 2
        for x0, y0, x1, y1, k, cell, dx, dy in places:
            if x0 <= cx <= x1 and y0 <= cy <= y1:
                found.setdefault((k, cell), []).append(replace(w, left=w.left + dx, top=w.top + dy))
                break
    for (k, cell), ws in found.items():
        cells[k][cell] = geo.deskew_words(ws)


def _strip_words(strip, settings, config: str) -> list[Word]:
    import numpy as np
    import pytesseract
    from PIL import Image

    strip = Image.fromarray(np.where(np.asarray(strip) > 140, 255, 0).astype(np.uint8))
    return _words(pytesseract.image_to_data(_uncompressed(strip), lang=settings.ocr_lang, config=config,
                                            output_type=pytesseract.Output.DICT), keep_bars=True)


def compose(cells: list[dict], free: list[Word], tables: list[Grid], page_height: int) -> list[str]:
    """Lines of a page: each table's cells (see `assign`) become its rows (cells joined by tabs, a
    cell's wrapped lines joined by spaces), the free words go through `_rows`; tables and lines
    interleave by their top."""
    from .pdf import _cell_text

    items: list[tuple[float, str, object]] = [(top, "line", (text, gap)) for top, text, gap, _ in _join_wrapped(_rows(free))]
    for g, found in zip(tables, cells):
        rows = []
        for r in range(len(g.ys) - 1):
            row = []
            for c in range(len(g.xs) - 1):
                ws = found.get((r, c)) if g.anchor[r][c] == (r, c) else None
                text = _cell_text("\n".join(row[1] for row in _rows(ws, tabs=False))) if ws else ""
                row.append(_numeral(text) if c == 0 else text)
            if any(row):
                rows.append(row)
        for row, first in zip(rows, _number_column([r[0] for r in rows])):
            row[0] = first
        if rows:
            items.append((g.ys[0], "table", rows))
    items.sort(key=lambda it: it[0])
    items = drop_page_number(items, page_height)
    out: list[str] = []
    for _, kind, payload in items:
        if kind == "table":
            if out and out[-1] != "":
                out.append("")                   # a table is a block of its own
            out.extend("\t".join(r) for r in payload)
            continue
        text, gap = payload
        if out and out[-1] != "" and (gap or "\t" in out[-1] and "\t" not in text):
            out.append("")
        out.append(text)
    return out


_I_LIKE = str.maketrans("ỊÍÌỈịíìỉ", "IIIIllll")      # a bar with a speck read as an accent
_ROMAN_OR_ONES = re.compile(r"[IlH|!\[\]]{1,4}")


def _numeral(text: str) -> str:
    """The Stt column of a scan: Tesseract's readings of a lone "1" ("l", "|", "]") and of "II" ("H");
    a number read with a letter inside ("I1", "1l") is a number."""
    t = text.strip()
    if not t or len(t) > 5:
        return text
    t = t.translate(_I_LIKE)
    if any(ch.isdigit() for ch in t) and re.fullmatch(r"[0-9lI|!\[\]]+[.)]?", t):
        return re.sub(r"[lI|!\[\]]", "1", t)
    if _ROMAN_OR_ONES.fullmatch(t):
        if "H" in t:           # serif "II" reads as "H"; "III" as "HH"
            return "III" if t == "HH" else t.replace("H", "II")
        if re.search(r"[l|!\[\]]", t):
            return re.sub(r"[lI|!\[\]]", "1", t)
        return t
    return text


def _number_column(values: list[str]) -> list[str]:
    """The Stt column read in sequence: a lone "I"/"l" just before a "2" is the "1" that starts a
    numbering (the "I" of a group row is followed by its "1"); a short token without a digit
    between n and n+2 is n+1 ("t" between 6 and 8)."""
    out = list(values)
    num = lambda v: int(v.rstrip(".)")) if v.rstrip(".)").isdigit() else None  # noqa: E731
    for i, v in enumerate(out):
        t = v.strip()
        if not t or any(ch.isdigit() for ch in t) or len(t) > 3:
            continue
        nxt = next((num(x) for x in out[i + 1:i + 2]), None)
        prev = num(out[i - 1]) if i else None
        if t in ("I", "l", "|", "]", "Í", "ì", "í") and nxt == 2 and prev is None:
            out[i] = "1"
        elif prev is not None and nxt == prev + 2 and t.casefold() not in _ROMAN_WORDS:
            out[i] = str(prev + 1)
    return out


_ROMAN_WORDS = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}


_PAGE_NUMBER = re.compile(r"^\s*[-–—]?\s*\d{1,3}\s*[-–—]?\s*$")


def drop_page_number(items, height):
    """A lone page number at the very top or bottom of the page is print furniture, not text."""
    def furniture(it):
        return it[1] == "line" and _PAGE_NUMBER.match(it[2][0]) and (it[0] < 0.1 * height or it[0] > 0.9 * height)
    while items and furniture(items[0]):
        items = items[1:]
    while items and furniture(items[-1]):
        items = items[:-1]
    return items


def layout_lines(words: list[Word], page_width: int = 0) -> list[str]:
    """Words → lines (see `_rows`), a blank line where the vertical gap is wider than ~1.2 lines."""
    out: list[str] = []
    for _, text, gap, _ in _rows(words):
        if gap and out:
            out.append("")
        out.append(text)
    return out


def _rows(words: Optional[list[Word]], tabs: bool = True) -> list[tuple[float, str, bool, list[Word]]]:
    """Words → [(top, text, blank line above, words)]. Tesseract's own lines are kept (it groups a word
    with its line even when a stray box overlaps a neighbour: "thành ủ ủy"); lines side by side on
    the same baseline are joined across its blocks (its blocks split a side-by-side header or a
    table row into columns, which we want back on one line); order by x; a gap wider than ~2.5
    letter heights becomes a tab."""
    if not words:
        return []
    groups: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        groups.setdefault((w.block, w.par, w.line), []).append(w)
    lines: list[list[Word]] = []
    for g in groups.values():     # a group that is not one line (words without Tesseract's lines) is split
        sub: list[list[Word]] = []
        for w in sorted(g, key=lambda w: w.top + w.height / 2):
            if sub and w.top < max(x.bottom for x in sub[-1]):
                sub[-1].append(w)
            else:
                sub.append([w])
        lines += sub
    lines.sort(key=lambda ln: statistics.median(x.top + x.height / 2 for x in ln))
    rows: list[list[Word]] = []
    for ln in lines:
        mid = statistics.median(x.top + x.height / 2 for x in ln)
        left, right = min(x.left for x in ln), max(x.right for x in ln)
        for row in reversed(rows[-4:]):
            top = statistics.median(x.top for x in row)
            bottom = statistics.median(x.bottom for x in row)
            if top <= mid <= bottom and all(x.right <= left or x.left >= right for x in row):
                row.extend(ln)
                break
        else:
            rows.append(list(ln))
    rows.sort(key=lambda r: statistics.median(x.top for x in r))
    heights = [statistics.median(x.height for x in r) for r in rows]
    h_all = statistics.median(heights)
    out: list[tuple[float, str, bool, list[Word]]] = []
    prev_bottom = None
    for r, h in zip(rows, heights):
        r.sort(key=lambda x: x.left)
        parts = [r[0].text]
        for a, b in zip(r, r[1:]):
            parts.append("\t" if tabs and b.left - a.right > 2.5 * max(h, h_all * 0.8) else " ")
            parts.append(b.text)
        top = statistics.median(x.top for x in r)
        gap = prev_bottom is not None and top - prev_bottom > 1.2 * h_all
        out.append((top, "".join(parts), gap, r))
        prev_bottom = statistics.median(x.bottom for x in r)
    return out


_NEW_ITEM = re.compile(r"^([-+•*–—]\s|\d{1,2}(\.\d{1,2})*[.)]\s|[IVXL]{1,4}[.)]\s|[a-zđ]\)\s)")


def _join_wrapped(rows: list[tuple[float, str, bool, list[Word]]]) -> list[tuple[float, str, bool, list[Word]]]:
    """A line broken only because the next word did not fit is one logical line, as typed (the
    born-digital reader does the same, pdf._wraps): the next line starts at the same left edge,
    its first word would not have fitted at the end of this one, and it does not open a new item
    ("- ", "2. ", "a) "). Without this, "…Kết luận số" / "49-KL/TW …" reads as a heading "49"."""
    body = [r for r in rows if len(r[3]) > 3 and "\t" not in r[1]]
    if len(body) < 4:
        return rows
    right = statistics.quantiles([max(w.right for w in r[3]) for r in body], n=10)[-1]
    out = [rows[0]]
    for row in rows[1:]:
        top, text, gap, words = row
        ptop, ptext, pgap, pwords = out[-1]
        h = statistics.median(w.height for w in words)
        first, last = min(words, key=lambda w: w.left), max(pwords, key=lambda w: w.right)
        wraps = (not gap and "\t" not in text and "\t" not in ptext and not _NEW_ITEM.match(text)
                 and last.right + 0.4 * h + first.width > right + 0.6 * h
                 and abs(first.left - min(w.left for w in pwords)) < 1.5 * h)
        out[-1:] = [(ptop, ptext + " " + text, pgap, words)] if wraps else [out[-1], row]   # words: the last line
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
