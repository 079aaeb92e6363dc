"""Legacy Vietnamese 8-bit encodings (TCVN3/ABC, VNI, VISCII) → Unicode.

The conversion tables are the `viparse` package's (a maintained loader whose tables were
derived from real documents); extractor/data/legacy_encodings.yaml adds the one VNI
entry it lacks and the font-name patterns that reveal a legacy font in a PDF. The tables
are checked in tests/test_legacy_encodings.py against independent references (glibc iconv
for VISCII, the classic ABC↔Unicode and VNI converter tables), not against themselves.

Bytes of a legacy .txt surface as Latin-1 characters (0xB5 → "µ"); a PDF whose font is
`.VnTime` gives the same characters through its WinAnsi encoding, so one table serves both.

TCVN3 has no code for upper-case toned letters: documents typed them with the lower-case
code in an upper-case font (`.VnTimeH`). The text comes back as "KÕ HO¹CH" → "Kế HOạCH";
`_restore_case` upper-cases a word only where the case is certain (an ASCII capital after a
toned letter, or a word whose other letters are all capitals), see its docstring.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable, Optional

from ..vocab import LegacyEncodings, load_legacy_encodings

ENCODINGS = ("tcvn3", "vni", "viscii")


def _config() -> LegacyEncodings:
    return load_legacy_encodings()   # cached there


@lru_cache(maxsize=None)
def charmap(encoding: str):
    """viparse Charmap for `encoding`, with our supplements (imported lazily: UTF-8 input never pays)."""
    try:
        from viparse.normalize.encodings import CHARMAPS
        from viparse.normalize.tables import build_charmap
    except ImportError as exc:  # pragma: no cover - dependency declared in pyproject
        raise ValueError(f"legacy encodings need the viparse package: {exc}") from None
    base = CHARMAPS[encoding]
    extra = _config().supplements.get(encoding, {})
    have = {src for src, _ in base.pairs}
    pairs = list(base.pairs) + [(s, u) for s, u in extra.items() if s not in have]
    return build_charmap(encoding, pairs)


def convert(text: str, encoding: str) -> str:
    """Legacy surface characters → NFC Unicode (unmapped characters pass through)."""
    from viparse.normalize.tables import convert as _convert

    out = _convert(text, charmap(encoding), "NFC")
    return _restore_case(out) if encoding == "tcvn3" else out


def decode(data: bytes, encoding: str) -> str:
    return convert(surface(data, encoding), encoding)


_CP1252_C1 = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def surface(data: bytes, encoding: str) -> str:
    """Bytes as the characters the legacy font's codes surface as: Latin-1, except that TCVN3 and
    VNI files (typed on Windows) use 0x80–0x9F for cp1252 punctuation (“ ” – …), where VISCII has letters."""
    text = data.decode("latin-1")
    if encoding == "viscii" or not re.search("[\x80-\x9f]", text):
        return text
    return "".join(_CP1252_C1.get(ord(c), c) if "\x80" <= c <= "\x9f" else c for c in text)


# ---- TCVN3 upper case --------------------------------------------------------------------
_WORD = re.compile(r"[^\W\d_]+")


def _is_legacy_lower(c: str) -> bool:
    return not c.isascii() and c.islower()


def _certain_upper(word: str) -> bool:
    """A word typed in an upper-case font: no ASCII lower-case letter, a toned letter that came
    out lower case, and either an ASCII capital after it ("HOạCH", "ủY") or ≥ 2 ASCII capitals ("CHủ")."""
    if not any(_is_legacy_lower(c) for c in word) or any(c.isascii() and c.islower() for c in word):
        return False
    caps = [i for i, c in enumerate(word) if c.isascii() and c.isupper()]
    first_legacy = next(i for i, c in enumerate(word) if _is_legacy_lower(c))
    return len(caps) >= 2 or any(i > first_legacy for i in caps)


def _restore_case(text: str) -> str:
    """Upper-case words (and whole lines) typed in a `.VnTimeH`-style font.

    A line with at least one certainly-upper word and no word containing an ASCII lower-case
    letter is an upper-case line ("Kế HOạCH" → "KẾ HOẠCH"); elsewhere only certain words change,
    so a sentence-case "Kế hoạch" or "Số 12-KH/HU" stays as it is."""
    out = []
    for line in text.split("\n"):
        words = _WORD.findall(line)
        certain = [w for w in words if _certain_upper(w)]
        if not certain:
            out.append(line)
            continue
        if not any(any(c.isascii() and c.islower() for c in w) for w in words):
            out.append(_WORD.sub(lambda m: m.group(0).upper(), line))
        else:
            out.append(_WORD.sub(lambda m: m.group(0).upper() if _certain_upper(m.group(0)) else m.group(0), line))
    return unicodedata.normalize("NFC", "\n".join(out))


# ---- fonts ---------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def font_encoding(fontname: Optional[str]) -> Optional[str]:
    """Legacy encoding implied by a font name (".VnTime" → tcvn3, "VNI-Times" → vni), else None."""
    if not fontname:
        return None
    name = fontname.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", fontname) else fontname
    for enc, patterns in _config().font_patterns.items():
        if any(re.match(p, name, re.I) for p in patterns):
            return enc
    return None


# ---- codecs for the text reader ----------------------------------------------------------------
def decoders() -> dict[str, Callable[[bytes], str]]:
    """bytes → text for each legacy encoding, in ENCODINGS order: text.py registers them as
    candidates for bytes that are not UTF-8 (this module does not know the text reader)."""
    return {name: (lambda b, _n=name: decode(b, _n)) for name in ENCODINGS}
