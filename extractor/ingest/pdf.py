"""Born-digital PDF → page texts (pypdfium2; pdfplumber as a fallback), with per-page fallback to OCR.

Per page: decide whether the text layer can be trusted (`judge`: no text, glyphs mapped to the
wrong characters, or only a signature stamp over a page-size image → OCR); if it can, rebuild
the page in reading order (`compose_page`): ruled tables become tab-separated lines (one per
row, a cell's lines joined by " "), words outside tables become lines, and a gap wider than a
few spaces inside a line becomes a tab, so a header laid out side by side (issuer left, motto
right) reads as cells. A row set in a monospaced font (a report typed with spaces, a layout dump
printed as it is) keeps its indent and gaps as spaces instead, one per pitch, so its columns stay
aligned for the table layer's fixed-width reader (the pypdfium2 reader only: pdfplumber's words
carry no glyph steps). A table that continues on the next page keeps its repeated header row
(the table layer skips it). Legacy fonts (.VnTime, VNI-Times) are converted to Unicode.

Speed: pdfplumber (pdfminer) costs ~50–200 ms a page before any table is looked for. pypdfium2
gives the same facts natively: characters with their font boxes and font names (→ words), and
the page's path objects (→ the ruled lines of tables: horizontal/vertical segments, thin filled
rectangles as Word draws borders). Tables are rebuilt from those rules with the grid code shared
with OCR (grid.find_grids: crossing rules → rows × columns, missing inner rules → merged cells) and
each word goes to the cell its centre is in. bench/bench_pdf.py measures both readers; pdfplumber
remains for pages pdfium cannot read as plain upright text (rotated pages, a failing text page).
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
from .grid import Segment, cell_text, drop_page_number, find_grids, split_symbol  # shared with OCR
from .monospace import typed_line  # shared with OCR
from .legacy import convert as legacy_convert, font_encoding
from ..patterns import LINE_ITEM_OPENER  # the same item openers stop the OCR reader's join
from .text import plausible_syllable

_CID = re.compile(r"\(cid:\d+\)")
_WORD = re.compile(r"[^\W\d_]+")
_NEW_ITEM = re.compile(LINE_ITEM_OPENER)


@dataclass
class PageDecision:
    method: str                       # "text" | "ocr"
    reason: str
    legacy: Optional[str] = None      # legacy encoding of the page's fonts, if any
    stats: dict = field(default_factory=dict)


def read(data: bytes, settings, fmt: str = "pdf") -> Ingested:
    # long: one pass over the pages, whose two readers share state from page to page (pdfplumber,
    # opened at the first page pypdfium2 cannot read; the header row a table carries over)
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
        plumber = None                         # opened only for a page pypdfium2 cannot read plainly
        plumber_failed = False
        texts: list[Optional[str]] = [None] * n_pages
        info: list[dict] = []
        ocr_pages: list[int] = []
        carry: Optional[list[str]] = None      # header row of a table that ended the previous page
        for i in range(n_pages):
            decision, fast = PageDecision("ocr", "the text layer could not be parsed"), None
            if settings.ocr != "always":
                try:
                    fast = PdfiumPage(pdfium_doc[i])
                    decision = fast.assess()
                except _NotPlain:
                    fast = None
                except Exception as exc:
                    fast = None
                    decision = PageDecision("ocr", f"the page's text layer could not be parsed ({type(exc).__name__})")
            if settings.ocr != "always" and fast is None and not plumber_failed:
                if plumber is None:
                    try:
                        import pdfplumber

                        plumber = pdfplumber.open(io.BytesIO(data), password=settings.password or "")
                    except Exception as exc:  # pdfium opened it, pdfminer cannot: OCR
                        plumber_failed = True
                        warnings.append(("ingest", f"the PDF's text layer could not be parsed ({type(exc).__name__}); "
                                         "pages were OCR'd"))
                if plumber is not None:
                    try:
                        page = plumber.pages[i]
                        decision = assess_page(page)
                    except Exception as exc:
                        decision = PageDecision("ocr", f"the page's text layer could not be parsed ({type(exc).__name__})")
            if settings.ocr == "always":
                decision = PageDecision("ocr", "OCR forced (--ocr always)")
            if decision.method == "text":
                if fast is not None:
                    texts[i], carry = fast.text(decision.legacy, carry)
                else:
                    texts[i], carry = page_text(page, decision.legacy, carry, decision.stats.pop("page_words", None))
                info.append({"page": i + 1, "method": "text", "reason": decision.reason, "ocr_confidence": None})
            else:
                carry = None
                ocr_pages.append(i)
                decision.stats.pop("page_words", None)
                info.append({"page": i + 1, "method": "ocr", "reason": decision.reason, "ocr_confidence": None})
            if fast is not None:
                fast.close()
            elif plumber is not None and hasattr(plumber.pages[i], "close"):
                plumber.pages[i].close()
        if plumber is not None:
            plumber.close()
        used_ocr = _ocr_pages(pdfium_doc, ocr_pages, texts, info, warnings, settings)
        return Ingested(pages=[t or "" for t in texts], format=fmt, paged=True, ocr=used_ocr,
                        page_info=info, warnings=warnings)
    finally:
        pdfium_doc.close()


def _ocr_pages(pdfium_doc, ocr_pages: list[int], texts: list, info: list[dict],
               warnings: list[tuple[str, str]], settings) -> bool:
    """The pages whose text layer is not used: OCR'd into `texts` and `info`, or left empty with a
    warning under --ocr never. True if OCR ran."""
    if not ocr_pages:
        return False
    if settings.ocr == "never":
        for i in ocr_pages:
            texts[i] = ""
            info[i]["method"] = "none"
        warnings.append(("ocr", f"{len(ocr_pages)} page(s) need OCR ({info[ocr_pages[0]]['reason']}) "
                         "but OCR is off (--ocr never); their text is empty"))
        return False
    from .ocr import ocr_pdf_pages

    results = ocr_pdf_pages(pdfium_doc, ocr_pages, settings)
    for i, res in zip(ocr_pages, results):
        texts[i] = res.text
        info[i]["ocr_confidence"] = res.confidence
        info[i]["dpi"] = res.dpi
        if res.warning:
            warnings.append(("ocr", f"page {i + 1}: {res.warning}"))
    return True


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
            raise InputError("ingest", "the PDF is encrypted; set EXTRACTOR_PDF_PASSWORD (or pass --password, "
                                       "or Settings.password) to open it") from None
        if "format" in msg or "file" in msg:
            raise InputError("ingest", f"the PDF is damaged or truncated ({exc}); re-download or re-export it") from None
        raise InputError("ingest", f"the PDF cannot be opened ({exc}); re-export it") from None


# ---- is the text layer usable? ----------------------------------------------------------------
def assess_page(page) -> PageDecision:
    """The text-layer check on a pdfplumber page (the fallback reader)."""
    chars = page.chars
    text = "".join(c.get("text", "") for c in chars)
    area = float(page.width * page.height) or 1.0
    img_area = sum(max(0.0, (im["x1"] - im["x0"]) * (im["bottom"] - im["top"])) for im in page.images)
    return judge(text, [c.get("fontname") for c in chars], img_area / area, lambda: _extract_words(page),
                 cid=len(_CID.findall(text)))


def judge(text: str, fontnames: list, image_share: float, get_words, cid: int = 0) -> PageDecision:
    """Can the text layer be trusted? `text`: the page's characters; `fontnames`: their fonts (or
    a sample); `get_words`: called only if the cheap checks pass; `cid`: unmapped glyphs."""
    n = len(text.strip())
    stats = {"chars": n, "image_share": round(min(image_share, 1.0), 2)}
    if n < 20:
        if stats["image_share"] < 0.1:
            return PageDecision("text", f"an almost empty page ({n} characters, no image)", stats=stats)
        return PageDecision("ocr", f"no text layer ({n} characters) over an image", stats=stats)
    encs = [font_encoding(f) for f in fontnames]
    legacy = max(set(encs), key=encs.count) if any(encs) else None
    if legacy:
        text = legacy_convert(text, legacy)
    letters = [c for c in text if c.isalpha()]
    foreign = sum(1 for c in letters if not unicodedata.name(c, "").startswith("LATIN"))
    stats.update(cid=cid, foreign=foreign, letters=len(letters))
    if cid > 0.02 * n or foreign > 0.03 * max(len(letters), 1):
        sample = "".join(c for c in text if c.isalpha() and not unicodedata.name(c, "").startswith("LATIN"))[:8]
        return PageDecision("ocr", "the text layer maps glyphs to wrong characters "
                            f"({cid} unmapped glyphs, {foreign} non-Latin letters such as {sample!r})", stats=stats)
    page_words = get_words()
    stats["page_words"] = page_words
    joined = " ".join(w["text"] for w in page_words)
    words = [w for w in _WORD.findall(legacy_convert(joined, legacy) if legacy else joined) if not w.isascii()]
    broken = sum(1 for w in words if not plausible_syllable(w))
    stats.update(broken_words=broken, vietnamese_words=len(words))
    if words and len(words) >= 10 and broken > 0.25 * len(words):
        return PageDecision("ocr", f"the text layer looks garbled ({broken} of {len(words)} accented words are "
                            "not Vietnamese syllables)", stats=stats)
    if image_share > 0.5 and n < 400:
        return PageDecision("ocr", f"only {n} characters of text over a page-size image "
                            "(a scan with a stamp or signature text)", stats=stats)
    reason = "text layer" + (f" in a legacy {legacy} font, converted" if legacy else "")
    return PageDecision("text", reason, legacy=legacy, stats=stats)


def _extract_words(page):
    return page.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5,
                              extra_attrs=["fontname", "size"])


# ---- reading order ---------------------------------------------------------------------------
def page_text(page, legacy: Optional[str], carry: Optional[list[str]], words=None) -> tuple[str, Optional[list[str]]]:
    """One pdfplumber page → text lines in reading order (see `compose_page`)."""
    words = _extract_words(page) if words is None else words
    return compose_page(page.height, words, _tables(page, legacy), legacy, carry, width=float(page.width))


def compose_page(height: float, words: list[dict], tables: list, legacy: Optional[str],
                 carry: Optional[list[str]], width: float = 0.0) -> tuple[str, Optional[list[str]]]:
    """Words (dicts with text, x0, x1, top, bottom, size, fontname) and tables ([(bbox, rows)])
    of one page → text lines in reading order; returns the header row of a table that reaches the
    page bottom (for joining its continuation on the next page)."""
    boxes = [t[0] for t in tables]
    words = [w for w in words if not any(_in_box(w, b) for b in boxes)]
    items: list[tuple[float, str, object]] = []           # (top, kind, payload)
    for line in _lines(words, legacy, width):
        items.append((line[0], "line", line[1]))
    for bbox, rows in tables:
        items.append((bbox[1], "table", rows))
    items.sort(key=lambda it: it[0])
    items = drop_page_number(items, height)
    out: list[str] = []
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
            cells = [cell_text(c) for c in r]
            if legacy:
                cells = [legacy_convert(c, legacy) for c in cells]
            if any(cells):
                clean.append(cells)
        if clean and max(len(r) for r in clean) >= 2:
            out.append((t.bbox, clean))
    return out


def _in_box(w, bbox) -> bool:
    x0, top, x1, bottom = bbox
    cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
    return x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1


# wrapped prose fills its text column, whose right margin is not wider than the left one (3–3.5
# cm left, 1.5–2 cm right in official layouts): on a page whose long lines all end more than this
# many letter sizes short of that edge there is no wrapped prose (a table a text layer flattened
# to one cell fragment per line): its line ends tell nothing about where a line would wrap
_PROSE_RIGHT_SLACK = 3.0


def _lines(words, legacy, width: float = 0.0):
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
    mono = _mono_rows(rows)
    left = min(w["x0"] for r in rows for w in r)
    body = [r for i, r in enumerate(rows) if len(r) > 3 and i not in mono]
    right = _column_right([max(w["x1"] for w in r) for r in body if not _has_gap(r)]) if len(body) >= 4 else None
    if right and width:
        size = statistics.median(w.get("size") or (w["bottom"] - w["top"]) for r in body for w in r)
        if right < width - min(w["x0"] for r in rows for w in r) - _PROSE_RIGHT_SLACK * size:
            right = None
    out: list[tuple[float, tuple[str, bool]]] = []
    prev_top = None
    prev_row = None
    for k, (r, h) in enumerate(zip(rows, heights)):
        r.sort(key=lambda w: w["x0"])
        if k in mono:
            text = _mono_text(r, mono[k], left, legacy)
        else:
            parts = [_word_text(r[0], legacy)]
            for a, b in zip(r, r[1:]):
                gap = b["x0"] - a["x1"]
                size = (a.get("size") or h) or 10
                parts.append("\t" if gap > 2.0 * size else " ")
                parts.append(_word_text(b, legacy))
            text = "".join(parts)
        top = min(w["top"] for w in r)
        if prev_row is not None and (k in mono or k - 1 in mono):
            # a monospaced block has its own line pitch, unlike the page's prose: a blank line
            # is white space between the rows, more than half a line high
            blank = top - max(w["bottom"] for w in prev_row) > 0.6 * min(h, heights[k - 1])
        else:
            blank = bool(prev_top is not None and usual and (top - prev_top) > 1.25 * max(usual, h * 1.1))
        if out and not blank and right and k not in mono and k - 1 not in mono and _wraps(prev_row, r, right) \
                and "\t" not in text and "\t" not in out[-1][1][0] and not _NEW_ITEM.match(text):
            # a line broken only because the next word did not fit: one logical line, as typed
            # (unless it opens an item: "3.4. Tham gia …" after a full line is a heading)
            ptop, (ptext, pblank) = out[-1]
            out[-1] = (ptop, (ptext + " " + text, pblank))
        else:
            out.append((top, (text, blank)))
        prev_top, prev_row = top, r
    return out


# a row set in a monospaced font: its words' glyph steps (PdfiumPage.words "pitch") agree within
# this share, and a row with this many glyph steps is evidence enough on its own
_PITCH_TOL = 0.03
_MONO_EVIDENCE = 10


def _mono_rows(rows: list[list[dict]]) -> dict[int, float]:
    """{row index: pitch} of the rows set in a monospaced font (a report typed with spaces, a
    layout dump printed as it is): every word of two or more glyphs steps by one pitch. A long
    row of words proves it (proportional text has narrow and wide letters in nearly every word,
    but often digits of one width); a short one ("GRDP", "tỉnh" in a table cell) counts when its
    pitch and size are those of a proven row on the page."""
    found: dict[int, tuple[float, float]] = {}
    proven: list[tuple[float, float]] = []           # (size, pitch)
    for k, r in enumerate(rows):
        multi = [w for w in r if len(w["text"]) >= 2]
        if not multi or any("pitch" not in w for w in multi):
            continue
        p = statistics.median(w["pitch"] for w in multi)
        if any(abs(w["pitch"] - p) > _PITCH_TOL * p for w in multi) or any(
                w["x1"] - w["x0"] > 1.5 * p for w in r if len(w["text"]) == 1):
            continue
        size = statistics.median(w.get("size") or 0 for w in multi)
        found[k] = (size, p)
        # digits are as wide as each other in most proportional fonts too: letters prove it
        if sum(len(w["text"]) - 1 for w in multi if not w["text"].isdigit()) >= _MONO_EVIDENCE:
            proven.append((size, p))
    return {k: p for k, (size, p) in found.items()
            if any(abs(size - s) <= 0.05 * s and abs(p - q) <= _PITCH_TOL * q for s, q in proven)}


def _mono_text(row: list[dict], pitch: float, left: float, legacy) -> str:
    """A monospaced row as it was typed (monospace.typed_line)."""
    return typed_line(((w["x0"], len(w["text"]), _word_text(w, legacy)) for w in row), pitch, left)


def _column_right(ends: list[float]) -> Optional[float]:
    """The right edge of the text column: where the longest line of prose ends (not a typical line
    end: lines broken by hand short of the edge, a converter's hard-wrapped text, are no wrapped
    lines to join)."""
    return max(ends) if ends else None


def _has_gap(row: list[dict]) -> bool:
    """A row holding a column gap (a tab when written out): zones side by side, not prose."""
    r = sorted(row, key=lambda w: w["x0"])
    return any(b["x0"] - a["x1"] > 2.0 * ((a.get("size") or (a["bottom"] - a["top"])) or 10) for a, b in zip(r, r[1:]))


def _wraps(prev: list[dict], row: list[dict], right: float) -> bool:
    """`row` continues `prev` when its first word would not have fitted at the end of `prev`
    and it starts at the same left edge (no indent: a new paragraph or list item is indented
    or follows a short line), or a little left of it (`prev` is a paragraph's indented first
    line: "Ngày 29/6/2026, … Quyết định số" / "1074/QĐ-BXD về …"). A row starting far left of
    `prev` is another column's cell, not its continuation."""
    last, first = prev[-1], row[0]
    size = first.get("size") or (first["bottom"] - first["top"]) or 10
    space = 0.25 * size               # a serif font's space; `right` is the longest line's end, so
    fits = last["x1"] + space + (first["x1"] - first["x0"]) <= right + 0.1 * size   # little slack
    indent = prev[0]["x0"] - first["x0"]
    return not fits and -1.5 * size < indent < 4.0 * size


def _word_text(w, legacy) -> str:
    enc = font_encoding(w.get("fontname")) if legacy else None
    return legacy_convert(w["text"], enc) if enc else w["text"]


def _same_row(a: list[str], b: list[str]) -> bool:
    norm = lambda r: [re.sub(r"\s+", " ", c).strip().casefold() for c in r]  # noqa: E731
    return len(a) == len(b) and norm(a) == norm(b)


# ---- the fast reader: pypdfium2 -----------------------------------------------------------------
class _NotPlain(Exception):
    """The page is not plain upright text for the fast reader (rotated page): use pdfplumber."""


_SPACE = frozenset(" \t\r\n\u00a0\u2002\u2003\u2009\u200b")


class PdfiumPage:
    """One page through pypdfium2's C API: characters with font boxes, words, rules, images."""

    def __init__(self, page):
        import ctypes

        import pypdfium2.raw as R

        rot = page.get_rotation() % 360
        if rot % 90:
            raise _NotPlain()
        self.page = page
        self.R, self.ct = R, ctypes
        left, bottom, right, top = page.get_mediabox()
        # user space (y up) → the page as displayed (y down, /Rotate applied), in points
        self.to_display = {
            0: lambda x, y: (x - left, top - y), 90: lambda x, y: (y - bottom, x - left),
            180: lambda x, y: (right - x, y - bottom), 270: lambda x, y: (top - y, right - x),
        }[rot]
        self.width, self.height = (right - left, top - bottom) if rot in (0, 180) else (top - bottom, right - left)
        self.tp = page.get_textpage()
        self.n = self.tp.count_chars()
        text = self.tp.get_text_range(0, self.n) if self.n else ""
        if len(text) != self.n:         # characters outside the BMP: one index per char instead
            text = "".join(chr(R.FPDFText_GetUnicode(self.tp.raw, i) or 0xFFFD) for i in range(self.n))
        # pdfium marks a hyphen that ends a line as U+FFFE (or U+0002): on paper it is "-"
        self.chars = text.replace("\ufffe", "-").replace("\x02", "-")
        self._words: Optional[list[dict]] = None
        self._paths: list = []
        self.image_area = 0.0
        forms: list = []              # matrices of the form XObjects enclosing the current object
        imaged_forms: list = []       # page-level forms that hold an image (scanners wrap pages so)
        for obj in page.get_objects(max_depth=3):
            t, level = obj.type, obj.level
            del forms[level:]
            if t == R.FPDF_PAGEOBJ_FORM:
                m = obj.get_matrix()
                forms.append(m.multiply(forms[-1]) if forms else m)
                if level == 0:
                    imaged_forms.append([obj.get_bounds(), False])
            elif t == R.FPDF_PAGEOBJ_PATH:
                self._paths.append((obj, forms[-1] if forms else None))
            elif t == R.FPDF_PAGEOBJ_IMAGE:
                if level == 0:
                    l, b, r, tp = obj.get_bounds()
                    self.image_area += max(0.0, r - l) * max(0.0, tp - b)
                elif imaged_forms:
                    imaged_forms[-1][1] = True
        for (l, b, r, tp), has_image in imaged_forms:
            if has_image:
                self.image_area += max(0.0, r - l) * max(0.0, tp - b)

    def close(self) -> None:
        self._paths = []
        self.tp.close()

    def fontname(self, i: int) -> str:
        buf = self.ct.create_string_buffer(128)
        flags = self.ct.c_int()
        k = self.R.FPDFText_GetFontInfo(self.tp.raw, i, buf, 128, flags)
        return buf.raw[:max(k - 1, 0)].decode("utf-8", "replace") if k else ""

    def assess(self) -> PageDecision:
        step = max(1, self.n // 60)
        fonts = [self.fontname(i) for i in range(0, self.n, step) if not self.chars[i].isspace()]
        cid = sum(1 for ch in self.chars if ch in "\ufffd\x00" or ("\x01" <= ch < "\x09"))
        return judge(self.chars, fonts, self.image_area / (self.width * self.height or 1.0), self.words, cid=cid)

    def words(self) -> list[dict]:
        """Characters → words (dicts as pdfplumber's extract_words gives them): a break at white
        space, at pdfium's line breaks, and where the gap between two glyphs exceeds 1.5 pt."""
        if self._words is not None:
            return self._words
        R, raw, rect = self.R, self.tp.raw, self.R.FS_RECTF()
        size_of, box_of = R.FPDFText_GetFontSize, R.FPDFText_GetLooseCharBox
        legacy_fonts = None
        words: list[dict] = []
        cur: Optional[dict] = None
        chars = self.chars
        disp = self.to_display
        # the steps from one glyph's left edge to the next, smallest and largest, per word: all
        # equal in a monospaced font (→ "pitch", see _mono_rows)
        lo = hi = prev = 0.0
        for i, ch in enumerate(chars):
            if ch in _SPACE:
                cur = None
                continue
            box_of(raw, i, rect)
            (ax, ay), (bx, by) = disp(rect.left, rect.top), disp(rect.right, rect.bottom)
            left, right, top, bottom = min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)
            if cur is not None and (left - cur["x1"] > 1.5 or left < cur["x1"] - 0.5 * cur["size"]
                                    or abs(top - cur["top"]) > 0.4 * cur["size"]):
                cur = None
            if cur is None:
                if words:
                    words[-1]["_steps"] = (lo, hi)
                lo, hi, prev = float("inf"), 0.0, left
                size = size_of(raw, i) or (bottom - top)
                cur = {"text": ch, "x0": left, "x1": right, "top": top, "bottom": bottom, "size": size, "_i": i}
                words.append(cur)
            else:
                step = left - prev
                prev = left
                if step < lo:
                    lo = step
                if step > hi:
                    hi = step
                cur["text"] += ch
                cur["x1"] = max(cur["x1"], right)
                cur["top"] = min(cur["top"], top)
                cur["bottom"] = max(cur["bottom"], bottom)
        if words:
            words[-1]["_steps"] = (lo, hi)
        for w in words:
            lo, hi = w.pop("_steps")
            if hi > 0 and 0.02 * hi < hi - lo <= 0.08 * hi:
                lo, hi = self._origin_steps(w["_i"], len(w["text"]))
            if hi > 0 and hi - lo <= 0.02 * hi:
                # the word's width per glyph: one step can be off where a mark overhangs a box
                # ("ĐỀ" has one step only), the word's outer edges are not
                w["pitch"] = (w["x1"] - w["x0"]) / len(w["text"])
        # font names only matter for legacy-encoded fonts (a few words' worth of calls otherwise)
        sample = {self.fontname(w["_i"]) for w in words[:: max(1, len(words) // 20)]}
        legacy_fonts = any(font_encoding(f) for f in sample)
        for w in words:
            w["fontname"] = self.fontname(w.pop("_i")) if legacy_fonts else None
        self._words = words
        return words

    def _origin_steps(self, first: int, n: int) -> tuple[float, float]:
        """The smallest and largest step between the origins of glyphs first … first+n-1: a box's
        left edge moves where an accent overhangs it ("Ề"), the origin does not. Asked only for
        the few words whose boxes step almost evenly."""
        x, y = self.ct.c_double(), self.ct.c_double()
        xs = []
        for i in range(first, first + n):
            self.R.FPDFText_GetCharOrigin(self.tp.raw, i, x, y)
            xs.append(self.to_display(x.value, y.value)[0])
        steps = [b - a for a, b in zip(xs, xs[1:])]
        return (min(steps), max(steps)) if steps else (0.0, 0.0)

    def rules(self, min_len: float = 4.0, thin: float = 2.5) -> tuple[list, list]:
        """Horizontal and vertical ruled segments (top-left origin, points) from path objects:
        straight stroked segments, and the long edges of thin filled rectangles."""
        R, ct = self.R, self.ct
        x, y = ct.c_float(), ct.c_float()
        fill, stroke = ct.c_int(), ct.c_int()
        hs, vs = [], []
        for obj, outer in self._paths:
            m = obj.get_matrix()
            if outer is not None:               # a path inside a form XObject: form space → page space
                m = m.multiply(outer)
            R.FPDFPath_GetDrawMode(obj.raw, fill, stroke)
            subpaths: list[list[tuple[float, float]]] = []
            curve = False
            for k in range(R.FPDFPath_CountSegments(obj.raw)):
                seg = R.FPDFPath_GetPathSegment(obj.raw, k)
                R.FPDFPathSegment_GetPoint(seg, x, y)
                kind = R.FPDFPathSegment_GetType(seg)
                px, py = self.to_display(m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f)
                if kind == R.FPDF_SEGMENT_MOVETO or not subpaths:
                    subpaths.append([(px, py)])
                else:
                    subpaths[-1].append((px, py))
                    curve |= kind == R.FPDF_SEGMENT_BEZIERTO
                if R.FPDFPathSegment_GetClose(seg) and subpaths[-1]:
                    subpaths[-1].append(subpaths[-1][0])
            if curve:
                continue
            for pts in subpaths:
                xs, ys = [p[0] for p in pts], [p[1] for p in pts]
                w, h = max(xs) - min(xs), max(ys) - min(ys)
                if w <= thin and h >= min_len:
                    vs.append(Segment((min(xs) + max(xs)) / 2, min(ys), max(ys), max(w, 0.5)))
                    continue
                if h <= thin and w >= min_len:
                    hs.append(Segment((min(ys) + max(ys)) / 2, min(xs), max(xs), max(h, 0.5)))
                    continue
                if not stroke.value:
                    continue                  # a filled box (shading, a white background) draws no rule
                for (ax, ay), (bx, by) in zip(pts, pts[1:]):
                    if abs(ay - by) <= 0.5 and abs(ax - bx) >= min_len:
                        hs.append(Segment(ay, min(ax, bx), max(ax, bx), 0.5))
                    elif abs(ax - bx) <= 0.5 and abs(ay - by) >= min_len:
                        vs.append(Segment(ax, min(ay, by), max(ay, by), 0.5))
        return hs, vs

    def tables(self, words: list[dict], legacy: Optional[str]) -> list:
        """Ruled tables → [(bbox, rows)], each row a list of cell texts (as `_tables` gives)."""
        if not self._paths:
            return []
        hs, vs = self.rules()
        if len(hs) < 2 or len(vs) < 2:
            return []
        out = []
        for grid, _ in find_grids(hs, vs, tol=2.0):
            found: dict = {}
            for w in words:
                cell = grid.cell_of((w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2)
                if cell is not None:
                    found.setdefault(cell, []).append(w)
            rows = []
            for r in range(len(grid.ys) - 1):
                row = []
                for c in range(len(grid.xs) - 1):
                    ws = found.get((r, c)) if grid.anchor[r][c] == (r, c) else None
                    row.append(cell_text("\n".join(_cell_lines(ws, legacy))) if ws else "")
                if any(row):
                    rows.append(row)
            if rows and (len(rows) >= 2 or len(rows[0]) >= 2):
                out.append((grid.bbox, rows))
        return out

    def text(self, legacy: Optional[str], carry: Optional[list[str]]) -> tuple[str, Optional[list[str]]]:
        words = self.words()
        return compose_page(self.height, words, self.tables(words, legacy), legacy, carry, width=self.width)


def _cell_lines(words: list[dict], legacy: Optional[str]) -> list[str]:
    """A cell's words → its lines, top to bottom, each left to right."""
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (w["top"] + w["bottom"]) / 2):
        mid = (w["top"] + w["bottom"]) / 2
        if lines and lines[-1][0]["top"] <= mid <= lines[-1][0]["bottom"]:
            lines[-1].append(w)
        else:
            lines.append([w])
    lines = [sorted(ln, key=lambda w: w["x0"]) for ln in lines]
    widest = max(ln[-1]["x1"] - ln[0]["x0"] for ln in lines)
    out: list[str] = []
    for i, ln in enumerate(lines):
        text = " ".join(_word_text(w, legacy) for w in ln)
        if i:
            a, b = lines[i - 1][-1], ln[0]
            # a token broken at the cell's edge: the pieces together would not fit on one line;
            # its left part as the cell rejoins it ("05-" + "KH/BC" before "ĐTW")
            if (a["x1"] - a["x0"]) + (b["x1"] - b["x0"]) > widest \
                    and split_symbol(cell_text("\n".join(out)).rsplit(" ", 1)[-1], text.split(" ", 1)[0]):
                out[-1] += text
                continue
        out.append(text)
    return out
