"""Small factories for expected objects (in the spirit of eyecite's test_factories.py): a test
states the fields that matter and the factory fills in the rest the way the extractor does,
so whole objects can be compared instead of sets of ids."""
from __future__ import annotations

from typing import Optional

from extractor.model import Deadline, Mention, Reference, Span, Task, Unit


def span_of(text: str, part: str, after: int = 0) -> Span:
    """Span of the first `part` in `text` at or after `after` (the test's own fixture text)."""
    at = text.index(part, after)
    return (at, at + len(part))


def unit(text: str, doc: str, role: str, *, name: Optional[str] = None, after: int = 0, **kw) -> Unit:
    return Unit(name=name or text, text=text, span=span_of(doc, text, after), role=role, **kw)


def deadline(text: str = "", kind: str = "none", **kw) -> Deadline:
    return Deadline(text=text, kind=kind, **kw)


def task(doc: str, row: str, *, id: str, content: str, origin: str = "table", cells: dict[str, str] = {},
         deadline: Optional[Deadline] = None, **kw) -> Task:
    """A task whose row is the line `row` of `doc`; `cells` maps field names to the cell text
    whose span the task records, in the order the cells stand in the row (the number first,
    then the content, then the others as given): each is looked up after the one before."""
    start = doc.index(row)
    order = {"number": cells["number"]} if "number" in cells else {}
    order.update({"content": content}, **{f: c for f, c in cells.items() if f != "number"})
    spans, pos = {}, start
    for f, c in order.items():
        spans[f] = span_of(doc, c, pos)
        pos = spans[f][1]
    values = {f: c for f, c in cells.items() if f in ("number", "lead", "partners", "status", "output",
                                                      "supervisor")}
    d = deadline or Deadline()
    if d.text and "deadline" in spans:
        d.span = spans["deadline"]
    return Task(id=id, content=content, origin=origin, span=(start, start + len(row)), spans=spans,
                deadline=d, **values, **kw)


def reference(id: str, doc: str, *mentions: str, kind: Optional[str] = None, relation: str = "mentions",
              **kw) -> Reference:
    """A reference whose mentions are the given texts, found in `doc` one after the other."""
    ms, pos = [], 0
    for m in mentions:
        s = span_of(doc, m, pos)
        ms.append(Mention(text=m, span=s, relation=relation))
        pos = s[1]
    return Reference(id=id, kind=kind, mentions=ms, qualified_id=kw.pop("qualified_id", id), **kw)


def assignment(doc: str, content: str, *, lead: str, number: Optional[str] = None, partners: Optional[str] = None,
               deadline: Optional[Deadline] = None, start: Optional[str] = None, until: Optional[str] = None) -> Task:
    """An assignment given in prose (origin "list") whose item reads `content` in `doc`: the fields
    that matter, with the span of the item (from `start` or the content to the end of `until` or of
    the content: a labelled block spans its labels); ids, spans of the cells, units, section and page
    are the extractor's to fill in."""
    a, b = span_of(doc, start or content)
    if until:
        b = span_of(doc, until, a)[1]
    elif start:
        b = span_of(doc, content, a)[1]
    return Task(id="", origin="list", number=number, content=content, lead=lead, partners=partners,
                deadline=deadline or Deadline(), span=(a, b))
