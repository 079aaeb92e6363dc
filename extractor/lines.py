"""Lines of the normalized text, the unit most stages read.

A `Line` always satisfies `text[line.start:line.end] == line.text` (no newline included),
so any offset computed inside `line.text` becomes a document span by adding `line.start`.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Optional, Sequence

from .model import Span, inside

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FOOTNOTE_LINE = re.compile(rf"^\s*[{SUPERSCRIPT_DIGITS}]+\s*\S")


@dataclass(slots=True, unsafe_hash=True, init=False)
class Line:
    """Never changed once built (equal and hashed by its five fields, as a frozen dataclass;
    not declared frozen because a frozen dataclass's __init__ sets each field through
    object.__setattr__, several times slower, and a document has thousands of lines)."""
    index: int
    start: int
    end: int
    text: str
    page: Optional[int] = None
    # Read once here: every stage asks them of every line, several times (as properties they
    # cost a call and a strip each time). Not part of equality, hash or repr (derived from text).
    stripped: str = field(default="", repr=False, compare=False)
    is_blank: bool = field(default=True, repr=False, compare=False)
    is_footnote: bool = field(default=False, repr=False, compare=False)
    content_span: Span = field(default=(0, 0), repr=False, compare=False)   # without the white space ends

    def __init__(self, index: int, start: int, end: int, text: str, page: Optional[int] = None) -> None:
        self.index = index
        self.start = start
        self.end = end
        self.text = text
        self.page = page
        stripped = self.stripped = text.strip()
        if stripped:
            self.is_blank = False
            first = stripped[0]
            # the regex only where the first character after the white space is a superscript digit
            self.is_footnote = first in SUPERSCRIPT_DIGITS and bool(_FOOTNOTE_LINE.match(text))
            # the first non-blank character's first occurrence is where the white space ends
            lead = start + text.find(first)
            self.content_span = (lead, lead + len(stripped))
        else:
            self.is_blank = True
            self.is_footnote = False
            self.content_span = (start + len(text), start + len(text))

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
    # = page_at(page_spans, pos) for each line, with the page starts listed once
    starts = [s for s, _ in page_spans]
    for i, raw in enumerate(text.split("\n")):
        end = pos + len(raw)
        lines.append(Line(i, pos, end, raw, max(bisect.bisect_right(starts, pos), 1) if starts else None))
        pos = end + 1
    return lines


def starts_inside(lines: Sequence[Line], spans: Sequence[Span]) -> list[bool]:
    """[inside(ln.start, spans) for ln in lines]: with the starts in order (as split_lines gives
    them), each span marks the run of starts it holds (two bisections and a slice assignment, no
    loop over the lines in Python)."""
    starts = [ln.start for ln in lines]
    if starts != sorted(starts):            # not in document order: ask each line
        return [inside(x, spans) for x in starts]
    out = [False] * len(starts)
    for a, b in spans:
        i, j = bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)
        if i < j:
            out[i:j] = [True] * (j - i)
    return out


def line_at(lines: Sequence[Line], offset: int) -> Line:
    starts = [ln.start for ln in lines]
    return lines[max(bisect.bisect_right(starts, offset) - 1, 0)]
