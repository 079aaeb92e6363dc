"""The core the public API and the batch engines share: one file or one string → a Document.

`extract` and `extract_text` are re-exported by `extractor.api` (the public API); the batch
workers (batch/local.py), the warm-up (batch/warm.py) and the spaCy components (nlp.py) call
them here, below the API, so that nothing the API imports imports the API back.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Optional, Union

from .ingest import Ingested, format_of, ingest, sniff_format
from .ingest.errors import InputError
from .model import Document, Source
from .pipeline import build_document, error_document, sha256
from .settings import Settings


def extract(source: Union[str, os.PathLike, bytes], *, format: Optional[str] = None,
            settings: Optional[Settings] = None, doc_id: Optional[str] = None,
            path_label: Optional[str] = None) -> Document:
    """Extract one document. Never raises for bad input: the record says what went wrong."""
    settings = settings or Settings()
    if isinstance(source, (bytes, bytearray)):
        data, path = bytes(source), path_label
        fmt = format or sniff_format(data) or (format_of(path) if path else None) or "txt"
    else:
        path = str(source)
        fmt = format or format_of(path) or ""
        try:
            data = read_file(Path(path), settings)
        except InputError as exc:
            src = Source(path=path_label or path, format=fmt or "unknown")
            return error_document(doc_id or Path(path).stem, src, exc.stage, exc.message)
        # the content decides over the name: a PDF saved as .txt, a scan without extension
        sniffed = None if format else sniff_format(data)
        if sniffed and not (sniffed == "doc" and fmt == "docx"):
            fmt = sniffed
        elif not fmt and _looks_like_text(data):
            fmt = "txt"
    doc_id = doc_id or (Path(path).stem if path else "document")
    src = Source(path=path_label or path, format=fmt or "unknown", sha256=sha256(data), size=len(data))
    if not fmt:
        return error_document(doc_id, src, "ingest", f"unknown file type {Path(path or '').suffix!r}; "
                              "supported: .txt .md .pdf .docx .doc .png .jpg .tif")
    try:
        ingested = ingest(data, fmt, settings)
    except InputError as exc:
        return error_document(doc_id, src, exc.stage, exc.message)
    except MemoryError:  # stage "memory": the limit's fault as much as the file's, retried on the next run
        return error_document(doc_id, src, "memory", "the file needs more memory than allowed to read "
                              f"(--max-memory {settings.max_memory_mb} MB); it may be a decompression bomb or "
                              "far larger than a normal document; raise --max-memory to try again")
    except Exception as exc:  # a reader bug or a file its library cannot parse
        return error_document(doc_id, src, "ingest", f"could not read the {fmt} file: "
                              f"{type(exc).__name__}: {exc}")
    return build_document(ingested, src, doc_id, settings)


def extract_text(text: str, *, doc_id: str = "text", format: str = "txt",
                 settings: Optional[Settings] = None) -> Document:
    """Extract a document from a string already in memory (no decoding, no file).

    `doc_id` names it in the record; `format` is recorded as its `source.format`; `settings`
    (default `Settings()`) holds the tunables. Returns a `Document`; like `extract`, it never
    raises for bad input (an empty text gives `status: "error"` with a message).
    """
    src = Source(path=None, format=format, sha256=sha256(text.encode("utf-8")), encoding="utf-8")
    return build_document(Ingested(pages=[text], format=format, encoding="utf-8", encoding_confidence=1.0),
                          src, doc_id, settings)


def _looks_like_text(data: bytes) -> bool:
    """A file with no known extension is read as text when its start has no NUL byte."""
    return b"\x00" not in data[:4096]


def read_file(path: Path, settings: Settings) -> bytes:
    """The bytes of a regular file within settings.max_input_bytes; InputError (a message a person can
    act on) for a pipe or device, a file too large, a missing or unreadable one."""
    try:
        st = path.stat()
        size = st.st_size
        if not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):  # reading a FIFO blocks for ever
            raise InputError("read", f"{path} is not a regular file (a pipe, socket or device); "
                             "copy its content into a file and extract that")
        if size > settings.max_input_bytes:
            raise InputError("ingest", f"the file is {size / 1e6:.1f} MB, above the limit of "
                             f"{settings.max_input_bytes / 1e6:.0f} MB; split it or raise --max-bytes")
        return path.read_bytes()
    except PermissionError:
        raise InputError("read", f"permission denied reading {path}; give the user running the "
                         "extractor read access (chmod +r)") from None
    except IsADirectoryError:
        raise InputError("read", f"{path} is a directory, not a file") from None
    except FileNotFoundError:
        raise InputError("read", f"{path} does not exist (a broken link, or moved during the run)") from None
    except OSError as exc:
        raise InputError("read", f"could not read {path}: {exc.strerror or exc}") from None


def error_record(doc_id: str, path: Path, label: str, stage: str, message: str) -> dict:
    """The JSON record of a document that could not be extracted at all (a worker stopped by a
    guard, or a bug): `label` is its source.path, the format is told by `path`'s suffix as for any
    record ("image" for .png and .tif)."""
    src = Source(path=label, format=format_of(path) or "unknown")
    return error_document(doc_id, src, stage, message).model_dump(mode="json")
