"""Plain text and markdown: bytes → Unicode with the encoding detected.

Detection order: BOM; UTF-16 without BOM (NUL pattern); strict UTF-8; then every
registered single-byte Vietnamese codec is tried and the one whose output looks most
like Vietnamese wins. Codecs are a registry (`register_codec`): the legacy encodings
(TCVN3, VNI, VISCII) come from legacy.py's `decoders()`, registered here after CP1258.

A file whose encoding changes part-way (half UTF-8, half CP1258: two files pasted together)
is decoded line by line — UTF-8 lines as UTF-8, the others with the legacy codec that reads
them best — when that reads better than any single encoding. Such a file, and any decoding
below CONFIDENT, carries a warning that names the encoding and the confidence (the record is
then `partial`, not `ok`: the text may be garbled).
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Optional

from . import legacy
from .errors import InputError

Decoder = Callable[[bytes], str]


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    confidence: float
    warning: Optional[str] = None


# below this confidence a decoding is reported as uncertain: every seed in every legacy encoding
# decodes at 0.99, files that mix two encodings at 0.18–0.43
CONFIDENT = 0.6


_CODECS: dict[str, Decoder] = {}


def register_codec(name: str, decode: Decoder) -> None:
    """Add a candidate for bytes that are not UTF-8 (`decode` raises on invalid input)."""
    _CODECS[name] = decode


register_codec("cp1258", lambda b: b.decode("cp1258"))
for _name, _decode in legacy.decoders().items():   # TCVN3, VNI, VISCII
    register_codec(_name, _decode)

# letters only Vietnamese uses (precomposed, after NFC) — their share measures "looks Vietnamese"
_VIET = set("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")
_VIET |= {c.upper() for c in _VIET}
_WORD = re.compile(r"[^\W\d_]+")
_MOJIBAKE = re.compile(r"[\u0080-\u009f\ufffd]|[ÃÂ][\u0080-\u00bf]|Ä[\u0080-\u00bf]")


_TONE_MARKS = set("\u0300\u0301\u0303\u0309\u0323")


def plausible_syllable(word: str) -> bool:
    """A Vietnamese syllable: short, one tone at most, case only at the start ("Đảng", "ĐẢNG")."""
    if len(word) > 7 or not (word.islower() or word.isupper() or word[1:].islower()):
        return False
    tones = sum(1 for c in word if _TONE_MARKS.intersection(unicodedata.normalize("NFD", c)))
    return tones <= 1


def vietnamese_score(text: str) -> float:
    """Share of words that are plausible Vietnamese syllables with a Vietnamese-only letter,
    minus a penalty for mojibake and controls. A wrong legacy decoding also yields such letters,
    but in implausible syllables ("báỨặn"), which is what separates the candidates."""
    sample = text[:20000]
    words = _WORD.findall(sample)
    if not words:
        return 0.0
    viet = sum(1 for w in words if _VIET.intersection(w) and plausible_syllable(w))
    bad = len(_MOJIBAKE.findall(sample)) + sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    return viet / len(words) - 5 * bad / max(len(sample), 1)


# control bytes other than tab, line feed, form feed and carriage return
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls / len(sample) > 0.05


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / (len(sample) / 2)
    odd_nul = sample[1::2].count(0) / (len(sample) / 2)
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes) -> Decoded:
    if not data.strip():
        raise InputError("decode", "the file is empty (no text at all); nothing to extract")
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return Decoded(_nfc(data.decode(name)), "utf-8" if name == "utf-8-sig" else name, 1.0)
            except UnicodeDecodeError as exc:
                raise InputError("decode", f"the file starts with a {name} byte-order mark but is not valid "
                                 f"{name} ({exc.reason} at byte {exc.start}); re-save it as UTF-8") from None
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return Decoded(_nfc(data.decode(utf16)), "utf-16", 0.9)
        except UnicodeDecodeError:
            pass
    if looks_binary(data):
        raise InputError("decode", "the file looks binary (many control bytes), not text; check that "
                         "its extension matches its content")
    try:
        return Decoded(_nfc(data.decode("utf-8")), "utf-8", 1.0)
    except UnicodeDecodeError as exc:
        utf8_error = exc
    best = _best_codec(data)
    mixed = _per_line(data)
    if mixed is not None and (best is None or mixed.confidence > best.confidence):
        return Decoded(mixed.text, mixed.encoding, _confidence(mixed.confidence), mixed.warning)
    if best is None or best.confidence <= 0.05:
        raise InputError(
            "decode",
            f"the bytes are not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and no known "
            f"Vietnamese encoding ({', '.join(_CODECS)}) gives readable Vietnamese; convert the file "
            "to UTF-8 or tell us its encoding")
    conf = _confidence(best.confidence)
    warning = None
    if conf < CONFIDENT:
        warning = (f"the encoding is uncertain: read as {best.encoding} with confidence {conf:.2f} (below "
                   f"{CONFIDENT}); the text may be garbled — convert the file to UTF-8")
    return Decoded(best.text, best.encoding, conf, warning)


def _confidence(score: float) -> float:
    return round(min(max(score, 0.0) * 1.5, 0.99), 3)


def _best_codec(data: bytes) -> Optional[Decoded]:
    """The registered codec whose output looks most like Vietnamese (confidence = raw score)."""
    best: Decoded | None = None
    for name, decode in _CODECS.items():
        try:
            text = _nfc(decode(data))
        except (UnicodeDecodeError, ValueError):
            continue
        score = vietnamese_score(text)
        if best is None or score > best.confidence:
            best = Decoded(text, name, score)
    return best


def _per_line(data: bytes) -> Optional[Decoded]:
    """A file with some lines in UTF-8 (with non-ASCII letters) and others not: each part in its own
    encoding, confidence = raw score of the whole; None if no line is such UTF-8."""
    lines = data.split(b"\n")
    utf8: dict[int, str] = {}
    for i, line in enumerate(lines):
        if not line.isascii():
            try:
                utf8[i] = line.decode("utf-8")
            except UnicodeDecodeError:
                pass
    rest = [i for i, line in enumerate(lines) if i not in utf8 and not line.isascii()]
    if not utf8 or not rest:
        return None
    other = _best_codec(b"\n".join(lines[i] for i in rest))
    if other is None:
        return None
    other_lines = other.text.split("\n")
    if len(other_lines) != len(rest):  # a codec that maps a byte to a line break: no per-line reading
        return None
    parts = [line.decode("ascii") if line.isascii() else "" for line in lines]
    for i, t in utf8.items():
        parts[i] = t
    for i, t in zip(rest, other_lines):
        parts[i] = t
    text = _nfc("\n".join(parts))
    score = vietnamese_score(text)
    conf = _confidence(score)
    return Decoded(text, f"utf-8+{other.encoding}", score,
                   f"the file mixes encodings: {len(utf8)} line(s) in UTF-8 and {len(rest)} in {other.encoding} "
                   f"(confidence {_confidence(other.confidence):.2f}), decoded line by line (confidence "
                   f"{conf:.2f}); check the text, or convert the file to UTF-8 as one piece")


def _nfc(text: str) -> str:
    # CP1258 and VNI write tones as combining marks; everything downstream expects NFC
    return unicodedata.normalize("NFC", text)


def read(data: bytes, settings, fmt: str = "txt"):
    from . import Ingested

    decoded = decode_bytes(data)
    if len(decoded.text) > settings.max_text_chars:
        raise InputError("ingest", f"the text has {len(decoded.text):,} characters, above the limit of "
                         f"{settings.max_text_chars:,}; split the file or raise --max-chars")
    return Ingested(pages=[decoded.text], format=fmt, encoding=decoded.encoding,
                    encoding_confidence=decoded.confidence,
                    warnings=[("decode", decoded.warning)] if decoded.warning else [])
