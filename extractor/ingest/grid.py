"""Ruled tables, as the born-digital PDF reader (pdf.py) and OCR (ocr.py) both find them.

Rules are horizontal and vertical segments: pdf.py reads them from the page's path objects,
`image_rules` finds them as long dark runs in a binary page image. `find_grids` joins crossing
rules into grids (rows × columns; a missing inner rule merges two cells), `cell_text` joins a
cell's lines, and `drop_page_number` removes the page number both readers find at a page's
top or bottom.
"""
from __future__ import annotations

import bisect
import re
import statistics
from dataclasses import dataclass
from typing import Optional


@dataclass
class Segment:
    pos: float            # y of a horizontal rule, x of a vertical one (deskewed page pixels, PDF points)
    a: float              # extent along the rule
    b: float
    thick: float


@dataclass
class Grid:
    """A ruled table: column edges xs, row edges ys (as its rules: pixels or points), and which cells are
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


def _runs(mask, gap: int = 1) -> list[tuple[int, int]]:
    import numpy as np

    idx = np.flatnonzero(mask)
    if not len(idx):
        return []
    br = np.flatnonzero(np.diff(idx) > gap)
    return list(zip(np.r_[idx[0], idx[br + 1]].tolist(), np.r_[idx[br], idx[-1]].tolist()))


def image_rules(dark, length: int, axis: int) -> list[Segment]:
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


def find_grids(hs: list[Segment], vs: list[Segment], tol: float):
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


_FULL_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|\d{1,2}/\d{4}")
# the head of a date a narrow column cut after its first digit ("Ngày 1" / "5/11/20" / "23")
_DATE_HEAD = re.compile(r"\d{2}/\d{1,2}(?:/\d{0,4})?")


def cell_text(cell: Optional[str]) -> str:
    """A cell's lines joined by spaces, except a date or symbol broken inside its token by a narrow
    column ("30/1" + "1/2023", "25" + "/11/202" + "3", "1" + "5/11/20" + "23", "143-" + "KH/HU"),
    rejoined as typed."""
    lines = [ln.strip() for ln in (cell or "").split("\n") if ln.strip()]
    if not lines:
        return ""
    out = lines[0]
    for ln in lines[1:]:
        a = out.rsplit(" ", 1)[-1]
        b = ln.split(" ", 1)[0]
        glued = (a.endswith(("/", "-")) and b[:1].isalnum() and any(ch.isdigit() for ch in a)) or b.startswith("/") \
            or (a.endswith("-") and len(a) > 1 and a[:-1].isupper() and b[:1].isupper()) \
            or (_FULL_DATE.fullmatch(a + b) is not None and _FULL_DATE.fullmatch(a) is None and a[-1:].isdigit()) \
            or (len(a) == 1 and a.isdigit() and "/" in b and _DATE_HEAD.fullmatch(a + b) is not None)
        out += ("" if glued else " ") + ln
    return out


# A symbol a narrow cell broke inside its token: the number before the slash ("số 155" +
# "2/BTTTT-TTH") or the letters of its code ("66.7/2025/NQ-C" + "P", "05-KH/BC" + "ĐTW"). The shape
# alone is not enough ("11/NQ-CP" + "UBND" are two words), so the reader also asks that the two
# pieces together be wider than the cell's line: only a word that long is broken, a shorter one wraps.
_SYMBOL_HEAD = re.compile(r"\d+/[\w./-]*[A-ZĐ][\w./-]*[.,;:)]*")
_SYMBOL_LEFT = re.compile(r"/?[\w.]*\d[\w.]*[/-][\w./-]*[A-ZĐ]")
_CODE_RIGHT = re.compile(r"[A-ZĐ][A-ZĐ0-9/-]*g?[.,;:)]*")


def split_symbol(a: str, b: str) -> bool:
    """Could `a` + `b` (the last word of a line, the first of the next) be one symbol broken
    inside its token?"""
    if a.isdigit() and len(a) <= 4:
        return _SYMBOL_HEAD.fullmatch(b) is not None
    return _SYMBOL_LEFT.fullmatch(a) is not None and _CODE_RIGHT.fullmatch(b) is not None


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
