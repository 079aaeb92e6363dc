"""The one table model every source is read into: rows of cell strings, with where they came from."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

Span = tuple[int, int]


@dataclass
class RawRow:
    """One physical row as the source gives it (a TSV line, a pipe-table line, a layout block)."""
    cells: list[str]
    span: Span                      # [start, end) into the document text
    page: Optional[int] = None
    line_index: int = 0             # index of the first source line
    after_break: bool = False       # a page break (blank line, form feed) comes before it
    lead_gap: bool = False          # the source row starts with an empty cell (a leading tab)


@dataclass
class RawTable:
    rows: list[RawRow]
    source: str                     # "tsv" | "markdown" | "layout"


@dataclass
class Columns:
    """Role of each column index: number, content, lead, partners, deadline, status, output, …"""
    roles: dict[int, str]
    header: list[str] = field(default_factory=list)

    def index(self, role: str) -> Optional[int]:
        for i, r in self.roles.items():
            if r == role:
                return i
        return None

    @property
    def width(self) -> int:
        return len(self.header) or (max(self.roles) + 1 if self.roles else 0)


@dataclass
class LogicalRow:
    """A task row after merging continuations and repairing shifts, keyed by role."""
    values: dict[str, str]
    spans: list[Span]
    page: Optional[int]
    group: Optional[str] = None

    @property
    def span(self) -> Span:
        return (min(s for s, _ in self.spans), max(e for _, e in self.spans))
