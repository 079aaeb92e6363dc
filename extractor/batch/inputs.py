"""The inputs of a run: files under the paths given, directories expanded in sorted order.

An `InputFile` is a small item (paths and keys, about 200 bytes: a million files is ~200 MB);
its doc_id comes from ids.py.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional, Sequence

from ..ingest import FORMATS
from .ignore import ignore_patterns, is_ignored


@dataclass(frozen=True)
class InputFile:
    """One input of a run; doc_id is given by ids.assign_ids."""
    path: Path          # where to read it
    label: str          # source.path in the record: the path as the user gave it
    doc_id: str


def display_path(path: Path) -> str:
    """The path as text that is always valid Unicode: bytes of a name that are not UTF-8 are
    shown as escapes (b"\\xff") instead of lone surrogates that no writer can encode."""
    s = str(path)
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return os.fsencode(s).decode("utf-8", "backslashreplace")


def outside_roots(path: Path, roots: list[Path]) -> Optional[Path]:
    """Where a symbolic link found inside an input folder points, if that is outside every input
    root (a link to /etc/shadow must not land in the dataset); None for anything else."""
    if not path.is_symlink():
        return None
    target = Path(os.path.realpath(path))  # never raises (a link to itself is no error here)
    if any(target == r or r in target.parents for r in roots):
        return None
    return target


def iter_inputs(paths: list[Path], skipped: Optional[list[str]] = None, exclude: Sequence[str] = (),
                outside: Optional[set[str]] = None) -> Iterator[tuple[Path, str]]:
    """Files under `paths`, directories expanded recursively in sorted order.

    `exclude` (the `--exclude GLOB` options) adds patterns to every directory's `.extractorignore`
    (same syntax: a path under the directory or a file name, `dir/` for a directory); a file
    named explicitly is left out too when its path or name matches one.

    Symlinked directories are not followed (no loops); files of unsupported type inside a
    directory, and directories that cannot be listed, are skipped and reported; a file named
    explicitly is always tried (and gets an error record if it cannot be read). The labels of
    links inside a folder that point outside every input root go into `outside`, if given.
    """
    roots = [Path(os.path.realpath(p)) for p in paths] if outside is not None else []
    def unlistable(exc: OSError) -> None:
        if skipped is not None:
            skipped.append(f"{exc.filename} (directory not readable: {exc.strerror})")

    for p in paths:
        if p.is_dir():
            ignored = ignore_patterns(p) + list(exclude)
            for root, dirs, files in os.walk(p, followlinks=False, onerror=unlistable):
                rel = Path(root).relative_to(p)
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not is_ignored(rel / d, ignored, True))
                for name in sorted(files):
                    fp = Path(root) / name
                    if name.startswith(".") or is_ignored(rel / name, ignored, False):
                        continue
                    if fp.suffix.lower() not in FORMATS:
                        if skipped is not None:
                            skipped.append(display_path(fp))
                        continue
                    if outside is not None and outside_roots(fp, roots) is not None:
                        outside.add(display_path(fp))
                    yield fp, display_path(fp)
        elif not (exclude and is_ignored(p, list(exclude), False)):
            yield p, display_path(p)
