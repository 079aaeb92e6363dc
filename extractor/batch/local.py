"""Local engine: a pool of worker processes with a per-document timeout.

A plain ProcessPoolExecutor cannot stop one runaway document, so each worker is a
process of our own: the parent hands it one document at a time and, when a document
overruns `settings.timeout` (or the worker dies: segfault, OOM kill), terminates that
worker, records an error for the document and starts a fresh worker.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import queue
import time
from typing import Optional

from ..settings import Settings
from . import InputFile, RecordCache

POLL_SECONDS = 0.05


def extract_record(f: InputFile, settings: Settings) -> dict:
    from ..api import extract

    doc = extract(f.path, settings=settings, doc_id=f.doc_id, path_label=f.label)
    return doc.model_dump(mode="json")


def error_record(f: InputFile, stage: str, message: str) -> dict:
    from ..model import Source
    from ..pipeline import error_document

    src = Source(path=f.label, format=f.path.suffix.lstrip(".").lower() or "unknown")
    return error_document(f.doc_id, src, stage, message).model_dump(mode="json")


def _worker(inbox: mp.Queue, outbox: mp.Queue, settings_json: str) -> None:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # Tesseract: 1 thread per page is far faster here
    settings = Settings.model_validate_json(settings_json)
    _limit_memory(settings.max_memory_mb)
    while True:
        item = inbox.get()
        if item is None:
            return
        idx, f = item
        try:
            rec = extract_record(f, settings)
        except MemoryError:
            rec = error_record(f, "memory", f"the document needed more than {settings.max_memory_mb} MB "
                               "of memory and was stopped; raise --max-memory or check the file")
        except Exception as exc:  # extract() catches input errors; this is a bug
            rec = error_record(f, "internal", f"{type(exc).__name__}: {exc} (please report this file)")
        outbox.put((idx, rec))


def _limit_memory(mb: int) -> None:
    try:
        import resource

        # address space, with head-room: libraries map far more than they touch
        limit = mb * 1024 * 1024 * 4
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass


class _Slot:
    def __init__(self, ctx, outbox, settings_json):
        self.inbox = ctx.Queue()
        self.proc = ctx.Process(target=_worker, args=(self.inbox, outbox, settings_json), daemon=True)
        self.proc.start()
        self.task: Optional[tuple[int, InputFile]] = None
        self.started = 0.0

    def give(self, idx: int, f: InputFile) -> None:
        self.task, self.started = (idx, f), time.monotonic()
        self.inbox.put((idx, f))

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            self.inbox.put(None)
        self.proc.join(timeout=5)


def run_local(todo: list[tuple[InputFile, str]], cache: RecordCache, settings: Settings,
              progress: bool = False) -> None:
    workers = max(1, min(settings.workers or os.cpu_count() or 1, len(todo)))
    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context("spawn")
    outbox = ctx.Queue()
    sj = settings.model_dump_json()
    slots = [_Slot(ctx, outbox, sj) for _ in range(workers)]
    pending = list(enumerate(todo))[::-1]
    done = 0
    finished: set[int] = set()
    bar = _progress(len(todo)) if progress else None
    try:
        while done < len(todo):
            for i, s in enumerate(slots):
                if s.task is None and pending:
                    idx, (f, _) = pending.pop()
                    s.give(idx, f)
            try:
                idx, rec = outbox.get(timeout=POLL_SECONDS)
            except queue.Empty:
                idx = None
            if idx is not None:
                if idx in finished:
                    continue  # a late answer from a worker already replaced
                finished.add(idx)
                cache.put(todo[idx][1], rec)
                for s in slots:
                    if s.task and s.task[0] == idx:
                        s.task = None
                done += 1
                bar and bar.advance()
                continue
            now = time.monotonic()
            for i, s in enumerate(slots):
                if s.task is None:
                    continue
                timed_out = now - s.started > settings.timeout
                if timed_out or not s.proc.is_alive():
                    idx, f = s.task
                    msg = (f"took longer than the {settings.timeout:g} s timeout and was stopped; raise "
                           "--timeout or check the file" if timed_out else
                           f"the worker died while reading it (exit code {s.proc.exitcode}; out of memory or "
                           "a crash in a parsing library); the file is probably malformed")
                    finished.add(idx)
                    cache.put(todo[idx][1], error_record(f, "timeout" if timed_out else "worker", msg))
                    s.stop(kill=True)
                    slots[i] = _Slot(ctx, outbox, sj)
                    done += 1
                    bar and bar.advance()
    finally:
        for s in slots:
            s.stop(kill=s.task is not None)
        bar and bar.close()


class _progress:
    def __init__(self, total: int):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.p = Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          transient=True)
        self.p.start()
        self.t = self.p.add_task("docs", total=total)

    def advance(self) -> None:
        self.p.advance(self.t)

    def close(self) -> None:
        self.p.stop()
