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
          units: Iterable[Unit] = ()) -> None:
    def page(span: Optional[Span], known: Optional[int]) -> Optional[int]:
        return known if known is not None or span is None else page_at(page_spans, span[0])

    for s in sections:
        s.page = page(s.span, s.page)
    for t in tasks:
        t.section = t.section or section_at(sections, t.span[0])
        t.page = page(t.span, t.page)
        t.deadline.page = page(t.deadline.span, t.deadline.page)
        for u in (*t.lead_units, *t.partner_units):
            u.page = page(u.span, u.page)
    for ref in references:
        for m in ref.mentions:
            m.section = m.section or section_at(sections, m.span[0])
            m.page = page(m.span, m.page)
    for d in deadlines:
        d.page = page(d.span, d.page)
    for u in units:
        u.page = page(u.span, u.page)
