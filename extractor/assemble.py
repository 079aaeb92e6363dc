"""The last step of one document: every span-bearing item gets its page and its section.

The stages find items with spans and leave `page`/`section` alone; doing it once here means
one rule for all (the section is the last one starting at or before the item, the page the
one holding its first character) and no stage edits another stage's output.

A field is assigned only when its value changes (an unpaged text has no pages to set): a
model's assignment costs a pydantic call, and there are hundreds of items in a document.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Iterable, Optional, Sequence

from .lines import page_at
from .model import Deadline, Reference, Section, Span, Task, Unit
from .sections import section_at


def place(*, page_spans: Sequence[Span] = (), sections: Sequence[Section] = (), tasks: Iterable[Task] = (),
          references: Iterable[Reference] = (), deadlines: Iterable[Deadline] = (),
          units: Iterable[Unit] = (), annexes: Sequence[tuple[str, Span]] = ()) -> None:
    """`annexes`: (title, span) of each annex (sections.find_annexes); an item inside one belongs to
    the annex (its title), not to the last section of the body."""
    def set_page(item) -> None:
        if page_spans and item.page is None and item.span is not None:
            item.page = page_at(page_spans, item.span[0])

    def annex_at(offset: int) -> Optional[str]:
        return next((title for title, (s, e) in annexes if s <= offset < e), None)

    # sections come in document order: the last one starting at or before an offset is found
    # by bisection (section_at's scan, once per item, grows with sections × items)
    starts = [s.span[0] for s in sections]
    ordered = all(a <= b for a, b in zip(starts, starts[1:]))

    def section_of(offset: int) -> Optional[str]:
        if not ordered:
            return section_at(sections, offset)
        k = bisect_right(starts, offset)
        return sections[k - 1].id if k else None

    def set_section(item) -> None:
        if not item.section and not annex_at(item.span[0]):
            section = section_of(item.span[0])
            if section != item.section:
                item.section = section

    paged = bool(page_spans)      # an unpaged text: no item gets a page, none is asked
    if paged:
        for s in sections:
            set_page(s)
    for t in tasks:
        if not t.annex:
            annex = annex_at(t.span[0])
            if annex != t.annex:
                t.annex = annex
        set_section(t)
        if paged:
            set_page(t)
            set_page(t.deadline)
            for u in (*t.lead_units, *t.partner_units):
                set_page(u)
    for ref in references:
        for m in ref.mentions:
            set_section(m)
            if paged:
                set_page(m)
    if paged:
        for d in deadlines:
            set_page(d)
        for u in units:
            set_page(u)
