"""Fixed-width tables from `pdftotext -layout`: cells wrap over several physical lines.

Steps, each a small function:
  header block  → column count and positions (header labels are centred over their columns)
  page chunks   → the body split at page-number lines / page changes (each page has its own
                  x scale); per page: edges refined where fewest runs cross, and `placement`:
                  where each column's lines start or centre, and the content's wrap width
  row blocks    → physical lines grouped around the Stt numeral of each row: pdftotext
                  centres cells vertically, so each row gets about as many lines above its
                  numeral as below (`_split_between`), rows starting after blank lines and
                  with a capitalised content line
  cells         → `split_block`: the page's columns fitted to the row (rows drift, and one
                  column can move without the next); every run of text (two cells one space
                  apart are one run) cut at the spaces that make its pieces line up with their
                  columns (left- or centre-aligned like the other lines of the cell, no wider
                  than the column, a time expression in the deadline column); the lines of a
                  cell joined top to bottom
The result is a RawTable like any other source: header row, group rows, data rows.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass
from itertools import combinations
from typing import Optional, Sequence

from ..lines import Line
from ..patterns import DMY
from .columns import MAX_LABEL, header_role, over_label
from .model import EMPTY, Cell, RawRow, RawTable
from ..settings import TableSettings
from ..vocab import load_header, load_sections
from .text import clean_cell, is_number, is_time_like, split_roman, starts_lower

Frag = tuple[int, int, str]          # x0, x1 (exclusive), text
_PAGE_NO = re.compile(r"^\s*\d{1,3}\s*$")
# a line opening with an annex title (in capitals or as listed) or the recipients heading ends a table
_AFTER_TABLE = tuple(w for a in load_sections().annex_headings for w in (a.upper(), a)) + load_header().recipients_headings


@lru_cache(maxsize=16)
def _run_pattern(min_gap: int) -> re.Pattern:
    return re.compile(r"\S+(?:" + r" {1,%d}\S+)*" % (min_gap - 1)) if min_gap > 1 else re.compile(r"\S+")


def fragments(text: str, min_gap: int) -> list[Frag]:
    t = text.strip()
    if min_gap > 1 and "  " not in t and t.isprintable():
        # one run or none: no white space inside but single plain spaces (a printable string
        # holds no other white space), the usual line of prose; the same as the regex gives
        lead = len(text) - len(text.lstrip())
        return [(lead, lead + len(t), t)] if t else []
    return [(m.start(), m.end(), m.group()) for m in _run_pattern(min_gap).finditer(text)]


def _header_block(lines: Sequence[Line], i: int, settings: TableSettings,
                  memo: Optional[dict] = None) -> Optional[tuple[int, list[tuple[int, int, str]]]]:
    """If a header block starts at line i: (index after it, columns as (x0, x1, label)).

    `memo` (one per scan of a document) keeps each line's body test and fragments: the scan asks
    at every line, and each question reads up to layout_max_header_lines lines ahead."""
    memo = {} if memo is None else memo
    bodies, frag_memo = memo.setdefault("body", {}), memo.setdefault("fragments", {})
    block: list[int] = []
    for k in range(i, min(i + settings.layout_max_header_lines, len(lines))):
        ln = lines[k]
        if ln.is_blank:
            break
        body = bodies.get(k)
        if body is None:
            body = bodies[k] = _body_line(ln)
        if body:
            break
        block.append(k)
    if len(block) < 1:
        return None
    frags = []
    for n, k in enumerate(block):
        fr = frag_memo.get(k)
        if fr is None:
            fr = frag_memo[k] = fragments(lines[k].text, settings.layout_min_gap)
        frags += [(x0, x1, t, n) for x0, x1, t in fr]
    if len(frags) < 3:
        return None
    # union fragments that overlap in x into columns
    cols: list[list] = []
    for x0, x1, t, k in sorted(frags):
        if cols and x0 <= cols[-1][1]:
            cols[-1][1] = max(cols[-1][1], x1)
            cols[-1][2].append((k, t))
        else:
            cols.append([x0, x1, [(k, t)]])
    labels = [(c[0], c[1], " ".join(t for _, t in sorted(c[2]))) for c in cols]
    roles = [header_role(lab) for _, _, lab in labels]
    if len(labels) < 3 or sum(1 for r in roles if r) < max(3, len(labels) - 1):
        return None
    if not {"content", "lead"} <= set(roles) and not {"content", "deadline"} <= set(roles):
        return None
    return i + len(block), labels


def _body_line(ln: Line) -> bool:
    """A line that cannot be part of a header: a numbered or group row, or a long unlabelled run."""
    s = ln.stripped
    # the first word, without cutting up the rest (a number opens with a digit)
    if split_roman(s) or s[:1].isdecimal() and is_number(s.split(" ", 1)[0]):
        return True
    if s and "  " not in s and s.isprintable():
        # = the line below for a long line of prose: clean_cell leaves a stripped, single-spaced,
        # printable line without markup as it is, and header_role says None for an NFC cell over its
        # limit (asked here without its cleaning's scans of the whole line and the cache)
        if len(s) > MAX_LABEL and "*" not in s and "<" not in s and "_" not in s and "\\" not in s \
                and over_label(s):
            return True
        return len(s) > 24 and not header_role(s)     # one run, the stripped line (= fragments' fast path)
    frs = fragments(ln.text, 2)
    return max(len(t) for _, _, t in frs) > 24 and not any(header_role(t) for _, _, t in frs)


def column_edges(labels: Sequence[tuple[int, int, str]]) -> list[float]:
    """Right edges of the columns, from labels centred over them (left edge of column 0 is 0)."""
    edges, left = [], 0.0
    for k, (x0, x1, _) in enumerate(labels):
        centre = (x0 + x1) / 2
        right = max(2 * centre - left, x1)
        if k + 1 < len(labels):
            right = min(right, labels[k + 1][0])
        edges.append(right)
        left = right
    return edges


_YEARS = re.compile(r"^(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d$")
_DATE_END = re.compile(rf"^(?:trước ngày |trước )?{DMY}$", re.I)


def _timeish(t: str) -> bool:
    return bool(_YEARS.match(t) or is_time_like(t))


def line_runs(text: str, stt_edge: float, settings: TableSettings) -> list[Frag]:
    """Runs of one physical line; "15 kiệt, ô nhiễm …" (the Stt numeral one space before
    the content) is split in two."""
    frags = fragments(text, settings.layout_min_gap)
    if frags and frags[0][0] < stt_edge:
        x0, x1, t = frags[0]
        head = t.split(" ", 1)
        if len(head) == 2 and is_number(head[0]):
            frags[0:1] = [(x0, x0 + len(head[0]), head[0]), (x0 + len(head[0]) + 1, x1, head[1])]
    return frags


def _reach(x0: int, x1: int, edges: Sequence[float], tol: float = 1.0) -> tuple[int, int]:
    """First and last column a run lies in (a run only `tol` over an edge stays on its side)."""
    a = next((k for k, e in enumerate(edges) if x0 + tol < e), len(edges) - 1)
    b = next((k for k, e in enumerate(edges) if x1 - 1 - tol < e), len(edges) - 1)
    return a, max(a, b)


def _median(v: Sequence[float]) -> float:
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


Modes = dict[int, str]


def _at(x0: int, x1: int, mode: Optional[str]) -> float:
    """Where a line sits in its column: its start if the column is left-aligned, else its middle."""
    return float(x0) if mode == "left" else (x0 + x1) / 2


def alignment_modes(blocks: Sequence[tuple[Sequence[str], Sequence[float]]], roles: Sequence[Optional[str]],
                    settings: TableSettings) -> Modes:
    """How each column's lines sit in their cells across the table: "left" (same start) or
    "centre" (same middle), from rows with several lines inside one column (page edges)."""
    spread: dict[int, list[float]] = {}
    for texts, edges in blocks:
        per: dict[int, list[tuple[int, int]]] = {}
        for t in texts:
            for x0, x1, _ in line_runs(t, edges[0], settings):
                a, b = _reach(x0, x1, edges)
                if a == b:
                    per.setdefault(a, []).append((x0, x1))
        for k, ps in per.items():
            if len(ps) >= 2:
                s = spread.setdefault(k, [0.0, 0.0])
                s[0] += max(p[0] for p in ps) - min(p[0] for p in ps)
                s[1] += (max(p[0] + p[1] for p in ps) - min(p[0] + p[1] for p in ps)) / 2
    modes: Modes = {}
    for k, (left, cen) in spread.items():
        if left < 0.5 * cen:
            modes[k] = "left"
        elif cen < 0.5 * left:
            modes[k] = "centre"
    if "content" in roles:
        modes.setdefault(list(roles).index("content"), "left")
    return modes


@dataclass(frozen=True)
class Placement:
    """Where one page's columns sit: per column the start (left-aligned) or middle of its
    lines, and where the content column's lines end (its wrap width)."""
    pos: tuple[float, ...]
    right: float
    width: tuple[float, ...] = ()     # the widest line of each column


def placement(texts: Sequence[str], edges: Sequence[float], roles: Sequence[Optional[str]], modes: Modes,
              settings: TableSettings) -> Placement:
    content = list(roles).index("content") if "content" in roles else min(1, len(edges) - 1)
    per: dict[int, list[float]] = {}
    widths: dict[int, list[int]] = {}
    rights = []
    for t in texts:
        if _PAGE_NO.match(t):
            continue
        for x0, x1, _ in line_runs(t, edges[0], settings):
            a, b = _reach(x0, x1, edges, tol=3)
            if a == b:
                per.setdefault(a, []).append(_at(x0, x1, modes.get(a)))
                widths.setdefault(a, []).append(x1 - x0)
                if a == content:
                    rights.append(x1)
    pos, width, left = [], [], 0.0
    for k, e in enumerate(edges):
        pos.append(_median(per[k]) if per.get(k) else left + 1 if modes.get(k) == "left" else (left + e) / 2)
        width.append(float(max(widths[k])) if widths.get(k) else e - left)
        left = e
    return Placement(tuple(pos), float(max(rights)) if rights else float(edges[content]), tuple(width))


_TIME_TAIL = re.compile(rf"(?:^| )(?:(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d|{DMY})$")


def _fit_block(lines: Sequence[Sequence[Frag]], place: Placement, modes: Modes, content: int,
               deadline: Optional[int], settings: TableSettings) -> list[float]:
    """The page's column positions moved to fit one row: pdftotext packs some rows tighter
    than others, and a row can move one column and not the next. Fitted on the row's runs
    right of the content that are no wider than a column's line (each near some column), and
    on the time expressions ending its runs (near the deadline column): first a stretch and
    shift of all columns together, then each column on its own."""
    others = [k for k in range(1, len(place.pos)) if k != content]
    if not others:
        return list(place.pos)
    widest = max(place.width[k] for k in others) if place.width else float("inf")
    obs: list[tuple[int, int, Optional[int]]] = []
    for rs in lines:
        for x0, x1, t in rs:
            m = _TIME_TAIL.search(t) if deadline is not None else None
            if m and x0 + m.start() + (m.group()[0] == " ") >= place.right - 2:
                obs.append((x0 + m.start() + (m.group()[0] == " "), x1, deadline))
            elif x0 >= place.right - 2 and x1 - x0 <= widest + 2:
                obs.append((x0, x1, None))
    if not obs:
        return list(place.pos)
    r = place.right

    cap = settings.layout_misfit_cap

    # where each observation sits for each column it may belong to (not moved by the fitting)
    obs_at = [[(_at(x0, x1, modes.get(k)), k) for k in ([fixed] if fixed else others)] for x0, x1, fixed in obs]

    def misfit(pos: list[float]) -> float:
        return sum(min(min(abs(a - pos[k]) for a, k in at), cap) for at in obs_at)

    def moved(f: float, sh: float) -> list[float]:
        return [p if k not in others else r + (p - r) * f + sh for k, p in enumerate(place.pos)]

    lo, hi = (round(x * 20) for x in settings.layout_stretch)
    shifts = range(-settings.layout_shift, settings.layout_shift + 1, 2)
    f, sh = min(((f / 20, float(sh)) for f in range(lo, hi + 1) for sh in shifts),
                key=lambda v: misfit(moved(*v)) + 2 * abs(v[0] - 1) + 0.05 * abs(v[1]))
    pos = moved(f, sh)
    for _ in range(2):
        for k in others:
            lo = pos[k - 1] + 2 if k - 1 in others else -1e9
            hi = pos[k + 1] - 2 if k + 1 in others else 1e9
            cands = [pos[k] + d for d in range(-settings.layout_edge_window, settings.layout_edge_window + 1) if lo <= pos[k] + d <= hi] or [pos[k]]
            pos[k] = min(cands, key=lambda x: (misfit(pos[:k] + [x] + pos[k + 1:]) + 0.1 * abs(x - pos[k]),
                                               abs(x - pos[k])))
    return pos


def split_block(texts: Sequence[str], edges: Sequence[float], roles: Sequence[Optional[str]],
                settings: TableSettings, modes: Optional[Modes] = None,
                place: Optional[Placement] = None, starts: Optional[Sequence[int]] = None) -> list[Cell]:
    """The physical lines of one table row (starting at document offsets `starts`) → one cell per column.

    Every run of text (cells one space apart are one run) is cut into pieces and the pieces
    given to columns, left to right, so that each piece lines up with its column: starts
    where the column's lines start (left-aligned) or centres where they centre, the content
    not running past the page's wrap width, a piece cut off into the deadline column reading
    as a time and a time expression not left at the end of another column, the first line of
    a cell not starting in lowercase. pdftotext places every row anew, so the column
    positions start from the page's and are re-estimated from the row's own pieces."""
    # `_piece_cost` and `_line_assigner` build the levels of one dynamic programme (piece →
    # run → line) as closures over the fitted column positions `pos` and `first_line`, which
    # `_place_lines` re-estimates in place: the innermost loop, the layout reader's hot spot,
    # reads them without passing them on every call.
    n = len(edges)
    if modes is None:
        modes = alignment_modes([(texts, edges)], roles, settings)
    if place is None:
        place = placement(texts, edges, roles, modes, settings)
    content = list(roles).index("content") if "content" in roles else min(1, n - 1)
    deadline = list(roles).index("deadline") if "deadline" in roles else None
    lines = [line_runs(t, edges[0], settings) for t in texts]
    base = _fit_block(lines, place, modes, content, deadline, settings)
    pos = list(base)
    first_line: dict[int, int] = {}
    for i, rs in enumerate(lines):
        for x0, x1, _ in rs:
            for k in range(n):
                if k not in first_line and x0 - 2 <= pos[k] <= x1 + 2:
                    first_line[k] = i
    cost = _piece_cost(pos, first_line, modes, place, content, deadline, settings)
    assign = _line_assigner(cost, place, n, settings)
    placed = _place_lines(lines, assign, pos, first_line, base, modes, settings.layout_edge_window)
    return _join_cells(placed, n, starts)


def _piece_cost(pos: list[float], first_line: dict[int, int], modes: Modes, place: Placement,
                content: int, deadline: Optional[int], S: TableSettings):
    """cost(x0, x1, text, column, cut, line): how badly a piece fits a column at the current `pos`."""
    # the text tests of a piece, once per piece text (pieces recur across columns, cuts and passes)
    tested: dict[tuple[str, str], bool] = {}

    def test(kind: str, t: str) -> bool:
        r = tested.get((kind, t))
        if r is None:
            if kind == "stt":
                r = bool(is_number(t) or split_roman(t + " X"))
            elif kind == "time":
                r = _timeish(t)
            elif kind == "tail":
                r = bool(_TIME_TAIL.search(t))
            else:
                r = starts_lower(t)
            tested[(kind, t)] = r
        return r

    def cost(x0: int, x1: int, t: str, k: int, cut: bool, i: int) -> float:
        if k == 0:
            return 0.0 if test("stt", t) else S.layout_cost_stt
        mode = modes.get(k)
        c = min(abs(_at(x0, x1, mode) - pos[k]), S.layout_cost_distance_cap)
        if k == content:
            c += S.layout_cost_overrun * max(0.0, x1 - place.right - 1)
        elif place.width:
            c += S.layout_cost_overrun * max(0.0, x1 - x0 - place.width[k] - 1)
        if k == deadline:
            if test("time", t):
                c = min(c, S.layout_cost_deadline_time_cap)  # the deadline column drifts most; a time is enough
            elif cut:
                c += S.layout_cost_deadline_cut
        elif deadline is not None and test("tail", t):
            c += S.layout_cost_time_tail
        if cut and first_line.get(k) == i and test("lower", t):
            c += S.layout_cost_lower_start
        return c

    return cost


def _line_assigner(cost, place: Placement, n: int, S: TableSettings):
    """assign(line number, runs) → [(column, x0, text)]: the cheapest cuts of the line's runs
    into pieces and their columns, left to right."""
    w = S.layout_edge_window

    def options(run: Frag, i: int) -> list[tuple[float, list[tuple[int, int, str]]]]:
        x0, x1, t = run
        spaces = [j for j, ch in enumerate(t) if ch == " " and x0 + j + 1 >= place.right - w]
        best: dict[tuple[int, int], tuple[float, list[tuple[int, int, str]]]] = {}
        # a piece's cost in each column, computed once: the same piece recurs in many cuts
        # and column choices (`pos` and `first_line` do not change within one call)
        piece_costs: dict[tuple[int, int, bool], list[float]] = {}

        def costs(s: int, e: int, cut: bool) -> list[float]:
            key = (s, e, cut)
            c = piece_costs.get(key)
            if c is None:
                c = piece_costs[key] = [cost(x0 + s, x0 + e, t[s:e], k, cut, i) for k in range(n)]
            return c

        for ncut in range(0, min(len(spaces), n - 1, 3) + 1):
            for cuts in combinations(spaces, ncut):
                bounds = [0] + [j + 1 for j in cuts]
                spans = list(zip(bounds, list(cuts) + [len(t)]))
                pieces = [(x0 + s, x0 + e, t[s:e]) for s, e in spans]
                pc = [costs(s, e, j > 0) for j, (s, e) in enumerate(spans)]
                # every choice of increasing columns, in the order of combinations(range(n), ncut + 1),
                # with its cost summed piece by piece (the same sums as sum() over the pieces)
                m = ncut + 1
                chosen = [(c, (k,)) for k, c in enumerate(pc[0][:n - ncut])]
                for j in range(1, m):
                    cj, top = pc[j], n - m + j
                    chosen = [(c + cj[k], cols + (k,)) for c, cols in chosen for k in range(cols[-1] + 1, top + 1)]
                base = S.layout_cost_cut * ncut
                for c, cols in chosen:
                    total = base + c
                    key = (cols[0], cols[-1])
                    if key not in best or total < best[key][0]:
                        best[key] = (total, [(k, p0, pt) for (p0, _, pt), k in zip(pieces, cols)])
        return [best[key] for key in sorted(best)]

    def assign(i: int, rs: Sequence[Frag]) -> list[tuple[int, int, str]]:
        # runs left to right take columns left to right (a column may hold two runs of one line)
        states: dict[int, tuple[float, list[tuple[int, int, str]]]] = {-1: (0.0, [])}
        for run in rs:
            nxt: dict[int, tuple[float, list[tuple[int, int, str]]]] = {}
            for c_opt, pieces in options(run, i):
                a, b = pieces[0][0], pieces[-1][0]
                for last, (c_prev, acc) in states.items():
                    if a < last:
                        continue
                    total = c_prev + c_opt + (S.layout_cost_shared_column if a == last else 0.0)
                    if b not in nxt or total < nxt[b][0]:
                        nxt[b] = (total, acc + pieces)
            states = nxt or states
        return min(states.values(), key=lambda s: s[0])[1]

    return assign


def _place_lines(lines: list[list[Frag]], assign, pos: list[float], first_line: dict[int, int],
                 base: list[float], modes: Modes, w: int) -> list[list[tuple[int, int, str]]]:
    """Every line's pieces placed; the column positions re-estimated from them (up to three
    times): `pos` and `first_line`, which `assign` reads, are updated in place."""
    n = len(pos)
    placed: list[list[tuple[int, int, str]]] = []
    for _ in range(3):
        placed = [assign(i, rs) for i, rs in enumerate(lines)]
        seen: dict[int, list[float]] = {}
        firsts: dict[int, int] = {}
        for i, row in enumerate(placed):
            for k, p0, pt in row:
                seen.setdefault(k, []).append(_at(p0, p0 + len(pt), modes.get(k)))
                firsts.setdefault(k, i)
        new = [(_median(seen[k]) if k in seen and abs(_median(seen[k]) - base[k]) <= w else base[k])
               for k in range(n)]
        if new == pos and firsts == first_line:
            break
        pos[:] = new
        first_line.clear()
        first_line.update(firsts)
    return placed


def _join_cells(placed: list[list[tuple[int, int, str]]], n: int, starts: Optional[Sequence[int]]) -> list[Cell]:
    """The pieces of each column joined top to bottom, with their spans (lines start at `starts`)."""
    cells = [""] * n
    pieces: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for i, row in enumerate(placed):
        for k, p0, t in row:
            cells[k] = (cells[k] + " " + t).strip()
            if starts is not None:
                pieces[k].append((starts[i] + p0, starts[i] + p0 + len(t)))
    return [Cell(clean_cell(c), tuple(p)) for c, p in zip(cells, pieces)]


def refine_edges(chunk: Sequence[Line], edges: Sequence[float], settings: TableSettings, window: int = 8) -> list[float]:
    """Move each edge to where the fewest runs of text cross it, near where it was expected."""
    width = max((len(ln.text) for ln in chunk), default=0) + 2
    cross = [0] * (width + 1)
    for ln in chunk:
        if _PAGE_NO.match(ln.text):
            continue
        for x0, x1, _ in fragments(ln.text, settings.layout_min_gap):
            for x in range(x0 + 1, min(x1, width)):
                cross[x] += 1
    out: list[float] = []
    for k, e in enumerate(edges):
        lo = int(max(out[-1] + 2 if out else 1, e - window))
        hi = int(min(width, e + window))
        if k == 0 or k == len(edges) - 1 or lo >= hi:   # the Stt edge is where the numerals end
            out.append(e)
            continue
        out.append(float(min(range(lo, hi + 1), key=lambda x: (cross[x] + 0.15 * abs(x - e), abs(x - e)))))
    return out


def deadline_edge(chunk: Sequence[Line], left: float, settings: TableSettings) -> Optional[float]:
    """The deadline column starts where the time expressions at the right of the lines start."""
    starts = []
    for ln in chunk:
        for x0, x1, t in fragments(ln.text, settings.layout_min_gap):
            for m in re.finditer(r"(?:^| )(?=\S)", t):
                tail = t[m.end():]
                if x0 + m.end() > left + 5 and (_YEARS.match(tail) or _DATE_END.match(tail)):
                    starts.append(x0 + m.end())
                    break
    if not starts:
        return None
    starts.sort()
    return starts[len(starts) // 2] - 3.0      # median: a stray year inside another cell moves no edge


def _scale(chunk: Sequence[Line], ref: float) -> float:
    ext = max((len(ln.text.rstrip()) for ln in chunk), default=0)
    return ext / ref if ref and ext else 1.0


def _is_group(ln: Line, edges: Sequence[float]) -> Optional[str]:
    s = ln.stripped
    sr = split_roman(s)
    return sr[1] if sr and ln.text.index(s[0]) < edges[0] + 2 else None


def _anchor(ln: Line, edges: Sequence[float]) -> bool:
    """The line holding a row's Stt numeral."""
    fr = fragments(ln.text, 2)
    if not fr:
        return False
    head = ln.stripped.split(" ", 1)[0]
    return is_number(head) and ln.text.index(head) < edges[0] + 1


def _content_head(ln: Line, edges: Sequence[float], settings: TableSettings) -> str:
    """The line's text in the content column, if the line has any there."""
    for x0, _, t in line_runs(ln.text, edges[0], settings):
        if x0 >= edges[1]:
            break
        if x0 + 1 >= edges[0] and not is_number(t):
            return t
    return ""


def _split_between(gaps: Sequence[int], above0: int, below_last: int,
                   split_cost: Sequence[Sequence[float]] = ()) -> list[int]:
    """How many lines of each gap between two numeral lines go to the row above.

    pdftotext centres a row's cells vertically, so its Stt numeral sits in the middle of the
    row: each row has about as many lines above its numeral as below. `gaps[i]` lines lie
    between numeral i and i+1; `above0` lines precede the first, `below_last` follow the
    last; `split_cost[i][b]` is the evidence against giving b lines of gap i to the row
    above (the next row would start mid-sentence, or not at a blank line). Chooses the
    splits that make the rows most symmetric at least cost (dynamic programming); a row
    of an even number of lines has its numeral one line off the middle, so that costs little."""
    if not gaps:
        return []

    def lop(above: int, below: int) -> float:
        d = abs(above - below)
        return 0.3 if d == 1 else float(d)

    def off(i: int, below: int) -> float:
        return split_cost[i][below] if i < len(split_cost) else 0.0
    # best[t]: t = lines of the current gap given to the row below it (its lines above)
    best = {t: (lop(above0, gaps[0] - t) + off(0, gaps[0] - t), [gaps[0] - t]) for t in range(gaps[0] + 1)}
    for i in range(1, len(gaps)):
        nxt = {}
        for t in range(gaps[i] + 1):
            below = gaps[i] - t
            nxt[t] = min(((c + lop(above, below) + off(i, below), sp + [below]) for above, (c, sp) in best.items()),
                         key=lambda x: x[0])
        best = nxt
    return min(((c + lop(above, below_last), sp) for above, (c, sp) in best.items()), key=lambda x: x[0])[1]


def _row_blocks(body: Sequence[Line], edges: Sequence[float], settings: TableSettings) -> list[tuple[str, list[Line], Optional[str]]]:
    """("group", [line], label) and ("row", lines, None) in order. Cells are centred
    vertically, so the lines between two numeral lines are shared out to keep each row
    symmetric about its numeral; if nothing precedes the first numeral (top-aligned cells),
    every line goes to the numeral above it."""
    items: list[tuple[str, list[Line], Optional[str]]] = []
    segment: list[Line] = []
    spaced: set[int] = set()          # indices in segment of lines that follow a blank line

    def flush():
        anchors = [k for k, ln in enumerate(segment) if _anchor(ln, edges)]
        if not anchors:
            return
        if anchors[0] == 0:
            bounds = anchors[1:] + [len(segment)]
            items.extend(("row", segment[a:e], None) for a, e in zip(anchors, bounds))
            return
        gaps = [b - a - 1 for a, b in zip(anchors, anchors[1:])]
        heads = [_content_head(ln, edges, settings) for ln in segment]

        def cost(k: int, a: int, b: int) -> float:
            # the row below would start at line k: rows are spaced by blank lines (if the gap
            # has one), and a row's content starts with a capital, not in mid-sentence
            head = next((h for h in heads[k:b + 1] if h), "")
            blank_gap = any(j in spaced for j in range(a + 1, b + 1))
            return (1.5 if blank_gap and k not in spaced else 0.0) + (2.5 if head[:1].islower() else 0.0)
        split_cost = [[cost(a + 1 + below, a, b) for below in range(b - a)] for a, b in zip(anchors, anchors[1:])]
        below = _split_between(gaps, anchors[0], len(segment) - anchors[-1] - 1, split_cost)
        start = 0
        for j, a in enumerate(anchors):
            end = a + 1 + below[j] if j < len(below) else len(segment)
            items.append(("row", segment[start:end], None))
            start = end

    blank = False
    for ln in body:
        label = _is_group(ln, edges)
        if label:
            flush()
            segment, spaced = [], set()
            items.append(("group", [ln], label))
        elif ln.is_blank:
            blank = True
            continue
        elif not _PAGE_NO.match(ln.text):
            if blank and segment:
                spaced.add(len(segment))
            segment.append(ln)
        blank = False
    flush()
    return items


def _table_end(lines: Sequence[Line], start: int, settings: TableSettings) -> int:
    """First line after the table: another header, a title, or two lines of running prose."""
    prose = 0
    for j in range(start, len(lines)):
        s = lines[j].stripped
        if s.startswith(_AFTER_TABLE):
            return j
        if _header_block(lines, j, settings) and j > start:
            return j
        fr = fragments(lines[j].text, 2)
        wide = (len(fr) == 1 and fr[0][0] <= 10 and fr[0][1] >= settings.layout_prose_len
                and split_roman(s) is None and not is_number(s.split(" ")[0]))
        prose = prose + 1 if wide else 0
        if prose >= 2:
            return j - 1
    return len(lines)


def fixed_width_tables(lines: Sequence[Line], settings: TableSettings) -> list[RawTable]:
    tables: list[RawTable] = []
    memo: dict = {}
    bodies = memo.setdefault("body", {})
    i = 0
    while i < len(lines):
        ln = lines[i]
        if "\t" in ln.text or ln.stripped.startswith("|") or ln.is_blank:
            i += 1
            continue
        # a header block opens with a line that is no body line (_header_block's first test,
        # asked here first: most lines of a document are body lines)
        body = bodies.get(i)
        if body is None:
            body = bodies[i] = _body_line(ln)
        if body:
            i += 1
            continue
        hb = _header_block(lines, i, settings, memo)
        if not hb:
            i += 1
            continue
        body_start, labels = hb
        end = _table_end(lines, body_start, settings)
        tables.append(_read_table(lines, i, body_start, end, labels, settings))
        i = max(end, body_start)
    return [t for t in tables if len(t.rows) > 1 + settings.min_data_rows - 1]


def _read_table(lines: Sequence[Line], hstart: int, body_start: int, end: int,
                labels: Sequence[tuple[int, int, str]], settings: TableSettings) -> RawTable:
    roles = [header_role(lab) for _, _, lab in labels]
    head_lines = lines[hstart:body_start]
    ref = max(len(ln.text.rstrip()) for ln in lines[hstart:min(end, body_start + 40)] if not _PAGE_NO.match(ln.text))
    header = RawRow(cells=[Cell(clean_cell(lab)) for _, _, lab in labels],
                    span=(head_lines[0].content_span[0], head_lines[-1].content_span[1]),
                    page=head_lines[0].page, line_index=head_lines[0].index)
    rows = [header]
    # page chunks: each page of pdftotext output has its own column positions. A chunk ends
    # at a page-number line or a page change; the header's columns are scaled to the page's
    # width, refined on the page, then fitted to each row. (A header repeated on a new page
    # starts a new table, see _table_end, so its columns are read from it directly.)
    edges0 = column_edges(labels)
    chunks: list[list[Line]] = []
    cur: list[Line] = []
    for ln in lines[body_start:end]:
        if cur and ln.page != cur[-1].page:
            chunks.append(cur)
            cur = []
        cur.append(ln)
        if _PAGE_NO.match(ln.text):
            chunks.append(cur)
            cur = []
    if cur:
        chunks.append(cur)
    planned = []
    for n, chunk in enumerate(chunks):
        prior = edges0 if n == 0 else [e * _scale(chunk, ref) for e in edges0]
        edges = refine_edges(chunk, prior, settings)
        if "deadline" in roles[1:]:
            k = roles.index("deadline", 1)
            de = deadline_edge(chunk, edges[k - 2] if k >= 2 else 0, settings)
            if de is not None and k >= 1 and de > (edges[k - 2] if k >= 2 else 0) + 2:
                edges[k - 1] = de
        planned += [(kind, blines, label, edges, n) for kind, blines, label in _row_blocks(chunk, edges, settings)]
    modes = alignment_modes([([b.text for b in blines], edges) for kind, blines, _, edges, _ in planned
                             if kind == "row"], roles, settings)
    places: dict[int, Placement] = {}
    for kind, blines, label, edges, n in planned:
        span = (blines[0].content_span[0], max(b.content_span[1] for b in blines))
        if kind == "group":
            num = split_roman(blines[0].text.strip())[0]
            cells = [Cell(clean_cell(num)), Cell(clean_cell(label), (blines[0].content_span,))] + \
                [EMPTY] * (len(labels) - 2)
        else:
            if n not in places:
                places[n] = placement([ln.text for ln in chunks[n]], edges, roles, modes, settings)
            cells = split_block([b.text for b in blines], edges, roles, settings, modes, places[n],
                                starts=[b.start for b in blines])
        rows.append(RawRow(cells=cells, span=span, page=blines[0].page, line_index=blines[0].index))
    return RawTable(rows=rows, source="layout")
