"""The record cache: one JSON file per finished document under `OUT/.cache/records/`.

A record's key is a hash of the file's content (the bytes the worker actually read), its path
and doc_id, the extractor version, a hash of the extractor's own code and data files, and the
settings that change the output: a rerun reuses exactly the records nothing has changed.

The file's name says what kind of record it is: `<key>.json` a document read (ok or partial),
`<key>.e.json` an error that is the file's fault (reused unless --retry-errors), `<key>.r.json`
a failure that is not (timeout, memory guard, worker death: never reused, so following its
advice — raise --timeout — takes effect on the next run). timeout and max_memory_mb stay out of
the key for that reason: they can only change records that are never reused.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Optional

from .. import __version__
from ..settings import Settings
from .inputs import InputFile


# error stages that say nothing about the file: retried on every run
TRANSIENT_STAGES = frozenset({"timeout", "memory", "worker"})
_SUFFIX = {"ok": ".json", "error": ".e.json", "retry": ".r.json"}


def record_kind(rec: dict) -> str:
    """"ok" (ok or partial), "error" (the file's fault) or "retry" (a failure that is not)."""
    if rec.get("status") != "error":
        return "ok"
    stage = ((rec.get("errors") or [{}])[0] or {}).get("stage")
    return "retry" if stage in TRANSIENT_STAGES else "error"


class UnreadableRecord(ValueError):
    """A cached record that cannot be read back (truncated, junk, wrong shape)."""


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

    def path(self, key: str, kind: str = "ok") -> Path:
        return self.dir / f"{key}{_SUFFIX[kind]}"

    def has(self, key: str, retry_errors: bool = False) -> bool:
        """A record to reuse: a document read, or an error of the file's own (unless `retry_errors`)."""
        return self.path(key).exists() or (not retry_errors and self.path(key, "error").exists())

    def get(self, key: str) -> dict:
        """The record of `key`, whatever its kind; UnreadableRecord if it is damaged, KeyError if none."""
        for kind in _SUFFIX:
            try:
                raw = self.path(key, kind).read_bytes()
            except FileNotFoundError:
                continue
            try:
                rec = json.loads(raw.decode("utf-8"))
            except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
                raise UnreadableRecord(f"{self.path(key, kind).name}: {exc}") from None
            if not isinstance(rec, dict) or "doc_id" not in rec:
                raise UnreadableRecord(f"{self.path(key, kind).name}: not a document record")
            return rec
        raise KeyError(key)

    def discard(self, key: str) -> None:
        for kind in _SUFFIX:
            self.path(key, kind).unlink(missing_ok=True)

    def put(self, key: str, record: dict) -> None:
        self.put_json(key, json.dumps(record, ensure_ascii=False), record_kind(record))

    def put_json(self, key: str, text: str, kind: str = "ok") -> None:
        tmp = self.dir / f".{key}.{os.getpid()}.tmp"
        try:
            # backslashreplace: a lone surrogate (a file name that is not UTF-8) must not stop the batch
            with tmp.open("w", encoding="utf-8", errors="backslashreplace") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path(key, kind))
        except BaseException:
            tmp.unlink(missing_ok=True)  # a full disk or an interrupt leaves no half record
            raise
        for other in _SUFFIX:  # the record of another kind it replaces (a retried failure)
            if other != kind:
                self.path(key, other).unlink(missing_ok=True)
