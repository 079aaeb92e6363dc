"""Header and signature blocks → Meta (issuer, number, place, date, type, title, signer, recipients).

The header of a Party document is a two-column block: issuing bodies and "Số …" on the
left, the Party's name (or the state motto) and "place, ngày … tháng … năm …" on the
right, then the type word and the title. Conversions lay the columns out one after the
other, side by side on one line (tabs, runs of spaces) or as a markdown table, so the
block is read as *cells*: each line split into its columns, each cell classified on its
own. Vocabulary comes from data/header.yaml, document types from data/doc_types.yaml
(both through vocab.py).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Callable, Optional, Sequence

from .lines import Line
from .model import Meta, Signer, Span
from .patterns import (ARABIC, DASH_CHARS, DAY_WORD, DAY_WORDS, MONTH_WORD, ROMAN, ROMAN_HEADING, TO_HYPHEN, YEAR_WORD,
                       ci_first_letter, phrases_source)
from .settings import MetaSettings
from .textrepair import is_syllable
from .vn import LOWER, UPPER
from .vocab import load_doc_types, load_header, load_sections


# the landmarks of header.yaml: the recipients heading at the foot, the addressee heading under the title
_RECIPIENTS_HEADINGS = load_header().recipients_headings
_ADDRESS_HEADINGS = load_header().address_headings
_ADDRESS_LOWER = tuple(h.lower() for h in _ADDRESS_HEADINGS)
_NUMBER_WORDS = load_header().number_words          # "Số" before the document's own number
_NUMBER_WORD = phrases_source(_NUMBER_WORDS)
_NUMBER_LOWER = tuple(w.lower() for w in _NUMBER_WORDS)
_NUMBER_UPPER = tuple(w.upper() + " " for w in _NUMBER_WORDS)
_SUBJECT_LOWER = tuple(w.lower() for w in load_header().subject_headings)   # "V/v", "Về việc"
_JOINER = load_header().position_joiner             # "kiêm": one signer, two positions
_LANDMARKS = phrases_source(_ADDRESS_HEADINGS + _RECIPIENTS_HEADINGS, gap=" ")   # as printed, one space
# letters of a heading a scan misreads (the footer is often a scan's): "ơ" as "o", "ậ" without a mark
_OCR_MARKS = {"ơ": "ơo", "ậ": "ậâaạ"}


def _ocr_tolerant(phrase: str) -> str:
    return "".join(f"[{_OCR_MARKS[c]}]" if c in _OCR_MARKS else re.escape(c) for c in phrase)


def _ocr_needle(phrase: str) -> tuple[str, ...]:
    """The lower-case readings of `phrase` up to its last misreadable letter: one of them opens
    every match of `_ocr_tolerant(phrase)` (the needles of a substring search)."""
    cut = max((i for i, c in enumerate(phrase) if c in _OCR_MARKS), default=len(phrase))
    out = [""]
    for c in phrase[:cut].lower():
        out = [o + a for o in out for a in _OCR_MARKS.get(c, c)]
    return tuple(out)


def _anchored(p: re.Pattern) -> Callable[[str], Optional[re.Match]]:
    """`p.search`, or `p.match` when every match of p opens at the string's start (p begins with
    "^" outside any alternation, without MULTILINE): a search would try every other position too."""
    from re import _constants as C, _parser
    try:
        first = _parser.parse(p.pattern, p.flags)[0]
    except (IndexError, re.error):
        return p.search
    at_start = first[0] is C.AT and first[1] in (C.AT_BEGINNING, C.AT_BEGINNING_STRING)
    return p.match if at_start and not p.flags & re.MULTILINE else p.search


@lru_cache(maxsize=1)
def vocab() -> dict:
    h, types = load_header(), load_doc_types()
    return {
        "motto": h.motto, "authority_prefixes": h.authority_prefixes, "preamble_openers": h.preamble_openers,
        "symbol_types": types.symbol_types,
        "_stamp": [_anchored(re.compile(p, re.I)) for p in h.stamp_lines],
        "_repairs": [(re.compile(rf"(?<!\w){re.escape(wrong)}(?!\w)"), right) for wrong, right in h.ocr_repairs.items()],
        "_motto": {_fold(m) for m in h.motto},
        "_types": sorted(((_fold(k), v) for k, v in types.type_line_words.items()), key=lambda kv: -len(kv[0])),
        "_positions": {_fold(p) for p in h.positions},
        "_noise": {_fold(n) for n in h.signature_noise},
        "_surnames": sorted({unicodedata.normalize("NFC", n) for n in h.surnames}),
        "_title_authority": tuple(_fold(w) for w in h.title_authority_openers),
        "_motto_openers": tuple(_fold(w) for w in h.motto_openers),
        "_title_subject": tuple(_fold(w) for w in h.title_subject_openers),
    }


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFC", s).translate(TO_HYPHEN)
    # = re.sub(r"\s+", " ", s).strip(" *.:"): the ends' white space goes with the strip anyway
    return " ".join(s.split()).strip(" *.:").casefold()


@dataclass(slots=True, unsafe_hash=True, init=False)
class Cell:
    """Never changed once built (not declared frozen: a frozen dataclass's __init__ is several
    times slower, and every header and footer line is cut into cells)."""
    line: int
    start: int
    end: int
    text: str
    column: int  # character column of the cell inside its line

    def __init__(self, line: int, start: int, end: int, text: str, column: int) -> None:
        self.line, self.start, self.end, self.text, self.column = line, start, end, text, column


_CELL_SPLIT = re.compile(r"\t+|\s*\|\s*| {3,}")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")


def cells_of(line: Line) -> list[Cell]:
    """Split a line into its layout columns (tabs, markdown pipes, 3+ spaces).

    OCR joins the two header columns with a single space ("TỈNH ỦY LÀO CAI ĐẢNG CỘNG SẢN
    VIỆT NAM", "Nơi nhận: T/M BAN THƯỜNG VỤ"), so a cell is also cut before the motto and
    before a signing authority that follows "Nơi nhận:".
    """
    t = line.text
    if _MD_RULE.match(t):
        return []
    if "\t" in t or "|" in t or "   " in t:      # else _CELL_SPLIT has nothing to cut
        segments, pos = [], 0
        for m in _CELL_SPLIT.finditer(t):
            segments.append((pos, m.start()))
            pos = m.end()
        segments.append((pos, len(t)))
    else:
        segments = [(0, len(t))]
    out = []
    for pos, end in segments:
        for a, b in _inner_columns(t, pos, end):
            raw = t[a:b]
            txt = raw.strip()
            if txt:
                lead = len(raw) - len(raw.lstrip())
                s = line.start + a + lead
                out.append(Cell(line.index, s, s + len(txt), txt, a + lead))
    return _rejoin_blank_dates(out) if len(out) > 1 else out


_OPEN_DATE = re.compile(rf"(?:{DAY_WORD}|{MONTH_WORD})\s*$", re.I)
_DATE_GOES_ON = re.compile(rf"(?:{MONTH_WORD}|{YEAR_WORD}|\d)", re.I)


def _rejoin_blank_dates(cells: list[Cell]) -> list[Cell]:
    """"Lào Cai, ngày       tháng 4 năm 2026": the blank left for the day is not a column gap."""
    out: list[Cell] = []
    for c in cells:
        prev = out[-1] if out else None
        if prev and _OPEN_DATE.search(prev.text) and _DATE_GOES_ON.match(c.text):
            out[-1] = Cell(prev.line, prev.start, c.end, f"{prev.text} {c.text}", prev.column)
        else:
            out.append(c)
    return out


def _inner_columns(text: str, a: int, b: int) -> list[tuple[int, int]]:
    if not _may_hold_joined_columns(text, a, b):
        return [(a, b)]
    m = _joined_columns().search(text, a, b)
    if m and m.start() > a and text[a:m.start()].strip():
        return _inner_columns(text, a, m.start()) + _inner_columns(text, m.start(), b)
    m = _motto_phrase().search(text, a, b)
    if m and text[m.end():b].strip():
        return [(a, m.end()), (m.end(), b)]
    return [(a, b)]


def _may_hold_joined_columns(text: str, a: int, b: int) -> bool:
    """False when neither _joined_columns nor _motto_phrase can match in text[a:b]: both need
    a motto there (tested lower-cased, much cheaper than the IGNORECASE regexes; "İ", "ı"
    and "ſ" fold apart from str.lower, so text holding them goes to the regexes) or, for the
    cut after "Nơi nhận:", its colon."""
    seg = text[a:b]
    if ":" in text[max(a - 1, 0):b] or "ı" in seg or "İ" in seg or "ſ" in seg:
        return True
    low = seg.lower()
    return any(m in low for m in _motto_lower())


@lru_cache(maxsize=1)
def _motto_lower() -> tuple[str, ...]:
    return tuple(m.lower() for m in vocab()["motto"])


@lru_cache(maxsize=1)
def _motto_phrase() -> re.Pattern:
    motto = "|".join(re.escape(x) for x in sorted(vocab()["motto"], key=len, reverse=True))
    return re.compile(rf"(?:{motto})(?=\s)", re.I)


@lru_cache(maxsize=1)
def _joined_columns() -> re.Pattern:
    v = vocab()
    motto = "|".join(re.escape(x) for x in sorted(v["motto"], key=len, reverse=True))
    auth = "|".join(re.escape(x) for x in sorted(v["authority_prefixes"], key=len, reverse=True))
    # the authority in capitals as printed ("TM BAN THƯỜNG VỤ", not a recipient "Tm …")
    return re.compile(rf"(?<=\S)\s+(?=(?:{motto})\s*$)|(?:{_AFTER_RECIPIENTS})\s*(?=(?-i:(?:{auth})\.?\s+[{UPPER}]))",
                      re.I)


def _is_upper(s: str) -> bool:
    letters = "".join(filter(str.isalpha, s))      # the letters and their count read in C, not per character
    return bool(letters) and sum(map(str.isupper, letters)) / len(letters) >= 0.85


# ---- header cells -------------------------------------------------------------------

_NUMBER = re.compile(rf"^{_NUMBER_WORD}\s*[:.]?\s*(?P<sym>.*)$", re.I)
_NUMBER_ALONE = re.compile(rf"{_NUMBER_WORD}\s*[:.]?", re.I)
_DATE = re.compile(
    rf"(?:(?P<place>[^,\d]{{2,60}}?)\s*,\s*)?{DAY_WORD}\s*(?P<d>\S{{0,6}}?)\s*{MONTH_WORD}\s*(?P<m>\S{{0,6}}?)\s*[nm]\wm\s*(?P<y>\d{{4}})",
    re.I)
_SYMBOL_OK = re.compile(r"^\d+[A-Za-zĐđ]?\s*[-–/]")
_SYMBOL_GAP = re.compile(rf"\s*([{DASH_CHARS}/])\s*")     # "143 - KH / BTGTU" → "143-KH/BTGTU"


_OCR_ONE = re.compile(r"(?<=\d)[Il](?=\d|\b)|(?<![^\W\d_])[Il](?=\d)|(?<=[A-ZĐ])I(?=\d)")   # OCR "I1-KH", "QHI5": the 1


def parse_number(cell_text: str) -> Optional[str]:
    """"Số 143-KH/BTGTU" → "143-KH/BTGTU"; blank placeholders ("Số KH/HU", "Số [so]-…") → None."""
    m = _NUMBER.match(cell_text.strip())
    if not m:
        return None
    sym = _SYMBOL_GAP.sub(r"\1", m.group("sym").strip().replace("⁄", "/").replace("∕", "/"))
    sym = sym.split()[0].strip(" .;,*") if sym.split() else ""
    sym = _OCR_ONE.sub("1", sym.translate(TO_HYPHEN))
    return sym if _SYMBOL_OK.match(sym) else None


def parse_date(cell_text: str) -> Optional[tuple[Optional[str], str]]:
    """"Mường Tè, ngày tháng 01 năm 2022" → ("Mường Tè", "2022-01")."""
    m = _DATE.search(cell_text)
    if not m:
        return None
    y, mo, d = m.group("y"), _int(m.group("m")), _int(m.group("d"))
    iso = y
    if mo and 1 <= mo <= 12:
        iso += f"-{mo:02d}"
        if d and 1 <= d <= 31:
            iso += f"-{d:02d}"
    # a table rule or markup OCR'd before the place ("| *Hà Nội", "I *Hà Nội") is not the place
    words = (m.group("place") or "").split()
    while len(words) > 1 and len(re.sub(r"\W", "", words[0])) <= 1:
        words.pop(0)
    place = " ".join(words).strip(" *-–|") or None
    return place, iso


_AFTER_DATE_WORD = re.compile(r"[^\W\d_]{2,}")


def place_date(cell_text: str) -> Optional[tuple[Optional[str], str]]:
    """parse_date of a place-date line: the date ends the cell. A sentence that opens with a
    date ("Ngày 25 tháng 3 năm 2026, Bộ Xây dựng ban hành …") is body, not the issue date."""
    m = _DATE.search(cell_text)
    if not m or _AFTER_DATE_WORD.search(re.sub(r"\([^)]*\)", "", cell_text[m.end():])):
        return None
    return parse_date(cell_text)


def _int(s: Optional[str]) -> Optional[int]:
    s = _OCR_ONE.sub("1", (s or "").strip(" .,/"))   # OCR "I1" for 11
    return int(s) if s.isdigit() else None


def _date_after_number(cell_text: str) -> Optional[tuple[Optional[str], str]]:
    m = _NUMBER.match(cell_text.strip())
    if not m or not any(w in cell_text.lower() for w in DAY_WORDS):     # "ngày": a date follows
        return None
    tokens = _SYMBOL_GAP.sub(r"\1", m.group("sym")).split()
    return place_date(" ".join(tokens[1:]))


def type_of_word(text: str) -> Optional[str]:
    f = _fold(text)
    for word, code in vocab()["_types"]:
        if f == word:
            return code
    return None


def type_of_symbol(symbol: Optional[str]) -> Optional[str]:
    if not symbol:
        return None
    parts = re.split(r"[-/]", symbol)
    for p in parts[1:] + parts[:1]:
        code = vocab()["symbol_types"].get(p)
        if code:
            return code
    return None


def _is_motto(text: str) -> bool:
    f = _fold(text)
    return f in vocab()["_motto"] or f.startswith(vocab()["_motto_openers"])


_SEPARATOR = re.compile(rf"[\s*{DASH_CHARS}_=.~]+")


def _is_separator(text: str) -> bool:
    return bool(_SEPARATOR.fullmatch(text))


# ---- result -------------------------------------------------------------------------

@dataclass
class MetaResult:
    meta: Meta
    header_end: int = 0               # offset where the body starts (after the title)
    title_span: Optional[Span] = None
    preamble_span: Optional[Span] = None
    footer_spans: list[Span] = field(default_factory=list)  # recipients and signature: not body
    settings: MetaSettings = field(default_factory=MetaSettings, repr=False)   # what the reading followed


def extract_meta(text: str, lines: Sequence[Line], settings: Optional[MetaSettings] = None) -> MetaResult:
    meta = Meta()
    res = MetaResult(meta, settings=settings or MetaSettings())
    _read_header(lines, res)
    _read_footer(lines, res)
    if meta.doc_type is None:
        meta.doc_type = type_of_symbol(meta.number)
    if meta.doc_type is None and meta.title and re.match(r"^V/v\b", meta.title, re.I):
        meta.doc_type = "cong_van"
    if meta.issued_date is None and meta.number:
        _date_after_own_number(text, res)
    return res


_DMY = re.compile(rf"\s*,?\s*{DAY_WORD}\s+(\d{{1,2}})\s*(?:/|{MONTH_WORD})\s*(\d{{1,2}})\s*(?:/|{YEAR_WORD})\s*(\d{{4}})", re.I)


def _date_after_own_number(text: str, res: MetaResult) -> None:
    """A copy without its header ("Kết luận số 69-KL/TW ngày 11/01/2024 của Bộ Chính trị …")
    still dates itself right after its own number near the top."""
    head = text[:res.header_end + 1500]
    for m in re.finditer(re.escape(res.meta.number), head):
        d = _DMY.match(head, m.end())
        if d:
            day, month, year = (int(x) for x in d.groups())
            if 1 <= month <= 12 and 1 <= day <= 31:
                res.meta.issued_date = f"{year:04d}-{month:02d}-{day:02d}"
                res.meta.spans["issued_date"] = (m.start(), d.end())
            return


_TYPED_NUMBER = re.compile(rf"^(?P<word>[^\d]{{4,30}}?)\s+{_NUMBER_WORD}\s+(?P<sym>\d+\S*)\s*$", re.I)


@dataclass(slots=True)
class _HeaderScan:
    """What the header's lines tell as they are read, top to bottom."""
    meta: Meta
    issuers: list[Cell] = field(default_factory=list)
    type_line: Optional[int] = None       # the line of the type word ("KẾ HOẠCH"): the title follows
    typed_line: Optional[int] = None      # a first line "Kết luận số 69-KL/TW" (type and number)
    issuers_after_number: bool = False
    cut_date: Optional[Cell] = None       # a place-date cell whose year is on the column's next line


def _read_header(lines: Sequence[Line], res: MetaResult) -> None:
    head = [ln for ln in lines[:res.settings.header_scan_lines]]
    st = _HeaderScan(res.meta)
    stamp = _stamp_lines(head)
    st.typed_line = _typed_number_line(head, st.meta)
    for ln in _unwrap_header(head):
        if ln.index in stamp or ln.index == st.typed_line:
            continue
        cells = _header_line_cells(ln, st)
        if cells is None:
            break
        if not cells:
            continue
        if _type_line_at(ln, cells, st):
            break
        if st.cut_date is not None:
            cells = _finish_cut_date(st.cut_date, cells, st.meta)
            st.cut_date = None
        for c in _merge_number_cells(cells):
            _read_header_cell(c, ln, lines, st, res)
    _close_header(lines, res, st)


def _typed_number_line(head: Sequence[Line], meta: Meta) -> Optional[int]:
    """A copy that opens with "Kết luận số 69-KL/TW" above (or instead of) the header block:
    its line, with the type and number read from it."""
    first = next((ln for ln in head if not ln.is_blank), None)
    if first is not None and (m := _TYPED_NUMBER.match(first.stripped)) and type_of_word(m.group("word")):
        meta.doc_type, meta.number = type_of_word(m.group("word")), parse_number(f"{_NUMBER_WORDS[0]} " + m.group("sym"))
        meta.spans["number"] = meta.spans["doc_type"] = first.content_span
        return first.index
    return None


def _header_line_cells(ln: Line, st: _HeaderScan) -> Optional[list[Cell]]:
    """The header cells of a line; None where the body starts."""
    if not _is_body(ln):
        return cells_of(ln)
    if st.meta.spans or st.issuers or len(ln.stripped) <= 160:
        return None
    # a converter's note above the document ("[Bản trích chữ tự động …]"), perhaps
    # sharing its line with the first header cells of a layout
    return [c for c in cells_of(ln) if len(c.text) <= 160 and not c.text.startswith("[")]


def _type_line_at(ln: Line, cells: list[Cell], st: _HeaderScan) -> bool:
    """A line that is the type word alone ends the header block (the title follows)."""
    if len(cells) != 1:
        return False
    meta = st.meta
    code = type_of_word(cells[0].text)
    if not code and "issued_date" in meta.spans:
        # state style "QUYẾT ĐỊNH CHẤP THUẬN …": the type word and an upper-case title on one line
        code = _type_with_title(cells[0])
    if not code:
        return False
    meta.doc_type, st.type_line = code, ln.index
    meta.spans["doc_type"] = (cells[0].start, cells[0].end)
    return True


def _read_header_cell(c: Cell, ln: Line, lines: Sequence[Line], st: _HeaderScan, res: MetaResult) -> None:
    """One cell of the header block: the number, the place and date, a "V/v" title or an issuer line."""
    meta, issuers = st.meta, st.issuers
    if "issued_date" not in meta.spans and _DATE_CUT.search(c.text) and not _DATE.search(c.text):
        st.cut_date = c   # "Hà Nội, ngày 01 tháng 11 năm" with the year in the column's next line
    if _is_motto(c.text) or _is_separator(c.text):
        return
    if c.text.startswith(_NUMBER_UPPER) and issuers and _ends_with_type_word(issuers[-1].text):
        issuers.append(c)  # "ĐOÀN KIỂM TRA THEO QUYẾT ĐỊNH / SỐ 1050/QĐ-SCT" names the issuer
        return
    if _NUMBER.match(c.text):
        if meta.number is None and "number" not in meta.spans:
            meta.number = parse_number(c.text)
            meta.spans["number"] = (c.start, c.end)
        if (pd := _date_after_number(c.text)) and "issued_date" not in meta.spans:
            meta.place, meta.issued_date = pd
            meta.spans["issued_date"] = (c.start, c.end)
        return
    if (pd := place_date(c.text)) and "issued_date" not in meta.spans:
        meta.place, meta.issued_date = pd
        meta.spans["issued_date"] = (c.start, c.end)
        return
    if c.text.lower().startswith(_SUBJECT_LOWER) and meta.title is None:
        parts = _title_continues(lines, ln.index, c)
        meta.title = re.sub(r"\s+", " ", " ".join(p.text for p in parts))
        meta.spans["title"] = res.title_span = (c.start, parts[-1].end)
        return
    if _is_upper(c.text) and len(c.text) <= 80:
        if not issuers_closed(meta):
            issuers.append(c)
        elif not issuers or st.issuers_after_number:
            # a layout that printed "Số …" and the date first names its issuer after them
            issuers.append(c)
            st.issuers_after_number = True


def _close_header(lines: Sequence[Line], res: MetaResult, st: _HeaderScan) -> None:
    """After the header block: the title under the type word, what a late header line still
    tells, the issuer, where the body starts and its preamble."""
    meta, issuers, type_line = st.meta, st.issuers, st.type_line
    if type_line is None and st.typed_line is not None and res.title_span is None:
        type_line = st.typed_line
    if type_line is None and not meta.spans:
        return  # no header at all
    if type_line is not None:
        _read_title(lines, type_line, res)
        if meta.number is None or meta.issued_date is None:
            _read_late_header(lines, res, issuers)
    meta.issuer = _issuer_lines(issuers)
    if issuers:
        meta.spans["issuer"] = (issuers[0].start, issuers[-1].end)
    if type_line is not None:
        pass
    elif res.title_span:
        res.header_end = res.title_span[1]
    else:
        last = max(s[1] for s in meta.spans.values())
        res.header_end = last
    _read_preamble(lines, res)


_DATE_CUT = re.compile(rf",\s*{DAY_WORD}\s*\S{{0,6}}\s*(?:{MONTH_WORD}\s*\S{{0,6}}\s*)?(?:{YEAR_WORD}\s*)?$", re.I)
_DATE_REST = re.compile(rf"^\s*(?:{MONTH_WORD}|{YEAR_WORD}|\d)", re.I)


def _finish_cut_date(cut: Cell, cells: list[Cell], meta: Meta) -> list[Cell]:
    """The cells of the line after a place-date cell cut before its year: the one under it that
    holds the rest completes the date (and is consumed)."""
    for k, d in enumerate(cells):
        if abs(d.column - cut.column) <= 25 and _DATE_REST.match(d.text.lstrip("*_ ")):
            text = f"{cut.text} {d.text.strip('*_ ')}"
            if (pd := _date_after_number(text) if _NUMBER.match(cut.text) else place_date(text)) is not None:
                meta.place, meta.issued_date = pd
                meta.spans["issued_date"] = (cut.start, d.end)
                return cells[:k] + cells[k + 1:]
    return cells


def _unwrap_header(head: Sequence[Line]) -> list[Line]:
    """Header lines with a motto or a place-date line that a narrow PDF or DOCX column wrapped
    ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ / HỘI CHỦ NGHĨA VIỆT NAM", "Lào Cai, ngày 26 / tháng 3 năm
    2026") joined back: the two lines become one whose newline reads as a space, so the
    offsets of its cells stay those of the text."""
    out: list[Line] = []
    i = 0
    while i < len(head):
        a = head[i]
        b = head[i + 1] if i + 1 < len(head) else None
        if b is not None and b.start == a.end + 1 and not a.is_blank and not b.is_blank and _wrapped(a.text, b.text):
            out.append(Line(a.index, a.start, b.end, f"{a.text} {b.text}", a.page))
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def _wrapped(a: str, b: str) -> bool:
    if _DATE_CUT.search(a) and not _DATE.search(a) and _DATE_REST.match(b):
        return True
    low = a.lower()
    if not any(w in low for w in _motto_first_words()):
        return False   # no motto starts on line a (a cheap test before the IGNORECASE search)
    joined = f"{a.rstrip()} {b.lstrip()}"
    cut = len(a.rstrip())
    return any(m.start() < cut < m.end() for m in _motto_anywhere().finditer(joined))


@lru_cache(maxsize=1)
def _motto_first_words() -> frozenset[str]:
    return frozenset(m.split()[0].lower() for m in vocab()["motto"])


@lru_cache(maxsize=1)
def _motto_anywhere() -> re.Pattern:
    alts = [re.escape(x) for x in sorted(vocab()["motto"], key=len, reverse=True)]
    # spelled by first letter, not with re.I, where the words allow: the same matches, and the
    # search skips to the letters a motto opens with
    fast = ci_first_letter(alts)
    return re.compile(fast) if fast else re.compile(rf"(?:{'|'.join(alts)})", re.I)


_PLACE_DATE_LIKE = re.compile(rf"^[^,\d]{{2,30}},\s*{DAY_WORD}", re.I)   # also when OCR garbled the rest


def _title_continues(lines: Sequence[Line], index: int, cell: Cell) -> list[Cell]:
    """The cells of a "V/v …" title: its own and those it wraps onto in its column, also past
    one blank line when only that paragraph stands between it and "Kính gửi" (a scan or a
    PDF layout that spaced the wrapped line)."""
    out = [cell]
    i, n, blank = index + 1, min(len(lines), index + 8), 0
    while i < n:
        ln = lines[i]
        i += 1
        cells = cells_of(ln)
        if not cells and blank == 0 and _paragraph_before_salutation(lines, i):
            blank = 1
            continue
        # "số 104-CTr/TU ngày …" in lower case continues the subject; the header's "Số …" is capitalised
        number_line = _NUMBER.match(ln.stripped) and not ln.stripped[:1].islower()
        if not cells or len(cells) > 1 or number_line or _PLACE_DATE_LIKE.match(ln.stripped) \
                or _is_motto(ln.stripped) or _RECIPIENTS.match(ln.stripped) or abs(cells[0].column - cell.column) > 8:
            break
        out.append(cells[0])
    return out


def _paragraph_before_salutation(lines: Sequence[Line], i: int) -> bool:
    """lines[i:] hold (after blanks) a short paragraph, then (after blanks) "Kính gửi"."""
    while i < len(lines) and lines[i].is_blank:
        i += 1
    k = 0
    while i < len(lines) and not lines[i].is_blank:
        if len(lines[i].stripped) > 80 or k >= 3 or _RECIPIENTS.match(lines[i].stripped) \
                or lines[i].stripped.endswith((".", ";", ":")):
            return False
        i, k = i + 1, k + 1
    while i < len(lines) and lines[i].is_blank:
        i += 1
    return k > 0 and i < len(lines) and lines[i].stripped.lower().startswith(_ADDRESS_LOWER)


def _merge_number_cells(cells: list[Cell]) -> list[Cell]:
    """"Số:" and its symbol in two cells ("Số:\t/UBND-XD") are one cell."""
    out: list[Cell] = []
    for c in cells:
        prev = out[-1] if out else None
        if prev and _NUMBER_ALONE.fullmatch(prev.text) and " " not in c.text and re.match(r"[\d/\-]", c.text):
            out[-1] = Cell(prev.line, prev.start, c.end, f"{prev.text} {c.text}", prev.column)
        else:
            out.append(c)
    return out


def _ends_with_type_word(text: str) -> bool:
    f = _fold(text)
    return any(f.endswith(" " + w) or f == w for w, _ in vocab()["_types"])


def _type_with_title(cell: Cell) -> Optional[str]:
    f = _fold(cell.text)
    for word, code in vocab()["_types"]:
        if f.startswith(word + " ") and _is_upper(cell.text) and len(cell.text) <= 200:
            return code
    return None


def _is_body(ln: Line) -> bool:
    t = ln.stripped
    if t.lower().startswith(_SUBJECT_LOWER + _NUMBER_LOWER):
        return False  # header cells that may run long
    return len(t) > 160 or bool(_HEADING.match(ln.text)) or t.startswith(tuple(vocab()["preamble_openers"]))


def _stamp_lines(head: Sequence[Line]) -> set[int]:
    pats = vocab()["_stamp"]
    out: set[int] = set()
    for i, ln in enumerate(head):
        if any(find(ln.stripped) for find in pats):
            out.add(ln.index)
            # the signer's name lines printed right above the timestamp
            for prev in head[max(i - 2, 0):i]:
                if _is_upper(prev.stripped) and not _is_motto(prev.stripped):
                    out.add(prev.index)
    return out


def _read_late_header(lines: Sequence[Line], res: MetaResult, issuers: list[Cell]) -> None:
    """Header cells printed *after* the title (some conversions put the type and title first)."""
    meta = res.meta
    start = next((i for i, ln in enumerate(lines) if ln.start >= res.header_end), len(lines))
    found: dict = {}
    late_issuers: list[Cell] = []
    end = res.header_end
    for ln in lines[start:start + 15]:
        if _is_body(ln):
            break
        for c in cells_of(ln):
            if _is_motto(c.text) or _is_separator(c.text):
                continue
            if _NUMBER.match(c.text) and meta.number is None and "number" not in found:
                found["number"] = (parse_number(c.text), (c.start, c.end))
            elif (pd := place_date(c.text)) and meta.issued_date is None and "date" not in found:
                found["date"] = (pd, (c.start, c.end))
            elif _is_upper(c.text) and len(c.text) <= 120:
                late_issuers.append(c)
            end = max(end, ln.end)
    if not found:
        return  # upper-case lines after the title are headings, not a header block
    if "number" in found:
        meta.number, meta.spans["number"] = found["number"]
    if "date" in found:
        (meta.place, meta.issued_date), meta.spans["issued_date"] = found["date"]
    issuers.extend(late_issuers)
    res.header_end = end


def issuers_closed(meta: Meta) -> bool:
    # issuing bodies stand above "Số …"/the date; an upper-case line after both is a heading
    return "number" in meta.spans and "issued_date" in meta.spans


def _issuer_lines(cells: list[Cell]) -> list[str]:
    if not cells:
        return []
    # in a side-by-side layout the issuer is the left column
    left = min(c.column for c in cells)
    out: list[str] = []
    for c in cells:
        if c.column > left + 8:
            continue
        name = _repair_ocr(re.sub(r"\s+", " ", c.text.strip("* ")))
        if sum(ch.isalpha() for ch in name) < 2:
            continue    # no body is named by one letter: a seal's or a speck's glyph that OCR read ("F")
        if name not in out:
            out.append(name)
    return out


def _repair_ocr(text: str) -> str:
    for wrong, right in vocab()["_repairs"]:
        text = wrong.sub(right, text)
    return text


_TITLE_STOP = re.compile(rf"^\s*(?:{ROMAN_HEADING}|(?-i:[A-Z]\s*[-.]\s+[{UPPER}]{{2}})|\d{{1,2}}\s*[.)]\s|{_LANDMARKS}|-{{3,}}|_{{3,}}|\()", re.I)


def _read_title(lines: Sequence[Line], type_line: int, res: MetaResult) -> None:
    meta = res.meta
    first = lines[type_line]
    para: list[Line] = []
    if type_of_word(first.stripped) is None and _type_with_title(Cell(first.index, *first.content_span, first.stripped, 0)):
        # keep the title words after the type word on the same line
        word_len = next(len(w) for w, _ in vocab()["_types"] if _fold(first.stripped).startswith(w + " "))
        a = first.content_span[0] + word_len + 1
        para.append(Line(first.index, a, first.content_span[1], first.text[a - first.start:first.content_span[1] - first.start],
                         first.page))
    i = type_line + 1
    while not para and i < len(lines) and (lines[i].is_blank or _is_separator(lines[i].stripped)):
        i += 1
    while i < len(lines) and not lines[i].is_blank and not _TITLE_STOP.match(lines[i].text):
        if _is_separator(lines[i].stripped) or (para and len(lines[i].stripped) > res.settings.title_line_max):
            break   # a body paragraph that OCR or a converter left without a blank line before it
        if para and _is_upper(lines[i].stripped) and not any(_is_upper(ln.stripped) for ln in para):
            break   # a capitals line after a title in sentence case: the enacting body ("CHÍNH PHỦ")
        para.append(lines[i])
        i += 1
    para = _subject_after_authority(lines, para, i)
    joined = _one_quote_style(_OCR_JUNK_START.sub("", " ".join(ln.stripped for ln in para)))
    if para and not joined.endswith(":") and len(joined) <= 600 and not joined.startswith("("):
        meta.title = joined
        res.title_span = (para[0].content_span[0], para[-1].content_span[1])
        meta.spans["title"] = res.title_span
        res.header_end = res.title_span[1]
    else:
        res.header_end = lines[type_line].end


# OCR of a stamp or a smudge before the title's first word ("‡#HHt Triển khai …"): tokens
# holding a symbol no title starts with
_OCR_JUNK_START = re.compile(r"^(?:\S*[‡†#¬@$%^~|<>{}\\]\S*\s+)+")


def _one_quote_style(text: str) -> str:
    """A title opened with a straight quote and closed with a curly one (OCR reads the closing
    glyph as ”) is given the straight one throughout, as printed."""
    if text.count('"') % 2 == 1 and text.count("”") == 1 and "“" not in text and text.find('"') < text.find("”"):
        return text.replace("”", '"')
    return text


def _opens_with(text: str, words: tuple[str, ...]) -> bool:
    f = _fold(text)
    return any(f == w or f.startswith(w + " ") for w in words)


def _subject_after_authority(lines: Sequence[Line], para: list[Line], i: int) -> list[Line]:
    """The title lines without a leading authority or conference line ("CỦA BỘ CHÍNH TRỊ",
    "HỘI NGHỊ LẦN THỨ SÁU …"): the subject starts at the first line opening with "về", "V/v" …,
    else on the line after it, else in the next paragraph; with no subject, the authority
    line is the title. i is the index of the line after para."""
    v = vocab()
    if not para or not _opens_with(para[0].stripped, v["_title_authority"]):
        return para
    for j in range(1, len(para)):
        if _opens_with(para[j].stripped, v["_title_subject"]):
            return para[j:]
    if len(para) > 1:
        return para[1:]
    while i < len(lines) and lines[i].is_blank:
        i += 1
    nxt: list[Line] = []
    while i < len(lines) and not lines[i].is_blank and not _TITLE_STOP.match(lines[i].text) \
            and not _is_separator(lines[i].stripped):
        nxt.append(lines[i])
        i += 1
    joined = " ".join(ln.stripped for ln in nxt)
    if nxt and len(joined) <= 600 and (_opens_with(joined, v["_title_subject"]) or _is_upper(joined)):
        return nxt
    return para


# Unlike a Roman one, an Arabic heading number takes only "." or ")" here: a line "2 - 3 …" is no heading.
# The part words (sections.yaml: "Phần", "Chương", "Mục") as written or in capitals; the article word.
_PART_WORDS = phrases_source([f for w in load_sections().part_words for f in (w, w.upper())])
_HEADING = re.compile(rf"^\s*(?:{ROMAN_HEADING}|{ARABIC}\s*[.)]|{_PART_WORDS}\s+(?:{ROMAN}|\d+)\b"
                      rf"|{re.escape(load_sections().article_word)}\s+\d)")


def _read_preamble(lines: Sequence[Line], res: MetaResult) -> None:
    """Paragraphs between the title and the first heading that open with "Thực hiện", "Căn cứ" …"""
    openers = tuple(vocab()["preamble_openers"])
    start = end = None
    for ln in lines:
        if ln.start < res.header_end or ln.is_blank:
            continue
        if _HEADING.match(ln.text) or ln.stripped.startswith(_ADDRESS_HEADINGS):
            if _HEADING.match(ln.text):
                break
            continue
        if start is None:
            if not ln.stripped.startswith(openers):
                # a first paragraph that is not a basis statement ends the search
                if ln.start - res.header_end > 2000:
                    break
                continue
            start = ln.content_span[0]
        end = ln.content_span[1]
    if start is not None:
        res.preamble_span = (start, end)


# ---- footer: recipients and signature ---------------------------------------------

_FOOT_HEADINGS = "|".join(map(_ocr_tolerant, _RECIPIENTS_HEADINGS + _ADDRESS_HEADINGS))
_RECIPIENTS = re.compile(rf"^\s*({_FOOT_HEADINGS})\s*:?\s*(.*)$", re.I)
_RECIPIENTS_ANYWHERE = re.compile(_FOOT_HEADINGS, re.I)   # prefilter of _RECIPIENTS
_FOOT_NEEDLES = tuple(n for h in _RECIPIENTS_HEADINGS + _ADDRESS_HEADINGS for n in _ocr_needle(h))
_RECIPIENTS_FIRST = tuple(h.split()[0].lower() for h in _RECIPIENTS_HEADINGS)
_AFTER_RECIPIENTS = "|".join(f"(?<={_ocr_tolerant(h)}:)" for h in _RECIPIENTS_HEADINGS)   # one look-behind each
_NAME = re.compile(rf"^(?:[{UPPER}][{LOWER}]+|[{UPPER}]+)(?:\s+(?:[{UPPER}][{LOWER}]+|[{UPPER}]+)){{1,5}}$")


@lru_cache(maxsize=1)
def _authority_prefix() -> re.Pattern:
    alts = "|".join(re.escape(p.upper()) for p in sorted(vocab()["authority_prefixes"], key=len, reverse=True))
    return re.compile(rf"^(?:{alts})\.?(?=\s|$)")   # "T/M. ĐOÀN KIỂM TRA" too


def _authority(text: str) -> bool:
    t = text.strip("* ").upper()
    return len(t) <= 80 and bool(_authority_prefix().match(t)) and _is_upper(t)


def _position(text: str) -> bool:
    return _fold(text) in vocab()["_positions"]


def _position_like(text: str) -> bool:
    """A position with its body ("BÍ THƯ TỈNH ỦY", "PHÓ CHỦ TỊCH UBND TỈNH") or a compound
    one on one line ("BÍ THƯ kiêm TRƯỞNG BAN CHỈ ĐẠO")."""
    t = text.strip("* ")
    f = _fold(t)            # = _position(t), folded once for both tests
    if f in vocab()["_positions"]:
        return True
    if len(t) > 80 or not _is_upper(t.replace(_JOINER, "")):
        return False
    return bool(_position_start().match(f))


@lru_cache(maxsize=1)
def _position_start() -> re.Pattern:
    alts = "|".join(re.escape(p) for p in sorted(vocab()["_positions"], key=len, reverse=True))
    return re.compile(rf"(?:{alts}) ")


_FLAT_SIGNATURE = re.compile(
    rf"^(?P<upper>[{UPPER}][{UPPER}\s/.,-]+?)\s*(?:[(\[][^)\]]{{0,40}}[)\]]\s*)*"
    rf"(?P<name>[{UPPER}][{LOWER}]+(?:\s+[{UPPER}][{LOWER}]+){{1,5}})"
    rf"(?:\s+[{UPPER}][{UPPER}\s/.,-]*)?$")   # after the name, the signer's other office ("PHÓ GIÁM ĐỐC SỞ …")


def _signature_parts(cell: Cell) -> list[Cell]:
    """A signature block flattened into one cell by a layout table ("T/M BỘ CHÍNH TRỊ (Đã ký)
    Trương Thị Mai", "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC Hoàng Văn Thuân") → its authority, position
    and name as cells of their own (at the cell's column)."""
    if len(cell.text) > 160 or cell.text.upper() == cell.text or cell.text.lower() == cell.text:
        return [cell]   # a flattened block holds capitals and a name in mixed case, on one short line
    t = _clean_marks(cell.text)
    # OCR specks of a table's rules around the block ("|1 T/M BỘ CHÍNH TRỊ … Trương Thị Mai Ì")
    t = re.sub(r"^(?:[^\w\s]?\w?\s+)+|(?:\s+\S)+$", "", t.strip())
    m = _FLAT_SIGNATURE.match(t)
    if not m or not (_authority(m.group("upper")) or _position_like(m.group("upper"))):
        return [cell]
    upper = m.group("upper").strip()
    pieces = [upper]
    if _authority(upper):
        f = _fold(upper)
        # the longest known position the authority line ends with is the position
        tail = max((p for p in vocab()["_positions"] if f.endswith(" " + p)), key=len, default=None)
        if tail is not None:
            cut = len(upper) - len(tail)
            pieces = [upper[:cut].strip(), upper[cut:].strip()]
    pieces.append(m.group("name"))
    out, pos = [], 0
    for p in pieces:
        k = cell.text.find(p, pos)
        if k < 0:
            return [cell]
        out.append(Cell(cell.line, cell.start + k, cell.start + k + len(p), p, cell.column))
        pos = k + len(p)
    return out


_JOINED_TAIL = re.compile(rf"[,;]\s+(?P<tail>[{UPPER}][^,;]{{5,60}})$")


def _joined_tail(text: str) -> Optional[str]:
    """The signature column's line that a text layer joined to a recipient's line with one
    space ("- Lãnh đạo VPUBND tỉnh; Nguyễn Thế Phước" → "Nguyễn Thế Phước")."""
    m = _JOINED_TAIL.search(text.strip())
    return _clean(m.group("tail")) if m else None


def _position_joined_to(text: str, cfg: MetaSettings) -> Optional[str]:
    """"- Các đ/c Ủy viên BTV Tỉnh ủy, PHÓ BÍ THƯ THƯỜNG TRỰC": an upper-case tail after the
    item's comma is the signature column's line; OCR damage in it ("S Í THƯ THƯỜNG TRưÊ") is
    repaired to the nearest known position."""
    m = _JOINED_TAIL.search(text.strip())
    if not m or not _is_upper(m.group("tail")) or len(m.group("tail").split()) < 2:
        return None
    tail = _clean(m.group("tail"))
    if _position(tail):
        return tail
    f = _fold(tail)
    best = max(vocab()["_positions"], key=lambda p: (SequenceMatcher(None, f, p).ratio(), len(p)))
    if SequenceMatcher(None, f, best).ratio() < cfg.joined_position_similarity:
        return None
    return next(p for p in load_header().positions if _fold(p) == best)


def _clean_marks(text: str) -> str:
    return text.replace("*", " ").replace("☐", " ")


class _FooterCells:
    """The body's lines cut into signature cells lazily, each line once: the anchor is looked
    for only around the recipients and from the end up."""
    __slots__ = ("lines", "memo", "cfg")

    def __init__(self, lines: Sequence[Line], cfg: MetaSettings) -> None:
        self.lines, self.memo, self.cfg = lines, {}, cfg

    def at(self, i: int) -> list[Cell]:
        got = self.memo.get(i)
        if got is None:
            got = self.memo[i] = [p for c in cells_of(self.lines[i]) for p in _signature_parts(c)]
        return got

    def window(self, i: int) -> list[tuple[Line, Cell]]:
        """The (line, cell) pairs _signer_from can read from line i on: signer_lookahead lines."""
        out, first, lines, ahead = [], self.lines[i].index, self.lines, self.cfg.signer_lookahead
        for j in range(i, len(lines)):
            if lines[j].index - first > ahead:
                break
            ln = lines[j]
            out.extend((ln, c) for c in self.at(j))
        return out


def _read_footer(lines: Sequence[Line], res: MetaResult) -> None:
    meta = res.meta
    body_lines = [ln for ln in lines if ln.start >= res.header_end]
    rec_line = _read_recipients(body_lines, res)
    # The anchor chosen is the one a scan of every cell of the body would choose (the first
    # near the recipients, else the last one with a signer's name, else the last one), but
    # lines are split into cells lazily: only around the recipients and from the end up.
    fc = _FooterCells(body_lines, res.settings)
    chosen = _anchor_near_recipients(fc, rec_line) if rec_line is not None else None
    if chosen is None:
        chosen = _anchor_from_end(fc)
    if chosen is None:
        if rec_line is not None:
            _name_after_recipients(body_lines, meta, res)
        return
    i, k = chosen
    cells = fc.window(i)
    found = _signer_from(cells, k, res.settings)
    if found is None and rec_line is not None and _name_after_recipients(body_lines, meta, res):
        return
    signer, end = found if found else (Signer(), cells[k][1].end)
    signer.position = _closest_position(signer.position, res.settings)
    signer.name = _known_surname(signer.name)
    meta.signer = signer
    meta.spans["signer"] = (cells[k][1].start, end)
    res.footer_spans.append(meta.spans["signer"])


def _anchor_near_recipients(fc: _FooterCells, rec_line: int) -> Optional[tuple[int, int]]:
    """(body line, cell number in it) of the first authority or position cell near the recipients."""
    for i, ln in enumerate(fc.lines):
        if ln.index < rec_line - 6:
            continue
        if ln.index > rec_line + 60:
            break
        k = next((k for k, c in enumerate(fc.at(i)) if _authority(c.text) or _position_like(c.text)), None)
        if k is not None:
            return i, k
    return None


def _anchor_from_end(fc: _FooterCells) -> Optional[tuple[int, int]]:
    """From the end up, the last authority or position cell a signer's name follows, else the last
    authority or position cell."""
    last = None
    for i in range(len(fc.lines) - 1, -1, -1):
        cs = fc.at(i)
        for k in range(len(cs) - 1, -1, -1):
            if not (_authority(cs[k].text) or _position_like(cs[k].text)):
                continue
            if last is None and (_authority(cs[k].text) or _position(cs[k].text)):
                last = (i, k)   # a bare "CHỦ TỊCH UBND TỈNH …" line may head the body, not sign it
            if _signer_from(fc.window(i), k, fc.cfg) is not None:
                return i, k
    return last


def _name_after_recipients(body_lines: Sequence[Line], meta: Meta, res: MetaResult) -> bool:
    """No authority or position line at all (a stamp or OCR took them): a person's name on
    its own line right after the recipients' list is the signer, with no position."""
    rec_end = meta.spans["recipients"][1]
    seen = 0
    for ln in body_lines:
        if ln.start <= rec_end or ln.is_blank or re.match(r"^\s*[-+•]\s", ln.text):
            continue   # more recipients, past an OCR speck that ended the list early
        seen += 1
        if seen > 4:
            return False
        for c in cells_of(ln):
            t = _clean(c.text)
            if _NAME.match(t) and not _position_like(t) and not _is_upper(t):
                meta.signer = Signer(name=t)
                meta.spans["signer"] = (c.start, c.end)
                res.footer_spans.append(meta.spans["signer"])
                return True
    return False


def _signer_from(cells: list, k: int, cfg: MetaSettings) -> Optional[tuple[Signer, int]]:
    ln0, c0 = cells[k]
    authority = position = None
    joined = False  # the position ended with "kiêm": its second part follows
    if _authority(c0.text):
        authority = _clean(c0.text)
    else:
        position = _clean(c0.text)
    for j in range(k + 1, len(cells)):
        ln, c = cells[j]
        if ln.index - ln0.index > cfg.signer_lookahead:
            break
        # (a block in the right-hand column of a layout whose left column is a list: where the
        # left lines are long, as a scan's layout writes them, the right cells start further on)
        beside = c0.column > 0 and c.column > 0 and ln.text[:c.column].strip()
        if abs(c.column - c0.column) > cfg.signer_column_slack and not beside or re.match(r"^[-+•]\s", c.text):
            tail = _joined_tail(c.text)
            if tail and position is None and _is_upper(tail) and _authority(tail):
                authority = f"{authority} {tail}" if authority else tail   # "- Như Điều 3; KT. CHỦ TỊCH"
            elif position is None and authority and (p := _position_joined_to(c.text, cfg)):
                position = p  # OCR or a PDF text layer joined the position line to a recipient's line
            elif tail and (position or authority) and _NAME.match(tail) and not _position_like(tail):
                return Signer(name=tail, position=position, authority=authority), c.end
            elif (position or authority) and _NAME.match(_clean(c.text)) and not _position_like(c.text) \
                    and not re.match(r"^[-+•]\s", c.text):
                # the name printed below the recipients' column, flush left (the block's
                # column ended with the list): a recipient line is no bare person's name
                t = _clean(c.text)
                return Signer(name=t, position=position, authority=authority), c.end
            continue  # the other column of a side-by-side layout (recipients)
        t = _clean(c.text)
        if len(re.sub(r"\W", "", t)) < 2 or _fold(t) in vocab()["_noise"] or re.fullmatch(r"[(\[].*[)\]]", t):
            continue
        if position is not None and (_fold(t) == _JOINER or _fold(t).startswith(_JOINER + " ")):
            position = f"{position} {t}"   # "BÍ THƯ TỈNH ỦY / kiêm / TRƯỞNG BAN CHỈ ĐẠO" stays whole
            joined = _fold(t) == _JOINER
            continue
        if joined and _is_upper(t):
            position, joined = f"{position} {t}", False
            continue
        if position is None and _authority(t):
            authority = f"{authority} {t}" if authority else t   # "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH"
            continue
        if position is None and (_position_like(t) or _is_upper(t) and (not _NAME.match(t.title())
                                                                        or _closest_position(t, cfg) != t)):
            position = t    # (a garbled position, "PHÓ GIÁM ĐÓC", may read like a name in capitals)
            continue
        if _NAME.match(t) and not _position(t):
            return Signer(name=t, position=position, authority=authority), c.end
        if (position or authority) and _stroke_fragment(t):
            continue    # a signature's strokes read as a scrap of letters ("ƯƠN", "1n") under the position
        if c.column < c0.column and _wrapped_recipient(c.text):
            continue    # a recipient's wrapped line, flush left where the scan lost the block's tab
        break
    return None


# a scrap OCR reads from a signature's strokes: one short token ("ƯƠN", "1n", "2=") or hardly a
# letter ("«c” 7")
_SCRAP = re.compile(r"\S{1,4}")
_LETTER = re.compile(r"[^\W\d_]")
# the tail of a recipient's line wrapped to the next: it opens in lower case or closes as an item
_WRAPPED_RECIPIENT = re.compile(rf"^[{LOWER}].*|.*(?:\)|;|,)$")
_SPECKS = "\"'“”‘’.,:;!?-=_~`^*()[]{}|/\\"


def _known_surname(name: Optional[str]) -> Optional[str]:
    """A name whose first word OCR misread ("Heàng Văn Thuân"): no Vietnamese syllable, and one
    letter from exactly one family name of header.yaml `surnames`, is that family name."""
    first, _, rest = (name or "").partition(" ")
    if not rest or is_syllable(first):
        return name
    folded = first.casefold()
    close = [s for s in vocab()["_surnames"] if len(s) == len(folded)
             and sum(a != b for a, b in zip(s.casefold(), folded)) == 1]
    if len(close) != 1:
        return name
    return f"{close[0].upper() if first.isupper() else close[0]} {rest}"


def _stroke_fragment(text: str) -> bool:
    return bool(_SCRAP.fullmatch(text)) or len(_LETTER.findall(text)) < 2


def _wrapped_recipient(text: str) -> bool:
    return bool(_WRAPPED_RECIPIENT.match(text.strip()))


def _closest_position(text: Optional[str], cfg: MetaSettings) -> Optional[str]:
    """A position line OCR garbled (signature strokes over it: 'Z2 "THỨ TR ỦNG') read as the known
    position (header.yaml `positions`) it is clearly closest to; a known position, one with its body
    ("GIÁM ĐỐC SỞ …") or a line close to none is kept as it is."""
    if text is None or _position_like(text):
        return text
    # tokens with a digit are scraps of the strokes ("Z2"); quotes and dots around a word are specks
    letters = "".join(w for w in (t.strip(_SPECKS) for t in text.split() if not any(c.isdigit() for c in t))
                      if w.isalpha())
    if len(letters) < 4 or not _is_upper(letters):
        return text
    folded = letters.casefold()
    scores = sorted(((SequenceMatcher(None, folded, p.replace(" ", "").casefold(), autojunk=False).ratio(), p)
                     for p in load_header().positions), reverse=True)
    (best, pos), second = scores[0], scores[1][0] if len(scores) > 1 else 0.0
    return pos if best >= cfg.position_min_ratio and best - second >= cfg.position_margin else text


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("☐", " ").replace("*", " ")).strip(" .,;:")


def _recipient_candidates(body_lines: Sequence[Line]) -> list[int]:
    """Positions in body_lines of the lines _RECIPIENTS_ANYWHERE matches in, found with one
    lower-cased substring search over the joined lines (an IGNORECASE regex search line by
    line costs far more). Text holding a character that re.I folds apart from str.lower
    ("İ", "ı") is searched line by line with the regex itself."""
    joined = "\n".join(ln.text for ln in body_lines)
    low = joined.lower()
    if "ı" in joined or "İ" in joined or len(low) != len(joined) or joined.count("\n") >= len(body_lines):
        return [i for i, ln in enumerate(body_lines) if _RECIPIENTS_ANYWHERE.search(ln.text)]
    hits: set[int] = set()
    for needle in _FOOT_NEEDLES:
        k = low.find(needle)
        while k != -1:
            hits.add(low.count("\n", 0, k))
            k = low.find(needle, k + 1)
    return [i for i in sorted(hits) if _RECIPIENTS_ANYWHERE.search(body_lines[i].text)]


def _read_recipients(body_lines: Sequence[Line], res: MetaResult) -> Optional[int]:
    meta = res.meta
    # a first cell that opens with the heading holds it, so only lines that hold it are split
    candidates = _recipient_candidates(body_lines)
    for n, i in enumerate(candidates):
        ln = body_lines[i]
        cells = cells_of(ln)
        if not cells or not (m := _RECIPIENTS.match(cells[0].text)):
            continue
        if m.group(1).lower() in _ADDRESS_LOWER and any(_RECIPIENTS.match(c.text) and c.text.lower().startswith(_RECIPIENTS_FIRST)
                                                    for j in candidates[n + 1:]
                                                    for c in cells_of(body_lines[j])[:1]):
            continue  # "Nơi nhận" further down is the distribution list
        items: list[str] = []
        start = cells[0].start
        end = cells[0].end
        if m.group(2).strip():
            items.append(m.group(2).strip())
        blank_run = 0
        for ln2 in body_lines[i + 1:]:
            c2 = cells_of(ln2)
            if not c2:
                blank_run += 1
                if blank_run > 1 and items:
                    break
                continue
            first = c2[0].text
            if re.match(r"^[-+•·]\s*", first):
                items.append(first)
                end = c2[0].end
                blank_run = 0
                continue
            if items and blank_run == 0 and not _authority(first) and not _position(first) \
                    and first[:1].islower():
                items[-1] += " " + first  # an item wrapped over two lines
                end = c2[0].end
                continue
            break
        # a layout cell holds the whole list on one line: "- A; - B; - Lưu: VT."
        items = [part for x in items for part in _ITEM_SPLIT.split(x)]
        meta.recipients = [r for r in (_recipient(x, res.settings) for x in items) if r]
        meta.spans["recipients"] = (start, end)
        res.footer_spans.append((start, end))
        return ln.index
    return None


_ITEM_SPLIT = re.compile(r"(?<=[;,.])\s+(?=[-+•·]\s)")


def _recipient(item: str, cfg: MetaSettings) -> str:
    item = re.sub(r"^[-+•·]\s*", "", item)
    tail = _joined_tail(item)
    if tail and (_is_upper(tail) and _authority(tail) or _position_like(tail) or _NAME.match(tail)
                 or _position_joined_to(item, cfg)):
        item = item[:item.rstrip().rfind(tail[:3])]   # the signature column's line, joined on by the text layer
    return re.sub(r"\s+", " ", item).strip(" ,;.")
