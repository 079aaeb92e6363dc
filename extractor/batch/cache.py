"""The record cache: one JSON file per finished document under `OUT/.cache/records/<key>.json`.

A record's key is a hash of the file's content, its path and doc_id, the extractor version, a
hash of the extractor's own code and data files, and the settings that change the output: a
rerun reuses exactly the records nothing has changed.
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
