"""Batch runs: list inputs, reuse cached records, extract the rest, write the dataset.

Each finished document is written at once to `OUT/.cache/records/<key>.json` (atomic
rename), keyed by its content hash, path, the extractor version, a hash of the extractor's
own code and data files, and the settings. The dataset files are assembled from those
records in input order only at the end, so: a rerun over an unchanged corpus only reads
records (and skips rewriting a dataset that is already complete); a run killed half-way
loses only the documents in flight; and the order of documents.jsonl never depends on the
worker count or the engine.

Memory: the inputs are held as a list of small `InputFile` items (paths and keys, about
200 bytes each — a million files is ~200 MB); documents themselves are never held
together: workers return one record at a time and the writers read them back one by one.
"""
from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

from .. import __version__
from ..ingest import FORMATS
from ..settings import Settings


@dataclass(frozen=True)
class InputFile:
    path: Path          # where to read it
    label: str          # source.path in the record: the path as the user gave it
    doc_id: str


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


def iter_inputs(paths: list[Path], skipped: Optional[list[str]] = None) -> Iterator[tuple[Path, str]]:
    """Files under `paths`, directories expanded recursively in sorted order.

    Symlinked directories are not followed (no loops); files of unsupported type inside a
    directory, and directories that cannot be listed, are skipped and reported; a file named
    explicitly is always tried (and gets an error record if it cannot be read).
    """
    def unlistable(exc: OSError) -> None:
        if skipped is not None:
            skipped.append(f"{exc.filename} (directory not readable: {exc.strerror})")

    for p in paths:
        if p.is_dir():
            ignored = _ignore_patterns(p)
            for root, dirs, files in os.walk(p, followlinks=False, onerror=unlistable):
                rel = Path(root).relative_to(p)
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _ignored(rel / d, ignored, True))
                for name in sorted(files):
                    fp = Path(root) / name
                    if name.startswith(".") or _ignored(rel / name, ignored, False):
                        continue
                    if fp.suffix.lower() not in FORMATS:
                        if skipped is not None:
                            skipped.append(str(fp))
                        continue
                    yield fp, str(fp)
        else:
            yield p, str(p)


IGNORE_FILE = ".extractorignore"


def _ignore_patterns(top: Path) -> list[str]:
    """Glob patterns (one a line, '#' comments; 'dir/' for a directory) of files under `top` that
    are not documents — gold annotations, notes — so `extractor run corpus/` reads only documents."""
    try:
        lines = (top / IGNORE_FILE).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def _ignored(rel: Path, patterns: list[str], is_dir: bool) -> bool:
    posix = rel.as_posix()
    for pat in patterns:
        if pat.endswith("/"):
            if is_dir and fnmatch.fnmatch(posix, pat.rstrip("/")):
                return True
        elif fnmatch.fnmatch(posix, pat) or fnmatch.fnmatch(rel.name, pat):
            return True
    return False


def assign_ids(files: Iterator[tuple[Path, str]]) -> list[InputFile]:
    """doc_id = file stem; a stem seen before gets a short hash of its path (and position) appended."""
    seen: set[str] = set()
    out = []
    for n, (path, label) in enumerate(files):
        doc_id, salt = path.stem, label
        while doc_id in seen:  # the same path given twice must still get distinct ids
            doc_id = f"{path.stem}_{hashlib.sha1(salt.encode()).hexdigest()[:8]}"
            salt = f"{label}#{n}#{doc_id}"
        seen.add(doc_id)
        out.append(InputFile(path, label, doc_id))
    return out


def settings_fingerprint(settings: Settings) -> str:
    relevant = settings.model_dump(exclude={"workers", "timeout", "max_memory_mb"})
    return hashlib.sha1(json.dumps(relevant, sort_keys=True, default=str).encode()).hexdigest()[:12]


_CODE_FP: Optional[str] = None


def code_fingerprint() -> str:
    """Hash of the extractor's own code and data: the version number alone does not change
    while people edit the code, and a cache keyed on it would serve stale records."""
    global _CODE_FP
    if _CODE_FP is None:
        root = Path(__file__).resolve().parent.parent
        h = hashlib.sha256(__version__.encode())
        for p in sorted(root.rglob("*")):
            if p.suffix in (".py", ".yaml", ".yml", ".json") and "__pycache__" not in p.parts:
                h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() + b"\0")
        _CODE_FP = h.hexdigest()[:16]
    return _CODE_FP


def record_key(content_sha: str, f: InputFile, fingerprint: str) -> str:
    return hashlib.sha256(f"{content_sha}|{f.label}|{f.doc_id}|{__version__}|{code_fingerprint()}|"
                          f"{fingerprint}".encode()).hexdigest()[:40]


def file_sha(path: Path) -> Optional[str]:
    """sha256 of a regular file, None if it cannot be read. Never opens a FIFO or device
    (opening a FIFO blocks for ever; the worker reports such inputs instead)."""
    h = hashlib.sha256()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


class RecordCache:
    """One JSON file per finished document, written atomically (temp file + rename)."""

    def __init__(self, out: Path):
        self.dir = out / ".cache" / "records"
        self.dir.mkdir(parents=True, exist_ok=True)
        self._remove_orphans()

    def _remove_orphans(self) -> None:
        # temp files of writers killed mid-write (kill -9); a live writer's pid is kept
        for tmp in self.dir.glob(".*.tmp"):
            try:
                pid = int(tmp.name.rsplit(".", 2)[-2])
                os.kill(pid, 0)
            except (ValueError, ProcessLookupError):
                tmp.unlink(missing_ok=True)
            except PermissionError:
                pass

    def path(self, key: str) -> Path:
        return self.dir / f"{key}.json"

    def has(self, key: str) -> bool:
        return self.path(key).exists()

    def get(self, key: str) -> dict:
        return json.loads(self.path(key).read_text(encoding="utf-8"))

    def put(self, key: str, record: dict) -> None:
        self.put_json(key, json.dumps(record, ensure_ascii=False))

    def put_json(self, key: str, text: str) -> None:
        tmp = self.dir / f".{key}.{os.getpid()}.tmp"
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path(key))


def _manifest(keys: list[str]) -> str:
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


def run_batch(paths: list[Path], out: Path, *, settings: Settings, engine: str = "local",
              progress: bool = False, address: Optional[str] = None,
              stats: Optional[dict] = None) -> RunSummary:
    """`stats`, if given, receives timings of the phases and the workers' peak RSS (benchmarks)."""
    from ..store import TABLES, remove_partials, write_dataset

    t0 = time.perf_counter()
    summary = RunSummary(out=out)
    out.mkdir(parents=True, exist_ok=True)
    remove_partials(out)
    cache = RecordCache(out)
    files = assign_ids(iter_inputs(paths, summary.skipped))
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
    stats = stats if stats is not None else {}
    stats["hash_seconds"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    if todo:
        if engine == "ray":
            from .ray_engine import run_ray

            run_ray(todo, cache, settings, address=address, progress=progress)
        else:
            from .local import run_local

            run_local(todo, cache, settings, progress=progress, stats=stats)
    stats["extract_seconds"] = time.perf_counter() - t1
    t2 = time.perf_counter()

    manifest, manifest_path = _manifest(keys), out / ".cache" / "manifest"
    unchanged = (not todo and manifest_path.exists() and manifest_path.read_text() == manifest
                 and all((out / name).exists() for name in ["documents.jsonl", "dataset.duckdb",
                                                            *(f"{t}.{ext}" for t in TABLES for ext in ("csv", "parquet"))]))
    if unchanged and (out / ".cache" / "summary.json").exists():
        # same records in the same order as the complete dataset already written: nothing to do
        saved = json.loads((out / ".cache" / "summary.json").read_text())
        for k in ("documents", "ok", "partial", "error", "references", "tasks", "sections", "tables"):
            setattr(summary, k, saved[k])
        summary.elapsed = time.perf_counter() - t0
        stats["write_seconds"] = time.perf_counter() - t2
        return summary

    def records() -> Iterator[dict]:
        for key in keys:
            doc = cache.get(key)
            summary.add(doc)
            yield doc

    manifest_path.unlink(missing_ok=True)
    summary.tables = write_dataset(out, records())
    (out / ".cache" / "summary.json").write_text(json.dumps(
        {k: getattr(summary, k) for k in ("documents", "ok", "partial", "error", "references", "tasks",
                                          "sections", "tables")}))
    manifest_path.write_text(manifest)  # last: it vouches for the files above
    stats["write_seconds"] = time.perf_counter() - t2
    summary.elapsed = time.perf_counter() - t0
    return summary
