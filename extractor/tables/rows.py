"""Header, logical rows: group rows, repeated headers, continuations, shifted cells."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from .columns import assign_roles, header_role, header_similar, is_header_row
from .model import EMPTY, Cell, Columns, LogicalRow, RawRow, RawTable, joined, texts
from ..settings import TableSettings
from .text import clean_cell, is_number, is_roman, is_time_like, split_roman, starts_lower

FIELD_ROLES = ("lead", "partners", "deadline", "status", "output", "supervisor")


def find_header(rows: Sequence[RawRow], settings: TableSettings, look: int = 4) -> Optional[int]:
    """Index of the header row among the first few rows, or None."""
    for i, r in enumerate(rows[:look]):
        if is_header_row(texts(r.cells), settings):
            return i
    return None


def merged_header(rows: Sequence[RawRow], at: int, settings: TableSettings) -> tuple[list[str], int]:
    """The header cells and the index of the first body row; a second header line (the
    "Chủ trì | Phối hợp" under a merged "Cơ quan thực hiện") is folded in cell by cell."""
    head = texts(rows[at].cells)
    nxt = at + 1
    if nxt < len(rows):
        sub = texts(rows[nxt].cells)
        filled = [clean_cell(c) for c in sub if clean_cell(c)]
        is_sub = (filled and len(filled) < len([c for c in head if clean_cell(c)])
                  and not any(is_number(c) or is_roman(c) for c in filled)
                  and all(len(c) <= settings.max_header_cell_len and header_role(c) for c in filled))
        if is_sub:
            width = max(len(head), len(sub))
            head += [""] * (width - len(head))
            for i, c in enumerate(sub):
                if clean_cell(c):
                    head[i] = c
            nxt += 1
    return head, nxt


def fit_width(cells: Sequence[Cell], width: int) -> list[Cell]:
    """Pad short rows; extra trailing cells are joined to the last column."""
    if len(cells) <= width:
        return list(cells) + [EMPTY] * (width - len(cells))
    return list(cells[:width - 1]) + [joined(cells[width - 1:])]


def split_fused(row: RawRow, cols: Columns, known: dict[int, set[str]]) -> list[RawRow]:
    """Undo a page-break join that glued a continuation line onto the row before it.

    A normalizer that rejoins words cut by a page break can eat the continuation line's
    leading tab: "…\tPhó trưởng" + "\n\n\ttế trong…\t\tban" becomes one line whose last
    cell reads "Phó trưởng tế trong…" followed by the continuation's remaining cells.
    The row then has 2·width−2 cells; the fused cell is split where a value seen in the
    same column elsewhere ends (or where a prefix of one ends).
    """
    width = cols.width
    cells = row.cells
    if width < 3 or len(cells) != 2 * width - 2:
        return [row]
    last = width - 1
    fused = cells[last]
    words = fused.text.split(" ")
    cut = None
    vals = known.get(last, set())
    for k in range(len(words) - 1, 0, -1):   # longest exact value first
        if " ".join(words[:k]) in vals:
            cut = k
            break
    if cut is None:
        for k in range(len(words) - 1, 0, -1):
            p = " ".join(words[:k])
            if any(v.startswith(p + " ") for v in vals):
                cut = k
                break
    if cut is None:
        return [row]
    first, rest = _cut(fused, " ".join(words[:cut]))
    head = RawRow(cells=cells[:last] + [first], span=row.span, page=row.page,
                  line_index=row.line_index, after_break=row.after_break, lead_gap=row.lead_gap)
    tail = RawRow(cells=[EMPTY, rest] + cells[width:], span=row.span, page=row.page,
                  line_index=row.line_index, after_break=True, lead_gap=True)
    return [head, tail]


def _cut(cell: Cell, head: str) -> tuple[Cell, Cell]:
    """A one-piece cell cut after its first len(head) characters (both parts keep their spans)."""
    rest = cell.text[len(head):].strip()
    if len(cell.pieces) != 1:
        return Cell(head, cell.pieces), Cell(rest, cell.pieces)
    a, b = cell.pieces[0]
    cut = a + len(head)
    return Cell(head, ((a, cut),)), Cell(rest, ((b - len(rest), b),))


def _values(cells: Sequence[Cell], cols: Columns) -> dict[str, Cell]:
    return {role: cells[i] for i, role in cols.roles.items() if i < len(cells)}


def _group_label(cells: Sequence[Cell], vals: dict[str, Cell]) -> Optional[str]:
    """The group name if the row is a group row ("I | Công tác tuyên truyền", "I Nâng cao …")."""
    filled = [c.text for c in cells if c.text]          # (c.text: Cell.__bool__ is a Python call)
    others = any(vals[r].text for r in FIELD_ROLES if r in vals)
    num, content = vals.get("number", EMPTY).text, vals.get("content", EMPTY).text
    # data rows are numbered in arabic numerals; a roman one is a group even if a stray
    # fragment spilled into another cell
    if num and is_roman(num) and content:
        return content
    if len(filled) == 1 and not others:
        sr = split_roman(filled[0])
        if sr:
            return sr[1]
    return None


def classify(row: RawRow, cols: Columns, header: Sequence[str], settings: TableSettings) -> tuple[str, Optional[str]]:
    """("empty" | "header" | "group" | "super" | "bare" | "continuation" | "task", group label)."""
    cells = fit_width(row.cells, cols.width)
    return _classify(cells, _values(cells, cols), header, settings)


def _classify(cells: Sequence[Cell], vals: dict[str, Cell], header: Sequence[str],
              settings: TableSettings) -> tuple[str, Optional[str]]:
    """classify() of a row already fitted to the columns (`cells`) and keyed by role (`vals`)."""
    if not any(c.text for c in cells):
        return "empty", None
    if header_similar(texts(cells), header, settings):
        return "header", None
    label = _group_label(cells, vals)
    if label:
        return "group", label
    num, content = vals.get("number", EMPTY).text, vals.get("content", EMPTY).text
    others = any(vals[r].text for r in FIELD_ROLES if r in vals)
    if num and not (is_number(num) or is_roman(num)) and not content and not others:
        return "super", None               # "Tham mưu, đề xuất trên các lĩnh vực:"
    if num and not content and not others:
        return "bare", None                # a number with nothing else
    # a row without a number whose text goes on from the row above (lowercase start), or that
    # has no cells of its own beyond the content, continues the previous row
    spill = all(starts_lower(vals[r].text) for r in FIELD_ROLES if vals.get(r))
    if not num and (not content or starts_lower(content) or not others or spill):
        return "continuation", None
    return "task", None


def _repeated_tail(v: Cell, values: dict[str, Cell]) -> bool:
    """A continuation cell that only repeats the end of a cell the row already has (a converter
    copies the tail of a cell cut by a page break into the next column)."""
    tail = v.text.casefold()
    return len(tail) >= 15 and any(c.text.casefold().endswith(tail) for c in values.values() if c)


def repair_shift(values: dict[str, Cell], cols: Columns, settings: TableSettings) -> dict[str, Cell]:
    """A row whose cells moved left (a merged cell lost): the time expression that landed in
    another column goes to the deadline; the other cells stay by position."""
    if "deadline" not in cols.roles.values() or values.get("deadline"):
        return values
    order = sorted(cols.roles.items())
    filled = [(i, r) for i, r in order if values.get(r) and r not in ("number", "content")]
    if not filled:
        return values
    i, role = filled[-1]
    if role in ("lead", "partners", "supervisor", "output", "status") and \
            is_time_like(values[role].text, settings.max_time_cell_len):
        values = dict(values)
        values["deadline"] = values.pop(role)
    return values


@dataclass
class Carry:
    """What a task table hands on to a headerless table that continues it after a page break:
    its column roles, the open group and the last task (a row cut by the break goes on there)."""
    cols: Columns
    source: str
    group: Optional[str] = None
    last_task: Optional[LogicalRow] = None


def _modal_width(rows: Sequence[RawRow]) -> int:
    counts: dict[int, int] = {}
    for r in rows:
        if len(r.cells) >= 2:
            counts[len(r.cells)] = counts.get(len(r.cells), 0) + 1
    return max(counts, key=lambda w: (counts[w], w)) if counts else 0


def fits_columns(table: RawTable, carry: Carry, settings: TableSettings) -> bool:
    """Could this headerless table be the rest of the carried one? Same reader, the same number
    of columns (most rows), and where the carried table numbers its rows, numerals there."""
    # two columns side by side are as often a page layout (a signature block, "Nơi nhận") as a table
    if carry.cols.width < 3 or table.source != carry.source or _modal_width(table.rows) != carry.cols.width:
        return False
    at = carry.cols.index("number")
    if at is None:
        return True
    nums = [r.cells[at].text for r in table.rows if len(r.cells) > at and r.cells[at]]
    # a repeated header's "TT" is not a numeral; rows cut by the break have an empty Stt cell
    nums = [n for n in nums if not header_role(n)]
    return not nums or sum(map(lambda n: is_number(n) or is_roman(n), nums)) / len(nums) >= settings.number_share


def _spilled_header(cells: Sequence[Cell], header: Sequence[str]) -> Optional[list[tuple[int, Cell]]]:
    """A header repeated on a new page whose cells also took the text of the row cut by the page
    break ("Tên nhiệm vụ sáng tạo và chuyển đổi số …" under "Tên nhiệm vụ"): each cell is its
    header label, some followed by more text. Gives [(column, the spilled text)]; None if it is
    no such row."""
    if len(header) < 3 or len(cells) != len(header):
        return None
    spilled: list[tuple[int, Cell]] = []
    for i, (c, h) in enumerate(zip(cells, header)):
        t = c.text.casefold()
        if t == h.casefold():
            continue
        if not h or not t.startswith(h.casefold() + " "):
            return None
        spilled.append((i, _cut(c, h)[1]))
    # the labels standing alone in at least two cells say it is the header
    return spilled if spilled and len(header) - len(spilled) >= 2 else None


def _repeats_header(row: RawRow, header: Sequence[str], settings: TableSettings) -> bool:
    return _spilled_header(row.cells, header) is not None or (
        len(row.cells) == len(header) and header_similar(texts(row.cells), header, settings))


def logical_rows(table: RawTable, settings: TableSettings) -> list[LogicalRow]:
    """Rows of one table → task rows keyed by role (empty list if it is not a task table)."""
    return read_table(table, settings)[0]


def read_table(table: RawTable, settings: TableSettings,
               carry: Optional[Carry] = None) -> tuple[list[LogicalRow], Optional[Carry]]:
    """Task rows of one table, and what a headerless table after it may continue with. A table
    without a header of its own is read with `carry`'s columns (the caller has checked that it
    continues that table); without one it is no task table."""
    # long: one pass over the rows whose group and last task carry from row to row (and to the next table)
    from .columns import is_task_table
    hi = find_header(table.rows, settings)
    if carry is not None and hi is not None and _repeats_header(table.rows[hi], carry.cols.header, settings):
        hi = None                          # the carried header repeated on the new page
    if hi is None:
        if carry is None:
            return [], None
        cols, body = carry.cols, table.rows
        group, last_task = carry.group, carry.last_task
    else:
        header, first = merged_header(table.rows, hi, settings)
        body = table.rows[first:]
        cols = assign_roles(header, [texts(r.cells) for r in body], settings)
        if not is_task_table(cols):
            return [], None
        cols.header = header if len(header) >= cols.width else header + [""] * (cols.width - len(header))
        group, last_task = None, None

    width = cols.width
    known: dict[int, set[str]] = {}
    # the values seen per column, which split_fused reads only for a row of 2·width−2 cells
    if width >= 3 and any(len(r.cells) == 2 * width - 2 for r in body):
        for r in body:
            if len(r.cells) <= width:
                for i, c in enumerate(r.cells):
                    if c:
                        known.setdefault(i, set()).add(c.text)
    rows: list[RawRow] = [part for r in body for part in split_fused(r, cols, known)]

    out: list[LogicalRow] = []
    for r in rows:
        spill = _spilled_header(r.cells, cols.header)
        if spill is not None:
            for at, text in spill:
                role = cols.roles.get(at)
                if last_task is not None and role and role != "number":
                    last_task.values[role] = joined((last_task.values.get(role, EMPTY), text))
            if last_task is not None:
                last_task.spans.append(r.span)
            continue
        # the row fitted and keyed once, for classifying and for reading
        cells = fit_width(r.cells, width)
        vals = _values(cells, cols)
        kind, label = _classify(cells, vals, cols.header, settings)
        if kind == "group":
            group, last_task = label, None
        elif kind == "continuation" and last_task is not None:
            for role, v in vals.items():
                if v and role != "number" and not _repeated_tail(v, last_task.values):
                    last_task.values[role] = joined((last_task.values.get(role, EMPTY), v))
            last_task.spans.append(r.span)
        elif kind in ("task", "continuation"):
            if not vals.get("content"):
                continue
            last_task = LogicalRow(values=vals, spans=[r.span], page=r.page, group=group)
            out.append(last_task)
        # empty, header, super, bare rows carry no task
    for lr in out:
        lr.values = repair_shift(lr.values, cols, settings)
    return out, Carry(cols, table.source, group, last_task)
