"""Table regions from text lines: tab-separated rows and markdown pipe tables.

(Fixed-width `pdftotext -layout` tables are in fixed_width.py.) Each reader turns a region of
lines into a RawTable of RawRows; nothing here knows about column roles.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, Sequence

from ..lines import Line
from .model import Cell, RawRow, RawTable, read_cell
from ..patterns import mark_tolerant
from ..settings import TableSettings
from .text import split_roman
from ..vocab import load_table_columns

_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_SPLIT = re.compile(r"(?<!\\)\|")


def _is_tab_row(line: Line) -> bool:
    return "\t" in line.text and not line.is_blank


def _is_pipe_row(line: Line) -> bool:
    s = line.stripped
    # markdown ("| a | b |") or a Word text dump ("1 | Nội dung | Sở KHCN", no outer pipes,
    # no separator line)
    return (s.startswith("|") and s.count("|") >= 2) or " | " in s


def _group_line(line: Line) -> bool:
    """A group row that lost its tabs ("VII Xây dựng Đảng …") may sit inside a table."""
    s = line.stripped
    return bool(s) and len(s) < 250 and split_roman(s) is not None


def _regions(lines: Sequence[Line], is_row, settings: TableSettings, allow_groups: bool) -> Iterator[list[Line]]:
    """Runs of table lines; blank lines (page breaks) and tab-less group rows may sit inside."""
    i, n = 0, len(lines)
    while i < n:
        if not is_row(lines[i]):
            i += 1
            continue
        region = [lines[i]]
        j = i + 1
        while j < n:
            ln = lines[j]
            if is_row(ln):
                region.append(ln)
                j += 1
                continue
            # look past blank lines and stray group rows to the next table line
            k, blanks = j, 0
            while k < n and not is_row(lines[k]):
                if lines[k].is_blank:
                    blanks += 1
                elif not (allow_groups and _group_line(lines[k])):
                    break
                if blanks > settings.max_blank_gap:
                    break
                k += 1
            if k < n and is_row(lines[k]) and blanks <= settings.max_blank_gap:
                region.extend(lines[j:k])
                j = k
            else:
                break
        yield region
        i = j


def _rows_from(region: Sequence[Line], cells_of, is_row) -> list[RawRow]:
    rows: list[RawRow] = []
    after_break = False
    for ln in region:
        if ln.is_blank:
            after_break = True
            continue
        cells = cells_of(ln) if is_row(ln) else [read_cell(ln.text, ln.start)]
        if cells is None:
            continue
        if rows and ln.page is not None and rows[-1].page is not None and ln.page != rows[-1].page:
            after_break = True
        rows.append(RawRow(cells=cells, span=ln.content_span, page=ln.page, line_index=ln.index,
                           after_break=after_break, lead_gap=not cells[0].text if cells else False))
        after_break = False
    return rows


def tsv_tables(lines: Sequence[Line], settings: TableSettings) -> list[RawTable]:
    def cells_of(ln: Line) -> list[Cell]:
        # = _split_cells(ln.text, ln.start, re.compile("\\t"), 0, len(ln.text)), cut by str.split
        cells, at = [], ln.start
        for raw in ln.text.split("\t"):
            cells.append(read_cell(raw, at))
            at += len(raw) + 1
        return cells
    return [RawTable(_rows_from(r, cells_of, _is_tab_row), "tsv")
            for r in _regions(lines, _is_tab_row, settings, allow_groups=True)]


def _split_cells(text: str, base: int, sep: re.Pattern, lo: int, hi: int) -> list[Cell]:
    """Cells of text[lo:hi] cut at the one-character separator `sep`, with document spans."""
    bounds = [lo - 1] + [m.start() for m in sep.finditer(text, lo, hi)] + [hi]
    return [read_cell(text[a + 1:b], base + a + 1) for a, b in zip(bounds, bounds[1:])]


def _pipe_cells(ln: Line) -> list[Cell] | None:
    t = ln.text
    s = t.strip()
    if _MD_SEPARATOR.match(s):
        return None
    lo = len(t) - len(t.lstrip())
    hi = lo + len(s)
    if s.startswith("|"):
        lo += 1
    if s.endswith("|") and not s.endswith("\\|"):
        hi -= 1
    return _split_cells(t, ln.start, _MD_SPLIT, lo, hi)


def markdown_tables(lines: Sequence[Line], settings: TableSettings) -> list[RawTable]:
    return [RawTable(_rows_from(r, _pipe_cells, _is_pipe_row), "markdown")
            for r in _regions(lines, _is_pipe_row, settings, allow_groups=False)]


# Between a table and its continuation on the next page only page furniture may stand: blank
# lines, a running header or footer, a page number, or the fragments of a cell the reader cut
# into short lines. A longer line is prose, and the table has ended (TableSettings.continuation_*).
# a heading or caption of its own opens a new table ("Phụ lục II", "Biểu 2", "III. TỔ CHỨC …")
@lru_cache(maxsize=1)
def _new_part() -> re.Pattern:
    words = "|".join(mark_tolerant(w) for w in load_table_columns().part_captions)
    return re.compile(rf"^(?:{words})\b|:$", re.I)


def furniture_gap(lines: Sequence[Line], after: int, before: int, settings: TableSettings) -> bool:
    """Are the lines strictly between line indexes `after` and `before` only page furniture?"""
    gap = [ln for ln in lines[after + 1:before] if not ln.is_blank]
    if len(gap) > settings.continuation_max_gap_lines:
        return False
    for ln in gap:
        if ln.is_footnote:             # a page's footnotes sit at its foot, whatever their length
            continue
        s = ln.stripped
        if len(s) > settings.continuation_max_line_len or _new_part().search(s) or _group_line(ln) or _is_heading_like(s):
            return False
    return True


def _is_heading_like(s: str) -> bool:
    """A numbered heading ("3. Tổ chức thực hiện", "II. NHIỆM VỤ") rather than a page number."""
    m = re.match(r"^(\d{1,2}|[IVX]{1,5})[.)]\s+(\w)", s)
    return bool(m) and m.group(2).isupper()
