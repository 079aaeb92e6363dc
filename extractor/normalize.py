"""Normalization: NFC text without conversion artefacts, plus an offset map back to the input.

Everything downstream reads `Normalized.text`; `to_input(i)` maps an offset in it back to
the (NFC) decoded input, so a span can always be located in the original file.

What is removed is what a converter added, never content: markdown bold/italic markers,
backslash escapes (`57\\-NQ/TW`) and hard line breaks (a backslash ending a line), inline
HTML tags, zero-width and soft-hyphen characters, markdown heading hashes. Form feeds
become line breaks. A word or sentence cut by a page break ("hội\\n\\nng nghị") is rejoined
with one space when the first part ends in a lowercase letter or comma and the next line
begins in lowercase: a sentence never ends that way, a heading or table row never starts
that way.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from .patterns import HEADING_MARK, NUMBERED_HEADING
from .textrepair import compose, repair
from .vn import LOWER

_LOWER = LOWER
# Every artefact starts with one of a few characters, or at a line start (markdown hashes):
# the leading guard rejects all other positions at once instead of trying each alternative.
_ARTEFACTS = re.compile(
    r"(?:(?=[\r\f\u200b\u200c\u200d\u2060\ufeff\u00ad<*_\\\n])|(?m:^)(?=[ \t#]))(?:" + "|".join([
        r"(?P<crlf>\r\n?)",
        r"(?P<ff>\f)",
        r"(?P<invisible>[\u200b\u200c\u200d\u2060\ufeff\u00ad])",
        r"(?P<tag></?(?:i|b|u|em|strong|sup|sub|span|font)(?:\s[^<>\n]{0,80})?>)",
        r"(?P<br><br\s*/?>)",
        # a heading glued to the previous text by a conversion: "hiện**1. Kết quả"
        r"(?P<glued>(?<=\S)\*\*(?=\d{1,2}(?:\.\d{1,2})*\.\s))",
        r"(?P<bold>\*\*)",
        # emphasis pairs keep their inner text; "__/__/2024" placeholders have no letter inside
        r"(?P<italic>(?<![*\w])\*(?P<inner>[^\s*][^*\n]*?(?<=[^\s*]))\*(?![*\w]))",
        r"(?P<underline>(?<![\w_])__(?=[^_\n]*[^\W\d_])(?P<uinner>[^\s_][^_\n]*?(?<=[^\s_]))__(?![\w_]))",
        r"(?P<escape>\\(?=[-\\`*_{}\[\]()#+.!|<>~]))",
        r"(?P<hardbreak>\\(?=[ \t]*(?:\n|$)))",   # markdown's hard line break: "\\" at a line end
        r"(?m:(?P<hashes>(?<=^)[ \t]*#{1,6}[ \t]+))",
        # no white space allowed around the break: a table row continued after a page
        # break starts with a tab and must stay on its own line for the table layer
        rf"(?P<pagejoin>(?<=[{_LOWER},])\n(?:[ \t]*\n)+(?=[{_LOWER}])(?![{_LOWER}][).]\s))",  # not before "a) …"
    ]) + ")"
)
# Where an artefact can start, for the scan below: one of its first characters, or a newline
# before a blank line (pagejoin) or before a line start holding a space, tab or hash (hashes).
# Each alternative opens with a literal, so the engine skips ordinary text in one C loop.
_ARTEFACT_STARTS = re.compile(
    "|".join(re.escape(c) for c in "\r\f\u200b\u200c\u200d\u2060\ufeff\u00ad<*_\\") + r"|\n(?=[ \t]*\n|[ \t#])")


# At a line break only `pagejoin` can match, and only after one of these (its look-behind).
_PAGEJOIN_AFTER = frozenset(re.findall(rf"[{_LOWER},]", "".join(map(chr, range(0x10000)))))
# The same starts, one scan per alternative: a pattern that opens with its one literal lets the
# engine skip to it in a tight loop, where the alternation is a set test at every character
# (about five times the cost over a document); a character absent from the text (`in`, a memchr)
# is not scanned for. Each alternative matches one character, so the starts of the scans,
# merged, are those of _ARTEFACT_STARTS.finditer.
_START_CHARS = "\r\f\u200b\u200c\u200d\u2060\ufeff\u00ad<*_\\"
_START_BY_CHAR = [(c, re.compile(re.escape(c))) for c in _START_CHARS]
_START_NEWLINE = re.compile(r"\n(?=[ \t]*\n|[ \t#])")


def _artefact_starts(src: str) -> list[int]:
    """The starts of `_ARTEFACT_STARTS.finditer(src)`, in order."""
    starts = [c.start() for c in _START_NEWLINE.finditer(src)]
    for ch, pat in _START_BY_CHAR:
        if ch in src:
            starts += [c.start() for c in pat.finditer(src)]
    starts.sort()
    return starts


def _artefact_matches(src: str):
    """The matches `_ARTEFACTS.finditer(src)` gives, found faster: `_ARTEFACTS` is tried only at
    the positions `_ARTEFACT_STARTS` finds (and at a line start after such a newline)."""
    match = _ARTEFACTS.match
    done = 0                                   # end of the last match
    if src[:1] in (" ", "\t", "#"):
        m = match(src, 0)
        if m:
            yield m
            done = m.end()
    for p in _artefact_starts(src):
        if p >= done and (src[p] != "\n" or src[p - 1:p] in _PAGEJOIN_AFTER):   # most are blank lines
            m = match(src, p)
            if m:
                yield m
                done = m.end()
        if src[p] == "\n" and p + 1 >= done and src[p + 1:p + 2] in (" ", "\t", "#"):
            m = match(src, p + 1)
            if m:
                yield m
                done = m.end()


_REPLACEMENT = {
    "crlf": "\n", "ff": "\n", "invisible": "", "tag": "", "br": " ", "glued": "\n",
    "bold": "", "escape": "", "hardbreak": "", "hashes": "", "pagejoin": " ",
}


# a numbered heading, or a lettered item "a)" (a short line ending in one is not joined)
_HEADING_START = re.compile(rf"^\s*(?:{NUMBERED_HEADING}|[a-zđ]\s*{HEADING_MARK})\s*\S")


def _ends_short_heading(src: str, pos: int) -> bool:
    line = src[src.rfind("\n", 0, pos) + 1:pos]
    return len(line) < 120 and bool(_HEADING_START.match(line))


@dataclass
class Normalized:
    text: str
    # breakpoints (offset in text, offset in input): between two breakpoints the map is linear
    _out: list[int] = field(default_factory=lambda: [0])
    _in: list[int] = field(default_factory=lambda: [0])

    def to_input(self, offset: int) -> int:
        i = bisect.bisect_right(self._out, offset) - 1
        return self._in[i] + (offset - self._out[i])


def normalize_text(raw: str) -> Normalized:
    """NFC + artefact removal with an offset map (see module docstring)."""
    src = unicodedata.normalize("NFC", raw)
    fixed = repair(src)  # letter-spaced runs and glued words of PDF text layers (textrepair.py)
    if fixed:
        src = fixed[0]
    parts: list[str] = []
    outs, ins = [0], [0]
    pos = olen = 0
    for m in _artefact_matches(src):
        kind = m.lastgroup
        if kind == "pagejoin" and _ends_short_heading(src, m.start()):
            continue  # "1.9. Đầu tư" then a paragraph: not a cut sentence
        if m.start() > pos:
            parts.append(src[pos:m.start()])
            olen += m.start() - pos
        if kind in ("italic", "underline"):
            g = "inner" if kind == "italic" else "uinner"
            outs.append(olen), ins.append(m.start(g))
            inner = m.group(g)
            parts.append(inner)
            olen += len(inner)
        else:
            rep = _REPLACEMENT[kind]
            parts.append(rep)
            olen += len(rep)
        pos = m.end()
        outs.append(olen), ins.append(pos)
    parts.append(src[pos:])
    if fixed:
        outs, ins = compose(outs, ins, fixed[1], fixed[2])
    return Normalized("".join(parts), outs, ins)


def normalize_pages(pages: list[str]) -> tuple[Normalized, list[tuple[int, int]]]:
    """Normalize each page and join them with a blank line; returns the page spans too."""
    if len(pages) <= 1:
        return normalize_text(pages[0] if pages else ""), []
    texts, spans, pos = [], [], 0
    for p in pages:
        t = normalize_text(p).text
        texts.append(t)
        spans.append((pos, pos + len(t)))
        pos += len(t) + 2
    joined = "\n\n".join(texts)
    return Normalized(joined), spans
