"""Assignments in prose (issue 13): "who must do what by when" given in items, not in a table.

Each assignment becomes a Task with ``origin: "list"``. The forms read:

- an item that names its body at its head, maybe after a verb of assignment or an opening
  clause: "Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với …", "Giao Ủy ban nhân dân tỉnh …",
  "Căn cứ Kế hoạch, đề nghị các địa phương …", "- Ban Tuyên giáo: tham mưu …";
- an item under a heading (or a lead-in) that names a body: "3. Đảng ủy Ủy ban nhân dân tỉnh"
  followed by bullets, "1. Ủy ban nhân dân tỉnh, chỉ đạo …:" — each item that names no body of
  its own is an assignment of that body; a single paragraph under a numbered heading takes the
  heading's number;
- a labelled block ("Nội dung: … / Thời gian hoàn thành: … / Đơn vị chủ trì: … / Đơn vị phối
  hợp: … / Kết quả: …", any order, label variants in data/units.yaml): one assignment.

A body is recognized by the grammar of organ names in units.py (head words, collectives
"các …", positions) over the gazetteer data/units.yaml; it ends before the first verb
(``assignments.verbs``). Items under headings of objectives, viewpoints or reported results,
lead-ins that head a list, and the recipients (left out with the footer) are not assignments.

The steps are pure: lines → blocks (items, bullets, paragraphs; wrapped lines joined) → the
outline (which block heads which) → assignments.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Callable, Optional, Sequence

from .lines import Line, starts_inside
from .model import Deadline, Span, Task
from .patterns import BRACKET, case_forms, ci_word_start, phrase_source, phrases_source, word_start
from .settings import AssignmentSettings
from .units import WORD_CHAR, alternation, alternatives, ci_alternation, ci_at_word_start, classify_piece, unify_spelling, vocab as units_vocab
from .vocab import load_header, load_sections, load_units

__all__ = ["find_assignments", "Block", "blocks_of"]

# ---------------------------------------------------------------- blocks

_CLOSE = r"\\?(?:\*\*|__)?\s+"   # an escaped dot, the end of a bold number ("**6\.** …")
_MARKERS = [
    ("roman", re.compile(rf"(?P<num>[IVX]{{1,5}})\s*\\?[.\-–)]{_CLOSE}")),
    ("dotted", re.compile(rf"(?P<num>\d{{1,2}}(?:\\?\.\d{{1,2}})+)\\?\.?{_CLOSE}")),
    ("num", re.compile(rf"(?P<num>\d{{1,2}})\s*\\?[.)]{_CLOSE}")),
    ("paren", re.compile(r"\((?P<num>\d{1,2})\)\s*")),
    ("letter", re.compile(rf"(?P<num>[a-zđ])\\?\){_CLOSE}")),
    ("bullet", re.compile(r"(?P<mark>[-–+•·*])\s+")),
]
# the characters a marker of _MARKERS can open with, besides the digits (\d = str.isdecimal)
_MARKER_FIRST = frozenset("IVX(-–+•·*abcdefghijklmnopqrstuvwxyzđ")
# each marker opens with one class: a line is tried, in _MARKERS' order, only against the markers
# its first character can open (the digits: dotted and num)
_MARKER_OPENERS = {"roman": "IVX", "paren": "(", "letter": "abcdefghijklmnopqrstuvwxyzđ", "bullet": "-–+•·*"}
_MARKERS_AT = {ch: [(style, pat) for style, pat in _MARKERS if ch in _MARKER_OPENERS.get(style, "")]
               for ch in _MARKER_FIRST}
_MARKERS_DIGIT = [(style, pat) for style, pat in _MARKERS if style in ("dotted", "num")]
# not prose: page marks of converters, code fences, footnotes (lines.Line.is_footnote); a page
# number alone on its line is a page break inside a paragraph
_NOISE = re.compile(r"^\s*(?:={3,}.*={3,}|```|-{3,}|\*{3,})\s*$")
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")
# a markdown heading ("### 5. Ban Tổ chức Tỉnh ủy", "**2. Nhiệm vụ**") is a block of its own
_MD_HEADING = re.compile(r"^\s*(?:#{1,6}\s|\*\*.*\*\*\s*$)")
# a line of a pdftotext -layout table: cells apart by runs of spaces
_LAYOUT_CELLS = re.compile(r"\S\s{4,}\S")
# the recipients list ends the body; an annex after it starts it again
_RECIPIENTS = re.compile(rf"^[\s*_]*{phrases_source(load_header().recipients_headings)}\b", re.I)
_ADDRESS = re.compile(rf"^[\s*_]*{phrases_source(load_header().address_headings)}\b", re.I)
_ADDRESSEE = re.compile(r"\s*[-–+•]\s")
_ANNEX = re.compile(rf"^[\s*_#]*{phrases_source([w.upper() for w in load_sections().annex_headings] + list(load_sections().annex_headings))}\b")
_MD_LEAD = re.compile(r"^[\s>#]*(?:\*\*|__)?\s*")
_MD = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)|\\(?=[^\w\s])|<\/?i>")
_TERMINAL = re.compile(r"(?:[.:;!?]|\./\.)[\s*)\"”]*$")


# first characters (past white space, "*" and "_") _RECIPIENTS and _ADDRESS can match at, and
# the first characters past white space of a _NOISE line
_N_FORMS = frozenset("".join(case_forms(h[0]) for h in load_header().recipients_headings))
_K_FORMS = frozenset("".join(case_forms(h[0]) for h in load_header().address_headings))
_NOISE_FIRST = frozenset("=`-*")


def _head(s: str) -> str:
    """The first character of `s` past white space, "*" and "_" (what [\\s*_]* skips)."""
    while True:
        t = s.lstrip().lstrip("*_")
        if t == s:
            return t[:1]
        s = t


def _terminal(s: str) -> bool:
    """= _TERMINAL.search(s), without the regex's try at every position: the ending after the
    closing marks and white space (str.isspace is the regex's \\s) is a stop mark."""
    t = s.rstrip()
    while True:
        u = t.rstrip('*)"”').rstrip()
        if u == t:
            return t[-1:] in (".", ":", ";", "!", "?")
        t = u


def _layout_cells(s: str) -> bool:
    """= bool(_LAYOUT_CELLS.search(s)); a printable string holds no white space but the plain
    space, so without four spaces in a row there is no run to find."""
    if s.isprintable() and "    " not in s:
        return False
    return bool(_LAYOUT_CELLS.search(s))


def _unmark(t: str) -> str:
    """`t` without markdown emphasis (_MD); most lines hold none of its characters, and the
    test is much cheaper than the substitution's scan."""
    if "*" in t or "_" in t or "\\" in t or "<" in t:
        return _MD.sub("", t)
    return t


@dataclass
class Block:
    """One item of prose: a numbered or lettered item, a bullet or a paragraph."""
    style: str                      # roman | dotted<N> | num | paren | letter | bullet<mark> | para
    number: Optional[str]
    start: int                      # document offset of the content (after the marker)
    end: int
    lines: list[tuple[int, str]] = field(default_factory=list)   # (document offset, text) of each piece
    parent: Optional["Block"] = None
    children: list["Block"] = field(default_factory=list)

    @cached_property
    def text(self) -> str:
        """The item without its marker, wrapped lines joined, markdown emphasis removed (read once
        the block is complete)."""
        if len(self.lines) == 1:        # most blocks: the join of one piece is the piece
            return _unmark(self.lines[0][1]).strip()
        return " ".join(_unmark(t).strip() for _, t in self.lines if t.strip()).strip()

    @cached_property
    def label(self) -> Optional[tuple[str, str, int]]:
        """_label_of(text): read once, a block's label is asked again as a child of its heading."""
        return _label_of(self.text)

    @property
    def span(self) -> Span:
        return (self.start, self.end)


def _marker(s: str) -> tuple[str, Optional[str], int]:
    """(style, number, length of the marker) of a stripped line."""
    pats = _MARKERS_AT.get(s[:1])
    if pats is None:
        if not s[:1].isdecimal():
            return "para", None, 0      # most lines: no pattern of _MARKERS can match
        pats = _MARKERS_DIGIT
    for style, pat in pats:
        m = pat.match(s)
        if m:
            return _marker_of(style, m)
    return "para", None, 0


def _marker_of(style: str, m: re.Match) -> tuple[str, Optional[str], int]:
    """(style, number, length) of a _MARKERS match of that style: a bullet's style names its mark
    ("-" for either dash), a dotted number's its depth ("dotted1" for "1.2.")."""
    if style == "bullet":
        mark = m.group("mark")
        return "bullet" + ("-" if mark in "-–" else mark), None, m.end()
    num = m.group("num").replace("\\", "")
    return (f"dotted{num.count('.')}" if style == "dotted" else style), num, m.end()


def _wrap_indent(lines: Sequence[Line]) -> int:
    """pdftotext indents a paragraph's first line, not its wrapped lines: the usual indent of a
    line that goes on in lower case after another is the wrap (a line's indent: its content_span
    starts past the white space, stripped is text.strip())."""
    indents = [b.content_span[0] - b.start for a, b in zip(lines, lines[1:])
               if not a.is_blank and b.stripped[:1].islower()]
    return max(set(indents), key=indents.count) if indents else 0


def blocks_of(lines: Sequence[Line], skip: Sequence[Span] = ()) -> list[Block]:
    """The prose blocks of the lines outside `skip` (header, footer, tables), in order."""
    # long: one pass over the lines whose block, blank-line and indent state carry from line to line
    out: list[Block] = []
    cur: Optional[Block] = None
    blank = True
    base = _wrap_indent(lines)
    recipients = address = heading_line = False
    in_skip = starts_inside(lines, skip)
    for k, ln in enumerate(lines):
        text, start = ln.text, ln.start       # read once: the tests below are per line
        stripped, skipped = ln.stripped, in_skip[k]
        # the line-start regexes below are tried only where the line's first character (past
        # white space and the emphasis marks some allow) is one they can open with
        ch = stripped[:1]
        head = _head(stripped) if ch in ("*", "_") else ch
        if recipients and _ANNEX.match(text):
            recipients = False
        if head in _N_FORMS and _RECIPIENTS.match(text):
            recipients = True
        # "Kính gửi: - …, - …": the addressees, up to the first line that is not one of them
        if address and not (not stripped or _ADDRESSEE.match(text) or ch.islower()):
            address = False
        address = address or (head in _K_FORMS and bool(_ADDRESS.match(text)))
        indent = ln.content_span[0] - start
        if recipients or address or skipped or "\t" in stripped \
                or ch == "|" or ch in _NOISE_FIRST and _NOISE.match(text) or ln.is_footnote \
                or _layout_cells(stripped) or indent >= base + 30:
            # tables, page furniture, centred lines and the cells of a -layout table
            cur, blank = None, True
            continue
        if not stripped or (ch == "-" or ch.isdecimal()) and _PAGE_NUMBER.match(text):
            blank = True
            continue
        lead_end = _MD_LEAD.match(text).end() if ch in (">", "#", "*", "_") else indent
        body = text[lead_end:]
        style, num, mlen = _marker(body)
        at = start + lead_end + mlen
        piece = text[lead_end + mlen:].rstrip()
        starts_lower = piece[:1].islower()
        indented = indent >= base + 2
        if style == "para" and cur is not None and (not blank or starts_lower) and not heading_line:
            prev = cur.lines[-1][1]
            # a new paragraph: after a full stop or indented (pdftotext); after a heading whose markup
            # the text lost ("5. Ban Tổ chức Tỉnh ủy" / "Tham mưu …"), a capitalized verb
            verb_after_heading = cur.style != "para" and len(cur.lines) == 1 and _res().verb_start.match(piece)
            if not (not blank and (_terminal(prev) or indented or verb_after_heading)
                    and piece[:1].isupper()):
                cur.lines.append((start, piece))
                cur.end = start + len(text.rstrip())
                blank = False
                heading_line = ch in ("#", "*") and bool(_MD_HEADING.match(text))
                continue
        cur = Block(style, num, at, start + len(text.rstrip()), [(at, piece)])
        out.append(cur)
        blank = False
        heading_line = ch in ("#", "*") and bool(_MD_HEADING.match(text))
    return out


def _outline(blocks: list[Block]) -> None:
    """Parent and children of each block: a style nests under the block before it the first time
    it is seen there and closes everything below it when it comes back; a Roman heading is top
    level; a paragraph heads only bullets, and only when it ends with a colon (a lead-in)."""
    stack: list[Block] = []
    for b in blocks:
        if b.style == "roman":
            stack = []
        elif b.style == "para":
            # a free paragraph after a list belongs to the list's heading, not to its last bullet
            while stack and stack[-1].style.startswith(("para", "bullet")):
                stack.pop()
        else:
            # a paragraph heads only bullets; a numbered heading is never under a bullet
            low = ("para",) if b.style.startswith("bullet") or b.style in ("letter", "paren") else ("para", "bullet")
            while stack and stack[-1].style.startswith(low):
                stack.pop()
            styles = [s.style for s in stack]
            if b.style in styles:
                del stack[styles.index(b.style):]
        if stack:
            b.parent = stack[-1]
            stack[-1].children.append(b)
        if b.style != "para" or b.text.rstrip(" *").endswith(":"):
            stack.append(b)


# ---------------------------------------------------------------- vocabulary

@dataclass(frozen=True)
class _Res:
    opener: re.Pattern
    clause: re.Pattern
    stop: re.Pattern
    partner: re.Pattern
    partner_stop: re.Pattern
    label: re.Pattern
    label_role: dict
    not_heading: re.Pattern
    ongoing: re.Pattern
    periodic: re.Pattern
    not_head: re.Pattern
    within: re.Pattern
    condition: re.Pattern
    report_heading: re.Pattern
    courtesy: re.Pattern
    past: re.Pattern
    asks: re.Pattern
    verb_start: re.Pattern
    closing: re.Pattern


@lru_cache(maxsize=1)
def _res() -> _Res:
    a = load_units().assignments
    verbs = alternation(a.verbs)
    nouns = alternation(a.noun_compounds)
    lab = a.labels
    courtesy_before = "|".join(rf"{phrase_source(w)}\s+" for w in a.opener_courtesy)   # "kính", "trân trọng"
    roles = {unify_spelling(w).lower(): role for role, words in (
        ("content", lab.content), ("deadline", lab.deadline), ("lead", lab.lead), ("partners", lab.partners),
        ("output", lab.output), ("other", lab.other)) for w in words}
    # searched in every item: spelled by ci_word_start when it can be (the same matches)
    condition = ci_word_start(alternatives(a.conditions), r"[\w(]") or rf"(?<![\w(])(?i:{alternation(a.conditions)})"
    partner = word_start(alternatives(a.partner_markers), WORD_CHAR) or rf"(?<!{WORD_CHAR})(?:{alternation(a.partner_markers)})"
    # the stop patterns are searched in every body: each word start tries only the nouns and
    # verbs opening with its letter, not all of them (the same matches: test_fast_paths)
    noun_at = ci_word_start(alternatives(a.noun_compounds), WORD_CHAR) or rf"(?<!{WORD_CHAR})(?i:{nouns})"
    verb_at = word_start(alternatives(a.verbs), WORD_CHAR) or rf"(?<!{WORD_CHAR})(?:{verbs})"
    partner_stop_at = (word_start(alternatives(a.verbs) + alternatives(a.partner_stops), WORD_CHAR)
                       or rf"(?<!{WORD_CHAR})(?:{verbs}|{alternation(a.partner_stops)})")
    return _Res(
        opener=re.compile(rf"{ci_alternation(a.assign_openers)}\s+(?:cho\s+)?"),
        clause=re.compile(rf"{ci_alternation(a.clause_openers)}(?!{WORD_CHAR})"),
        # a noun compound is consumed first, so its verb word does not end the body
        stop=re.compile(rf"(?P<noun>{noun_at}(?!{WORD_CHAR}))|(?P<verb>(?<!được ){verb_at}(?!{WORD_CHAR}))"
                        r"|(?P<punct>[:.](?=\s|$))"),
        partner=re.compile(rf"{partner}\s+"),
        partner_stop=re.compile(rf"(?P<noun>{noun_at}(?!{WORD_CHAR}))|(?P<verb>{partner_stop_at}(?!{WORD_CHAR}))"
                                r"|(?P<punct>[.;:](?=\s|$))"),
        label=re.compile(rf"(?P<label>{ci_alternation(list(roles))})\s*(?:\([^)]*\))?\s*:\s*"),
        label_role=roles,
        not_heading=re.compile(rf"(?:(?i:một\s+số|những|các|về)\s+)?{ci_alternation(a.not_assignment_headings)}(?!{WORD_CHAR})"),
        ongoing=re.compile(rf"{ci_at_word_start(a.ongoing)}\s+(?=(?:{verbs})(?!{WORD_CHAR}))"),
        periodic=re.compile(rf"{ci_at_word_start(a.periodic)}(?!{WORD_CHAR})"),
        not_head=re.compile(rf"(?:{alternation(a.not_heads)})(?!{WORD_CHAR})"),
        # searched in every item: spelled so that the engine skips to the first letters
        within=re.compile(rf"{ci_at_word_start(a.within)}\s+[^,;.()]{{1,24}}"),
        condition=re.compile(rf"{condition}\s+(?!đối\s)[^,;.()]{{6,}}"),
        closing=re.compile(rf"{ci_alternation(a.closings)}(?!{WORD_CHAR})"),
        verb_start=re.compile(rf"{ci_alternation(a.verbs)}(?!{WORD_CHAR})"),
        asks=re.compile(rf"\s*(?:{courtesy_before})?(?=(?:{alternation(a.assign_openers)})\s)", re.I),
        past=re.compile(rf"\s*(?:{alternation(a.past_markers)})(?!{WORD_CHAR})"),
        courtesy=re.compile(rf"\s*{ci_alternation(a.courtesy)}(?!{WORD_CHAR})"),
        report_heading=re.compile(rf"(?<!{WORD_CHAR}){ci_alternation(a.report_headings)}(?!{WORD_CHAR})"),
    )


# ---------------------------------------------------------------- the body of an item

@lru_cache(maxsize=4096)
def _unified(s: str) -> str:
    return unify_spelling(s)


_BRACKET = re.compile(BRACKET)
# compiled once: called per item (re.search(pattern, …) looks the pattern up at every call)
_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")
_SENTENCE_END = re.compile(r"[.!?]\s+(?=\S)")
_CLAUSE_SEP = re.compile(r"[,:]\s+")
_SENTENCE_TAIL = re.compile(r"[.;!?…]\W*$")
_COMMA = re.compile(r",\s+")


def _stop(u: str, start: int, pat: re.Pattern, groups: tuple[str, ...] = ("verb", "punct")) -> int:
    """Where a phrase that opens at `start` ends: the first match of `pat` after it whose group is
    one of `groups`, outside parentheses; a noun compound ("tổ chức đảng") is passed over whole.

    Read as if `pat` were tried at each character outside brackets (a bracket itself is not tried),
    but jumping with search(): to the next match or bracket; a match found stays the next one
    until the reading passes its start."""
    i, depth, n = start, 0, len(u)
    sm = br = None
    while i < n:
        if br is None or br.start() < i:
            br = _BRACKET.search(u, i)
        k = br.start() if br else n
        if depth == 0:
            if sm is None or sm.start() < i:
                sm = pat.search(u, i)
            if sm and sm.start() < k:
                j = sm.start()
                if sm.group("noun"):
                    i = sm.end()
                elif j > start and any(sm.group(g) for g in groups):
                    return j
                else:
                    i = j + 1
                continue
        if not br:
            break
        depth = depth + 1 if u[k] in "([" else max(0, depth - 1)
        i = k + 1
    return n


@dataclass(frozen=True)
class _Found:
    text: str
    start: int      # offsets into the string searched
    end: int


def _body_at(s: str, pos: int, max_len: int) -> Optional[_Found]:
    """The body that opens `s` at `pos`, up to the first verb; None if none opens there."""
    r = _res()
    v = units_vocab()
    m = r.opener.match(s, pos)
    if m:
        pos = m.end()
    # after "giao"/"yêu cầu" a body may open in lower case ("yêu cầu tổ chức cơ sở đảng …")
    if pos >= len(s) or not (m or s[pos].isupper() or v.re_opener.match(s, pos)):
        return None
    u = _unified(s)
    kind = classify_piece(u, pos, v)
    if not kind or r.not_head.match(u, pos):
        return None
    if kind == "position" and not v.re_opener.match(u, pos):
        # "Lãnh đạo Ban Dân nguyện" is a body, "Lãnh đạo việc tổ chức …" a verb
        pm = v.re_position.match(u, pos)
        nxt = u[pm.end():].lstrip()[:1] if pm else ""
        if not (nxt.isupper() or u[pm.end():].lstrip().startswith("các ")):
            return None
    end = _stop(u, pos, r.stop)
    text = s[pos:end].rstrip(" ,;*-–")
    if not text or len(text) > max_len or " " not in text or not _TWO_LETTERS.search(text):
        return None
    return _Found(text, pos, pos + len(text))


def _run_in(s: str, max_len: int) -> Optional[_Found]:
    """'Các đồng chí lãnh đạo Ban: Thường xuyên …' → the label when it is a body."""
    c = s.find(":")
    if c <= 0 or c > max_len:
        return None
    f = _body_at(s[:c], 0, max_len)
    if f and f.end >= c - 1 and not _res().opener.match(s):
        return f
    return None


def _asked(s: str, f: Optional[_Found], max_len: int) -> Optional[_Found]:
    """"Bộ Công Thương đề nghị Ủy ban nhân dân các tỉnh …": the body asked is the one given work."""
    m = _res().asks.match(s, f.end) if f else None
    return (_body_at(s, m.end(), max_len) or f) if m else f


@lru_cache(maxsize=4096)  # pure in the text; a heading is asked again for each of its items
def _own_body(s: str, max_len: int) -> Optional[_Found]:
    """The body an item names itself: at its head (after an assign word), as a run-in label, or
    after an opening clause ("Căn cứ …, đề nghị các địa phương …")."""
    r = _res()
    f = _run_in(s, max_len) or _asked(s, _body_at(s, 0, max_len), max_len)
    if f:
        return f
    if r.clause.match(s):
        # after the opening clause, in the first sentence; in a later sentence only after
        # a verb of assignment ("Trên đây là Kế hoạch …. Yêu cầu các sở, ban, ngành …")
        first = _SENTENCE_END.search(s)
        cut = first.end() if first else len(s)
        for m in _CLAUSE_SEP.finditer(s[:min(cut, 400)]):
            f = _asked(s, _body_at(s, m.end(), max_len), max_len)
            if f:
                return f
        for m in r.opener.finditer(s, cut, min(len(s), cut + 400)):
            if m.start() == 0 or not s[m.start() - 1].isalnum():
                f = _body_at(s, m.start(), max_len)
                if f:
                    return f
    return None


def _partners(s: str, after: int) -> Optional[_Found]:
    r = _res()
    m = r.partner.search(s, after)
    if not m:
        return None
    pos = m.end()
    end = _stop(_unified(s), pos, r.partner_stop)
    text = s[pos:end].rstrip(" ,;")
    if not text or not classify_piece(unify_spelling(text), 0, units_vocab()):
        return None
    return _Found(text, pos, pos + len(text))


# ---------------------------------------------------------------- deadlines

def _deadline(s: str, find: Callable[[str], list[Deadline]], parse: Callable[[str], Deadline]) -> Optional[Deadline]:
    """The first time phrase that times the work: a date or period phrase, "thường xuyên"
    before a verb (ongoing) or a bare "định kỳ" (a recurrence of no stated period)."""
    r = _res()
    cands: list[tuple[int, Deadline]] = []
    found = find(s)
    if found:
        d = found[0]
        cands.append((d.span[0] if d.span else 0, d))
    m = r.ongoing.search(s)
    if m:
        d = parse(s[m.start():m.start() + len(m.group().rstrip())])
        if d.kind != "none":
            d.span = (m.start(), m.start() + len(d.text))
            cands.append((m.start(), d))
    m = r.within.search(s) if not found else None     # (read only when no date phrase was found)
    if m:
        d = parse(m.group().rstrip())
        if d.start is not None:
            d.span = (m.start(), m.start() + len(d.text))
            cands.append((m.start(), d))
    m = r.condition.search(s)
    if m:
        d = Deadline(text=m.group().rstrip(), kind="conditional", span=(m.start(), m.start() + len(m.group().rstrip())))
        cands.append((m.start(), d))
    m = r.periodic.search(s)
    if m and not any(p < m.start() < p + len(d.text) + 1 for p, d in cands):
        d = _periodic_phrase(s, m, parse)
        if d is None or d.kind in ("none", "ongoing") or d.kind == "recurring" and not d.recurrence:
            d = Deadline(text=m.group(), kind="recurring", note="chu kỳ không nêu")
        d.span = (m.start(), m.start() + len(d.text))
        cands.append((m.start(), d))
    if not cands:
        return None
    return min(cands, key=lambda c: (c[0], -len(c[1].text)))[1]


_DURATION = re.compile(r"(?i:dự\s+kiến\s+)?(?:\d+(?:[/,.]\d+)?|[½¼¾]|một|hai|ba|nửa)\s+(?i:ngày|buổi|giờ|tiếng)"
                       r"\s*[,;]\s*(?i:vào\s+)?")


def _periodic_phrase(s: str, m: re.Match, parse: Callable[[str], Deadline]) -> Optional[Deadline]:
    """"Định kỳ hàng tháng (trước ngày 20), hàng quý (…) gửi báo cáo …": the longest list of
    periods after "định kỳ", up to the next verb or the end of the clause, that parses."""
    end = _stop(_unified(s), m.end(), _res().partner_stop)
    pieces = s[m.start():end].rstrip(" ,").split(", ")
    for k in range(len(pieces), 0, -1):
        d = parse(", ".join(pieces[:k]))
        if d.kind != "none":
            return d
    return None


# ---------------------------------------------------------------- assignments

@dataclass
class _Assignment:
    number: Optional[str]
    content: str
    content_span: Span
    lead: str
    lead_span: Optional[Span]
    partners: Optional[str] = None
    partners_span: Optional[Span] = None
    deadline: Optional[Deadline] = None
    output: Optional[str] = None


def _offset(b: Block, i: int) -> int:
    """Document offset of character `i` of the block's text (approximate across joined lines)."""
    pos = 0
    for at, t in b.lines:
        piece = _unmark(t).strip()
        if not piece:
            continue
        if i <= pos + len(piece):
            lead = len(t) - len(t.lstrip())
            return at + lead + (i - pos)
        pos += len(piece) + 1
    return b.end


def _span(b: Block, f: Optional[_Found]) -> Optional[Span]:
    return (_offset(b, f.start), _offset(b, f.end)) if f else None


def _excluded(b: Block, report: bool, memo: Optional[dict] = None) -> bool:
    """Under a heading of objectives, viewpoints or reported results; in a report, anywhere but
    under a heading that looks forward ("III- NHIỆM VỤ TRỌNG TÂM THÁNG 6")."""
    not_heading, forward = _heading_flags(b if b.children else b.parent, {} if memo is None else memo)
    return not_heading or (report and not forward)


def _heading_flags(p: Optional[Block], memo: dict) -> tuple[bool, bool]:
    """(a heading from `p` up is not one of work, one looks forward). Every item of a heading
    asks the same of its ancestors: `memo` (by block id, for one list of blocks) reads each once."""
    if p is None:
        return False, False
    got = memo.get(id(p))
    if got is None:
        not_heading, forward = _heading_flags(p.parent, memo)
        if p.style != "para" and not p.style.startswith("bullet"):
            r = _res()
            not_heading = not_heading or bool(r.not_heading.match(p.text))
            forward = forward or bool(r.report_heading.match(p.text))
        got = memo[id(p)] = (not_heading, forward)
    return got


def _is_sentence_over_paragraphs(b: Block, max_len: int = 400) -> bool:
    """An item that is a whole sentence followed by free paragraphs ("2. Các cơ quan báo chí …
    đẩy mạnh …." then "Giao Đài Phát thanh …"), or a whole sentence that gives its body work
    before its bullets, is an item of its own, not their heading."""
    if not _SENTENCE_TAIL.search(b.text):
        return False
    if all(c.style == "para" for c in b.children):
        return True
    own = _own_body(b.text, max_len)
    return bool(own) and own.end < len(b.text.rstrip(" .;")) - 1


_PAREN = re.compile(r"\([^)]*\)?")


def _shouting(t: str) -> bool:
    """A heading in capitals ("II. NHIỆM VỤ CỤ THỂ") is never an item of work."""
    head = _PAREN.sub("", t[:80]) if "(" in t[:80] else t[:80]  # "(có phụ lục kèm theo)" may be in lower case
    return head.isupper() and len(head) >= 6


def _label(b: Block) -> Optional[tuple[str, str, int]]:
    """(role, value, offset of value in text) of a labelled line."""
    return b.label


@lru_cache(maxsize=4096)
def _label_of(t: str) -> Optional[tuple[str, str, int]]:
    r = _res()
    m = r.label.match(t)
    if not m:
        return None
    return r.label_role[unify_spelling(m.group("label")).lower()], t[m.end():].strip().rstrip(".;"), m.end()


def _names_body(p: Block, max_len: int) -> Optional[_Found]:
    """The body a heading or lead-in names: the whole heading ("3. Ban Tuyên giáo Đảng ủy các
    xã, thị trấn"), or a lead-in ending with a colon ("1. Ủy ban nhân dân tỉnh, chỉ đạo …:",
    "Để …, Đảng đoàn Quốc hội xác định các nhiệm vụ trọng tâm sau:")."""
    t = p.text.rstrip(" :*")
    f = _own_body(t, max_len)
    if f and f.end >= len(t.rstrip(" .;")):
        return f
    if not p.text.rstrip(" *").endswith(":"):
        return None
    if f:
        return f
    for m in _COMMA.finditer(t):
        f = _body_at(t, m.end(), max_len)
        if f:
            return f
    return None


def _heading_body(b: Block, max_len: int) -> Optional[tuple[str, Block, _Found]]:
    """The body the nearest heading (or lead-in) above `b` names."""
    p = b.parent
    while p is not None:
        f = _names_body(p, max_len)
        if f:
            return f.text, p, f
        p = p.parent
    return None


def _runs(labelled: list) -> list[list]:
    """Labelled lines cut into blocks: a block ends where a label it already has comes again."""
    runs: list[list] = []
    for c, lab in labelled:
        if not runs or lab[0] in {x[1][0] for x in runs[-1]}:
            runs.append([])
        runs[-1].append((c, lab))
    return runs


def _labelled(b: Block, labelled: list, max_len: int, find: Callable[[str], list[Deadline]],
              parse: Callable[[str], Deadline]) -> list[_Assignment]:
    """Labelled blocks ("Nội dung / Thời gian hoàn thành / Đơn vị chủ trì / Đơn vị phối hợp / Kết
    quả", any order): with a "Nội dung" label each run of labels is one assignment whose content is
    that label's value; without one, the item `b` they follow is the assignment, labels included."""
    t = b.text
    runs = _runs(labelled) if any(lab[0] == "content" for _, lab in labelled) else [labelled]
    out = []
    for run in runs:
        lab = {role: (c, value, k) for c, (role, value, k) in reversed(run)}
        own = _own_body(t, max_len) if "content" not in lab else None
        if "lead" in lab:
            c, value, k = lab["lead"]
            lead, lead_span = value, _span(c, _Found(value, k, k + len(value)))
        elif own:
            lead, lead_span = own.text, _span(b, own)
        else:
            hb = _heading_body(run[0][0], max_len)
            if not hb:
                continue
            lead, lead_span = hb[0], _span(hb[1], hb[2])
        end = max(c.end for c, _ in run)
        if "content" in lab:
            c, value, k = lab["content"]
            content, cspan = value, (run[0][0].start, end)
            number = b.number if len(runs) == 1 and b.style != "roman" and not b.style.startswith("bullet") else None
        else:
            # sub-bullets of an item ("+ Thời gian: …") stay in its content, marks kept
            subs = [c for c in b.children if c.style == "bullet+"]
            content = " ".join([t] + ["+ " + c.text for c in subs])
            cspan, number = (b.start, max(b.end, end)), b.number
        if b.style.startswith("bullet"):
            number = None
        a = _Assignment(number, content, cspan, lead, lead_span)
        if "output" in lab:
            a.output = lab["output"][1] or None
        if "partners" in lab:
            c, value, k = lab["partners"]
            a.partners, a.partners_span = value or None, _span(c, _Found(value, k, k + len(value)))
        elif "content" not in lab:
            pf = _partners(t, own.end if own else 0)
            if pf:
                a.partners, a.partners_span = pf.text, _span(b, pf)
        if "deadline" in lab:
            c, value, k = lab["deadline"]
            # "Thời gian: Dự kiến ½ ngày, vào đầu tháng 7/2024": the length of the event is no date
            dur = _DURATION.match(value)
            if dur and dur.end() < len(value):
                k, value = k + dur.end(), value[dur.end():]
            d = parse(value)
            if d.kind != "none":
                s0 = _offset(c, k)
                d.span = (s0, s0 + len(value))
                a.deadline = d
        else:
            a.deadline = _deadline(content, find, parse)
            if a.deadline and a.deadline.span:
                a.deadline.span = (_offset(b, a.deadline.span[0]), _offset(b, a.deadline.span[1]))
        out.append(a)
    return out


def _assignments(blocks: list[Block], settings: AssignmentSettings, find: Callable[[str], list[Deadline]],
                 parse: Callable[[str], Deadline], report: bool = False) -> list[_Assignment]:
    max_len = settings.max_lead_chars
    out: list[_Assignment] = []
    used: set[int] = set()
    heading_memo: dict = {}
    for b in blocks:
        if id(b) in used or b.label or _excluded(b, report, heading_memo):
            continue
        labelled = [(c, lab) for c in b.children if (lab := c.label)] if b.children else []
        t = b.text
        if labelled and {lab[0] for _, lab in labelled} & {"lead", "deadline", "partners"}:
            # the other items under a labelled task (requirements, sub-steps) are part of it
            used.update(id(c) for c in b.children if id(c) not in used and not c.children)
            out += _labelled(b, labelled, max_len, find, parse)
            continue
        if b.children and any(not c.label for c in b.children) and not _is_sentence_over_paragraphs(b):
            continue  # a heading or a lead-in: its items are the assignments
        if t.rstrip(" *").endswith(":") and not b.children:
            continue  # a lead-in whose list did not follow as items
        if _shouting(t) or t.endswith(","):
            continue  # a heading in capitals; a line of an address ("Kính gửi: …,")
        own = _own_body(t, max_len)
        r = _res()
        if own and (own.end >= len(t.rstrip(" .;:")) or r.courtesy.match(t, own.end) or r.past.match(t, own.end)):
            continue  # a body and no work (recipients, members), "… trân trọng báo cáo", "X đã tổ chức …"
        if own:
            lead, lead_span = own.text, _span(b, own)
        else:
            hb = None if r.closing.match(t) else _heading_body(b, max_len)
            if not hb:
                continue  # no body of its own or above it; a closing ("Trên đây là …") names its own
            lead, lead_span = hb[0], _span(hb[1], hb[2])
        number = b.number
        p = b.parent
        if b.style == "para" and p is not None and p.style.startswith(("num", "letter", "dotted")) \
                and len(p.children) == 1 and not _is_sentence_over_paragraphs(p):
            number = p.number  # a single block under a numbered heading takes its number
        if b.style.startswith("bullet"):
            number = None
        a = _Assignment(number, t, b.span, lead, lead_span)
        pf = _partners(t, own.end if own else 0)
        if pf:
            a.partners, a.partners_span = pf.text, _span(b, pf)
        d = _deadline(t, find, parse)
        if d is not None:
            if d.span:
                d.span = (_offset(b, d.span[0]), _offset(b, d.span[1]))
            a.deadline = d
        out.append(a)
    return out


def find_assignments(lines: Sequence[Line], *, skip: Sequence[Span] = (), report: bool = False,
                     settings: AssignmentSettings = AssignmentSettings(),
                     find_deadline: Callable[[str], list[Deadline]] = lambda s: [],
                     parse_deadline: Callable[[str], Deadline] = lambda s: Deadline(text=s)) -> list[Task]:
    """Tasks with origin "list" for every assignment in the prose outside `skip` (the header,
    the footer with its recipients, the task tables). In a report (`report`), only the parts
    under a heading that looks forward are read. Ids, sections and pages are set later."""
    if not settings.enabled:
        return []
    blocks = blocks_of(lines, skip)
    _outline(blocks)
    tasks = []
    for a in _assignments(blocks, settings, find_deadline, parse_deadline, report):
        spans = {"content": a.content_span}
        if a.lead_span:
            spans["lead"] = a.lead_span
        if a.partners_span:
            spans["partners"] = a.partners_span
        if a.deadline is not None and a.deadline.span:
            spans["deadline"] = a.deadline.span
        tasks.append(Task(id="", number=a.number, content=a.content, lead=a.lead, partners=a.partners, output=a.output,
                          deadline=a.deadline or Deadline(), origin="list", span=a.content_span, spans=spans))
    return tasks
