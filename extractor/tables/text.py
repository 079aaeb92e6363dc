"""Small text tests on cell values: markup cleaning, numbers, roman numerals, time words
(those in data/deadline_vocab.yaml, time_cells)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..patterns import ROMAN_EXACT
from ..vocab import load_deadline_vocab

_MARKUP = re.compile(r"</?(?:i|b|u|em|strong|sup|sub|span)(?:\s[^<>]{0,80})?>|\*\*|__")
_BR = re.compile(r"<br\s*/?>", re.I)
_SPACES = re.compile(r"\s+")


def clean_cell(s: str | None) -> str:
    """A cell's value as written, without conversion markup, white space folded."""
    if not s:
        return ""
    # Most cells have nothing clean_cell would change besides the ends (markup openers,
    # escapes, white space other than one plain space) and are only stripped. Tested with str
    # methods, each one C loop: a printable string holds no white space but the plain space.
    t = s.strip()
    if t.isprintable() and "  " not in t and "*" not in t and "<" not in t and "_" not in t and "\\" not in t:
        return t
    s = _BR.sub(" ", s)
    s = _MARKUP.sub("", s)
    s = s.replace("\\|", "|")
    return " ".join(s.split())          # = _SPACES.sub(" ", s).strip(): str.split's white space is \s


def fold(s: str) -> str:
    """Casefolded, NFC, single-spaced: the form the vocabulary is matched in."""
    return " ".join(unicodedata.normalize("NFC", s).casefold().split())


class _Bare(dict):
    """code point -> that character decomposed without its combining marks, đ/Đ as d/D; filled on
    first sight of each character. NFD decomposes character by character and its reordering moves
    only combining marks, so mapping each character and composing the whole at the end is the same
    as NFD, dropping the marks, NFC."""

    def __missing__(self, code: int) -> str:
        ch = chr(code).replace("đ", "d").replace("Đ", "D")
        bare = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        self[code] = bare
        return bare


_BARE = _Bare()


# what is neither ASCII nor in the Combining Diacritical Marks block (U+034F excepted: the
# grapheme joiner has combining class 0)
_NOT_ASCII_OR_MARK = re.compile("[^\x00-\x7f\u0300-\u034e\u0350-\u036f]")


@lru_cache(maxsize=1 << 15)  # cells and vocabulary phrases repeat; this is the table layer's hot spot
def strip_accents(s: str) -> str:
    if s.isascii():
        return s
    # Vietnamese text decomposed is ASCII and marks of that block: dropping the marks is then
    # dropping all that is not ASCII, which the ASCII encoder does in one C loop. The same as
    # _BARE's (NFD of the whole is NFD of each character with marks reordered, all of them
    # dropped; an ASCII text is its own NFC); str.translate asks the dict per character and a
    # regex removing the marks one by one is slower still. Any other text keeps _BARE.
    d = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    if _NOT_ASCII_OR_MARK.search(d) is None:
        return d.encode("ascii", "ignore").decode("ascii")
    return unicodedata.normalize("NFC", s.translate(_BARE))


# "1", "1.", "11.1", "108.", "2)" — the Stt column as written
_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*[.)]?$")
_ROMAN = ROMAN_EXACT
# "I", "II.", "IV-", "II.1" — group numerals
_ROMAN_CELL = re.compile(rf"^(?=[IVX])({_ROMAN}(?:\.\d{{1,2}})?)[.\-:)]?$")
# "I Nâng cao …", "VII. Xây dựng …", "II.1 Hoàn thiện …"
_ROMAN_LEAD = re.compile(rf"^(?=[IVX])({_ROMAN}(?:\.\d{{1,2}})?)(?:[.\-:)]\s*|\s+)(?=\S)")


def is_number(s: str) -> bool:
    return bool(_NUMBER.match(s.strip()))


def is_roman(s: str) -> bool:
    s = s.strip()
    return bool(s) and bool(_ROMAN_CELL.match(s))


def split_roman(s: str) -> tuple[str, str] | None:
    """("VII", "Xây dựng …") for a group label that begins with a roman numeral."""
    s = s.strip()
    m = _ROMAN_LEAD.match(s)
    if not m or not m.group(1):
        return None
    rest = s[m.end():].strip()
    # "I" followed by a lowercase word is a sentence, not a numeral
    if not rest or not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "“\"("):
        return None
    return m.group(1), rest


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _time_res() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """(numeric start, word start, condition start, time word anywhere), from the vocabulary."""
    v = load_deadline_vocab().time_cells
    units = _alt(v.unit_words)
    return (re.compile(rf"^(?:\d{{1,2}}/\d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|(?:19|20)\d\d\b|\d+\s*(?:{units})\b)"),
            re.compile(rf"^(?:{_alt(v.openers)})\b"),
            re.compile(rf"^(?:{_alt(v.conditions)})\b"),
            re.compile(rf"\b(?:{_alt(list(v.unit_words) + list(v.time_words))}|(?:19|20)\d\d)\b"))


def is_time_like(s: str, max_len: int = 90) -> bool:
    """Does a cell read as a deadline ("Tháng 3", "Quý II/2022", "Khi có yêu cầu", "2026 - 2030")?"""
    f = fold(s)
    if not f or len(f) > max_len:
        return False
    numeric, start, condition, word = _time_res()
    if numeric.match(f):
        return True
    if not start.match(f):
        return False
    # "Theo …"/"Khi …" are conditions; the rest must name a time unit somewhere
    if condition.match(f):
        return True
    return bool(word.search(f))


def starts_lower(s: str) -> bool:
    s = s.lstrip(" \"“'(‘-–")
    return bool(s) and s[0].islower()
