"""Lines of the normalized text, the unit most stages read.

A `Line` always satisfies `text[line.start:line.end] == line.text` (no newline included),
so any offset computed inside `line.text` becomes a document span by adding `line.start`.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Optional, Sequence

from .model import Span

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FOOTNOTE_LINE = re.compile(rf"^\s*[{SUPERSCRIPT_DIGITS}]+\s*\S")


@dataclass(frozen=True, slots=True)
class Line:
    index: int
    start: int
    end: int
    text: str
    page: Optional[int] = None
    # Read once here: every stage asks them of every line, several times (as properties they
    # cost a call and a strip each time). Not part of equality, hash or repr (derived from text).
    stripped: str = field(init=False, repr=False, compare=False)
    is_blank: bool = field(init=False, repr=False, compare=False)
    is_footnote: bool = field(init=False, repr=False, compare=False)
    content_span: Span = field(init=False, repr=False, compare=False)   # the line without its white space ends

    def __post_init__(self) -> None:
        t = self.text
        stripped = t.strip()
        lead = len(t) - len(t.lstrip())
        set_ = object.__setattr__
        set_(self, "stripped", stripped)
        set_(self, "is_blank", not stripped)
        # the regex only where the first character after the white space is a superscript digit
        set_(self, "is_footnote", bool(stripped) and stripped[0] in SUPERSCRIPT_DIGITS
             and bool(_FOOTNOTE_LINE.match(t)))
        set_(self, "content_span", (self.start + lead, self.start + max(lead, len(t.rstrip()))))

    def span_of(self, start_in_line: int, end_in_line: int) -> Span:
        return (self.start + start_in_line, self.start + end_in_line)


def page_at(page_spans: Sequence[Span], offset: int) -> Optional[int]:
    """1-based page number holding `offset`, or None for unpaged input."""
    if not page_spans:
        return None
    starts = [s for s, _ in page_spans]
    i = bisect.bisect_right(starts, offset) - 1
    return max(i, 0) + 1


def split_lines(text: str, page_spans: Sequence[Span] = ()) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    for i, raw in enumerate(text.split("\n")):
        end = pos + len(raw)
        lines.append(Line(i, pos, end, raw, page_at(page_spans, pos)))
        pos = end + 1
    return lines


def line_at(lines: Sequence[Line], offset: int) -> Line:
    starts = [ln.start for ln in lines]
    return lines[max(bisect.bisect_right(starts, offset) - 1, 0)]
