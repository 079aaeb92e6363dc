"""Assignment lists in prose → tasks with origin "list".

Precision over recall: only a numbered or lettered item that opens by naming who leads
("3. Giao Ban Tuyên giáo Huyện ủy chủ trì, phối hợp với … theo dõi …",
 "5. Bộ Tài chính chủ trì, phối hợp với các bộ, ngành … bảo đảm …") becomes a task.
The lead is the body named before "chủ trì"; partners the bodies after "phối hợp với";
the deadline the "trước ngày …"/"hoàn thành trong …" phrase if the item states one.
The words are data: units.yaml, prose.lead_markers and prose.list_items (through vocab.py).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional, Sequence

from ..lines import Line
from ..patterns import DMY
from ..vocab import load_units
from .model import EMPTY, Cell, LogicalRow
from ..settings import TableSettings

_ITEM = re.compile(r"^\s*(?P<num>\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\))\s+(?P<body>.+)$")


def _alt(words: Sequence[str], space: str = " ") -> str:
    """Alternation of literal phrases, longest first; `space` between the words."""
    return "|".join(space.join(re.escape(s) for s in w.split()) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _res() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """(lead, partners, not-a-body) patterns of an assignment item, from the vocabulary."""
    prose = load_units().prose
    items = prose.list_items
    assign = _alt(items.assign_words, r"\s+")
    markers = _alt(list(prose.lead_markers) + [f"{p} {m}" for p in items.lead_prefixes for m in prose.lead_markers])
    lead = re.compile(rf"^(?:(?:{assign})\s+)?(?P<lead>[A-ZĐÂĂÊÔƠƯÁÀẢÃẠỦ][^.;:()]{{2,120}}?)\s+(?:{markers})\b")
    partners = re.compile(rf"\b(?:{_alt(items.partner_markers)})\s+(?P<p>[^.;]{{3,160}}?)"
                          rf"(?=\s+(?:{_alt(items.partner_stops)})\b|[.;]|$)")
    not_a_body = re.compile(rf"^(?:{_alt(items.not_a_body)})\b")
    return lead, partners, not_a_body


_DEADLINE = re.compile(rf"\b(?:hoàn thành\s+)?(?P<d>(?:trước|chậm nhất)(?: ngày)? {DMY}|"
                       r"(?:trong|trước) (?:tháng|quý|năm) [\w/ ]{1,20}?\d{4}|trong năm \d{4})")



def _cell(value: str, start: int) -> Cell:
    return Cell(value, ((start, start + len(value)),)) if value else EMPTY


def _part(m: Optional[re.Match], group: str, at: int, strip: str) -> Cell:
    """The cell of a group of a match in the item's body (which starts at document offset `at`)."""
    if m is None:
        return EMPTY
    raw = m.group(group)
    value = raw.strip(strip) if strip else raw
    return _cell(value, at + m.start(group) + raw.index(value)) if value else EMPTY


def list_items(text: str, lines: Sequence[Line], settings: TableSettings) -> list[LogicalRow]:
    out: list[LogicalRow] = []
    lead_re, partners_re, not_a_body_re = _res()
    for ln in lines:
        m = _ITEM.match(ln.text)
        if not m:
            continue
        body = m.group("body").strip()
        at = ln.start + m.start("body")     # document offset of body[0]
        lm = lead_re.match(body)
        if not lm or len(lm.group("lead")) > settings.max_list_lead_len:
            continue
        lead = lm.group("lead").strip(" ,")
        if not_a_body_re.match(lead):
            continue
        pm = partners_re.search(body, lm.end())
        dm = _DEADLINE.search(body)

        num = m.group("num").rstrip(".)")
        values = {"number": _cell(num, ln.start + m.start("num")), "content": _cell(body, at),
                  "lead": _cell(lead, at + lm.start("lead") + lm.group("lead").index(lead)),
                  "partners": _part(pm, "p", at, " ,"), "deadline": _part(dm, "d", at, "")}
        out.append(LogicalRow(values=values, spans=[ln.content_span], page=ln.page))
    return out
