"""The public API: a handful of functions.

    extract(path_or_bytes)  -> Document   one file (any supported format)
    extract_text(text)      -> Document   a string already in memory
    run(paths, out)         -> RunSummary a batch into a dataset directory
    nlp()                   -> spacy.Language with the extractor as components

This module only re-exports and dispatches: `extract` and `extract_text` live in `core.py`
(which the batch engines and nlp.py import directly), `run` imports the batch package and
`nlp` the spaCy components only when called.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Optional, Union

from .core import extract, extract_text
from .settings import Settings

__all__ = ["extract", "extract_text", "run", "nlp"]


def run(paths: Iterable[Union[str, os.PathLike]], out: Union[str, os.PathLike], *,
        settings: Optional[Settings] = None, engine: str = "local", progress: bool = False, **kwargs):
    """Extract every file under `paths` into the dataset directory `out` (see README)."""
    from .batch import run_batch

    return run_batch([Path(p) for p in paths], Path(out), settings=settings or Settings(), engine=engine,
                     progress=progress, **kwargs)


def nlp():
    """The spaCy pipeline (`spacy.Language`) with the extractor as components: `nlp(text).spans["extractor"]`
    holds its references, deadlines, units, sections and tasks as labelled spans (packaged in
    models/vi_party_extractor; built on the fly if that is missing). Needs the [nlp] extra."""
    from .nlp import load

    return load()
