"""Task tables → Task objects (issue 3).

One table model, several sources. The reconstruction runs as small pure steps:

    detect table regions (detect.py: TSV, markdown pipes; fixed_width.py: pdftotext -layout;
                          flattened.py: one cell fragment per line)
      → rows → cells (RawTable of RawRow)
      → header (rows.find_header, rows.merged_header)
      → column roles (columns.assign_roles: header vocabulary + cell content)
      → logical rows (rows.logical_rows: groups, repeated headers, continuations, shifts)
      → tasks (here)

Numbered assignments in prose become tasks with origin "list" (prose.py).
Tunables are in settings.TableSettings; the header vocabulary in data/table_columns.yaml.
"""
from __future__ import annotations

from typing import Callable, Optional, Sequence

from ..lines import Line
from ..model import Deadline, Task
from .detect import markdown_tables, tsv_tables
from .fixed_width import fixed_width_tables
from .flattened import flattened_tables
from .model import LogicalRow, RawTable
from .prose import list_items
from .rows import logical_rows
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


def _task(lr: LogicalRow, origin: str, parse_deadline: Callable[[str], Deadline]) -> Task:
    cells = lr.values
    v = {role: c.text for role, c in cells.items()}
    opt = lambda role: v.get(role) or None  # noqa: E731
    deadline = parse_deadline(v.get("deadline", ""))
    if deadline.text:
        deadline.span = cells["deadline"].span
    return Task(
        id="", group=lr.group or None, number=opt("number"), content=v.get("content", ""),
        lead=opt("lead"), partners=opt("partners"), deadline=deadline, status=opt("status"),
        output=opt("output"), origin=origin, span=lr.span, page=lr.page, supervisor=opt("supervisor"),
        spans={role: c.span for role, c in cells.items() if c.text and c.span},
    )


def find_tasks(text: str, lines: Sequence[Line], *,
               parse_deadline: Callable[[str], Deadline] = lambda s: Deadline(text=s),
               settings: TableSettings = TableSettings()) -> list[Task]:
    """Tasks from every task table (origin "table") and from assignment lists in prose ("list").
    Their `section` and `page` are set by the assemble step (assemble.place)."""
    rows: list[tuple[LogicalRow, str]] = []
    table_spans = []
    for table in find_tables(lines, settings):
        if table.rows:
            table_spans.append((table.rows[0].span[0], table.rows[-1].span[1]))
        rows += [(lr, "table") for lr in logical_rows(table, settings)]
    if settings.list_tasks:
        inside = lambda ln: any(s <= ln.start < e for s, e in table_spans)  # noqa: E731
        rows += [(lr, "list") for lr in list_items(text, [ln for ln in lines if not inside(ln)], settings)]
    rows.sort(key=lambda x: x[0].span[0])
    tasks = [_task(lr, origin, parse_deadline) for lr, origin in rows]
    for n, t in enumerate(tasks, 1):
        t.id = f"t{n}"
    return tasks
