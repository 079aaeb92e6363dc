"""Fixed-width tables from `pdftotext -layout`: cells wrap over several physical lines.

Steps, each a small function:
  header block  → column count and positions (header labels are centred over their columns)
  page chunks   → the body split at page-number lines (each page has its own x scale)
  fragments     → runs of text separated by ≥ `layout_min_gap` spaces, with x positions
  cell splits   → a run that crosses a column edge (two cells one space apart) is cut at the
                  word boundary nearest the edge, preferring a capitalised or numeric word
  row blocks    → physical lines grouped around the Stt numeral of each row (pdftotext
                  centres cells vertically, so a row's lines surround its number)
The result is a RawTable like any other source: header row, group rows, data rows.
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

from ..layout import Line
from .columns import header_role
from .model import RawRow, RawTable
from .settings import TableSettings
from .text import clean_cell, is_number, is_time_like, split_roman

Frag = tuple[int, int, str]          # x0, x1 (exclusive), text
_PAGE_NO = re.compile(r"^\s*\d{1,3}\s*$")


def fragments(text: str, min_gap: int) -> list[Frag]:
    pat = re.compile(r"\S+(?:" + r" {1,%d}\S+)*" % (min_gap - 1)) if min_gap > 1 else re.compile(r"\S+")
    return [(m.start(), m.end(), m.group()) for m in pat.finditer(text)]


def _header_block(lines: Sequence[Line], i: int, settings: TableSettings) -> Optional[tuple[int, list[tuple[int, int, str]]]]:
    """If a header block starts at line i: (index after it, columns as (x0, x1, label))."""
    block: list[Line] = []
    for ln in lines[i:i + settings.layout_max_header_lines]:
        if ln.is_blank or _body_line(ln):
            break
        block.append(ln)
    if len(block) < 1:
        return None
    frags = [(x0, x1, t, k) for k, ln in enumerate(block) for x0, x1, t in fragments(ln.text, settings.layout_min_gap)]
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
    s = ln.text.strip()
    if split_roman(s) or is_number(s.split(" ")[0]):
        return True
    frs = fragments(ln.text, 2)
    return not any(header_role(t) for _, _, t in frs) and max(len(t) for _, _, t in frs) > 24


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


def _cut(frag: Frag, edge: float, deadline_next: bool, window: int = 16) -> Optional[int]:
    """Where to cut a run that crosses `edge` (two cells one space apart): an offset in the
    run's text, or None. A time expression at the end goes to a deadline column; otherwise the
    first capitalised word near the edge starts the next cell (cells start with a capital)."""
    x0, x1, t = frag
    spaces = [m.start() for m in re.finditer(" ", t)]
    cands = [s for s in spaces if edge - window <= x0 + s <= edge + 3]
    if deadline_next:
        for s in spaces:
            if x0 + s >= edge - 2 * window and (is_time_like(t[s + 1:]) or _YEARS.match(t[s + 1:])):
                return s
    if not cands:
        return None
    upper = [s for s in cands if t[s + 1:s + 2].isupper() or t[s + 1:s + 2].isdigit()]
    if upper:
        return upper[0]
    return min(cands, key=lambda s: abs(x0 + s - edge))


_YEARS = re.compile(r"^(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d$")


def split_line(text: str, edges: Sequence[float], roles: Sequence[Optional[str]], settings: TableSettings) -> list[str]:
    """One physical line → text per column."""
    cells = [""] * len(edges)
    frags = fragments(text, settings.layout_min_gap)
    # "15 kiệt, ô nhiễm …": the Stt numeral one space before the content
    if frags and frags[0][0] < edges[0]:
        x0, x1, t = frags[0]
        head = t.split(" ", 1)
        if len(head) == 2 and (is_number(head[0]) or split_roman(t) is None and is_number(head[0])):
            frags[0:1] = [(x0, x0 + len(head[0]), head[0]), (x0 + len(head[0]) + 1, x1, head[1])]
    for frag in frags:
        parts = [frag]
        for k, e in enumerate(edges[:-1]):
            nxt = []
            for p in parts:
                # a run only slightly over the edge is a shifted cell, not two cells
                if p[0] < e - 6 and (p[1] > e + 4 or roles[k + 1] == "deadline"):
                    s = _cut(p, e, roles[k + 1] == "deadline")
                    if s is not None:
                        nxt += [(p[0], p[0] + s, p[2][:s]), (p[0] + s + 1, p[1], p[2][s + 1:])]
                        continue
                nxt.append(p)
            parts = nxt
        for x0, x1, t in parts:
            centre = (x0 + x1) / 2
            k = next((k for k, e in enumerate(edges) if centre < e), len(edges) - 1)
            cells[k] = (cells[k] + " " + t).strip()
    return cells


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
                if x0 + m.end() > left + 5 and (_YEARS.match(tail) or re.match(r"^(?:trước ngày |trước )?\d{1,2}/\d{1,2}/\d{4}$", tail, re.I)):
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
    s = ln.text.strip()
    sr = split_roman(s)
    return sr[1] if sr and ln.text.index(s[0]) < edges[0] + 2 else None


def _anchor(ln: Line, edges: Sequence[float]) -> bool:
    """The line holding a row's Stt numeral."""
    fr = fragments(ln.text, 2)
    if not fr:
        return False
    head = ln.text.strip().split(" ", 1)[0]
    return is_number(head) and ln.text.index(head) < edges[0] + 1


def _row_blocks(body: Sequence[Line], edges: Sequence[float]) -> list[tuple[str, list[Line], Optional[str]]]:
    """("group", [line], label) and ("row", lines, None) in order; lines go to the nearest
    numeral line (cells are centred vertically) unless nothing precedes the first numeral
    (top-aligned cells), then to the numeral above."""
    items: list[tuple[str, list[Line], Optional[str]]] = []
    segment: list[Line] = []

    def flush():
        anchors = [k for k, ln in enumerate(segment) if _anchor(ln, edges)]
        if not anchors:
            return
        centred = anchors[0] > 0
        groups: dict[int, list[Line]] = {a: [] for a in anchors}
        for k, ln in enumerate(segment):
            if centred:
                a = min(anchors, key=lambda a: (abs(a - k), -a if k > a else a))
            else:
                a = max([a for a in anchors if a <= k], default=anchors[0])
            groups[a].append(ln)
        items.extend(("row", groups[a], None) for a in anchors)

    for ln in body:
        label = _is_group(ln, edges)
        if label:
            flush()
            segment = []
            items.append(("group", [ln], label))
        elif not ln.is_blank and not _PAGE_NO.match(ln.text):
            segment.append(ln)
    flush()
    return items


def _table_end(lines: Sequence[Line], start: int, settings: TableSettings) -> int:
    """First line after the table: another header, a title, or two lines of running prose."""
    prose = 0
    for j in range(start, len(lines)):
        s = lines[j].text.strip()
        if s.startswith(("PHỤ LỤC", "Phụ lục", "Nơi nhận")):
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


def layout_tables(lines: Sequence[Line], settings: TableSettings) -> list[RawTable]:
    tables: list[RawTable] = []
    i = 0
    while i < len(lines):
        if "\t" in lines[i].text or lines[i].text.lstrip().startswith("|"):
            i += 1
            continue
        hb = _header_block(lines, i, settings)
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
    edges0 = column_edges(labels)
    roles = [header_role(lab) for _, _, lab in labels]
    head_lines = lines[hstart:body_start]
    ref = max(len(ln.text.rstrip()) for ln in lines[hstart:min(end, body_start + 40)] if not _PAGE_NO.match(ln.text))
    header = RawRow(cells=[clean_cell(lab) for _, _, lab in labels],
                    span=(head_lines[0].content_span[0], head_lines[-1].content_span[1]),
                    page=head_lines[0].page, line_index=head_lines[0].index)
    rows = [header]
    # page chunks: each page of pdftotext output has its own horizontal scale
    chunks, cur = [], []
    for ln in lines[body_start:end]:
        cur.append(ln)
        if _PAGE_NO.match(ln.text):
            chunks.append(cur)
            cur = []
    if cur:
        chunks.append(cur)
    for n, chunk in enumerate(chunks):
        sc = 1.0 if n == 0 else _scale(chunk, ref)
        edges = refine_edges(chunk, [e * sc for e in edges0], settings)
        if "deadline" in roles[1:]:
            k = roles.index("deadline", 1)
            de = deadline_edge(chunk, edges[k - 2] if k >= 2 else 0, settings)
            if de is not None and k >= 1 and de > (edges[k - 2] if k >= 2 else 0) + 2:
                edges[k - 1] = de
        for kind, blines, label in _row_blocks(chunk, edges):
            span = (blines[0].content_span[0], max(b.content_span[1] for b in blines))
            if kind == "group":
                cells = [label] + [""] * (len(labels) - 1)
                num = split_roman(blines[0].text.strip())[0]
                cells = [num, label] + [""] * (len(labels) - 2)
            else:
                per_line = [split_line(b.text, edges, roles, settings) for b in blines]
                cells = [clean_cell(" ".join(pl[k] for pl in per_line if pl[k])) for k in range(len(labels))]
            rows.append(RawRow(cells=cells, span=span, page=blines[0].page, line_index=blines[0].index))
    return RawTable(rows=rows, source="layout")
