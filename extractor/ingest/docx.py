"""DOCX (python-docx) → one page of text in document order; .doc via LibreOffice headless.

Body paragraphs and tables are read in the order they appear (python-docx's `iter_inner_content`),
text boxes (w:txbxContent) where they are anchored. A Word table becomes tab-separated lines,
one per row, a cell's paragraphs joined by spaces (by ", " when they list persons or units). Merged cells are expanded over the grid:
a horizontally merged cell (gridSpan) fills its first column and leaves the spanned columns
empty; a vertically merged continuation (vMerge) is empty — the table layer reads an empty cell
under a filled one as "same as above" where it matters, and repeating the text would invent
duplicate tasks. A 2-column layout table (issuer | motto header, signature block; empty spacer
columns ignored) comes out as lines whose cells are separated by a tab, row by row and line by
line within the cells. A paragraph whose columns are aligned with runs of spaces keeps its
lines' indents (the other paragraphs' lines are stripped).

Safety, before python-docx (lxml) sees anything: the zip's declared uncompressed size is
capped (zip bombs), and any XML part with a DOCTYPE is refused (external or recursive
entities: a Word file never needs one).
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from . import Ingested
from .errors import InputError

MAX_UNCOMPRESSED = 200_000_000     # bytes: a 20 MB DOCX of text never comes near this
MAX_RATIO = 200                    # uncompressed / compressed for one member
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read(data: bytes, settings, fmt: str = "docx") -> Ingested:
    warnings: list[tuple[str, str]] = []
    if fmt == "doc" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        data = convert_doc(data)
        warnings.append(("ingest", "converted from .doc with LibreOffice"))
    check_package(data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise InputError("ingest", f"the DOCX cannot be opened ({type(exc).__name__}: {exc}); "
                         "re-save it from Word or LibreOffice") from None
    lines: list[str] = []
    prev_centered = False
    prev_layout = False                    # the last paragraph with text was typed in columns
    empty = False                          # an empty paragraph (a blank line) since the last one
    numbers = AutoNumbers(document)
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            _blank(lines)
            lines.extend(table_lines(block, numbers))
            _blank(lines)
        else:
            para = paragraph_lines(block)
            if any(x.strip() for x in para):
                centered = _centered(block)
                # columns typed with spaces, one paragraph per line or lines broken by hand: the
                # indents are the layout, and its lines stay together but where a blank line was
                # typed (an indented line without a gap goes on with it: a cell's next line)
                layout = laid_out(para) or (prev_layout and para[0][:1] == " ")
                if not (centered and prev_centered) and not (layout and prev_layout and not empty):
                    _blank(lines)             # paragraphs are blocks (a centered title's lines stay together)
                lines.extend(x.rstrip() if layout else x.strip() for x in para if x.strip())
                prev_centered, prev_layout, empty = centered, layout, False
            else:
                empty = True
            continue
        prev_centered = prev_layout = False
    text = "\n".join(lines).strip("\n")
    if len(text) > settings.max_text_chars:
        raise InputError("ingest", f"the text has {len(text):,} characters, above the limit of "
                         f"{settings.max_text_chars:,}")
    return Ingested(pages=[text], format="docx", encoding="utf-8", encoding_confidence=1.0, warnings=warnings)


def _centered(p) -> bool:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    align = p.alignment if p.alignment is not None else (p.style.paragraph_format.alignment if p.style else None)
    return align == WD_ALIGN_PARAGRAPH.CENTER


def _blank(lines: list[str]) -> None:
    if lines and lines[-1] != "":
        lines.append("")


# a column gap: 3+ spaces between two words (2 is a typing slip as often as a gap)
_COLUMN_GAP = re.compile(r"\S {3,}\S")


def laid_out(lines: list[str]) -> bool:
    """A paragraph whose columns are aligned with spaces (a report typed in Courier, a text
    layout pasted into Word): its lines keep their leading spaces, which place each piece in its
    column for the table layer's fixed-width reader."""
    return any(_COLUMN_GAP.search(x) for x in lines)


def paragraph_lines(p) -> list[str]:
    """A paragraph's text (manual line breaks kept), then the text of any text box anchored in it."""
    out = _runs_text(p._p).replace("\xa0", " ").split("\n")
    for box in p._p.iter(_W + "txbxContent"):
        for bp in box.iter(_W + "p"):
            t = _runs_text(bp).strip()
            if t:
                out.append(t)
    return out


def table_lines(table, numbers: "AutoNumbers | None" = None) -> list[str]:
    grid = table_grid(table, numbers)
    if not grid:
        return []
    # a layout table often has an empty spacer column between its two zones (issuer | | motto,
    # "Nơi nhận" | | signature), or one zone left empty: the zones are what counts
    used = [c for c in range(max(len(r) for r in grid)) if any(c < len(r) and r[c].strip() for r in grid)]
    if len(used) <= 2 and _layout_table(grid):
        return _side_by_side([[r[c] if c < len(r) else "" for c in used] for r in grid])
    return ["\t".join(cell_value(cell) for cell in row) for row in grid if any(c.strip() for c in row)]


# a paragraph that names one person or unit: short, capitalised, no sentence punctuation at its end
_NAME_PARA = re.compile(r"^[^\W\d_][^\n]{0,48}[^\s,;:.\-–]$")


def cell_value(cell: str) -> str:
    """A cell's paragraphs on one line: a cell that lists persons or units one per paragraph
    ("Đỗ Mạnh Cường" / "Vũ Việt Linh") keeps the breaks as ", " (joined by spaces they would read
    as one long name); wrapped sentences and bullets are joined by spaces."""
    paras = [p.strip() for p in cell.split("\n") if p.strip()]
    # (position lines of a signature block are in capitals: not a list of names)
    if len(paras) >= 2 and all(p[0].isupper() and _NAME_PARA.match(p) and len(p.split()) <= 6 and not p.isupper()
                               for p in paras):
        return ", ".join(paras)
    return " ".join(paras)


def table_grid(table, numbers: "AutoNumbers | None" = None) -> list[list[str]]:
    """Rows × grid columns of cell texts; gridSpan and vMerge expanded (see module doc)."""
    rows = []
    for tr in table._tbl.tr_lst:
        row: list[str] = []
        for tc in tr.tc_lst:
            span = tc.grid_span if hasattr(tc, "grid_span") else 1
            vmerge = tc.vMerge if hasattr(tc, "vMerge") else None
            text = "" if vmerge == "continue" else _cell_text(tc, numbers)
            row.append(text)
            row.extend([""] * (span - 1))
        rows.append(row)
    return rows


def _cell_text(tc, numbers: "AutoNumbers | None" = None) -> str:
    parts = []
    for p in tc.iter(_W + "p"):
        text = _runs_text(p).replace("\xa0", " ")
        if numbers is not None and not text.strip():
            # an Stt cell Word numbers itself (a list paragraph without text): the number it shows
            text = numbers.label(p)
        for t in text.split("\n"):
            if t.strip():
                parts.append(t.strip())
    return "\n".join(parts)


class AutoNumbers:
    """The labels Word draws for numbered paragraphs (numbering.xml), counted in document order;
    only decimal, roman and letter formats, the rest are left blank."""

    def __init__(self, document) -> None:
        self.levels: dict[tuple[str, str], tuple[str, str, int]] = {}
        self.count: dict[tuple[str, str], int] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(_W + "abstractNumId"): a for a in root.iter(_W + "abstractNum")}
        for num in root.iter(_W + "num"):
            ref = num.find(_W + "abstractNumId")
            a = abstract.get(ref.get(_W + "val")) if ref is not None else None
            if a is None:
                continue
            for lvl in a.iter(_W + "lvl"):
                fmt, text, start = lvl.find(_W + "numFmt"), lvl.find(_W + "lvlText"), lvl.find(_W + "start")
                self.levels[(num.get(_W + "numId"), lvl.get(_W + "ilvl"))] = (
                    fmt.get(_W + "val") if fmt is not None else "decimal",
                    text.get(_W + "val") if text is not None else "%1.",
                    int(start.get(_W + "val")) if start is not None and (start.get(_W + "val") or "").isdigit() else 1)

    def label(self, p) -> str:
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        if num_pr is None:
            return ""
        num_id, ilvl = num_pr.find(_W + "numId"), num_pr.find(_W + "ilvl")
        key = (num_id.get(_W + "val") if num_id is not None else "", ilvl.get(_W + "val") if ilvl is not None else "0")
        if key[1] != "0" or key not in self.levels:
            return ""
        fmt, text, start = self.levels[key]
        n = self.count.get(key, start - 1) + 1
        self.count[key] = n
        shown = _format_number(n, fmt)
        return text.replace("%1", shown) if shown else ""


def _format_number(n: int, fmt: str) -> str:
    if fmt == "decimal":
        return str(n)
    if fmt in ("upperRoman", "lowerRoman"):
        vals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
        out = ""
        for v, r in vals:
            while n >= v:
                out += r
                n -= v
        return out if fmt == "upperRoman" else out.lower()
    if fmt in ("lowerLetter", "upperLetter") and 1 <= n <= 26:
        c = chr(ord("a") + n - 1)
        return c if fmt == "lowerLetter" else c.upper()
    return ""


def _runs_text(p) -> str:
    """A w:p's text with manual line breaks (w:br, w:cr) as newlines and tabs as spaces."""
    out = []
    for el in p.iter(_W + "t", _W + "br", _W + "cr", _W + "tab"):
        if el.tag == _W + "t":
            out.append(el.text or "")
        elif el.tag == _W + "tab":
            out.append(" ")
        else:
            out.append("\n")
    return "".join(out)


def _layout_table(grid) -> bool:
    """A 2-column table with few rows and several lines per cell lays out a header or signature."""
    return len(grid) <= 4 and any("\n" in c for r in grid for c in r)


_BULLET = re.compile(r"^[-+•–]\s*")


def _rejoin_items(paras: list[str]) -> list[str]:
    """A list item a typist broke by hand into a new paragraph ("- Ủy ban Kiểm tra, Ban xây dựng
    Đảng," / "VP Đảng uỷ;"; "- Ban công" / "tác MT thôn;"): the paragraph after an item left open
    (no closing ";", ".", ":") that opens no item of its own goes on that item."""
    out: list[str] = []
    for p in paras:
        t = p.strip()
        if out and t and _BULLET.match(out[-1]) and not out[-1].rstrip().endswith((";", ".", ":")) \
                and not _BULLET.match(t):
            out[-1] = out[-1].rstrip() + " " + t
        else:
            out.append(p)
    return out


def _side_by_side(grid) -> list[str]:
    out = []
    for left, right in ((r + ["", ""])[:2] for r in grid):
        ls, rs = _rejoin_items(left.split("\n")), _rejoin_items(right.split("\n"))
        for i in range(max(len(ls), len(rs))):
            a = ls[i].strip() if i < len(ls) else ""
            b = rs[i].strip() if i < len(rs) else ""
            if a or b:
                out.append(f"{a}\t{b}" if b else a)
    return out


def check_package(data: bytes) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError("ingest", "the file is not a valid DOCX (not a zip package); it may be truncated, "
                         "or a .doc renamed to .docx") from None
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise InputError("ingest", f"the DOCX would unpack to {total / 1e6:,.0f} MB (limit "
                             f"{MAX_UNCOMPRESSED / 1e6:.0f} MB): refused as a possible zip bomb")
        for i in infos:
            if i.compress_size and i.file_size / i.compress_size > MAX_RATIO and i.file_size > 10_000_000:
                raise InputError("ingest", f"the DOCX member {i.filename} is compressed {i.file_size // i.compress_size}:1: "
                                 "refused as a possible zip bomb")
        names = {i.filename for i in infos}
        if "word/document.xml" not in names:
            raise InputError("ingest", "the zip has no word/document.xml: it is not a Word document")
        for i in infos:
            if i.filename.endswith((".xml", ".rels")):
                with zf.open(i) as fh:
                    head = fh.read(4096)
                if re.search(rb"<!DOCTYPE|<!ENTITY", head, re.I):
                    raise InputError("ingest", f"the DOCX part {i.filename} declares a DOCTYPE/entities, which "
                                     "Word never writes: refused (possible XML entity attack)")


def convert_doc(data: bytes) -> bytes:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise InputError("ingest", "legacy .doc files need LibreOffice to convert them (apt-get install "
                         "libreoffice-writer-nogui), or save the file as .docx")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "input.doc"
        src.write_bytes(data)
        try:
            subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                            "--convert-to", "docx", "--outdir", tmp, str(src)],
                           capture_output=True, timeout=120, check=True)
        except (subprocess.SubprocessError, OSError) as exc:
            raise InputError("ingest", f"LibreOffice could not convert the .doc ({exc}); save it as .docx") from None
        out = Path(tmp) / "input.docx"
        if not out.exists():
            raise InputError("ingest", "LibreOffice produced no .docx from the .doc; save it as .docx")
        return out.read_bytes()
