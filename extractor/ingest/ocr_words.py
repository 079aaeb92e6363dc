"""OCR words → text: words into table cells (`assign`), then a page's lines and table rows
(`compose`).

A table becomes one tab-separated line per row (a cell's wrapped lines joined with spaces, the
Stt column's misreadings repaired: `_numeral`, `_number_column`); other words become lines
(Tesseract's lines, joined across its blocks when side by side on one baseline: header cells),
a wide gap → tab; tables and lines interleave by position.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from .grid import Grid, cell_text, drop_page_number
from .monospace import typed_line  # shared with the PDF reader
from ..patterns import LINE_ITEM_OPENER, ROMAN_EXACT
from ..textrepair import is_syllable
from ..vn import strip_marks
from ..vocab import load_sections


@dataclass
class Word:
    """A word as Tesseract read it: its box (page pixels) and Tesseract's block/paragraph/line."""
    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    block: int
    par: int
    line: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height


# A word Tesseract was unsure of (confidence below _UNSURE) is read as the page's confident reading
# (_SURE) of the same spot in the same phrase: between the same two words, one letter apart, and of
# the same printed width ("quý II," at 12 % where "quý III," of the same 57 px reads at 86 % twice below:
# a stroke of the numeral was lost). The width is the evidence; different words differ in it.
_UNSURE, _SURE, _SAME_WIDTH = 40.0, 80.0, 0.06


def confirm_unsure(words: list[Word]) -> list[Word]:
    """Words in Tesseract's order, the unsure ones replaced by the confident reading (see above)."""
    between: dict[tuple[str, str], list[Word]] = {}
    for prev, w, nxt in zip(words, words[1:], words[2:]):
        if w.conf >= _SURE:
            between.setdefault((prev.text.casefold(), nxt.text.casefold()), []).append(w)
    out = list(words)
    for i in range(1, len(words) - 1):
        w = words[i]
        if w.conf >= _UNSURE:
            continue
        same = {v.text for v in between.get((words[i - 1].text.casefold(), words[i + 1].text.casefold()), ())
                if v.text != w.text and _one_apart(v.text, w.text)
                and abs(v.width - w.width) <= _SAME_WIDTH * v.width and abs(v.height - w.height) <= 0.2 * v.height}
        if len(same) == 1:
            out[i] = Word(same.pop(), w.left, w.top, w.width, w.height, _SURE, w.block, w.par, w.line)
    return out


# A word still read with less than REREAD_BELOW is read once more alone (`ocr.reread_unsure`): out of
# its line Tesseract often reads a word it garbled on the page ("Nr+KS." → "Đường", "n" → "5,"), but
# it also guesses there without the sentence (the "chi" of "chi bộ" → "chỉ" at 96). So the second
# reading must be sure (_SECOND_SURE), shaped as a word (an attested syllable or a number between
# the usual marks), and either replace a reading Tesseract itself gave up on (below _GARBLED), or
# add the tone marks a reading that is no Vietnamese syllable lost ("Thuy" → "Thuỳ": the same
# letters, much surer); other marks on the letters of a real syllable are never taken, however
# unsure the page was ("ban" → "bạn", "tăng" → "táng": the sentence decides there, not the crop).
# A number where the word before wants one (a month after "tháng") needs less (_NUMBER_SURE): lone
# digits read alone come out less sure. Left as read: a difference in punctuation alone, and a
# Roman numeral ("II." → "HI."; the section sequence repairs numerals).
# On the 21 dev scans, of 1,181 words re-read: 124 replaced by what the text has, 4 by another wrong
# reading, none where the page had read it right, 21 where the text could not be aligned to tell.
REREAD_BELOW, _GARBLED, _SECOND_SURE, _SURER_BY, _NUMBER_SURE = 70.0, 30.0, 85.0, 25.0, 60.0
_WORD_SHAPE = re.compile(r"([(\[“\"']?)(.+?)([.,;:)\]”\"'…/]*)")    # opening mark, core, closing marks
_NUMBER = re.compile(r"\d+(?:[./-]\d+)*")
_ROMAN = re.compile(r"[IVXLĨÌÍ]+")
_WANTS_NUMBER = {"tháng": 12, "ngày": 31}       # the word before → the largest number that can follow


def second_reading(first: Word, text: str, conf: float, before: str = "") -> Optional[str]:
    """The text a word read again alone (`text` at `conf`; `before`: the word before it on its
    line) should have, or None to keep `first`."""
    m, m0 = _WORD_SHAPE.fullmatch(text), _WORD_SHAPE.fullmatch(first.text)
    core, first_core = (m.group(2) if m else ""), (m0.group(2) if m0 else first.text)
    if text == first.text or core == first_core or _ROMAN.fullmatch(first_core):
        return None
    top = _WANTS_NUMBER.get(before.casefold())
    if top and first.conf < _GARBLED and conf >= _NUMBER_SURE and core.isdigit() and 1 <= int(core) <= top:
        return text
    if conf < _SECOND_SURE or not (_NUMBER.fullmatch(core) or len(core) > 1 and is_syllable(core)):
        return None
    marks_only = len(text) == len(first.text) and strip_marks(text) == strip_marks(first.text)
    if marks_only and is_syllable(first_core):
        return None
    if first.conf < _GARBLED or marks_only and conf >= first.conf + _SURER_BY:
        return text
    return None


def _one_apart(a: str, b: str) -> bool:
    """One letter inserted, deleted or replaced (not a digit nor a punctuation mark: all digits
    print equally wide, and so do "." "," ";")."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:] and a[i].isalpha() and b[i].isalpha()
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1:] == shorter[i:] and longer[i].isalpha()


def assign(words: list[Word], tables: list[Grid]) -> tuple[list[dict], list[Word]]:
    """Words (deskewed page coordinates) → per table {anchor cell: words whose centre is in it},
    and the words outside every table."""
    cells: list[dict] = [{} for _ in tables]
    free: list[Word] = []
    for w in words:
        cx, cy = w.left + w.width / 2, w.top + w.height / 2
        for k, g in enumerate(tables):
            cell = g.cell_of(cx, cy)
            if cell is not None:
                cells[k].setdefault(cell, []).append(w)
                break
        else:
            free.append(w)
    return cells, free


def compose(cells: list[dict], free: list[Word], tables: list[Grid], page_height: int,
            page_width: int = 0) -> list[str]:
    """Lines of a page: each table's cells (see `assign`) become its rows (cells joined by tabs, a
    cell's wrapped lines joined by spaces), the free words go through `_rows`; tables and lines
    interleave by their top."""
    rows, mono = _mono_layout(_rows(free))
    items: list[tuple[float, str, object]] = [(top, "line", (text, gap)) for top, text, gap, _ in _join_wrapped(rows, page_width, mono)]
    for g, found in zip(tables, cells):
        rows = []
        for r in range(len(g.ys) - 1):
            row = []
            for c in range(len(g.xs) - 1):
                ws = found.get((r, c)) if g.anchor[r][c] == (r, c) else None
                text = cell_text("\n".join(row[1] for row in _rows(ws, tabs=False))) if ws else ""
                row.append(_numeral(text) if c == 0 else text)
            if any(row):
                rows.append(row)
        for row, first in zip(rows, _number_column([r[0] for r in rows], [any(r[2:]) for r in rows])):
            row[0] = first
        if rows:
            items.append((g.ys[0], "table", rows))
    items.sort(key=lambda it: it[0])
    items = drop_page_number(items, page_height)
    out: list[str] = []
    for _, kind, payload in items:
        if kind == "table":
            if out and out[-1] != "":
                out.append("")                   # a table is a block of its own
            out.extend("\t".join(_comma_between_items(repair(c)) for c in r) for r in payload)
            continue
        text, gap = payload
        if out and out[-1] != "" and (gap or "\t" in out[-1] and "\t" not in text):
            out.append("")
        m = _ROMAN_ONE.match(text)
        out.append(repair(_roman_label(("I." + text[1:] if m and m.group(1).isupper() else text))))
    return out


# a group label "II.5" of a typed face read with look-alikes of its bars ("TT. 5", "T1. 6"): a "T" or
# an "L" never numbers a line, and a capitalised title follows
_ROMAN_LABEL_READ = re.compile(r"^(\s*)([TIl1L|]{2,4})( ?\. ?)(\d{1,2})(?=\s+[^\W\d_])")


def _roman_label(text: str) -> str:
    m = _ROMAN_LABEL_READ.match(text)
    if not m or not set(m.group(2)) & set("TL") or not text[m.end():].lstrip()[:1].isupper():
        return text
    label = "I" * len(m.group(2)) + "." + m.group(4)
    # as long as what it replaces: the columns of a typed row after it stay where they were
    return m.group(1) + label.ljust(m.end() - m.end(1)) + text[m.end():]


# a line opened by a lone "L" and a capitalised word is a heading "I." whose dot the scan lost
# (no Vietnamese word is a lone "L")
_ROMAN_ONE = re.compile(r"L[ \t]+(\w)")


_I_LIKE = str.maketrans("ỊÍÌỈịíìỉ", "IIIIllll")      # a bar with a speck read as an accent
_ROMAN_OR_ONES = re.compile(r"[IlH|!\[\]]{1,4}")


def _numeral(text: str) -> str:
    """The Stt column of a scan: Tesseract's readings of a lone "1" ("l", "|", "]") and of "II" ("H");
    a number read with a letter inside ("I1", "1l") is a number."""
    t = text.strip()
    if not t or len(t) > 6:
        return text
    if t in ("§", "§.", "§)"):          # an "8"; "§" numbers no row
        return t.replace("§", "8")
    t = t.translate(_I_LIKE)
    if any(ch.isdigit() for ch in t) and re.fullmatch(r"[0-9lI|!\[\]]+[.)]?", t):
        return re.sub(r"[lI|!\[\]]", "1", t)
    if _ROMAN_OR_ONES.fullmatch(t):
        if "H" in t:           # serif "II" reads as "H"; "III" as "HH"
            return "III" if t == "HH" else t.replace("H", "II")
        if re.search(r"[l|!\[\]]", t):
            return re.sub(r"[lI|!\[\]]", "1", t)
        return t
    m = _ROMAN_READ.fullmatch(t)
    if m and (set(m.group(1)) & set("VXH") or m.group(1).strip("I") == "" and m.end(2) < len(t)):
        roman = m.group(1).translate(_roman_glyphs())
        if re.fullmatch(ROMAN_EXACT, roman):
            return roman + m.group(2)
    return text


# a group numeral read with look-alikes among its letters ("VH", "VIH": a serif "II" read as "H";
# "VỊ" → "VI" above: a speck on the bar) or a mark after its dot ("I. -", "H._")
_ROMAN_READ = re.compile(r"([IVXHl|!\[\]]{1,5})\s*([.)]?)[\s.\-_–]*")


@lru_cache(maxsize=1)
def _roman_glyphs() -> dict:
    # the glyphs a scan reads for a Roman numeral's strokes, as the section reader knows them
    return str.maketrans(load_sections().ocr_roman_glyphs)


def _number_column(values: list[str], filled: Optional[list[bool]] = None) -> list[str]:
    """The Stt column read in sequence: a lone "I"/"l" just before a "2" is the "1" that starts a
    numbering (the "I" of a group row is followed by its "1"), and a "1" just before a "1" is that
    "I"; a short token without a digit between n and n+2 is n+1 ("t" between 6 and 8); "II" right
    after a 10 is the 11 when a 12 follows or its row fills the cells right of its content (`filled`:
    a group row holds its title only, in a numbering that starts again under it); so are several such
    tokens in a row, between numbers as far apart as they are."""
    out = list(values)
    filled = filled or [False] * len(out)
    num = lambda v: int(v.rstrip(".)")) if v.rstrip(".)").isdigit() else None  # noqa: E731
    for i, v in enumerate(out):
        t = v.strip()
        nxt = next((num(x) for x in out[i + 1:i + 2]), None)
        if num(t) == 1 and nxt == 1:
            out[i] = "I" + t[1:]           # two rows numbered "1": the first is the group "I" above the numbering
            continue
        if not t or any(ch.isdigit() for ch in t) or len(t) > 3:
            continue
        prev = num(out[i - 1]) if i else None
        if t in ("I", "l", "|", "]", "Í", "ì", "í") and nxt == 2 and prev is None:
            out[i] = "1"
        elif prev is not None and nxt == prev + 2 and t.casefold() not in _ROMAN_WORDS:
            out[i] = str(prev + 1)
        elif (prev is not None and set(t) <= set("Il|") and int("1" * len(t)) == prev + 1
              and (nxt == prev + 2 or filled[i])):
            out[i] = str(prev + 1)
    # a run of such tokens between n and n + k + 1, k rows apart ("15", "IR)", "lồ", "17"): n + 1 … n + k
    known = [i for i, v in enumerate(out) if num(v.strip()) is not None]
    for a, b in zip(known, known[1:]):
        n = num(out[a].strip())
        if b - a > 2 and num(out[b].strip()) - n == b - a and all(
                0 < len(out[k].strip()) <= 3 and not any(ch.isdigit() for ch in out[k])
                and out[k].strip().casefold() not in _ROMAN_WORDS for k in range(a + 1, b)):
            out[a + 1:b] = [str(n + k - a) for k in range(a + 1, b)]
    return out


_ROMAN_WORDS = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}

_STT = re.compile(r"^(\d{1,3})([.,)]?)$")
_STT_READ_MAX = 6          # a misread numeral's cell: "2T.", "lão:", "X JÄ", "26. -_"
_SUB_NUMBER = re.compile(r"^\d{1,3}\.\d")


def number_sequence(pages: list[str]) -> list[str]:
    """A document's table rows (tab-separated lines) numbered in sequence across its pages: the Stt
    cells between two numbers as many rows apart as they differ ("51.", "32.", "33.", "34.", "55.":
    a "5" read as "3"), read as a number or as a short misreading, are the numbers between. A page
    sees only its own rows (`_number_column`); a table's numbering runs on over the page breaks,
    where its first and last rows have a neighbour on the next or previous page only. A numbering
    that starts again (under a group row, in the next table) gives no two numbers that agree across
    the restart."""
    rows = [(p, i, ln.split("\t", 1)[0].strip()) for p, text in enumerate(pages)
            for i, ln in enumerate(text.split("\n")) if "\t" in ln]
    runs: list[list[tuple[int, int, str]]] = [[]]
    for row in rows:
        t = row[2]
        if len(t) > _STT_READ_MAX:
            runs.append([])                  # a row of another kind of table, a side-by-side header
        elif t and not t.rstrip(".)").isalpha() and not _SUB_NUMBER.match(t):
            runs[-1].append(row)             # (a header "TT" repeated on each page, a group "II.", an item
                                             # "a)", a sub-item "11.2" neither count nor end the run)
    fixes: dict[tuple[int, int], str] = {}
    for run in runs:
        nums = [(_STT.match(t), k) for k, (_, _, t) in enumerate(run)]
        known = [(k, int(m.group(1)), m.group(2)) for m, k in nums if m]
        for (a, na, dot), (b, nb, _) in zip(known, known[1:]):
            if b - a > 1 and nb - na == b - a:
                for k in range(a + 1, b):
                    fixes[run[k][:2]] = f"{na + k - a}{dot}"
        # misread numbers that look like numbers ("32." for "52.") between two that agree
        for x in range(len(known)):
            for y in range(x + 2, min(len(known), x + 6)):
                (a, na, dot), (b, nb, _) = known[x], known[y]
                if nb - na == b - a and any(n != na + k - a for k, n, _ in known[x + 1:y]):
                    for k in range(a + 1, b):
                        fixes[run[k][:2]] = f"{na + k - a}{dot}"
                    break
    if not fixes:
        return pages
    out = []
    for p, text in enumerate(pages):
        lines = text.split("\n")
        for i, ln in enumerate(lines):
            if (p, i) in fixes:
                lines[i] = fixes[(p, i)] + "\t" + ln.split("\t", 1)[1]
        out.append("\n".join(lines))
    return out


# Tesseract's misreadings of digits where only a number can stand (a month after "tháng", the
# parts of a d/m/y date): "0I", "OI", "Ø1" → "01", "II" → "11" (months are written in Arabic
# digits, Roman numerals number quarters), "Š" → "5"; a two-digit number split by a space
# ("l 1/2023", "30/1 1)") is joined.
_DIGIT_LIKE = str.maketrans({"O": "0", "o": "0", "Ø": "0", "ø": "0", "I": "1", "l": "1", "|": "1", "Š": "5",
                             "Ì": "1", "Í": "1", "ì": "1", "í": "1"})   # a speck on the bar read as an accent
_DTOK = r"[0-9OoØøIl|ŠÌÍìí]{1,2}"
_MONTH_WORD = re.compile(r"(?i)\b(tháng)(\s+)")
_MONTH_TOK = re.compile(rf"({_DTOK})(?![\w])")
_MONTH_NEXT = re.compile(r"(\s*(?:,|và|-)\s*)")
_SPLIT_LEAD = re.compile(r"(?i)\b(tháng|ngày)(\s*)([0-9Il|])\s([0-9])(?=/\d)")   # also "thángl 1/2023"
_SPLIT_TAIL = re.compile(r"(?<=\d/)([0-9Il|])\s([0-9])(?=[)\].,;/]|\s*$)")
_YEAR_NAM = re.compile(r"(?<=\b[Hh]àng )nắm\b|(?<=\b[Hh]ằng )nắm\b|\bnắm(?=\s+(?:19|20)\d\d\b)")  # "năm" read "nắm"
# a slashed zero is no Vietnamese letter: beside a digit it is a "0" ("ngày Ø7", "Ban chỉ đạo Ø7")
_SLASHED_ZERO = re.compile(r"[Øø](?=\d)|(?<=\d)[Øø]")
# "8" read as "§" inside a number ("23§-QĐ/TW") or as an item's number ("§. Tham mưu")
_EIGHT = re.compile(r"(?<=\d)§|§(?=\d)|^§(?=[.)]\s)")
_QUARTER_SLASH = re.compile(r"(?i)\b(quý\s+)(II?)//(?=\d{4}\b)")
# a Roman quarter read with a "1" for one of its bars ("Quý I1/2026", "Quý 11/2026": there is no
# 11th quarter); a year range's second year split by a space ("2025-20 26")
_QUARTER_ONES = re.compile(r"(?i)\b(quý\s+)([Il1|]{2,3})(?=\s*/\s*(?:19|20)\d\d\b)")
_SPLIT_YEAR = re.compile(r"(?<![\d/])((?:19|20)\d\d\s*[-–]\s*)(19|20) (\d\d)(?!\d)")


def _as_digits(tok: str, top: int) -> Optional[str]:
    """A token read for a number 1..top: its digits, or None (a word, out of range, a lone letter)."""
    if tok.isdigit():
        return tok
    if len(tok) == 1 and tok != "Š" or tok in ("Ol", "lO"):   # a lone "I"/"l"/"O" may be a word
        return None
    d = tok.translate(_DIGIT_LIKE)
    return d if d.isdigit() and 1 <= int(d) <= top else None


def date_digits(text: str) -> str:
    """An OCR'd line with the digits of its dates repaired (see `_DIGIT_LIKE`), and "nắm" where
    only "năm" (year) can stand: "hàng nắm", "nắm 2022"."""
    text = _SPLIT_YEAR.sub(r"\1\2\3", _SLASHED_ZERO.sub("0", _EIGHT.sub("8", text)))
    if not re.search(r"(?i)tháng|ngày|quý|nắm|/", text):
        return text
    text = _YEAR_NAM.sub("năm", text)
    text = _SPLIT_LEAD.sub(lambda m: m.group(1) + (m.group(2) or " ") + _join(m.group(3), m.group(4), 31), text)
    text = _SPLIT_TAIL.sub(lambda m: _join(m.group(1), m.group(2), 31), text)
    text = _QUARTER_SLASH.sub(lambda m: m.group(1) + m.group(2) + "I/", text)
    text = _QUARTER_ONES.sub(lambda m: m.group(1) + "I" * len(m.group(2)), text)
    out, pos = [], 0
    for m in _MONTH_WORD.finditer(text):
        if m.start() < pos:
            continue
        out.append(text[pos:m.end()])
        pos = m.end()
        while True:
            t = _MONTH_TOK.match(text, pos)
            d = _as_digits(t.group(1), 12) if t else None
            if d is None:
                break
            out.append(d)
            pos = t.end()
            sep = _MONTH_NEXT.match(text, pos)
            nxt = _MONTH_TOK.match(text, sep.end()) if sep else None
            if not nxt or _as_digits(nxt.group(1), 12) is None:
                break
            out.append(sep.group(1))
            pos = sep.end()
    out.append(text[pos:])
    return "".join(out)


# a comma read as a period: a period right after a word (not an abbreviation's letter "v.v.", not
# an ellipsis) followed by a lower-case word; a sentence of an official text starts upper-case
_LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
_COMMA_READ_AS_PERIOD = re.compile(rf"(?<=[{_LOWER}]{{2}})\.(?= [{_LOWER}])")


# an "i" read upside down: "¡" is no Vietnamese letter ("¡) Tổ đảng …" is the list item "i)")
_INVERTED_I = re.compile(r"(?<!\S)¡(?=[).]\s)")


def repair(text: str) -> str:
    """An OCR'd line (or table cell) with Tesseract's misreadings repaired where the context leaves
    one reading: the digits of dates (`date_digits`), a comma read as a period, an item letter "¡)"."""
    return _INVERTED_I.sub("i", _COMMA_READ_AS_PERIOD.sub(",", date_digits(text)))


# in a table cell, a period between two short items opened by the same word ("Bộ Khoa học và Công
# nghệ. Bộ Thông tin và Truyền thông", "Sở Nội vụ. Sở Tài chính") is a comma of a list of units;
# a sentence ends after more words than a unit's name has
_ITEM_PERIOD = re.compile(r"(?<=\w)\. (?=(\w+)\b)")
_ITEM_MAX_WORDS = 8


# in a cell that separates its items with ";", a ":" between two of them (an item of a few words, then
# a lower-case one: "Sở Khoa học và Công nghệ: các sở, ban, ngành; UBND xã") is a ";" read short
_ITEM_COLON = re.compile(rf"(?<=\w): (?=[{_LOWER}])")


def _semicolon_between_items(cell: str) -> str:
    if ";" not in cell or ":" not in cell:
        return cell
    return _ITEM_COLON.sub(lambda m: "; " if len(re.split(r"[;:]\s", cell[:m.start()])[-1].split()) <= _ITEM_MAX_WORDS
                           else m.group(0), cell)


def _comma_between_items(cell: str) -> str:
    cell = _semicolon_between_items(cell)
    first = cell.split(maxsplit=1)[0] if cell.strip() else ""
    out, pos = [], 0
    for m in _ITEM_PERIOD.finditer(cell):
        item = re.split(r"[,;.]\s", cell[:m.start()])[-1].split()
        if m.group(1)[:1].isupper() and m.group(1) in (first, item[0]) and len(item) <= _ITEM_MAX_WORDS:
            out.append(cell[pos:m.start()] + ",")
            pos = m.start() + 1
    return "".join(out) + cell[pos:]


def _join(a: str, b: str, top: int) -> str:
    """"l" + "1" → "11" when the pair is a number 1..top, else the two as they were."""
    d = (a + b).translate(_DIGIT_LIKE)
    return d if d.isdigit() and 1 <= int(d) <= top else f"{a} {b}"


def layout_lines(words: list[Word], page_width: int = 0) -> list[str]:
    """Words → lines (see `_rows`), a blank line where the vertical gap is wider than the page's
    own line spacing allows (`_blank_above`)."""
    out: list[str] = []
    for _, text, gap, _ in _rows(words):
        if gap and out:
            out.append("")
        out.append(text)
    return out


def _rows(words: Optional[list[Word]], tabs: bool = True) -> list[tuple[float, str, bool, list[Word]]]:
    """Words → [(top, text, blank line above, words)]. Tesseract's own lines are kept (it groups a word
    with its line even when a stray box overlaps a neighbour: "thành ủ ủy"); lines side by side on
    the same baseline are joined across its blocks (its blocks split a side-by-side header or a
    table row into columns, which we want back on one line); order by x; a gap wider than ~2.5
    letter heights becomes a tab."""
    if not words:
        return []
    groups: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        groups.setdefault((w.block, w.par, w.line), []).append(w)
    lines: list[list[Word]] = []
    for g in groups.values():     # a group that is not one line (words without Tesseract's lines) is split
        sub: list[list[Word]] = []
        for w in sorted(g, key=lambda w: w.top + w.height / 2):
            if sub and w.top < max(x.bottom for x in sub[-1]):
                sub[-1].append(w)
            else:
                sub.append([w])
        lines += sub
    lines.sort(key=lambda ln: statistics.median(x.top + x.height / 2 for x in ln))
    rows: list[list[Word]] = []
    for ln in lines:
        mid = statistics.median(x.top + x.height / 2 for x in ln)
        left, right = min(x.left for x in ln), max(x.right for x in ln)
        for row in reversed(rows[-4:]):
            top = statistics.median(x.top for x in row)
            bottom = statistics.median(x.bottom for x in row)
            if top <= mid <= bottom and all(x.right <= left or x.left >= right for x in row):
                row.extend(ln)
                break
        else:
            rows.append(list(ln))
    rows.sort(key=lambda r: statistics.median(x.top for x in r))
    heights = [statistics.median(x.height for x in r) for r in rows]
    h_all = statistics.median(heights)
    tops = [statistics.median(x.top for x in r) for r in rows]
    bottoms = [statistics.median(x.bottom for x in r) for r in rows]
    blanks = _blank_above(tops, bottoms, h_all)
    out: list[tuple[float, str, bool, list[Word]]] = []
    for r, h, top, gap in zip(rows, heights, tops, blanks):
        r.sort(key=lambda x: x.left)
        parts = [r[0].text]
        for a, b in zip(r, r[1:]):
            parts.append("\t" if tabs and b.left - a.right > 2.5 * max(h, h_all * 0.8) else " ")
            parts.append(b.text)
        out.append((top, "".join(parts), gap, r))
    return out


# A blank line is judged against the page's own line spacing (line heights h): the typical gap
# between a line's bottom and the next line's top, and the typical line pitch (top to top, or
# bottom to bottom, whichever is smaller: accents on capitals lift a line's top, descenders lower
# its bottom), each the lower quartile of the page (lines in a paragraph outnumber its breaks).
# A blank line adds about half a line: the gap exceeds the typical one by a quarter of a line and
# the pitch is a fifth longer, or the gap alone by two thirds of a line. A page of a few lines has
# no typical spacing of its own: single-spaced text's is taken (gap 0.55 h, pitch 1.55 h).
_BLANK_MIN_LINES = 8
_GAP_MORE, _PITCH_RATIO, _GAP_ALONE = 0.25, 1.2, 0.65


def _blank_above(tops: list[float], bottoms: list[float], h: float) -> list[bool]:
    """For each row (tops/bottoms in page order), whether a blank line stands above it."""
    gaps = [t - b for t, b in zip(tops[1:], bottoms)]
    pitches = [min(t1 - t0, b1 - b0) for t0, t1, b0, b1 in zip(tops, tops[1:], bottoms, bottoms[1:])]
    typical_gaps = sorted(g for g in gaps if -0.2 * h < g < 2.5 * h)
    typical_pitches = sorted(p for p in pitches if 0.8 * h < p < 3.0 * h)
    if min(len(typical_gaps), len(typical_pitches)) >= _BLANK_MIN_LINES:
        gap0, pitch0 = typical_gaps[len(typical_gaps) // 4], typical_pitches[len(typical_pitches) // 4]
    else:
        gap0, pitch0 = 0.55 * h, 1.55 * h
    return [False] + [g > gap0 + _GAP_ALONE * h or (g > gap0 + _GAP_MORE * h and p > _PITCH_RATIO * pitch0)
                      for g, p in zip(gaps, pitches)]


_NEW_ITEM = re.compile(LINE_ITEM_OPENER)


# wrapped prose reaches the column's right edge, no further from the page edge than the left
# margin (as pdf._PROSE_RIGHT_SLACK, in letter heights)
_PROSE_RIGHT_SLACK = 3.0


def _join_wrapped(rows: list[tuple[float, str, bool, list[Word]]], page_width: int = 0,
                  keep: frozenset = frozenset()) -> list[tuple[float, str, bool, list[Word]]]:
    """A line broken only because the next word did not fit is one logical line, as typed (the
    born-digital reader does the same, pdf._wraps): the next line starts at the same left edge,
    its first word would not have fitted at the end of this one, and it does not open a new item
    ("- ", "2. ", "a) "). Without this, "…Kết luận số" / "49-KL/TW …" reads as a heading "49".
    The line may be a paragraph's indented first line (the next starts a little left of it); a
    page of short lines (a table flattened to one cell per line) has no wrapped prose to join.
    Rows in `keep` (indexes: monospaced rows laid out with spaces) stay as they are."""
    # (the column's right edge is where the page's lines end, typed rows' too)
    body = [r for r in rows if len(r[3]) > 3 and "\t" not in r[1]]
    if len(body) < 4:
        return rows
    ends = [max(w.right for w in r[3]) for r in body]
    right = statistics.quantiles(ends, n=10)[-1]      # (a scan's stray specks make the longest line unsure)
    if page_width:
        h_body = statistics.median(w.height for r in body for w in r[3])
        if max(ends) < page_width - min(w.left for r in rows for w in r[3]) - _PROSE_RIGHT_SLACK * h_body:
            return rows                               # no line reaches the column's edge
    out = [rows[0]]
    for i, row in enumerate(rows[1:], 1):
        top, text, gap, words = row
        ptop, ptext, pgap, pwords = out[-1]
        h = statistics.median(w.height for w in words)
        first, last = min(words, key=lambda w: w.left), max(pwords, key=lambda w: w.right)
        wraps = (not gap and i not in keep and i - 1 not in keep and "\t" not in text and "\t" not in ptext and not _NEW_ITEM.match(text)
                 and last.right + 0.4 * h + first.width > right + 0.6 * h
                 and -1.5 * h < min(w.left for w in pwords) - first.left < 4.0 * h)
        out[-1:] = [(ptop, ptext + " " + text, pgap, words)] if wraps else [out[-1], row]   # words: the last line
    return out


def _overlap_x(a: Word, b: Word) -> bool:
    return min(a.right, b.right) - max(a.left, b.left) > 0.5 * min(a.width, b.width)


# A row set in a monospaced face (a typewritten report, a layout dump printed as it is): Tesseract's
# ink box of a word of n letters spans n pitches less a glyph's side bearings (~0.2 pitch), so
# every word of letters has width ≈ (n - 0.2) × pitch, within a glyph's ink play plus this share
# per letter (proportional text has narrow and wide letters in nearly every word), and words stand
# a whole cell apart (`_MONO_SPACE`: the evidence that tells a face whose letters happen to be
# even, as Vietnamese syllables in a bold serif, from a typewriter's); three words with this many
# letters prove a row on their own (digits share one width in proportional faces too; punctuation
# is narrow ink in a full cell), a shorter row counts when it fits the pitch of a proven row on the
# page.
_MONO_TOL = 0.06
_MONO_PLAY = 0.15
_MONO_EVIDENCE = 12
_MONO_BEARING = 0.2
_MONO_SPACE = 0.9
_MONO_PAGE_SHARE = 2 / 3
_SPECK_HEIGHT = 0.4       # of the typed rows' word height: below a letter's x-height (~0.5)
_MONO_MOST = 3 / 4


def _mono_fit(r: list[Word], p: float) -> bool:
    """Every word of letters in the row as wide as its letters at pitch p; no word wider than its
    glyphs allow (a number's ink may carry a speck); words a space apart at least (a monospaced
    space is a whole cell: ≥ ~1.1 pitch of white between two inks; a proportional face's is about
    half a letter: ≤ ~0.75)."""
    r = sorted((w for w in r if len(w.text) > 1 or w.text.isalnum()), key=lambda w: w.left)   # (a speck read as ".")
    return all(b.left - a.right >= _MONO_SPACE * p for a, b in zip(r, r[1:])) and all(
        abs(w.width - (len(w.text) - _MONO_BEARING) * p) <= (_MONO_TOL * len(w.text) + _MONO_PLAY) * p
        for w in r if len(w.text) >= 2 and w.text.isalpha()) and \
        all(w.width <= (len(w.text) + 1) * p for w in r)


def _mono_rows(rows: list[list[Word]]) -> dict[int, float]:
    """{row index: pitch (pixels)} of the rows set in a monospaced face (see `_MONO_TOL`): rows
    with enough letters prove the page's pitch, then every row that fits it (a short cell, a
    number) is one; the pitch is measured over the starts of the proven rows' words."""
    proven: dict[int, float] = {}
    for k, r in enumerate(rows):
        letters = [w for w in r if len(w.text) >= 2 and w.text.isalpha()]
        if sum(len(w.text) for w in letters) < _MONO_EVIDENCE or sum(len(w.text) > 1 or w.text.isalnum() for w in r) < 3:
            continue
        p = statistics.median(w.width / (len(w.text) - _MONO_BEARING) for w in letters)
        if _mono_fit(r, p):
            proven[k] = p
    if not proven:
        return {}
    p0 = statistics.median_low(proven.values())
    proven = {k: p for k, p in proven.items() if abs(p - p0) <= _MONO_TOL * p0}
    # the pitch from the proven rows' word starts (each a whole number of pitches from the last)
    span = steps = 0.0
    for k in proven:
        r = sorted(rows[k], key=lambda w: w.left)
        for a, b in zip(r, r[1:]):
            n = round((b.left - a.left) / p0)
            if n > 0:
                span, steps = span + b.left - a.left, steps + n
    pitch = span / steps if steps else p0
    h = statistics.median(w.height for k in proven for w in rows[k])
    sized = [k for k, r in enumerate(rows)
             if any(len(w.text) >= 2 for w in r) and abs(statistics.median(w.height for w in r) - h) <= 0.3 * h]
    fits = [k for k in sized if k in proven or _mono_fit(rows[k], pitch)]
    # a page set in the face throughout (a typewritten page, a layout dump printed as it is): a row
    # whose fit a speck spoils (glued to a word's ink: "cao," 20 % wider; or between two words) or a
    # misread glyph is typed like the rest when most of its words still fit, or its tabs would cut
    # the page's columns apart (a proportional row among them, a note above a typed header, has
    # few words of the width of their letters at the pitch)
    if len(fits) >= _MONO_PAGE_SHARE * len(sized):
        fits = [k for k in sized if k in fits or _mono_most(rows[k], pitch)]
    return {k: pitch for k in sorted(fits)}


def _mono_most(r: list[Word], p: float) -> bool:
    """Most of the row's words of letters (`_MONO_MOST`, of three at least: a row of file names and
    a word or two proves nothing) as wide as their letters at pitch p; or no word of letters at all
    (numbers and dates, "24  2026 - 2030": the page's face is theirs)."""
    letters = [w for w in r if len(w.text) >= 2 and w.text.isalpha()]
    fit = sum(abs(w.width - (len(w.text) - _MONO_BEARING) * p) <= (_MONO_TOL * len(w.text) + _MONO_PLAY) * p
              for w in letters)
    if not letters:
        return not any(ch.isalpha() for w in r for ch in w.text if len(w.text) > 1)
    return len(letters) >= 3 and fit >= _MONO_MOST * len(letters)


def numeral_zone(free: list[Word]) -> Optional[tuple[float, float, float, float]]:
    """The strip (deskewed page pixels) left of a page's monospaced rows, up to 6 pitches wide,
    where a fixed-width table's Stt numerals stand when Tesseract dropped them (a lone digit set
    apart from its line's words); None on a page without monospaced rows."""
    rows = [r[3] for r in _rows(free)]
    mono = _mono_rows(rows)
    if not mono:
        return None
    p = next(iter(mono.values()))
    # the content column's edge: where most rows start (a group row "II.1 …" or a numeral the page
    # did read starts left of it, in the very strip to read)
    starts = sorted(min(w.left for w in rows[k]) for k in mono)
    cells = Counter(round((s - starts[0]) / p) for s in starts)
    edge = max(cells, key=lambda c: (cells[c], -c))
    left = min(s for s in starts if round((s - starts[0]) / p) == edge)
    return (max(0.0, left - 6 * p), min(min(w.top for w in rows[k]) for k in mono),
            left - 0.5 * p, max(max(w.bottom for w in rows[k]) for k in mono))


# a re-read numeral is taken when Tesseract is this sure of it (specks read as "l", "1" with less)
_NUMERAL_CONF = 60


def zone_numerals(found: list[Word], free: list[Word], zone: tuple[float, float, float, float]) -> list[Word]:
    """Of the words re-read in a `numeral_zone`: the Arabic numerals Tesseract is sure of, where
    the page's own reading has no word, that stand in a sequence (a neighbour n - 1 or n + 1 among
    them: a Roman "II" read as "11" stands alone)."""
    x0, _, x1, _ = zone
    taken = [w for w in free if w.right > x0 and w.left < x1]
    nums = {}
    for w in found:
        t = w.text.rstrip(".)")
        if not (t.isdigit() and len(t) <= 3 and w.conf >= _NUMERAL_CONF):
            continue
        if any(abs((v.top + v.bottom) / 2 - (w.top + w.bottom) / 2) < max(v.height, w.height) / 2 for v in taken):
            continue
        nums.setdefault(int(t), w)
    return [w for n, w in sorted(nums.items()) if n - 1 in nums or n + 1 in nums]


def _mono_layout(rows: list[tuple[float, str, bool, list[Word]]]
                 ) -> tuple[list[tuple[float, str, bool, list[Word]]], frozenset]:
    """Rows set in a monospaced face written as typed: the indent from the page's left text edge
    and the gaps between words in spaces, one per pitch (column = round((x - left) / pitch)), so
    columns aligned with spaces stay aligned and the fixed-width table reader reads them as it
    reads a text file (the PDF reader does the same, pdf._mono_text). Between two such rows a
    blank line is a line pitch left empty. Returns the rows and the indexes of the monospaced ones;
    a page with none comes back as it was."""
    mono = _mono_rows([r[3] for r in rows])
    if not mono:
        return rows, frozenset()
    # a row of lone letters or marks between two monospaced rows is specks Tesseract read ("l", ",")
    keep = [k for k, r in enumerate(rows) if not (k - 1 in mono and k + 1 in mono and all(
        len(w.text) == 1 and not w.text.isdigit() for w in r[3]))]
    if len(keep) < len(rows):
        mono = {i: mono[k] for i, k in enumerate(keep) if k in mono}
        rows = [rows[k] for k in keep]
    left = min(w.left for r in rows if len(r[3]) > 1 for w in r[3]) if any(len(r[3]) > 1 for r in rows) \
        else min(w.left for r in rows for w in r[3])
    tops = [(k, rows[k][0]) for k in sorted(mono)]
    steps = [b - a for (i, a), (j, b) in zip(tops, tops[1:]) if j == i + 1]
    lead = statistics.median(steps) if steps else None
    h = statistics.median([w.height for k in mono for w in rows[k][3] if len(w.text) >= 2 and w.text.isalpha()] or [0])
    out = []
    for k, (top, text, gap, words) in enumerate(rows):
        if k in mono:
            p = mono[k]
            # a speck Tesseract read as a letter or two inside the row ("l", "ta"): lower than a letter's x-height
            specks = [w for w in words if len(w.text) <= 2 and w.text.isalpha() and w.height < _SPECK_HEIGHT * h]
            words = sorted([w for w in words if w not in specks] or words, key=lambda w: w.left)
            text = typed_line(((w.left, len(w.text), w.text) for w in words), p, left)
        if lead and k and (k in mono or k - 1 in mono):
            gap = top - rows[k - 1][0] > 1.5 * lead
        out.append((top, text, gap, words))
    return out, frozenset(mono)
