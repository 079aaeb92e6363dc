"""Responsible units (issue 8): lead / partner cells and prose assignments → unit entities.

    split_units("Phòng HC-TH, KG, VH-VN; Ban TG, TH các cấp ủy trực thuộc")
      → [Unit(name="Phòng Hành chính - Tổng hợp, Khoa giáo, Văn hóa - Văn nghệ", …),
         Unit(name="Ban Tuyên giáo, TH các cấp ủy trực thuộc", collective=True, …)]

A cell is cut at hard separators (";", line breaks, ". ", bullets) and soft ones (",",
"và" before a head word); each piece then either opens a unit (a head word, a unit
abbreviation, a collective opener "các", a position), continues the unit before it (a
comma inside a name: "Sở Văn hóa, Thể thao và Du lịch", "các xã, thị trấn"), or is not a
unit at all ("Thường xuyên"). All vocabulary is in data/units.yaml (loaded by vocab.py).

Written by hand rather than with underthesea's NER: on these cells it tags "Ban Tuyên
giáo Tỉnh ủy" as a place and splits at every comma (see shared/notes/platform-facts.md).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from typing import Iterable, Optional, Sequence

from .model import Span, Task, Unit, trusted
from .patterns import BRACKET, DASH, DASH_CHARS, UNICODE_DASHES, case_forms as _case_forms, ci_first_letter, ci_word_start, finditer_at, phrases_source, word_start
from .vocab import load_units


# ---------------------------------------------------------------- vocabulary

def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


# Old-style tone placement (hoá, thuỷ, Uỷ) → the form the documents mostly use (hóa, thủy, Ủy).
_OLD_TONE = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe",
             "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy",
             "uỵ": "ụy"}
_OLD_TONE.update({k[0].upper() + k[1:]: v[0].upper() + v[1:] for k, v in _OLD_TONE.items()})
# the two-letter keys grouped by their first letter ("o[àáảãạèéẻẽẹ]|u[ỳýỷỹỵ]|…"): same matches,
# and the engine tests the second letter against one set instead of trying every key
_OLD_TONE_FIRST: dict[str, str] = {}
for _k in _OLD_TONE:
    _OLD_TONE_FIRST[_k[0]] = _OLD_TONE_FIRST.get(_k[0], "") + _k[1]
_OLD_TONE_RE = re.compile("(" + "|".join(f"{a}[{b}]" for a, b in _OLD_TONE_FIRST.items()) + r")(?![^\W\d_])")


# _OLD_TONE_RE split by first letter, each opening with its literal: the engine skips to that
# letter with a fast literal scan, where the class of four first letters is tested at every
# position (a whole document three times faster; the matches are the same: no two can overlap,
# a match's second letter opening none)
_OLD_TONE_BY_FIRST = tuple(re.compile(f"{a}[{b}]" + r"(?![^\W\d_])") for a, b in _OLD_TONE_FIRST.items())
_LONG_TEXT = 2000       # shorter (a cell, a name): the one pattern's single call costs less


def unify_spelling(s: str) -> str:
    """New-style tone marks at a syllable end ("Uỷ ban" → "Ủy ban"); offsets are kept (text is NFC already)."""
    if len(s) < _LONG_TEXT:
        return _OLD_TONE_RE.sub(lambda m: _OLD_TONE[m.group(1)], s)
    hits = sorted(m.start() for p in _OLD_TONE_BY_FIRST for m in p.finditer(s))
    if not hits:
        return s
    parts, pos = [], 0
    for i in hits:
        parts += (s[pos:i], _OLD_TONE[s[i:i + 2]])
        pos = i + 2
    parts.append(s[pos:])
    return "".join(parts)


def alternation(words: Iterable[str]) -> str:
    return "|".join(alternatives(words))


def alternatives(words: Iterable[str]) -> list[str]:
    """The alternatives of `alternation(words)`, longest first."""
    ws = sorted({unify_spelling(w) for w in words}, key=len, reverse=True)
    return [re.escape(w).replace(r"\ ", r"\s+") for w in ws]


WORD_CHAR = r"[^\W_]"  # a letter or digit


def ci_at_word_start(words: Iterable[str]) -> str:
    """`(?<!{WORD_CHAR})(?i:{alternation(words)})` spelled so that the engine skips to where it can
    match (patterns.ci_word_start); words not opening with a Latin letter keep the plain form."""
    words = list(words)
    return ci_word_start(alternatives(words), WORD_CHAR) or rf"(?<!{WORD_CHAR})(?i:{alternation(words)})"


@dataclass(frozen=True)
class Vocab:
    abbreviations: dict
    unit_abbreviations: frozenset
    positions: tuple
    re_abbrev: re.Pattern
    re_head: re.Pattern            # a unit starts here (case-insensitive words, exact abbreviations)
    re_split_head: re.Pattern      # a capitalized strong head inside an item
    re_position: re.Pattern
    re_opener: re.Pattern
    re_collective: re.Pattern      # "các" + a collective noun anywhere in a name
    re_role_prefix: re.Pattern
    re_of_head: re.Pattern         # the item so far is only an organ of the next unit
    no_split_after: frozenset
    canonical: tuple
    prose: dict = field(default_factory=dict)


def ci_alternation(words: Iterable[str]) -> str:
    """`(?i:{alternation(words)})`, spelled by first letter when it can be (patterns.ci_first_letter):
    the same matches, and a position tries only the words opening with its letter."""
    words = list(words)
    return ci_first_letter(alternatives(words)) or f"(?i:{alternation(words)})"


@lru_cache(maxsize=1)
def vocab() -> Vocab:
    d = load_units()
    abbr = {unify_spelling(k): unify_spelling(v) for k, v in d.abbreviations.items()}
    heads = d.heads.strong + d.heads.weak
    words = [h for h in heads if not h.isupper()]
    caps = [h for h in heads if h.isupper()] + list(d.unit_abbreviations)
    abbr_alts = [re.escape(k) for k in sorted(abbr, key=len, reverse=True)]
    abbr_alt = "|".join(abbr_alts)
    # substituted in every name: spelled by word_start when it can be (the same matches)
    abbr_at = word_start(abbr_alts, r"[\w&\-]") or rf"(?<![\w&\-])(?:{abbr_alt})"
    col = d.collective
    of_heads = d.of_heads + d.positions
    p = d.prose
    prose = {k: [unify_spelling(x) for x in words] for k, words in
             [("lead_markers", p.lead_markers), ("partner_markers", p.partner_markers),
              ("assign_verbs", p.assign_verbs), ("stop_words", p.stop_words), ("generic", p.generic)]}
    return Vocab(
        abbreviations=abbr,
        unit_abbreviations=frozenset(d.unit_abbreviations),
        positions=tuple(d.positions),
        re_abbrev=re.compile(rf"{abbr_at}(?![\w&]|-\w)"),
        # matched at many pieces' starts: spelled by first letter (the same matches)
        re_head=re.compile(rf"(?:{ci_alternation(words)}(?!{WORD_CHAR})|(?:{alternation(caps)})(?![\w&]|-\w))"),
        re_split_head=re.compile(rf"(?<=\s)(?:{alternation(d.split_heads)})(?!{WORD_CHAR})"),
        re_position=re.compile(rf"{ci_alternation(d.positions)}(?!{WORD_CHAR})"),
        re_opener=re.compile(rf"{ci_alternation(col.openers)}\s+(?=\S)"),
        re_collective=re.compile(rf"(?<!{WORD_CHAR}){ci_alternation(col.openers)}\s+{ci_alternation(col.nouns)}(?!{WORD_CHAR})"),
        re_role_prefix=re.compile(rf"{ci_alternation(d.role_prefixes)}(?!{WORD_CHAR})[\s:,]*"),
        re_of_head=re.compile(rf"{ci_alternation(of_heads)}(?:\s+(?:{abbr_alt}|Đảng))?$"),
        no_split_after=frozenset(w.lower() for w in d.no_split_after),
        canonical=tuple(unify_spelling(c) for c in d.canonical),
        prose=prose,
    )


# ---------------------------------------------------------------- cutting a cell into pieces

@dataclass
class _Piece:
    start: int
    end: int
    sep: str            # what came before it: start | hard | comma | and


_BRACKET = re.compile(BRACKET)


def _paren_depths(s: str) -> Optional[list[int]]:
    """The bracket depth at each character of `s` (an opening bracket counts itself, a closing one
    too); None when `s` opens no bracket (every depth 0: most cells skip the walk). Computed once
    per cell, filled run by run between brackets."""
    if "(" not in s and "[" not in s:
        return None
    depth, out, pos = 0, [], 0
    for m in _BRACKET.finditer(s):
        i = m.start()
        out += [depth] * (i - pos)
        if s[i] in "([":
            depth += 1
        out.append(depth)
        if s[i] in ")]" and depth:
            depth -= 1
        pos = i + 1
    out += [depth] * (len(s) - pos)
    return out


@lru_cache(maxsize=8)  # keyed on the vocabulary's head pattern: built once per process, not per cell
def _separator_re(head: str) -> re.Pattern:
    # every separator opens with white space, ";", "." or ",": the look-ahead turns most positions
    # of a cell away before the engine tries each alternative there (half the time, same matches)
    return re.compile(
        rf"(?=[\s;.,])(?:(?P<hard>\s*;\s*|\s*\n\s*(?:[-–+•*]\s+)?|\.\s+(?:[-–+•*]\s*)?|\s[-–+•]\s+(?=(?:{head})|[Cc]ác\s))"
        rf"|(?P<comma>(?!(?<=[A-ZĐ]),[A-ZĐ]),\s*)"
        rf"|(?P<and>\s+(?:và|cùng|với)\s+(?=(?:{head})|[Cc]ác\s)))")


def _separators(s: str, v: Vocab, depth: Optional[list[int]]) -> list[tuple[int, int, str]]:
    pat = _separator_re(v.re_head.pattern)
    out = []
    for m in pat.finditer(s):
        if depth and depth[m.start()]:
            continue
        out.append((m.start(), m.end(), m.lastgroup))
    return out


def _pieces(s: str, v: Vocab, depth: Optional[list[int]]) -> list[_Piece]:
    # each stretch between separators trimmed as it is cut (one _Piece per piece kept)
    out, pos, sep = [], 0, "start"
    for a, b, kind in _separators(s, v, depth) + [(len(s), len(s), "end")]:
        if a > pos or kind == "end":
            ta, tb = _trim(s, pos, a)
            if ta < tb:
                out.append(_Piece(ta, tb, sep))
        pos, sep = b, (kind if kind != "end" else sep)
    return out


_LEAD_JUNK = re.compile(rf"[\s{DASH_CHARS}+•*·>#:.,;]+")
_TAIL_JUNK = re.compile(rf"[\s{DASH_CHARS}+•*·:.,;]+$")
_TAIL_CHARS = frozenset("-" + UNICODE_DASHES + "+•*·:.,;")   # _TAIL_JUNK's class but \s


def _trim(s: str, a: int, b: int) -> Span:
    m = _LEAD_JUNK.match(s, a, b)
    if m:
        a = m.end()
    # = _TAIL_JUNK.search(s[a:b]) (its class holds \s, so a match runs to the very end): the
    # trailing junk stepped over from the end, most pieces have none (the search tried every position)
    while b > a and (s[b - 1] in _TAIL_CHARS or s[b - 1].isspace()):
        b -= 1
    # a trailing "…" or "..." inside a parenthesis stays; an unbalanced ")" at the end goes
    if b > a and s[b - 1] == ")" and s[a:b].count("(") < s[a:b].count(")"):
        b -= 1
    return a, b


# ---------------------------------------------------------------- pieces → units

def _starts(kind_re: re.Pattern, s: str, a: int) -> Optional[re.Match]:
    return kind_re.match(s, a)


def classify_piece(s: str, a: int, v: Vocab) -> Optional[str]:
    """What the piece starting at `a` opens: collective | position | organization | None."""
    m = v.re_opener.match(s, a)
    if m:  # "các" + a collective noun or a head; "các Phó Thủ tướng" is positions
        if v.re_position.match(s, m.end()):
            return "position"
        if v.re_collective.match(s, a) or v.re_head.match(s, m.end()):
            return "collective"
        return None
    if v.re_position.match(s, a):
        return "position"
    if v.re_head.match(s, a):
        return "organization"
    return None


_LETTER = re.compile(r"[^\W\d_]")


def _split_inside(s: str, p: _Piece, v: Vocab, depth: Optional[list[int]]) -> list[_Piece]:
    """Missing separators: "… thị trấn Phòng Văn hóa Thông tin" → "… thị trấn" | "Phòng Văn hóa …"."""
    out, start = [], p.start
    for m in v.re_split_head.finditer(s, p.start, p.end):
        i = m.start()
        if (depth and depth[i]) or i <= start:
            continue
        before = s[start:i].rstrip()
        words = before.split()
        prev_word = words[-1].lower() if words else ""
        if not before or prev_word in v.no_split_after or v.re_of_head.fullmatch(before):
            continue
        h = v.re_head.match(before)
        if h and h.end() == len(before):
            continue  # "Bộ Công an", "Văn phòng Ủy ban …": the head alone is not a unit
        if v.re_position.match(s, start) and not v.re_head.match(s, start):
            continue  # "Thường trực Ủy ban …", "Lãnh đạo Ban …": a role of that unit
        if not _LETTER.search(before):
            continue
        out.append(_Piece(start, start + len(before), p.sep if not out else "hard"))
        start = i
    if not out:
        return [p]  # not cut (most pieces): the piece as it is, read only by the caller
    out.append(_Piece(start, p.end, "hard"))
    return out


def _strip_role(s: str, a: int, b: int, v: Vocab) -> int:
    m = v.re_role_prefix.match(s, a, b)
    if m and m.end() < b and classify_piece(s, m.end(), v):
        return m.end()
    return a


_new_unit = trusted(Unit)      # a cell's units, built from the parse's own values: no validation call each


def parse_units(s: str, base: int = 0) -> tuple[list[Unit], list[Span]]:
    """Units in `s` (spans shifted by `base`) and the pieces that were not a unit."""
    found, dropped = _parse_units(s)
    units = [_new_unit(name=name, text=text, span=(base + a, base + b), collective=collective, kind=kind)
             for name, text, a, b, collective, kind in found]
    return units, [(base + a, base + b) for a, b in dropped]


@lru_cache(maxsize=1 << 14)  # pure in the text; lead and partner cells repeat row after row
def _parse_units(s: str) -> tuple[tuple, tuple]:
    v = vocab()
    base = 0
    written, s = s, unify_spelling(s)
    units: list[tuple] = []
    dropped: list[Span] = []
    cur: Optional[list] = None  # [start, end, kind]
    built: list[list] = []
    after_dropped = False
    depth = _paren_depths(s)
    for piece in _pieces(s, v, depth):
        piece.start = _strip_role(s, piece.start, piece.end, v)
        for p in _split_inside(s, piece, v, depth):
            a = p.start
            lower_first = s[a:a + 1].islower()
            # the cheap tests first: the search for a collective and the piece's class only when asked
            if p.sep in ("comma", "and") and lower_first and cur \
                    and (cur[2] == "collective" or v.re_collective.search(s, cur[0], cur[1])) \
                    and not v.re_opener.match(s, a):
                cur[1] = p.end  # "các chi, đảng bộ trực thuộc": one collective
            elif (kind := classify_piece(s, a, v)) and not (after_dropped and p.sep == "comma" and lower_first):
                cur = [a, p.end, kind]
                built.append(cur)
            elif cur and p.sep in ("comma", "and") and cur[2] != "position" or \
                    cur and cur[2] == "position" and p.sep == "comma" and lower_first:
                cur[1] = p.end  # a comma inside a name: "Sở Văn hóa, Thể thao và Du lịch"
            else:
                dropped.append((base + a, base + p.end))
                cur = None
                after_dropped = True
                continue
            after_dropped = False
    for a, b, kind in built:
        text = s[a:b]
        collective = kind == "collective" or bool(v.re_collective.search(text))
        if kind == "organization" and collective:
            kind = "collective"
        units.append((_normalize_unified(text), written[a:b], a, b, collective and kind != "position", kind))
    return tuple(units), tuple(dropped)


def split_units(cell: Optional[str], base: int = 0) -> list[Unit]:
    """The units named in one lead / partner cell, in order."""
    if not cell or not cell.strip():
        return []
    return parse_units(cell, base)[0]


# ---------------------------------------------------------------- normalized names

def _dash(m: re.Match) -> str:
    left, right = m.group(1), m.group(2)
    if left.isupper() and right.isupper():
        return f"{left}-{right}"
    return f"{left} - {right}"


_DASHED = re.compile(rf"(\w+)\s*{DASH}\s*(?=\w)(\w+)")


_PAREN_NOTE = re.compile(r"\s*[(\[][^)\]]*[)\]]?")
_SPACED_DASH = re.compile(r"(\w+) - (\w+)")
_HAS_UNICODE_DASH = re.compile(f"[{UNICODE_DASHES}]")


@lru_cache(maxsize=1)  # from the vocabulary's canonical names: lowered once per process
def _canonical_lower() -> tuple[tuple[tuple[str, str], ...], re.Pattern]:
    """(canonical name, lowered) pairs, and one pattern matching where a lowered name opens with
    any of them: most names open with none and skip the loop over the pairs."""
    pairs = tuple((c, c.lower()) for c in vocab().canonical)
    return pairs, re.compile("|".join(re.escape(low) for _, low in pairs) or "(?!)")


def normalize_name(text: str) -> str:
    return _normalize_unified(unify_spelling(text))


@lru_cache(maxsize=4096)  # pure in the text; a unit named in many cells and in the prose is normalized once
def _normalize_unified(s: str) -> str:
    """normalize_name of a text spelled by unify_spelling already (_parse_units unifies a cell once)."""
    v = vocab()
    # each pattern needs a character most names lack: tested first with str's C loop
    if "(" in s or "[" in s:
        s = _PAREN_NOTE.sub("", s)                 # parenthetical notes
    if "-" in s or _HAS_UNICODE_DASH.search(s):
        s = _DASHED.sub(_dash, s)
        if " - " in s:
            s = _SPACED_DASH.sub(_dash, s)
    s = v.re_abbrev.sub(lambda m: v.abbreviations[m.group(0)], s)
    s = " ".join(s.split()).strip(" .,;:-")
    lower = s.lower()
    pairs, opens_canonical = _canonical_lower()
    for c, c_lower in pairs if opens_canonical.match(lower) else ():
        if lower.startswith(c_lower) and (len(s) == len(c) or not s[len(c)].isalnum()):
            s = c + s[len(c):]
            break
    return s[:1].upper() + s[1:] if s else s


# ---------------------------------------------------------------- cells of a task → document spans

@lru_cache(maxsize=4096)  # unit names repeat from row to row; building the pattern is the cost
def _needle(t: str) -> re.Pattern:
    parts = [re.escape(x) for x in t.split()]
    return re.compile(r"[\s|*]+".join(parts))


def _plain_find(t: str, w: str, start: int) -> Optional[Span]:
    """The match `_needle(w).search(t, start)` would give, found by str.find when that is sure, else None.

    Sure when `w` is found as written and no earlier copy of its first word could open a match
    with other separators; `w` must have no edge spaces and no "|" or "*" (a word opening with
    one would let the separator run take it)."""
    if not w or w[0].isspace() or w[-1].isspace() or "|" in w or "*" in w:
        return None
    i = t.find(w, start)
    if i < 0 or t.find(w.split(None, 1)[0], start) != i:
        return None
    return i, i + len(w)


def locate(text: str, written: Sequence[str], lo: int, hi: int) -> list[tuple[Optional[Span], str]]:
    """(span, text) in the document of each unit name as written, searched in order within [lo, hi).

    Cells are rebuilt from source lines (joined, de-hyphenated), so a unit is looked up
    again in the text with any run of whitespace, pipes or bold marks between its words.
    A unit that cannot be found gets span None and keeps its text as written.
    """
    pos = lo
    t = unify_spelling(text[lo:hi])
    out: list[tuple[Optional[Span], str]] = []
    for w in written:
        found = _plain_find(t, w, pos - lo)
        if found is None:
            m = _needle(w).search(t, pos - lo)
            if m is None:
                m = _needle(w).search(t)
            if m is None:
                out.append((None, w))
                continue
            found = m.span()
        span = (lo + found[0], lo + found[1])
        out.append((span, text[span[0]:span[1]]))
        pos = max(pos, span[1])
    return out


def task_units(text: str, task: Task) -> tuple[list[Unit], list[Unit]]:
    """(lead units, partner units) of one Task, each placed inside the span of its own cell
    (`task.spans`, kept by the table reader); a unit without a cell span keeps span None.
    Each Unit is built once with its place and role (a pydantic assignment costs a validation
    call, and a plan has hundreds of units)."""
    out = []
    for field, role in (("lead", "lead"), ("partners", "partner")):
        cell_text = getattr(task, field)
        found = _parse_units(cell_text)[0] if cell_text and cell_text.strip() else ()
        cell = task.spans.get(field)
        placed = locate(text, [f[1] for f in found], *cell) if cell else [(None, f[1]) for f in found]
        out.append([_new_unit(name=name, text=written, span=span, collective=collective, kind=kind, role=role)
                    for (name, _, _, _, collective, kind), (span, written) in zip(found, placed)])
    return out[0], out[1]


# ---------------------------------------------------------------- prose assignments

@lru_cache(maxsize=1)
def _prose_res():
    v = vocab()
    p = v.prose
    return {
        "lead": re.compile(rf"{ci_at_word_start(p['lead_markers'])}(?!{WORD_CHAR})"),
        "lead_heads": _case_variants_of_heads(p["lead_markers"]),
        "partner": re.compile(rf"[\s,]*{ci_alternation(p['partner_markers'])}(?!{WORD_CHAR})[\s:]*"),
        "assign": re.compile(rf"(?<!{WORD_CHAR}){ci_alternation(p['assign_verbs'])}\s+"),
        # lowercase only: "Sở Xây dựng" is a name, "xây dựng" a verb; a line break stops the list
        # only before a bullet or a number (pdftotext wraps long lists)
        "stop": re.compile(rf"(?<!{WORD_CHAR})(?:{alternation(p['stop_words'])})(?!{WORD_CHAR})|[.;:(]|\s[-–]\s"
                           r"|\n(?=\s*(?:[-+•*]|\d|\n))|\n\s*$"),
        "suffix": re.compile(rf"\s+{phrases_source(load_units().prose.lead_suffixes)}\s*$", re.I),
        "generic": {g.lower() for g in p["generic"]},
        "boundary": re.compile(r"(?:^|\n)[\s*#>\-–+•]*(?:\d+(?:\.\d+)*[.)\-]|[a-zđ][.)]|[IVX]+[.)])?[\s*\-–+•]*"
                               r"|[.:;]\s+|,\s+"),
    }


def _case_variants_of_heads(words: Iterable[str], k: int = 3) -> frozenset[str]:
    """Every way the first `k` letters of each word's first word can be written in a
    case-insensitive match (the case forms of each letter, as the regex engine reads them):
    every match of the words opens with one of them, which str.find locates far faster than
    the regex engine scans a whole document."""
    out: set[str] = set()
    for w in words:
        head = w.split()[0][:k]
        out.update(map("".join, product(*map(_case_forms, head))))
    return frozenset(out)


def _all_units(s: str, base: int) -> Optional[list[Unit]]:
    """Units if the whole of `s` is a list of units; None otherwise."""
    units, dropped = parse_units(s, base)
    if dropped or not units:
        return None
    generic = _prose_res()["generic"]
    if any(u.name.lower() in generic for u in units):
        return None
    return units


def find_assignments(text: str, exclude: Sequence[Span] = ()) -> list[Unit]:
    """Units named in prose assignments: "giao X chủ trì, phối hợp với Y, Z hướng dẫn …".

    Units before "chủ trì" are leads; units after "phối hợp với" are partners. The lead is
    the longest stretch back to a clause boundary (or to "giao") that is wholly a list of
    units, so "Định kỳ, Thường trực Ủy ban …" keeps only the unit.
    """
    r = _prose_res()
    out: list[Unit] = []
    norm = unify_spelling(text)
    for m in finditer_at(r["lead"], r["lead_heads"], norm):
        a = m.start()
        if any(s <= a < e for s, e in exclude):
            continue
        line_start = norm.rfind("\n", 0, a) + 1
        lo = max(line_start, a - 300)
        left = norm[lo:a]
        cut = r["suffix"].search(left)
        left_end = lo + (cut.start() if cut else len(left.rstrip(" ,")))
        starts = [lo] + [b.end() + lo for b in r["boundary"].finditer(left) if b.end() > 0]
        assigns = [lo + g.end() for g in r["assign"].finditer(left) if vocab().re_head.match(norm, lo + g.end())
                   or vocab().re_opener.match(norm, lo + g.end())]
        if assigns:
            starts = [s for s in starts if s >= assigns[-1]] + [assigns[-1]]
        lead = None
        for s in sorted(set(starts)):
            if s >= left_end:
                continue
            lead = _all_units(norm[s:left_end], s)
            if lead:
                break
        if not lead:
            continue
        for u in lead:
            u.role = "lead"
            u.text = text[u.span[0]:u.span[1]]
        out += lead
        pm = r["partner"].match(norm, m.end())
        if not pm:
            continue
        stop = r["stop"].search(norm, pm.end())
        end = stop.start() if stop else len(norm)
        units, dropped = parse_units(norm[pm.end():end], pm.end())
        # keep the units before anything that is not one ("… liên quan thực hiện" was cut by stop words)
        if dropped:
            units = [u for u in units if u.span[1] <= dropped[0][0]]
        for u in units:
            u.role = "partner"
            u.text = text[u.span[0]:u.span[1]]
        out += units
    return out


def count_units(units: Iterable[Unit]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for u in units:
        counts[u.name] = counts.get(u.name, 0) + 1
    return counts


# ---------------------------------------------------------------- the pipeline stage

def annotate_tasks(text: str, tasks: Sequence) -> None:
    """Fill `lead_units` and `partner_units` of every Task."""
    for t in tasks:
        lead, partner = task_units(text, t)
        # assigned only when there is something to set (a pydantic assignment costs a call)
        if lead or t.lead_units:
            t.lead_units = lead
        if partner or t.partner_units:
            t.partner_units = partner


def document_units(text: str, exclude: Sequence[Span] = ()) -> list[Unit]:
    """Units assigned in prose outside the task tables, with their role."""
    return find_assignments(text, exclude=exclude)
