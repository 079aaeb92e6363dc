"""Rows printed by the listing commands (query, cites, refs, show): one validated `--format`.

`table` is for a person at a terminal: wide cells are cut to a width and, when the columns
still do not fit the terminal, each row is printed as a block of `column: value` lines instead
of a table squeezed to zero-width columns. `csv`, `json` and `jsonl` are for programs. With no
`--format`, a terminal gets `table` and a pipe or file gets `csv` (rich would otherwise draw
80-column boxes into it).
"""
from __future__ import annotations

import csv
import json
import sys
from typing import Any, Optional, Sequence

FORMATS = ("table", "csv", "json", "jsonl")
MAX_CELL = 48  # characters of one cell in a table; longer ones end in "…"


class FormatError(ValueError):
    pass


def choose_format(fmt: Optional[str], stream=None) -> str:
    """The format asked for (validated), or the default for `stream`: table on a terminal, else csv."""
    if fmt is None:
        stream = stream or sys.stdout
        return "table" if stream.isatty() else "csv"
    f = fmt.strip().lower()
    if f not in FORMATS:
        raise FormatError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return f


def _plain(v: Any) -> Any:
    return v if v is None or isinstance(v, (str, int, float, bool)) else str(v)


def print_rows(cols: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, title: Optional[str] = None,
               console=None) -> None:
    out = sys.stdout
    if fmt == "json":
        out.write(json.dumps([{c: _plain(v) for c, v in zip(cols, r)} for r in rows], ensure_ascii=False,
                             indent=1) + "\n")
    elif fmt == "jsonl":
        for r in rows:
            out.write(json.dumps({c: _plain(v) for c, v in zip(cols, r)}, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(cols)
        w.writerows(["" if v is None else v for v in r] for r in rows)
    else:
        _print_table(cols, rows, title, console)


def _cell(v: Any, width: int = MAX_CELL) -> str:
    s = "" if v is None else " ".join(str(v).split())
    return s if len(s) <= width else s[:width - 1] + "…"


def _print_table(cols, rows, title, console) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = console or Console()
    cells = [[_cell(v) for v in r] for r in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(cols)]
    # a rich table with a box needs 3 characters between columns and 4 around them
    if sum(widths) + 3 * len(cols) + 1 <= console.width:
        t = Table(title=title)
        for c in cols:
            t.add_column(c, no_wrap=True, overflow="ellipsis")
        for r in cells:
            t.add_row(*(Text(x) for x in r))
        console.print(t)
    else:  # too many columns for the terminal: one block per row, `column: value`, values folded
        if title:
            console.print(f"[bold]{title}[/]")
        key = max(len(c) for c in cols)
        for i, r in enumerate(rows, 1):
            console.rule(f"row {i}", align="left")
            for c, v in zip(cols, r):
                line = Text(c.ljust(key) + " ", style="bold")
                line.append("" if v is None else " ".join(str(v).split()))  # a value is text, never markup
                console.print(line, overflow="fold", highlight=False)
    if not rows:
        console.print("(no rows)", style="dim")
