"""Batch runs: list inputs, reuse cached records, extract the rest, write the dataset.

Each finished document is written at once to `OUT/.cache/records/<key>.json` (atomic
rename), keyed by the hash of the bytes its worker read, path, the extractor version, a hash of the extractor's
own code and data files, and the settings. The dataset files are assembled from those
records in input order only at the end, so: a rerun over an unchanged corpus only reads
records (and skips rewriting a dataset that is already complete); a run killed half-way
loses only the documents in flight; and the order of documents.jsonl never depends on the
worker count or the engine.

Memory: the inputs are held as a list of small `InputFile` items (paths and keys, about
200 bytes each — a million files is ~200 MB); documents themselves are never held
together: workers return one record at a time and the writers read them back one by one.

The package hands on the names of its modules, one job each: inputs.py (listing the files),
ignore.py (`.extractorignore`), ids.py (doc_id assignment), cache.py (record keys and
RecordCache), lock.py (checking and locking OUT), run.py (`run_batch`); the engines are
local.py and ray_engine.py.
"""
from .cache import RecordCache, code_fingerprint, file_sha, record_key, settings_fingerprint
from .ids import assign_ids
from .ignore import IGNORE_FILE
from .inputs import InputFile, iter_inputs
from .run import RunSummary, run_batch

__all__ = ["IGNORE_FILE", "InputFile", "RecordCache", "RunSummary", "assign_ids", "code_fingerprint",
           "file_sha", "iter_inputs", "record_key", "run_batch", "settings_fingerprint"]
