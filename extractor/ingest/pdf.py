"""Born-digital PDF → page texts (pdfplumber), with per-page fallback to OCR.

Per page: decide whether the text layer can be trusted (`assess_page`: no text, glyphs
mapped to the wrong characters, or only a signature stamp over a page-size image → OCR);
if it can, rebuild the page in reading order (`page_text`): ruled tables through
pdfplumber's table finder become tab-separated lines (one per row, a cell's newlines → " "),
words outside tables become lines, and a gap wider than a few spaces inside a line becomes a
tab, so a header laid out side by side (issuer left, motto right) reads as cells. A table
whose first row repeats the header of the table that ended the previous page continues it:
the repeated header is dropped. Legacy fonts (.VnTime, VNI-Times) are converted to Unicode.

pdfplumber is used for every page with text: its char boxes are what tables and columns need.
(pypdfium2 extracts plain text ~80× faster, but in content-stream order and without the
cell structure, so it is used only to open, check and render the document.)
"""
from __future__ import annotations

import io
import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from typing import Optional

from . import Ingested
from .errors import InputError
from .legacy import convert as legacy_convert, font_encoding

_CID = re.compile(r"\(cid:\d+\)")
_PAGE_NUMBER = re.compile(r"^\s*[-–—]?\s*\d{1,3}\s*[-–—]?\s*$")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass
class PageDecision:
    method: str                       # "text" | "ocr"
    reason: str
    legacy: Optional[str] = None      # legacy encoding of the page's fonts, if any
    stats: dict = field(default_factory=dict)


def read(data: bytes, settings, fmt: str = "pdf") -> Ingested:
    import pdfplumber

    pdfium_doc = open_pdfium(data, settings)
    try:
        n_pages = len(pdfium_doc)
        if n_pages == 0:
            raise InputError("ingest", "the PDF has no pages")
        warnings: list[tuple[str, str]] = []
        if n_pages > settings.max_pages:
            warnings.append(("ingest", f"the PDF has {n_pages} pages; only the first {settings.max_pages} "
                             "were read (raise --max-pages)"))
            n_pages = settings.max_pages
        try:
            plumber = pdfplumber.open(io.BytesIO(data), password=settings.password or "")
        except Exception as exc:  # pdfium opened it, pdfminer cannot: fall back to OCR for all pages
            plumber = None
            warnings.append(("ingest", f"the PDF's text layer could not be parsed ({type(exc).__name__}); "
                             "pages were OCR'd"))
        texts: list[Optional[str]] = [None] * n_pages
        info: list[dict] = []
        ocr_pages: list[int] = []
        carry: Optional[list[str]] = None      # header row of a table that ended the previous page
        for i in range(n_pages):
            decision = PageDecision("ocr", "the text layer could not be parsed")
            if plumber is not None:
                try:
                    page = plumber.pages[i]
                    decision = assess_page(page)
                except Exception as exc:
                    decision = PageDecision("ocr", f"the page's text layer could not be parsed ({type(exc).__name__})")
            if settings.ocr == "always":
                decision = PageDecision("ocr", "OCR forced (--ocr always)")
            if decision.method == "text":
                texts[i], carry = page_text(page, decision.legacy, carry, decision.stats.pop("page_words", None))
                info.append({"page": i + 1, "method": "text", "reason": decision.reason, "ocr_confidence": None})
            else:
                carry = None
                ocr_pages.append(i)
                decision.stats.pop("page_words", None)
                info.append({"page": i + 1, "method": "ocr", "reason": decision.reason, "ocr_confidence": None})
            if plumber is not None:
                plumber.pages[i].close() if hasattr(plumber.pages[i], "close") else None
        if plumber is not None:
            plumber.close()
        used_ocr = False
        if ocr_pages:
            if settings.ocr == "never":
                for i in ocr_pages:
                    texts[i] = ""
                    info[i]["method"] = "none"
                warnings.append(("ocr", f"{len(ocr_pages)} page(s) need OCR ({info[ocr_pages[0]]['reason']}) "
                                 "but OCR is off (--ocr never); their text is empty"))
            else:
                from .ocr import ocr_pdf_pages

                results = ocr_pdf_pages(pdfium_doc, ocr_pages, settings)
                for i, res in zip(ocr_pages, results):
                    texts[i] = res.text
                    info[i]["ocr_confidence"] = res.confidence
                    info[i]["dpi"] = res.dpi
                    if res.warning:
                        warnings.append(("ocr", f"page {i + 1}: {res.warning}"))
                used_ocr = True
        return Ingested(pages=[t or "" for t in texts], format=fmt, paged=True, ocr=used_ocr,
                        page_info=info, warnings=warnings)
    finally:
        pdfium_doc.close()


def open_pdfium(data: bytes, settings):
    """Open with pdfium first: it tells encryption, truncation and damage apart clearly."""
    import pypdfium2 as pdfium

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise InputError("ingest", "the file does not start with %PDF: it is not a PDF (check its extension)")
    try:
        return pdfium.PdfDocument(data, password=settings.password)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            if settings.password:
                raise InputError("ingest", "the PDF is encrypted and the given password does not open it; "
                                 "check the password (--password)") from None
            raise InputError("ingest", "the PDF is encrypted; pass --password (or Settings.password) to open it") from None
        if "format" in msg or "file" in msg:
            raise InputError("ingest", f"the PDF is damaged or truncated ({exc}); re-download or re-export it") from None
        raise InputError("ingest", f"the PDF cannot be opened ({exc}); re-export it") from None


# ---- is the text layer usable? ----------------------------------------------------------------
def assess_page(page) -> PageDecision:
    chars = page.chars
    text = "".join(c.get("text", "") for c in chars)
    n = len(text.strip())
    area = float(page.width * page.height) or 1.0
    img_area = sum(max(0.0, (im["x1"] - im["x0"]) * (im["bottom"] - im["top"])) for im in page.images)
    stats = {"chars": n, "image_share": round(min(img_area / area, 1.0), 2)}
    if n < 20:
        if stats["image_share"] < 0.1:
            return PageDecision("text", f"an almost empty page ({n} characters, no image)", stats=stats)
        return PageDecision("ocr", f"no text layer ({n} characters) over an image", stats=stats)
    encs = [font_encoding(c.get("fontname")) for c in chars]
    legacy = max(set(encs), key=encs.count) if any(encs) else None
    if legacy:
        text = legacy_convert(text, legacy)
    cid = len(_CID.findall(text))
    letters = [c for c in text if c.isalpha()]
    foreign = sum(1 for c in letters if not unicodedata.name(c, "").startswith("LATIN"))
    stats.update(cid=cid, foreign=foreign, letters=len(letters))
    if cid > 0.02 * n or foreign > 0.03 * max(len(letters), 1):
        sample = "".join(c for c in text if c.isalpha() and not unicodedata.name(c, "").startswith("LATIN"))[:8]
        return PageDecision("ocr", "the text layer maps glyphs to wrong characters "
                            f"({cid} unmapped glyphs, {foreign} non-Latin letters such as {sample!r})", stats=stats)
    page_words = _extract_words(page)
    stats["page_words"] = page_words
    joined = " ".join(w["text"] for w in page_words)
    words = [w for w in _WORD.findall(legacy_convert(joined, legacy) if legacy else joined) if not w.isascii()]
    broken = sum(1 for w in words if not _is_syllable(w))
    stats.update(broken_words=broken, vietnamese_words=len(words))
    if words and len(words) >= 10 and broken > 0.25 * len(words):
        return PageDecision("ocr", f"the text layer looks garbled ({broken} of {len(words)} accented words are "
                            "not Vietnamese syllables)", stats=stats)
    if img_area > 0.5 * area and n < 400:
        return PageDecision("ocr", f"only {n} characters of text over a page-size image "
                            "(a scan with a stamp or signature text)", stats=stats)
    reason = "text layer" + (f" in a legacy {legacy} font, converted" if legacy else "")
    return PageDecision("text", reason, legacy=legacy, stats=stats)


def _extract_words(page):
    return page.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5,
                              extra_attrs=["fontname", "size"])


def _is_syllable(word: str) -> bool:
    from .text import _plausible_syllable

    return _plausible_syllable(word)


# ---- reading order ---------------------------------------------------------------------------
def page_text(page, legacy: Optional[str], carry: Optional[list[str]], words=None) -> tuple[str, Optional[list[str]]]:
    """One page → text lines in reading order; returns the header row of a table that reaches the
    page bottom (for joining its continuation on the next page)."""
    tables = _tables(page, legacy)
    boxes = [t[0] for t in tables]
    words = _extract_words(page) if words is None else words
    words = [w for w in words if not any(_inside(w, b) for b in boxes)]
    items: list[tuple[float, str, object]] = []           # (top, kind, payload)
    for line in _lines(words, legacy):
        items.append((line[0], "line", line[1]))
    for bbox, rows in tables:
        items.append((bbox[1], "table", rows))
    items.sort(key=lambda it: it[0])
    items = _drop_running_numbers(items, page.height)
    out: list[str] = []
    prev_bottom = None
    next_carry = None
    for k, (top, kind, payload) in enumerate(items):
        if kind == "table":
            rows = payload
            # a table continued from the previous page keeps its repeated header row: the table
            # layer recognises and skips it, and joins the parts across the page break
            if out and out[-1] != "" and "\t" not in out[-1]:
                out.append("")                            # a table is a block of its own
            out.extend("\t".join(r) for r in rows)
            if k == len(items) - 1 and payload:
                next_carry = carry if (k == 0 and carry and _same_row(payload[0], carry)) else payload[0]
            prev_bottom = None
            continue
        text, gap_above = payload
        if out and (gap_above or "\t" in out[-1] and "\t" not in text):
            out.append("")
        out.append(text)
    return "\n".join(out), next_carry


def _tables(page, legacy):
    """Ruled tables only: a grid of drawn lines is evidence; unruled 'tables' found from text
    alignment also match every justified paragraph, so aligned columns are left to the line
    builder (gaps → tabs)."""
    if not (page.rects or page.lines or page.curves):
        return []
    out = []
    for t in page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"}):
        rows = t.extract()
        if not rows or len(rows) < 2 and len(rows[0] or []) < 2:
            continue
        clean = []
        for r in rows:
            cells = [_cell_text(c) for c in r]
            if legacy:
                cells = [legacy_convert(c, legacy) for c in cells]
            if any(cells):
                clean.append(cells)
        if clean and max(len(r) for r in clean) >= 2:
            out.append((t.bbox, clean))
    return out


_FULL_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|\d{1,2}/\d{4}")


def _cell_text(cell: Optional[str]) -> str:
    """A cell's lines joined by spaces, except a date or symbol broken inside its token by a narrow
    column ("30/1" + "1/2023", "25" + "/11/202" + "3", "143-" + "KH/HU"), rejoined as typed."""
    lines = [ln.strip() for ln in (cell or "").split("\n") if ln.strip()]
    if not lines:
        return ""
    out = lines[0]
    for ln in lines[1:]:
        a = out.rsplit(" ", 1)[-1]
        b = ln.split(" ", 1)[0]
        glued = (a.endswith(("/", "-")) and b[:1].isalnum() and any(ch.isdigit() for ch in a)) or b.startswith("/") \
            or (a.endswith("-") and len(a) > 1 and a[:-1].isupper() and b[:1].isupper()) \
            or (_FULL_DATE.fullmatch(a + b) is not None and _FULL_DATE.fullmatch(a) is None and a[-1:].isdigit())
        out += ("" if glued else " ") + ln
    return out


def _inside(w, bbox) -> bool:
    x0, top, x1, bottom = bbox
    cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
    return x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1


def _lines(words, legacy):
    """Words → [(top, (text, blank_line_above))]: one line per baseline, big gaps → tab."""
    if not words:
        return []
    words = sorted(words, key=lambda w: (round(w["top"]), w["x0"]))
    rows: list[list[dict]] = []
    for w in words:
        h = w["bottom"] - w["top"]
        for row in rows[-3:]:
            r0 = row[0]
            if abs(r0["top"] - w["top"]) < 0.5 * h or abs(r0["bottom"] - w["bottom"]) < 0.3 * h:
                row.append(w)
                break
        else:
            rows.append([w])
    rows.sort(key=lambda r: min(w["top"] for w in r))
    heights = [statistics.median(w["bottom"] - w["top"] for w in r) for r in rows]
    pitch = [rows[i + 1][0]["top"] - rows[i][0]["top"] for i in range(len(rows) - 1)]
    usual = statistics.median(pitch) if pitch else 0
    body = [r for r in rows if len(r) > 3]
    right = statistics.quantiles([max(w["x1"] for w in r) for r in body], n=10)[-1] if len(body) >= 4 else None
    out: list[tuple[float, tuple[str, bool]]] = []
    prev_top = None
    prev_row = None
    for r, h in zip(rows, heights):
        r.sort(key=lambda w: w["x0"])
        parts = [_word_text(r[0], legacy)]
        for a, b in zip(r, r[1:]):
            gap = b["x0"] - a["x1"]
            size = (a.get("size") or h) or 10
            parts.append("\t" if gap > 2.0 * size else " ")
            parts.append(_word_text(b, legacy))
        text = "".join(parts)
        top = min(w["top"] for w in r)
        blank = bool(prev_top is not None and usual and (top - prev_top) > 1.25 * max(usual, h * 1.1))
        if out and not blank and right and _wraps(prev_row, r, right) and "\t" not in text and "\t" not in out[-1][1][0]:
            # a line broken only because the next word did not fit: one logical line, as typed
            ptop, (ptext, pblank) = out[-1]
            out[-1] = (ptop, (ptext + " " + text, pblank))
        else:
            out.append((top, (text, blank)))
        prev_top, prev_row = top, r
    return out


def _wraps(prev: list[dict], row: list[dict], right: float) -> bool:
    """`row` continues `prev` when its first word would not have fitted at the end of `prev`
    and it starts at the same left edge (no indent: a new paragraph or list item is indented
    or follows a short line)."""
    last, first = prev[-1], row[0]
    size = first.get("size") or (first["bottom"] - first["top"]) or 10
    space = 0.3 * size
    fits = last["x1"] + space + (first["x1"] - first["x0"]) <= right + 0.5 * size
    return not fits and abs(first["x0"] - prev[0]["x0"]) < 1.5 * size


def _word_text(w, legacy) -> str:
    enc = font_encoding(w.get("fontname")) if legacy else None
    return legacy_convert(w["text"], enc) if enc else w["text"]


def _drop_running_numbers(items, height):
    """A lone page number at the very top or bottom of the page is print furniture, not text."""
    def furniture(it):
        return it[1] == "line" and _PAGE_NUMBER.match(it[2][0]) and (it[0] < 0.1 * height or it[0] > 0.9 * height)
    while items and furniture(items[0]):
        items = items[1:]
    while items and furniture(items[-1]):
        items = items[:-1]
    return items


def _same_row(a: list[str], b: list[str]) -> bool:
    norm = lambda r: [re.sub(r"\s+", " ", c).strip().casefold() for c in r]  # noqa: E731
    return len(a) == len(b) and norm(a) == norm(b)
