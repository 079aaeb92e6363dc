"""The last step of one document: every span-bearing item gets its page and its section.

The stages find items with spans and leave `page`/`section` alone; doing it once here means
one rule for all (the section is the last one starting at or before the item, the page the
one holding its first character) and no stage edits another stage's output.
"""
from __future__ import annotations

from typing import Iterable, Optional, Sequence

from .lines import page_at
from .model import Deadline, Reference, Section, Span, Task, Unit
from .sections import section_at


def place(*, page_spans: Sequence[Span] = (), sections: Sequence[Section] = (), tasks: Iterable[Task] = (),
          references: Iterable[Reference] = (), deadlines: Iterable[Deadline] = (),
          units: Iterable[Unit] = (), annexes: Sequence[tuple[str, Span]] = ()) -> None:
    """`annexes`: (title, span) of each annex (sections.find_annexes); an item inside one belongs to
    the annex (its title), not to the last section of the body."""
    def page(span: Optional[Span], known: Optional[int]) -> Optional[int]:
        return known if known is not None or span is None else page_at(page_spans, span[0])

    def annex_at(offset: int) -> Optional[str]:
        return next((title for title, (s, e) in annexes if s <= offset < e), None)

    def section(offset: int) -> Optional[str]:
        return None if annex_at(offset) else section_at(sections, offset)

    for s in sections:
        s.page = page(s.span, s.page)
    for t in tasks:
        t.annex = t.annex or annex_at(t.span[0])
        t.section = t.section or section(t.span[0])
        t.page = page(t.span, t.page)
        t.deadline.page = page(t.deadline.span, t.deadline.page)
        for u in (*t.lead_units, *t.partner_units):
            u.page = page(u.span, u.page)
    for ref in references:
        for m in ref.mentions:
            m.section = m.section or section(m.span[0])
            m.page = page(m.span, m.page)
    for d in deadlines:
        d.page = page(d.span, d.page)
    for u in units:
        u.page = page(u.span, u.page)
