"""Typed models of the output contract (shared/spec/output-contract.md).

Field names and meanings of the contract are fixed; fields marked "extra" are ours.
Every field the extractor writes is declared here (models forbid undeclared fields), so
`schema/document.schema.json`, generated from `Document` (see `write_schema`), is the truth.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"

Span = tuple[int, int]
"""[start, end) character offsets into Document.text."""


def inside(pos: int, spans: Iterable[Span]) -> bool:
    """Is offset `pos` inside one of `spans`?"""
    for s, e in spans:          # a loop, not any(<generator>): called per line by several stages
        if s <= pos < e:
            return True
    return False

DocType = Literal[
    "nghi_quyet", "chi_thi", "ket_luan", "quy_dinh", "quyet_dinh", "quy_che", "huong_dan",
    "ke_hoach", "chuong_trinh", "bao_cao", "thong_bao", "to_trinh", "cong_van", "de_an",
    "thong_tri", "bien_ban", "luat", "nghi_dinh", "thong_tu", "other",
]
DeadlineKind = Literal["date", "period", "recurring", "ongoing", "conditional", "relative", "multiple", "none"]
Status = Literal["ok", "partial", "error"]


Scope = Literal["central", "local", "state"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ErrorItem(_Model):
    stage: str
    message: str


class PageInfo(_Model):
    """extra: how one page of a paged input was read."""
    page: int
    method: Literal["text", "ocr", "none"]
    reason: str = ""
    ocr_confidence: Optional[float] = None
    dpi: Optional[int] = None


class Source(_Model):
    path: Optional[str] = None
    format: str = "txt"
    sha256: Optional[str] = None
    encoding: Optional[str] = None
    pages: Optional[int] = None
    ocr: bool = False
    # extra
    size: Optional[int] = None
    encoding_confidence: Optional[float] = None
    page_spans: list[Span] = Field(default_factory=list, description="extra: span of each page in text")
    page_info: list[PageInfo] = Field(default_factory=list, description="extra: per page, text layer or OCR and why")


class Signer(_Model):
    name: Optional[str] = None
    position: Optional[str] = None
    authority: Optional[str] = None


class Meta(_Model):
    doc_type: Optional[DocType] = None
    number: Optional[str] = None
    issuer: list[str] = Field(default_factory=list)
    place: Optional[str] = None
    issued_date: Optional[str] = None
    title: Optional[str] = None
    signer: Signer = Field(default_factory=Signer)
    recipients: list[str] = Field(default_factory=list)
    basis: list[str] = Field(default_factory=list)
    # extra: where each field was read, by field name
    spans: dict[str, Span] = Field(default_factory=dict)
    province: Optional[str] = Field(None, description="extra: the province of the issuer (qualifies local symbols)")


class Section(_Model):
    id: str
    parent: Optional[str] = None
    level: int = 1
    number: Optional[str] = None
    title: str = ""
    span: Span
    page: Optional[int] = None


class Deadline(_Model):
    """A deadline as written (`text`) and normalized: `kind` (date, period, recurring, ongoing,
    multiple, …), `start`/`end` as ISO dates (the same day for a single date), `recurrence` for
    repeated ones ("Trước ngày 20 hàng tháng"), `parts` for a "multiple" one ("Tháng 2, 5"), and
    the span of the text in the document (prose deadlines)."""
    text: str = ""
    kind: DeadlineKind = "none"
    start: Optional[str] = None
    end: Optional[str] = None
    recurrence: Optional[str] = None
    parts: list["Deadline"] = Field(default_factory=list)
    note: Optional[str] = None
    # extra
    timex: Optional[str] = None
    span: Optional[Span] = None
    page: Optional[int] = None


class Unit(_Model):
    """extra: a responsible body (or position) named in a task or an assignment."""
    name: str = Field(description="normalized: abbreviations expanded, spelling unified")
    text: str = Field(description="as written")
    span: Optional[Span] = None
    page: Optional[int] = None
    collective: bool = Field(False, description="many units named as one: 'các chi, đảng bộ trực thuộc'")
    kind: Literal["organization", "collective", "position"] = "organization"
    role: Optional[Literal["lead", "partner"]] = None


class Task(_Model):
    id: str
    section: Optional[str] = None
    group: Optional[str] = None
    number: Optional[str] = None
    content: str = ""
    lead: Optional[str] = None
    partners: Optional[str] = None
    deadline: Deadline = Field(default_factory=Deadline)
    status: Optional[str] = None
    output: Optional[str] = None
    origin: Literal["table", "list"] = "table"
    span: Span
    page: Optional[int] = None
    # extra
    supervisor: Optional[str] = Field(None, description="extra: the chỉ đạo / theo dõi column, as written")
    spans: dict[str, Span] = Field(default_factory=dict, description="extra: where each field's cell was read, "
                                   "by field name (a cell wrapped over lines: from its first piece to its last)")
    annex: Optional[str] = Field(None, description="extra: title of the annex the task sits in ('PHỤ LỤC 2')")
    lead_units: list[Unit] = Field(default_factory=list, description="extra: the bodies of `lead`")
    partner_units: list[Unit] = Field(default_factory=list, description="extra: the bodies of `partners`")


class Mention(_Model):
    text: str
    span: Span
    form: Literal["full", "short"] = "full"
    # extra
    relation: Literal["implements", "reviews", "replaces", "mentions"] = "mentions"
    section: Optional[str] = None
    page: Optional[int] = None


class Reference(_Model):
    id: str
    kind: Optional[DocType] = None
    issued_date: Optional[str] = None
    issuer: Optional[str] = None
    term: Optional[str] = None
    subject: Optional[str] = None
    mentions: list[Mention] = Field(default_factory=list)
    # extra
    scope: Optional[Scope] = Field(None, description="extra: level of the issuer code (central, local, state)")
    qualified_id: Optional[str] = Field(None, description="extra: id qualified by province for local symbols "
                                        "('14-NQ/TU@Bình Phước'); the id itself otherwise")


class Footnote(_Model):
    """extra: a footnote line ("¹ Tổng ban hành 326 văn bản …"), kept apart from the body."""
    marker: str
    text: str
    span: Span
    page: Optional[int] = None


class Document(_Model):
    """One extracted document, as one line of documents.jsonl: `status` (ok, partial, error) and
    `errors`, `source` (format, encoding, pages, OCR), the normalized `text` every span points
    into, `meta` (header and signature), `sections`, `tasks`, `references`, prose `deadlines`.
    `repr()` is a short summary; `model_dump_json()` gives the whole record."""
    schema_version: str = SCHEMA_VERSION
    doc_id: str
    status: Status = "ok"
    errors: list[ErrorItem] = Field(default_factory=list)
    source: Source = Field(default_factory=Source)
    text: str = ""
    meta: Meta = Field(default_factory=Meta)
    sections: list[Section] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    # extra
    footnotes: list[Footnote] = Field(default_factory=list)
    units: list[Unit] = Field(default_factory=list, description="extra: bodies given work in prose, with role")
    extractor_version: Optional[str] = None

    def to_json(self) -> str:
        return self.model_dump_json()

    def __repr__(self) -> str:  # short: the text alone can be hundreds of KB
        m = self.meta
        head = ", ".join(f"{k}={v!r}" for k, v in (("doc_type", m.doc_type), ("number", m.number),
                                                    ("issued_date", m.issued_date)) if v)
        return (f"Document(doc_id={self.doc_id!r}, status={self.status!r}, format={self.source.format!r}, "
                f"{head + ', ' if head else ''}text=<{len(self.text)} chars>, sections={len(self.sections)}, "
                f"tasks={len(self.tasks)}, references={len(self.references)}, deadlines={len(self.deadlines)}, "
                f"errors={len(self.errors)})")

    __str__ = __repr__


Deadline.model_rebuild()


def trusted(cls: type[BaseModel]):
    """A constructor of `cls` for values the extractor built itself with the declared types (a
    table cell's Task, a cell's Units): the instance `cls(**fields)` gives (the same __dict__ in
    field order, the same fields set), without the validation call, which costs more than the
    rest of building a task's row. (`model_construct` walks every field in Python: slower still.)
    Input from outside (a file, a user) goes through `cls(...)`."""
    fixed: dict = {}
    factories = []
    for name, f in cls.model_fields.items():
        fixed[name] = f.default if f.default_factory is None and not f.is_required() else None
        if f.default_factory is not None:
            factories.append((name, f.default_factory))
    new, set_attr, known = object.__new__, object.__setattr__, cls.model_fields.keys()

    def make(**fields):
        if not fields.keys() <= known:   # extra="forbid" holds here too: a misspelt field fails loudly
            raise TypeError(f"{cls.__name__} has no field {sorted(fields.keys() - known)}")
        values = fixed.copy()
        for name, factory in factories:
            if name not in fields:
                values[name] = factory()
        values.update(fields)
        obj = new(cls)
        set_attr(obj, "__dict__", values)
        set_attr(obj, "__pydantic_fields_set__", set(fields))
        set_attr(obj, "__pydantic_extra__", None)
        set_attr(obj, "__pydantic_private__", None)
        return obj
    return make


SCHEMA_PATH = Path(__file__).parent / "schema" / "document.schema.json"


def json_schema() -> str:
    return json.dumps(Document.model_json_schema(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_schema(path: Path = SCHEMA_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json_schema(), encoding="utf-8")
    return path


if __name__ == "__main__":  # python -m extractor.model  regenerates the schema
    print(write_schema())
