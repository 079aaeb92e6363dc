"""Batch runs: list inputs, reuse cached records, extract the rest, write the dataset.

Each finished document is written at once to `OUT/.cache/records/<key>.json` (atomic
rename), keyed by its content hash, path, the extractor version and the settings. The
dataset files are assembled from those records in input order only at the end, so:
a rerun over an unchanged corpus only reads records; a run killed half-way loses only the
documents in flight; and the order of documents.jsonl never depends on the worker count.
"""
from __future__ import annotations

import hashlib
import json
import os
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
    directory are skipped and reported, a file named explicitly is always tried.
    """
    for p in paths:
        if p.is_dir():
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    fp = Path(root) / name
                    if name.startswith("."):
                        continue
                    if fp.suffix.lower() not in FORMATS:
                        if skipped is not None:
                            skipped.append(str(fp))
                        continue
                    yield fp, str(fp)
        else:
            yield p, str(p)


def assign_ids(files: Iterator[tuple[Path, str]]) -> list[InputFile]:
    """doc_id = file stem; a stem seen before gets a short hash of its path appended."""
    seen: set[str] = set()
    out = []
    for path, label in files:
        stem = path.stem
        doc_id = stem if stem not in seen else f"{stem}_{hashlib.sha1(label.encode()).hexdigest()[:8]}"
        seen.add(doc_id)
        out.append(InputFile(path, label, doc_id))
    return out


def settings_fingerprint(settings: Settings) -> str:
    relevant = settings.model_dump(exclude={"workers", "timeout", "max_memory_mb"})
    return hashlib.sha1(json.dumps(relevant, sort_keys=True, default=str).encode()).hexdigest()[:12]


def record_key(content_sha: str, f: InputFile, fingerprint: str) -> str:
    return hashlib.sha256(f"{content_sha}|{f.label}|{f.doc_id}|{__version__}|{fingerprint}".encode()).hexdigest()[:40]


def file_sha(path: Path) -> Optional[str]:
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


class RecordCache:
    def __init__(self, out: Path):
        self.dir = out / ".cache" / "records"
        self.dir.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        return self.dir / f"{key}.json"

    def has(self, key: str) -> bool:
        return self.path(key).exists()

    def get(self, key: str) -> dict:
        return json.loads(self.path(key).read_text(encoding="utf-8"))

    def put(self, key: str, record: dict) -> None:
        tmp = self.dir / f".{key}.{os.getpid()}.tmp"
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(record, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path(key))


def run_batch(paths: list[Path], out: Path, *, settings: Settings, engine: str = "local",
              progress: bool = False, address: Optional[str] = None) -> RunSummary:
    from ..store import remove_partials, write_dataset

    t0 = time.perf_counter()
    summary = RunSummary(out=out)
    out.mkdir(parents=True, exist_ok=True)
    remove_partials(out)
    cache = RecordCache(out)
    files = assign_ids(iter_inputs(paths, summary.skipped))
    fp = settings_fingerprint(settings)
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
    if todo:
        if engine == "ray":
            from .ray_engine import run_ray

            run_ray(todo, cache, settings, address=address, progress=progress)
        else:
            from .local import run_local

            run_local(todo, cache, settings, progress=progress)

    def records() -> Iterator[dict]:
        for key in keys:
            doc = cache.get(key)
            summary.add(doc)
            yield doc

    summary.tables = write_dataset(out, records())
    summary.elapsed = time.perf_counter() - t0
    return summary
