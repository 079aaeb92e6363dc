"""Renderers: contract records → documents.jsonl, CSV + Parquet tables and dataset.duckdb.

Everything is written next to its final name and renamed into place at the end, so an
interrupted run never leaves a file that looks complete. Rows are streamed in batches, so
memory stays flat however many documents there are.
"""
from __future__ import annotations

import csv
import errno
import json
import os
import shutil
from pathlib import Path
from typing import Iterable, Iterator, Optional

import pyarrow as pa
import pyarrow.parquet as pq

from .registry import Registry

S, I, B = pa.string(), pa.int64(), pa.bool_()

TABLES: dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("doc_id", S), ("status", S), ("path", S), ("format", S), ("sha256", S), ("encoding", S),
        ("pages", I), ("ocr", B), ("doc_type", S), ("number", S), ("issuer", S), ("province", S),
        ("place", S), ("issued_date", S), ("title", S), ("signer_name", S), ("signer_position", S),
        ("signer_authority", S), ("recipients", S), ("basis", S), ("n_sections", I), ("n_tasks", I),
        ("n_references", I), ("n_deadlines", I), ("n_errors", I), ("chars", I)]),
    "sections": pa.schema([
        ("doc_id", S), ("section_id", S), ("parent", S), ("level", I), ("number", S), ("title", S),
        ("start", I), ("end", I), ("page", I)]),
    "tasks": pa.schema([
        ("doc_id", S), ("task_id", S), ("section", S), ("group", S), ("number", S), ("content", S),
        ("lead", S), ("partners", S), ("status", S), ("output", S), ("origin", S),
        ("deadline_text", S), ("deadline_kind", S), ("deadline_start", S), ("deadline_end", S),
        ("deadline_recurrence", S), ("deadline_note", S), ("deadline_timex", S),
        ("start", I), ("end", I), ("page", I)]),
    "references": pa.schema([
        ("doc_id", S), ("ref_id", S), ("kind", S), ("issued_date", S), ("issuer", S), ("term", S),
        ("subject", S), ("qualified_id", S), ("in_basis", B), ("relation", S), ("n_mentions", I)]),
    "mentions": pa.schema([
        ("doc_id", S), ("ref_id", S), ("text", S), ("form", S), ("relation", S), ("section", S),
        ("start", I), ("end", I), ("page", I), ("context", S)]),
    "deadlines": pa.schema([
        ("doc_id", S), ("origin", S), ("task_id", S), ("text", S), ("kind", S), ("start_date", S),
        ("end_date", S), ("recurrence", S), ("note", S), ("timex", S), ("start", I), ("end", I),
        ("page", I)]),
    "errors": pa.schema([("doc_id", S), ("path", S), ("status", S), ("stage", S), ("message", S)]),
    # responsible units: one row per distinct unit name in a document, and one per mention
    "units": pa.schema([
        ("doc_id", S), ("name", S), ("text", S), ("kind", S), ("collective", B), ("count", I),
        ("n_lead", I), ("n_partner", I)]),
    "task_units": pa.schema([
        ("doc_id", S), ("task_id", S), ("origin", S), ("role", S), ("name", S), ("text", S), ("kind", S),
        ("collective", B), ("start", I), ("end", I)]),
    # the corpus-level directive registry (extractor/registry.py), written after every document
    "directives": pa.schema([
        ("directive_id", S), ("id", S), ("qualified_id", S), ("scope", S), ("province", S), ("kind", S),
        ("issuer", S), ("issued_date", S), ("term", S), ("subject", S), ("in_dataset", B), ("doc_id", S),
        ("cited_by", I), ("mentions", I), ("first_cited", S), ("last_cited", S), ("forms", S)]),
    # which directive each (citing document, reference id) is
    "directive_refs": pa.schema([("doc_id", S), ("ref_id", S), ("directive_id", S), ("qualified_id", S)]),
}

_RELATION_ORDER = ["implements", "replaces", "reviews", "mentions"]


def rows_of(doc: dict) -> dict[str, list[dict]]:
    """One contract record → its rows in every table."""
    d = doc.get("doc_id")
    meta = doc.get("meta") or {}
    signer = meta.get("signer") or {}
    src = doc.get("source") or {}
    basis = set(meta.get("basis") or [])
    out: dict[str, list[dict]] = {k: [] for k in TABLES}
    out["documents"].append({
        "doc_id": d, "status": doc.get("status"), "path": src.get("path"), "format": src.get("format"),
        "sha256": src.get("sha256"), "encoding": src.get("encoding"), "pages": src.get("pages"),
        "ocr": bool(src.get("ocr")), "doc_type": meta.get("doc_type"), "number": meta.get("number"),
        "issuer": " / ".join(meta.get("issuer") or []) or None, "province": meta.get("province"),
        "place": meta.get("place"), "issued_date": meta.get("issued_date"), "title": meta.get("title"),
        "signer_name": signer.get("name"), "signer_position": signer.get("position"),
        "signer_authority": signer.get("authority"), "recipients": "; ".join(meta.get("recipients") or []) or None,
        "basis": ", ".join(meta.get("basis") or []) or None, "n_sections": len(doc.get("sections") or []),
        "n_tasks": len(doc.get("tasks") or []), "n_references": len(doc.get("references") or []),
        "n_deadlines": len(doc.get("deadlines") or []), "n_errors": len(doc.get("errors") or []),
        "chars": len(doc.get("text") or "")})
    for s in doc.get("sections") or []:
        out["sections"].append({"doc_id": d, "section_id": s["id"], "parent": s.get("parent"),
                                "level": s.get("level"), "number": s.get("number"), "title": s.get("title"),
                                "start": s["span"][0], "end": s["span"][1], "page": s.get("page")})
    for t in doc.get("tasks") or []:
        dl = t.get("deadline") or {}
        out["tasks"].append({
            "doc_id": d, "task_id": t["id"], "section": t.get("section"), "group": t.get("group"),
            "number": t.get("number"), "content": t.get("content"), "lead": t.get("lead"),
            "partners": t.get("partners"), "status": t.get("status"), "output": t.get("output"),
            "origin": t.get("origin"), "deadline_text": dl.get("text"), "deadline_kind": dl.get("kind"),
            "deadline_start": dl.get("start"), "deadline_end": dl.get("end"),
            "deadline_recurrence": dl.get("recurrence"), "deadline_note": dl.get("note"),
            "deadline_timex": dl.get("timex"), "start": t["span"][0], "end": t["span"][1], "page": t.get("page")})
        out["deadlines"].append(_deadline_row(d, "task", t["id"], dl, t.get("span"), t.get("page")))
    for dl in doc.get("deadlines") or []:
        out["deadlines"].append(_deadline_row(d, "prose", None, dl, dl.get("span"), dl.get("page")))
    for r in doc.get("references") or []:
        mentions = r.get("mentions") or []
        rels = {m.get("relation") or "mentions" for m in mentions}
        relation = next((x for x in _RELATION_ORDER if x in rels), "mentions")
        out["references"].append({
            "doc_id": d, "ref_id": r["id"], "kind": r.get("kind"), "issued_date": r.get("issued_date"),
            "issuer": r.get("issuer"), "term": r.get("term"), "subject": r.get("subject"),
            "qualified_id": r.get("qualified_id") or r["id"], "in_basis": r["id"] in basis,
            "relation": relation, "n_mentions": len(mentions)})
        for m in mentions:
            out["mentions"].append({"doc_id": d, "ref_id": r["id"], "text": m.get("text"), "form": m.get("form"),
                                    "relation": m.get("relation"), "section": m.get("section"),
                                    "start": m["span"][0], "end": m["span"][1], "page": m.get("page"),
                                    "context": _context(doc.get("text") or "", m["span"])})
    _unit_rows(d, doc, out)
    for e in doc.get("errors") or []:
        out["errors"].append({"doc_id": d, "path": src.get("path"), "status": doc.get("status"),
                              "stage": e.get("stage"), "message": e.get("message")})
    return out


def _unit_rows(d, doc: dict, out: dict[str, list[dict]]) -> None:
    mentions = [(t["id"], "task", role, u) for t in doc.get("tasks") or []
                for role, key in (("lead", "lead_units"), ("partner", "partner_units")) for u in t.get(key) or []]
    mentions += [(None, "prose", u.get("role"), u) for u in doc.get("units") or []]
    by_name: dict[str, dict] = {}
    for task_id, origin, role, u in mentions:
        span = u.get("span") or (None, None)
        out["task_units"].append({"doc_id": d, "task_id": task_id, "origin": origin, "role": role,
                                  "name": u.get("name"), "text": u.get("text"), "kind": u.get("kind"),
                                  "collective": bool(u.get("collective")), "start": span[0], "end": span[1]})
        row = by_name.setdefault(u.get("name"), {
            "doc_id": d, "name": u.get("name"), "text": u.get("text"), "kind": u.get("kind"),
            "collective": bool(u.get("collective")), "count": 0, "n_lead": 0, "n_partner": 0})
        row["count"] += 1
        row["n_lead"] += role == "lead"
        row["n_partner"] += role == "partner"
    out["units"].extend(by_name.values())


def _context(text: str, span, width: int = 90) -> str:
    a, b = span
    return " ".join(text[max(a - width, 0):b + width].split())


def _deadline_row(doc_id, origin, task_id, dl: dict, span, page) -> dict:
    span = span or (None, None)
    return {"doc_id": doc_id, "origin": origin, "task_id": task_id, "text": dl.get("text"),
            "kind": dl.get("kind"), "start_date": dl.get("start"), "end_date": dl.get("end"),
            "recurrence": dl.get("recurrence"), "note": dl.get("note"), "timex": dl.get("timex"),
            "start": span[0], "end": span[1], "page": page}


class _TableWriter:
    """Streams rows of one table to CSV and Parquet (temporary names until commit)."""

    def __init__(self, out: Path, name: str, batch_rows: int = 5000):
        self.name, self.schema, self.batch_rows = name, TABLES[name], batch_rows
        self.csv_path, self.pq_path = out / f".{name}.csv.part", out / f".{name}.parquet.part"
        self._fh = self.csv_path.open("w", encoding="utf-8", newline="")
        self._csv = csv.DictWriter(self._fh, fieldnames=self.schema.names)
        self._csv.writeheader()
        self._pq = pq.ParquetWriter(self.pq_path, self.schema)
        self._rows: list[dict] = []
        self.count = 0

    def add(self, rows: list[dict]) -> None:
        self._rows.extend(rows)
        if len(self._rows) >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            self._csv.writerows(self._rows)
            self._pq.write_table(pa.Table.from_pylist(self._rows, schema=self.schema))
            self.count += len(self._rows)
            self._rows = []

    def close(self, quiet: bool = False) -> None:
        """Flush and close; `quiet` (after a failure): close what can be closed, raise nothing."""
        if self._fh.closed:
            return
        try:
            if not quiet:
                self.flush()
                self._fh.flush()
                os.fsync(self._fh.fileno())
        finally:
            for close in (self._fh.close, self._pq.close):
                try:
                    close()
                except Exception:
                    if not quiet:
                        raise


def write_dataset(out: Path, docs: Iterable[dict]) -> dict[str, int]:
    """Write documents.jsonl, every table as CSV and Parquet, and dataset.duckdb into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    jsonl_tmp = out / ".documents.jsonl.part"
    writers: dict[str, _TableWriter] = {}
    registry = Registry()
    n = 0
    try:
        for name in TABLES:
            writers[name] = _TableWriter(out, name)
        with jsonl_tmp.open("w", encoding="utf-8") as fh:
            for doc in docs:
                fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
                for name, rows in rows_of(doc).items():
                    writers[name].add(rows)
                registry.add(doc)
                n += 1
            fh.flush()
            os.fsync(fh.fileno())
        directives, directive_refs = registry.directives()
        writers["directives"].add(directives)
        writers["directive_refs"].add(directive_refs)
        for w in writers.values():
            w.close()
        db_tmp = out / ".dataset.duckdb.part"
        build_duckdb(db_tmp, {name: w.pq_path for name, w in writers.items()})
    except BaseException:
        # a full disk, an interrupt, a damaged record: no part file is left to fill the disk, and
        # the previous complete dataset (if any) stays as it was
        for w in writers.values():
            w.close(quiet=True)
        remove_partials(out)
        raise
    # commit: every file renamed into place only after all were written
    os.replace(jsonl_tmp, out / "documents.jsonl")
    for name, w in writers.items():
        os.replace(w.csv_path, out / f"{name}.csv")
        os.replace(w.pq_path, out / f"{name}.parquet")
    os.replace(db_tmp, out / "dataset.duckdb")
    counts = {name: w.count for name, w in writers.items()}
    counts["documents.jsonl"] = n
    return counts


VIEWS = {
    # who cites what, one row per mention
    "citations": """
        SELECT m.doc_id AS citing_doc, d.number AS citing_number, d.doc_type AS citing_type,
               d.issuer AS citing_issuer, d.province AS citing_province, d.issued_date AS citing_date,
               m.ref_id AS cited_id, r.qualified_id AS cited_qualified_id, r.kind AS cited_kind,
               r.issued_date AS cited_date, m.text AS mention, m.relation, m.section, m.start, m."end", m.page, m.context
        FROM mentions m JOIN "references" r USING (doc_id, ref_id) JOIN documents d USING (doc_id)""",
    "most_cited": """
        SELECT ref_id AS cited_id, any_value(kind) AS kind, count(DISTINCT doc_id) AS citing_documents,
               count(*) AS mentions
        FROM mentions JOIN "references" USING (doc_id, ref_id)
        GROUP BY ref_id ORDER BY citing_documents DESC, mentions DESC, cited_id""",
    "implementations": """
        SELECT r.ref_id AS implemented_id, d.doc_id, d.number, d.doc_type, d.title, d.issuer, d.issued_date,
               x.qualified_id AS implemented_qualified_id, x.directive_id AS implemented_directive_id
        FROM "references" r JOIN documents d USING (doc_id) LEFT JOIN directive_refs x USING (doc_id, ref_id)
        WHERE r.in_basis""",
    "task_deadlines": """
        SELECT t.*, d.number AS doc_number, d.title AS doc_title,
               TRY_CAST(t.deadline_start AS DATE) AS due_start, TRY_CAST(t.deadline_end AS DATE) AS due_end
        FROM tasks t JOIN documents d USING (doc_id)""",
    # edges citing document → cited directive, one per (document, directive, relation, section),
    # with the registry's ids on both ends (the citing side is NULL for a document without number)
    "lineage": """
        SELECT m.doc_id AS citing_doc, cd.directive_id AS citing_directive_id, d.number AS citing_number,
               coalesce(cd.qualified_id, d.number) AS citing_qualified_id, d.doc_type AS citing_type,
               d.issuer AS citing_issuer, d.province AS citing_province, d.issued_date AS citing_date,
               x.directive_id AS cited_directive_id, t.id AS cited_id, x.qualified_id AS cited_qualified_id,
               t.kind AS cited_kind, t.issued_date AS cited_date, t.doc_id AS cited_doc,
               coalesce(m.relation, 'mentions') AS relation, m.section, r.in_basis,
               count(*) AS mentions, min(m.start) AS first_start
        FROM mentions m
        JOIN directive_refs x USING (doc_id, ref_id)
        JOIN "references" r USING (doc_id, ref_id)
        JOIN directives t ON t.directive_id = x.directive_id
        JOIN documents d ON d.doc_id = m.doc_id
        LEFT JOIN directives cd ON cd.doc_id = m.doc_id
        GROUP BY ALL""",
    "units_by_tasks": """
        SELECT name, any_value(kind) AS kind, count(*) FILTER (WHERE role = 'lead') AS lead_tasks,
               count(*) FILTER (WHERE role = 'partner') AS partner_tasks, count(DISTINCT doc_id) AS documents
        FROM task_units GROUP BY name ORDER BY lead_tasks DESC, partner_tasks DESC, name""",
    "tasks_by_lead": """
        SELECT lead, count(*) AS tasks, count(DISTINCT doc_id) AS documents
        FROM tasks WHERE lead IS NOT NULL GROUP BY lead ORDER BY tasks DESC""",
}


# DATE columns added to a table in dataset.duckdb (the CSV/Parquet keep the ISO text, null when
# it is not a whole date), named as in the task_deadlines view: table → {date column: text column}
DATE_COLUMNS = {"deadlines": {"due_start": "start_date", "due_end": "end_date"}}


def build_duckdb(path: Path, parquet: dict[str, Path]) -> None:
    import duckdb

    if path.exists():
        path.unlink()
    wal = Path(f"{path}.wal")
    wal.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(path))
        try:
            for name, p in parquet.items():
                dates = "".join(f", TRY_CAST({src} AS DATE) AS {col}" for col, src in DATE_COLUMNS.get(name, {}).items())
                con.execute(f'CREATE TABLE "{name}" AS SELECT *{dates} FROM read_parquet(?)', [str(p)])
            for name, sql in VIEWS.items():
                con.execute(f'CREATE VIEW "{name}" AS {sql}')
            # into the database file now: a checkpoint that fails at close (full disk) is silent and
            # leaves the tables in the .wal next to a file that looks complete
            con.execute("CHECKPOINT")
        finally:
            con.close()
    except duckdb.Error as exc:  # an OSError, like the other writers': the caller says what to do
        if "No space left" in str(exc):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path.name) from None
        raise OSError(f"could not write {path.name}: {str(exc).splitlines()[0]}") from None
    if wal.exists() and wal.stat().st_size:
        raise OSError(f"could not write {path.name}: its tables stayed in the write-ahead log (disk full?)")
    wal.unlink(missing_ok=True)
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def remove_partials(out: Path) -> None:
    for p in [*out.glob(".*.part"), *out.glob(".*.part.wal"), *out.glob(".*.atomic")]:
        p.unlink() if p.is_file() else shutil.rmtree(p)


def atomic_write(path: Path, data: bytes) -> None:
    """`data` into `path` by temp file, fsync and rename: the old file or the new one, never half."""
    tmp = path.with_name(f".{path.name}.atomic")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def dataset_path(dataset: Optional[Path]) -> Path:
    d = Path(dataset or "dataset")
    db = d / "dataset.duckdb" if d.is_dir() or not d.suffix else d
    if not db.exists():
        raise FileNotFoundError(f"no dataset at {db}; run `extractor run PATH --out {d}` first")
    return db
