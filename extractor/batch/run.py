"""A batch run: list the inputs, reuse cached records, extract the rest, write the dataset.

The phases of `run_batch`: the record key of every input (`_plan`), the extraction of those
not cached by an engine (local.py or ray_engine.py), and the dataset files written from the
records in input order (`_write`) — skipped when the complete dataset of exactly these records
is already there (the manifest, written last, vouches for it).
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional, Sequence

from ..settings import Settings
from .cache import RecordCache, code_fingerprint, file_sha, record_key, settings_fingerprint
from .ids import assign_ids
from .inputs import InputFile, iter_inputs


@dataclass
class RunSummary:
    documents: int = 0
    ok: int = 0
    partial: int = 0
    error: int = 0
    references: int = 0
    tasks: int = 0
    sections: int = 0
    reused: int = 0
    skipped: list[str] = field(default_factory=list)
    no_header: list[str] = field(default_factory=list)  # read, but no issuer, number, type or date
    elapsed: float = 0.0
    out: Optional[Path] = None
    tables: dict[str, int] = field(default_factory=dict)

    def add(self, doc: dict) -> None:
        self.documents += 1
        status = doc.get("status", "error")
        setattr(self, status, getattr(self, status) + 1)
        self.references += len(doc.get("references") or [])
        self.tasks += len(doc.get("tasks") or [])
        self.sections += len(doc.get("sections") or [])
        meta = doc.get("meta") or {}
        if status != "error" and not any(meta.get(k) for k in ("issuer", "number", "doc_type", "issued_date")):
            # a README or notes file in the corpus folder, rather than a Party/state document
            self.no_header.append((doc.get("source") or {}).get("path") or str(doc.get("doc_id")))


def _manifest(keys: list[str]) -> str:
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


_SUMMARY_FIELDS = ("documents", "ok", "partial", "error", "references", "tasks", "sections", "tables", "no_header")


def run_batch(paths: list[Path], out: Path, *, settings: Settings, engine: str = "local",
              progress: bool = False, address: Optional[str] = None,
              stats: Optional[dict] = None, exclude: Sequence[str] = (), verbose: bool = False) -> RunSummary:
    """`stats`, if given, receives timings of the phases and the workers' peak RSS (benchmarks);
    `exclude`: glob patterns of files that are not documents (as in .extractorignore); `verbose`
    lets the Ray engine's own log lines through."""
    from ..store import remove_partials

    t0 = time.perf_counter()
    summary = RunSummary(out=out)
    out.mkdir(parents=True, exist_ok=True)
    remove_partials(out)
    cache = RecordCache(out)
    files = assign_ids(iter_inputs(paths, summary.skipped, exclude))
    keys, todo = _plan(files, cache, settings, summary)
    stats = stats if stats is not None else {}
    stats["hash_seconds"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    if todo:
        _extract(todo, cache, settings, engine, address, progress, stats, verbose)
    stats["extract_seconds"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    _write(out, keys, cache, summary, extracted=bool(todo))
    stats["write_seconds"] = time.perf_counter() - t2
    summary.elapsed = time.perf_counter() - t0
    return summary


def _plan(files: list[InputFile], cache: RecordCache, settings: Settings,
          summary: RunSummary) -> tuple[list[str], list[tuple[InputFile, str]]]:
    """The record key of every input (in input order), and the inputs whose record is not cached."""
    fp = settings_fingerprint(settings)
    code_fingerprint()  # once, in the parent
    keys: list[str] = []
    todo: list[tuple[InputFile, str]] = []
    for f in files:
        sha = file_sha(f.path) or f"unreadable:{f.label}:{time.time()}"
        key = record_key(sha, f, fp)
        keys.append(key)
        if cache.has(key):
            summary.reused += 1
        else:
            todo.append((f, key))
    return keys, todo


def _extract(todo: list[tuple[InputFile, str]], cache: RecordCache, settings: Settings, engine: str,
             address: Optional[str], progress: bool, stats: dict, verbose: bool = False) -> None:
    if engine == "ray":
        from .ray_engine import run_ray

        run_ray(todo, cache, settings, address=address, progress=progress, verbose=verbose)
    else:
        from .local import run_local

        run_local(todo, cache, settings, progress=progress, stats=stats)


def _write(out: Path, keys: list[str], cache: RecordCache, summary: RunSummary, extracted: bool) -> None:
    """The dataset files from the records of `keys`, in that order, and the summary's counts."""
    from ..store import TABLES, write_dataset

    manifest, manifest_path = _manifest(keys), out / ".cache" / "manifest"
    unchanged = (not extracted and manifest_path.exists() and manifest_path.read_text() == manifest
                 and all((out / name).exists() for name in ["documents.jsonl", "dataset.duckdb",
                                                            *(f"{t}.{ext}" for t in TABLES for ext in ("csv", "parquet"))]))
    if unchanged and (out / ".cache" / "summary.json").exists():
        # same records in the same order as the complete dataset already written: nothing to do
        saved = json.loads((out / ".cache" / "summary.json").read_text())
        for k in _SUMMARY_FIELDS:
            if k in saved:  # a summary saved before a field existed
                setattr(summary, k, saved[k])
        return

    def records() -> Iterator[dict]:
        for key in keys:
            doc = cache.get(key)
            summary.add(doc)
            yield doc

    manifest_path.unlink(missing_ok=True)
    summary.tables = write_dataset(out, records())
    (out / ".cache" / "summary.json").write_text(json.dumps({k: getattr(summary, k) for k in _SUMMARY_FIELDS}))
    manifest_path.write_text(manifest)  # last: it vouches for the files above
