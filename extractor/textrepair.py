"""Repair two PDF text-layer artefacts with a Vietnamese syllable inventory.

1. Letter-spaced runs: "V i ệ c s ắ p x ế p t ổ c h ứ c" or "4 5 - C T / T W" (four or more
   single characters separated by single spaces; a run may go on over line breaks when its
   lines are spaced too, "s ố\n1 8\nv à") lose their word boundaries as well. The letters are
   re-segmented by exact dynamic programming (the "greedy longest syllable with
   backtracking" done optimally): fewest tokens, then attested syllables before merely
   grammatical ones, then fewest abbreviation letters, then two-syllable dictionary words
   ("tết âm", not "tế tâm"), then the most frequent syllables. Digits and symbols are glued
   back ("45-CT/TW", "31/7/2025", "55.800.000", "100%."). A line of a run is rewritten only
   when every letter stretch parses into syllables or all-capital abbreviations ("HĐND",
   "QĐ") and the run holds a real syllable of two letters or more (capitals alone only
   inside a code such as "CT/TW"); a run of digits alone must come out as grouped numbers.
2. Glued words: PDF text layers drop the space after some syllables ending in a toned vowel
   ("vềtăng", "sựlãnh", "Đảng bộxã", "thứI", "kỳ2025", "Chỉ thịsố36-CT/TW"). A word that is
   not itself a syllable is split when it is a chain of attested syllables whose every
   boundary follows a toned vowel; the part after the last boundary may also be all
   capitals ("uỷUBND", "thứXIV"), and digits after a toned syllable are set apart
   ("kỳ 2025"). A vowel-initial second part is taken only where no nucleus could join the
   two ("vệan", "dựán"; not "tựan"). Words without a toned vowel (English, codes such as
   "UBND", "KH/HU"), vowels with a quality mark only ("Lênin", "Xôviết"), words inside URLs
   or e-mail addresses, and joined dictionary words ("Êđê") are never split.

3., 4. and 5., for OCR'd text only (ingest/ocr.py): words whose spaces a scan lost
   (`split_ocr_glued`, per word), words the document's own spelling repairs
   (`repair_ocr_document`, per document) and tone marks the scan lost or swapped
   (`repair_ocr_tones`, per document, from the word list and the document); see their comments below.

The inventory (data/vn_syllables.json) holds every syllable of underthesea's bundled
Viet74K word list that fits the Vietnamese syllable grammar (onset + nucleus + coda,
GRAMMAR below), with the number of dictionary entries using it; tones are compared apart
from where the mark sits ("hoà" = "hòa", "uỷ" = "ủy"). Rebuild it with
`python -m extractor.textrepair build [Viet74K.txt [tagged corpus]]`, which also writes
data/vn_words.json.gz (rule 5); underthesea is not needed at run time.

`repair(text)` returns the repaired text and an offset map (breakpoints, as in normalize):
only single spaces are removed and single spaces inserted, every other character is kept.
Clean text goes through unchanged (tests/test_textrepair.py checks the seeds and the clean
real documents); the scan costs about a fifth of normalize_text's time.
"""
from __future__ import annotations

import bisect
import json
import math
import re
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

from .model import inside
from .vn import LETTER, UPPER

_DATA = Path(__file__).parent / "data" / "vn_syllables.json"

# --- the syllable grammar (orthographic, tone marks removed) ---------------------------------
_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?"
_NUCLEUS = ("a|ă|â|e|ê|i|y|o|ô|ơ|u|ư|ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|oo|ôi|ơi|ua|uâ|"
            "uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|iêu|yê|yêu|oai|oay|oao|oeo|uây|uôi|uya|uyê|uyu|ươi|ươu")
_CODA = r"(?:ch|ng|nh|[cmnpt])?"
GRAMMAR = re.compile(rf"{_ONSET}(?:{_NUCLEUS}){_CODA}")

_TONES = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
_ASCII_VOWELS = "aeiouyAEIOUY"


@lru_cache(maxsize=65536)
def syllable_key(word: str) -> tuple[str, int]:
    """(base without tone, tone): independent of case and of where the tone mark sits."""
    tone, base = 0, []
    for ch in unicodedata.normalize("NFD", word.lower()):
        t = _TONES.get(ch)
        if t:
            tone = t if not tone else -1    # two tone marks: never one syllable
        else:
            base.append(ch)
    return unicodedata.normalize("NFC", "".join(base)), tone


def build_inventory(dictionary: Path) -> dict[tuple[str, int], tuple[str, int]]:
    """Syllables of a word list (one entry a line) that fit GRAMMAR: key -> (spelling, entries)."""
    inv: dict[tuple[str, int], list] = {}
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        line = unicodedata.normalize("NFC", line.strip()).lower()
        for w in set(re.split(r"[\s\-]+", line)):
            if not w:
                continue
            k = syllable_key(w)
            if GRAMMAR.fullmatch(k[0]):
                e = inv.setdefault(k, [w, 0])
                e[1] += 1
    return {k: (w, n) for k, (w, n) in inv.items()}


def _joined_words(dictionary: Path, inv) -> list[str]:
    """Dictionary words written as one word (or hyphenated) that rule 2 would split: kept."""
    keep = []
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        w = unicodedata.normalize("NFC", line.strip()).lower().replace("-", "")
        if w and " " not in w and syllable_key(w) not in inv and _split_glued(w, inv) is not None:
            keep.append(w)
    return sorted(set(keep))


@lru_cache(maxsize=1)
def _load():
    """(syllable key -> log(1 + entries), joined words kept whole, ambiguous dictionary pairs)."""
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    inv = {syllable_key(w): math.log(1 + n) for w, n in data["syllables"].items()}
    keep = set(data["keep"])
    pairs = {tuple(syllable_key(x) for x in p.split(" ")) for p in data["pairs"]}
    return inv, keep, pairs


def _ambiguous_pairs(dictionary: Path, inv) -> list[str]:
    """Adjacent syllables of dictionary words ("âm lịch") whose letters also split into two
    other attested syllables ("tâm|lịch" vs "tết âm" / "tế tâm"): they settle such runs."""
    out = set()
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        ws = re.split(r"[\s\-]+", unicodedata.normalize("NFC", line.strip()).lower())
        for a, b in zip(ws, ws[1:]):
            if syllable_key(a) not in inv or syllable_key(b) not in inv:
                continue
            w = a + b
            if any(k != len(a) and syllable_key(w[:k]) in inv and syllable_key(w[k:]) in inv
                   for k in range(1, len(w))):
                out.add(f"{a} {b}")
    return sorted(out)


def is_syllable(word: str) -> bool:
    """An attested Vietnamese syllable, in lower, Capitalized or UPPER case."""
    if not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
        return False
    return syllable_key(word) in _load()[0]


# --- rule 2: glued words -------------------------------------------------------------------
_MARKED_LOWER = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
_MARKED = _MARKED_LOWER + _MARKED_LOWER.upper()
# vowels carrying a tone mark: every glued boundary seen in PDF text layers follows one, while
# a vowel with only a quality mark ends foreign names ("Lênin", "Xôviết") in clean text
_TONED = "".join(c for c in _MARKED if any(
    x in _TONES for x in unicodedata.normalize("NFD", c)))
_VOWELS = _ASCII_VOWELS + _MARKED
_CONS = "bcdđghklmnpqrstvxBCDĐGHKLMNPQRSTVX"


def _no_syllable_after(toned: str) -> str:
    """A regex for what cannot follow a toned vowel inside one syllable: consonants then a
    vowel (a second vowel group), a digit or any marked vowel, a capital after a small letter,
    or a plain vowel that no nucleus puts there ("vệan", "dựán").

    The toned vowel is matched first, then one alternative per kind of second character, each
    opening with that character (the engine rejects an alternative on its first character at
    once); the capital and plain-vowel ones then look back at the toned vowel. Most toned vowels
    in ordinary text, followed by a space or a final consonant, so fail after a few checks."""
    by_base: dict[str, str] = {}
    for ch in toned:
        base = unicodedata.normalize("NFC", "".join(
            x for x in unicodedata.normalize("NFD", ch.lower()) if x not in _TONES))
        by_base[base] = by_base.get(base, "") + ch
    bad_after: dict[str, str] = {}      # plain vowel -> the toned vowels no nucleus continues with it
    for base, chars in by_base.items():
        ok = {n[n.index(base) + 1] for n in _NUCLEUS.split("|") if base in n[:-1]}
        for v in "aeiouy":
            if v not in ok:
                bad_after[v] = bad_after.get(v, "") + chars
    lower = "".join(c for c in toned if c.islower())
    # [_CONS]++: consonants never give back (no vowel is a consonant), so failing is cheap
    alts = [rf"[{_CONS}]++[{_VOWELS}]", rf"[\d{_MARKED}]", rf"[{UPPER}](?<=[{lower}].)"]
    alts += [rf"{v}(?<=[{chars}]{v})" for v, chars in bad_after.items()]
    return rf"[{toned}](?:" + "|".join(alts) + ")"


# Candidates for rule 2 in one cheap scan (ordinary words never match); the word around a
# hit is then checked in Python.
_GLUED = re.compile(_no_syllable_after(_TONED))
_WORD_END = re.compile(rf"[{LETTER}\d]*")
_WORD_CHARS = frozenset(c for c in map(chr, range(0x250)) if c.isalnum()) | set(_MARKED)
_URLISH = re.compile(r"://|www\.|@|\.[a-z]{2,}\b|[\\_]", re.IGNORECASE)   # in the same chunk
_CHUNK_END = re.compile(r"\s|$")
_CHUNK_START = re.compile(r"\s(?=\S*$)")


def _split_glued(word: str, inv=None) -> list[str] | None:
    """Syllables of a glued word, or None. Every boundary follows a toned vowel."""
    inv = inv if inv is not None else _load()[0]
    n = len(word)
    # best[i] = (parts, -logfreq, split) for word[:i]
    best: list = [None] * (n + 1)
    best[0] = (0, 0.0, [])
    for i in range(n):
        if best[i] is None or (i and word[i - 1] not in _TONED):
            continue
        for j in range(i + 1, min(n, i + 7) + 1):
            tok = word[i:j]
            last = j == n
            if not (tok.islower() or (tok[0].isupper() and (len(tok) == 1 or tok[1:].islower()))):
                if not (i and last and tok.isupper()):   # "uỷUBND", "thứXIV"
                    continue
                f = 0.0
            else:
                f = inv.get(syllable_key(tok))
                if f is None:
                    if i and last and tok.isupper():
                        f = 0.0
                    else:
                        continue
            if not last and tok[-1] not in _TONED:
                continue
            if i and tok[0] in _VOWELS.lower():
                k = syllable_key(best[i][2][-1] + tok)     # "vệan", "dựán"; not "tựan"
                if k[1] >= 0 and GRAMMAR.fullmatch(k[0]):
                    continue
            cand = (best[i][0] + 1, best[i][1] - f, best[i][2] + [tok])
            if best[j] is None or cand[:2] < best[j][:2]:
                best[j] = cand
        if i + 7 < n and word[i:].isupper() and i and word[i - 1] in _TONED:
            cand = (best[i][0] + 1, best[i][1], best[i][2] + [word[i:]])   # long capital tail
            if best[n] is None or cand[:2] < best[n][:2]:
                best[n] = cand
    if best[n] is None or best[n][0] < 2:
        return None
    return best[n][2]


def _glued_word(text: str, pos: int) -> tuple[int, int]:
    """The word (letters and digits) around a _GLUED hit at pos."""
    start = pos
    while start and text[start - 1] in _WORD_CHARS:
        start -= 1
    return start, _WORD_END.match(text, pos).end()


def _repair_glued(text: str, start: int, end: int, edits: list) -> None:
    cuts = _glued_cuts(text[start:end])
    if not cuts:
        return
    a = _CHUNK_START.search(text, max(0, start - 200), start)
    z = _CHUNK_END.search(text, end)                 # the white-space-free chunk around it
    if _URLISH.search(text, a.end() if a else max(0, start - 200), z.start()):
        return
    for c in cuts:
        edits.append((start + c, start + c, " "))


@lru_cache(maxsize=16384)
def _glued_cuts(token: str) -> tuple[int, ...]:
    """Where to insert a space in a word of letters and maybe digits ("thịsố36", "kỳ2025")."""
    k = len(token)
    while k and token[k - 1].isdigit():
        k -= 1
    letters = token[:k]
    if not letters or not all(c.isalpha() for c in letters):
        return ()
    inv, keep, _ = _load()
    cuts: list[int] = []
    if not is_syllable(letters):
        if letters.lower() in keep or letters[0].isupper() and letters[1:2].isupper():
            return ()   # a dictionary word ("Êđê"), or a capital code
        parts = _split_glued(letters, inv)
        if parts is None:
            return ()
        pos = 0
        for p in parts[:-1]:
            pos += len(p)
            cuts.append(pos)
        last = parts[-1]
    else:
        last = letters
    if k < len(token):
        if last[-1] in _TONED:
            cuts.append(k)
        elif not cuts:
            return ()
    return tuple(cuts)


# --- rule 1: letter-spaced runs ------------------------------------------------------------
# Single characters separated by single spaces; a run may go on over line breaks when every
# line of it is spaced too ("s ố\n1 8\nv à\ns ắ p": one word a line). Four characters at least.
_RUN = re.compile(r"(?<!\S)\S(?:(?: |\r?\n)\S)+(?!\S)")
# The same runs with the white space before them (a run starts after white space or at the
# text's start): opening with a character class lets the engine skip to white space at once.
_SPACE_RUN = re.compile(r"\s(\S(?:(?: |\r?\n)\S)+)(?!\S)")


# Where a _SPACE_RUN match can start: white space, one character, then a separator. Most white
# space is followed by a longer word, and this pattern (no group, no repetition) rejects those
# positions faster than _SPACE_RUN does.
_RUN_ENTRY = re.compile(r"\s\S(?=[ \r\n])")
# The same entries found from the separator that ends them, one scan per separator: a pattern
# that opens with a literal lets the engine skip to that character in a tight loop, where \s is a
# category test at every character (about three times the cost over a document); the white space
# and the character before the separator are looked behind at. An entry at e is the separator at
# e + 2 with white space at e and a character at e + 1, so the scans, merged, give the entries of
# _RUN_ENTRY.finditer (whatever the white space, no-break and typographic spaces too).
_ENTRY_ENDS = {c: re.compile(re.escape(c) + r"(?<=\s\S.)", re.S) for c in " \r\n"}


def _run_entries(text: str, pos: int) -> list[int]:
    """The starts of `_RUN_ENTRY.finditer(text, pos)`, in order."""
    starts: list[int] = []
    for c, pat in _ENTRY_ENDS.items():
        if c in text:
            starts += [e.start() - 2 for e in pat.finditer(text, pos + 2)]
    starts.sort()
    return starts


def _runs(text: str):
    """(start, end) of every `_RUN` match in text, in order: = _SPACE_RUN.finditer after a run at
    the start, tried only where _RUN_ENTRY matches (every match starts there; an entry consumes
    only two characters, the second of which opens no run)."""
    pos = 0
    m = _RUN.match(text)
    if m:
        yield m.span()
        pos = m.end()
    done = pos
    for p in _run_entries(text, pos):
        if p >= done:
            m = _SPACE_RUN.match(text, p)
            if m:
                yield m.span(1)
                done = m.end()
_ATTACH_LEFT = set(".,;:%)!?")
_SYMBOLS = _ATTACH_LEFT | set("(/-")
_NUMBER = re.compile(r"\d{1,3}(?:[.,]\d{3})+(?:,\d+)?%?|\d+,\d+%?|\d{1,2}(?:\.\d{1,2}){1,2}\.")   # "55.800.000", "13,36%", "1.1."
_STOP_CODA = re.compile(r"(?:c|ch|p|t)$")


@lru_cache(maxsize=65536)
def _syllable_cost(tok: str) -> tuple[int, float] | None:
    """(unattested, -log frequency) of a syllable in one of its three cases, or None."""
    if not (tok.islower() or tok.isupper() or (tok[0].isupper() and tok[1:].islower())):
        return None
    key = syllable_key(tok)
    f = _load()[0].get(key)
    if f is not None:
        return 0, -f
    base, tone = key
    if tone >= 0 and GRAMMAR.fullmatch(base) and not (_STOP_CODA.search(base) and tone not in (2, 5)):
        return 1, 0.0                   # fits the grammar, not in the dictionary ("Nguyễn")
    return None


def _segment_letters(s: str) -> tuple[list[int], bool] | None:
    """(token ends inside s, a syllable of 2+ letters was found), or None when s does not parse.

    Tokens: syllables in lower, Capitalized or UPPER case, or all-capital abbreviations of
    2-8 letters. Cost, compared in order: tokens (an unattested syllable counts twice),
    unattested syllables, abbreviation letters, dictionary pairs ("tết âm", not "tế tâm"),
    then -log frequency. Exact dynamic programming over (end, start of the last token).
    """
    pairs = _load()[2]
    n = len(s)
    # state[j][i] = (cost, found a long syllable, key of s[i:j], start of the token before)
    state: list[dict] = [{} for _ in range(n + 1)]
    state[0][-1] = ((0, 0, 0, 0, 0.0), False, None, None)
    for i in range(n):
        if not state[i]:
            continue
        for j in range(i + 1, min(n, i + 8) + 1):
            tok = s[i:j]
            c = _syllable_cost(tok) if j - i <= 7 else None
            opts = []
            if c is not None:
                opts.append(((1 + c[0], c[0], 0, 0, c[1]), j - i > 1 and not c[0], syllable_key(tok)))
            if j - i >= 2 and tok.isupper():
                opts.append(((1, 0, j - i, 0, 0.0), False, None))
            for add, long_, key in opts:
                for h, (cost, l0, pkey, _) in state[i].items():
                    pair = key is not None and pkey is not None and (pkey, key) in pairs
                    cost = (cost[0] + add[0], cost[1] + add[1], cost[2] + add[2],
                            cost[3] - pair, cost[4] + add[4])
                    old = state[j].get(i)
                    if old is None or cost < old[0]:
                        state[j][i] = (cost, l0 or long_, key, h)
    if not state[n]:
        return None
    i = min(state[n], key=lambda k: state[n][k][0])
    long_ = state[n][i][1]
    cuts, j = [], n
    while i > 0:
        cuts.append(i)
        i, j = state[j][i][3], i
    return sorted(cuts), long_


def _group_gaps(chars: list[str]) -> tuple[list[bool], str] | None:
    """For one line of spaced characters: which spaces to keep, and the kind of line
    ("syllables", "letters" when only abbreviations were found, "digits"), or None."""
    n = len(chars)
    keep = [True] * (n - 1)             # keep[g]: the space between chars[g] and chars[g+1]
    syllable = letters = False
    i = 0
    while i < n:
        if chars[i].isalpha():
            j = i
            while j < n and chars[j].isalpha():
                j += 1
            seg = _segment_letters("".join(chars[i:j]))
            if seg is None:
                return None
            letters = True
            syllable = syllable or seg[1]
            cuts = set(seg[0])
            for g in range(i, j - 1):
                keep[g] = (g - i + 1) in cuts
            i = j
        elif chars[i].isdigit() or chars[i] in _SYMBOLS:
            i += 1
        else:
            return None                 # "|", "*", quotes...: not a spaced-out sentence
    code = lambda x: x.isdigit() or x.isupper()   # noqa: E731
    for g in range(n - 1):
        a, b = chars[g], chars[g + 1]
        if a.isalpha() and b.isalpha():
            continue
        if a.isdigit() and b.isdigit():
            keep[g] = False             # "2 0 2 5"
        elif b in _ATTACH_LEFT:
            keep[g] = False             # "1 0 0 % ." -> "100%."
            if b in ".," and a.isdigit() and g + 2 < n and chars[g + 2].isdigit():
                keep[g + 1] = False     # "1 . 2 8 9" -> "1.289", "1 3 , 3 6" -> "13,36"
        elif a == "(" or a == "/" or b == "/":
            keep[g] = False             # "( 3 0 0", "0 1 / Q Đ", "C T / T W"
        elif a == "-" and g >= 1 and code(chars[g - 1]) and code(b):
            keep[g] = False             # "4 5 - C T", "Q Đ - C T N"
        elif b == "-" and g + 2 < n and code(a) and code(chars[g + 2]):
            keep[g] = False
    kind = "syllables" if syllable else "letters" if letters else "digits"
    return keep, kind


def _repair_run(run: str, base: int, edits: list) -> None:
    if run.count(" ") == 0 or len(run) - run.count(" ") - run.count("\n") - run.count("\r") < 4:
        return
    groups = []                         # (chars, offsets of the spaces between them, result)
    pos = 0
    for line in run.split("\n"):
        body = line.rstrip("\r")
        if len(body) > 1:
            chars = body[::2]
            gaps = [base + pos + 2 * g + 1 for g in range(len(chars) - 1)]
            groups.append((chars, gaps, _group_gaps(list(chars))))
        pos += len(line) + 1
    kinds = {r[1] for _, _, r in groups if r is not None}
    coded = any("/" in c or "-" in c for c, _, r in groups if r is not None and r[1] == "letters")
    for chars, gaps, r in groups:
        if r is None:
            continue
        keep, kind = r
        if kind == "letters" and not coded and "syllables" not in kinds:
            continue                    # "A B C D": capitals only, no code around them
        if kind == "digits" and "syllables" not in kinds:
            out = "".join(c + (" " if k else "") for c, k in zip(chars, keep + [False]))
            if not all(_NUMBER.fullmatch(t.strip("().,;")) or not t.strip("().,;") for t in out.split()):
                continue                # "1 2 3 4" alone is a table header, not 1234
        for g, k in enumerate(keep):
            if not k:
                edits.append((gaps[g], gaps[g] + 1, ""))


# --- rule 3 (OCR words only): a word whose spaces the scan lost ------------------------------
# Tesseract loses every space of some lines (bold, tightly set): "côngtácbảovệchínhtrinộibộ",
# "vềxâydựng,củngcố". Unlike rule 2 the boundaries follow any syllable, so this runs on OCR'd
# words only (ingest/ocr.py), where no clean text can be hurt: a stretch of letters with a
# Vietnamese mark that is no syllable is re-segmented as rule 1 does, and kept only when it gives
# three or more pieces, each an attested syllable of two letters or more (no abbreviation, no
# merely grammatical syllable), none a vowel-initial piece a nucleus could join to the one before
# ("nguôn" is "nguồn" misspelt, not "ngu ôn"). Two pieces ("cácbon", "Xôviết", "đơnvị") are split
# only where the document writes them apart (rule 4, `repair_ocr_document`).
_LONG_LETTERS = re.compile(r"[^\W\d_]{4,}")
_GLUED_PUNCT = re.compile(r"(?<=[^\W\d_])([,;:])(?=[^\W\d_])|(?<=\S)(\.)(?=[^\W\d_][^\W\d_])")


@lru_cache(maxsize=16384)
def split_ocr_glued(word: str) -> str:
    """An OCR'd word with the spaces the scan lost put back, or the word as it was."""
    if len(word) < 5:
        return word
    split = False

    def fix(m: re.Match) -> str:
        nonlocal split
        s = m.group(0)
        cut = _acronym_glued(s)
        if cut:
            split = True
            return s[:cut] + " " + s[cut:]
        if s.isupper() or not any(c in _MARKED for c in s) or is_syllable(s) or s.lower() in _load()[1]:
            return s
        parts = _glued_parts(s)
        if parts is None and len(s) > 5 and s[0].isupper() and s[1].isupper() and s[2].islower():
            # a speck read as a capital before the word ("ÂCơquanphối"): the rest split, the letter kept apart
            rest = _glued_parts(s[1:])
            parts = [s[0], *rest] if rest and len(rest) >= 3 else None
        if parts is None or len(parts) < 3:
            return s
        split = True
        return " ".join(parts)

    out = _LONG_LETTERS.sub(fix, word)
    if not split:
        return word
    # the punctuation between glued words: a space after it ("biênchế,vitrí", "¡.Việc")
    return _GLUED_PUNCT.sub(lambda m: (m.group(1) or m.group(2)) + " ", out)


def _acronym_glued(s: str) -> int:
    """Where a capitalised syllable glued to an acronym ("BanTG", "SởKHCN") ends, or 0: no Vietnamese
    word turns from lower to upper case (product names that do, "VNeID", "TikTok", "ZaloPay", are no
    syllable followed by capitals)."""
    for i in range(2, len(s) - 1):
        if s[i].isupper():
            return i if s[0].isupper() and s[1:i].islower() and s[i:].isupper() and is_syllable(s[:i]) else 0
    return 0


def _glued_parts(s: str) -> list[str] | None:
    """The attested syllables (two letters or more) a stretch of letters without spaces is made
    of, or None."""
    seg = _segment_letters(s)
    if seg is None or not seg[0]:
        return None
    bounds = [0, *seg[0], len(s)]
    parts = [s[a:b] for a, b in zip(bounds, bounds[1:])]
    if not all(len(p) > 1 and is_syllable(p) and not p.isupper() for p in parts):
        return None         # a lone letter is a misread more often than a word
    for a, b in zip(parts, parts[1:]):
        k = syllable_key(a + b)
        if b[0].lower() in _VOWELS.lower() and k[1] >= 0 and GRAMMAR.fullmatch(k[0]):
            return None     # "ngu|ôn": one syllable misspelt ("nguôn"), not two
    return parts


# --- rule 4 (OCR'd documents only): what the document itself says a misread word is -----------
# Two syllables glued ("biênchế", rule 3 leaves two pieces alone) are split where the document
# writes them apart at least twice; a word that is no syllable at all ("địa bhượng"), one or two
# letters away from the word of a pair the document writes at least _MAJORITY times beside the
# same neighbour ("địa phương" 13 times), and _MAJORITY times as often as the odd pair, is that
# word. Tones are not voted on: pairs that differ in a tone only are both ordinary ("quan trọng" /
# "cơ quan trong", "chú trọng" / "tự chủ trong").
_MAJORITY = 3
_PAIR = re.compile(r"(?<![^\W\d_])([^\W\d_]+) ([^\W\d_]+)(?![^\W\d_])")


def _pairs(text: str):
    """(start, first, second) of every pair of adjacent words (one space apart), overlapping."""
    pos = 0
    while True:
        m = _PAIR.search(text, pos)
        if not m:
            return
        yield m.start(), m.group(1), m.group(2)
        pos = m.start(2)


def _pair_counts(texts: list[str]) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for t in texts:
        for _, a, b in _pairs(t):
            k = (a.lower(), b.lower())
            counts[k] = counts.get(k, 0) + 1
    return counts


_WORD = re.compile(r"[^\W\d_]{4,}")


def _split_pairs(texts: list[str], counts: dict) -> list[str]:
    """Two syllables glued ("biênchế") where the document writes them apart at least twice (rule 3)."""
    def fix(m: re.Match) -> str:
        s = m.group(0)
        if s.isupper() or not any(c in _MARKED for c in s) or is_syllable(s) or s.lower() in _load()[1]:
            return s
        parts = _glued_parts(s)
        if parts is None or len(parts) != 2 or counts.get((parts[0].lower(), parts[1].lower()), 0) < 2:
            return s
        return " ".join(parts)
    return [_WORD.sub(fix, t) for t in texts]


def repair_ocr_document(texts: list[str]) -> list[str]:
    """The pages of one OCR'd document repaired from its own spelling (rule 4, above)."""
    split = _split_pairs(texts, _pair_counts(texts))
    if split != texts:
        texts = split
    counts = _pair_counts(texts)
    by_word: dict[tuple[int, str], list[tuple[str, str]]] = {}    # (0 or 1, the word kept) → pairs
    for k, n in counts.items():
        if n >= _MAJORITY:
            by_word.setdefault((0, k[0]), []).append(k)
            by_word.setdefault((1, k[1]), []).append(k)
    if not by_word:
        return texts
    out = []
    for t in texts:
        edits = []
        for start, a, b in _pairs(t):
            k = (a.lower(), b.lower())
            fixes = _garbled_fixes(k, by_word, counts)
            if len(fixes) == 1:
                right = " ".join(fixes[0])
                edits.append((start, "".join(r.upper() if w.isupper() else r for r, w in zip(right, a + " " + b))))
        for start, right in edits:      # the same length: the offsets of later edits hold
            t = t[:start] + right + t[start + len(right):]
        out.append(t)
    return out


def _garbled_fixes(k: tuple[str, str], by_word: dict, counts: dict) -> list[tuple[str, str]]:
    """A word with a Vietnamese mark that is no syllable ("địa bhượng") beside a word the majority
    pair shares, one or two letters away from the majority's word of the same length ("địa phương"
    13 times). The same glyphs misread the same way may recur ("CHÁP THUẬN" twice in one title
    block): a pair seen n times yields to a majority written at least _MAJORITY × n times."""
    out = []
    need = _MAJORITY * counts[k]
    for keep, bad in ((0, 1), (1, 0)):
        w = k[bad]
        if not any(c in _MARKED for c in w) or is_syllable(w) or not w.isalpha() or w in _load()[1]:
            continue    # abbreviations and Roman numerals ("BTV", "TW", "XV") are no syllables either
        for m in by_word.get((keep, k[keep]), ()):
            if counts[m] >= need and len(m[bad]) == len(w) and sum(x != y for x, y in zip(m[bad], w)) <= 2:
                out.append(m)
    return out


# --- rule 5 (OCR'd documents only): tone marks lost, swapped or added -----------------------
# Tesseract loses or swaps the small tone mark, above all on circumflex/breve/horn vowels ("câp",
# "nguy hiêm", "vận chuyền", "sửa đồi", "hô sơ"), and reads the dot of an "i" as one ("phạm vỉ",
# "Kính phí"). Only the tone of a syllable changes: any tone on a vowel with a circumflex, breve or
# horn; on a plain vowel only a mark on "i" is taken away. Evidence, in this order: the word list
# (two- and three-syllable entries of Viet74K, data/vn_words.json.gz), then the document's spelling.
# - A word that is no attested syllable but whose base is ("câp", "xuât", "đên": a stop coda
#   takes only the acute or dot tone) takes the tone variant that makes a dictionary word with a
#   neighbour, else the one the document writes most often (twice at least, and more than any
#   other variant).
# - An attested syllable is changed only when it forms no dictionary word with either neighbour,
#   is not a word of its own (used alone in underthesea's tagged VLSP test set: "để", "tại",
#   "cùng", "chỉ" need no neighbour), and a free neighbour (not in a dictionary word with its own
#   other neighbour: "cơ quan trong" stays) forms one with exactly one tone variant ("hô sơ" ->
#   "hồ sơ"); between several, the variant the document writes beside that neighbour elsewhere,
#   else the one the tagged set uses most. Where the neighbour may be the misread one, or both,
#   the reading the tagged set uses most wins ("tỉnh thần" stays for "tinh thần"; "biên đôi" is
#   "biến đổi", not "biên đội"). Words never read in the tagged set count as unused.
#   With no dictionary word at all, the document's own spelling of the same slot settles it
#   ("liệu nô công" where it writes "liệu nổ công" as often and "nổ" in a word elsewhere); with
#   no evidence around it, a rare lower-case word one lost mark from one of the commonest words
#   ("vê" -> "về", "đê" -> "để") is that word, which may then be the evidence for its neighbour.
# Neighbours are words one space or one line break away, of the same case kind (UPPER beside
# UPPER, "BÍ THƯ kiêm CHỦ TỊCH" is left alone); a Capitalized word beside another (a name) is
# left alone. Every edit keeps the length (NFC has one character for each toned vowel), so the
# offsets of the page hold.
_WORDS_DATA = Path(__file__).parent / "data" / "vn_words.json.gz"
_TOKEN_RE = re.compile(r"[^\W\d_]+")
_NEIGHBOUR_GAP = re.compile(r" |\r?\n")
_WHITE = re.compile(r"\s+")


def _key_str(k: tuple[str, int]) -> str:
    return k[0] + (str(k[1]) if k[1] else "")


_FINAL_Y = re.compile(r"(?:[bdđhklmnrstvx]|ch|kh|ng|nh|ph|th|tr)y")


def _word_key(k: tuple[str, int]) -> tuple[str, int]:
    """A syllable key for looking words up: a final "y" after a consonant is written "i" by
    some ("chữ kí" in the word list, "chữ ký" in the documents)."""
    return (k[0][:-1] + "i", k[1]) if _FINAL_Y.fullmatch(k[0]) else k


def _str_key(s: str) -> tuple[str, int]:
    return (s[:-1], int(s[-1])) if s[-1].isdigit() else (s, 0)


def build_words(dictionary: Path, inv) -> list[str]:
    """Two- and three-syllable entries of a word list, each syllable an attested key written
    `base` + tone digit ("kiêm3 tra"): the tone mark's place, the case and "y"/"i" normalized away."""
    out = set()
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        ws = [w for w in re.split(r"[\s\-]+", unicodedata.normalize("NFC", line.strip()).lower()) if w]
        keys = [syllable_key(w) for w in ws]
        if 2 <= len(keys) <= 3 and all(k in inv for k in keys):
            out.add(" ".join(_key_str(_word_key(k)) for k in keys))
    return sorted(out)


_ALONE_MIN = 2
_COMMON = 50        # used alone this often in the tagged set (96K words): "về", "để", "số", "có"


def build_alone(tagged: Path) -> dict[str, int]:
    """Syllables a word-segmented corpus (one word a line, tab-separated tags) uses as a word of
    their own at least _ALONE_MIN times ("để", "tại", "cùng"): such a syllable needs no neighbour
    to make a word, so its lack of one is no sign of a misread tone."""
    counts: dict[str, int] = {}
    for line in tagged.read_text(encoding="utf-8").splitlines():
        w = unicodedata.normalize("NFC", line.split("\t")[0].strip()).lower()
        if w and " " not in w:
            k = syllable_key(w)
            if k[1] >= 0 and GRAMMAR.fullmatch(k[0]):
                counts[_key_str(k)] = counts.get(_key_str(k), 0) + 1
    return {k: n for k, n in sorted(counts.items()) if n >= _ALONE_MIN}


def build_usage(tagged: Path, words: list[str]) -> dict[str, int]:
    """How often the same corpus uses each two-syllable dictionary word ("biến đổi", "tiến độ"):
    between two readings of a misread pair, the one in use ("biến đổi", not "biên đội")."""
    known = {w for w in words if w.count(" ") == 1}
    counts: dict[str, int] = {}
    for line in tagged.read_text(encoding="utf-8").splitlines():
        ws = unicodedata.normalize("NFC", line.split("\t")[0].strip()).lower().split(" ")
        if len(ws) == 2:
            w = " ".join(_key_str(_word_key(syllable_key(x))) for x in ws)
            if w in known:
                counts[w] = counts.get(w, 0) + 1
    return dict(sorted(counts.items()))


@lru_cache(maxsize=1)
def _words():
    """(dictionary pairs, dictionary triples, syllables used alone, pair usage) of syllable keys."""
    import gzip
    data = json.loads(gzip.decompress(_WORDS_DATA.read_bytes()).decode("utf-8"))
    pairs, triples = set(), set()
    for line in data["words"]:
        ks = tuple(map(_str_key, line.split(" ")))
        (pairs if len(ks) == 2 else triples).add(ks)
    usage = {tuple(map(_str_key, w.split(" "))): n for w, n in data["usage"].items()}
    return pairs, triples, {_str_key(k): n for k, n in data["alone"].items()}, usage


@lru_cache(maxsize=1)
def _spellings() -> dict[tuple[str, int], str]:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    return {syllable_key(w): w for w in data["syllables"]}


def _case_kind(w: str) -> int | None:
    """0 lower, 1 Capitalized, 2 UPPER (one letter: Capitalized), None for mixed case."""
    if w.islower():
        return 0
    if w.isupper():
        return 1 if len(w) == 1 else 2
    if w[0].isupper() and w[1:].islower():
        return 1
    return None


def with_tone(word: str, tone: int) -> str | None:
    """`word` with its tone mark replaced (0: removed), in its own case and mark placement."""
    chars = list(word)
    at = None
    for i, c in enumerate(chars):
        d = unicodedata.normalize("NFD", c)
        if any(x in _TONES for x in d):
            at = i
            chars[i] = unicodedata.normalize("NFC", "".join(x for x in d if x not in _TONES))
    if tone:
        if at is None:      # place it where the dictionary's spelling of the syllable has it
            sp = _spellings().get((syllable_key(word)[0], tone))
            if sp is None or len(sp) != len(word):
                return None
            at = next((i for i, c in enumerate(sp) if any(x in _TONES for x in unicodedata.normalize("NFD", c))), None)
            if at is None:
                return None
        mark = "\u0300\u0301\u0309\u0303\u0323"[tone - 1]
        chars[at] = unicodedata.normalize("NFC", unicodedata.normalize("NFD", chars[at]) + mark)
    out = "".join(chars)
    return out if len(out) == len(word) else None


def _tone_tokens(text: str):
    """[start, word, key or None, case kind, gap to the next word is a neighbour's, word key,
    gap to the next word is white space only, word keys of its first and last syllables]"""
    toks = []
    for m in _TOKEN_RE.finditer(text):
        w = m.group()
        kind = _case_kind(w)
        k = syllable_key(w) if kind is not None else None
        if k is not None and (k[1] < 0 or not GRAMMAR.fullmatch(k[0])):
            k = None
        wk = _word_key(k) if k is not None else None
        ends = (wk, wk)
        if k is None and len(w) > 3:        # glued ("quảChỉ", "thịsố"): its first and last syllables
            parts = _split_glued(w)
            if parts:
                ends = (_word_key(syllable_key(parts[0])), _word_key(syllable_key(parts[-1])))
        toks.append([m.start(), w, k, kind, False, wk, False, *ends])
    for a, b in zip(toks, toks[1:]):
        a[4] = bool(_NEIGHBOUR_GAP.fullmatch(text, a[0] + len(a[1]), b[0]))
        a[6] = bool(_WHITE.fullmatch(text, a[0] + len(a[1]), b[0]))
    return toks


def _neighbours(toks, i):
    """(left, right) token indexes of the same case kind, None where there is none."""
    def ok(j):
        a, b = toks[i], toks[j]
        return b[2] is not None and (a[3] == 2) == (b[3] == 2) and not (a[3] == 1 and b[3] == 1 and a[1][1:] and b[1][1:])
    left = i - 1 if i and toks[i - 1][4] and ok(i - 1) else None
    right = i + 1 if i + 1 < len(toks) and toks[i][4] and ok(i + 1) else None
    return left, right


def _name_like(toks, i) -> bool:
    """A Capitalized word beside another (a name: "Hoàng Văn Thuân"): no evidence either way."""
    if toks[i][3] != 1:
        return False
    return (i and toks[i - 1][4] and toks[i - 1][3] == 1) or (i + 1 < len(toks) and toks[i][4] and toks[i + 1][3] == 1)


def _allowed_tones(word: str, k: tuple[str, int]) -> list[int]:
    """The tones OCR may have lost or swapped for: any on a vowel with a circumflex, breve or horn;
    on a plain vowel only a mark on "i" is taken away (the dot of "i" read as a mark)."""
    if any(c in "âêôơưă" for c in k[0]):
        return [t for t in range(6) if t != k[1]]
    return [0] if k[1] and _toned_char(word) in "ìíỉĩịÌÍỈĨỊ" else []


def _variant_keys(tok) -> list[tuple[str, int]]:
    """Word keys of the attested tone variants of a token."""
    k = tok[2]
    inv = _load()[0]
    return [_word_key((k[0], t)) for t in _allowed_tones(tok[1], k) if (k[0], t) in inv]


def _toned_char(word: str) -> str:
    return next((c for c in word if any(x in _TONES for x in unicodedata.normalize("NFD", c))), "")


def _tone_fix(toks, i, inv, lexicon, words, doc_pairs, doc_slots, in_words):
    """The key toks[i] should have, or None."""
    pairs, triples, alone, _ = lexicon
    k = toks[i][2]
    if k is None or len(toks[i][1]) < 2:
        return None
    # the mark OCR loses or swaps sits above a circumflex, breve or horn; on a plain vowel it
    # only adds one (the dot of "i" read as a mark: "chỉ nhánh", "phạm vỉ")
    variants = [(k[0], t) for t in _allowed_tones(toks[i][1], k) if (k[0], t) in inv]
    if not variants or _name_like(toks, i) or k in alone:
        return None
    left, right = _neighbours(toks, i)
    sides = [(j, s) for j, s in ((left, -1), (right, 1)) if j is not None]
    if _in_word_already(toks, i, _word_key(k), pairs, triples):
        return None
    attested = k in inv
    cands = _neighbour_candidates(toks, k, variants, sides, attested, lexicon)
    if cands is None:
        return None
    if len(cands) > 1:
        return _pick_candidate(cands, toks, doc_pairs)
    if cands:
        return next(iter(cands))
    if attested:
        return _own_spelling(toks, i, k, variants, left, right, doc_slots, in_words, alone)
    counts = sorted(((words.get(v, 0), v) for v in variants), reverse=True)
    if counts[0][0] >= 2 and (len(counts) == 1 or counts[0][0] > counts[1][0]):
        return counts[0][1]
    return None


def _forms(toks, kk, j, side, pairs, triples) -> bool:
    """kk forms a dictionary word with toks[j] (side -1: j is on the left)."""
    if side < 0:
        if (toks[j][5], kk) in pairs:
            return True
        jj = j - 1 if j and toks[j - 1][4] and toks[j - 1][2] is not None else None
        return jj is not None and (toks[jj][5], toks[j][5], kk) in triples
    if (kk, toks[j][5]) in pairs:
        return True
    jj = j + 1 if j + 1 < len(toks) and toks[j][4] and toks[j + 1][2] is not None else None
    return jj is not None and (kk, toks[j][5], toks[jj][5]) in triples


def _in_word_already(toks, i, wk, pairs, triples) -> bool:
    """Already a word with a word beside it, whatever the white space or case between them
    (the first or last syllable of a glued word beside it too: "có hiệu quảChỉ thị")."""
    near = [(j, s) for j, s in ((i - 1, -1), (i + 1, 1)) if 0 <= j < len(toks) and toks[min(i, j)][6]]
    return any(_forms(toks, wk, j, s, pairs, triples) for j, s in near if toks[j][2] is not None) or any(
        ((toks[j][8], wk) if s < 0 else (wk, toks[j][7])) in pairs for j, s in near if toks[j][2] is None)


def _bound(toks, j, s, pairs) -> bool:
    """The neighbour toks[j] is in a dictionary word on its far side."""
    jj = j + s
    return (0 <= jj < len(toks) and toks[min(j, jj)][4] and toks[jj][2] is not None
            and ((toks[jj][5], toks[j][5]) if s < 0 else (toks[j][5], toks[jj][5])) in pairs)


def _neighbour_candidates(toks, k, variants, sides, attested, lexicon) -> dict | None:
    """variant → [(neighbour, side, usage)] for the variants that form a dictionary word with a
    neighbour; None where a neighbour's own variant makes the word as it stands the likelier."""
    pairs, triples, _, usage = lexicon
    cands: dict = {}
    for j, s in sides:
        if attested and _bound(toks, j, s, pairs):
            continue
        n_key = toks[j][5]
        single = {v: usage.get((n_key, _word_key(v)) if s < 0 else (_word_key(v), n_key), 0)
                  for v in variants if _forms(toks, _word_key(v), j, s, pairs, triples)}
        # the neighbour may be the misread one, or both: the reading the tagged corpus uses most
        # ("tỉnh thần" is "tinh thần", "biên đôi" is "biến đổi", "tiên độ" is "tiến độ")
        top = max(single.values(), default=0)
        others = [(usage.get((n, _word_key(v)) if s < 0 else (_word_key(v), n), 0), v)
                  for n in _variant_keys(toks[j]) for v in [k] + variants
                  if ((n, _word_key(v)) if s < 0 else (_word_key(v), n)) in pairs]
        best = max(others, default=(0, None), key=lambda x: x[0])
        if best[0] > top:
            if best[1] == k:
                return None
            single = {best[1]: best[0]}
        for v, n in single.items():
            cands.setdefault(v, []).append((j, s, n))
    return cands


def _pick_candidate(cands: dict, toks, doc_pairs):
    """Of several candidates, the variant the document writes beside that neighbour, else the
    one in use."""
    seen = [v for v, js in cands.items() if any(
        doc_pairs.get((toks[j][5], _word_key(v)) if s < 0 else (_word_key(v), toks[j][5]), 0) for j, s, _ in js)]
    if len(seen) == 1:
        return seen[0]
    use = sorted(((max(n for _, _, n in js), v) for v, js in cands.items()), reverse=True)
    return use[0][1] if use[0][0] > use[1][0] else None


def _own_spelling(toks, i, k, variants, left, right, doc_slots, in_words, alone):
    """No neighbour decides for an attested word: the document's own spelling of the same slot,
    else a mark lost from one of the commonest words."""
    # the document's own spelling of the same slot: "vật liệu nô công nghiệp" where it writes
    # "liệu nổ công" as often or more, a variant it also writes in a dictionary word elsewhere
    # ("nổ mìn"), the word itself in none
    if _word_key(k) in in_words:
        return None
    if left is not None and right is not None:
        lk, rk = toks[left][5], toks[right][5]
        slot_k = doc_slots.get((lk, _word_key(k), rk), 0)
        best = [v for v in variants
                if doc_slots.get((lk, _word_key(v), rk), 0) >= max(2, slot_k) and _word_key(v) in in_words]
        if len(best) == 1:
            return best[0]
    # no evidence around it: a mark lost from one of the commonest words ("vê" -> "về",
    # "đê" -> "để", "quyên" -> "quyền"), the word itself a rare one; in lower case only, as names
    # are written otherwise ("Bà Vân, Quyên", "NGUYỄN THỊ VÂN")
    if toks[i][3] != 0:
        return None
    common = [v for v in variants if alone.get(v, 0) >= _COMMON and v[1] != 0 and k[1] == 0]
    return common[0] if len(common) == 1 else None


def repair_ocr_tones(texts: list[str]) -> list[str]:
    """The pages of one OCR'd document with the tone marks the dictionary and the document's own
    spelling tell (rule 5, above); up to three passes, as a fixed word can be the evidence for the next."""
    inv = _load()[0]
    pairs, triples, alone, usage = _words()
    for _ in range(3):
        pages = [_tone_tokens(t) for t in texts]
        words: dict = {}
        doc_pairs: dict = {}
        doc_slots: dict = {}
        in_words: set = set()       # syllables the document writes in a dictionary word somewhere
        for toks in pages:
            for a, b, c in zip(toks, toks[1:], toks[2:]):
                if a[4] and b[4] and None not in (a[2], b[2], c[2]):
                    doc_slots[(a[5], b[5], c[5])] = doc_slots.get((a[5], b[5], c[5]), 0) + 1
            for a, b in zip(toks, toks[1:]):
                if a[2] is not None:
                    words[a[2]] = words.get(a[2], 0) + 1
                if a[4] and a[2] is not None and b[2] is not None:
                    doc_pairs[(a[5], b[5])] = doc_pairs.get((a[5], b[5]), 0) + 1
                    if (a[5], b[5]) in pairs:
                        in_words.update((a[5], b[5]))
            if toks and toks[-1][2] is not None:
                words[toks[-1][2]] = words.get(toks[-1][2], 0) + 1
        out, changed = [], False
        for t, toks in zip(texts, pages):
            edits = []
            for i in range(len(toks)):
                v = _tone_fix(toks, i, inv, (pairs, triples, alone, usage), words, doc_pairs, doc_slots, in_words)
                if v is not None:
                    w = with_tone(toks[i][1], v[1])
                    if w is not None and w != toks[i][1]:
                        edits.append((toks[i][0], w))
            for start, w in edits:      # the same length: later offsets hold
                t = t[:start] + w + t[start + len(w):]
            changed = changed or bool(edits)
            out.append(t)
        texts = out
        if not changed:
            break
    return texts


# --- the pass and its offset map -----------------------------------------------------------
def repair(text: str) -> tuple[str, list[int], list[int]] | None:
    """(repaired text, output breakpoints, input breakpoints), or None when nothing changes."""
    edits: list[tuple[int, int, str]] = []
    spans: list[tuple[int, int]] = []
    if " " in text:
        for a, z in _runs(text):
            before = len(edits)
            _repair_run(text[a:z], a, edits)
            if len(edits) > before:
                spans.append((a, z))
    done = -1
    for m in _GLUED.finditer(text):
        if m.start() < done or spans and inside(m.start(), spans):
            continue
        start, done = _glued_word(text, m.start())
        _repair_glued(text, start, done, edits)
    if not edits:
        return None
    edits.sort()
    parts, outs, ins = [], [0], [0]
    pos = olen = 0
    for s, e, rep in edits:
        parts.append(text[pos:s])
        olen += s - pos
        if rep:                    # an inserted space stands for the next input character
            outs.append(olen), ins.append(s)
            parts.append(rep)
            olen += len(rep)
        parts.append("")
        pos = e
        outs.append(olen), ins.append(pos)
    parts.append(text[pos:])
    return "".join(parts), outs, ins


def compose(outs2, ins2, outs1, ins1):
    """Breakpoints of map1∘map2, both piecewise linear with slope 1 (map2: final -> middle)."""
    points = set(outs2)
    for b in outs1:
        k = bisect.bisect_right(ins2, b) - 1
        if k >= 0:
            o = outs2[k] + b - ins2[k]
            if k + 1 >= len(outs2) or o < outs2[k + 1]:
                points.add(o)
    out_pts, in_pts = [], []
    for o in sorted(points):
        k = bisect.bisect_right(outs2, o) - 1
        mid = ins2[k] + o - outs2[k]
        j = bisect.bisect_right(outs1, mid) - 1
        out_pts.append(o)
        in_pts.append(ins1[j] + mid - outs1[j])
    return out_pts, in_pts


def _main(argv):
    if argv[:1] != ["build"]:
        print(__doc__)
        return 2
    if len(argv) > 1:
        src = Path(argv[1])
    else:
        import underthesea
        src = Path(underthesea.__file__).parent / "corpus" / "data" / "Viet74K.txt"
    inv = build_inventory(src)
    logs = {k: math.log(1 + n) for k, (w, n) in inv.items()}
    data = {
        "source": f"{src.name} (underthesea): syllables fitting GRAMMAR, with the number of entries using them",
        "syllables": dict(sorted(inv.values())),
        "keep": _joined_words(src, logs),
        "pairs": _ambiguous_pairs(src, logs),
    }
    _DATA.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(inv)} syllables -> {_DATA}")
    import gzip
    if len(argv) > 2:
        tagged = Path(argv[2])
    else:
        import underthesea
        tagged = (Path(underthesea.__file__).parent / "pipeline" / "pos_tag" / "models"
                  / "pos_crf_vlsp2013_20230303" / "test_output.txt")
    words = {
        "source": f"{src.name}: its two- and three-syllable entries; {tagged.name} (underthesea's tagged "
                  f"VLSP 2013 test set): syllables used alone at least {_ALONE_MIN} times, and how often "
                  "it uses each two-syllable word",
        "words": build_words(src, logs),
        "alone": build_alone(tagged),
    }
    words["usage"] = build_usage(tagged, words["words"])
    blob = json.dumps(words, ensure_ascii=False, indent=0).encode("utf-8")
    _WORDS_DATA.write_bytes(gzip.compress(blob, 9, mtime=0))
    print(f"{len(words['words'])} words, {len(words['alone'])} syllables used alone -> {_WORDS_DATA}")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
