"""A batch run: list the inputs, reuse cached records, extract the rest, write the dataset.

The phases of `run_batch`: the record key of every input (`_plan`), the extraction of those
not cached by an engine (local.py or ray_engine.py), and the dataset files written from the
records in input order (`_write`) — skipped when the complete dataset of exactly these records
is already there (the manifest, written last, vouches for it).

Faults: `--out` is checked (a directory, writable) and locked (lock.py) before anything is
read; a record is keyed by the hash of the bytes its worker read, not of what the file held
when listed (`_Sink`); a damaged cached record is extracted again; a write that fails (full
disk, read-only) ends the run with `OutputError` and leaves every output complete or absent;
SIGTERM and SIGHUP stop the run as Ctrl-C does (`Interrupted`), keeping finished records.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional, Sequence

from ..settings import Settings
from .cache import (RecordCache, UnreadableRecord, code_fingerprint, file_sha, record_key, record_kind,
                    settings_fingerprint)
from .ids import assign_ids
from .inputs import InputFile, iter_inputs
from .lock import OutputError, lock_out


class NoInputs(Exception):
    """No document to extract under the paths given."""


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal; `kept` of `total` documents have their record."""

    def __init__(self, signum: int = signal.SIGINT, kept: int = 0, total: int = 0):
        super().__init__(signum)
        self.signum, self.kept, self.total = signum, kept, total

    @property
    def exit_code(self) -> int:
        return 130 if self.signum == signal.SIGINT else 143


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
    warnings: list[str] = field(default_factory=list)   # one line each, for the person running it
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
              stats: Optional[dict] = None, exclude: Sequence[str] = (), verbose: bool = False,
              force: bool = False, retry_errors: bool = False, follow_symlinks: bool = False) -> RunSummary:
    """`stats`, if given, receives timings of the phases and the workers' peak RSS (benchmarks);
    `exclude`: glob patterns of files that are not documents (as in .extractorignore); `verbose`
    lets the Ray engine's own log lines through.
    `force`: extract everything again; `retry_errors`: also the documents whose record is an error
    (failures that are not the file's fault — timeout, memory, worker death — are always retried);
    `follow_symlinks`: read links inside input folders that point outside every input root.

    Raises OutputError (OUT unusable, locked by another run, or a write failed), NoInputs, and
    Interrupted (SIGINT, SIGTERM, SIGHUP: the records finished so far are kept)."""
    t0 = time.perf_counter()
    with lock_out(out), _signals_interrupt():
        from ..store import remove_partials

        summary = RunSummary(out=out)
        sink: Optional[_Sink] = None
        files: list[InputFile] = []
        try:
            remove_partials(out)
            cache = RecordCache(out)
            outside: Optional[set[str]] = None if follow_symlinks else set()
            files = assign_ids(iter_inputs(paths, summary.skipped, exclude, outside))
            if not files:
                raise NoInputs("no documents to extract under " + ", ".join(map(str, paths))
                               + (f" ({len(summary.skipped)} file(s) of unsupported type skipped)"
                                  if summary.skipped else ""))
            keys, todo = _plan(files, cache, settings, summary, force, retry_errors, outside or set())
            sink = _Sink(cache, settings, keys, files, todo)
            stats = stats if stats is not None else {}
            stats["hash_seconds"] = time.perf_counter() - t0
            t1 = time.perf_counter()
            if todo:
                _extract(todo, sink, settings, engine, address, progress, stats, verbose)
            stats["extract_seconds"] = time.perf_counter() - t1
            t2 = time.perf_counter()
            try:
                _write(out, keys, cache, summary, extracted=bool(todo))
            except _Unreadable as exc:
                # a damaged record (truncated by a full disk, junk): treated as missing, said once
                summary.warnings.append(f"{len(exc.keys)} cached record(s) could not be read ({exc.first}); "
                                        "their documents were extracted again")
                redo = [(sink.owner[k], k) for k in exc.keys]
                for k in exc.keys:
                    cache.discard(k)
                summary.reused -= sum(1 for k in exc.keys if k not in sink.extracted)
                _extract(redo, sink, settings, engine, address, progress, stats, verbose)
                _write(out, keys, cache, summary, extracted=True)
            stats["write_seconds"] = time.perf_counter() - t2
        except KeyboardInterrupt as exc:  # Ctrl-C, or Interrupted from SIGTERM / SIGHUP
            kept = sum(1 for k in sink.keys if cache.has(k)) if sink else 0
            raise Interrupted(getattr(exc, "signum", signal.SIGINT), kept, len(files)) from None
        except (OSError, _Unreadable) as exc:
            raise OutputError(_write_failure(out, exc)) from None
    summary.elapsed = time.perf_counter() - t0
    return summary


def _write_failure(out: Path, exc: Exception) -> str:
    if isinstance(exc, _Unreadable):
        return (f"the records just written to {out / '.cache' / 'records'} cannot be read back ({exc.first}); "
                "check the disk")
    what = getattr(exc, "strerror", None) or str(exc)
    where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
    return (f"could not write to {out}: {what}{where}; free some space or fix the permissions, then run the "
            "same command again (finished documents are kept)")


@contextmanager
def _signals_interrupt():
    """SIGTERM and SIGHUP raise Interrupted in the main thread, as Ctrl-C raises KeyboardInterrupt:
    the engines' cleanup then stops every worker and its children instead of leaving them orphaned."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise Interrupted(signum)

    old = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def _plan(files: list[InputFile], cache: RecordCache, settings: Settings, summary: RunSummary,
          force: bool = False, retry_errors: bool = False,
          outside: frozenset[str] | set[str] = frozenset()) -> tuple[list[str], list[tuple[InputFile, str]]]:
    """The record key of every input (in input order), and the inputs whose record is not cached.
    Links that point outside every input root get their error record here, without being read."""
    fp = settings_fingerprint(settings)
    code_fingerprint()  # once, in the parent
    keys: list[str] = []
    todo: list[tuple[InputFile, str]] = []
    for f in files:
        if f.label in outside:
            target = Path(os.path.realpath(f.path))
            key = record_key(f"outside:{target}", f, fp)
            keys.append(key)
            cache.put(key, _outside_record(f, target))
            continue
        sha = file_sha(f.path) or f"unreadable:{f.label}:{time.time()}"
        key = record_key(sha, f, fp)
        keys.append(key)
        if not force and cache.has(key, retry_errors):
            summary.reused += 1
        else:
            todo.append((f, key))
    return keys, todo


def _outside_record(f: InputFile, target: Path) -> dict:
    from ..core import error_record

    return error_record(f.doc_id, f.path, f.label, "read",
                        f"{f.label} is a symbolic link to {target}, outside every input folder; it was not "
                        "read (run with --follow-symlinks to read such links)")


class _Sink:
    """Where the engines put finished records: the cache, under the key of the bytes the worker
    actually read (source.sha256), which differs from the planned key when the file was replaced
    between listing and reading — so no rerun ever serves a record of other content."""

    def __init__(self, cache: RecordCache, settings: Settings, keys: list[str], files: list[InputFile],
                 todo: list[tuple[InputFile, str]]):
        self.cache, self.keys, self.fp = cache, keys, settings_fingerprint(settings)
        self.owner = dict(zip(keys, files))
        self.pos = {k: i for i, k in enumerate(keys)}
        self.extracted: set[str] = set()

    def put_json(self, key: str, text: str) -> None:
        rec = json.loads(text)
        f, sha = self.owner[key], (rec.get("source") or {}).get("sha256")
        actual = record_key(sha, f, self.fp) if sha else key
        # a record of no bytes at all (the file could not be read) vouches for no content: retried
        self.cache.put_json(actual, text, record_kind(rec) if sha else "retry")
        if actual != key:
            self.keys[self.pos[key]] = actual
            self.owner[actual], self.pos[actual] = f, self.pos[key]
        self.extracted.add(actual)


def _extract(todo: list[tuple[InputFile, str]], cache, settings: Settings, engine: str,
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

    from ..store import atomic_write

    manifest, manifest_path = _manifest(keys), out / ".cache" / "manifest"
    unchanged = (not extracted and _read(manifest_path) == manifest.encode()
                 and all((out / name).exists() for name in ["documents.jsonl", "dataset.duckdb",
                                                            *(f"{t}.{ext}" for t in TABLES for ext in ("csv", "parquet"))]))
    saved = _saved_summary(out / ".cache" / "summary.json") if unchanged else None
    if saved is not None:
        # same records in the same order as the complete dataset already written: nothing to do
        for k in _SUMMARY_FIELDS:
            if k in saved:  # a summary saved before a field existed
                setattr(summary, k, saved[k])
        return
    for k in _SUMMARY_FIELDS:  # counted afresh (a second pass after damaged records)
        setattr(summary, k, type(getattr(RunSummary(), k))())
    bad: list[str] = []
    first: list[str] = []

    def records() -> Iterator[dict]:
        for key in keys:
            try:
                doc = cache.get(key)
            except (UnreadableRecord, KeyError) as exc:
                bad.append(key)
                first.append(str(exc))
                continue
            summary.add(doc)
            yield doc
        if bad:  # before write_dataset commits anything: the previous dataset stays
            raise _Unreadable(bad, first[0])

    manifest_path.unlink(missing_ok=True)
    summary.tables = write_dataset(out, records())
    atomic_write(out / ".cache" / "summary.json",
                 json.dumps({k: getattr(summary, k) for k in _SUMMARY_FIELDS}).encode())
    atomic_write(manifest_path, manifest.encode())  # last: it vouches for the files above


class _Unreadable(Exception):
    def __init__(self, keys: list[str], first: str):
        super().__init__(first)
        self.keys, self.first = keys, first


def _read(path: Path) -> Optional[bytes]:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _saved_summary(path: Path) -> Optional[dict]:
    """The counts of the dataset already written, None if missing or damaged (then it is rewritten)."""
    try:
        saved = json.loads((_read(path) or b"").decode("utf-8"))
        return saved if isinstance(saved, dict) and all(k in saved for k in _SUMMARY_FIELDS) else None
    except ValueError:
        return None
