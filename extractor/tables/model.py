"""The one table model every source is read into: rows of cells, each cell its text and where
it is in the document, from the first reader to the task (nothing finds a cell again by searching)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

from ..model import Span
from .text import clean_cell


@dataclass(slots=True, unsafe_hash=True, init=False)
class Cell:
    """A cell's value (markup removed, white space folded) and the spans of its pieces in the
    document text, in reading order: one piece per physical line it was written on. Never
    changed once built (equal and hashed by value as a frozen dataclass; not declared frozen:
    a frozen dataclass's __init__ is several times slower, and tables have many cells)."""
    text: str
    pieces: tuple[Span, ...] = ()

    def __init__(self, text: str, pieces: tuple[Span, ...] = ()) -> None:
        self.text, self.pieces = text, pieces

    @property
    def span(self) -> Optional[Span]:
        """From its first piece to its last (other columns may lie between pieces of a wrapped cell)."""
        p = self.pieces
        if len(p) == 1:
            return p[0]
        if not p:
            return None
        return (min(a for a, _ in p), max(b for _, b in p))

    def __bool__(self) -> bool:
        return bool(self.text)


EMPTY = Cell("")


def joined(cells: Iterable[Cell]) -> Cell:
    """Cells read as one (a continuation row, surplus trailing cells): texts joined by a space."""
    cells = [c for c in cells if c.text]
    return Cell(" ".join(c.text for c in cells), tuple(p for c in cells for p in c.pieces))


def read_cell(raw: str, start: int) -> Cell:
    """The cell written as `raw` at document offset `start`: its clean value, and as its span the
    place of that value in `raw` when it is written there as is (else `raw` without white space)."""
    value = clean_cell(raw)
    if not value:
        return EMPTY
    at = raw.find(value)
    if at < 0:
        at, end = len(raw) - len(raw.lstrip()), len(raw.rstrip())
    else:
        end = at + len(value)
    return Cell(value, ((start + at, start + end),))


def texts(cells: Iterable[Cell]) -> list[str]:
    return [c.text for c in cells]


@dataclass
class RawRow:
    """One physical row as the source gives it (a TSV line, a pipe-table line, a layout block)."""
    cells: list[Cell]
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
    values: dict[str, Cell]
    spans: list[Span]
    page: Optional[int]
    group: Optional[str] = None

    @property
    def span(self) -> Span:
        return (min(s for s, _ in self.spans), max(e for _, e in self.spans))
