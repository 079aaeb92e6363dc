"""Task tables → Task objects (issue 3).

One table model, several sources. The reconstruction runs as small pure steps:

    detect table regions (detect.py: TSV, markdown pipes; layout.py: pdftotext -layout)
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

from ..layout import Line
from ..model import Deadline, Task
from .detect import markdown_tables, tsv_tables
from .layout import layout_tables
from .model import LogicalRow, RawTable
from .prose import list_items
from .rows import logical_rows
from .settings import DEFAULT_SETTINGS, TableSettings

__all__ = ["find_tasks", "find_tables", "TableSettings"]


def find_tables(lines: Sequence[Line], settings: TableSettings = DEFAULT_SETTINGS) -> list[RawTable]:
    """Every table region of every source, in document order."""
    tables = tsv_tables(lines, settings) + markdown_tables(lines, settings)
    taken = {r.line_index for t in tables for r in t.rows}
    tables += [t for t in layout_tables(lines, settings) if not any(r.line_index in taken for r in t.rows)]
    return sorted(tables, key=lambda t: t.rows[0].span[0] if t.rows else 0)


def _opt(v: Optional[str]) -> Optional[str]:
    return v if v else None


def _task(text: str, lr: LogicalRow, origin: str, parse_deadline: Callable[[str], Deadline]) -> Task:
    v = lr.values
    deadline = parse_deadline(v.get("deadline", "") or "")
    if deadline.text and (at := text.find(deadline.text, *lr.span)) >= 0:
        deadline.span, deadline.page = (at, at + len(deadline.text)), lr.page  # the cell, when written in one piece
    return Task(
        id="", group=_opt(lr.group),
        number=_opt(v.get("number")), content=v.get("content", ""), lead=_opt(v.get("lead")),
        partners=_opt(v.get("partners")), deadline=deadline,
        status=_opt(v.get("status")), output=_opt(v.get("output")), origin=origin,
        span=lr.span, page=lr.page, supervisor=_opt(v.get("supervisor")),
    )


def find_tasks(text: str, lines: Sequence[Line], *,
               parse_deadline: Callable[[str], Deadline] = lambda s: Deadline(text=s),
               settings: TableSettings = DEFAULT_SETTINGS) -> list[Task]:
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
    tasks = [_task(text, lr, origin, parse_deadline) for lr, origin in rows]
    for n, t in enumerate(tasks, 1):
        t.id = f"t{n}"
    return tasks
