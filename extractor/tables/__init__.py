"""Task tables → Task objects (issue 3).

One table model, several sources. The reconstruction runs as small pure steps:

    detect table regions (detect.py: TSV, markdown pipes; fixed_width.py: pdftotext -layout;
                          flattened.py: one cell fragment per line)
      → rows → cells (RawTable of RawRow)
      → header (rows.find_header, rows.merged_header)
      → column roles (columns.assign_roles: header vocabulary + cell content)
      → logical rows (rows.logical_rows: groups, repeated headers, continuations, shifts)
      → tasks (here)

Assignments in prose (tasks with origin "list") are read by extractor/assignments.py.
Tunables are in settings.TableSettings; the header vocabulary in data/table_columns.yaml.
"""
from __future__ import annotations

from typing import Callable, Optional, Sequence

from ..lines import Line
from ..model import Deadline, Span, Task, trusted
from .detect import furniture_gap, markdown_tables, tsv_tables
from .fixed_width import fixed_width_tables
from .flattened import flattened_tables
from .model import LogicalRow, RawTable
from .rows import Carry, fits_columns, logical_rows, read_table
from ..settings import TableSettings

__all__ = ["find_tasks", "find_tables", "TableSettings"]


def find_tables(lines: Sequence[Line], settings: TableSettings = TableSettings()) -> list[RawTable]:
    """Every table region of every source, in document order."""
    tables = tsv_tables(lines, settings) + markdown_tables(lines, settings)
    taken = {r.line_index for t in tables for r in t.rows}
    tables += [t for t in fixed_width_tables(lines, settings) if not any(r.line_index in taken for r in t.rows)]
    taken = {r.line_index for t in tables for r in t.rows}
    tables += [t for t in flattened_tables(lines, settings) if not any(r.line_index in taken for r in t.rows)]
    return sorted(tables, key=lambda t: t.rows[0].span[0] if t.rows else 0)


_new_task = trusted(Task)


def _task(lr: LogicalRow, origin: str, parse_deadline: Callable[[str], Deadline], task_id: str = "") -> Task:
    # the filled cells' texts and spans read in one pass (an empty cell gives None / no span)
    v: dict[str, str] = {}
    spans: dict[str, Span] = {}
    for role, c in lr.values.items():
        if c.text:
            v[role] = c.text
            p = c.pieces
            if (span := p[0] if len(p) == 1 else c.span):
                spans[role] = span
    get = v.get
    deadline = parse_deadline(get("deadline", ""))
    if deadline.text:
        deadline.span = spans.get("deadline")
    return _new_task(
        id=task_id, group=lr.group or None, number=get("number"), content=get("content", ""),
        lead=get("lead"), partners=get("partners"), deadline=deadline, status=get("status"),
        output=get("output"), origin=origin, span=lr.span, page=lr.page, supervisor=get("supervisor"),
        spans=spans,
    )


def find_tasks(text: str, lines: Sequence[Line], *,
               parse_deadline: Callable[[str], Deadline] = lambda s: Deadline(text=s),
               settings: TableSettings = TableSettings()) -> list[Task]:
    """Tasks from every task table (origin "table").
    Their `section` and `page` are set by the assemble step (assemble.place)."""
    rows: list[LogicalRow] = []
    carry: Optional[Carry] = None
    end = -1                       # line index of the last row of the table `carry` came from
    for table in find_tables(lines, settings):
        if not table.rows:
            continue
        # a headerless table after a page break goes on with the task table before it
        if carry is not None and not (fits_columns(table, carry, settings)
                                      and furniture_gap(lines, end, table.rows[0].line_index, settings)):
            carry = None
        got, carry = read_table(table, settings, carry)
        rows += got
        end = max(r.line_index for r in table.rows)
    rows.sort(key=lambda lr: lr.span[0])
    # numbered as they are built (a pydantic assignment afterwards costs a call per task)
    return [_task(lr, "table", parse_deadline, f"t{n}") for n, lr in enumerate(rows, 1)]
