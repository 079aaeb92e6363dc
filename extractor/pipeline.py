"""Wires the stages for one document. Never touches the file system.

pages → normalize → lines → meta → sections → tasks → assignments → references → deadlines → Document.
A stage that fails leaves its part empty and records why (status "partial"); only a
failure to read the input at all gives status "error".
"""
from __future__ import annotations

import hashlib
import logging
import re
import traceback
from collections import Counter
from typing import Callable, Optional, TypeVar

from . import __version__
from .deadlines import DeadlineContext, find_deadlines, parse_deadline
from .ingest import Ingested
from .assemble import place
from .assignments import find_assignments
from .lines import split_lines
from .meta import MetaResult, extract_meta
from .lines import SUPERSCRIPT_DIGITS
from .model import Document, ErrorItem, Footnote, Meta, PageInfo, Source
from .normalize import normalize_pages
from .patterns import DATE_SEP, MONTH_WORD, YEAR_WORD
from .references import find_basis, find_references
from .sections import find_annexes, find_sections
from .settings import Settings
from .tables import find_tasks
from .units import annotate_tasks, document_units
from .vocab import load_header

log = logging.getLogger(__name__)
T = TypeVar("T")


def error_document(doc_id: str, source: Source, stage: str, message: str) -> Document:
    return Document(doc_id=doc_id, status="error", errors=[ErrorItem(stage=stage, message=message)],
                    source=source, extractor_version=__version__)


class _Stages:
    """Runs each stage on its own: one that raises leaves its default and an error item."""
    __slots__ = ("errors",)

    def __init__(self, errors: list[ErrorItem]) -> None:
        self.errors = errors

    def __call__(self, name: str, fn: Callable[[], T], default: T) -> T:
        try:
            return fn()
        except Exception as exc:  # one broken stage must not lose the others
            log.debug("stage %s failed: %s", name, traceback.format_exc())
            self.errors.append(ErrorItem(stage=name, message=f"{type(exc).__name__}: {exc} "
                                         "(this part of the record is empty; please report the input)"))
            return default


def build_document(ingested: Ingested, source: Source, doc_id: str, settings: Optional[Settings] = None) -> Document:
    settings = settings or Settings()
    errors: list[ErrorItem] = [ErrorItem(stage=s, message=m) for s, m in ingested.warnings]
    stage = _Stages(errors)
    norm, page_spans = normalize_pages(ingested.pages)
    text = norm.text
    _describe_source(source, ingested, page_spans)
    lines = split_lines(text, page_spans)

    mres = stage("meta", lambda: extract_meta(text, lines, settings.meta), MetaResult(Meta()))
    meta = mres.meta
    skip = [(0, mres.header_end)] + mres.footer_spans
    annexes = stage("sections", lambda: find_annexes(lines, skip=skip), None)
    sections = stage("sections", lambda: find_sections(text, lines, skip=skip, settings=settings.sections,
                                                       annexes=annexes), [])
    annexes = annexes or []
    ctx = stage("deadlines", lambda: _deadline_context(meta, text), DeadlineContext())
    tasks = stage("tables", lambda: find_tasks(text, lines, settings=settings.tables,
                                               parse_deadline=lambda s: parse_deadline(s, ctx)), [])
    table_spans = [t.span for t in tasks]
    assigned = stage("assignments", lambda: find_assignments(
        lines, skip=skip + table_spans, settings=settings.assignments, report=meta.doc_type == "bao_cao",
        find_deadline=lambda s: find_deadlines(s, ctx), parse_deadline=lambda s: parse_deadline(s, ctx)), [])
    if assigned:
        tasks = _merge_tasks(tasks, assigned)
    meta.province = _province(meta)
    zones = {"preamble": mres.preamble_span, "title": mres.title_span}
    refs = stage("references", lambda: find_references(text, own_number=meta.number, province=meta.province,
                                                       **zones), [])
    meta.basis = stage("references", lambda: find_basis(text, refs, **zones), [])
    exclude = [(0, mres.header_end)] + table_spans + mres.footer_spans
    deadlines = stage("deadlines", lambda: find_deadlines(text, ctx, exclude=exclude), [])
    stage("units", lambda: annotate_tasks(text, tasks), None)
    # units of an assignment are its lead_units/partner_units, as for a table row
    units = stage("units", lambda: document_units(text, exclude=exclude + [t.span for t in assigned]), [])
    place(page_spans=page_spans, sections=sections, tasks=tasks, references=refs, deadlines=deadlines, units=units,
          annexes=annexes)
    return Document(doc_id=doc_id, status=_status(text, errors), errors=errors, source=source, text=text, meta=meta,
                    sections=sections, tasks=tasks, references=refs, deadlines=deadlines,
                    units=units, footnotes=_footnotes(lines), extractor_version=__version__)


def _describe_source(source: Source, ingested: Ingested, page_spans) -> None:
    """What reading the file told about it: pages, OCR, encoding, the pages' spans and details."""
    source.pages = len(ingested.pages) if ingested.paged else None
    source.ocr = ingested.ocr
    source.encoding = ingested.encoding
    source.encoding_confidence = ingested.encoding_confidence
    source.page_spans = list(page_spans)
    source.page_info = [PageInfo(**i) for i in ingested.page_info]


def _merge_tasks(tasks: list, assigned: list) -> list:
    """Table tasks and prose assignments in text order, numbered t1, t2, …"""
    tasks = sorted(tasks + assigned, key=lambda t: t.span[0])
    for n, t in enumerate(tasks, 1):
        if t.id != f"t{n}":     # a table task before the first assignment keeps its number
            t.id = f"t{n}"
    return tasks


def _status(text: str, errors: list[ErrorItem]) -> str:
    """"partial" when a stage failed; "error" (and why) when no text could be read at all."""
    status = "partial" if errors else "ok"
    if not text.strip():
        status = "error"
        errors.append(ErrorItem(stage="ingest", message="no text could be read from the file "
                                "(an image-only PDF without OCR? an empty document?)"))
    return status


# a province's name after its level word in an issuer line (header.yaml province_words, committee_words)
_PROVINCE = re.compile(rf"(?:{'|'.join(map(re.escape, load_header().province_words))})\s*"
                       rf"(?:{'|'.join(map(re.escape, load_header().committee_words))})?\s+(?P<name>[^\d,]+)$", re.I)
_FULL_DATE = re.compile(rf"\b(?:\d{{1,2}}{DATE_SEP}\d{{1,2}}{DATE_SEP}|\d{{1,2}}\s+{MONTH_WORD}\s+\d{{1,2}}\s+{YEAR_WORD}\s+)((?:19|20)\d{{2}})(?!\d)")


def _deadline_context(meta: Meta, text: str) -> DeadlineContext:
    """The year deadlines fall in, from the evidence the contract names in its order: title,
    issue date, place-date line and plan period (DeadlineContext.from_document), then the
    dates written in the text: when a scan lost the header, the year most of them name."""
    ctx = DeadlineContext.from_document(meta.title, meta.issued_date, text)
    if ctx.year is None and ctx.period_start is None:
        years = Counter(int(m.group(1)) for m in _FULL_DATE.finditer(text))
        if years:
            ctx.year = max(years, key=lambda y: (years[y], y))
            ctx.source = "text"
    return ctx


def _footnotes(lines) -> list[Footnote]:
    out = []
    for ln in lines:
        if ln.is_footnote:
            body = ln.text.lstrip()
            marker = body[:len(body) - len(body.lstrip(SUPERSCRIPT_DIGITS))]
            out.append(Footnote(marker=marker, text=body[len(marker):].strip(), span=ln.content_span, page=ln.page))
    return out


def _province(meta: Meta) -> Optional[str]:
    """The province a local symbol (/TU, /HU) belongs to, from the issuer lines ("TỈNH ỦY ĐỒNG NAI")."""
    for line in meta.issuer:
        m = _PROVINCE.search(line)
        if m and m.group("name").strip():
            return m.group("name").strip().title()
    return meta.place


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
