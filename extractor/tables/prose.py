"""Assignment lists in prose → tasks with origin "list".

Precision over recall: only a numbered or lettered item that opens by naming who leads
("3. Giao Ban Tuyên giáo Huyện ủy chủ trì, phối hợp với … theo dõi …",
 "5. Bộ Tài chính chủ trì, phối hợp với các bộ, ngành … bảo đảm …") becomes a task.
The lead is the body named before "chủ trì"; partners the bodies after "phối hợp với";
the deadline the "trước ngày …"/"hoàn thành trong …" phrase if the item states one.
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

from ..layout import Line
from .model import EMPTY, Cell, LogicalRow
from ..settings import TableSettings

_ITEM = re.compile(r"^\s*(?P<num>\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\))\s+(?P<body>.+)$")
_LEAD = re.compile(r"^(?:Giao\s+(?:cho\s+)?)?(?P<lead>[A-ZĐÂĂÊÔƠƯÁÀẢÃẠỦ][^.;:()]{2,120}?)\s+(?:chủ trì|là cơ quan chủ trì)\b")
_PARTNERS = re.compile(r"\bphối hợp (?:chặt chẽ )?với\s+(?P<p>[^.;]{3,160}?)(?=\s+(?:để|theo dõi|tổ chức|triển khai|thực hiện|"
                       r"bảo đảm|hướng dẫn|tham mưu|rà soát|kiểm tra|đề xuất|nghiên cứu)\b|[.;]|$)")
_DEADLINE = re.compile(r"\b(?:hoàn thành\s+)?(?P<d>(?:trước|chậm nhất)(?: ngày)? \d{1,2}/\d{1,2}/\d{4}|"
                       r"(?:trong|trước) (?:tháng|quý|năm) [\w/ ]{1,20}?\d{4}|trong năm \d{4})")


# an item that opens with a condition names no body ("Đối với nhiệm vụ liên ngành, cơ quan chủ trì …")
_NOT_A_BODY = re.compile(r"^(?:Đối với|Trường hợp|Khi|Nếu|Trong|Sau|Trên cơ sở|Căn cứ|Các nhiệm vụ)\b")


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
    for ln in lines:
        m = _ITEM.match(ln.text)
        if not m:
            continue
        body = m.group("body").strip()
        at = ln.start + m.start("body")     # document offset of body[0]
        lm = _LEAD.match(body)
        if not lm or len(lm.group("lead")) > settings.max_list_lead_len:
            continue
        lead = lm.group("lead").strip(" ,")
        if _NOT_A_BODY.match(lead):
            continue
        pm = _PARTNERS.search(body, lm.end())
        dm = _DEADLINE.search(body)

        num = m.group("num").rstrip(".)")
        values = {"number": _cell(num, ln.start + m.start("num")), "content": _cell(body, at),
                  "lead": _cell(lead, at + lm.start("lead") + lm.group("lead").index(lead)),
                  "partners": _part(pm, "p", at, " ,"), "deadline": _part(dm, "d", at, "")}
        out.append(LogicalRow(values=values, spans=[ln.content_span], page=ln.page))
    return out
