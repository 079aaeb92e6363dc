"""`.extractorignore`: files under an input directory that are not documents (gold annotations,
notes), so that `extractor run corpus/` reads only documents."""
from __future__ import annotations

import fnmatch
from pathlib import Path

IGNORE_FILE = ".extractorignore"


def ignore_patterns(top: Path) -> list[str]:
    """Glob patterns (one a line, '#' comments; 'dir/' for a directory) of files under `top` that
    are not documents — gold annotations, notes — so `extractor run corpus/` reads only documents."""
    try:
        lines = (top / IGNORE_FILE).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def is_ignored(rel: Path, patterns: list[str], is_dir: bool) -> bool:
    posix = rel.as_posix()
    for pat in patterns:
        if pat.endswith("/"):
            if is_dir and fnmatch.fnmatch(posix, pat.rstrip("/")):
                return True
        elif fnmatch.fnmatch(posix, pat) or fnmatch.fnmatch(rel.name, pat):
            return True
    return False
