"""Vietnamese deadline grammar: normalizes "Thời gian" cells and prose deadlines.

The grammar is data (``data/deadline_vocab.yaml``: month/quarter words, Roman numerals,
recurrence words, condition openers, qualifiers, sub-period conventions); this module is
a small pipeline over it:

1. **scan**   – a lower-cased copy of the text (same length, so offsets hold) is cut into
   tokens: atoms (a day date, month, quarter, half year, year, "đầu/giữa/cuối" parts),
   recurrences ("hàng tháng", "3 tháng/lần"), durations ("30 ngày"), connectors
   ("từ", "đến", "-", ",", "và"), absorbed qualifiers ("trước", "trong", "chậm nhất")
   and leftover words. A number right after a list comma takes the unit of the atom
   before it ("Quý II, IV", "Tháng 2, 5", "Hàng tuần, tháng").
2. **years**  – an atom without a year takes the nearest stated year to its right, else
   to its left ("Tháng 5 và tháng 6/2024"), else the document's (DeadlineContext).
3. **interpret** – conditional openers first ("Khi …", "Theo kế hoạch"), then groups
   split at list separators; one group is a date/period/range/recurrence/relative,
   several are ``multiple``. Leftover words become ``note``.

Kinds, start/end and recurrence follow shared/spec/output-contract.md. The conventions the
contract leaves open are documented at the top of the YAML file.

``timex`` (extra field) holds a TimeML TIMEX3-style value:
  day "2024-03-20", month "2024-03", quarter "2024-Q2", half "2024-H1", year "2024";
  any other span of days is an ISO 8601 interval "2023-11-01/2023-11-10"; ranges join
  their ends' values with "/" and an open end is ".." ("2022/..", "../2030"); a year the
  document does not give is "XXXX" ("XXXX-03"); recurrences are their TIMEX3 SET value:
  "P1W", "P1M", "P3M", "P1Y", or the anchor "XXXX-XX-20" for "Trước ngày 20 hàng tháng"
  ("XXXX-11-30" for "Trước 30/11 hàng năm"); relative offsets are durations "P30D"
  ("Trước Tết", with no offset, has none); ongoing, conditional, none and multiple have
  none (a multiple's parts carry theirs).

Why not dateparser for everything: it returns None for "Quý II", "Hàng năm", "Trước ngày
20 hàng tháng", "Đầu tháng 11/2023", "Tháng 2, 5" and fills missing parts from today.
For the absolute day dates it does parse, the grammar already has to locate the day, month
and year itself (for spans, ranges and lists), so building the date from those numbers is
exact and cheaper: on the 26 gold day dates, 0.24 ms/call for the whole grammar against
1.7 ms for dateparser, which also misses 8 of them ("Trước ngày 25/11/2023", "Phát hành
trước 03/12/2023"); measured by bench/bench_deadlines_vs_dateparser.py.
dateparser is used as a last resort for text the grammar finds nothing in but digits, with
settings that cannot invent a part (REQUIRE_PARTS day+month+year, fixed RELATIVE_BASE).
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Iterator, Optional, Sequence

from .model import Deadline, Span, inside, trusted
from .patterns import DATE_SEP, DMY_LOOSE, DMY_WORDS, finditer_at, word_start
from .vocab import DeadlineVocab, load_deadline_vocab

NO_YEAR_NOTE = "year unknown: not in the text nor in the document"

# ---------------------------------------------------------------- vocabulary


def vocab() -> DeadlineVocab:
    return load_deadline_vocab()   # cached there


def _alt(words: Sequence[str]) -> str:
    """Regex alternation of vocabulary phrases, longest first, any whitespace inside."""
    return "|".join(_alt_list(words))


def _alt_list(words: Sequence[str]) -> list[str]:
    parts = sorted({w for w in words}, key=len, reverse=True)
    return [r"\s+".join(re.escape(p) for p in w.split()) for w in parts]


def _at_word_start(alts: Sequence[str]) -> str:
    r"""``(?<!\w)(?:a|b|…)`` written so that the regex engine can skip straight to the first
    letters of the alternatives (patterns.word_start). Same matches, several times faster over a
    whole document."""
    return word_start(alts, r"\w") or rf"(?<!\w)(?:{'|'.join(alts)})"


def _char_class(entries: Sequence[str]) -> str:
    """The one-character, non-letter entries of a vocabulary list as a regex class ("[,;&+]")."""
    return "[" + "".join(re.escape(e) for e in entries if len(e) == 1 and not e.isalpha()) + "]"


def _unit_of(word: str) -> str:
    for unit, words in vocab().units.items():
        if word in words:
            return unit
    raise KeyError(word)


def _roman_or_int(s: str) -> int:
    if s.isdigit():
        return int(s)
    v = vocab()
    return v.roman[s] if s in v.roman else v.number_words[" ".join(s.split())]


@lru_cache(maxsize=None)
def _number_words_alt(up_to: int = 12) -> str:
    """Spelled-out numbers up to `up_to`, longest first, any white space inside their words."""
    words = sorted((w for w, n in vocab().number_words.items() if n <= up_to), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in words) or "(?!)"


@lru_cache(maxsize=None)
def _roman_alt(up_to: int = 12) -> str:
    """The vocabulary's lower-case Roman numerals up to `up_to`, largest first ("iv|iii|ii|i")."""
    return "|".join(r for r, n in sorted(vocab().roman.items(), key=lambda rn: -rn[1]) if n <= up_to)


# ---------------------------------------------------------------- lowering
_SAME_LEN = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2011": "-", "\u2012": "-", "\u00a0": " "})
_SAME_LEN_PAIRS = tuple((chr(k), v) for k, v in _SAME_LEN.items())


def _lower(text: str) -> str:
    """Lower-case copy of the same length (offsets into it are offsets into text)."""
    if not text.isascii():
        for a, b in _SAME_LEN_PAIRS:   # str.replace per character: far faster than translate
            if a in text:
                text = text.replace(a, b)
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    out = []
    for ch in text:
        lo = ch.lower()
        out.append(lo if len(lo) == 1 else ch)
    return "".join(out)


# ---------------------------------------------------------------- context


@dataclass
class DeadlineContext:
    """What the document tells about the years its deadlines leave out."""

    year: Optional[int] = None           # the year a bare "Tháng 3" / "Quý II" falls in
    month: Optional[int] = None          # the month a monthly plan covers ("tháng 11/2023")
    quarter: Optional[int] = None        # the quarter a quarterly plan covers
    period_start: Optional[int] = None   # years a multi-year plan covers ("giai đoạn 2021-2025")
    period_end: Optional[int] = None
    source: Optional[str] = None         # where year came from: title | issued_date | text

    @classmethod
    def from_document(cls, title: Optional[str], issued_date: Optional[str], text: str = "") -> "DeadlineContext":
        ctx = cls()
        _read_title(ctx, title or "")
        if ctx.year is None:
            ctx.year = _year_of_iso(issued_date)
            ctx.source = "issued_date" if ctx.year else None
        if ctx.year is None and text:
            _read_text_head(ctx, text)
        return ctx


# A year followed by "/NQ-CP" belongs to a document symbol ("Nghị quyết số 66.7/2025/NQ-CP").
_Y = r"((?:19|20)\d{2})(?!\d)(?!\s*/\s*[^\W\d_])"
_CITED_DATE = re.compile(rf"(?:ngày\s*)?{DMY_LOOSE}|ngày\s+{DMY_WORDS}")


def _read_title(ctx: DeadlineContext, title: str) -> None:
    # Dates in a title belong to cited documents ("Kết luận số 224-KL/TU, ngày 18/10/2021"),
    # not to the plan, so they are blanked before looking for the plan's own period.
    low = _CITED_DATE.sub(lambda m: " " * len(m.group()), _lower(title))
    m = re.search(r"giai\s+đoạn\s+" + _Y + r"\s*-\s*" + _Y, low) or re.search(_Y + r"\s*-\s*" + _Y, low)
    if m:
        ctx.period_start, ctx.period_end = int(m.group(1)), int(m.group(2))
    mm = list(re.finditer(r"tháng\s+(0?[1-9]|1[0-2])\s*(?:[/\-.]\s*|,?\s*năm\s+)" + _Y, low))
    qq = list(re.finditer(rf"qu[ýí]\s+({_roman_alt(4)}|[1-4])\s*(?:[/\-.]\s*|,?\s*năm\s+)" + _Y, low))
    yy = list(re.finditer(r"năm\s+" + _Y, low))
    if mm:
        ctx.month, ctx.year = int(mm[-1].group(1)), int(mm[-1].group(2))
    elif qq:
        ctx.quarter, ctx.year = _roman_or_int(qq[-1].group(1)), int(qq[-1].group(2))
    elif yy:
        ctx.year = int(yy[-1].group(1))
    elif ctx.period_start is not None and ctx.period_start == ctx.period_end:
        ctx.year = ctx.period_start
    if ctx.year is not None:
        ctx.source = "title"


def _year_of_iso(iso: Optional[str]) -> Optional[int]:
    m = re.match(r"\s*((?:19|20)\d{2})(?:-|$)", iso or "")
    return int(m.group(1)) if m else None


def _read_text_head(ctx: DeadlineContext, text: str) -> None:
    """Fallback when title and issue date are silent: the place-date line or the plan's period."""
    head = _lower(text[:3000])
    m = re.search(r"ngày\s+[\d\s\.…\[\]a-z]*tháng\s+[\d\s\.…\[\]a-z]*năm\s+" + _Y, head)
    if m:
        ctx.year, ctx.source = int(m.group(1)), "text"
        return
    m = re.search(r"giai\s+đoạn\s+" + _Y + r"\s*-\s*" + _Y, head)
    if m:
        ctx.period_start, ctx.period_end = int(m.group(1)), int(m.group(2))
        if ctx.period_start == ctx.period_end:
            ctx.year, ctx.source = ctx.period_start, "text"


# ---------------------------------------------------------------- tokens

ABS = {"date", "dayonly", "month", "quarter", "half", "year", "subbare", "qmonth"}
LEFTOVER = {"word", "verb"}
# the unions the interpreter tests token kinds against, built once (not per token)
_ABS_REC = ABS | {"rec"}
_ABS_REC_DUR = ABS | {"rec", "dur"}
_SIGNAL = ABS | {"rec", "dur", "ongoing"}
_GROUP_SIGNAL = ABS | {"rec", "dur", "from", "to", "openend"}


@dataclass
class Tok:
    kind: str
    s: int
    e: int
    d: dict = field(default_factory=dict)
    year_inherited: bool = False


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern]]:
    """Ordered token patterns, built from the vocabulary. Order matters: first match wins."""
    v = vocab()
    W = r"(?!\w)"
    S = r"\s*"
    unit = _alt([w for ws in v.units.values() for w in ws])
    month_w = _alt(v.units["month"])
    quarter_w = _alt(v.units["quarter"])
    rec_w = _alt(v.recurrence_words)
    mod = _alt(list(v.sub_periods.month))
    mod_y = _alt(list(v.sub_periods.year))
    mod_q = _alt(list(v.sub_periods.quarter))
    mnum = rf"(0?[1-9]|1[0-2]|{_roman_alt(12)}){W}"
    qnum = rf"(0?[1-4]|{_roman_alt(4)}){W}"
    # spelled-out numbers need a space after the unit word ("tháng ba", "quý Ba")
    mword = rf"(?:{month_w})\s+({_number_words_alt(12)}){W}"
    qword = rf"(?:{quarter_w})\s+({_number_words_alt(4)}){W}"
    dom = _alt(list(v.day_of_month))
    ysuf = rf"(?:{S}[/\-.]{S}{_Y}|{S},?\s+năm\s+{_Y})?"
    return [(k, re.compile(p)) for k, p in [
        ("openend", rf"(?:{_alt(v.open_end)}){W}"),
        ("half", rf"({_alt(list(v.halves))})(?:{S},?\s*(?:năm\s+)?{_Y})?{W}"),
        ("every_n", rf"(\d{{1,2}}){S}({unit}){S}(?:/|một|1){S}(?:1{S})?lần{W}"),
        ("rec_n", rf"(?:{rec_w}|định\s+kỳ){S}(\d{{1,2}}){S}({unit}){W}"),
        ("rec", rf"({rec_w}){S}({unit}){W}"),
        ("ongoing", rf"(?:{_alt(v.ongoing)}){W}"),
        ("weekday", rf"(?:{_alt(v.weekdays)}){W}" if v.weekdays else r"(?!)"),
        ("domonth", rf"({dom}){S}(?:của{S})?(?:{month_w}){S}(0?[1-9]|1[0-2]|{_roman_alt(12)}|{_number_words_alt(12)}){W}{ysuf}"
         if v.day_of_month else r"(?!)"),
        ("date", rf"(?:ngày{S})?(\d{{1,2}})\s+tháng\s+(0?[1-9]|1[0-2]){W}(?:{S},?\s+năm\s+{_Y}|{S}[/\-.]{S}{_Y})?"),
        ("dateword", rf"(?:ngày{S})?(\d{{1,2}})\s+tháng\s+({_number_words_alt(12)}){W}(?:{S},?\s+năm\s+{_Y})?"),
        ("date", rf"(?:ngày{S})?(?<!\d)(\d{{1,2}}){S}([/\-.]){S}(\d{{1,2}}){S}\2{S}(\d{{4}}|\d{{2}})(?!\d)"),
        ("daymonth", rf"(?:ngày{S})?(?<!\d)(\d{{1,2}}){S}[/\-.]{S}(\d{{1,2}})(?!\d)(?!{S}[/\-.]{S}\d)"),
        ("qmonth", rf"(?:{month_w}){S}({mod}){S}(?:{quarter_w}){W}"),
        ("month", rf"(?:({mod}){S})?(?:{month_w}){S}{mnum}{ysuf}"),
        ("month", rf"(?:({mod}){S})?{mword}{ysuf}"),
        ("quarter", rf"(?:({mod_q}){S})?(?:(?:{quarter_w}){S}|q){qnum}{ysuf}"),
        ("quarter", rf"(?:({mod_q}){S})?{qword}{ysuf}"),
        ("year", rf"(?:({mod_y}){S})?năm{S}{_Y}"),
        ("subbare", rf"({mod}){S}({month_w}|{quarter_w}|năm(?!\s+học)){W}"),
        ("dayonly", rf"ngày{S}(\d{{1,2}})(?!\d)(?!{S}[/\-.]{S}\d)"),
        ("dayonly", rf"(\d{{1,2}})(?=\s+(?:{rec_w})\s+(?:{month_w}){W})"),
        ("monthyear", rf"(?<![\d.,/])(0?[1-9]|1[0-2]){S}[/\-.]{S}{_Y}"),
        ("bareyear", rf"(?<![\d/])" + _Y),
        ("dur", rf"(\d{{1,3}}){S}({unit}){W}"),
        ("from", rf"(?:{_alt(v.range_from)}){W}"),
        ("to", rf"(?:{_alt([w for w in v.range_to if w[0].isalpha()])}){W}|{_char_class(v.range_to)}"),
        ("sep", rf"{_char_class(v.list_separators)}|{_alt([w for w in v.list_separators if w[0].isalpha()])}{W}"),
        ("verb", rf"(?:{_alt(v.completion_verbs)}){W}"),
        ("qual", rf"(?:{_alt(v.qualifiers_absorbed)}){W}"),
        ("paren", r"[()\[\]]"),
        ("word", r"\w+"),
        ("punct", r"[^\w\s]"),
    ]]


@lru_cache(maxsize=1)
def _elliptic() -> re.Pattern:
    v = vocab()
    unit = _alt([w for ws in v.units.values() for w in ws])
    return re.compile(rf"(\d{{1,2}}|{_roman_alt(12)}|{unit})(?!\w)")


def scan(low: str, start: int = 0, end: Optional[int] = None) -> list[Tok]:
    """Cut low[start:end] into tokens (offsets into low)."""
    return list(_tokens(low, start, end))


def _tokens(low: str, start: int = 0, end: Optional[int] = None) -> Iterator[Tok]:
    """The tokens of `scan`, one at a time (a reader that stops early cuts no more of them)."""
    end = len(low) if end is None else end
    toks: list[Tok] = []
    pos = start
    while pos < end:
        if low[pos].isspace():
            pos += 1
            continue
        tok = _elliptic_at(low, pos, end, toks) or _token_at(low, pos, end)
        toks.append(tok)
        yield tok
        pos = tok.e


def _token_at(low: str, pos: int, end: int) -> Tok:
    for kind, pat in _patterns_at(low[pos]):
        m = pat.match(low, pos, end)
        if m and m.end() > pos:
            return _build(kind, m)
    return Tok("punct", pos, pos + 1)


_PATTERNS_AT: dict[str, list[tuple[str, re.Pattern]]] = {}


def _patterns_at(ch: str) -> list[tuple[str, re.Pattern]]:
    """The token patterns, in order, that can match a token opening with `ch` (the others are
    not tried: most tokens are words that only the last patterns match)."""
    pats = _PATTERNS_AT.get(ch)
    if pats is None:
        pats = _PATTERNS_AT[ch] = [(k, p) for k, p, first in _patterns_first() if _can_open(first, ch)]
    return pats


def _can_open(first, ch: str) -> bool:
    if first is None:
        return True
    chars, classes = first
    return (ch in chars or "d" in classes and ch.isdecimal() or "s" in classes and ch.isspace()
            or "w" in classes and (ch.isalnum() or ch == "_"))


@lru_cache(maxsize=1)
def _patterns_first() -> list[tuple[str, re.Pattern, Optional[tuple[frozenset, frozenset]]]]:
    """_patterns() with what each one's match can open with (None: anything)."""
    return [(k, p, _first_chars(p.pattern, p.flags)) for k, p in _patterns()]


def _first_chars(pattern: str, flags: int = 0) -> Optional[tuple[frozenset, frozenset]]:
    """What a non-empty match of `pattern` can start with: (characters, classes among "d" \\d,
    "w" \\w, "s" \\s), read from the regex parser's tree; None (anything) where the tree holds
    what is not read here."""
    # long: a walker of the regex parser's tree: `seq` and `one` recurse into each other over the
    # opcodes `C` and `classes` name; split apart they would pass those on every call
    try:
        from re import _constants as C, _parser
        tree = _parser.parse(pattern, flags)
        classes = {C.CATEGORY_DIGIT: "d", C.CATEGORY_WORD: "w", C.CATEGORY_SPACE: "s"}
    except Exception:                    # another Python's parser: try every pattern
        return None
    if flags & (re.IGNORECASE | re.VERBOSE | re.LOCALE):
        return None

    def seq(items) -> tuple[Optional[set], bool]:        # (first characters and classes, can be empty)
        out: set = set()
        for op, av in items:
            f, empty = one(op, av)
            if f is None:
                return None, False
            out |= f
            if not empty:
                return out, False
        return out, True

    def one(op, av) -> tuple[Optional[set], bool]:
        if op is C.LITERAL:
            return {chr(av)}, False
        if op is C.IN:
            out: set = set()
            for o, a in av:
                if o is C.LITERAL:
                    out.add(chr(a))
                elif o is C.RANGE and a[1] - a[0] < 1000:
                    out.update(map(chr, range(a[0], a[1] + 1)))
                elif o is C.CATEGORY and a in classes:
                    out.add(("class", classes[a]))
                else:                    # a negated set, \W, \D, \S: anything
                    return None, False
            return out, False
        if op in (C.ASSERT, C.ASSERT_NOT, C.AT):         # zero width
            return set(), True
        if op is C.BRANCH:
            out, empty = set(), False
            for branch in av[1]:
                f, e = seq(branch)
                if f is None:
                    return None, False
                out |= f
                empty = empty or e
            return out, empty
        if op is C.SUBPATTERN:
            _, add, _, sub = av
            return (None, False) if add & (re.IGNORECASE | re.LOCALE) else seq(sub)
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, _, sub = av
            f, e = seq(sub)
            return (f, e or lo == 0) if f is not None else (None, False)
        if op is C.ATOMIC_GROUP:
            return seq(av)
        return None, False               # ANY, NOT_LITERAL, a back reference …

    first, _ = seq(tree)
    if first is None:
        return None
    return (frozenset(c for c in first if isinstance(c, str)),
            frozenset(c[1] for c in first if isinstance(c, tuple)))


def _elliptic_at(low: str, pos: int, end: int, toks: list[Tok]) -> Optional[Tok]:
    """After "," / "và" / "-", a bare number or unit word repeats the unit of the atom before."""
    if len(toks) < 2 or toks[-1].kind not in ("sep", "to"):
        return None
    prev = toks[-2]
    m = _elliptic().match(low, pos, end)
    if not m:
        return None
    w = m.group(1)
    if prev.kind == "rec" and not w[0].isdigit() and any(w in ws for ws in vocab().units.values()):
        return Tok("rec", m.start(), m.end(), {"unit": _unit_of(w), "n": 1})
    if prev.kind in ("month", "quarter") and (w.isdigit() or w in vocab().roman):
        n = _roman_or_int(w)
        if prev.kind == "month" and 1 <= n <= 12 or prev.kind == "quarter" and 1 <= n <= 4:
            key = "month" if prev.kind == "month" else "q"
            tail = _year_suffix(low, m.end(), end)
            e, year = (tail.end(), int(tail.group(1) or tail.group(2))) if tail else (m.end(), None)
            return Tok(prev.kind, m.start(), e, {key: n, "year": year, "mod": None})
    return None


def _year_suffix(low: str, pos: int, end: int) -> Optional[re.Match]:
    return re.compile(r"\s*[/\-.]\s*" + _Y + r"|\s*,?\s+năm\s+" + _Y).match(low, pos, end)


def _int(s: Optional[str]) -> Optional[int]:
    return int(s) if s else None


# the kinds whose groups _build reads; the others (most tokens: words) skip its chain of tests
_GROUP_KINDS = frozenset({"half", "every_n", "rec_n", "rec", "weekday", "dateword", "domonth", "date", "daymonth",
                          "month", "quarter", "year", "bareyear", "monthyear", "subbare", "qmonth", "dayonly", "dur"})


def _build(kind: str, m: re.Match) -> Tok:
    if kind not in _GROUP_KINDS:
        return Tok(kind, m.start(), m.end())
    g = m.groups()
    s, e = m.start(), m.end()
    if kind == "half":
        return Tok("half", s, e, {"h": vocab().halves[" ".join(g[0].split())], "year": _int(g[1])})
    if kind == "every_n":
        return Tok("rec", s, e, {"unit": _unit_of(g[1]), "n": int(g[0]), "iso": True})
    if kind == "rec_n":
        return Tok("rec", s, e, {"unit": _unit_of(g[1]), "n": int(g[0])})
    if kind == "rec":
        return Tok("rec", s, e, {"unit": _unit_of(g[1]), "n": 1})
    if kind == "weekday":
        return Tok("word", s, e)            # names a day of the week, counts nothing
    if kind == "dateword":                  # "ngày 5 tháng mười năm 2017"
        return Tok("date", s, e, {"day": int(g[0]), "month": _roman_or_int(g[1]), "year": _int(g[2])})
    if kind == "domonth":
        return Tok("date", s, e, {"day": vocab().day_of_month[" ".join(g[0].split())],
                                  "month": _roman_or_int(g[1]), "year": _int(g[2] or g[3])})
    if kind == "date" and len(g) == 4 and g[1] in "/-.":
        if len(g[3]) == 2:                  # "3/9/91": the century is chosen by _resolve_years
            return Tok("date", s, e, {"day": int(g[0]), "month": int(g[2]), "year": 2000 + int(g[3]), "yy": True})
        return Tok("date", s, e, {"day": int(g[0]), "month": int(g[2]), "year": int(g[3])})
    if kind == "date":
        return Tok("date", s, e, {"day": int(g[0]), "month": int(g[1]), "year": _int(g[2] or g[3])})
    if kind == "daymonth":
        return Tok("date", s, e, {"day": int(g[0]), "month": int(g[1]), "year": None})
    if kind == "month":
        return Tok("month", s, e, {"mod": _mod(g[0]), "month": _roman_or_int(g[1]), "year": _int(g[2] or g[3])})
    if kind == "quarter":
        return Tok("quarter", s, e, {"mod": _mod(g[0]), "q": _roman_or_int(g[1]), "year": _int(g[2] or g[3])})
    if kind == "year":
        return Tok("year", s, e, {"mod": _mod(g[0]), "year": int(g[1])})
    if kind == "bareyear":
        return Tok("year", s, e, {"mod": None, "year": int(g[0])})
    if kind == "monthyear":
        return Tok("month", s, e, {"mod": None, "month": int(g[0]), "year": int(g[1])})
    if kind == "subbare":
        return Tok("subbare", s, e, {"mod": _mod(g[0]), "unit": _unit_of(" ".join(g[1].split()))})
    if kind == "qmonth":
        return Tok("qmonth", s, e, {"mod": _mod(g[0])})
    if kind == "dayonly":
        return Tok("dayonly", s, e, {"day": int(g[0])})
    if kind == "dur":
        return Tok("dur", s, e, {"n": int(g[0]), "unit": _unit_of(g[1])})
    return Tok(kind, s, e)


def _mod(s: Optional[str]) -> Optional[str]:
    return " ".join(s.split()) if s else None


# ---------------------------------------------------------------- dates of atoms


def _last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _atom_dates(t: Tok, ctx: DeadlineContext) -> Optional[tuple[date, date]]:
    """First and last day an atom covers, for its (resolved) year; None if impossible."""
    d, y = t.d, t.d.get("year")
    if y is None:
        return None
    subs = vocab().sub_periods
    try:
        if t.kind == "date":
            # day 0: the last day of the month ("ngày cuối cùng của tháng 2")
            day = date(y, d["month"], d["day"] or _last_day(y, d["month"]))
            return day, day
        if t.kind == "month":
            return _month_part(y, d["month"], d.get("mod"))
        if t.kind == "quarter":
            first = 3 * (d["q"] - 1) + 1
            if d.get("mod"):
                a, b = subs.quarter[d["mod"]]
                return date(y, first + a - 1, 1), date(y, first + b - 1, _last_day(y, first + b - 1))
            return date(y, first, 1), date(y, first + 2, _last_day(y, first + 2))
        if t.kind == "half":
            return (date(y, 1, 1), date(y, 6, 30)) if d["h"] == 1 else (date(y, 7, 1), date(y, 12, 31))
        if t.kind == "year":
            if d.get("mod"):
                a, b = subs.year[d["mod"]]
                return date(y, a, 1), date(y, b, _last_day(y, b))
            return date(y, 1, 1), date(y, 12, 31)
    except (ValueError, KeyError):
        return None
    return None


def _month_part(y: int, m: int, mod: Optional[str]) -> tuple[date, date]:
    if not mod:
        return date(y, m, 1), date(y, m, _last_day(y, m))
    a, b = vocab().sub_periods.month[mod]
    last = _last_day(y, m)
    a, b = (last + a + 1 if a < 0 else a), (last + b + 1 if b < 0 else b)   # negative: from the end
    return date(y, m, a), date(y, m, min(b, last))


def _timex(a: date, b: date, year_known: bool = True) -> str:
    """Best TIMEX3 value for the days a..b (see module docstring)."""
    val = _timex_known(a, b)
    return val if year_known else val.replace(f"{a.year:04d}", "XXXX")


def _timex_known(a: date, b: date) -> str:
    y = a.year
    if a == b:
        return a.isoformat()
    if a.year == b.year and a.day == 1 and b.day == _last_day(y, b.month):
        span = (a.month, b.month)
        if span[0] == span[1]:
            return f"{y:04d}-{a.month:02d}"
        if span in ((1, 3), (4, 6), (7, 9), (10, 12)):
            return f"{y:04d}-Q{(a.month + 2) // 3}"
        if span in ((1, 6), (7, 12)):
            return f"{y:04d}-H{1 if a.month == 1 else 2}"
        if span == (1, 12):
            return f"{y:04d}"
    return f"{a.isoformat()}/{b.isoformat()}"


# ---------------------------------------------------------------- year resolution


# A two-digit year is at most 10 years after the document's year (this year when it has none).
_TWO_DIGIT_PIVOT = 2030


def _resolve_years(toks: list[Tok], ctx: DeadlineContext) -> None:
    """A year left out comes from the nearest stated year to the right, else left, else ctx."""
    atoms = [t for t in toks if t.kind in ("date", "month", "quarter", "half", "year")]
    pivot = (ctx.year or _TWO_DIGIT_PIVOT) + 10
    for t in atoms:
        if t.d.get("yy") and t.d["year"] > pivot:
            t.d["year"] -= 100              # "3/9/91" in a 2025 document is 1991, not 2091
    for i, t in enumerate(atoms):
        if t.d.get("year") is not None:
            continue
        right = next((a.d["year"] for a in atoms[i + 1:] if a.d.get("year") and not a.year_inherited), None)
        left = next((a.d["year"] for a in reversed(atoms[:i]) if a.d.get("year") and not a.year_inherited), None)
        t.d["year"] = right or left or ctx.year
        t.year_inherited = True


# ---------------------------------------------------------------- interpretation


@dataclass
class _Parsed:
    kind: str
    start: Optional[date] = None
    end: Optional[date] = None
    recurrence: Optional[str] = None
    timex: Optional[str] = None
    note: Optional[str] = None
    s: int = 0
    e: int = 0
    parts: list["_Parsed"] = field(default_factory=list)


def _interpret(text: str, low: str, toks: list[Tok], ctx: DeadlineContext) -> _Parsed:
    n = len(text)
    if _starts_with(low, vocab().condition_always):
        return _Parsed("conditional", s=0, e=n)
    sig = [t for t in toks if t.kind in _SIGNAL]
    if _starts_with(low, vocab().condition_soft) and not any(t.kind in _ABS_REC for t in sig):
        return _Parsed("conditional", s=0, e=n)
    if not sig and _soft_condition_inside().search(low):
        return _Parsed("conditional", s=0, e=n)    # "Xây dựng và triển khai theo kế hoạch của Bộ Công an"
    ongoing_parts: list[_Parsed] = []
    if any(t.kind == "ongoing" for t in toks):
        if not any(t.kind in _ABS_REC for t in toks):
            return _Parsed("ongoing", note=_note(text, toks), s=0, e=n)
        # "Hoàn thành trước 30/9/2026 và duy trì liên tục": a list item of its own goes on after
        # the date (a part of a multiple); inside the date's own item it is only a word
        for g in _split_groups(toks):
            alone = any(t.kind == "ongoing" for t in g) and not any(t.kind in _ABS_REC_DUR for t in g)
            if alone:
                ongoing_parts.append(_Parsed("ongoing", s=g[0].s, e=g[-1].e))
            for t in g:
                if t.kind == "ongoing" and not alone:
                    t.kind = "word"
    _resolve_years(toks, ctx)
    groups = [g for g in _split_groups(toks) if any(t.kind in _ABS_REC_DUR for t in g)]
    if not groups and _starts_with(low, vocab().event_relative) and sum(t.kind in LEFTOVER for t in toks) >= 2:
        return _Parsed("relative", s=0, e=n)       # "Trước Tết Nguyên đán": before an event
    if not groups:
        return _Parsed("none", s=0, e=n)
    parsed = [_interpret_group(g, ctx, text) for g in groups]
    if ongoing_parts:
        parsed = sorted(parsed + ongoing_parts, key=lambda p: p.s)
    if len(parsed) == 1:
        out = parsed[0]
    else:
        out = _multiple(parsed)
    extra = _note(text, toks)
    if out.kind != "relative":
        out.note = _join_notes(out.note, extra)
    return out


@lru_cache(maxsize=1)
def _soft_condition_inside() -> re.Pattern:
    """A condition of several words ("theo kế hoạch", not the bare "theo") anywhere in a cell."""
    phrases = [p for p in vocab().condition_soft if " " in p]
    return re.compile(r"(?<!\w)(?:" + _alt(phrases) + r")(?!\w)") if phrases else re.compile(r"(?!)")


def _starts_with(low: str, phrases: Sequence[str]) -> bool:
    return _starts_with_re(tuple(phrases)).match(low) is not None


@lru_cache(maxsize=64)
def _starts_with_re(phrases: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\W*(?:" + _alt(phrases) + r")(?!\w)")


def _split_groups(toks: list[Tok]) -> list[list[Tok]]:
    groups: list[list[Tok]] = [[]]
    for t in toks:
        if t.kind == "sep":
            groups.append([])
        else:
            groups[-1].append(t)
    return groups


def _interpret_group(g: list[Tok], ctx: DeadlineContext, text: str) -> _Parsed:
    sig = [t for t in g if t.kind in _GROUP_SIGNAL]
    core = [t for t in sig if t.kind in _ABS_REC_DUR]
    s, e = core[0].s, core[-1].e
    if any(t.kind == "rec" for t in core):
        return _recurring(core, ctx, text, s, e)
    atoms = [t for t in core if t.kind in ABS]
    if not atoms:
        return _relative(core, s, e)
    atoms = [_contextualize(t, ctx) for t in atoms]
    if any(a.kind == "rec" for a in atoms):   # a bare "cuối tháng" with no plan month recurs
        return _recurring(atoms, ctx, text, s, e)
    words_inside = any(t.kind in LEFTOVER and s < t.s < e for t in g)
    return _absolute(sig, atoms, ctx, s, e, words_inside)


def _contextualize(t: Tok, ctx: DeadlineContext) -> Tok:
    """Bare "cuối tháng"/"đầu năm"/"ngày 20": that part of the plan's own month/quarter/year."""
    if t.kind == "subbare":
        unit, mod = t.d["unit"], t.d["mod"]
        if unit == "month" and ctx.month:
            return Tok("month", t.s, t.e, {"mod": mod, "month": ctx.month, "year": ctx.year})
        if unit == "quarter" and ctx.quarter:
            return Tok("quarter", t.s, t.e, {"mod": mod, "q": ctx.quarter, "year": ctx.year})
        if unit == "year":
            return Tok("year", t.s, t.e, {"mod": mod, "year": ctx.year})
        return Tok("rec", t.s, t.e, {"unit": unit, "n": 1, "anchor": True})
    if t.kind == "dayonly" and ctx.month:
        return Tok("date", t.s, t.e, {"day": t.d["day"], "month": ctx.month, "year": ctx.year})
    return t


def _recurring(core: list[Tok], ctx: DeadlineContext, text: str, s: int, e: int) -> _Parsed:
    rec = next(t for t in core if t.kind == "rec")
    recurrence, timex = _recurrence_value(rec)
    anchors = [t for t in core if t is not rec and t.kind in _ABS_REC]
    if rec.d.get("anchor"):           # "cuối tháng" itself names when in the month
        anchors = [rec] + anchors
    note = None
    if anchors:
        day = next((t.d["day"] for t in anchors if t.kind == "dayonly"), None)
        note = f"ngày {day}" if day and len(anchors) == 1 else _squash(text[anchors[0].s:anchors[-1].e])
        if day and recurrence == "monthly":
            timex = f"XXXX-XX-{day:02d}"
        dated = [t for t in anchors if t.kind == "date"]
        if dated and recurrence == "yearly":       # "Trước 30/11 hàng năm"
            timex = f"XXXX-{dated[0].d['month']:02d}-{dated[0].d['day']:02d}"
    return _Parsed("recurring", recurrence=recurrence, timex=timex, note=note, s=s, e=e)


def _recurrence_value(rec: Tok) -> tuple[str, str]:
    v = vocab()
    unit, n = rec.d["unit"], rec.d["n"]
    months = {"quarter": 3}.get(unit)
    letter = "M" if months else v.duration_letter[unit]
    iso = f"P{n * (months or 1)}{letter}"
    if rec.d.get("iso"):                       # "3 tháng/lần" -> "P3M" (contract)
        return iso, iso
    if n == 1:
        return v.recurrence_by_unit[unit], iso
    return v.recurrence_named_durations.get(iso, iso), iso


def _relative(core: list[Tok], s: int, e: int) -> _Parsed:
    dur = next(t for t in core if t.kind == "dur")
    unit, n = dur.d["unit"], dur.d["n"]
    iso = f"P{n * 3}M" if unit == "quarter" else f"P{n}{vocab().duration_letter[unit]}"
    return _Parsed("relative", timex=iso, s=s, e=e)


def _absolute(sig: list[Tok], atoms: list[Tok], ctx: DeadlineContext, s: int, e: int,
              words_inside: bool = False) -> _Parsed:
    first, last = atoms[0], atoms[-1]
    before = [t.kind for t in sig if t.s < first.s]
    between = [t.kind for t in sig if first.s < t.s < last.s]
    has_from = "from" in before
    open_end = any(t.kind == "openend" for t in sig)
    if len(atoms) >= 2 and ("to" in between or has_from) and not words_inside:
        return _range(first, last, ctx, s, e)      # "57-NQ/TW" between two dates is no range
    if has_from or open_end:
        return _range(first, None, ctx, s, e)
    if "to" in before and first.kind not in ("date", "dayonly"):
        return _range(None, first, ctx, s, e)        # "đến năm 2030": a horizon, no start
    return _single(first, ctx, s, e)


def _single(t: Tok, ctx: DeadlineContext, s: int, e: int) -> _Parsed:
    kind = "date" if t.kind in ("date", "dayonly") else "period"
    if t.kind in ("dayonly", "qmonth", "subbare"):
        return _Parsed(kind, note="month unknown: not in the text nor in the document", s=s, e=e)
    span = _atom_dates(t, ctx)
    if span is None:
        return _unresolved(t, kind, s, e)
    return _Parsed(kind, span[0], span[1], timex=_timex(*span), s=s, e=e)


def _unresolved(t: Tok, kind: str, s: int, e: int) -> _Parsed:
    """No year (or an impossible date): keep the shape in timex, dates null, say why."""
    if t.d.get("year") is not None:
        return _Parsed(kind, note="not a calendar date", s=s, e=e)
    probe = Tok(t.kind, t.s, t.e, dict(t.d, year=2000))   # 2000 is a leap year: 29/2 stays valid
    span = _atom_dates(probe, DeadlineContext())
    timex = _timex(*span, year_known=False) if span else None
    return _Parsed(kind, timex=timex, note=NO_YEAR_NOTE, s=s, e=e)


def _range(a: Optional[Tok], b: Optional[Tok], ctx: DeadlineContext, s: int, e: int) -> _Parsed:
    pa = _single(a, ctx, s, e) if a else None
    pb = _single(b, ctx, s, e) if b else None
    if pa and pb and pa.start and pb.end and pa.start > pb.end:
        pa, pb = _roll_over(a, b, pa, pb, ctx, s, e)
        if pa.start > pb.end:                      # still backwards: two dates, not a range
            pa.s, pa.e, pb.s, pb.e = a.s, a.e, b.s, b.e
            return _multiple([pa, pb])
    start = pa.start if pa else None
    end = pb.end if pb else None
    timex = f"{pa.timex if pa else '..'}/{pb.timex if pb else '..'}"
    notes = {p.note for p in (pa, pb) if p and p.note}
    return _Parsed("period", start, end, timex=timex, note="; ".join(sorted(notes)) or None, s=s, e=e)


def _roll_over(a: Tok, b: Tok, pa: _Parsed, pb: _Parsed, ctx: DeadlineContext, s: int, e: int):
    """"Từ tháng 11 đến tháng 2/2025": the side whose year was borrowed moves a year."""
    if a.year_inherited:
        a.d["year"] -= 1
        return _single(a, ctx, s, e), pb
    if b.year_inherited:
        b.d["year"] += 1
        return pa, _single(b, ctx, s, e)
    return pa, pb


def _multiple(parts: list[_Parsed]) -> _Parsed:
    starts = [p.start for p in parts if p.start]
    ends = [p.end for p in parts if p.end]
    # a part that goes on ("cập nhật hằng tháng", "duy trì liên tục") leaves the whole open-ended
    open_ended = any(p.kind in ("recurring", "ongoing") for p in parts)
    return _Parsed("multiple", min(starts) if starts else None, max(ends) if ends and not open_ended else None,
                   s=parts[0].s, e=parts[-1].e, parts=parts)


# ---------------------------------------------------------------- notes


def _note(text: str, toks: list[Tok]) -> Optional[str]:
    """Leftover words, as written, one run per maximal stretch of non-temporal tokens."""
    runs: list[tuple[int, int]] = []
    cur: Optional[list[int]] = None
    for t in toks:
        if t.kind in LEFTOVER:
            if cur is None:
                cur = [t.s, t.e]
            cur[1] = t.e
        elif t.kind in ("qual", "punct", "paren", "sep") and cur is not None:
            continue
        else:
            if cur:
                runs.append(tuple(cur))
            cur = None
    if cur:
        runs.append(tuple(cur))
    pieces = [_squash(text[a:b]) for a, b in runs]
    pieces += [_squash(text[t.s:t.e]) for t in toks if t.kind == "openend"]
    return "; ".join(p for p in pieces if p) or None


def _squash(s: str) -> str:
    return " ".join(s.split()).strip(" ,;:-()[]*")


def _join_notes(*notes: Optional[str]) -> Optional[str]:
    out = [n for n in notes if n]
    return "; ".join(dict.fromkeys(out)) or None


# ---------------------------------------------------------------- dateparser fallback


@lru_cache(maxsize=1)
def _dateparser():
    try:
        import dateparser  # noqa: F401  (optional: ~0.65 ms/call, only for text the grammar misses)
        return dateparser
    except ImportError:  # pragma: no cover
        return None


DATEPARSER_SETTINGS = {
    "REQUIRE_PARTS": ["day", "month", "year"],     # never fill a part from today
    "RELATIVE_BASE": datetime(2000, 1, 1),
    "PREFER_DAY_OF_MONTH": "first",
    "DATE_ORDER": "DMY",
    "STRICT_PARSING": True,
}


def _fallback_dateparser(text: str) -> Optional[date]:
    dp = _dateparser()
    if dp is None or not re.search(r"\d{4}", text) or len(text) > 60:
        return None
    try:
        got = dp.parse(text, languages=["vi"], settings=DATEPARSER_SETTINGS)
    except Exception:  # dateparser raises on odd input; a miss is a miss
        return None
    return got.date() if got else None


# ---------------------------------------------------------------- public API


_new_deadline = trusted(Deadline)      # the grammar's own values: no validation call per cell


def _to_deadline(p: _Parsed, text: str, offset: Optional[int]) -> Deadline:
    span = (offset + p.s, offset + p.e) if offset is not None else None
    return _new_deadline(
        text=text, kind=p.kind,
        start=p.start.isoformat() if p.start else None,
        end=p.end.isoformat() if p.end else None,
        recurrence=p.recurrence, note=p.note, timex=p.timex, span=span,
        parts=[_to_deadline(q, text[q.s:q.e], offset) for q in p.parts],
    )


def _parse(text: str, ctx: Optional[DeadlineContext]) -> _Parsed:
    ctx = ctx or DeadlineContext()
    norm = unicodedata.normalize("NFC", text)
    low = _lower(norm)
    if len(norm) != len(text):       # decomposed input: match on NFC, report without offsets
        text = norm
    toks = scan(low)
    p = _interpret(text, low, toks, ctx)
    if p.kind == "none" and text.strip():
        day = _fallback_dateparser(text)
        if day:
            p = _Parsed("date", day, day, timex=day.isoformat(), s=0, e=len(text))
    if p.kind in ("period", "date") and p.start is None and p.end is None and not p.note:
        p.note = NO_YEAR_NOTE
    if p.kind == "multiple" and any(q.note == NO_YEAR_NOTE for q in p.parts):
        p.note = _join_notes(p.note, NO_YEAR_NOTE)
    return p


_PARSE_CACHE: dict = {}
_PARSE_CACHE_SIZE = 4096


def parse_deadline(text: str, ctx: Optional[DeadlineContext] = None, offset: Optional[int] = None) -> Deadline:
    """A table cell's text → Deadline. ``text`` is kept as written.

    ``offset``: where the cell starts in the document text; when given, ``span`` (and the
    parts' spans) are set to the whole cell and to each part.
    """
    text = text or ""
    # Cells repeat a lot ("Thường xuyên", "Quý IV/2024"): the parse of (text, context) is kept
    # in a bounded cache. _Parsed is never handed out, each call builds a new Deadline from it.
    key = (text, type(ctx), *vars(ctx).values()) if ctx is not None else (text, None)
    p = _PARSE_CACHE.get(key)
    if p is None:
        p = _parse(text, ctx)
        if len(_PARSE_CACHE) >= _PARSE_CACHE_SIZE:
            _PARSE_CACHE.clear()
        _PARSE_CACHE[key] = p
    d = _to_deadline(p, text, offset)
    if offset is not None:
        d.span = (offset, offset + len(text))
    return d


# ---------------------------------------------------------------- prose


@lru_cache(maxsize=1)
def _prose_re() -> re.Pattern:
    v = vocab()
    return re.compile(rf"(?:{_at_word_start(_alt_list(v.prose_openers) + ['trong'])})(?!\w)")


@lru_cache(maxsize=1)
def _prose_heads() -> frozenset[str]:
    """The first words of the openers _prose_re matches: every match opens with one (finditer_at)."""
    return frozenset(w.split()[0] for w in list(vocab().prose_openers) + ["trong"])


STOP = {"word", "paren"}


def find_deadlines(text: str, ctx: Optional[DeadlineContext] = None, exclude: Sequence[Span] = ()) -> list[Deadline]:
    """Deadlines in prose: a deadline opener ("trước", "chậm nhất", "hoàn thành", a "trong"
    in a clause that asks for something) followed by a date or period. Spans are
    [start, end) into ``text`` and ``text[span] == deadline.text``. Bare dates (a place-date
    line, "ngày 18/8/2014" after a cited directive) are not deadlines and are not returned."""
    text = text or ""
    ctx = ctx or DeadlineContext()
    low = _lower(text)
    out: list[Deadline] = []
    taken_until = 0
    for start, end, opener in _candidates(low, exclude):
        if start < taken_until or inside(start, exclude) or end is None or inside(end - 1, exclude):
            continue
        d = parse_deadline(text[start:end], ctx, offset=start)
        if d.kind in ("none", "conditional", "ongoing") or (d.start is None and d.recurrence is None):
            continue
        out.append(d)
        taken_until = end
    return out


def _candidates(low: str, exclude: Sequence[Span] = ()):
    """(start, end, opener) of every phrase that may be a deadline, in text order. An opener inside
    `exclude` (the tables, header, footer) opens no phrase find_deadlines keeps: it is not read
    further, but for a "đến", whose phrase _range_start may move back out of it."""
    # every match of _prose_rec_re holds "(trước": texts without one (most) skip its scan
    rec = _prose_rec_re().finditer(low) if _PAREN_BEFORE.search(low) else ()
    found = [(m.start(), m.end(), "recurring") for m in rec]
    spans, j = _union(exclude), 0      # the openers come in text order: a pointer walks the spans
    for m in finditer_at(_prose_re(), _prose_heads(), low):
        k = m.start()
        while j < len(spans) and spans[j][1] <= k:
            j += 1
        if j < len(spans) and spans[j][0] <= k and not m.group().startswith("đến"):
            continue             # its start stays k, inside(k, exclude): find_deadlines would drop it
        # a "trong" is kept below only where _WITHIN_PERIOD matches up to the phrase's end; where it
        # does not match at all (most: "trong công tác …"), neither clause nor phrase need reading
        if m.group() == "trong" and (not _WITHIN_PERIOD.match(low, m.start()) or not _asks_for_action(low, m.start())):
            continue
        end = _phrase_end(low, m.start(), m.end())
        if m.group() == "trong" and end and not _WITHIN_PERIOD.match(low, m.start(), end):
            continue             # "trong năm 2024" in prose is when events happen, rarely a deadline
        start = m.start()
        if m.group().startswith("đến"):
            if _AS_OF.search(low, max(0, start - 12), start):
                continue         # "Tính đến hết ngày 24/5/2025, có 22 bộ …" reports, sets no deadline
            start = _range_start(low, start)
        found.append((start, end, m.group()))
    return sorted(found, key=lambda c: (c[0], -(c[1] or 0)))


def _union(spans: Sequence[Span]) -> list[Span]:
    """`spans` as sorted disjoint spans holding the same offsets."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if s >= e:
            continue
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


_AS_OF = re.compile(r"(?<!\w)(?:tính|tính\s+từ\s+\S+)\s+$")


_FROM_DATE = re.compile(rf"(?<!\w)từ\s+(?:ngày\s+)?\d{{1,2}}{DATE_SEP}\d{{1,2}}(?:{DATE_SEP}\d{{2,4}})?\s*,?\s*$")


def _range_start(low: str, start: int) -> int:
    """"từ ngày 10/7/2026 đến hết ngày …": the deadline is the whole period, from "từ"."""
    head = low[max(0, start - 40):start]
    m = _FROM_DATE.search(head)
    return start - len(head) + m.start() if m else start


_WITHIN_PERIOD = re.compile(r"trong\s+(?:(?:đầu|giữa|cuối)\s+)?(?:tháng|qu[ýí]|6 tháng)")


_PAREN_BEFORE = re.compile(r"\(\s*trước")


@lru_cache(maxsize=1)
def _prose_rec_re() -> re.Pattern:
    """"Định kỳ hàng tháng (trước ngày 20)": a recurrence whose day is given in brackets."""
    v = vocab()
    unit = _alt([w for ws in v.units.values() for w in ws])
    rec = _alt(v.recurrence_words)
    # (?<!\w)(?:định\s+kỳ\s+)?(?:{rec}) …, the optional opener spelled as an alternative
    opening = _at_word_start([rf"định\s+kỳ\s+(?:{rec})"] + _alt_list(v.recurrence_words))
    return re.compile(rf"(?:{opening})\s+(?:{unit})\s*\(\s*trước[^()\n]{{1,40}}\)")


def _phrase_end(low: str, start: int, opener_end: int) -> Optional[int]:
    """End of the temporal phrase that follows an opener, or None if no date follows it."""
    window = min(len(low), opener_end + 80)
    nl = low.find("\n", opener_end)
    if nl != -1:
        window = min(window, nl)
    last = None
    seen_atom = False
    for t in _tokens(low, start, window):    # the phrase ends at its first word: cut no further
        if t.e <= opener_end:
            continue
        if t.kind in STOP or t.kind == "verb" or (t.kind == "punct" and low[t.s] in ".:!?*"):
            if t.kind == "punct" and low[t.s] == "." and not seen_atom:
                return None
            break
        if t.kind in _ABS_REC:
            seen_atom = True
            last = t
        elif not seen_atom and t.kind not in ("qual", "punct"):
            return None          # "trước hết", "trước 30 ngày" …: not a dated deadline
    return last.e if last else None


def _asks_for_action(low: str, pos: int) -> bool:
    """"trong quý II/2024" is a deadline only in a clause asking something to be done."""
    past, verbs = _clause_res()
    # only the last 80 characters count: no need to look further back for the clause start
    lo = max(0, pos - 80)
    clause_start = max(low.rfind(c, lo, pos) for c in ".;:\n") + 1
    clause = low[max(clause_start, lo):pos]
    return past.search(clause) is None and verbs.search(clause) is not None


@lru_cache(maxsize=1)
def _clause_res() -> tuple[re.Pattern, re.Pattern]:
    v = vocab()
    # spelled by _at_word_start: searched in the clause before every "trong"
    return (re.compile(rf"(?:{_at_word_start(_alt_list(v.prose_past_markers))})(?!\w)"),
            re.compile(rf"(?:{_at_word_start(_alt_list(v.prose_within_verbs))})(?!\w)"))
