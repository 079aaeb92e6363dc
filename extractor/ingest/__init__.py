"""Providers: bytes of one input file → pages of text (+ what was learned on the way).

Each format has a reader `read(data: bytes, settings) -> Ingested`; readers for optional
formats live in their own module and are imported only when needed, so the core install
stays light and a missing extra becomes a clear error record.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..settings import Settings
from .errors import InputError

FORMATS = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
    ".pdf": "pdf", ".docx": "docx", ".doc": "doc",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
    ".bmp": "image", ".webp": "image",
}
# format → (module, extra that provides it)
READERS = {
    "txt": ("text", None), "md": ("text", None),
    "pdf": ("pdf", "pdf"), "docx": ("docx", "docx"), "doc": ("docx", "docx"),
    "image": ("image", "ocr"),
}


@dataclass
class Ingested:
    pages: list[str]
    format: str
    encoding: Optional[str] = None
    encoding_confidence: Optional[float] = None
    paged: bool = False
    ocr: bool = False
    warnings: list[tuple[str, str]] = field(default_factory=list)   # (stage, message): partial results
    page_info: list[dict] = field(default_factory=list)             # per page: method, reason, confidence


def format_of(path: str | Path) -> Optional[str]:
    return FORMATS.get(Path(path).suffix.lower())


_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # Word 97-2003 (.doc) and other OLE2 files


def sniff_format(data: bytes) -> Optional[str]:
    """The format the bytes themselves declare (magic numbers), or None for anything else
    (text, or a format we cannot tell): %PDF → pdf, a zip holding word/document.xml → docx,
    OLE2 → doc, PNG/JPEG/TIFF/BMP/WebP → image."""
    head = data[:1024]
    if b"%PDF-" in head:                      # the PDF header may follow a little junk (ISO 32000 §7.5.2)
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if _zip_holds(data, "word/document.xml") else None
    if head.startswith(_OLE2):
        return "doc"
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    return None


def _zip_holds(data: bytes, name: str) -> bool:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return name in z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return name.encode() in data[:65536]     # a damaged zip: its local file headers still name the part


def ingest(data: bytes, fmt: str, settings: Optional[Settings] = None) -> Ingested:
    settings = settings or Settings()
    if fmt not in READERS:
        raise InputError("ingest", f"unsupported format {fmt!r}; supported: {', '.join(sorted(FORMATS))}")
    if len(data) > settings.max_input_bytes:
        raise InputError("ingest", f"the file is {len(data) / 1e6:.1f} MB, above the limit of "
                         f"{settings.max_input_bytes / 1e6:.0f} MB; split it or raise --max-bytes")
    module, extra = READERS[fmt]
    try:
        reader = importlib.import_module(f"{__name__}.{module}")
    except ImportError as exc:
        raise InputError("ingest", f"reading {fmt} files needs the [{extra}] extra "
                         f"(pip install 'vn-party-extractor[{extra}]'): {exc}") from None
    return reader.read(data, settings, fmt=fmt)
