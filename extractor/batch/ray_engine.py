"""Ray engine: the same job as the local engine, on Ray Data, for a cluster.

paths (a list of small items, as in the local engine) → `ray.data.from_items` →
`map_batches` with an actor pool: each actor owns one `GuardedWorker` (local.py), a child
process that loads the pipeline (and OCR/models) once and extracts one document at a
time under the same timeout and memory guards as the local engine → records come back to
the driver as JSON text, one batch at a time → the driver writes them into the same
RecordCache → the same dataset writers. Nothing Ray-specific reaches the records, so
documents.jsonl is byte-identical to a local run.

Inputs are read by path on the workers: on a multi-node cluster the corpus must be at the
same path on every node (shared file system). The driver ships its own copy of the
`extractor` package to the workers (runtime_env py_modules), so the code that fills the
cache is the code whose hash keys it.
"""
from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path
from typing import Optional

from ..settings import Settings
from .cache import RecordCache
from .inputs import InputFile
from .local import Progress

LOCAL_OBJECT_STORE = 256 * 2**20  # a local Ray started here: records are small, keep RAM for work


class _Extract:
    """Ray Data actor: one guarded worker process, alive for the actor's lifetime."""

    def __init__(self, settings_json: str):
        from .local import GuardedWorker

        self.settings = Settings.model_validate_json(settings_json)
        self.worker = GuardedWorker(self.settings)

    def __call__(self, batch: dict) -> dict:
        import json

        from .local import GuardedWorker, error_record

        records = []
        for idx, path, label, doc_id in zip(batch["idx"], batch["path"], batch["label"], batch["doc_id"]):
            f = InputFile(Path(str(path)), str(label), str(doc_id))
            try:
                records.append(self.worker.run_one(f))
            except Exception as exc:  # the worker could not even start: still one record per input
                records.append(json.dumps(error_record(f, "worker", f"{type(exc).__name__}: {exc}"),
                                          ensure_ascii=False))
                self.worker = GuardedWorker(self.settings)
        return {"idx": list(batch["idx"]), "record": records}

    def __del__(self):
        try:
            self.worker.close()
        except Exception:
            pass


def run_ray(todo: list[tuple[InputFile, str]], cache: RecordCache, settings: Settings,
            address: Optional[str] = None, progress: bool = False, verbose: bool = False) -> None:
    """`verbose`: Ray's own log lines and progress bars; without it only errors of ours reach the
    user (a successful run prints nothing but our progress)."""
    try:
        import ray
        import ray.data
    except ImportError:
        raise SystemExit("--engine ray needs the [ray] extra: pip install 'vn-party-extractor[ray]'") from None
    import extractor

    connected_here = not ray.is_initialized()
    if connected_here:
        runtime_env = {"py_modules": [str(Path(extractor.__file__).resolve().parent)],
                       "env_vars": {"OMP_THREAD_LIMIT": "1"}}
        kw: dict = dict(address=address, runtime_env=runtime_env, include_dashboard=False,
                        logging_level="INFO" if verbose else "ERROR", log_to_driver=verbose)
        if address is None:  # start a private local Ray, sized like the local engine
            kw.update(num_cpus=settings.workers or os.cpu_count() or 1, object_store_memory=LOCAL_OBJECT_STORE)
        ray.init(**kw)
    if not verbose:
        for name in ("ray", "ray.data"):
            logging.getLogger(name).setLevel(logging.ERROR)
    bar = Progress(len(todo)) if progress else None
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = progress and verbose
        ctx.execution_options.preserve_order = False  # order comes from the record keys
        cpus = int(ray.cluster_resources().get("CPU", 1))
        n = max(1, min(settings.workers or cpus, cpus, len(todo)))
        items = [{"idx": i, "path": str(f.path), "label": f.label, "doc_id": f.doc_id}
                 for i, (f, _) in enumerate(todo)]
        ds = ray.data.from_items(items, override_num_blocks=min(len(items), max(n * 4, 1)))
        # a private local Ray loses no nodes, and a crash of the extraction is the guarded child's (an
        # error record); restarting actors there only makes Ray log an "E core_worker" warning about
        # constructor arguments in the object store on every successful run
        restarts = {"max_restarts": 0} if address is None else {}
        with warnings.catch_warnings():  # Ray 2.5x deprecates remote args given as keywords, still honours them
            warnings.simplefilter("ignore", DeprecationWarning)
            out = ds.map_batches(_Extract, fn_constructor_args=(settings.model_dump_json(),), batch_size=1,
                                 compute=ray.data.ActorPoolStrategy(size=n), num_cpus=1, batch_format="numpy",
                                 **restarts)
        for batch in out.iter_batches(batch_size=1, batch_format="numpy", prefetch_batches=1):
            for idx, rec in zip(batch["idx"], batch["record"]):
                cache.put_json(todo[int(idx)][1], str(rec))
                bar and bar.advance()
    finally:
        bar and bar.close()
        if connected_here:
            ray.shutdown()
