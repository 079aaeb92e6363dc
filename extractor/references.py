"""Directive references: every numbered document a text cites (eyecite for Party documents).

A Party symbol is NUMBER-TYPE/ISSUER ("100-KL/TW"), a state one NUMBER[/YEAR]/TYPE-ISSUER
("30/2020/NĐ-CP"). The symbol is the anchor: it is found first with one compiled regex, then
the type word before it ("Kết luận số") and the date / issuer / term / subject after it are
read from a small window. Short forms ("Chỉ thị 05") are found separately and joined to the
full reference of the same type and number.

The grammar (type words <-> codes, issuer codes, OCR confusions, the verbs that make a
citation "implements") is data, in data/doc_types.yaml, data/issuers.yaml and
data/header.yaml, loaded once by vocab.py.

underthesea is deliberately not used here: its NER tags "100-KL/TW" as a location, and the
symbols are regular enough that regexes are both more accurate and ~1000x faster.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Optional, Sequence

from .model import Mention, Reference, Span, inside
from .patterns import (DASH_CHARS, DATE_SEP, DAY_WORD, DAY_WORDS, HEADING_MARK, MONTH_WORD, PDF_DASHES, ROMAN,
                       ROMAN_CHARS, UNICODE_DASHES, YEAR_WORD, YEAR_WORDS, casefold_needles, ci_word_start,
                       first_words, phrase_source, phrases_source, trie_pattern)
from .vn import strip_marks
from .vocab import load_doc_types, load_header, load_issuers

_SP = r"[ \t\u00a0]*"                      # inline space
_BRK = r"[ \t\u00a0]*(?:\n[ \t\u00a0]*)?"  # inline space with at most one line break ("75-\nKL/TW")
_DASH = rf"\\?[{DASH_CHARS}{PDF_DASHES}]"  # any dash, maybe markdown-escaped ("57\-NQ/TW")
_DASHES = UNICODE_DASHES + PDF_DASHES
# A code token: capitals/digits, with one trailing lowercase letter only when the word ends
# there ("QĐ-TTg"), so a glued word ("TWvề" in bad PDF text layers) is not swallowed.
_TOK = r"[A-ZĐ][A-ZĐ0-9]{0,11}(?:[a-zđ](?![\w]))?"
# QĐi, CTr, Ctr, QyĐ; OCR may split it with a space ("57-N Q/TW"), kept only if the joined code is known
_PTYPE = r"[A-ZĐ](?:[ \t]?[A-Za-zĐđ]){0,3}"
# The number may hold OCR letters for digits ("l5", "O5") but needs one real digit; it may
# follow "số" glued ("Chỉ thịsố38-CT/TW") but never a letter, digit, slash or dot.
# "số" (header.yaml number_words) as texts spell it: lower case, capitalised, without its marks ("so"),
# with the "x" a scan or a typist puts for "s" ("xố")
_SO = tuple(w.lower() for w in load_header().number_words)
_OCR_LETTERS = {"s": "sx"}


def _so_read(cased: bool) -> str:
    """`_SO` with each letter a set of its OCR readings (and their capitals when `cased`)."""
    def letter(ch: str) -> str:
        forms = "".join(v + v.upper() if cased else v for v in _OCR_LETTERS.get(ch, ch))
        return f"[{forms}]" if len(forms) > 1 else re.escape(ch)
    alts = ["".join(map(letter, w)) for w in _SO]
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


_SO_CAP = "|".join(f"[{w[0]}{w[0].upper()}]{re.escape(w[1:])}" for w in _SO)   # "số", "Số" (a short form's)
_NUMSTART = (r"(?:(?<![\w/.,\\])" + "".join(f"|(?<={re.escape(v)})" for w in _SO for v in (w, w.capitalize(), strip_marks(w)))
             + r"|(?<=[A-ZĐ]))")   # a capital: see _glued_type
_NUM = r"[0-9OoIl|]{0,4}\d[0-9OoIl|]{0,4}"

# after the slash before the codes: inline space, or a line wrapped there ("57-NQ/\nTW") when the
# next line opens with a code (capitals and digits, a lowercase end letter at most, "TTg"), not a word
_SLASH_BRK = rf"{_SP}(?:\n{_SP}(?=[A-ZĐ][A-ZĐ0-9]*[a-zđ]?(?![^\W_])))?"

_SYMBOL_RE = re.compile(
    _NUMSTART + r"(?:"
    # Party: 100-KL/TW, 01-CTr/BTGTU-HĐND-UBND-TA-VKS, 143 – KH/BTGTU
    rf"(?P<pnum>{_NUM}){_BRK}{_DASH}{_BRK}(?P<ptype>{_PTYPE}){_SP}/{_SLASH_BRK}(?P<piss>{_TOK}(?:{_DASH}{_TOK})*)"
    r"|"
    # State: 21/KL-BCA, 30/2020/NĐ-CP, 66.7/2025/NQ-CP, 146/2025/QH15, 562/BKHCN-VCL
    # (the number may carry more parts before its year: "01/01/2026/HCNM - G16", "03/3527/2026/HCNM")
    rf"(?P<snum>{_NUM}(?:\.\d{{1,3}})?(?:/\d{{1,4}}(?=/(?:19|20)\d\d/)){{0,2}})(?:/(?P<year>(?:19|20)\d\d))?"
    # (a dash OCR'd twice with a space between, "1902/QĐ- -UBND", is one dash)
    rf"{_SP}/{_SLASH_BRK}(?P<stoks>{_TOK}(?:{_DASH}{_TOK}|[ \t]?{_DASH}(?:[ \t]?{_DASH})?(?:[ \t]?|[ \t]*\n[ \t]*){_TOK}(?![^\W_]))*)"
    r")"
)

_ANCHOR_RE = re.compile(r"/[ \t\u00a0]?(?:\n[ \t\u00a0]*)?[A-ZĐ]")
# where a _SYMBOL_RE match can open: its _NUM, "[0-9OoIl|]{0,4}\d", starts there (a digit, or an OCR
# look-alike with a digit within the next four characters: the letters "o", "l", "I" of words are not tried)
_NUM_FIRST = re.compile(r"[\dOoIl|](?:(?<=\d)|(?=[0-9OoIl|]{0,3}\d))")
_DATE_AT = re.compile(
    rf"[ \t]*,?\s*\(?\s*{DAY_WORD}\s*(?:(\d{{1,2}}){DATE_SEP}(\d{{1,2}}){DATE_SEP}(\d{{4}})"
    rf"|(\d{{1,2}})\s+{MONTH_WORD}\s+(\d{{1,2}})\s+{YEAR_WORD}\s+(\d{{4}}))", re.IGNORECASE)
_OF_AT = re.compile(r"[ \t]*,?\s*của\s+", re.IGNORECASE)


def _issuer_stop(stop: str) -> str:
    """A stop word of doc_types.yaml issuer_stops, not followed by the rest of an exception it opens."""
    n = len(stop.split())
    rests = [e.split()[n:] for e in load_doc_types().issuer_stop_exceptions if e.split()[:n] == stop.split()]
    return phrase_source(stop) + "".join(rf"(?!\s+{phrase_source(' '.join(r))})" for r in rests if r)


_ISSUER_STOP = re.compile(
    rf"\s+(?:{'|'.join(map(_issuer_stop, load_doc_types().issuer_stops))})\b|về|[,;.()\t“”\"':\[|]|\n\s*\n",
    re.IGNORECASE)
_TERM_AT = re.compile(rf"[ \t]*,?\s*\(?\s*{phrases_source(load_doc_types().term_words)}\s+({ROMAN})\b\)?", re.IGNORECASE)
_SUBJECT_AT = re.compile(r"[ \t]*,?\s*[“\"]?\s*(về\s)", re.IGNORECASE)
_SUBJECT_STOP = re.compile(r"[;\t”\"|]|\.(?:\s|$)|\n\s*\n|\(")
# between a type word and its symbol: nothing, "số", or up to 3 qualifier words and "số"
# ("Chương trình hành động số 31-CTr/TW")
_WORD_TAIL = re.compile(rf"(?:(?P<qual>(?:\s*(?!{_so_read(False)}(?![^\W\d_]))[^\W\d_]+){{1,3}})\s*(?P<so1>{_so_read(False)})|\s*(?P<so2>{_so_read(False)}))?[\s:*]*",
                        re.IGNORECASE)
_LIST_GAP = re.compile(rf"\s*(?:,|;|và|hoặc|,\s*và)\s*(?:các\s+)?(?:{phrases_source(_SO)}\s*)?", re.IGNORECASE)

_REVIEW_RE = re.compile(phrases_source(load_doc_types().relation_words.reviews), re.IGNORECASE)
_REPLACE_RE = re.compile(phrases_source(load_doc_types().relation_words.replaces), re.IGNORECASE)
# words every match of _REPLACE_RE / _REVIEW_RE holds: a case-folded search for them first
_REPLACE_NEEDLES = casefold_needles(first_words(load_doc_types().relation_words.replaces))
_REVIEW_NEEDLES = casefold_needles(first_words(load_doc_types().relation_words.reviews))
_CLAUSE_END = re.compile(r"[.;\t]|\n\s*\n")

# First numbered section heading: "I. MỤC ĐÍCH", "I- ...", "1. Mục đích", "**1\. ...", "## I. ..."
# (markdown marks and escapes allowed; Roman without C, as it always was here: sections.py too reads
# "C." as a lettered heading)
_HEADING_RE = re.compile(rf"^[ \t#*]*(?:[{ROMAN_CHARS.replace('C', '')}]+|\d{{1,2}})[ \t]*\\?{HEADING_MARK}[ \t*]*(?=[^\W\d_])",
                         re.MULTILINE)
_OWN_LINE = re.compile(rf"[ \t#*_]*{phrases_source(load_header().number_words)}[ \t]*:?[ \t]*$")
_MARKUP = re.compile(r"\*\*|</?i>|\\(?=[-.*_#()\[\]])|[\u200b\u200c\u200d\ufeff]")
# compiled once: called per mention (re.match(pattern, …) looks the pattern up at every call)
_NUM_RUN = re.compile(r"[0-9OoIl|]+")
_SPACE = re.compile(r"\s")
_UNIT_AFTER = re.compile(r"[ \u00a0]+([^\W\d_]+|%)")
_YEAR_AFTER = re.compile(r"\s*\d{4}(?!\s*[-–])")
_ID_SEP = re.compile(r"[-/]")


@dataclass(frozen=True)
class _Grammar:
    word_kind: dict            # casefolded type word -> kind
    abbrev_words: frozenset    # words matched case-sensitively (NQ, CT, QĐ …)
    party_kinds: dict          # party type code -> kinds it can stand for, default first
    state_kinds: dict          # state type code -> kinds
    abbr: dict                 # kind -> code for fallback ids
    short: dict                # kind -> bare | so | none
    units: frozenset           # words that make a number a quantity
    issuers: dict              # issuer code -> {name, scope}
    known: frozenset           # every known type and issuer code
    code_confusions: tuple
    number_map: dict
    word_re: re.Pattern
    short_re: re.Pattern
    short_by_letter: tuple         # short_re split by the first letter of the type word (_short_matches)
    title_head_re: re.Pattern
    trigger_line_re: re.Pattern    # a line that opens with a basis verb ("Thực hiện …", "Căn cứ …")
    trigger_any_re: re.Pattern     # a basis verb anywhere (in a title)
    nested_re: re.Pattern          # a verb after a cited document: what follows is what it implements
    example_re: re.Pattern         # words that give what follows as an example ("Ví dụ:")
    example_needles: Optional[tuple]   # those words case-folded, when such a search finds all example_re can


def _word_pattern(word: str) -> str:
    # syllables may be glued or broken across lines in PDF text layers ("Chỉ thịsố", "Nghị\nquyết");
    # an abbreviation must end as a word ("NQ số", not "NQLT")
    pat = r"\s*".join(re.escape(s) for s in word.split())
    return pat + r"(?![^\W_])" if word.isupper() else pat


def _trie_pattern(words: set[str]) -> str:
    """One regex for many words with shared prefixes factored out (patterns.trie_pattern), so a
    failing position is rejected after a character or two; same syllable tolerance and
    abbreviation ending as _word_pattern."""
    def tok(ch: str) -> str:
        return r"\s*" if ch == " " else r"(?![^\W_])" if ch == "\0" else re.escape(ch)

    return trie_pattern((" ".join(w.split()) + ("\0" if w.isupper() else "") for w in words), tok)


def _case_variants(word: str) -> set[str]:
    if word.isupper():
        return {word}
    # capitalised only: lowercase variants would make most positions of a Vietnamese text a
    # candidate; lowercase short forms ("kế hoạch 5 năm") are mostly quantities anyway
    syl = word.split()
    return {word, word.upper(), " ".join(x.capitalize() for x in syl),
            " ".join([syl[0].capitalize()] + [x.lower() for x in syl[1:]])}


def _word_key(word: str) -> str:
    return "".join(word.split()).casefold()


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    types, iss, header = load_doc_types(), load_issuers(), load_header()
    word_kind, abbrev, party, state, abbr, short = {}, set(), {}, {}, {}, {}
    for kind, spec in types.types.items():
        for w in spec.words:
            word_kind.setdefault(_word_key(w), kind)
            if w.isupper() and " " not in w:
                abbrev.add(w)
        for code in spec.party:
            party.setdefault(code, []).append(kind)
        for code in spec.state:
            state.setdefault(code, []).append(kind)
        abbr[kind] = spec.abbr
        short[kind] = spec.short
    issuers = iss.issuers
    known = frozenset(party) | frozenset(state) | frozenset(issuers)
    words = sorted({w for spec in types.types.values() for w in spec.words}, key=len, reverse=True)
    alts = [_word_pattern(w) for w in words]
    # searched in a window before every symbol: spelled so the engine skips to the first letters
    fast = ci_word_start(alts, r"\w")
    word_re = re.compile(fast) if fast else re.compile(rf"(?<!\w)(?:{'|'.join(alts)})", re.IGNORECASE)
    # short form: word [qualifiers] [số] NUMBER, on one line, NUMBER not part of a symbol/date/range
    # (a dash or slash after it; the minus sign, which _DASH accepts, is not checked here), nor
    # the head of a number OCR split with a space ("Kế hoạch số 1 1-KH/BCĐ", see _mend).
    # Case variants are spelled out instead of re.IGNORECASE, which would cost 40x in speed
    # (it disables the first-character prefilter of the regex engine).
    # A type word must start a word; checked in code, as a leading lookbehind also disables it.
    cased = _trie_pattern({v for w in words for v in _case_variants(w)})
    short_re = re.compile(
        rf"(?:{cased})(?:(?P<qual>(?:[ \u00a0]+[^\W\d_]+){{1,3}}?)[ \u00a0]+(?P<so1>{_SO_CAP})"
        rf"|[ \u00a0]+(?P<so2>{_SO_CAP}))?(?:[ \u00a0]*|[ \u00a0]*\n[ \u00a0]*(?=\d{{1,5}}(?![.)\d])))(?P<num>\d{{1,5}})(?![\w/]|[.,]\d|\s*\\?[{DASH_CHARS}{PDF_DASHES[0]}/]\s*\w|[ \u00a0]\d{{1,3}}[{DASH_CHARS}/]\w)")
    upper_words = "|".join(_word_pattern(w.upper()) for w in words if not w.isupper())
    # short_re split by the first letter of its type words (_short_matches): the same source after the trie
    assert short_re.pattern.startswith(f"(?:{cased})")
    after, by_letter = short_re.pattern[len(f"(?:{cased})"):], {}
    for v in {v for w in words for v in _case_variants(w)}:
        by_letter.setdefault(v[0], set()).add(v)
    short_by_letter = tuple(re.compile(rf"(?:{_trie_pattern(vs)})" + after) for _, vs in sorted(by_letter.items()))
    title_head_re = re.compile(rf"^[ \t#*]*(?:{upper_words})\b[^\n]*$", re.MULTILINE)
    basis = "|".join(map(phrase_source, header.basis_verbs))
    line_basis = "|".join(map(phrase_source, header.basis_line_verbs))
    return _Grammar(
        word_kind=word_kind, abbrev_words=frozenset(abbrev), party_kinds=party, state_kinds=state,
        abbr=abbr, short=short, units=frozenset(types.quantity_units), issuers=issuers,
        known=known, code_confusions=iss.ocr_code_confusions,
        number_map=dict(iss.ocr_number_confusions), word_re=word_re, short_re=short_re,
        short_by_letter=short_by_letter,
        title_head_re=title_head_re,
        trigger_line_re=re.compile(rf"[ \t#>*_\-]*(?:{basis}|{line_basis})\b", re.IGNORECASE),
        trigger_any_re=re.compile(rf"(?:{basis})\b", re.IGNORECASE),
        nested_re=re.compile(r"(?<![^\W_])(?:" + "|".join(map(phrase_source, types.nested_basis_verbs))
                             + r")(?![^\W_])", re.IGNORECASE),
        example_re=_example_re(types.example_markers),
        example_needles=casefold_needles(types.example_markers))


def _example_re(markers: Sequence[str]) -> re.Pattern:
    """The example markers as words, matched in any case (spelled by ci_word_start: searched
    before every symbol)."""
    alts = [re.escape(w) for w in markers]
    fast = ci_word_start(alts, r"[^\W_]")
    if fast:
        return re.compile(fast + r"(?![^\W_])")
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alts) + r")(?![^\W_])", re.IGNORECASE)


# ---------------------------------------------------------------- canonical ids

def _repair_code(code: str, g: _Grammar) -> str:
    """An unknown code is rewritten with OCR confusions only into a known code ("TVV" -> "TW")."""
    if code in g.known:
        return code
    pairs = g.code_confusions
    for a, b in pairs:
        if a in code and code.replace(a, b) in g.known:
            return code.replace(a, b)
    for i, (a, b) in enumerate(pairs):
        if a not in code:
            continue
        once = code.replace(a, b)
        for c, d in pairs[i + 1:]:
            if c in once and once.replace(c, d) in g.known:
                return once.replace(c, d)
    # a letter printed twice ("SCTT" for "SCT", broken fonts and OCR)
    for i in range(1, len(code)):
        if code[i] == code[i - 1] and code[:i] + code[i + 1:] in g.known:
            return code[:i] + code[i + 1:]
    return code


def _repair_number(num: str, g: _Grammar) -> str:
    if num.isdigit():
        return num
    return "".join(g.number_map.get(ch, ch) for ch in num)


def _strip_ws(s: str) -> str:
    # = re.sub(r"[\s\\]+", "", s): str.split's white space is the regex's \s
    return "".join(s.split()).replace("\\", "")


def _dash(s: str) -> str:
    for d in _DASHES:
        s = s.replace(d, "-")
    return s


def _party_id(num: str, ptype: str, piss: str, g: _Grammar) -> tuple[str, str, list[str]]:
    num = _repair_number(_strip_ws(num), g)
    ptype = _repair_code(_strip_ws(ptype), g)
    issuers = [_repair_code(t, g) for t in _dash(_strip_ws(piss)).split("-") if t]
    return f"{num}-{ptype}/{'-'.join(issuers)}", ptype, issuers


def _state_id(num: str, year: Optional[str], stoks: str, g: _Grammar) -> tuple[str, Optional[str], list[str]]:
    num = _repair_number(_strip_ws(num), g)
    toks = [t for t in _dash(_strip_ws(stoks)).split("-") if t]
    toks = [_repair_code(t, g) for t in toks]
    stype = toks[0] if toks[0] in g.state_kinds and len(toks) > 1 else None
    head = f"{num}/{year}/" if year else f"{num}/"
    return head + "-".join(toks), stype, (toks[1:] if stype else toks)


def canonical_id(symbol: str) -> str:
    """The contract's canonical id of a số/ký hiệu: no spaces, one dash kind, OCR-repaired codes."""
    g = _grammar()
    s = _MARKUP.sub("", symbol).strip()
    m = _SYMBOL_RE.search(s)
    if m is None:
        return _dash(_strip_ws(s))
    if m.group("pnum") is not None:
        return _party_id(m.group("pnum"), m.group("ptype"), m.group("piss"), g)[0]
    return _state_id(m.group("snum"), m.group("year"), m.group("stoks"), g)[0]


# ---------------------------------------------------------------- one mention

@dataclass
class _Hit:
    id: str
    start: int
    end: int
    form: str
    number: str
    code_kinds: tuple = ()
    word_kind: Optional[str] = None
    has_so: bool = False
    issuer_codes: tuple = ()
    date: Optional[str] = None
    issuer: Optional[str] = None
    term: Optional[str] = None
    subject: Optional[str] = None
    relation: str = "mentions"
    attrs: dict = field(default_factory=dict)


def _iso(d: str, m: str, y: str) -> Optional[str]:
    try:
        day = date(int(y), int(m), int(d))    # rejects 31/02 and OCR-garbled days
    except ValueError:
        return None
    return day.isoformat() if 1900 <= day.year <= 2100 else None


def _date_at(text: str, pos: int) -> tuple[Optional[str], int]:
    m = _DATE_AT.match(text, pos)
    if not m:
        return None, pos
    parts = m.groups()
    iso = _iso(*parts[:3]) if parts[0] else _iso(*parts[3:])
    return (iso, m.end()) if iso else (None, pos)


def _issuer_at(text: str, pos: int) -> tuple[Optional[str], int]:
    m = _OF_AT.match(text, pos)
    if not m:
        return None, pos
    start = m.end()
    stop = _ISSUER_STOP.search(text, start, start + 100)
    end = stop.start() if stop else start
    name = " ".join(text[start:end].split())
    if not name or len(name) > 80 or not name[0].isupper():
        return None, pos
    return name, end


def _tail(text: str, hit: _Hit) -> None:
    """Read date, issuer, term and subject right after a mention; extend the mention over them."""
    pos = hit.end
    hit.date, pos = _date_at(text, pos)
    hit.issuer, pos = _issuer_at(text, pos)
    term_at = pos
    m = _TERM_AT.match(text, pos)
    if m:
        hit.term, pos = m.group(1).upper(), m.end()
    if hit.date is None and pos != hit.end:     # (tried at hit.end already)
        hit.date, pos = _date_at(text, pos)
    if hit.term is None and hit.issuer and pos != term_at:   # "của Ban Bí thư Trung ương Đảng khóa XI" also after a date
        m = _TERM_AT.match(text, pos)
        if m:
            hit.term, pos = m.group(1).upper(), m.end()
    hit.end = pos
    m = _SUBJECT_AT.match(text, pos)
    if m:
        s = m.start(1)
        stop = _SUBJECT_STOP.search(text, s, s + 300)
        subject = " ".join(text[s:stop.start() if stop else s + 300].split()).rstrip(" ,")
        hit.subject = subject or None


def _type_word_before(text: str, start: int, g: _Grammar) -> Optional[tuple[str, int, bool]]:
    """The type word ending just before a symbol: (kind, word start, has "số"), or None."""
    lo = max(0, start - 60)
    window = text[lo:start]
    for m in reversed(list(g.word_re.finditer(window))):
        word = m.group(0)
        if _is_lowercased_abbrev(word, g):
            continue
        rest = window[m.end():]
        tail = _WORD_TAIL.fullmatch(rest)
        if tail is None:
            continue
        qual = tail.group("qual")
        if qual and (qual != qual.lower() or any(w in qual for w in DAY_WORDS)):
            continue
        return g.word_kind[_word_key(word)], lo + m.start(), bool(tail.group("so1") or tail.group("so2"))
    return None


def _is_lowercased_abbrev(word: str, g: _Grammar) -> bool:
    """ "ct", "nq" in ordinary text are not the abbreviations CT, NQ."""
    return word.upper() in g.abbrev_words and word not in g.abbrev_words


def _header_own_ids(text: str, g: _Grammar) -> set[str]:
    """Symbols printed on a header "Số …" line: the document's own number when none was given."""
    mended = (_mend(text, m, g) for m in _symbol_matches(text, 0, min(len(text), 2000)))
    return {canonical_id(m.group(0)) for m in mended if _is_own_number_line(text, m.start())}


def _symbol_matches(text: str, lo: int = 0, hi: Optional[int] = None):
    """_SYMBOL_RE matches, searched only around a "/" followed by a capital: every symbol has
    one ("KL/TW", "/NĐ-CP"), and scanning the whole text with the full regex is ~50x slower."""
    hi = len(text) if hi is None else hi
    last_end = lo
    for a in _ANCHOR_RE.finditer(text, lo, hi):
        i = a.start()
        if i < last_end:
            continue
        # = the first of _SYMBOL_RE.finditer(text, start, end) that holds i, the regex tried only
        # where a number can open (its look-behinds first stop the engine skipping ahead)
        start, end = max(last_end, i - 48), min(hi, i + 120)
        pos = start
        for c in _NUM_FIRST.finditer(text, start, i + 1):
            if c.start() < pos:
                continue
            m = _SYMBOL_RE.match(text, c.start(), end)
            if m is None:
                continue
            if m.start() <= i < m.end():
                yield m
                last_end = m.end()
                break
            pos = m.end()


# OCR breaks a symbol with a space: inside its number right after "số" ("văn bản số 155 2/BTTTT-TTH",
# "Nghị quyết số l 6/NQ-HĐND") or inside a code ("39- NQ/T U", "66.7/2025/N Q-CP", "NQ-C P").
_SPLIT_NUMBER = re.compile(rf"{_so_read(True)}[ \t:]*(?P<head>[0-9OoIl|]{{1,3}})[ \t]$")
_LAST_CODE = re.compile(r"[A-ZĐ][A-Za-zĐđ0-9]*$")
_CODE_REST = re.compile(r"[ \t](?P<rest>[A-ZĐ][A-ZĐ0-9]{0,5}(?:[a-zđ](?![^\W_]))?)(?![^\W_])")


@dataclass
class _Mended:
    """A symbol match read on the text with OCR's stray spaces taken out; offsets are the text's."""
    m: re.Match
    offsets: list[int]       # text offset of each character of the mended string

    def group(self, name=0):
        return self.m.group(name)

    def start(self) -> int:
        return self.offsets[self.m.start()]

    def end(self) -> int:
        return self.offsets[self.m.end() - 1] + 1


def _mend(text: str, m: re.Match, g: _Grammar):
    """The symbol `m` with the spaces OCR put inside it removed, when the evidence says they are
    stray: a 1-3 digit group after "số" right before a short number (no clean text writes
    "số 155 2/…"), or a capital fragment that completes an unknown last code into a known one
    ("T U" -> TU, "N Q" -> NQ). Returns `m` itself when nothing is to mend."""
    number = m.group("pnum") if m.group("pnum") is not None else m.group("snum")
    lo, removed = m.start(), set()
    head = _SPLIT_NUMBER.search(text, max(0, lo - 12), lo)
    digits = _NUM_RUN.match(number)
    if head and digits and len(digits.group(0)) <= 3 and len(head.group("head")) + len(digits.group(0)) <= 5:
        lo = head.start("head")
        removed.add(m.start() - 1)
    elif not _CODE_REST.match(text, m.end()):
        return m                  # the common case: nothing to mend
    hi = min(len(text), m.end() + 40)
    keep = [i for i in range(lo, hi) if i not in removed]
    cur = _SYMBOL_RE.match("".join(text[i] for i in keep))
    for _ in range(3):            # "N Q-C P": more than one stray space
        if cur is None:
            return m
        end = keep[cur.end() - 1] + 1
        last = _LAST_CODE.search(cur.group(0))
        rest = _CODE_REST.match(text, end, hi)
        if not last or not rest or _repair_code(last.group(0) + rest.group("rest"), g) not in g.known:
            break
        # a code known in its place stays ("NQ-CP TW"); a type code where an issuer stands does not
        # ("05-KH/BC ĐTW": BC is a type, BCĐTW the issuer)
        type_slot = cur.group("stoks") is not None and cur.start("stoks") == cur.start() + last.start()
        if last.group(0) in (g.known if type_slot else g.issuers):
            break
        removed.add(end)
        keep = [i for i in range(lo, hi) if i not in removed]
        cur = _SYMBOL_RE.match("".join(text[i] for i in keep))
    if cur is None or not removed:
        return m
    mended = _Mended(cur, keep)
    return mended if mended.end() >= m.end() else m


def _glued_type(text: str, pos: int, code: Optional[str]) -> bool:
    """A number right after a capital is a symbol only when the word glued to it is the symbol's
    own type code: a table cell "KH 38-KH/TU" OCR'd as "KH38-KH/TU"."""
    return bool(code) and text.endswith(code, 0, pos) and not (pos > len(code) and (
        text[pos - len(code) - 1].isalnum() or text[pos - len(code) - 1] == "_"))


def _full_hits(text: str, g: _Grammar, own: set[str]) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in _symbol_matches(text):
        m = _mend(text, m, g)
        if m.group("pnum") is not None:
            sid, code, issuers = _party_id(m.group("pnum"), m.group("ptype"), m.group("piss"), g)
            if _SPACE.search(m.group("ptype")) and code not in g.party_kinds:
                continue
            code_kinds = tuple(g.party_kinds.get(code, ()))
            number = sid.split("-", 1)[0]
        else:
            sid, code, issuers = _state_id(m.group("snum"), m.group("year"), m.group("stoks"), g)
        if m.start() and text[m.start() - 1].isupper() and not _glued_type(text, m.start(), code):
            continue
        if m.group("pnum") is None:
            code_kinds = tuple(g.state_kinds.get(code, ())) if code else ()
            number = sid.split("/", 1)[0]
            # "24/7 …": no type, no year, one token: not a symbol, unless "số" introduces it
            # ("Giấy chứng nhận … số 118.03/GCN")
            if code is None and not m.group("year") and len(issuers) < 2 and not _SO_BEFORE.search(text, max(0, m.start() - 8), m.start()):
                continue
        if sid in own or _is_example(text, m.start(), g):
            continue
        hit = _Hit(id=sid, start=m.start(), end=m.end(), form="full", number=number,
                   code_kinds=code_kinds, issuer_codes=tuple(issuers))
        word = _type_word_before(text, m.start(), g)
        if word:
            hit.word_kind, hit.start, hit.has_so = word
        elif hits and _LIST_GAP.fullmatch(text, hits[-1].end, m.start()):
            _inherit_word(hits[-1], hit)   # "Kết luận số 49-KL/TW và số 50-KL/TW"
        if code is None and not code_kinds and hit.word_kind is None and not m.group("year") \
                and not _SO_BEFORE.search(text, max(0, m.start() - 8), m.start()):
            continue                       # "562/BKHCN-VCL" is a công văn only after a type word or "số"
        if hit.word_kind and m.group("pnum") is not None and code not in g.party_kinds:
            _repair_by_word(hit, code, g)  # "Kết luận số 224-KI/TU": the word says which code it is
        _tail(text, hit)
        hits.append(hit)
    return hits


# "số" (or its OCR "xố", "SỐ") just before a symbol
_SO_BEFORE = re.compile(rf"(?<![Mm]ã[ \t])(?<![^\W\d_]){_so_read(True)}[ \t\u00a0:]*$")   # not "mã số" (a code)


_SAMPLE_NUMBER_LINE = re.compile(rf"[ \t*#]*{phrases_source(load_header().number_words)}[ \t]*:?[ \t]*$")


def _is_example(text: str, pos: int, g: _Grammar) -> bool:
    """A symbol given as an example in a guideline is not a citation: right after the marker
    ("Ví dụ: 15-HD/TU", "chẳng hạn Số: 15-HD/TU"), or as the "Số:" line of a sample laid out
    under it ("Ví dụ:" / "ĐẢNG BỘ TỈNH …" / "Số: 15-HD/TU")."""
    lo = max(0, pos - 160)
    blank = text.rfind("\n\n", lo, pos)
    window = text[(blank + 2 if blank >= 0 else lo):pos]
    if g.example_needles is not None:
        low = window.casefold()
        if not any(w in low for w in g.example_needles):
            return False              # no marker: most symbols; cheaper than the regex scan
    m = None
    for m in g.example_re.finditer(window):
        pass
    if m is None:
        return False
    if len(window) - m.end() <= 30:
        return True
    line_start = text.rfind("\n", 0, pos) + 1
    return _SAMPLE_NUMBER_LINE.fullmatch(text, line_start, pos) is not None


def _repair_by_word(hit: _Hit, code: str, g: _Grammar) -> None:
    """An unknown party type code one OCR slip away from the single code the type word allows."""
    allowed = [c for c, kinds in g.party_kinds.items() if hit.word_kind in kinds]
    near = [c for c in allowed if _one_slip(code, c)]
    if len(near) == 1:
        num, rest = hit.id.split("-", 1)
        hit.id = f"{num}-{near[0]}/{rest.split('/', 1)[1]}"
        hit.code_kinds = tuple(g.party_kinds[near[0]])


def _one_slip(a: str, b: str) -> bool:
    """One character substituted, added or dropped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _inherit_word(prev: _Hit, hit: _Hit) -> None:
    if prev.word_kind and (not hit.code_kinds or prev.code_kinds == hit.code_kinds):
        hit.word_kind, hit.has_so = prev.word_kind, prev.has_so


def _is_own_number_line(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    return _OWN_LINE.fullmatch(text, line_start, pos) is not None


def _is_quantity(text: str, end: int, g: _Grammar) -> bool:
    """ "Kế hoạch 5 năm", "kế hoạch 06 tháng": the number counts something ("năm 2024" does not)."""
    m = _UNIT_AFTER.match(text[end:end + 20])
    if not m or m.group(1).casefold() not in g.units:
        return False
    if m.group(1).casefold() in YEAR_WORDS:
        after = text[end + m.end():end + m.end() + 12]
        return _YEAR_AFTER.match(after) is None
    return True


def _glued_word_start(text: str, pos: int) -> bool:
    """A capitalised word right after a lowercase letter starts a word whose space OCR or a PDF
    text layer lost ("sử dụng cán bộ theoQuy định 58"): no Vietnamese word has a capital inside."""
    return text[pos - 1].islower() and text[pos].isupper() and pos + 1 < len(text) and text[pos + 1].islower()


def _short_matches(text: str, g: _Grammar) -> list[re.Match]:
    """= list(g.short_re.finditer(text)), found by one scan per first letter of the type words: a
    pattern that opens with its one letter lets the engine skip to it in a tight loop, where the
    whole trie opens with a set test at every character. A match of the trie at a position is the
    match of that letter's pattern there, so when the matches of the scans do not overlap they are
    the ones finditer gives (its leftmost one from each end is among them); when they do (never
    seen: a match is a type word and its number), the trie's own scan decides."""
    found = sorted((m for pat in g.short_by_letter for m in pat.finditer(text)), key=lambda m: m.start())
    end = 0
    for m in found:
        if m.start() < end:
            return list(g.short_re.finditer(text))
        end = m.end()
    return found


def _short_hits(text: str, g: _Grammar, covered: list[Span]) -> list[_Hit]:
    hits = []
    for m in _short_matches(text, g):
        glued = False
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"):
            if not _glued_word_start(text, m.start()):
                continue                   # a type word must start a word
            glued = True
        # (word_re wants no letter before the word: read a glued one from a slice)
        word = (g.word_re.match(text[m.start():m.end()]) if glued else g.word_re.match(text, m.start())).group(0)
        kind = g.word_kind.get(_word_key(word))
        qual = m.group("qual")
        if kind is None or _is_lowercased_abbrev(word, g) or (qual and qual != qual.lower()):
            continue
        has_so = bool(m.group("so1") or m.group("so2"))
        policy = g.short[kind]
        if policy == "none" or (policy == "so" and not has_so):
            continue
        if _is_quantity(text, m.end(), g) or inside(m.start(), covered):
            continue
        hit = _Hit(id="", start=m.start(), end=m.end(), form="short", number=m.group("num"),
                   word_kind=kind, has_so=has_so)
        _tail(text, hit)
        hits.append(hit)
    return hits


# ---------------------------------------------------------------- relations and preamble

def _relation(text: str, hit: _Hit, prev_end: int, zones: Sequence[Span]) -> str:
    lo = max(prev_end, hit.start - 120, 0)
    window = text[lo:hit.start]
    window = window[_clause_start(window):]
    low = window.casefold()
    if _may_hold(low, _REPLACE_NEEDLES) and _REPLACE_RE.search(window):
        return "replaces"
    if _may_hold(low, _REVIEW_NEEDLES) and _REVIEW_RE.search(window):
        return "reviews"
    if inside(hit.start, zones):
        return "implements"
    return "mentions"


def _clause_start(window: str) -> int:
    """The end of the last _CLAUSE_END match in `window` (0 if none), found from the right: a
    match is a stop or a tab, or a run of white space from its first line break to its last (the
    engine's \\s* gives back to that last one), so the last end follows the last stop or tab, or the
    last line break that has another in its run of white space (str.isspace is the regex's \\s)."""
    end = max(window.rfind("."), window.rfind(";"), window.rfind("\t")) + 1
    j = window.rfind("\n")
    while j >= end:
        run = len(window[:j].rstrip())            # where the white space before this break starts
        if window.find("\n", run, j) >= 0:
            return j + 1
        j = window.rfind("\n", 0, run)
    return end


def _may_hold(folded: str, needles: Optional[tuple]) -> bool:
    """Can a regex whose matches hold one of `needles` (casefold_needles) match the text
    `folded` is the case-folded form of? (Always when the needles could not be made.)"""
    return needles is None or any(n in folded for n in needles)


def _paragraph_end(text: str, start: int, limit: int) -> int:
    """End of a paragraph that begins at a line start: a blank line, a line ending in . ; :,
    or the next line that starts with a trigger word."""
    pos = start
    while pos < limit:
        nl = text.find("\n", pos)
        line_end = limit if nl == -1 or nl > limit else nl
        line = _MARKUP.sub("", text[pos:line_end]).rstrip()
        if line.endswith((".", ";", ":")) or nl == -1 or nl >= limit:
            return line_end
        nxt = nl + 1
        nxt_end = text.find("\n", nxt)
        nxt_line = text[nxt:nxt_end if nxt_end != -1 else limit]
        if not nxt_line.strip() or _grammar().trigger_line_re.match(nxt_line) or _HEADING_RE.match(nxt_line):
            return line_end
        pos = nxt
    return limit


def _trigger_paragraphs(text: str, lo: int, hi: int) -> list[Span]:
    zones = []
    pos = lo
    trigger = _grammar().trigger_line_re.match
    while pos < hi:
        nl = text.find("\n", pos)
        line_end = hi if nl == -1 or nl > hi else nl
        if trigger(text, pos, line_end):
            end = _paragraph_end(text, pos, hi)
            zones.append((pos, end))
            pos = end
        else:
            pos = line_end
        pos += 1
    return zones


def _pre_heading_limit(text: str) -> int:
    m = _HEADING_RE.search(text)
    limit = m.start() if m else min(len(text), 4000)
    table = re.search(r"^(?:[^\n]*\t|[ \t]*\|)", text[:limit], re.MULTILINE)
    return table.start() if table else limit


def _title_zones(text: str, lo: int, hi: int, g: _Grammar) -> list[Span]:
    """The trích yếu block under the all-caps type line ("KẾ HOẠCH", "CHƯƠNG TRÌNH HÀNH ĐỘNG"),
    from its first "thực hiện"/"căn cứ"/"triển khai" to the block's end."""
    head = g.title_head_re.search(text, lo, hi)
    while head and _MARKUP.sub("", head.group(0)).strip().upper() != _MARKUP.sub("", head.group(0)).strip():
        head = g.title_head_re.search(text, head.end(), hi)
    if not head:
        return []
    start = head.end()
    while start < hi and text[start] in " \t\r\n":
        start += 1
    end = text.find("\n\n", start, hi)
    end = hi if end == -1 else end
    trig = g.trigger_any_re.search(text, start, end)
    return [(trig.start(), end)] if trig else []


def _implement_zones(text: str, preamble: Optional[Span] = None, title: Optional[Span] = None) -> list[Span]:
    g = _grammar()
    zones: list[Span] = []
    if preamble is not None:
        zones += _trigger_paragraphs(text, preamble[0], preamble[1])
    if title is not None:
        trig = g.trigger_any_re.search(text, title[0], title[1])
        if trig:
            zones.append((trig.start(), title[1]))
    if preamble is None:
        hi = _pre_heading_limit(text)
        zones += _trigger_paragraphs(text, 0, hi)
        if title is None:
            zones += _title_zones(text, 0, hi, g)
    return zones


# ---------------------------------------------------------------- assembling references

def _resolve_kind(hits: Sequence[_Hit]) -> Optional[str]:
    """The type word wins over the code; among words, those the code allows win
    ("Quy chế 238-QĐ/TW" and "Quyết định số 238-QĐ/TW" -> quyet_dinh)."""
    code_kinds = next((h.code_kinds for h in hits if h.code_kinds), ())
    words = [h.word_kind for h in hits if h.word_kind]
    fitting = [w for w in words if w in code_kinds]
    pool = fitting or words
    if pool:
        # (most references have one mention: no Counter to build)
        return pool[0] if len(pool) == 1 else Counter(pool).most_common(1)[0][0]
    return code_kinds[0] if code_kinds else None


def _join_short(short: _Hit, full_by_id: dict[str, list[_Hit]], g: _Grammar) -> str:
    candidates = []
    for rid, hits in full_by_id.items():
        kinds = {k for h in hits for k in h.code_kinds} | {h.word_kind for h in hits if h.word_kind}
        num = hits[0].number
        if short.word_kind in kinds and num.isdigit() and int(num) == int(short.number):
            before = [h.start for h in hits if h.start < short.start]
            candidates.append((0 if before else 1, -(max(before) if before else 0),
                               min(h.start for h in hits), rid))
    if candidates:
        return min(candidates)[3]
    return f"{short.number}-{g.abbr.get(short.word_kind) or 'VB'}"


def _scope(hits: Sequence[_Hit], g: _Grammar) -> Optional[str]:
    codes = hits[0].issuer_codes
    if not codes:
        return None
    issuer = g.issuers.get(codes[0])
    return issuer.scope if issuer else None


def _build(text: str, hits: list[_Hit], g: _Grammar, province: Optional[str]) -> list[Reference]:
    by_id: dict[str, list[_Hit]] = {}
    for h in hits:
        by_id.setdefault(h.id, []).append(h)
    refs = []
    for rid, group in sorted(by_id.items(), key=lambda kv: min(h.start for h in kv[1])):
        group.sort(key=lambda h: h.start)
        scope = _scope(group, g)
        # the first non-empty date, issuer, term and subject of the mentions, read in one pass
        issued = issuer = term = subject = None
        for h in group:
            issued, issuer = issued or h.date or None, issuer or h.issuer or None
            term, subject = term or h.term or None, subject or h.subject or None
        ref = Reference(
            id=rid, kind=_resolve_kind(group),
            issued_date=issued, issuer=issuer, term=term, subject=subject,
            mentions=[Mention(text=text[h.start:h.end], span=(h.start, h.end), form=h.form,
                              relation=h.relation) for h in group],
            scope=scope, qualified_id=f"{rid}@{province}" if scope == "local" and province else rid)
        refs.append(ref)
    return refs


def find_references(text: str, *, own_number: Optional[str] = None, province: Optional[str] = None,
                    preamble: Optional[Span] = None, title: Optional[Span] = None) -> list[Reference]:
    """Every numbered document `text` cites, one Reference per canonical id, in order of first mention.

    `preamble` and `title` are the spans the header stage found (else they are guessed): the
    first mention of a document there gets relation "implements" unless it is reviewed or
    replaced, so `find_basis` only reads the relations decided here."""
    g = _grammar()
    if not any(ch.isdigit() for ch in text):
        return []
    if own_number and any(c.isdigit() for c in own_number):
        own = {canonical_id(own_number)}
    else:
        own = _header_own_ids(text, g)
    full = _full_hits(text, g, own)
    full_by_id: dict[str, list[_Hit]] = {}
    for h in full:
        full_by_id.setdefault(h.id, []).append(h)
    own_hits = {rid: [_Hit(id=rid, start=-1, end=-1, form="full", number=_number_of(rid),
                           code_kinds=_code_kinds_of(rid, g))] for rid in own}
    short = []
    for h in _short_hits(text, g, [(h.start, h.end) for h in full]):
        h.id = _join_short(h, {**full_by_id, **own_hits}, g)
        if h.id not in own:        # "Chương trình hành động số 104" inside document 104-CTr/TU itself
            short.append(h)
    hits = sorted(full + short, key=lambda h: h.start)
    _set_relations(text, hits, _implement_zones(text))
    _mark_basis(text, hits, _implement_zones(text, preamble, title))
    return _build(text, hits, g, province)


def _number_of(rid: str) -> str:
    return _ID_SEP.split(rid, maxsplit=1)[0]


def _code_kinds_of(rid: str, g: _Grammar) -> tuple:
    m = _SYMBOL_RE.fullmatch(rid)
    if m is None:
        return ()
    if m.group("pnum") is not None:
        return tuple(g.party_kinds.get(m.group("ptype"), ()))
    return tuple(g.state_kinds.get(m.group("stoks").split("-")[0], ()))


def _set_relations(text: str, hits: Sequence[_Hit], zones: Sequence[Span]) -> None:
    prev: Optional[_Hit] = None
    for h in hits:
        if prev is not None and prev.relation in ("replaces", "reviews") and _LIST_GAP.fullmatch(text, prev.end, h.start):
            h.relation = prev.relation     # "thay thế Nghị định số 87/2021/NĐ-CP và Nghị định số 97/2023/NĐ-CP"
        else:
            h.relation = _relation(text, h, prev.end if prev else 0, zones)
        prev = h


def _mark_basis(text: str, hits: Sequence[_Hit], zones: Sequence[Span]) -> None:
    """The first mention of each id inside the preamble/title zones implements it (unless it is
    reviewed or replaced there)."""
    seen: set[str] = set()
    prev: Optional[_Hit] = None
    nested = False
    for h in hits:
        if not inside(h.start, zones):
            prev, nested = None, False
            continue
        if prev is not None:
            gap = text[prev.end:h.start]
            if _CLAUSE_END.search(gap):
                nested = False         # a new clause ("…; Căn cứ …") or list item after a full stop
            elif _grammar().nested_re.search(gap):
                nested = True          # "Chương trình số 104 … của Tỉnh ủy thực hiện Kết luận số 75"
        prev = h
        if nested:
            if h.relation == "implements":
                h.relation = "mentions"
            continue
        if h.id not in seen and h.relation in ("implements", "mentions"):
            h.relation = "implements"
            seen.add(h.id)


def find_basis(text: str, references: Sequence[Reference], *, preamble: Optional[Span] = None,
               title: Optional[Span] = None) -> list[str]:
    """Canonical ids the preamble ("Thực hiện …", "Căn cứ …") or the title ("… thực hiện Kết luận số …")
    says the document implements, in order of appearance: the references whose first mention in
    those zones `find_references` (given the same spans) marked "implements". Reads, never edits."""
    zones = _implement_zones(text, preamble, title)
    if not zones:
        return []
    firsts = []
    for ref in references:
        m = next((m for m in ref.mentions if inside(m.span[0], zones) and m.relation == "implements"), None)
        if m is not None:
            firsts.append((m.span[0], ref.id))
    return [rid for _, rid in sorted(firsts)]
