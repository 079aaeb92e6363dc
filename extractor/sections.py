"""Numbered headings → the section tree (output contract, "Sections").

A line is a heading candidate when it starts with a numbering style (Phần/Chương/Mục, upper
letter "A-", Roman "II-", Arabic "1." / "3.2.", "Điều 5."; lower-case "a)" items are read only
as list items, never emitted). Roman and dotted numbers are headings when they open a line,
unless a dotted item is a whole sentence of content; a plain "1." is a heading when it *heads*
something — bullets, its sub-items, lettered items, or a paragraph of its own — or reads as a
short label, and its siblings have the last word: an item between two headings of its list is
one, a short item in a list of content sentences is not. A run-in "1. Label: value" is a heading
when the label names a topic, not a body or person to whom work is given. The title of a heading
is its label: the text before the first colon.

Not headings: lines that only start with a number because a converter wrapped a symbol or a
figure ("36-CT/TW, ngày …", "55.800.000 đồng"), running page headers, and anything after the
first annex title (PHỤ LỤC …), which ends the body. Scans: the sequence of siblings and the
heading's style decide a misread number ("1-" or "HI-" among upper-case Roman headings, "I."
before an Arabic "2.", "8)" among lettered items), and OCR confusions that give no Vietnamese
word are repaired in titles (data/sections.yaml).
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Sequence

from .lines import Line, starts_inside as _starts_inside
from .model import Section, Span, inside
from .patterns import DASH_CHARS, ROMAN, ROMAN_CHARS, ci_word_start, phrases_source
from .settings import SectionSettings
from .vn import LOWER, UPPER
from .vocab import load_header, load_sections, load_units

_PARTS = load_sections().part_words          # highest first
_ARTICLE = load_sections().article_word

_STYLES = [
    # (style, rank, pattern) — rank orders nesting: smaller is higher in the tree
    ("part", 0, re.compile(rf"^(?P<kw>{'|'.join(re.escape(f) for w in _PARTS for f in (w, w.upper()))})\s+(?P<num>{ROMAN}|\d{{1,2}}|[A-Z])\b\s*[.:\-–]?\s*(?P<title>.*)$")),
    # an article sits under Phần / Chương / Mục and holds its clauses ("1.", "a)")
    ("article", 0.9, re.compile(rf"^(?P<kw>{re.escape(_ARTICLE)})\s+(?P<num>\d{{1,3}})\s*[.:]\s*(?P<title>.*)$")),
    ("upper", 1, re.compile(r"^(?P<num>[A-HJ-UWYZ])\s*[.\-–)]\s+(?P<title>\S.*)$")),
    # a Roman number without C ("C." is an upper letter) and with any dash after it, the em dash too
    ("roman", 2, re.compile(rf"^(?P<num>[{ROMAN_CHARS.replace('C', '')}]{{1,6}})\s*[.){DASH_CHARS}]\s*(?P<title>(?:\S.*)?)$")),
    ("arabic", 3, re.compile(rf"^(?P<num>\d{{1,2}}(?:\.\d{{1,2}}){{0,3}})\s*(?:\.|\)|-(?!\d)|–|,(?=\s+[{UPPER}]))\s*(?P<title>(?:\S.*)?)$")),
    ("letter", 8, re.compile(rf"^(?P<num>[a-zđ])\s*[)]\s*(?P<title>\S.*)$")),
]
# the characters a pattern of _STYLES can open with, besides the digits (\d = str.isdecimal)
# (the letters of the upper/letter styles, and the first letters of the part and article words)
_STYLE_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzđ") | {
    f[0] for w in _PARTS + (_ARTICLE,) for f in (w, w.upper())}
# an annex title line: "PHỤ LỤC", "PHỤ LỤC 2", "Phụ lục số 01: …", "Phụ lục I - …" (not a sentence
# that begins with the word: "Phụ lục 2 kèm theo Chương trình …")
_ANNEX_WORDS = load_sections().annex_headings   # in capitals, as listed, or each word capitalised
_SO = [w.lower() for w in load_header().number_words]   # "Phụ lục số 01", "PHỤ LỤC SỐ 01"
_ANNEX_SO_CAPS = "|".join(re.escape(w.upper()) + r"\s+" for w in _SO)
_ANNEX_SO = "|".join(re.escape(w) + r"\s+" for w in _SO) + "|" + _ANNEX_SO_CAPS
_ANNEX = re.compile(rf"^(?P<label>{phrases_source([w for a in _ANNEX_WORDS for w in (a.upper(), a, a.title())], gap=' ')}(?:\s+(?:{_ANNEX_SO})?(?:\d{{1,2}}[a-z]?|[{ROMAN_CHARS}]{{1,6}})\b)?)"
                    r"\s*(?:[:.\-–—]\s*.*)?$")
_ANNEX_CAPS = re.compile(rf"^(?P<label>{phrases_source([a.upper() for a in _ANNEX_WORDS], gap=' ')}(?:\s+(?:{_ANNEX_SO_CAPS})?(?:\d{{1,2}}|[{ROMAN_CHARS}]{{1,6}})\b)?)")
_PAGE_NUMBER_ENDS = re.compile(r"^\d{1,4}\s+|(?:\s+\d{1,4})+$")
# a heading numbered with glyphs a scan reads for Roman strokes ("HI- TỔ CHỨC", "1- MỤC ĐÍCH")
_OCR_ROMAN_GLYPHS = f"{ROMAN_CHARS}Hl1|!"
_OCR_ROMAN = re.compile(rf"^(?P<num>[{_OCR_ROMAN_GLYPHS}]{{1,5}})(?:\s*[.,{DASH_CHARS})]\s*|\s+)(?P<title>\S.*)$")
# a numbered heading glued after the sentence that ends the paragraph before it
# the sentence end is matched, not looked behind at: the engine then skips to those marks
_GLUED = re.compile(rf"[.;:)…]\s+(?P<item>(?:\d{{1,2}}(?:\.\d{{1,2}}){{0,3}}\.|[{ROMAN_CHARS}]{{1,5}}[.\-])\s+(?P<title>[{UPPER}][^.;:!?]*))$")
# an Arabic item number with glyphs a scan reads for "1" ("I1. Mục đích", "l. Mục đích", "¡. Việc")
_OCR_ARABIC = re.compile(rf"^(?P<num>[\dIl|¡!]{{1,3}})\s*[.)]\s*(?P<title>[{UPPER}].*)$")
_DIGIT_GLYPHS = str.maketrans({"I": "1", "l": "1", "|": "1", "¡": "1", "!": "1"})
_DASH_WRAP = re.compile(rf"^\s*[-–]\s+[{LOWER}]")
# a running header that names the file it was printed from ("18.CTRTW31.DOC 1")
# (the dot first, the letter before it looked behind at: the engine skips to the dots; the same
# lines match as with r"\w\.(?:docx?|…)\b", only its truth is read)
_FILE_NAME = re.compile(r"\.(?<=\w\.)(?:docx?|pdf|odt|rtf)\b", re.I)
_PART_RANKS = {w.casefold(): 0.9 * i / len(_PARTS) for i, w in enumerate(_PARTS)}   # all above an article's 0.9
_BULLET = re.compile(r"^\s*(?:[-+•·*–—_¬~▪●○◦»→](?:\s|$)|\(\d+\)|[a-zđ]\))")
_SENTENCE_BREAK = re.compile(rf"[.;!?]\s+[{UPPER}]")
_COLON_CLAUSE = re.compile(rf":\s*[{UPPER}\"“]")
# the type and issuer part of a symbol whose number ended the line before: "CT/TW", "KH/ĐU", "QĐi/TU"
_SYMBOL_REST = re.compile(rf"[{UPPER}][{UPPER}{LOWER}]{{0,7}}\s*/\s*[{UPPER}\d]")


@dataclass
class Candidate:
    line: Line
    style: str
    rank: float
    number: str
    title: str
    title_start: int


# the numbered styles open with one class each (the letters of _STYLES' patterns): a line is tried,
# in _STYLES' order, only against those its first character can open and against the styles led by
# a keyword (any letter: the words are data); a digit opens only an arabic number
_STYLE_OPENERS = {"upper": "ABCDEFGHJKLMNOPQRSTUWYZ", "roman": ROMAN_CHARS.replace("C", ""),
                  "letter": "abcdefghijklmnopqrstuvwxyzđ", "arabic": ""}
_STYLES_AT = {ch: [s for s in _STYLES if s[0] not in _STYLE_OPENERS or ch in _STYLE_OPENERS[s[0]]]
              for ch in _STYLE_FIRST}
_STYLES_DIGIT = [s for s in _STYLES if s[0] == "arabic"]


def _candidate(line: Line, settings: SectionSettings) -> Optional[Candidate]:
    text = line.stripped                # white space (tabs too) already stripped off both ends
    # (a tab inside a stripped line leaves a cell on each side of it: a table row)
    if not text or len(text) > settings.max_candidate_chars or "\t" in text:
        return None
    styles = _STYLES_AT.get(text[0])
    if styles is None:
        if not text[0].isdecimal():
            return None                 # bullets, quotes, words opening with a marked capital
        styles = _STYLES_DIGIT
    lead = line.content_span[0] - line.start    # = len(line.text) - len(line.text.lstrip())
    for style, rank, pat in styles:
        m = pat.match(text)
        if not m:
            continue
        num = m.group("num")
        if style == "part":
            num = f"{m.group('kw')} {num}"
            rank = _PART_RANKS[m.group("kw").casefold()]   # Phần > Chương > Mục
        if style == "article":
            num = f"{_ARTICLE} {num}"
        if style == "roman" and not _valid_roman(num):
            continue
        title = m.group("title").strip()
        if style == "arabic" and _wrapped_figure(text, m) or _FILE_NAME.search(text):
            return None
        if style == "arabic":
            num = num.rstrip(".")
            rank += num.count(".")
        return Candidate(line, style, rank, num, title, line.start + lead + m.start("title"))
    return None


def _wrapped_figure(text: str, m: re.Match) -> bool:
    """A line that only starts with a number because a converter wrapped the sentence before it:
    the rest of a document symbol ("36-CT/TW, ngày …", "11-KH/ĐU ngày") or of a figure
    ("55.800.000 đồng", "2.5%")."""
    sep = text[m.end("num"):m.start("title")]
    title = m.group("title")
    if "-" in sep and _SYMBOL_REST.match(title):
        return True
    return sep.strip() in (".", ",") and not sep.endswith(" ") and title[:1].isdigit()


def _valid_roman(s: str) -> bool:
    return bool(_VALID_ROMAN.fullmatch(s)) and s != ""


_VALID_ROMAN = re.compile(r"X{0,3}(IX|IV|V?I{0,3})|L")


def _label(title: str) -> str:
    """Text before the first colon; a trailing colon or stray markup is dropped."""
    head = title.split(":", 1)[0] if ":" in title else title
    return " ".join(head.split()).strip(" *")   # = re.sub(r"\s+", " ", head).strip(" *")


def _is_heading(c: Candidate, nxt: Optional[Line], nxt_candidate: Optional[Candidate],
                settings: SectionSettings, new_paragraph: bool = False) -> bool:
    """`new_paragraph`: the line after the item opens a paragraph of its own (not a wrap of it)."""
    title = c.title.rstrip()
    if c.style == "article" and title and _is_sentence(title, settings.max_run_in_label_words) \
            and not (nxt_candidate is not None and nxt_candidate.style == "arabic"):
        # "Điều 2. Nghị quyết này có hiệu lực thi hành kể từ ngày ký." is a run-in clause (unless its
        # clauses "1.", "2." follow)
        return False
    if c.style in ("part", "roman", "upper", "article"):
        return len(c.title) <= settings.max_heading_chars
    if c.style == "arabic" and "." in c.number:
        # "2.1. Đảng ủy HĐND tỉnh lãnh đạo … ." over several lines is a sentence of content
        if _is_sentence(title, settings.max_paragraph_heading_words) and not new_paragraph \
                and not _heads_block(c, nxt, nxt_candidate):
            return False
        return len(c.title) <= settings.max_heading_chars
    heads_block = _heads_block(c, nxt, nxt_candidate)
    if ":" in title:
        after = title.split(":", 1)[1].strip()
        label = _label(title)
        if after and (_COLON_CLAUSE.search(title) or after[0].isdigit()):
            # "1. Thời gian: Tuần cuối tháng 9" is a topic label with its value; "1. Các đồng chí
            # lãnh đạo Ban: Thường xuyên theo dõi …" gives work to someone: a run-in sentence of content
            return len(label.split()) <= settings.max_topic_label_words and not _names_someone(label)
        if after and after[0].islower() and len(label.split()) <= settings.max_run_in_label_words:
            return True   # "3. Đề xuất, kiến nghị: với …" is a label with a qualifier
    if heads_block:
        return True
    # one sentence over a paragraph of its own ("4. Hoàn thành di dời 01 khu công nghiệp." then
    # the paragraph of how): the item heads that paragraph
    if new_paragraph and not _SENTENCE_BREAK.search(title) and not title.endswith(";") \
            and len(title.split()) <= settings.max_paragraph_heading_words:
        return True
    words = len(title.split())
    if title.endswith((".", ";")) and not title.endswith("..."):
        return False
    if _SENTENCE_BREAK.search(title):
        return False
    return words <= settings.max_label_words


def _heads_block(c: Candidate, nxt: Optional[Line], nxt_candidate: Optional[Candidate]) -> bool:
    """Bullets, its own sub-items ("2." → "2.1.") or lettered items follow the item."""
    return nxt is not None and (
        bool(_BULLET.match(nxt.text))
        or (nxt_candidate is not None and nxt_candidate.rank > c.rank and nxt_candidate.style != "letter"
            and nxt_candidate.number.startswith(c.number + "."))
        or (nxt_candidate is not None and nxt_candidate.style == "letter"))


def _is_sentence(title: str, max_label_words: int) -> bool:
    ends = title.rstrip(" /").endswith((".", ";")) and not title.endswith("...")
    return bool(_SENTENCE_BREAK.search(title)) or (ends and len(title.split()) > max_label_words)


def _names_someone(label: str) -> bool:
    """Does a run-in label open with a body or a person ("Các đồng chí …", "Ban Tuyên giáo …")?"""
    low = label.casefold()
    return any(low == w or low.startswith(w + " ") for w in _actor_words())


@lru_cache(maxsize=1)
def _actor_words() -> tuple[str, ...]:
    u = load_units()
    words = (*u.heads.strong, *u.heads.weak, *u.positions, *u.collective.openers)
    return tuple(sorted({w.casefold() for w in words}, key=len, reverse=True))


def _starts_paragraph(last: Line, nxt: Optional[Line], full_width: int) -> bool:
    """Does `nxt` open a new paragraph after `last` rather than go on with a wrapped line? It does
    after a blank line, when it is indented, when `last` is clearly shorter than a full line or
    ends a sentence."""
    if nxt is None:
        return False
    first = nxt.stripped[:1]
    if not (first.isupper() or first in "\"“"):
        return False
    indent = len(nxt.text) - len(nxt.text.lstrip())
    return nxt.index > last.index + 1 or indent >= 2 or len(last.stripped) < 0.8 * full_width \
        or last.stripped.endswith((".", ":", "!", "?"))


def find_sections(text: str, lines: Sequence[Line], *, skip: Sequence[Span] = (),
                  settings: SectionSettings = SectionSettings(),
                  annexes: Optional[list[tuple[str, Span]]] = None) -> list[Section]:
    """Headings of the body (lines inside `skip` spans — header, tables, signature — are ignored).
    The body ends at the first annex title: what follows belongs to the annex. `annexes`:
    find_annexes(lines, skip=skip) when the caller has them already."""
    if annexes is None:
        annexes = find_annexes(lines, skip=skip)
    body_end = annexes[0][1][0] if annexes else len(text) + 1
    body, skipped = _body_lines(lines, skip, body_end)
    body = _split_glued(body, settings)
    running = _running_lines(body)
    full_width = _wrap_width(body)
    cands = [None if ln.index in running else _candidate(ln, settings) for ln in body]
    _letters_misread(cands)     # first: an "I)" among lettered items is no Roman sibling
    _romans_misread(body, cands)
    _arabics_misread(body, cands)
    items, weak_items = _numbered_items(body, cands, skipped, full_width, settings)
    heads = _fill_gaps(items)
    for k in weak_items:
        if _siblings_say_content(items, heads, k):
            heads[k] = False
    return _section_tree(items, heads)


def _body_lines(lines: Sequence[Line], skip: Sequence[Span], body_end: int) -> tuple[list[Line], list[int]]:
    """The body's non-blank lines before `body_end` outside `skip` (footnotes left out), and the
    indexes of the non-blank lines inside `skip`."""
    in_skip = _starts_inside(lines, skip) if skip else [False] * len(lines)
    body = [ln for ln, skipped_line in zip(lines, in_skip) if not skipped_line and ln.start < body_end
            and not ln.is_blank and not ln.is_footnote]
    skipped = [ln.index for ln, skipped_line in zip(lines, in_skip) if skipped_line and not ln.is_blank]
    return body, skipped


def _numbered_items(body: list[Line], cands: list[Optional[Candidate]], skipped: list[int], full_width: float,
                    settings: SectionSettings) -> tuple[list[tuple[Candidate, Line, bool]], set[int]]:
    """(item, its last line, is a heading) for each numbered item with its title, and the indexes
    of the items accepted as headings only because they read as short labels."""
    items: list[tuple[Candidate, Line, bool]] = []
    weak_items: set[int] = set()
    for i, c in enumerate(cands):
        if c is None or c.style == "letter":
            continue  # lower-case lettered items are list items of content, never sections
        # a heading or item hard-wrapped by the converter goes on in lower case on the next line;
        # a text layer that put one word per line ("1.1." / "Về" / "thực" / "hiện" …) goes on word by word
        cont = (_word_run(body, cands, i) if len(c.title.split()) <= 1 else []) \
            or _continuation(body, cands, i, settings.max_continuation_lines, full_width)
        bare = not c.title and c.style in ("arabic", "roman")
        if bare and not cont and i + 1 < len(body) and cands[i + 1] is None \
                and body[i + 1].index == c.line.index + 1 and not _BULLET.match(body[i + 1].text):
            cont = [body[i + 1]]  # "1." alone, its title on the next line
        if bare and not cont:
            continue
        if cont:
            c.title = " ".join([c.title] + [ln.stripped for ln in cont])
        j = i + len(cont)
        nxt = body[j + 1] if j + 1 < len(body) else None
        nxt_c = cands[j + 1] if j + 1 < len(body) else None
        last = cont[-1] if cont else c.line
        if nxt is not None and _between(skipped, last.index, nxt.index):
            nxt = nxt_c = None  # the recipients list or signature after the last item heads nothing
        new_par = nxt_c is None and _starts_paragraph(last, nxt, full_width)
        # an item that still goes on after the longest wrapped heading is a paragraph of content
        overlong = c.style == "arabic" and ":" not in c.title and len(cont) >= settings.max_continuation_lines and nxt is not None \
            and nxt_c is None and nxt.index == last.index + 1 and nxt.stripped[:1].islower()
        head = not overlong and _is_heading(c, nxt, nxt_c, settings, new_par)
        # accepted only because it reads as a short label: its list may still say it is content
        weak = head and c.style == "arabic" and "." not in c.number and ":" not in c.title \
            and not new_par and not _heads_block(c, nxt, nxt_c)
        items.append((c, last, head))
        weak_items.add(len(items) - 1) if weak else None
    return items, weak_items


def _section_tree(items: list[tuple[Candidate, Line, bool]], heads: list[bool]) -> list[Section]:
    """The headings as sections, each under the last open one of a lower rank."""
    sections: list[Section] = []
    stack: list[tuple[int, Section]] = []   # (rank, section)
    for (c, last, _), is_head in zip(items, heads):
        if not is_head:
            continue
        while stack and stack[-1][0] >= c.rank:
            stack.pop()
        parent = stack[-1][1] if stack else None
        sec = Section(
            id=f"s{len(sections) + 1}", parent=parent.id if parent else None,
            level=(parent.level + 1) if parent else 1, number=c.number, title=_repair_title(_label(c.title)),
            span=(c.line.content_span[0], last.content_span[1]), page=c.line.page)
        sections.append(sec)
        stack.append((c.rank, sec))
    return sections


def _fill_gaps(items: list[tuple[Candidate, Line, bool]]) -> list[bool]:
    """Siblings decide: a plain numbered item between two headings of its own list ("1." and "3."
    are headings, "2." between them reads as a long label) is a heading too, unless it is a
    sentence of content (a full stop inside or at its end). So are the items "1." … "N-1." that
    open the list before its first heading "N." (a scan lost the bullets they head)."""
    heads = [h for _, _, h in items]
    last_head: dict[int, int] = {}   # rank → index in items of the last heading of that rank
    parent = -1                      # index of the last heading, of any rank
    for k, (c, _, h) in enumerate(items):
        if not h:
            continue
        for r in [r for r in last_head if r > c.rank]:
            del last_head[r]   # a higher heading closes the lists below it
        p = last_head.get(c.rank)
        opens = p is None and parent < k - 1 and (parent < 0 or items[parent][0].rank < c.rank)
        if (p is not None and items[p][0].style == "arabic" or opens) and c.style == "arabic" and "." not in c.number:
            lo, hi = (int(items[p][0].number), int(c.number)) if p is not None else (0, int(c.number))
            p = parent if p is None else p
            between = [q for q in range(p + 1, k) if items[q][0].rank == c.rank]
            if hi - lo == len(between) + 1 and [int(items[q][0].number) for q in between] == list(range(lo + 1, hi)) \
                    and all(_label_like(items[q][0].title, run_in=True) for q in between) \
                    and all(items[q][0].rank > c.rank for q in range(p + 1, k) if q not in between):
                for q in between:
                    heads[q] = True
        last_head[c.rank] = k
        parent = k
    return heads


def _siblings_say_content(items: list[tuple[Candidate, Line, bool]], heads: list[bool], k: int) -> bool:
    """A short item that heads nothing, in a list whose other items are mostly sentences of content
    ("1. Tập trung lãnh, chỉ đạo công tác Mừng Đảng" then "2. Rà soát, bổ sung … ." …), is content."""
    rank = items[k][0].rank
    sib = []
    for step in (-1, 1):
        q = k + step
        while 0 <= q < len(items) and items[q][0].rank >= rank:
            if items[q][0].rank == rank:
                sib.append(heads[q])
            q += step
    return len(sib) >= 2 and sum(1 for h in sib if not h) > len(sib) / 2


def _label_like(title: str, run_in: bool = False) -> bool:
    """`run_in`: a run-in item ("1. Tại Hội nghị tháng 3 …: Đánh giá …") is judged by its label,
    unless the label names a body or person it gives work to."""
    if run_in and ":" in title:
        label = _label(title)
        return bool(label) and _label_like(label) and not _names_someone(label)
    t = title.rstrip()
    return not _SENTENCE_BREAK.search(t) and not (t.endswith((".", ";")) and not t.endswith("..."))


def _roman_value(s: str) -> int:
    vals = {"I": 1, "V": 5, "X": 10, "L": 50}
    total = 0
    for a, b in zip(s, s[1:] + " "):
        total += -vals[a] if vals.get(b, 0) > vals[a] else vals[a]
    return total


def _roman(n: int) -> str:
    out = ""
    for value, glyph in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + glyph, n - value
    return out


def _romans_misread(body: Sequence[Line], cands: list) -> None:
    """On scans "I." reads "1." and "III-" reads "HI-": an upper-case heading numbered with such
    glyphs is the Roman number its siblings expect — the one after the previous Roman heading and,
    when there is one, before the next. The glyph alone does not decide."""
    glyphs = load_sections().ocr_roman_glyphs
    romans = [k for k, c in enumerate(cands) if c is not None and c.style == "roman"]
    prev = 0
    for k, ln in enumerate(body):
        c = cands[k]
        if c is not None and c.style == "roman":
            if not _caps_title(c.title) and _arabic_expected(cands, k, _roman_value(c.number)):
                # "1." read as "I.": a sentence-case item before its Arabic sibling "2."
                c.style, c.rank, c.number = "arabic", 3, str(_roman_value(c.number))
                continue
            v, exp = _roman_value(c.number), _roman(prev + 1)
            nxt = next((cands[q] for q in romans if q > k), None)
            after = _roman_value(nxt.number) if nxt is not None else None
            if v in (prev, prev - 1) and exp.startswith(c.number) and exp != c.number:
                # "III" read as "II" (a stroke lost): renumbered when the Roman sibling after it
                # does not show the document really repeats its numbering (a restart at "I" ends
                # the list as the end of the text does)
                if (after in (None, 1) and v == prev) or after == prev + 2:
                    c.number = exp
            elif v == prev + 1 and after == v + 2 and _roman(v + 1) == c.number + "I":
                # "I." "II." "IV.": the one before "IV" is "III" with a stroke lost
                c.number = _roman(v + 1)
            prev = _roman_value(c.number)
            continue
        if c is not None and (c.style != "arabic" or "." in c.number):
            continue
        # (the regex only where the line opens with one of its glyphs)
        m = _OCR_ROMAN.match(ln.stripped) if ln.stripped[:1] in _OCR_ROMAN_GLYPHS and ln.stripped else None
        if not m or not _caps_title(m.group("title")):
            continue
        raw = m.group("num")
        mapped = "".join(glyphs.get(ch, ch) for ch in raw)
        # the reading the sequence expects, if the glyphs allow it ("IL" may be "II" or "I" and a mark)
        num = _roman(prev + 1)
        nxt = next((cands[q] for q in romans if q > k), None)
        # "III" read "II", its dot lost too: a sibling follows, or the read repeats the one before
        lost_stroke = num == mapped + "I" and (nxt is not None or mapped == _roman(prev))
        if num not in {raw, mapped, mapped[:-1]} and not lost_stroke:
            continue
        if (nxt is None and prev == 0) or (nxt is not None and _roman_value(nxt.number) <= prev + 1):
            continue
        lead = len(ln.text) - len(ln.text.lstrip())
        cands[k] = Candidate(ln, "roman", 2, num, m.group("title").strip(), ln.start + lead + m.start("title"))
        prev += 1


@lru_cache(maxsize=1)
def _open_ends() -> frozenset[str]:
    return frozenset(w.casefold() for w in load_sections().open_ends)


def _arabics_misread(body: Sequence[Line], cands: list) -> None:
    """On scans "1." can read "I1." or "l.": a line numbered with such glyphs right before its
    sibling "2." (the first item after a Roman heading, or after "N-1.") is item N."""
    for k, ln in enumerate(body):
        if cands[k] is not None:
            continue
        m = _OCR_ARABIC.match(ln.stripped)
        if not m:
            continue
        nxt = next((c for c in cands[k + 1:] if c is not None and c.style in ("arabic", "roman")
                    and "." not in c.number), None)
        if nxt is None or nxt.style != "arabic":
            continue
        want = str(int(nxt.number) - 1)
        before = next((c for c in reversed(cands[:k]) if c is not None and c.style in ("arabic", "roman")
                       and "." not in c.number), None)
        expected = (before is None or before.style == "roman") and want == "1" \
            or (before is not None and before.style == "arabic" and before.number == str(int(want) - 1))
        mapped = m.group("num").translate(_DIGIT_GLYPHS)
        if expected and want in mapped and m.group("num") != want:
            lead = len(ln.text) - len(ln.text.lstrip())
            cands[k] = Candidate(ln, "arabic", 3, want, m.group("title").strip(), ln.start + lead + m.start("title"))


def _arabic_expected(cands: list, k: int, value: int) -> bool:
    """Is the next plain Arabic item after position k numbered value + 1, with no Roman heading
    between (and the one before, if any, value - 1)?"""
    nxt = next((c for c in cands[k + 1:] if c is not None and c.style in ("arabic", "roman")
                and "." not in c.number), None)
    if nxt is None or nxt.style != "arabic" or nxt.number != str(value + 1):
        return False
    before = next((c for c in reversed(cands[:k]) if c is not None and c.style in ("arabic", "roman")
                   and "." not in c.number), None)
    return value == 1 or (before is not None and before.style == "arabic" and before.number == str(value - 1))


def _caps_title(title: str) -> bool:
    letters = "".join(filter(str.isalpha, title))     # C loops, not Python ones: asked per line
    return len(letters) >= 3 and all(map(str.isupper, letters))


# a dash between two words spaced on one side only ("kinh tế- xã hội"): a typing or OCR slip
_HALF_SPACED_DASH = re.compile(r"(?<=[^\W\d_])(?:([-–]) |\s([-–]))(?=[^\W\d_])")


def _repair_title(title: str) -> str:
    """OCR confusions that give no Vietnamese word, repaired in the title (sections.yaml); the
    compound dash spaced on both sides, as written ("kinh tế - xã hội")."""
    if "- " in title or " -" in title or "–" in title:
        title = _HALF_SPACED_DASH.sub(lambda m: f" {m.group(1) or m.group(2)} ", title)
    if not _any_title_repair().search(title):
        return title     # most titles: none of the patterns below matches, one scan says so
    for pat, right in _title_repairs():
        title = pat.sub(lambda m: _same_case(m.group(0), right), title)
    return title


@lru_cache(maxsize=1)
def _title_repairs() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(rf"(?<!\w){re.escape(wrong)}(?!\w)", re.I), right)
                 for wrong, right in load_sections().ocr_title_repairs.items())


@lru_cache(maxsize=1)
def _any_title_repair() -> re.Pattern:
    """Matches where any one of _title_repairs() does. Grouped by first letter with the
    look-behind after it (as deadlines._at_word_start), so the engine skips to those letters."""
    wrongs = list(load_sections().ocr_title_repairs)
    # compiled without re.I where the words allow (ci_word_start): a case-insensitive first letter
    # makes the engine try every position of the title
    fast = ci_word_start([re.escape(w) for w in wrongs], r"\w")
    if fast:
        return re.compile(rf"{fast}(?!\w)")
    groups: dict[str, list[str]] = {}
    for wrong in wrongs:
        groups.setdefault(wrong[:1], []).append(re.escape(wrong[1:]))
    return re.compile("|".join(rf"{re.escape(c)}(?<!\w[\s\S])(?:{'|'.join(rest)})(?!\w)"
                               for c, rest in groups.items()) or r"(?!)", re.I)


def _same_case(read: str, right: str) -> str:
    if read.isupper():
        return right.upper()
    return right[:1].upper() + right[1:] if read[:1].isupper() else right


def _letters_misread(cands: list) -> None:
    """On scans "a)" can read "8)", "đ)" "D)" and "l)" "I)": such an item next to lettered items is
    one of them."""
    seq = [c for c in cands if c is not None]
    for k, c in enumerate(seq):
        if (c.style in ("arabic", "upper") or c.style == "roman" and len(c.number) == 1) \
                and c.line.stripped[len(c.number):].lstrip().startswith(")") and any(
                0 <= n < len(seq) and seq[n].style == "letter" for n in (k - 1, k + 1)):
            c.style, c.rank = "letter", 8


def _wrap_width(body: Sequence[Line]) -> float:
    """The width at which the converter wrapped lines: the median length of prose lines (30+
    characters, not table cell fragments) that go on in lower case on the next line; inf when the
    text is not hard-wrapped."""
    wrapped = sorted(len(a.stripped) for a, b in zip(body, body[1:])
                     if b.index == a.index + 1 and b.stripped[:1].islower() and len(a.stripped) >= 30)
    return wrapped[len(wrapped) // 2] if len(wrapped) >= 5 else float("inf")


def find_annexes(lines: Sequence[Line], *, skip: Sequence[Span] = ()) -> list[tuple[str, Span]]:
    """(label, span) of each annex: from its title line ("PHỤ LỤC 2", "Phụ lục I: DANH MỤC …")
    to the next annex title or the end of the text."""
    starts = []
    for ln in lines:
        if "ph" not in ln.stripped[:3].lower() or inside(ln.start, skip):   # cheap test before the regexes
            continue
        t = ln.stripped
        m = _ANNEX.match(t) or (_ANNEX_CAPS.match(t) if t == t.upper() else None)
        if m:
            starts.append((re.sub(r"\s+", " ", m.group("label")), ln.content_span[0]))
    end = lines[-1].end if lines else 0
    return [(label, (start, starts[k + 1][1] if k + 1 < len(starts) else end))
            for k, (label, start) in enumerate(starts)]


def _split_glued(body: list[Line], settings: SectionSettings) -> list[Line]:
    """A text layer that reflows lines into paragraphs glues a heading to the end of the paragraph
    before it ("… (tháng 5). 3.4. Tham gia các cuộc thi", "… theo quy định. 5. Sở Khoa học và Công
    nghệ"): a short numbered tail after a sentence end, at the end of the line, is a line of its own."""
    out: list[Line] = []
    for ln in body:
        # not inside table rows; the title runs to the line's end and holds no stop, so a line that
        # ends with one holds no match (most lines of prose)
        m = None if "\t" in ln.text or " | " in ln.text or ln.text.endswith((".", ";", ":", "!", "?")) \
            else _GLUED.search(ln.text)
        title = m and m.group("title").rstrip()
        if m and len(title.split()) <= settings.max_label_words and not _SENTENCE_BREAK.search(title) \
                and not title.endswith((".", ";", ",")):
            cut = m.start("item")
            out.append(Line(ln.index, ln.start, ln.start + cut, ln.text[:cut], ln.page))
            out.append(Line(ln.index, ln.start + cut, ln.end, ln.text[cut:], ln.page))
        else:
            out.append(ln)
    return out


def _running_lines(body: Sequence[Line]) -> set[int]:
    """Indexes of running page headers and footers: a short line that comes back at least three
    times, the same but for a page number at its start or end ("18.CTRTW31.DOC 1", "… 2")."""
    groups: defaultdict[str, list[Line]] = defaultdict(list)    # (no empty list made per line)
    for ln in body:
        t = ln.stripped
        if len(t) <= 80:
            key = _PAGE_NUMBER_ENDS.sub("", t) if t[:1].isdigit() or t[-1:].isdigit() else t
            groups[key.casefold()].append(ln)
    out: set[int] = set()
    for key, lns in groups.items():
        if key and len(lns) >= 3 and (len({ln.stripped for ln in lns}) >= 2 or len({ln.page for ln in lns}) >= 3):
            out.update(ln.index for ln in lns)
    return out


def _word_run(body: Sequence[Line], cands: list, i: int) -> list[Line]:
    """The lines of one or two words that follow a bare number, up to the paragraph it heads."""
    out: list[Line] = []
    prev = body[i]
    for k in range(i + 1, len(body)):
        ln = body[k]
        if ln.index != prev.index + 1 or cands[k] is not None or len(ln.text.split()) > 2 or _BULLET.match(ln.text):
            break
        out.append(ln)
        prev = ln
    return out if len(out) >= 2 else []


def _between(indexes: Sequence[int], a: int, b: int) -> bool:
    k = bisect.bisect_right(indexes, a)
    return k < len(indexes) and indexes[k] < b


def _continuation(body: Sequence[Line], cands: list, i: int, max_lines: int,
                  full_width: float = float("inf")) -> list[Line]:
    """The lines the converter wrapped the item onto: they go on in lower case or with a digit, or
    after a full-width line that ends no sentence ("… hội viên và" / "Nhân dân nắm vững …")."""
    out: list[Line] = []
    prev = body[i]
    for k in range(i + 1, min(i + 1 + max_lines, len(body))):
        ln = body[k]
        first = ln.stripped[:1]
        ends = prev.stripped.endswith((".", ":", ";", "!", "?"))
        last_word = prev.stripped.rsplit(None, 1)[-1].casefold() if prev.stripped else ""
        full = (len(prev.stripped) >= 0.9 * full_width and not ends or last_word in _open_ends()) \
            and len(ln.text) - len(ln.text.lstrip()) < 2
        # a page break or a blank line may fall inside the wrapped item; lower case shows it goes on
        unfinished = prev.stripped.endswith((",", "-", "–")) or len(prev.stripped) >= 0.9 * full_width
        gap_ok = ln.index == prev.index + 1 or (ln.index == prev.index + 2 and first.islower() and unfinished)
        # "… kinh tế" / "- xã hội, …": a compound wrapped at its dash, not a bullet
        dash_wrap = bool(_DASH_WRAP.match(ln.text)) and prev.stripped[-1:].isalpha() \
            and len(prev.stripped) >= min(0.9 * full_width, 70)
        if not gap_ok or cands[k] is not None or not (first.islower() or first.isdigit() or full or dash_wrap) \
                or _BULLET.match(ln.text) and not dash_wrap:
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
