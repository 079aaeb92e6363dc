"""Numbered headings → the section tree.

A line is a heading candidate when it starts with a numbering style (Phần/Chương, upper
letter "A-", Roman "II-", Arabic "1." / "3.2.", lower letter "a)", "Điều 5."). Roman and
dotted numbers ("3.2.") are headings whenever they open a line; a plain "1." or "a)" item
is a heading only when it *heads* something — bullets or sub-items follow it — or reads
as a label (short, no full stop) rather than a run-in sentence of content
("1. UBND huyện chỉ đạo các ngành … ."). A label followed by a colon and a capitalised
clause ("1. Các đồng chí lãnh đạo Ban: Thường xuyên theo dõi …") is a run-in sentence.
The title of a heading is its label: the text before the first colon.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from .lines import Line
from .model import Section, Span, inside
from .patterns import DASH_CHARS, ROMAN, ROMAN_CHARS
from .settings import SectionSettings
from .vn import LOWER, UPPER


_STYLES = [
    # (style, rank, pattern) — rank orders nesting: smaller is higher in the tree
    ("part", 0, re.compile(rf"^(?P<kw>Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC)\s+(?P<num>{ROMAN}|\d{{1,2}}|[A-Z])\b\s*[.:\-–]?\s*(?P<title>.*)$")),
    ("article", 4, re.compile(r"^(?P<kw>Điều)\s+(?P<num>\d{1,3})\s*[.:]\s*(?P<title>.*)$")),
    ("upper", 1, re.compile(r"^(?P<num>[A-HJ-UWYZ])\s*[.\-–)]\s+(?P<title>\S.*)$")),
    # a Roman number without C ("C." is an upper letter) and with any dash after it, the em dash too
    ("roman", 2, re.compile(rf"^(?P<num>[{ROMAN_CHARS.replace('C', '')}]{{1,6}})\s*[.){DASH_CHARS}]\s*(?P<title>\S.*)$")),
    ("arabic", 3, re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})\s*(?:\.|\)|-(?!\d)|–)\s*(?P<title>\S.*)$")),
    ("letter", 8, re.compile(rf"^(?P<num>[a-zđ])\s*[)]\s*(?P<title>\S.*)$")),
]
_BULLET = re.compile(r"^\s*(?:[-+•·*–]\s|\(\d+\)|[a-zđ]\))")
_SENTENCE_BREAK = re.compile(rf"[.;!?]\s+[{UPPER}]")
_COLON_CLAUSE = re.compile(rf":\s*[{UPPER}\"“]")


@dataclass
class Candidate:
    line: Line
    style: str
    rank: int
    number: str
    title: str
    title_start: int


def _candidate(line: Line, settings: SectionSettings) -> Optional[Candidate]:
    text = line.text.strip()
    if not text or len(text) > settings.max_candidate_chars or "\t" in text.strip("\t") and _cells(text) > 1:
        return None
    lead = len(line.text) - len(line.text.lstrip())
    for style, rank, pat in _STYLES:
        m = pat.match(text)
        if not m:
            continue
        num = m.group("num")
        if style == "part":
            num = f"{m.group('kw')} {num}"
        if style == "article":
            num = f"Điều {num}"
        if style == "roman" and not _valid_roman(num):
            continue
        title = m.group("title").strip()
        if style == "arabic":
            num = num.rstrip(".")
            rank += num.count(".")
        return Candidate(line, style, rank, num, title, line.start + lead + m.start("title"))
    return None


def _cells(text: str) -> int:
    return sum(1 for c in text.split("\t") if c.strip())


def _valid_roman(s: str) -> bool:
    return bool(re.fullmatch(r"X{0,3}(IX|IV|V?I{0,3})|L", s)) and s != ""


def _label(title: str) -> str:
    """Text before the first colon; a trailing colon or stray markup is dropped."""
    head = title.split(":", 1)[0] if ":" in title else title
    return re.sub(r"\s+", " ", head).strip(" *")


def _is_heading(c: Candidate, nxt: Optional[Line], nxt_candidate: Optional[Candidate],
                settings: SectionSettings) -> bool:
    if c.style in ("part", "roman", "upper", "article"):
        return len(c.title) <= settings.max_heading_chars
    if c.style == "arabic" and "." in c.number:
        return len(c.title) <= settings.max_heading_chars
    heads_block = nxt is not None and (
        bool(_BULLET.match(nxt.text))
        or (nxt_candidate is not None and nxt_candidate.rank > c.rank and nxt_candidate.style != "letter"
            and nxt_candidate.number.startswith(c.number + "."))
        or (nxt_candidate is not None and nxt_candidate.style == "letter"))
    title = c.title.rstrip()
    if ":" in title:
        after = title.split(":", 1)[1].strip()
        if after and _COLON_CLAUSE.search(title):
            return False  # "1. Label: Sentence …" is a run-in sentence of content
        if after and after[0].islower() and len(_label(title).split()) <= settings.max_run_in_label_words:
            return True   # "3. Đề xuất, kiến nghị: với …" is a label with a qualifier
    if heads_block:
        return True
    words = len(title.split())
    if title.endswith((".", ";")) and not title.endswith("..."):
        return False
    if _SENTENCE_BREAK.search(title):
        return False
    return words <= settings.max_label_words


def find_sections(text: str, lines: Sequence[Line], *, skip: Sequence[Span] = (),
                  settings: SectionSettings = SectionSettings()) -> list[Section]:
    """Headings of the body (lines inside `skip` spans — header, tables, signature — are ignored)."""
    body = [ln for ln in lines if not ln.is_blank and not ln.is_footnote and not inside(ln.start, skip)]
    cands = [_candidate(ln, settings) for ln in body]
    sections: list[Section] = []
    stack: list[tuple[int, Section]] = []   # (rank, section)
    for i, c in enumerate(cands):
        if c is None:
            continue
        # a heading or item hard-wrapped by the converter goes on in lower case on the next line
        cont = _continuation(body, cands, i, settings.max_continuation_lines)
        if cont:
            c.title = " ".join([c.title] + [ln.stripped for ln in cont])
        j = i + len(cont)
        nxt = body[j + 1] if j + 1 < len(body) else None
        nxt_c = cands[j + 1] if j + 1 < len(body) else None
        if not _is_heading(c, nxt, nxt_c, settings):
            continue
        while stack and stack[-1][0] >= c.rank:
            stack.pop()
        parent = stack[-1][1] if stack else None
        title = _label(c.title)
        sec = Section(
            id=f"s{len(sections) + 1}", parent=parent.id if parent else None,
            level=(parent.level + 1) if parent else 1, number=c.number, title=title,
            span=(c.line.content_span[0], (cont[-1] if cont else c.line).content_span[1]), page=c.line.page)
        sections.append(sec)
        stack.append((c.rank, sec))
    return sections


def _continuation(body: Sequence[Line], cands: list, i: int, max_lines: int) -> list[Line]:
    out: list[Line] = []
    prev = body[i]
    for k in range(i + 1, min(i + 1 + max_lines, len(body))):
        ln = body[k]
        first = ln.stripped[:1]
        if ln.index != prev.index + 1 or cands[k] is not None or not first.islower() or _BULLET.match(ln.text):
            break
        out.append(ln)
        prev = ln
    return out


def section_at(sections: Sequence[Section], offset: int) -> Optional[str]:
    """Id of the last section starting at or before `offset`."""
    best = None
    for s in sections:
        if s.span[0] <= offset:
            best = s.id
        else:
            break
    return best
