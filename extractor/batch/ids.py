"""Document ids: the file stem, made unique within a run."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterator

from .inputs import InputFile


def assign_ids(files: Iterator[tuple[Path, str]]) -> list[InputFile]:
    """doc_id = file stem; a stem seen before gets a short hash of its path (and position) appended."""
    seen: set[str] = set()
    out = []
    for n, (path, label) in enumerate(files):
        stem = Path(label).stem  # the label's: a name that is not UTF-8 is shown with escapes there
        doc_id, salt = stem, label
        while doc_id in seen:  # the same path given twice must still get distinct ids
            doc_id = f"{stem}_{hashlib.sha1(salt.encode()).hexdigest()[:8]}"
            salt = f"{label}#{n}#{doc_id}"
        seen.add(doc_id)
        out.append(InputFile(path, label, doc_id))
    return out
