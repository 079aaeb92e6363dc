"""Tables a text layer flattened to one cell fragment per line (landscape annexes, commune PDFs).

    Stt / Nội dung / Thời gian / Cơ quan / chủ trì          ← the header, one label piece per line
    I / Lĩnh vực kinh tế                                     ← a group row
    Nghị quyết về cơ cấu lại / ngành nông nghiệp …           ← content, wrapped at its column width
    Quý I/2026                                               ← the deadline cell
    Đảng uỷ / UBND xã                                        ← the lead cell, wrapped too

No line says where a cell ends, so the columns are inferred from the repeating sequence of cell
kinds: rows are anchored on their Stt numerals when the table prints them, else on their time
cells; the text between two anchors is cut between the columns the header puts there (a lead
column is much narrower than the content column, and a cell starts with a capital letter).
Where two narrow columns share a run (chủ trì | phối hợp), a capitalised piece starts the second
one's cell: a lead wrapped onto a capitalised line ("Văn phòng" / "Tỉnh ủy") is then misread.
The reader builds an ordinary RawTable (header row, then one row per table row) so column roles,
group rows and tasks come from the same steps as every other source.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from ..lines import Line
from ..patterns import phrases_source
from ..settings import TableSettings
from ..vocab import load_header, load_table_columns
from .columns import header_role, is_header_row
from .model import EMPTY, Cell, RawRow, RawTable, read_cell
from .text import is_number, is_roman, is_time_like, starts_lower

# a header label piece or a body fragment is a short line; a line holding a tab, a pipe or a
# column gap belongs to another reader
_GAP = re.compile(r"\t|\||\S {3,}\S")
_MAX_HEADER_LINE = 40
_MAX_HEADER_LINES = 16
# a time cell wrapped over lines ends on a word that needs the next one ("Quý IV hàng" / "năm")
_OPEN_END = re.compile(rf"(?:\b{phrases_source(load_table_columns().time_cell_open_ends)}|[,/-])$", re.I)
# a content line that needs the next piece: a date or number there is content, not a time cell
_CONTINUES = re.compile(rf"(?:\b{phrases_source(load_table_columns().content_open_ends)}|[,(-])$", re.I)
# a content line is at least this share of the widest body line; lead lines are shorter
_LONG_SHARE = 0.6
# what follows a table at the end of a document: recipients, a signature block
_AFTER_TABLE = re.compile(rf"(?:{phrases_source(load_header().recipients_headings)}|t/m|tm\.|kt\.|tl\.|tuq\.)", re.I)
# header label pieces name at least three roles (Stt, Nội dung, Thời gian, Chủ trì …)
_HEADER = TableSettings(min_header_roles=3)


@dataclass
class _Tok:
    kind: str                 # "num" | "roman" | "time" | "text"
    lines: list[Line]

    @property
    def text(self) -> str:
        return " ".join(ln.stripped for ln in self.lines)


def _plain(ln: Line) -> bool:
    s = ln.stripped
    # = not _GAP.search(s), told by substring tests first (a gap of spaces needs three of them):
    # the regex has no literal to skip to and would be tried at every position of every line
    return bool(s) and "\t" not in s and "|" not in s and not ("   " in s and _GAP.search(s))


def _header_cells(lines: Sequence[Line]) -> list[list[Line]]:
    """Header label pieces → cells: a piece that starts in lower case goes on the label before it."""
    cells: list[list[Line]] = []
    for ln in lines:
        if cells and starts_lower(ln.stripped):
            cells[-1].append(ln)
        else:
            cells.append([ln])
    return cells


def _header_at(lines: Sequence[Line], i: int) -> Optional[int]:
    """End (exclusive) of a one-piece-per-line header starting at line i, or None."""
    first = lines[i]
    if len(first.stripped) > _MAX_HEADER_LINE or not _plain(first) or header_role(first.stripped) not in ("number", "content"):
        return None
    j = i
    while j < len(lines) and j - i < _MAX_HEADER_LINES:
        ln = lines[j]
        s = ln.stripped
        if not _plain(ln) or len(s) > _MAX_HEADER_LINE or is_number(s) or is_roman(s) or is_time_like(s):
            break
        # an unlabelled piece longer than a label is the first body cell
        if header_role(s) is None and not starts_lower(s) and len(s) > 12:
            break
        j += 1
    if j - i < 3 or j >= len(lines):
        return None
    cells = [" ".join(x.stripped for x in c) for c in _header_cells(lines[i:j])]
    if not is_header_row(cells, _HEADER):
        return None
    return j


def _time_token(lines: Sequence[Line], k: int, limit: int) -> int:
    """End of the time cell starting at k (its wrapped pieces included), or k if none starts there."""
    s = lines[k].stripped
    if len(s) > limit or s.endswith((".", ";")) or not is_time_like(s):
        return k
    # one word without a digit ("ngày", "năm") is a piece of justified content, not a cell
    if " " not in s and not any(c.isdigit() for c in s):
        return k
    j = k + 1
    while j < len(lines) and _plain(lines[j]):
        nxt = lines[j].stripped
        if len(nxt) > limit:
            break
        so_far = " ".join(ln.stripped for ln in lines[k:j])
        # "Quý IV hàng" / "năm", "Theo chỉ đạo" / "của tỉnh"; a cell with its date is complete
        if _OPEN_END.search(so_far) or (starts_lower(nxt) and len(nxt.split()) <= 3
                                         and not any(c.isdigit() for c in so_far)):
            j += 1
            continue
        break
    return j


def _split_tail(ln: Line, limit: int) -> list[Line]:
    """A time cell a PDF reader ran onto the end of a content line ("… giai đoạn 2025-2030. Hàng
    quý"): the line cut before the longest capitalised tail that reads as a time cell."""
    s = ln.text
    if len(s.strip()) <= limit:
        return [ln]
    for m in re.finditer(r"(?<=\S) (?=[^\W\d_a-zđ])", s):
        tail = s[m.end():].strip()
        if len(tail) <= limit and not tail.endswith((".", ";")) and " " in tail and is_time_like(tail):
            head_end = m.start()
            return [Line(ln.index, ln.start, ln.start + head_end, s[:head_end], ln.page),
                    Line(ln.index, ln.start + m.end(), ln.end, s[m.end():], ln.page)]
    return [ln]


def _tokens(body: Sequence[Line], limit: int) -> list[_Tok]:
    body = [piece for ln in body for piece in _split_tail(ln, limit)]
    toks: list[_Tok] = []
    k = 0
    while k < len(body):
        ln = body[k]
        s = ln.stripped
        if is_roman(s):
            toks.append(_Tok("roman", [ln]))
        elif is_number(s) and len(s) <= 6:
            toks.append(_Tok("num", [ln]))
        else:
            j = _time_token(body, k, limit)
            # a date that continues a sentence ("… Nghị quyết số 02-NQ/ĐU ngày" / "31/8/2025")
            if j > k and s[0].isdigit() and toks and toks[-1].kind == "text" and _CONTINUES.search(toks[-1].text):
                j = k
            if j > k:
                toks.append(_Tok("time", list(body[k:j])))
                k = j
                continue
            toks.append(_Tok("text", [ln]))
        k += 1
    return toks


def _cell(lines: Sequence[Line]) -> Cell:
    cells = [read_cell(ln.text, ln.start) for ln in lines]
    cells = [c for c in cells if c]
    if not cells:
        return EMPTY
    return Cell(" ".join(c.text for c in cells), tuple(p for c in cells for p in c.pieces))


def _split_long_first(lines: list[Line], long_len: int) -> tuple[list[Line], list[Line]]:
    """(short lead pieces, the rest): the next content starts at its first long line."""
    for n, ln in enumerate(lines):
        if len(ln.stripped) >= long_len:
            return lines[:n], lines[n:]
    return lines, []


def _split_long_last(lines: list[Line], long_len: int) -> tuple[list[Line], list[Line]]:
    """(content, lead) of a run where the content comes first: the lead starts at the first
    capitalised short line after the content's last long line."""
    last_long = max((n for n, ln in enumerate(lines) if len(ln.stripped) >= long_len), default=-1)
    for n in range(last_long + 1, len(lines)):
        if not starts_lower(lines[n].stripped) and n > 0:
            return lines[:n], lines[n:]
    return lines, []


def _layout(header_roles: list[Optional[str]]) -> Optional[tuple[bool, tuple[str, ...], tuple[str, ...]]]:
    """(has a time column, the text columns between content and time, those after time)."""
    roles = [r for r in header_roles if r and r != "number"]
    if "content" not in roles:
        return None
    has_time = "deadline" in roles
    before = roles[:roles.index("deadline")] if has_time else roles
    after = roles[roles.index("deadline") + 1:] if has_time else []
    before = [r for r in before if r != "content"]        # text roles sharing the run with content
    return has_time, tuple(before), tuple(after)


def _give(cells: dict[str, list[Line]], roles: Sequence[str], lines: list[Line]) -> None:
    """Short pieces of one or more narrow columns: each capitalised piece starts the next column's
    cell ("Sở Khoa học" / "và Công nghệ" / "Các sở, ngành"), the last column takes the rest."""
    if not lines or not roles:
        return
    k = 0
    for n, ln in enumerate(lines):
        if n and k < len(roles) - 1 and not starts_lower(ln.stripped):
            k += 1
        cells.setdefault(roles[k], []).append(ln)


def _group_at(toks: list[_Tok], i: int) -> tuple[Optional[list[Line]], int]:
    """A group row at toks[i] (a Roman numeral, its title and the title's lower-case wraps)."""
    j = i + 1
    if j >= len(toks) or toks[j].kind != "text":
        return None, i + 1
    title = toks[j].lines[:]
    j += 1
    while j < len(toks) and toks[j].kind == "text" and starts_lower(toks[j].text):
        title += toks[j].lines
        j += 1
    return [toks[i].lines[0]] + title, j


def _rows(header_roles: list[Optional[str]], toks: list[_Tok], long_len: int) -> Optional[list[tuple]]:
    """Table rows as (group label lines | None, number line | None, {role: lines}) in order."""
    layout = _layout(header_roles)
    if layout is None:
        return None
    has_time = layout[0]
    # rows numbered in an Stt column: about one numeral per time cell (a few page numbers are not)
    nums, times = sum(t.kind == "num" for t in toks), sum(t.kind == "time" for t in toks)
    if nums >= 2 and (not has_time or nums * 2 >= times):
        return _numbered_rows(layout, toks, long_len)
    if not has_time:
        return None
    return _timed_rows(layout, toks, long_len)


def _numbered_rows(layout, toks: list[_Tok], long_len: int) -> Optional[list[tuple]]:
    """Rows that start at their Stt numeral. Within a row the deadline is the last time cell
    followed only by short pieces (a date inside the content is followed by more content)."""
    has_time, pre, post = layout
    out: list[tuple] = []
    group: Optional[list[Line]] = None
    number: Optional[Line] = None
    row: list[_Tok] = []

    def close(last: bool = False) -> None:
        if number is None or not row:
            return
        cells: dict[str, list[Line]] = {}
        k = None
        if has_time:
            # the earliest such cell (a second time column, BTV | BCH, follows the first); else
            # the last time cell (a wide column after it)
            for n in range(len(row) - 1, -1, -1):
                if row[n].kind == "time" and all(len(ln.stripped) < long_len for t in row[n + 1:]
                                                  for ln in t.lines if t.kind == "text"):
                    k = n
            if k is None:
                k = next((n for n in range(len(row) - 1, -1, -1) if row[n].kind == "time"), None)
        before = [ln for t in (row if k is None else row[:k]) for ln in t.lines]
        after = [] if k is None else [ln for t in row[k + 1:] if t.kind == "text" for ln in t.lines]
        long_at = next((n for n, ln in enumerate(after) if len(ln.stripped) >= long_len), None)
        if long_at is not None and last:
            after = after[:long_at]           # prose after the table's last row is not a cell
        if k is not None:
            cells["deadline"] = row[k].lines
        if pre:
            content, mid = _split_long_last(before, long_len)
            cells["content"] = content
            _give(cells, pre, mid)
        else:
            cells["content"] = before
        if after:
            _give(cells, post or ("content",), after)
        out.append((group, number, cells))

    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "roman":
            close()
            number, row = None, []
            group, i = _group_at(toks, i)
            if group is None:
                return None
            continue
        if t.kind == "num":
            close()
            number, row = t.lines[0], []
        else:
            row.append(t)
        i += 1
    close(last=True)
    return out


def _timed_rows(layout, toks: list[_Tok], long_len: int) -> Optional[list[tuple]]:
    """Rows without numerals, anchored on their time cells: the text between two time cells is
    the end of one row (its columns after the time) and the start of the next (its content)."""
    _, pre, post = layout
    rows: list[dict] = []
    cur: Optional[dict] = None
    run: list[Line] = []         # text lines not yet given to a cell
    group: Optional[list[Line]] = None
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "roman":
            _close_after(cur, run, post, long_len)
            run = []
            group, i = _group_at(toks, i)
            if group is None:
                return None
            cur = None
            continue
        if t.kind == "num":
            i += 1                                # a page number between the rows
            continue
        if t.kind == "time":
            if cur is not None and not run:
                pass                              # a second time column (BTV | BCH)
            else:
                rest = _close_after(cur, run, post, long_len)
                cur = {"group": group, "cells": {}}
                rows.append(cur)
                _flush_pre(cur, rest, pre, long_len)
                cur["cells"]["deadline"] = t.lines
                run = []
            i += 1
            continue
        run.extend(t.lines)
        i += 1
    if cur is not None and post:
        _close_last(rows, run, post, long_len)
    return [(r["group"], None, r["cells"]) for r in rows]


def _flush_pre(row: dict, lines: list[Line], pre, long_len: int) -> None:
    """Text before a row's time cell: its content (and a column between content and time)."""
    if not lines:
        return
    if pre:
        content, lead = _split_long_last(lines, long_len)
        row["cells"].setdefault("content", []).extend(content)
        _give(row["cells"], pre, lead)
    else:
        row["cells"].setdefault("content", []).extend(lines)


def _close_after(row: Optional[dict], lines: list[Line], post, long_len: int) -> list[Line]:
    """Give the leading short lines of a run to the previous row's column after the time
    cell (and lower-case lines a page break moved there back to its content); return the
    rest, which belongs to the next row."""
    if row is None or not post:
        return lines
    lead, rest = _split_long_first(lines, long_len)
    _give(row["cells"], post, lead)
    k = 0
    while k < len(rest) and starts_lower(rest[k].stripped):
        k += 1
    if 0 < k < len(rest):
        row["cells"].setdefault("content", []).extend(rest[:k])
        rest = rest[k:]
    return rest


def _close_last(rows: list[dict], run: list[Line], post, long_len: int) -> None:
    """The lines after the last time cell: the last row's remaining column (short pieces only, no
    more lines than that column took in any other row)."""
    lead, _ = _split_long_first(run, long_len)
    most = max((sum(len(r["cells"].get(p, [])) for p in post) for r in rows[:-1]), default=len(lead))
    _give(rows[-1]["cells"], post, lead[:max(most, 1)])


def _body_end(lines: Sequence[Line], start: int, settings: TableSettings) -> int:
    """The table goes on while lines are short fragments (blank lines of page breaks inside)."""
    j, blanks = start, 0
    end = start
    while j < len(lines):
        ln = lines[j]
        if ln.is_blank:
            blanks += 1
            if blanks > settings.max_blank_gap:
                break
            j += 1
            continue
        # (a PDF reader may run a wrapped cell's pieces into one longer line)
        if not _plain(ln) or len(ln.stripped) > 4 * settings.layout_prose_len or _AFTER_TABLE.match(ln.stripped):
            break
        blanks = 0
        j += 1
        end = j
    return end


def flattened_tables(lines: Sequence[Line], settings: TableSettings) -> list[RawTable]:
    out: list[RawTable] = []
    i = 0
    while i < len(lines):
        hend = _header_at(lines, i)
        if hend is None:
            i += 1
            continue
        bend = _body_end(lines, hend, settings)
        header_lines = [ln for ln in lines[i:hend]]
        head_texts = {ln.stripped for ln in header_lines}
        body = [ln for ln in lines[hend:bend] if not ln.is_blank and ln.stripped not in head_texts]
        table = _read(header_lines, body, settings)
        if table is not None:
            out.append(table)
            i = bend
        else:
            i = hend
    return out


def _read(header_lines: list[Line], body: list[Line], settings: TableSettings) -> Optional[RawTable]:
    if len(body) < 3:
        return None
    hcells = _header_cells(header_lines)
    htexts = [" ".join(x.stripped for x in c) for c in hcells]
    hroles = [header_role(c) for c in htexts]
    # the same role named twice is a sub-header or a second column of that kind: the first counts
    seen: set[str] = set()
    order: list[Optional[str]] = []
    for r in hroles:
        order.append(None if r in seen else r)
        if r:
            seen.add(r)
    # the content column's width: the longest line, or in a longer table a high percentile (a
    # PDF reader may have run some wrapped cells' pieces together into longer lines)
    lengths = sorted(len(ln.stripped) for ln in body)
    width = lengths[int(0.8 * (len(lengths) - 1))] if len(lengths) >= 30 else lengths[-1]
    long_len = max(8, int(width * _LONG_SHARE))
    toks = _tokens(body, long_len)
    rows = _rows(order, toks, long_len)
    if not rows or len(rows) < 2:
        return None
    col = {r: n for n, r in enumerate(order) if r}
    ncols = len(htexts)
    hspan = (header_lines[0].content_span[0], header_lines[-1].content_span[1])
    raw = [RawRow(cells=[_cell(c) for c in hcells], span=hspan, page=header_lines[0].page,
                  line_index=header_lines[0].index)]
    num_col = col.get("number", 0)
    content_col = col["content"]
    last_group = None
    for group, number, cells in rows:
        if group is not None and group is not last_group:
            gcells = [EMPTY] * ncols
            gcells[num_col] = _cell(group[:1])
            gcells[content_col] = _cell(group[1:])
            raw.append(RawRow(cells=gcells, span=(group[0].content_span[0], group[-1].content_span[1]),
                              page=group[0].page, line_index=group[0].index))
            last_group = group
        if not cells.get("content"):
            continue
        rc = [EMPTY] * ncols
        if number is not None and "number" in col:
            rc[num_col] = _cell([number])
        for role, ls in cells.items():
            if role in col:
                rc[col[role]] = _cell(ls)
        pieces = [ln for ls in cells.values() for ln in ls] + ([number] if number else [])
        raw.append(RawRow(cells=rc, span=(min(ln.content_span[0] for ln in pieces), max(ln.content_span[1] for ln in pieces)),
                          page=pieces[0].page, line_index=min(ln.index for ln in pieces)))
    return RawTable(raw, "flattened")
