"""Lines of the normalized text, the unit most stages read.

A `Line` always satisfies `text[line.start:line.end] == line.text` (no newline included),
so any offset computed inside `line.text` becomes a document span by adding `line.start`.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
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

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()

    @property
    def is_footnote(self) -> bool:
        # the regex only where the first character after the white space is a superscript digit
        head = self.text.lstrip()[:1]
        return bool(head) and head in SUPERSCRIPT_DIGITS and bool(_FOOTNOTE_LINE.match(self.text))

    def span_of(self, start_in_line: int, end_in_line: int) -> Span:
        return (self.start + start_in_line, self.start + end_in_line)

    @property
    def content_span(self) -> Span:
        """Span of the line without its leading/trailing white space."""
        t = self.text
        lead = len(t) - len(t.lstrip())
        trail = len(t.rstrip())
        return (self.start + lead, self.start + max(lead, trail))


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
