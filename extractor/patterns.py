"""Regex pieces shared by the parsers, eyecite-style: named regex *source* strings that the
modules compose into their own compiled patterns.

One spelling of "a dash", "a Roman numeral", "a heading number" or "a day/month/year date"
serves every module; where a module deliberately accepts less or more, it composes its
pattern from these pieces and says why next to it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Iterable, Optional, Sequence

from .vn import strip_marks
from .vocab import load_deadline_vocab

NUMBER_SLOT = "{n}"                      # in a data phrase: any number ("sau {n} năm thực hiện")


def phrase_source(phrase: str, gap: str = r"\s+", number: str = r"\d+") -> str:
    """A data phrase as a regex source: its words (escaped) apart by `gap`, NUMBER_SLOT a number.
    The data files write phrases as printed ("thay thế"); the white space between the words of
    a text may be any run (a line break, two spaces)."""
    return gap.join(number if w == NUMBER_SLOT else re.escape(w) for w in phrase.split())


def phrases_source(phrases: Iterable[str], gap: str = r"\s+", number: str = r"\d+") -> str:
    """`phrase_source` of each phrase as one alternation, in the order given (a group unless there
    is one phrase: the source then reads as a hand-written one)."""
    alts = [phrase_source(p, gap, number) for p in phrases]
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def first_words(phrases: Iterable[str]) -> tuple[str, ...]:
    """The first word of each phrase, once each in order: every match of `phrases_source` holds
    one of them (the needles of a cheap `in` test before the regex search)."""
    return tuple(dict.fromkeys(p.split()[0] for p in phrases))


# ---- brackets
BRACKET = r"[()\[\]]"                  # an opening or closing round or square bracket

# ---- dashes
UNICODE_DASHES = "–—"                  # en dash, em dash (Word's autocorrect, typeset PDFs)
DASH_CHARS = r"\-" + UNICODE_DASHES    # a character-class body: hyphen-minus, en dash, em dash
DASH = f"[{DASH_CHARS}]"
PDF_DASHES = "\u2011\u2212"            # non-breaking hyphen, minus sign: seen in PDF text layers
TO_HYPHEN = str.maketrans(dict.fromkeys(UNICODE_DASHES, "-"))   # str.translate: one dash kind

# ---- Roman numerals (upper case, as headings and terms "khóa XIII" print them)
ROMAN_CHARS = "IVXLC"
ROMAN = f"[{ROMAN_CHARS}]+"            # loosely: any run of the numeral letters ("II", "XIV")
ROMAN_EXACT = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"   # I … XXXIX spelled correctly (also matches "")

# ---- numbered headings: "II.", "IV -", "3.2)", "1."
ARABIC = r"\d{1,2}(?:\.\d{1,2})*"      # "1", "3.2", "2.1.4"
HEADING_MARK = r"[.)\-–]"              # what follows a heading number: . ) - –
ROMAN_HEADING = rf"{ROMAN}\s*{HEADING_MARK}"
NUMBERED_HEADING = rf"(?:{ROMAN}|{ARABIC})\s*{HEADING_MARK}"

# ---- dates
# the calendar words as printed (deadline_vocab.yaml units: "ngày", "tháng", "năm")
DAY_WORDS, MONTH_WORDS, YEAR_WORDS = (load_deadline_vocab().units[u] for u in ("day", "month", "year"))
DAY_WORD, MONTH_WORD, YEAR_WORD = map(phrases_source, (DAY_WORDS, MONTH_WORDS, YEAR_WORDS))   # regex sources
DMY = r"\d{1,2}/\d{1,2}/\d{4}"         # 18/10/2021, as tables print it
DATE_SEP = r"\s*[/\-.]\s*"             # 18/10/2021, 18-10-2021, 18.10.2021, "18 / 10 / 2021"
DMY_LOOSE = rf"\d{{1,2}}{DATE_SEP}\d{{1,2}}{DATE_SEP}\d{{4}}"
DMY_WORDS = rf"\d{{1,2}}\s+{MONTH_WORD}\s+\d{{1,2}}\s+{YEAR_WORD}\s+\d{{4}}"     # 18 tháng 10 năm 2021

# What opens a new item at a line start ("- ", "2. ", "1.2) ", "IV. ", "a) "): a line opening so is
# never the wrapped rest of the line above (the PDF and OCR readers' line joins). "§." is an item
# "8." as OCR reads it (ocr_words.date_digits repairs it once the line stands alone).
LINE_ITEM_OPENER = r"^([-+•*–—]\s|[\d§]{1,2}(\.\d{1,2})*[.)]\s|[IVXL]{1,4}[.)]\s|[a-zđ]\)\s)"


def finditer_at(pattern, heads, text: str, pos: int = 0, endpos: int | None = None):
    """The matches of `pattern.finditer(text, pos, endpos)`, found faster when every match opens
    with one of the literal strings `heads` (a vocabulary alternation's first words):
    the pattern is tried only where str.find sees a head. A regex whose alternatives open with
    many different letters scans a whole text several times slower than str.find does."""
    end = len(text) if endpos is None else endpos
    probe = _head_probe(heads if isinstance(heads, frozenset) else frozenset(heads))
    starts = _probed_starts(probe, heads, text, pos, end) if probe else _head_starts(heads, text, pos, end)
    done = pos
    for k in sorted(starts):
        if k >= done:
            m = pattern.match(text, k, end)
            if m:
                yield m
                done = max(m.end(), k + 1)


def _head_starts(heads, text: str, pos: int, end: int) -> set[int]:
    """Where a head starts in text[pos:end], found by one str.find scan per head."""
    starts = set()
    for h in heads:
        k = text.find(h, pos, end)
        while k != -1:
            starts.add(k)
            k = text.find(h, k + 1, end)
    return starts


@lru_cache(maxsize=64)      # keyed on a vocabulary's heads: a few per process
def _head_probe(heads: frozenset[str]) -> Optional[tuple[int, int, tuple[str, ...]]]:
    """(length, j, characters) when the heads have one length and, at place j, only letters other
    than ASCII ones (rarer in a text than any ASCII letter): every head is then found where one of
    those characters is (the eight case forms of "chủ" are eight scans of a whole document with
    str.find, where one scan per form of "ủ" finds them all; str.find of one character is also many
    times faster than of several); None otherwise."""
    if not heads or len({len(h) for h in heads}) != 1:
        return None
    n = len(next(iter(heads)))
    for j in range(n):
        chars = {h[j] for h in heads}
        if not any(c.isascii() for c in chars):
            return n, j, tuple(sorted(chars))
    return None


def _probed_starts(probe: tuple[int, int, tuple[str, ...]], heads, text: str, pos: int, end: int) -> list[int]:
    """_head_starts found through the probe's characters, each checked for a head."""
    n, j, chars = probe
    starts = []
    for ch in chars:
        k = text.find(ch, pos + j, end)
        while k != -1:
            if k - j + n <= end and text[k - j:k - j + n] in heads:
                starts.append(k - j)
            k = text.find(ch, k + 1, end)
    return starts


def mark_tolerant(phrase: str) -> str:
    """A pattern for `phrase` in which each letter with a mark also matches its bare letter
    ("biểu" → "bi[eể]u"): scans and broken fonts drop the small marks of a caption word."""
    out = []
    for ch in phrase:
        bare = strip_marks(ch)
        out.append(f"[{bare}{ch}]" if bare != ch else re.escape(ch))
    return "".join(out)


@lru_cache(maxsize=None)
def case_forms(ch: str) -> str:
    """Every character that `(?i:ch)` matches, found by the regex engine itself over the Basic
    Multilingual Plane (the case forms of a Latin letter all lie there: "k" → "Kk\u212a")."""
    bmp = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x10000)))
    return "".join(re.findall(rf"(?i:{re.escape(ch)})", bmp))


def ci_word_start(alts: Sequence[str], not_before: str) -> Optional[str]:
    """`(?<!{not_before})(?:{"|".join(alts)})` as matched under re.IGNORECASE, spelled for a pattern
    compiled without it so that the engine can skip to where a match can open (see
    `_by_first_letter`), the look-behind read once right after the first letter. A look-behind
    and a case-insensitive first letter make the engine try the whole alternation at every
    position. `alts` are regex sources opening with a letter as such; None when one does not, or
    when two groups share a case form."""
    if any(a[:1].isalpha() and ord(a[0]) >= 0x250 for a in alts):
        return None
    # the word-start look-behind is the same test in every group: read once before them, a letter
    # inside a word is rejected there, not after each group's look-behind in turn
    return _by_first_letter(alts, rf"(?<!{not_before}.)")


def ci_first_letter(alts: Sequence[str]) -> Optional[str]:
    """`(?i:{"|".join(alts)})` spelled so that at one position the engine tries only the
    alternatives whose first letter fits (see `_by_first_letter`): the engine enters every branch
    of a case-insensitive alternation; a search of a pattern opening with a set skips to those
    letters. None when an alternative does not open with a letter, or when two groups share a
    case form."""
    return _by_first_letter(alts, "")


def _by_first_letter(alts: Sequence[str], after_first: str) -> Optional[str]:
    """The alternatives grouped by the case forms of their first letter (order kept inside a
    group; groups never compete at one position); the first letter read as one set of all the
    groups' forms, then `after_first`, then a look-behind at the letter picks the group, then the
    rest case-insensitively."""
    groups: dict[str, list[str]] = {}
    for a in alts:
        if not a[:1].isalpha():
            return None
        groups.setdefault(case_forms(a[0]), []).append(a[1:])
    if sum(map(len, groups)) != len(set("".join(groups))):
        return None
    if len(groups) == 1:
        forms, rests = next(iter(groups.items()))
        return rf"(?:[{re.escape(forms)}]{after_first}(?i:{'|'.join(rests)}))"
    return rf"(?:[{re.escape(''.join(groups))}]{after_first}(?:" + "|".join(
        rf"(?<=[{re.escape(forms)}])(?i:{'|'.join(rests)})" for forms, rests in groups.items()) + "))"


def word_start(alts: Sequence[str], not_before: str) -> Optional[str]:
    """`(?<!{not_before})(?:{"|".join(alts)})` spelled so that the engine can skip to where a match
    can open: the alternatives are grouped by their first letter (order kept inside a group;
    groups never compete at one position), each group that letter, then the look-behind (of the
    character before it), then the rest. A pattern opening with a look-behind makes the engine
    try the whole alternation at every position. `alts` are regex sources opening with a letter
    as such; None when one does not. ci_word_start is the case-insensitive form."""
    groups: dict[str, list[str]] = {}
    for a in alts:
        if not a[:1].isalpha():
            return None
        groups.setdefault(a[0], []).append(a[1:])
    return "(?:" + "|".join(rf"{c}(?<!{not_before}[\s\S])(?:{'|'.join(rest)})" for c, rest in groups.items()) + ")"


def casefold_needles(words: Sequence[str]) -> Optional[tuple[str, ...]]:
    """`words` case-folded, when `w.casefold() in s.casefold()` holds wherever the regex `(?i:w)`
    (w as literal text) matches in s: every case form the engine accepts for each character
    folds to that character's own fold, as one character (case folding is per character, so
    the rest of s cannot change it). A search with `in` is far cheaper than a case-insensitive
    regex scan, which the engine must try at every position. None when the words do not allow it."""
    for w in words:
        for ch in w:
            forms = case_forms(ch) if ch.isalpha() else ch
            if any(f.casefold() != ch.casefold() or len(f.casefold()) != 1 for f in forms):
                return None
    return tuple(w.casefold() for w in words)


def trie_pattern(words: Iterable[str], tok: Callable[[str], str] = re.escape) -> str:
    """One regex for many strings with shared prefixes factored out ("Chỉ thị|Chương trình" ->
    "Ch(?:ỉ…|ương…)"), each character spelled by `tok`: a position where none can start is
    rejected after a character or two, where a plain alternation tries every string in turn.
    Where several strings match at one position, the longest wins (not the first listed)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [tok(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    return emit(trie)
